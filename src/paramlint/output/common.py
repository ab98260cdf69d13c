"""What every renderer shares: notebook cell locations, which diagnostics are shown, status, number formats."""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping, Optional

from ..engine.stack import Row
from ..lint.codes import BY_CODE
from ..lint.report import Diagnostic, FileReport, ModelReport

BYTES_PER_PARAM = 4  # float32


@dataclass(frozen=True)
class CellMap:
    """Where the code cells of a notebook sit in the one module paramlint analyses.

    ``starts[i]`` is the first line (1-based) of the i-th code cell in the joined source and
    ``numbers[i]`` its 1-based position among all the notebook's cells, as editors number them.
    """

    starts: tuple[int, ...]
    numbers: tuple[int, ...]

    def locate(self, line: int) -> tuple[int, int]:
        """A line of the joined source as (cell number, 1-based line inside that cell)."""
        i = max(bisect.bisect_right(self.starts, line) - 1, 0)
        return self.numbers[i], line - self.starts[i] + 1


Cells = Mapping[str, CellMap]
NO_CELLS: Cells = MappingProxyType({})


def where(path: str, line: Optional[int], cells: Cells) -> str:
    """``path:line``, or ``path:cell 3:line 2`` inside a notebook."""
    if line is None:
        return path
    cell_map = cells.get(path)
    if cell_map is None:
        return f"{path}:{line}"
    cell, in_cell = cell_map.locate(line)
    return f"{path}:cell {cell}:line {in_cell}"


def shown(model: Optional[ModelReport], diag: Diagnostic) -> bool:
    """The registry decides: "budget" codes only when a budget applies to the model, "opt-in" never here."""
    when = BY_CODE[diag.code].when if diag.code in BY_CODE else "always"
    if when == "opt-in":
        return False
    if when == "budget":
        return model is not None and model.budget_applies
    return True


def findings(report: FileReport) -> list[tuple[Optional[ModelReport], Diagnostic]]:
    """The diagnostics a report puts before its reader, in file order, with the model each belongs to."""
    out: list[tuple[Optional[ModelReport], Diagnostic]] = [(None, n) for n in report.notes if shown(None, n)]
    for model in report.models:
        out.extend((model, p) for p in model.problems if shown(model, p))
    return sorted(out, key=lambda pair: (pair[1].line, pair[1].column, pair[1].code))


def status(model: ModelReport) -> str:
    """One word for a model: over-budget, inconsistent, incomplete or ok (the worst wins)."""
    codes = {p.code[:4] for p in model.problems}
    if "PRM1" in codes:
        return "over-budget"
    if "PRM2" in codes:
        return "inconsistent"
    if not model.complete:
        return "incomplete"
    return "ok"


def number(value: Optional[int]) -> str:
    return "?" if value is None else f"{value:,}"


def memory(params: int) -> str:
    """The weights' size as float32, in binary units that are named."""
    size = float(params * BYTES_PER_PARAM)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:,.0f} {unit}" if unit == "B" else f"{size:,.2f} {unit}"
        size /= 1024
    raise AssertionError("unreachable")


def known_sum(rows: list[Row]) -> tuple[int, int]:
    """The parameters of the rows that were counted, and how many rows were not."""
    total = missing = 0
    for row in rows:
        if row.params is None:
            missing += 1
        else:
            total += row.params
    return total, missing


def leaves(rows: list[Row], depth: int = 0) -> list[tuple[int, Row]]:
    """Rows in display order with their depth; a container is followed by its children."""
    out: list[tuple[int, Row]] = []
    for row in rows:
        out.append((depth, row))
        out.extend(leaves(row.children, depth + 1))
    return out
