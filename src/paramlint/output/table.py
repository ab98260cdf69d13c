"""The summary table, one per model, read like Keras' ``model.summary()`` and torchinfo, fit to 80 columns."""
from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from typing import Iterable, Sequence

from ..engine.spec import show_shape
from ..engine.stack import Row
from ..lint.report import FileReport, ModelReport
from .common import NO_CELLS, Cells, findings, known_sum, leaves, memory, number, status, where

BAR_CELLS = 8
EIGHTHS = " ▏▎▍▌▋▊▉█"
HEAVY = 0.25  # a layer holding at least this share of the model is drawn in bold
_LONG_NUMBER = re.compile(r"(?<![\d.,])\d{4,}(?![\d.,])")


@dataclass(frozen=True)
class Style:
    """How the table is drawn: width, colour and whether the terminal takes Unicode."""

    width: int = 80
    color: bool = False
    unicode: bool = True
    explain: bool = False

    def paint(self, text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.color and text.strip() else text

    @property
    def ellipsis(self) -> str:
        return "…" if self.unicode else "~"


def fit(text: str, width: int, style: Style) -> str:
    """Cut ``text`` to ``width`` columns, marking the cut, so a long name never breaks the layout."""
    if len(text) <= width:
        return text
    return text[: max(width - 1, 0)] + style.ellipsis


def bar(share: float, style: Style) -> str:
    """A horizontal bar of BAR_CELLS cells; eighth blocks on Unicode terminals, '#' otherwise."""
    if not style.unicode:
        return ("#" * max(round(share * BAR_CELLS), 1 if share > 0 else 0)).ljust(BAR_CELLS)
    eighths = max(round(share * BAR_CELLS * 8), 1 if share > 0 else 0)  # a non-zero layer is never invisible
    full, part = divmod(eighths, 8)
    return ("█" * full + (EIGHTHS[part] if part else "")).ljust(BAR_CELLS)


def share_cell(row: Row, base: int, style: Style) -> str:
    if row.children:
        return "--"
    if row.params is None:
        return "?"
    if row.params == 0 or base <= 0:
        return "--"
    share = row.params / base
    return f"{bar(share, style)} {share * 100:5.1f}%"


def _cells(m: ModelReport, style: Style) -> list[tuple[int, Row, list[str]]]:
    counted, _ = known_sum(m.rows)
    base = m.total if m.total is not None else counted
    out = []
    for depth, row in leaves(m.rows):
        label = f"{'  ' * depth}{row.name} ({row.type})"
        shape = "?" if row.output_shape is None else show_shape(row.output_shape)
        params = "--" if row.children else number(row.params)
        out.append((depth, row, [label, shape, params, share_cell(row, base, style), group_digits(row.formula) or "--"]))
    return out


def _widths(header: Sequence[str], rows: list[list[str]], style: Style) -> list[int]:
    """Natural widths, then squeeze until the table fits: names are cut first, then the formula wraps, then shapes are cut."""
    ncols = 5 if style.explain else 4
    widths = [max(len(r[i]) for r in [list(header), *rows]) for i in range(ncols)]
    floors = {4: 16, 0: 16, 1: 12}
    for col in (0, 4, 1):  # names are cut before a formula wraps (it reads best on one line), shapes last
        excess = sum(widths) + 2 * (ncols - 1) - style.width
        if excess <= 0:
            break
        if col < ncols:
            widths[col] = max(min(floors[col], widths[col]), widths[col] - excess)
    return widths


def _line(cells: Sequence[str], widths: Sequence[int], style: Style) -> list[str]:
    """One table row; an explained formula wraps inside its own column instead of widening the table."""
    name, shape, params, share = (fit(cells[i], widths[i], style) for i in range(4))
    head = f"{name:<{widths[0]}}  {shape:<{widths[1]}}  {params:>{widths[2]}}  {share:<{widths[3]}}"
    if not style.explain:
        return [head.rstrip()]
    wrapped = wrap_formula(cells[4], widths[4])
    pad = " " * (sum(widths[:4]) + 8)
    return [f"{head}  {wrapped[0]}".rstrip()] + [(pad + more).rstrip() for more in wrapped[1:]]


def wrap_formula(formula: str, width: int) -> list[str]:
    """One line when it fits; else a composite formula (parts joined by '; ') one part a line, each part
    wrapped at the ' = ' before its result first, so a result is never split from its sign."""
    if len(formula) <= width:
        return [formula]
    lines: list[str] = []
    for part in formula.split("; "):
        lhs, sep, rhs = part.rpartition(" = ")
        pieces = [lhs, "= " + rhs] if sep and len(part) > width else [part]
        lines += [line for piece in pieces for line in textwrap.wrap(piece, width, break_on_hyphens=False)]
    return lines or [""]


def group_digits(formula: str) -> str:
    """Thousands separators on every number of a formula, not only on its result: 1,024 * 4,096 = 4,194,304."""
    return _LONG_NUMBER.sub(lambda m: f"{int(m.group()):,}", formula)


KIND_WORDS = {"sequential": "Sequential", "module": "module", "functional": "functional model", "subclass": "subclassed model"}


def render_model(path: str, m: ModelReport, style: Style = Style(), cells: Cells = NO_CELLS, whole: str = "") -> str:
    """One model's table; ``whole`` names the model it is part of, if any."""
    header = ["Layer (type)", "Output Shape", "Param #", "Share", "Formula"]
    body = _cells(m, style)
    widths = _widths(header, [c for _, _, c in body], style)
    full = sum(widths) + 2 * (len(widths) - 1)
    place = f"  {m.framework} {KIND_WORDS.get(m.kind, m.kind)} at {where(path, m.line, cells)}"
    if whole:
        place += f', part of "{fit(whole, 20, style)}"'

    lines = [f'Model: "{fit(m.name, max(style.width - len(place) - 9, 16), style)}"{place}']
    lines += ["=" * full, *_line(header, widths, style), "=" * full]
    counted, missing = known_sum(m.rows)
    base = m.total if m.total is not None else counted
    for _, row, cells_ in body:
        text = _line(cells_, widths, style)
        heavy = row.params is not None and not row.children and base > 0 and row.params / base >= HEAVY
        if heavy:
            text = [style.paint(t, "1") for t in text]
        elif row.params is None and not row.children:
            text = [style.paint(t, "33") for t in text]
        lines += text
    lines.append("=" * full)
    lines += _totals(m, counted, missing)
    lines += _explain_problems(path, m, cells, style)
    return "\n".join(lines) + "\n"


def _totals(m: ModelReport, counted: int, missing: int) -> list[str]:
    if m.total is None:
        layers = "layer" if missing == 1 else "layers"
        out = [f"Total params: ? (the counted layers hold {counted:,}; {missing} {layers} not counted)"]
    else:
        out = [f"Total params: {m.total:,} ({memory(m.total)} as float32)"]
    out.append("Trainable params: ?" if m.trainable is None else f"Trainable params: {m.trainable:,} ({memory(m.trainable)})")
    out.append("Non-trainable params: ?" if m.non_trainable is None else f"Non-trainable params: {m.non_trainable:,} ({memory(m.non_trainable)})")
    for label, budget, value in (("Budget", m.budget, m.total), ("Trainable budget", m.budget_trainable, m.trainable)):
        if budget is None:
            continue
        if value is None:
            out.append(f"{label}: {budget:,} (cannot be checked: the count is incomplete)")
        elif value > budget:
            out.append(f"{label}: {budget:,} (over by {value - budget:,})")
        else:
            used = f"{value / budget:.0%} used" if budget else "0% used"
            out.append(f"{label}: {budget:,} ({used})")
    return out


def _explain_problems(path: str, m: ModelReport, cells: Cells, style: Style) -> list[str]:
    out: list[str] = []
    if not m.complete:
        out.append(style.paint("Not counted exactly, because:", "33"))
    elif m.problems:
        out.append(style.paint(f"Problems ({status(m)}):", "31"))
    for p in m.problems:
        out += textwrap.wrap(f"{where(path, p.line, cells)}: {p.code} {p.message}", style.width,
                             initial_indent="  ", subsequent_indent="      ", break_on_hyphens=False)
    if m.output_shape is None and m.input_shape is None and m.framework == "torch" and m.rows:
        out.append("Output shapes: add '# paramlint: input-shape=(C, H, W)' to see them.")
    for a in m.assumptions:
        out.append(f"Assumed: {a}")
    return out


def _file_problems(report: FileReport, style: Style, cells: Cells) -> list[str]:
    """The file's own error and the diagnostics that belong to no model, one block each."""
    parts: list[str] = []
    if report.error is not None:
        text = f"{where(report.path, report.error_line, cells)}: error: {report.error}"
        wrapped = textwrap.wrap(text, style.width, subsequent_indent="    ", break_on_hyphens=False)
        parts.append("\n".join(style.paint(t, "31") for t in wrapped) + "\n")
    for model, note in findings(report):
        if model is None:
            parts.append(f"{where(report.path, note.line, cells)}: {note.code} {note.message}\n")
    return parts


def render_errors(reports: Iterable[FileReport], style: Style = Style(), cells: Cells = NO_CELLS) -> str:
    """Files that could not be read or parsed and file-level diagnostics: what the command line writes to stderr."""
    return "".join(part for report in reports for part in _file_problems(report, style, cells))


def render(reports: Iterable[FileReport], style: Style = Style(), cells: Cells = NO_CELLS, errors: bool = True) -> str:
    """Every model's summary and the closing line; with ``errors``, file problems too, in file order."""
    parts: list[str] = []
    statuses: dict[str, int] = {}
    files = unreadable = 0
    for report in reports:
        files += 1
        unreadable += report.error is not None
        if errors:
            parts += _file_problems(report, style, cells)
        for m in report.models:
            statuses[status(m)] = statuses.get(status(m), 0) + 1
            whole = report.models[m.part_of].name if m.part_of is not None else ""
            parts.append(render_model(report.path, m, style, cells, whole))
    parts.append("\n".join(textwrap.wrap(summary_line(statuses, files, unreadable), style.width)) + "\n")
    return "\n".join(parts)


def summary_line(statuses: dict[str, int], files: int, unreadable: int) -> str:
    """The last line: how many models, and how many of them need attention."""
    models = sum(statuses.values())
    text = f"{models} model{'s' * (models != 1)} in {files} file{'s' * (files != 1)}"
    details = [f"{statuses[s]} {s}" for s in ("over-budget", "inconsistent", "incomplete") if statuses.get(s)]
    if unreadable:
        details.append(f"{unreadable} file{'s' * (unreadable != 1)} not analysed")
    return text + (": " + ", ".join(details) if details else "") + ".\n"


def render_quiet(reports: Sequence[FileReport], style: Style = Style(), cells: Cells = NO_CELLS) -> str:
    """Only the models with findings, each with its count against its budget: what a pre-commit hook shows."""
    out: list[str] = []
    for report in reports:
        shown = findings(report)
        for m in report.models:
            mine = [d for model, d in shown if model is m]
            if mine:
                out.append(f"{where(report.path, m.line, cells)}: model '{m.name}': {against_budget(m)}")
                out += [f"  {where(report.path, d.line, cells)}: {d.code} {d.message}" for d in mine]
    if not out:
        return ""
    statuses: dict[str, int] = {}
    for m in (m for r in reports for m in r.models):
        statuses[status(m)] = statuses.get(status(m), 0) + 1
    return "\n".join(out) + "\n" + summary_line(statuses, len(reports), sum(r.error is not None for r in reports))


def against_budget(m: ModelReport) -> str:
    """``1,001,000 parameters (budget 100,000, over by 901,000)``; a count that is not exact says so."""
    text = "? parameters (not counted exactly)" if m.total is None else f"{m.total:,} parameters"
    notes = []
    for label, budget, value in (("budget", m.budget, m.total), ("trainable budget", m.budget_trainable, m.trainable)):
        if budget is not None:
            verdict = "cannot be checked" if value is None else f"over by {value - budget:,}" if value > budget else "within"
            notes.append(f"{label} {budget:,}: {verdict}")
    return text + (f" ({'; '.join(notes)})" if notes else "")
