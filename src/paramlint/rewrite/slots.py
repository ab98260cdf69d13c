"""Where a comment can go: libcst finds every real line ending (not inside a string, not after a backslash)."""
from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any

from .text import Refused, split_lines

INSTALL_HINT = "paramlint baseline and annotate need libcst: pip install 'paramlint[rewrite]'"


class MissingLibcst(Exception):
    """libcst is not installed; the message says how to install it."""


@dataclass(frozen=True)
class Slot:
    """The end of one line: ``content[code_end:]`` is its trailing whitespace and comment."""

    line: int  # 1-based
    code_end: int  # offset in the line's content where trailing whitespace (then the comment) begins
    comment: str  # "#..." to the end of the line, or ""
    comment_only: bool  # a blank or comment-only line


def find_slots(text: str) -> dict[int, Slot]:
    """Every line that ends in a real newline (or ends the file), keyed by line number.

    The text must first be valid Python for ``ast``: libcst's native parser can crash the
    process on input Python refuses (deep nesting), so it never sees such a file.
    """
    try:
        ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        raise Refused(f"not valid Python: {exc}") from None
    cst = _libcst()
    try:
        wrapper = cst.metadata.MetadataWrapper(cst.parse_module(text), unsafe_skip_copy=True)
        positions = wrapper.resolve(cst.metadata.PositionProvider)
    except Exception as exc:  # noqa: BLE001 - libcst refusing a file Python accepts: leave the file alone
        first = (str(exc).splitlines() or [""])[0]
        raise Refused(f"libcst cannot read it: {type(exc).__name__}: {first}") from None
    lines = split_lines(text)
    slots: dict[int, Slot] = {}
    for node, where in positions.items():
        if isinstance(node, cst.TrailingWhitespace):
            tail, only = node.whitespace.value + (node.comment.value if node.comment else ""), False
        elif isinstance(node, cst.EmptyLine):
            tail, only = node.whitespace.value + (node.comment.value if node.comment else ""), True
        else:
            continue
        number = where.start.line
        if not 1 <= number <= len(lines):
            continue  # the empty line after a final newline
        content = lines[number - 1][0]
        if not content.endswith(tail) or (only and content[: len(content) - len(tail)].strip(" \t\f")):
            raise Refused(f"line {number}: libcst and the file disagree on where the line ends")
        comment = node.comment.value if node.comment else ""
        slots[number] = Slot(number, len(content) - len(tail), comment, only)
    return slots


def _libcst() -> Any:
    try:
        import libcst
        import libcst.metadata  # the submodule is not loaded by "import libcst"
    except ImportError:
        raise MissingLibcst(INSTALL_HINT) from None
    return libcst
