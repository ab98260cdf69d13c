"""Diagnostics a reader asked not to see: ``# noqa`` comments and select / ignore, decided as flake8 decides."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional, Sequence

from .report import Diagnostic, FileReport
from .settings import SettingError

# flake8's own pattern: "# noqa" alone silences every code on its line; "# noqa: PRM101, PRM2" those codes.
_NOQA = re.compile(r"#\s*noqa(?::[\s]?(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?", re.IGNORECASE)
_CODE = re.compile(r"[A-Z]+[0-9]+", re.IGNORECASE)


def noqa_codes(line: str) -> Optional[tuple[str, ...]]:
    """None: no noqa on the line; (): a bare noqa (every code); else the code prefixes it names."""
    match = _NOQA.search(line)
    if match is None:
        return None
    codes = match.group("codes")
    return tuple(c.upper() for c in _CODE.findall(codes)) if codes else ()


def silenced(diag: Diagnostic, lines: Sequence[str]) -> bool:
    """Whether the line the diagnostic is reported on carries a ``# noqa`` that covers its code."""
    if not 1 <= diag.line <= len(lines):
        return False
    codes = noqa_codes(lines[diag.line - 1])
    return codes is not None and (codes == () or diag.code.startswith(codes))


@dataclass(frozen=True)
class Selection:
    """``--select`` / ``--ignore`` / ``--extend-select``: a code is reported when the longest select prefix
    matching it is longer than the longest ignore prefix matching it (flake8's rule); by default all are."""

    select: Optional[tuple[str, ...]] = None
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()

    def chosen(self, code: str) -> bool:
        default = 0 if self.select is None else -1  # without --select every code is selected, least specifically
        picked = max([default] + [len(p) for p in (*(self.select or ()), *self.extend_select) if code.startswith(p)])
        dropped = max([-1] + [len(p) for p in self.ignore if code.startswith(p)])
        return picked > dropped


def parse_codes(text: Optional[str], option: str) -> tuple[str, ...]:
    """``PRM101,PRM3`` -> ("PRM101", "PRM3"); a value that is not a list of codes is refused, echoed."""
    if text is None:
        return ()
    items = [item.strip().upper() for item in re.split(r"[,\s]+", text) if item.strip()]
    bad = [item for item in items if not re.fullmatch(r"[A-Z]+[0-9]*", item)]
    if bad:
        raise SettingError(f"expected a comma-separated list of codes or prefixes such as PRM101,PRM3. Received: {option}={text}")
    return tuple(items)


def apply(report: FileReport, lines: Optional[Sequence[str]], selection: Selection) -> None:
    """Drop, in place, the diagnostics silenced by a ``# noqa`` on their line or not chosen by the selection."""

    def keep(diag: Diagnostic) -> bool:
        return diag.code == "PRM000" or (selection.chosen(diag.code) and not (lines is not None and silenced(diag, lines)))

    report.notes[:] = [d for d in report.notes if keep(d)]
    for model in report.models:
        model.problems[:] = [d for d in model.problems if keep(d)]
