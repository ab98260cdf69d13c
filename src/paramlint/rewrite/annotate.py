"""``paramlint annotate``: each layer's count and output shape in a trailing comment, the model's totals on its line."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Optional

from ..engine.spec import show_shape
from ..engine.stack import Row
from ..lint.report import FileReport, ModelReport
from ..output.common import leaves
from .edits import Edit, Replace
from .own import MARK, own_text, with_annotation
from .slots import Slot
from .text import Line


@dataclass(frozen=True)
class Stale:
    """A line whose annotation is not the one the current counts give (None: there is none / there should be none)."""

    line: int
    found: Optional[str]
    wanted: Optional[str]


def wanted(report: FileReport, explain: bool = False) -> dict[int, str]:
    """The annotation each line should carry: model totals on model lines, else the exact rows on that line."""
    totals: dict[int, dict[int, set[tuple[str, str]]]] = {}
    rows: dict[int, dict[int, set[tuple[str, str]]]] = {}
    for model in report.models:
        if model.total is not None:
            totals.setdefault(model.line, {}).setdefault(model.column, set()).add(("", total_text(model)))
        for row in _visible(model.rows, exact_rows(model)):
            rows.setdefault(row.line, {}).setdefault(row.column, set()).add((row.type, row_text(row, explain)))
    out: dict[int, str] = {}
    for line in sorted(set(totals) | set(rows)):
        entries = _one_per_column(totals.get(line) or rows[line])
        if entries is None:
            continue  # a helper's line used with different arguments: no one number is right there
        if len(entries) == 1:
            out[line] = entries[0][1]
        else:
            out[line] = "; ".join(f"{kind} {text}".strip() for kind, text in entries)
    return out


def _one_per_column(columns: dict[int, set[tuple[str, str]]]) -> Optional[list[tuple[str, str]]]:
    if any(len(entries) != 1 for entries in columns.values()):
        return None
    return [next(iter(columns[c])) for c in sorted(columns)]


def exact_rows(model: ModelReport) -> set[int]:
    """The ``id`` of each row whose count is exact.

    A row of an incomplete model may rest on a guess about what came before it (a layer added
    under an undecided branch changes the next layer's input): only the rows that precede every
    problem, in both line and model order, are certain.
    """
    flat = [row for _, row in leaves(model.rows)]
    if model.total is not None:
        return {id(row) for row in flat if row.params is not None}
    first_problem = min((p.line for p in model.problems), default=0)
    exact: set[int] = set()
    last = model.line
    for row in flat:
        if row.params is None or row.line < last or row.line >= first_problem:
            break
        exact.add(id(row))
        last = row.line
    return exact


def _visible(rows: list[Row], exact: set[int], parent_line: Optional[int] = None) -> Iterator[Row]:
    """Exact rows, except those on the same line as their container (its count covers them), and reused instances."""
    for row in rows:
        if id(row) in exact and row.line != parent_line and row.shared_with is None:
            yield row
        yield from _visible(row.children, exact, row.line)


def total_text(model: ModelReport) -> str:
    assert model.total is not None
    text = f"total {model.total:,} params"
    if model.trainable is not None and model.non_trainable:
        text += f" ({model.trainable:,} trainable, {model.non_trainable:,} non-trainable)"
    elif model.trainable is not None:
        text += " (all trainable)"
    if model.assumptions:
        text += ", with default arguments"
    return text


def row_text(row: Row, explain: bool) -> str:
    assert row.params is not None
    parts = [f"{row.params:,} params"]
    if row.output_shape is not None:
        parts.append(show_shape(row.output_shape))
    if explain and row.formula:
        parts.append(" ".join(row.formula.split()))
    return ", ".join(parts)


def plan(lines: list[Line], slots: dict[int, Slot], want: dict[int, str]) -> tuple[list[Edit], list[Stale]]:
    """The edits that make every line's annotation the wanted one; a user's comment is kept and ours follows it."""
    edits: list[Edit] = []
    stale: list[Stale] = []
    for number, slot in sorted(slots.items()):
        if slot.comment_only:
            continue
        content = lines[number - 1][0]
        tail = content[slot.code_end:]
        found = own_text(tail, slot.comment)
        target = want.get(number)
        if found == target:
            continue
        edits.append(Replace(number, slot.code_end, len(content), with_annotation(tail, slot.comment, target)))
        stale.append(Stale(number, found, target))
    return edits, stale


def needs_slots(source: str, want: dict[int, str]) -> bool:
    """Whether anything could change: libcst is only needed then."""
    return bool(want) or MARK.rstrip() in source
