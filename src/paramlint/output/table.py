"""A Keras-summary-like table per model: Layer (type), Output Shape, Param #, Formula."""
from __future__ import annotations

from typing import Iterable, Optional

from ..engine.spec import show_shape
from ..engine.stack import Row
from ..lint.report import FileReport, ModelReport


def _n(value: Optional[int]) -> str:
    return "?" if value is None else f"{value:,}"


def _rows(rows: list[Row], indent: str = "") -> list[tuple[str, str, str, str]]:
    out = []
    for r in rows:
        shape = "?" if r.output_shape is None else show_shape(r.output_shape)
        out.append((f"{indent}{r.name} ({r.type})", shape, _n(r.params), r.formula or "--"))
        out.extend(_rows(r.children, indent + "  "))
    return out


def render_model(path: str, m: ModelReport) -> str:
    head = f"{path}:{m.line}: {m.framework} Sequential '{m.name}'"
    cells = [("Layer (type)", "Output Shape", "Param #", "Formula")] + _rows(m.rows)
    widths = [max(len(c[i]) for c in cells) for i in range(4)]
    rule = "-" * (sum(widths) + 6)
    lines = [head, rule]
    for i, c in enumerate(cells):
        lines.append(f"{c[0]:<{widths[0]}}  {c[1]:<{widths[1]}}  {c[2]:>{widths[2]}}  {c[3]}")
        if i == 0:
            lines.append(rule)
    lines.append(rule)
    lines.append(f"Total params: {_n(m.total)}")
    lines.append(f"Trainable params: {_n(m.trainable)}")
    lines.append(f"Non-trainable params: {_n(m.non_trainable)}")
    if not m.complete:
        lines.append("Incomplete: the count is not exact, because:")
    for p in m.problems:
        lines.append(f"  {p.code} line {p.line}: {p.message}")
    for a in m.assumptions:
        lines.append(f"  assumed: {a}")
    return "\n".join(lines) + "\n"


def render(reports: Iterable[FileReport]) -> str:
    parts = []
    for report in reports:
        if report.error is not None:
            parts.append(f"{report.path}:{report.error_line or 0}: error: {report.error}\n")
        for n in report.notes:
            parts.append(f"{report.path}:{n.line}: {n.code} {n.message}\n")
        parts.extend(render_model(report.path, m) for m in report.models)
    return "\n".join(parts)
