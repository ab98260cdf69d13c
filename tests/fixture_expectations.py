"""Reads the expectations written inline in fixture files: values, never rendered text.

A model's expectation sits in a comment on the line of the call that constructs it (its
``Sequential(`` or ``Net(``; for a class the file never instantiates, the ``class`` line)::

    # expect: [model=NAME] [kind=KIND] [part_of=OUTER] total=N [trainable=N] [non_trainable=N]
    #         [complete=false] [codes=PRM302,...] [rows=CLASS[,CLASS] | rows=NAME:N,NAME:N,...]

- An ``# expect:`` on a comment-only line belongs to the next line of code. Such lines stack: one per
  model, where one call constructs several models (``model = ResNet(block, layers)`` in a builder that
  several never-called builders reach).
- ``kind``: ``sequential`` (what an outermost expectation without ``kind=`` means), ``module``,
  ``functional``, ``subclass``. A part's kind is checked only when written.
- ``part_of=OUTER``: the model is a part of another one; ``OUTER`` is the ``model=`` of the outermost
  expectation of the same file it belongs to, directly or through other parts. Every outermost model
  has an expectation; a part is checked only where one names it.
- ``complete=false``: incomplete; ``total=`` is then the exact total when only the split is unknown.

Rows (the model's own layers, or for a module its registered children in registration order, as
``named_children()``, plus its ``nn.Parameter`` attributes; a child's row covers its subtree, a parameter
reachable twice belongs to the row where ``named_parameters()`` meets it first, so rows add up):

- ``# params=N`` on a line inside the call an expectation starts (a Sequential's layers, on the lines
  after the expectation's own): a row of that model, matched by line, every row annotated, in order.
- ``# params=N`` on a line of a class body, outside such a call: a row of the class, named by the
  ``self.NAME =`` the line assigns (``# params=NAME:N`` names it explicitly). Several comments can share
  one line: ``self.features = nn.Sequential(  # params=1296  # expect: part_of=net total=1296``: the
  row belongs to the enclosing class, the expectation to the Sequential. A module expectation takes a
  class's rows with ``rows=CLASS`` (``rows=Base,Derived``: the base's first), or lists them:
  ``rows=conv:456,fc:850,@alpha:5``. A parameter row (a class row whose line holds ``Parameter(``, a
  listed row written ``@NAME:N``) is checked for its count, not for its position among the children.
- ``# params=N`` anywhere else (``model.add(...)`` lines after ``model = Sequential()``): a row of the
  expectation before it.
"""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"

_COMMENT = re.compile(r"#\s*(expect:\s*[^#]*|params=\S+)")
_SELF_TARGET = re.compile(r"^\s*self\.(?P<name>\w+)\s*(?::[^=]+)?=[^=]")
_PARAMS = re.compile(r"params=(?:(?P<name>\w+):)?(?P<n>\d+)$")
KINDS = ("sequential", "module", "functional", "subclass")


@dataclass(frozen=True)
class RowExpectation:
    name: str
    params: int
    parameter: bool = False  # an nn.Parameter attribute, not a child module


@dataclass
class ModelExpectation:
    line: int
    model: Optional[str] = None
    kind: Optional[str] = None
    part_of: Optional[str] = None
    total: Optional[int] = None
    trainable: Optional[int] = None
    non_trainable: Optional[int] = None
    complete: bool = True
    codes: list[str] = field(default_factory=list)
    layer_params: list[tuple[int, int]] = field(default_factory=list)  # (line, params): a Sequential's rows
    rows: Optional[list[RowExpectation]] = None  # named rows: a module's children and parameters
    rows_from: Optional[str] = None  # rows=CLASS,...: resolved once the file is read

    @property
    def outermost(self) -> bool:
        return self.part_of is None

    @property
    def expected_kind(self) -> Optional[str]:
        """The kind to check: as written, and ``sequential`` for an outermost model that says none."""
        return self.kind if self.kind is not None or not self.outermost else "sequential"


def _parse_expect(body: str, line: int, where: str) -> ModelExpectation:
    exp = ModelExpectation(line)
    for item in body.split():
        key, _, value = item.partition("=")
        if key in ("model", "part_of"):
            setattr(exp, key, value)
        elif key == "kind":
            if value not in KINDS:
                raise ValueError(f"{where}: kind={value!r} is not one of {KINDS}")
            exp.kind = value
        elif key in ("total", "trainable", "non_trainable"):
            setattr(exp, key, int(value))
        elif key == "complete":
            exp.complete = value.lower() == "true"
        elif key == "codes":
            exp.codes = value.split(",")
        elif key == "rows":
            if ":" in value:
                exp.rows = [
                    RowExpectation(n.lstrip("@"), int(c), n.startswith("@"))
                    for n, _, c in (r.partition(":") for r in value.split(","))
                ]
            else:
                exp.rows_from = value
        else:
            raise ValueError(f"{where}: unknown expectation {item!r}")
    return exp


def _call_spans(tree: ast.AST) -> dict[int, int]:
    """For each line a call starts on, the last line of the longest call starting there."""
    spans: dict[int, int] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.end_lineno is not None:
            spans[node.lineno] = max(spans.get(node.lineno, node.lineno), node.end_lineno)
    return spans


def _class_ranges(tree: ast.AST) -> list[tuple[str, int, int]]:
    return [
        (node.name, node.lineno, node.end_lineno or node.lineno)
        for node in ast.walk(tree) if isinstance(node, ast.ClassDef)
    ]


def read_expectations(path: Path) -> list[ModelExpectation]:
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    tree = ast.parse(text)
    spans = _call_spans(tree)
    classes = _class_ranges(tree)
    models: list[ModelExpectation] = []
    pending: list[ModelExpectation] = []  # from comment-only lines, waiting for their line of code
    open_spans: list[tuple[int, int, ModelExpectation]] = []  # (start, end, expectation)
    class_rows: dict[str, list[RowExpectation]] = {}
    last: Optional[ModelExpectation] = None
    for number, source in enumerate(lines, start=1):
        where = f"{path}:{number}"
        stripped = source.strip()
        comments = _COMMENT.findall(source)
        if stripped.startswith("#"):
            for c in comments:
                if not c.startswith("expect:"):
                    raise ValueError(f"{where}: params= on a comment-only line")
                pending.append(_parse_expect(c[len("expect:"):], 0, where))
            continue
        if not stripped:
            continue
        open_spans = [s for s in open_spans if s[1] >= number]
        here = pending + [_parse_expect(c[len("expect:"):], 0, where) for c in comments if c.startswith("expect:")]
        pending = []
        for c in comments:
            if not c.startswith("params="):
                continue
            m = _PARAMS.match(c)
            if m is None:
                raise ValueError(f"{where}: unreadable {c!r}")
            n = int(m.group("n"))
            inside = [s for s in open_spans if s[0] < number]
            enclosing = [c for c in classes if c[1] < number <= c[2]]
            if inside and (not enclosing or inside[-1][0] > max(c[1] for c in enclosing)):
                inside[-1][2].layer_params.append((number, n))
            elif enclosing:
                cls = max(enclosing, key=lambda c: c[1])[0]
                target = _SELF_TARGET.match(source)
                name = m.group("name") or (target.group("name") if target else None)
                if name is None:
                    raise ValueError(f"{where}: a class row needs self.NAME = ... or params=NAME:N")
                class_rows.setdefault(cls, []).append(RowExpectation(name, n, "Parameter(" in source))
            elif last is not None:
                last.layer_params.append((number, n))
            else:
                raise ValueError(f"{where}: params= before any expect:")
        for exp in here:
            exp.line = number
            models.append(exp)
            last = exp
            open_spans.append((number, spans.get(number, number), exp))
    if pending:
        raise ValueError(f"{path}: expect: on the last lines, with no line of code after it")
    for exp in models:
        if exp.rows_from is not None:
            exp.rows = []
            for cls in exp.rows_from.split(","):
                if cls not in class_rows:
                    raise ValueError(f"{path}:{exp.line}: rows={cls}: class {cls} has no annotated rows")
                exp.rows.extend(class_rows[cls])
    names = [e.model for e in models if e.outermost and e.model]
    for exp in models:
        if exp.part_of is not None and names.count(exp.part_of) != 1:
            raise ValueError(f"{path}:{exp.line}: part_of={exp.part_of} must name one outermost expectation")
    return models


def outer_of(expectations: list[ModelExpectation], part: ModelExpectation) -> ModelExpectation:
    return next(e for e in expectations if e.outermost and e.model == part.part_of)


def fixture_files() -> list[Path]:
    return sorted(FIXTURES.rglob("*.py"))
