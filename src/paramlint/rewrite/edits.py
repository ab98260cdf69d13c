"""Edits by line number: replace part of a line, or insert a new line before one. Everything else is kept as is."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence, Union

from .text import Line


@dataclass(frozen=True)
class Replace:
    """``content[start:end]`` of ``line`` becomes ``text``."""

    line: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Insert:
    """A new line ``text`` before ``line``, with that line's ending."""

    line: int
    text: str


Edit = Union[Replace, Insert]


def apply(lines: Sequence[Line], edits: Sequence[Edit], offset: int = 0) -> list[Line]:
    """``lines`` with ``edits`` applied; ``offset`` is the number of the line before the first (for notebook cells)."""
    replaces: dict[int, Replace] = {}
    inserts: dict[int, list[Insert]] = {}
    for edit in edits:
        if isinstance(edit, Replace):
            if edit.line in replaces:
                raise AssertionError(f"two replacements on line {edit.line}")
            replaces[edit.line] = edit
        else:
            inserts.setdefault(edit.line, []).append(edit)
    out: list[Line] = []
    previous_ending = "\n"
    for number, (content, ending) in enumerate(lines, offset + 1):
        for insert in inserts.get(number, []):
            out.append((insert.text, ending or previous_ending))
        change = replaces.get(number)
        if change is not None:
            content = content[: change.start] + change.text + content[change.end:]
        out.append((content, ending))
        previous_ending = ending or previous_ending
    return out
