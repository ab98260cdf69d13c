"""Keras's facts for a generated graph or subclass file, paramlint's report against them, and a reducer.

The facts come from executing the source with Keras 3 (torch backend; ``tf.keras`` spellings run on Keras 3):
``count_params()``, ``trainable_weights``, one row per ``model.layers`` entry without InputLayer (a weight
reachable from two rows belongs to the first), and for each model the file makes inside it whether Keras made it
a layer of the outer model. Rows are named as paramlint names them: a layer's ``name=``, else Keras's auto-name
numbered per model (Keras numbers per session).
"""
from __future__ import annotations

import re
import types
from collections import Counter
from dataclasses import dataclass, replace
from typing import Any, Optional

from diff_keras_graphs_gen import Case, Part


def _runnable(source: str) -> str:
    """The source with ``tf.keras`` standing for Keras 3 (no module named tensorflow: Keras itself looks for one)."""
    return source.replace("import tensorflow as tf", "import keras as _keras\ntf = _types.SimpleNamespace(keras=_keras)")


@dataclass(frozen=True)
class KFacts:
    kind: str
    total: int
    trainable: int
    non_trainable: int
    rows: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class CaseFacts:
    outer: KFacts
    parts: tuple[tuple[Part, KFacts, bool], ...]  # (part, its facts, a layer of the outer model)


def _size(weight: Any) -> int:
    n = 1
    for d in weight.shape:
        n *= int(d)
    return n


def _rows(keras: Any, model: Any, explicit: set[str]) -> tuple[tuple[str, int], ...]:
    from keras.src.utils.naming import to_snake_case

    seen: set[int] = set()
    taken: Counter[str] = Counter()
    out = []
    for layer in model.layers:
        if isinstance(layer, keras.layers.InputLayer):
            continue
        fresh = [w for w in layer.weights if id(w) not in seen]
        seen.update(id(w) for w in layer.weights)
        if layer.name in explicit:
            name = layer.name
        else:
            base = to_snake_case(type(layer).__name__)
            name = base if taken[base] == 0 else f"{base}_{taken[base]}"
            taken[base] += 1
        out.append((name, sum(_size(w) for w in fresh)))
    return tuple(out)


def model_facts(keras: Any, model: Any, kind: str, explicit: set[str]) -> KFacts:
    total = model.count_params()
    trainable = sum(_size(w) for w in model.trainable_weights)
    return KFacts(kind, total, trainable, total - trainable, _rows(keras, model, explicit))


def keras_facts(case: Case) -> CaseFacts:
    """Execute the source with Keras; a source Keras refuses raises (a generator bug)."""
    import keras

    namespace: dict[str, Any] = {"__name__": "__main__", "_types": types}
    exec(compile(_runnable(case.source), "<generated>", "exec"), namespace)  # noqa: S102 - our own generated code
    outer = namespace[case.binding]
    inside = {id(layer) for layer in outer._flatten_layers(include_self=False, recursive=True)}
    parts = []
    for part in case.parts:
        obj = getattr(outer, part.var) if case.kind == "subclass" else namespace[part.var]
        parts.append((part, model_facts(keras, obj, part.kind, case.explicit_names), id(obj) in inside))
    return CaseFacts(model_facts(keras, outer, case.kind, case.explicit_names), tuple(parts))


def _model(m: Any, want: KFacts, name: str, at: str, out: list[str]) -> None:
    if m.name != name:
        out.append(f"{at}: name {m.name!r}, expected {name!r}")
    if m.kind != want.kind:
        out.append(f"{at}: kind {m.kind!r}, Keras {want.kind!r}")
    if m.problems:
        out.append(f"{at}: problems: " + "; ".join(f"{p.code} line {p.line}: {p.message}" for p in m.problems))
    if not m.complete:
        out.append(f"{at}: incomplete")
    for key in ("total", "trainable", "non_trainable"):
        if getattr(m, key) != getattr(want, key):
            out.append(f"{at}: {key} {getattr(m, key)}, Keras {getattr(want, key)}")
    got = tuple((r.name, r.params) for r in m.rows)
    if got != want.rows:
        out.append(f"{at}: rows {list(got)}, Keras {list(want.rows)}")


def compare(case: Case, facts: CaseFacts) -> list[str]:
    """Every disagreement between paramlint's report and Keras, as readable lines (empty: exact)."""
    from paramlint.lint.analyze import analyze

    report = analyze(case.source, path="gen.py")
    if report.error is not None:
        return [f"analysis error: {report.error}"]
    out = [f"file note {n.code} line {n.line}: {n.message}" for n in report.notes]
    models = report.models
    found = [i for i, m in enumerate(models) if m.line == case.line and m.part_of is None]
    if len(found) != 1:
        seen = [(m.name, m.kind, m.line, m.part_of) for m in models]
        return out + [f"expected one outermost model at line {case.line}, found {len(found)} among {seen}"]
    outer = found[0]
    _model(models[outer], facts.outer, case.var, f"{case.var} (line {case.line})", out)
    accounted = {outer}
    for part, want, in_outer in facts.parts:
        at = f"{part.var} (line {part.line})"
        here = [i for i, m in enumerate(models) if m.line == part.line]
        if len(here) != 1:
            out.append(f"{at}: expected one model here, found {[(models[i].name, models[i].kind) for i in here]}")
            continue
        m = models[here[0]]
        accounted.add(here[0])
        expected_part_of = outer if in_outer else None
        if m.part_of != expected_part_of:
            out.append(f"{at}: part_of {m.part_of}, expected {expected_part_of} "
                       f"({'a layer of the outer model' if in_outer else 'on no path to its outputs'})")
        _model(m, want, part.name or part.var, at, out)
    extra = [(m.name, m.kind, m.line) for i, m in enumerate(models) if i not in accounted]
    if extra:
        out.append(f"models Keras does not make: {extra}")
    return out


def category(problems: list[str]) -> str:
    """The gravest kind among a case's disagreements: a wrong count (paramlint gives a number Keras does not),
    the right rows in another order, a model missing or misplaced (part_of, lines), incomplete where Keras counts, a spurious problem on a
    counted model, or names only."""
    def rows_counts(line: str) -> Optional[tuple[str, str]]:
        m = re.search(r": rows (\[.*\]), Keras (\[.*\])$", line)
        if m is None:
            return None
        return re.sub(r"'[^']*', ", "", m.group(1)), re.sub(r"'[^']*', ", "", m.group(2))
    incomplete = {p.rsplit(":", 1)[0] for p in problems if p.endswith(": incomplete")}  # rows there: consequences
    wrong = any(re.search(r": (total|trainable|non_trainable) \d+, Keras", p) for p in problems)
    order = False
    for p in problems:
        counts = rows_counts(p)
        if counts is None or counts[0] == counts[1] or p.split(": rows ", 1)[0] in incomplete:
            continue
        if sorted(counts[0].strip("[]").split(", ")) == sorted(counts[1].strip("[]").split(", ")):
            order = True
        else:
            wrong = True
    if wrong:
        return "wrong count"
    if order:
        return "rows in another order than Keras's"
    if any(re.search(r"expected one|part_of|models Keras does not make|kind ", p) for p in problems):
        return "model missing or misplaced"
    if incomplete or any(p.startswith("analysis error") for p in problems):
        return "incomplete where Keras counts"
    if any(": problems: " in p or p.startswith("file note") for p in problems):
        return "spurious problem on a counted model"
    return "names only"


def kind_of(problem: str) -> str:
    """A disagreement with its numbers and names masked: what the reducer keeps and the survey groups by."""
    text = re.sub(r"^\w+ \(line \d+\)", "X", problem)
    text = re.sub(r"'(?!keras\.)[^']*'", "'…'", text)  # names masked; the Keras layer a message names kept
    return re.sub(r"\b\d[\d,]*\b", "N", text)[:200]


def causes(problems: list[str]) -> list[str]:
    """The kinds of the disagreements that are causes: an incomplete model, a count of None, a row of None are
    consequences of the problem (PRM code) listed with them."""
    consequence = re.compile(r": (incomplete|\w+ None, Keras \d+)$|: rows \[(.*None.*)?\], Keras")
    out = []
    for p in problems:
        if consequence.search(p):
            continue
        if ": problems: " in p:
            out += [kind_of("problem " + c) for c in re.split(r"; (?=PRM\d{3} line)", p.split(": problems: ", 1)[1])]
        else:
            out.append(kind_of(p))
    return sorted(set(out)) or sorted({kind_of(p) for p in problems})


def _still_fails(case: Case, want: str) -> bool:
    try:
        facts = keras_facts(case)
    except Exception:
        return False
    return want in causes(compare(case, facts))


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _without_statement(case: Case, index: int) -> Case:
    """The case without the line at ``index`` and the lines indented under it (a def's or a loop's body)."""
    lines = case.source.split("\n")
    end = index + 1
    while end < len(lines) and lines[end].strip() and _indent(lines[end]) > _indent(lines[index]):
        end += 1
    first, gone = index + 1, end - index  # 1-based first line removed, how many

    def shift(line: int) -> int:
        return line - gone if line >= first + gone else line
    parts = [replace(p, line=shift(p.line)) for p in case.parts if not first <= p.line < first + gone]
    return replace(case, source="\n".join(lines[:index] + lines[end:]), line=shift(case.line), parts=parts)


def reduce(case: Case, want: str, budget: int = 200) -> Optional[Case]:
    """A shorter source with the disagreement ``want`` (one of ``causes``) still there: lines dropped one at a time
    while Keras still builds the model and paramlint still disagrees that way. None: nothing could go."""
    best = case
    changed = True
    while changed and budget > 0:
        changed = False
        for index in range(len(best.source.split("\n")) - 1, -1, -1):
            if index + 1 == best.line or budget <= 0:
                continue
            budget -= 1
            candidate = _without_statement(best, index)
            if _still_fails(candidate, want):
                best, changed = candidate, True
    return best if best.source.strip() != case.source.strip() else None
