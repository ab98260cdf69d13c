"""Text as it is on disk: decoded as Python decodes it, split into lines that keep their own endings."""
from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass

# Python's three line endings; a form feed, \v or U+2028 ends no line (str.splitlines would split there).
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
INDENT = re.compile(r"[ \t\f]*")

Line = tuple[str, str]  # (content, ending): ending is "\r\n", "\r", "\n" or "" on a last line without one


class Refused(Exception):
    """A file paramlint leaves untouched; the message says why."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # "utf-8-sig" keeps a BOM


def decode(data: bytes) -> Decoded:
    """Decode with the BOM or coding cookie, as Python does; refuse bytes that would not encode back identically."""
    # Python ends lines at a lone CR too; tokenize.detect_encoding reads lines at "\n" only and would miss a cookie
    lines = io.BytesIO(data[:4096].replace(b"\r\n", b"\n").replace(b"\r", b"\n"))
    try:
        encoding, _ = tokenize.detect_encoding(lines.readline)
        text = data.decode(encoding)
    except (SyntaxError, UnicodeDecodeError, LookupError) as exc:
        raise Refused(f"cannot decode: {exc}") from None
    if text.encode(encoding) != data:
        raise Refused(f"its bytes do not survive decoding as {encoding} and encoding back")
    return Decoded(text, encoding)


def encode(text: str, encoding: str) -> bytes:
    try:
        return text.encode(encoding)
    except UnicodeEncodeError as exc:
        raise Refused(f"the new text cannot be written as {encoding}: {exc.reason}") from None


def split_lines(text: str) -> list[Line]:
    """Lines as Python counts them, each with its own ending, so joining them gives back ``text``."""
    out: list[Line] = []
    for match in _LINE.finditer(text):
        chunk = match.group()
        body = chunk.rstrip("\r\n")
        out.append((body, chunk[len(body):]))
    return out


def join_lines(lines: list[Line]) -> str:
    return "".join(content + ending for content, ending in lines)
