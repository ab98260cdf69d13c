"""``paramlint baseline``: a ``# paramlint: budget=...`` directive per outermost model, its count plus a margin."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Optional

from ..lint.directives import read_directive, source_lines
from ..lint.report import FileReport, ModelReport
from ..lint.settings import SettingError, parse_count
from .edits import Edit, Insert, Replace
from .slots import Slot
from .text import INDENT, Line

_DIRECTIVE = re.compile(r"#\s*paramlint:[ \t]*", re.IGNORECASE)
_BUDGET_ITEM = re.compile(r"(?<![\w-])budget\s*=\s*(?P<value>[^,\s#]+)", re.IGNORECASE)
_MARGIN = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*%\s*$")
_SUFFIXES = (("B", 10**9), ("M", 10**6), ("k", 10**3))


def parse_margin(text: str) -> Fraction:
    """``10%`` -> 1/10. Anything else is refused, echoing the value."""
    match = _MARGIN.match(text)
    if not match:
        raise SettingError(f"expected a share such as 10% or 0%. Received: --margin={text}")
    return Fraction(match.group(1)) / 100


def budget_for(count: int, margin: Fraction, digits: int) -> int:
    """``count`` plus ``margin``, rounded up to ``digits`` significant digits: never below the count."""
    value = -(-count * (1 + margin) // 1)
    value = int(value)
    excess = len(str(value)) - digits
    if excess > 0:
        unit = 10**excess
        value = -(-value // unit) * unit
    return value


def budget_text(value: int) -> str:
    """The shortest spelling ``parse_count`` reads back as exactly ``value``: 70000 -> 70k, 1200000 -> 1.2M."""
    for suffix, scale in _SUFFIXES:
        share = Fraction(value, scale)
        if value >= scale and (share * 1000).denominator == 1:
            whole, rest = divmod(int(share * 1000), 1000)
            text = f"{whole}.{rest:03d}".rstrip("0").rstrip(".") + suffix
            if parse_count(text) == value:
                return text
    return str(value)


@dataclass
class BaselinePlan:
    edits: list[Edit] = field(default_factory=list)
    budgets: dict[int, int] = field(default_factory=dict)  # model index -> the budget its directive will give
    notes: list[tuple[int, str]] = field(default_factory=list)  # (line, why a model got no directive)
    changes: list[tuple[int, str]] = field(default_factory=list)  # (line, what changes), for --check


def plan(report: FileReport, source: str, lines: list[Line], slots: dict[int, Slot],
         margin: Fraction, digits: int, update: bool) -> BaselinePlan:
    """Directives to add (and with ``update``, to move to the current count plus margin)."""
    result = BaselinePlan()
    raw_lines = source_lines(source)  # the lines read_directive reads, exactly as analyze reads them
    taken: set[int] = set()  # lines already edited
    model_lines: set[int] = set()
    for index, model in enumerate(report.models):
        if not model.outermost:
            continue
        directive, error = read_directive(raw_lines, model.line)
        if error is not None:
            why = f"model '{model.name}' has an unreadable directive on line {error[0]}; fix it first"
            result.notes.append((model.line, why))
            continue
        if directive.budget is not None and not update:
            continue
        if model.total is None:
            why = f"model '{model.name}' is not countable exactly{_why(model)}: no budget written"
            result.notes.append((model.line, why))
            continue
        budget = budget_for(model.total, margin, digits)
        if budget == directive.budget:
            continue
        has_budget = directive.budget is not None
        edit = None if model.line in model_lines else _edit(model.line, lines, slots, budget, has_budget, taken)
        if edit is None:
            result.notes.append((model.line, f"model '{model.name}': no line next to it can hold a directive"))
            continue
        taken.add(edit.line)
        model_lines.add(model.line)
        result.edits.append(edit)
        result.budgets[index] = budget
        was = "no budget" if directive.budget is None else f"budget={budget_text(directive.budget)}"
        what = f"model '{model.name}' ({model.total:,} params) has {was}, would get budget={budget_text(budget)}"
        result.changes.append((model.line, what))
    return result


def _why(model: ModelReport) -> str:
    first = next((p for p in model.problems if p.code.startswith("PRM3")), None)
    return f" ({first.code} on line {first.line}: {first.message})" if first else ""


def _edit(line: int, lines: list[Line], slots: dict[int, Slot], budget: int, has_budget: bool,
          taken: set[int]) -> Optional[Edit]:
    """Change the budget in place, add it to a directive already there, or insert a directive line above the model."""
    text = budget_text(budget)
    for number in (line, line - 1) if has_budget else (line - 1, line):
        slot = slots.get(number)
        if slot is None or number in taken or (number != line and not slot.comment_only):
            continue  # a directive at the end of the line above belongs to the model there
        content = lines[number - 1][0]
        start = len(content) - len(slot.comment)
        directive = _DIRECTIVE.search(slot.comment)
        if directive is None:
            continue
        body = slot.comment[directive.end():]
        if has_budget:
            item = _BUDGET_ITEM.search(body.split("#")[0])
            if item is None:
                continue
            at = start + directive.end() + item.start("value")
            return Replace(number, at, at + len(item.group("value")), text)
        at = start + directive.end()
        return Replace(number, at, at, f"budget={text}" + (", " if body.split("#")[0].strip() else ""))
    if has_budget:
        return None
    if line == 1 or line - 1 in slots:
        indent = INDENT.match(lines[line - 1][0])
        return Insert(line, f"{indent.group() if indent else ''}# paramlint: budget={text}")
    return None
