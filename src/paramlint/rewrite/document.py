"""A file to rewrite: a Python file or a notebook, the source paramlint analyses, and its bytes after edits."""
from __future__ import annotations

import bisect
import copy
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, Sequence

from ..output.common import CellMap
from ..walk import notebook_source
from .edits import Edit, apply
from .text import Line, Refused, decode, encode, join_lines, split_lines

BOM = b"\xef\xbb\xbf"


@dataclass
class Document:
    """``source`` is what paramlint analyses; edits are numbered by its lines."""

    path: Path
    data: bytes
    source: str
    encoding: str = "utf-8"
    notebook: Optional["_Notebook"] = None
    lines: list[Line] = field(init=False)

    def __post_init__(self) -> None:
        self.lines = split_lines(self.source)

    def render(self, edits: Sequence[Edit]) -> bytes:
        """The file's bytes with ``edits`` applied; every byte they do not touch stays as it was."""
        if self.notebook is not None:
            return self.notebook.render(self.lines, edits)
        return encode(join_lines(apply(self.lines, edits)), self.encoding)


def load(path: Path, data: Optional[bytes] = None) -> Document:
    """Read ``path`` (or take ``data`` as its content). Raises Refused when it cannot be rewritten faithfully."""
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise Refused(f"cannot read: {exc.strerror or exc}") from None
    if path.suffix == ".ipynb":
        notebook = _Notebook.read(data)
        return Document(path, data, notebook.source, "utf-8", notebook)
    decoded = decode(data)
    return Document(path, data, decoded.text, decoded.encoding)


def write(path: Path, old: bytes, new: bytes) -> None:
    """Replace the file's content, unless it changed since ``old`` was read (then Refused)."""
    try:
        current = path.read_bytes()
    except OSError as exc:
        raise Refused(f"cannot read it again before writing: {exc.strerror or exc}") from None
    if current != old:
        raise Refused("it changed on disk while paramlint worked on it; run again")
    path = path.resolve()  # through a symlink to the file itself: the link stays a link
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".paramlint")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(new)
        os.chmod(temporary, path.stat().st_mode & 0o7777)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


# json.dumps settings notebook writers use (Jupyter: indent=1, sorted keys, non-ASCII kept), most common first
_LAYOUTS = [(indent, sort, ascii) for indent in (1, 2, 4) for sort in (True, False) for ascii in (False, True)]


def _dumps(document: Any, layout: tuple[int, bool, bool]) -> str:
    indent, sort, ascii_only = layout
    return json.dumps(document, indent=indent, sort_keys=sort, ensure_ascii=ascii_only)


@dataclass
class _Notebook:
    """An nbformat 4 notebook whose JSON paramlint can write back byte for byte, with only cell sources changed."""

    document: dict[str, Any]
    layout: tuple[int, bool, bool]  # json.dumps' indent, sort_keys, ensure_ascii
    tail: str  # what follows the JSON (Jupyter ends the file with a newline)
    bom: bool
    source: str
    cells: CellMap

    @classmethod
    def read(cls, data: bytes) -> "_Notebook":
        try:
            text = data.decode("utf-8-sig")
            document = json.loads(text)
            joined = notebook_source(text)
        except ValueError as exc:  # UnicodeDecodeError and JSONDecodeError included
            raise Refused(f"not a readable notebook: {exc}") from None
        body = text.rstrip("\r\n")
        tail = text[len(body):]
        for layout in _LAYOUTS:
            if _dumps(document, layout) == body:
                return cls(document, layout, tail, data.startswith(BOM), joined.source, joined.cells)
        raise Refused("its JSON is laid out in a way paramlint cannot write back byte for byte")

    def render(self, joined: list[Line], edits: Sequence[Edit]) -> bytes:
        by_cell: dict[int, list[Edit]] = {}
        for edit in edits:
            by_cell.setdefault(bisect.bisect_right(self.cells.starts, edit.line) - 1, []).append(edit)
        document = copy.deepcopy(self.document)  # a document may be rendered more than once
        for index, cell_edits in by_cell.items():
            start, number = self.cells.starts[index], self.cells.numbers[index]
            cell = document["cells"][number - 1]
            raw = cell.get("source", "")
            code = "".join(raw) if isinstance(raw, list) else str(raw)
            lines = split_lines(code) or [("", "")]
            listed = [c + e for c, e in split_lines(code)]
            if len(lines) != len(code.splitlines() or [""]) or (isinstance(raw, list) and raw != listed):
                raise Refused(f"cell {number} splits its lines in a way paramlint cannot map")
            for edit in cell_edits:
                if not 0 <= edit.line - start < len(lines) or joined[edit.line - 1][0] != lines[edit.line - start][0]:
                    where = f"cell {number}, line {edit.line - start + 1}"
                    raise Refused(f"{where}: the cell's text differs from what was analysed")
            new = apply(lines, cell_edits, offset=start - 1)
            cell["source"] = [c + e for c, e in new] if isinstance(raw, list) else join_lines(new)
        text = _dumps(document, self.layout) + self.tail
        return (BOM if self.bom else b"") + text.encode("utf-8")
