"""The JSON contract (version 1): add keys, never rename or remove them."""
from __future__ import annotations

import json
from typing import Any, Iterable, Mapping, Optional

from ..engine.stack import Row
from ..engine.values import Shape
from ..lint.report import Diagnostic, FileReport, ModelReport
from .common import NO_CELLS, CellMap

VERSION = 1


def batch_shape(shape: Optional[Shape]) -> Optional[list[Optional[int]]]:
    """Shapes as the frameworks print them: the batch dimension first, as null."""
    return None if shape is None else [None, *shape]


def row_dict(row: Row) -> dict[str, Any]:
    out: dict[str, Any] = {
        "index": row.index, "name": row.name, "type": row.type, "line": row.line, "column": row.column,
        "output_shape": batch_shape(row.output_shape), "params": row.params, "trainable": row.trainable,
        "non_trainable": row.non_trainable, "formula": row.formula,
    }
    if row.shared_with is not None:
        out["shared_with"] = row.shared_with
    if row.declared:  # the count is the user's declaration (a params directive), not paramlint's
        out["declared"] = True
    if row.children:
        out["layers"] = [row_dict(c) for c in row.children]
    return out


def problem_dict(d: Diagnostic) -> dict[str, Any]:
    return {"code": d.code, "line": d.line, "column": d.column, "message": d.message}


def model_dict(path: str, m: ModelReport) -> dict[str, Any]:
    return {
        "path": path, "line": m.line, "column": m.column, "name": m.name, "framework": m.framework,
        "kind": m.kind, "part_of": m.part_of,
        "complete": m.complete, "total": m.total, "trainable": m.trainable, "non_trainable": m.non_trainable,
        "budget": m.budget, "budget_trainable": m.budget_trainable,
        "input_shape": batch_shape(m.input_shape), "output_shape": batch_shape(m.output_shape),
        "layers": [row_dict(r) for r in m.rows],
        "problems": [problem_dict(p) for p in m.problems],
        "assumptions": list(m.assumptions),
    }


def in_cells(item: dict[str, Any], cell_map: CellMap) -> dict[str, Any]:
    """Notebook locations: ``cell`` (1-based, counting every cell) is added and ``line`` becomes the line in that cell."""
    line = item.get("line")
    if isinstance(line, int):
        item["cell"], item["line"] = cell_map.locate(line)
    for key in ("layers", "problems"):
        for child in item.get(key, ()):
            in_cells(child, cell_map)
    return item


def to_data(reports: Iterable[FileReport], cells: Mapping[str, CellMap] = NO_CELLS) -> dict[str, Any]:
    models: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    notes: list[dict[str, Any]] = []
    for report in reports:
        cell_map = cells.get(report.path)
        mine = [model_dict(report.path, m) for m in report.models]
        if report.error is not None:
            errors.append({"path": report.path, "line": report.error_line, "message": report.error})
        file_notes = [{"path": report.path, **problem_dict(n)} for n in report.notes]
        if cell_map is not None:
            for item in (*mine, *file_notes, *(errors[-1:] if report.error is not None else [])):
                in_cells(item, cell_map)
        models.extend(mine)
        notes.extend(file_notes)
    return {"version": VERSION, "models": models, "errors": errors, "notes": notes}


def render(reports: Iterable[FileReport], cells: Mapping[str, CellMap] = NO_CELLS) -> str:
    return json.dumps(to_data(reports, cells), indent=2) + "\n"
