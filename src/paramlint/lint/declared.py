"""Declared counts: ``# paramlint: params=23.5M`` on the line of a layer paramlint cannot count stands for it."""
from __future__ import annotations

import io
import re
import tokenize
from typing import Optional, Sequence

from ..engine.findings import Finding, UnknownValue
from ..engine.stack import Row, StackCount
from .settings import SettingError, parse_count

_PARAMS = re.compile(r"#\s*paramlint:[^#]*?\bparams\s*=\s*(?P<value>[^,\s#]+)", re.IGNORECASE)


def declared_counts(lines: Sequence[str]) -> tuple[dict[int, tuple[int, str]], list[tuple[int, str, str]]]:
    """{line: (count, as written)} for every ``params=`` directive, and the unreadable ones as (line, text, reason)."""
    counts: dict[int, tuple[int, str]] = {}
    errors: list[tuple[int, str, str]] = []
    comments: Optional[dict[int, int]] = None
    for number, line in enumerate(lines, 1):
        match = _PARAMS.search(line) if "params" in line else None
        if match is None:
            continue
        comments = _comment_columns(lines) if comments is None else comments
        if number not in comments or match.start() < comments[number]:  # in a string, not a comment
            continue
        try:
            counts[number] = (parse_count(match.group("value"), "params"), match.group("value"))
        except SettingError as exc:
            errors.append((number, f"params={match.group('value')}", str(exc)))
    return counts, errors


def _comment_columns(lines: Sequence[str]) -> dict[int, int]:
    """Where each line's comment starts, as Python's tokenizer sees it."""
    try:
        tokens = tokenize.generate_tokens(io.StringIO("\n".join(lines)).readline)
        return {t.start[0]: t.start[1] for t in tokens if t.type == tokenize.COMMENT}
    except (tokenize.TokenError, SyntaxError):
        return {}


def apply(counted: StackCount, declared: dict[int, tuple[int, str]], problems: list[Finding]) -> list[str]:
    """Count each uncounted row whose line declares a count; drop the problems of those lines. Returns what was assumed."""
    if not declared:
        return []
    used: list[str] = []
    lines: set[int] = set()
    for row in _uncounted(counted.rows):
        found = declared.get(row.line)
        if found is None or row.line in lines:  # one count, one layer: the first not counted on the line
            continue
        count, written = found
        row.params, row.trainable, row.non_trainable = count, count, 0
        row.formula = f"declared: params={written}"
        row.declared = True
        lines.add(row.line)
        used.append(f"{row.type if row.type != '?' else 'the call'} at line {row.line} declared as {count:,} parameters (params={written})")
    if not used:
        return []
    _resum(counted.rows)
    problems[:] = [p for p in problems if p.line not in lines]
    counted.problems[:] = [p for p in counted.problems if p.line not in lines]
    still = next(iter(_uncounted(counted.rows)), None)
    if still is not None and not counted.problems and not problems:  # a later layer needs the shape the declared one hides
        reason = "the layer before it has a declared count but no known output shape"
        counted.problems.append(UnknownValue(still.line, still.column, what=still.type, reason=reason,
                                             fix="declare this layer's count too ('# paramlint: params=N' on its line)"))
    return used


def _uncounted(rows: list[Row]) -> list[Row]:
    out: list[Row] = []
    for row in rows:
        if row.children:
            out += _uncounted(row.children)
        elif row.params is None:
            out.append(row)
    return out


def _resum(rows: list[Row]) -> None:
    """A container's counts are its children's: recomputed once a child's count is declared."""
    for row in rows:
        if row.children:
            _resum(row.children)
            for attr in ("params", "trainable", "non_trainable"):
                values = [getattr(c, attr) for c in row.children]
                setattr(row, attr, None if None in values else sum(values))
