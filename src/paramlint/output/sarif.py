"""SARIF 2.1.0 for GitHub code scanning and review bots; the rules come from the one code registry."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Iterable, Optional
from urllib.parse import quote

from .. import __version__
from ..lint.codes import CODES, Code
from ..lint.report import Diagnostic, FileReport, ModelReport
from .common import NO_CELLS, CellMap, Cells, findings

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "note": "note"}
FINGERPRINT = "paramlint/v1"


def rule(code: Code) -> dict[str, Any]:
    """One ``rules[]`` entry: id = the code (stable), name = the rule name, docs from the registry."""
    help_text = f"What it does: {code.what}\nWhy: {code.why}\nExample:\n{code.example}"
    help_md = f"**What it does**: {code.what}\n\n**Why**: {code.why}\n\n**Example**\n\n```python\n{code.example}\n```"
    return {
        "id": code.code,
        "name": code.rule,
        "shortDescription": {"text": code.what},
        "fullDescription": {"text": f"{code.what} {code.why}"},
        "help": {"text": help_text, "markdown": help_md},
        "defaultConfiguration": {"level": LEVELS[code.severity], "enabled": code.when != "opt-in"},
        "properties": {"tags": [code.rule, f"{code.code[:4]}xx"]},
    }


def relative_uri(path: str, root: Path) -> tuple[str, Optional[str]]:
    """A URI relative to the repository root (with the ``%SRCROOT%`` base), or an absolute file URI outside it."""
    resolved = Path(path).resolve()
    try:
        rel = resolved.relative_to(root.resolve())
    except ValueError:
        return resolved.as_uri(), None
    return quote(rel.as_posix()), "%SRCROOT%"


def fingerprint(code: str, uri: str, model: Optional[ModelReport], d: Diagnostic, seen: dict[str, int]) -> str:
    """Stable across moved lines and changing counts: the code, the file, the model and the layer, not the numbers."""
    layer = str(d.fields.get("layer", "")) if d.fields else ""
    key = "\x1f".join((code, uri, model.name if model else "", layer))
    n = seen.get(key, 0)
    seen[key] = n + 1
    return hashlib.sha256(f"{key}\x1f{n}".encode()).hexdigest()[:32]


def _location(uri: str, base: Optional[str], line: Optional[int], column: Optional[int], cell_map: Optional[CellMap]) -> dict[str, Any]:
    artifact: dict[str, Any] = {"uri": uri}
    if base:
        artifact["uriBaseId"] = base
    physical: dict[str, Any] = {"artifactLocation": artifact}
    if line and cell_map is None:
        physical["region"] = {"startLine": line, "startColumn": max(column or 1, 1)}
    elif line and cell_map is not None:  # a notebook's lines are not lines of its JSON file: the region names the cell
        cell, in_cell = cell_map.locate(line)
        physical["region"] = {"message": {"text": f"cell {cell}, line {in_cell}"},
                              "properties": {"cell": cell, "lineInCell": in_cell, "columnInCell": max(column or 1, 1)}}
    return {"physicalLocation": physical}


def _message(text: str, path: str, line: int, cells: Cells) -> str:
    cell_map = cells.get(path)
    if cell_map is None:
        return text
    cell, in_cell = cell_map.locate(line)
    return f"cell {cell}, line {in_cell}: {text}"


def to_data(reports: Iterable[FileReport], root: Path, cells: Cells = NO_CELLS) -> dict[str, Any]:
    index = {c.code: i for i, c in enumerate(CODES)}
    results: list[dict[str, Any]] = []
    notifications: list[dict[str, Any]] = []
    for report in reports:
        uri, base = relative_uri(report.path, root)
        cell_map = cells.get(report.path)
        seen: dict[str, int] = {}
        if report.error is not None:
            notifications.append({
                "level": "error",
                "message": {"text": f"{report.path}: {_message(report.error, report.path, report.error_line or 1, cells)}"},
                "locations": [_location(uri, base, report.error_line, 1, cell_map)],
            })
        for model, d in findings(report):
            code = next(c for c in CODES if c.code == d.code)
            result: dict[str, Any] = {
                "ruleId": d.code,
                "ruleIndex": index[d.code],
                "level": LEVELS[code.severity],
                "message": {"text": _message(d.message, report.path, d.line, cells)},
                "locations": [_location(uri, base, d.line, d.column, cell_map)],
                "partialFingerprints": {FINGERPRINT: fingerprint(d.code, uri, model, d, seen)},
            }
            if model is not None:
                result["properties"] = {"model": model.name, "framework": model.framework, "total": model.total}
            results.append(result)
    run: dict[str, Any] = {
        "tool": {"driver": {
            "name": "paramlint", "version": __version__, "semanticVersion": __version__,
            "rules": [rule(c) for c in CODES],
        }},
        "originalUriBaseIds": {"%SRCROOT%": {"uri": root.resolve().as_uri().rstrip("/") + "/"}},
        "columnKind": "unicodeCodePoints",
        "invocations": [{"executionSuccessful": True, "toolExecutionNotifications": notifications}],
        "results": results,
    }
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def render(reports: Iterable[FileReport], root: Path, cells: Cells = NO_CELLS) -> str:
    return json.dumps(to_data(reports, root, cells), indent=2) + "\n"
