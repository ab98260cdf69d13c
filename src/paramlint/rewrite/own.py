"""paramlint's own trailing comments: ``# [paramlint] 896 params, (None, 32, 32, 32)``, told apart from the user's."""
from __future__ import annotations

from typing import Optional

MARK = "# [paramlint] "
SEPARATOR = "  "  # always written before MARK, so removing SEPARATOR + MARK... gives back the line as it was


def own_start(tail: str, comment: str) -> Optional[int]:
    """Where paramlint's part of a line's tail (whitespace + comment) begins, or None when it has none."""
    if not comment:
        return None
    at = tail.find(SEPARATOR + MARK)
    if at >= 0:
        return at
    if comment.startswith(MARK.rstrip()):  # written by hand or re-spaced by a formatter: still ours
        return len(tail) - len(comment)
    return None


def own_text(tail: str, comment: str) -> Optional[str]:
    """The annotation paramlint wrote on this line (without the mark), or None."""
    at = own_start(tail, comment)
    if at is None:
        return None
    return tail[at:].lstrip(" \t\f")[len(MARK.rstrip()):].strip()


def with_annotation(tail: str, comment: str, text: Optional[str]) -> str:
    """The tail with paramlint's part replaced by ``text`` (removed when None); the user's part is kept as is."""
    at = own_start(tail, comment)
    kept = tail if at is None else tail[:at]
    return kept if text is None else f"{kept}{SEPARATOR}{MARK}{text}"
