"""GitHub-flavoured Markdown for pull-request comments: one row per model, the layers in a collapsible block."""
from __future__ import annotations

import html
import re
from typing import Iterable, Optional

from ..engine.spec import show_shape
from ..lint.report import FileReport, ModelReport
from .common import NO_CELLS, Cells, findings, known_sum, leaves, number, status, where

MARKS = {"ok": "✅ ok", "over-budget": "❌ over budget", "inconsistent": "❌ inconsistent", "incomplete": "⚠️ incomplete"}


def cell(text: str) -> str:
    """Text safe inside a table cell: no HTML, no pipes, no line breaks, no stray emphasis."""
    escaped = html.escape(text, quote=False).replace("|", "\\|").replace("\n", " ")
    for char in "*`[]":
        escaped = escaped.replace(char, "\\" + char)
    return re.sub(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])", r"\\_", escaped)  # GFM ignores underscores inside words


def code(text: str) -> str:
    """Inline code that survives backticks and pipes in the text."""
    text = text.replace("|", "\\|").replace("\n", " ")
    fence = "``" if "`" in text else "`"
    return f"{fence} {text} {fence}" if fence == "``" else f"`{text}`"


def budget_text(m: ModelReport) -> str:
    parts = []
    if m.budget is not None:
        parts.append(f"{m.budget:,}")
    if m.budget_trainable is not None:
        parts.append(f"{m.budget_trainable:,} trainable")
    return ", ".join(parts) or "--"


def summary_table(items: list[tuple[str, ModelReport]], cells: Cells) -> list[str]:
    lines = [
        "| Model | Location | Framework | Total | Trainable | Budget | Status |",
        "| --- | --- | --- | ---: | ---: | ---: | --- |",
    ]
    for path, m in items:
        lines.append(
            f"| {code(m.name)} | {code(where(path, m.line, cells))} | {m.framework} | {number(m.total)} | "
            f"{number(m.trainable)} | {budget_text(m)} | {MARKS[status(m)]} |"
        )
    return lines


def details(path: str, m: ModelReport, cells: Cells) -> list[str]:
    counted, missing = known_sum(m.rows)
    base = m.total if m.total is not None else counted
    total = number(m.total) if m.total is not None else f"? ({counted:,} counted, {missing} not)"
    head = f"<summary><code>{html.escape(m.name)}</code> ({html.escape(where(path, m.line, cells))}): {total} parameters</summary>"
    lines = ["<details>", head, "", "| Layer | Type | Output shape | Param # | Share | Formula |", "| --- | --- | --- | ---: | ---: | --- |"]
    for depth, row in leaves(m.rows):
        indent = "&nbsp;&nbsp;" * depth
        shape = "?" if row.output_shape is None else show_shape(row.output_shape)
        params = "--" if row.children else number(row.params)
        share = _share(row.params, base) if not row.children else "--"
        formula = code(row.formula) if row.formula else "--"
        lines.append(f"| {indent}{cell(row.name)} | {cell(row.type)} | {shape} | {params} | {share} | {formula} |")
    lines.append("")
    lines.append(
        f"Total {number(m.total)}, trainable {number(m.trainable)}, non-trainable {number(m.non_trainable)}."
    )
    problems = [p for p in m.problems]
    if problems:
        lines.append("")
        lines.extend(f"- {code(p.code)} {code(where(path, p.line, cells))}: {cell(p.message)}" for p in problems)
    lines += ["", "</details>", ""]
    return lines


def _share(params: Optional[int], base: int) -> str:
    if params is None:
        return "?"
    if not params or base <= 0:
        return "--"
    return f"{params / base:.1%}"


def render(reports: Iterable[FileReport], cells: Cells = NO_CELLS) -> str:
    reports = list(reports)
    items = [(r.path, m) for r in reports for m in r.models]
    counts = {s: sum(1 for _, m in items if status(m) == s) for s in MARKS}
    attention = [f"{n} {s.replace('-', ' ')}" for s, n in counts.items() if n and s != "ok"]
    title = f"### paramlint: {len(items)} model{'s' * (len(items) != 1)}"
    lines = [title + (f" ({', '.join(attention)})" if attention else ""), ""]
    if items:
        lines += summary_table(items, cells) + [""]
        for path, m in items:
            lines += details(path, m, cells)
    errors = [(r.path, r.error, r.error_line) for r in reports if r.error is not None]
    notes = [(r.path, n) for r in reports for model, n in findings(r) if model is None]
    if errors or notes:
        lines.append("**Files not fully analysed**")
        lines.append("")
        lines.extend(f"- {code(where(p, line, cells))}: {cell(e or '')}" for p, e, line in errors)
        lines.extend(f"- {code(where(p, n.line, cells))}: {code(n.code)} {cell(n.message)}" for p, n in notes)
        lines.append("")
    return "\n".join(lines)
