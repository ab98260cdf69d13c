"""Walking a project: which files, in what order, notebooks as code, and a process pool for large trees."""
from __future__ import annotations

import ast
import io
import json
import os
import re
import tokenize
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path, PurePosixPath
from typing import Any, Iterable, Iterator, Optional, Sequence

from .lint import suppress
from .lint.analyze import analyze
from .lint.directives import source_lines
from .lint.report import Diagnostic, FileReport
from .lint.settings import Settings
from .output.common import CellMap

SUFFIXES = (".py", ".ipynb")
# Folders nobody means to lint: version control, virtualenvs, caches, build output, checkpoints.
DEFAULT_EXCLUDE = (
    ".git", ".hg", ".svn", ".bzr", ".venv", "venv", ".direnv", "__pypackages__", ".tox", ".nox", ".eggs", "*.egg-info",
    "__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".pytype", ".ipynb_checkpoints",
    "build", "dist", "_build", "buck-out", "node_modules", "site-packages",
)
_MAGIC = re.compile(r"^(\s*)(%|!|\?)")
_ASSIGNED_MAGIC = re.compile(r"^(\s*)[\w.]+\s*=\s*[%!]")


@dataclass(frozen=True)
class Excluder:
    """Glob patterns: a pattern without '/' matches any file or folder name; one with '/' a path under ``base``."""

    patterns: tuple[str, ...] = DEFAULT_EXCLUDE
    base: Path = field(default_factory=Path.cwd)

    def __call__(self, path: Path, is_dir: bool) -> bool:
        name = path.name
        if is_dir and (path / "pyvenv.cfg").is_file():
            return True  # a virtualenv, whatever its name
        for pattern in self.patterns:
            if "/" not in pattern.rstrip("/"):
                if fnmatch(name, pattern.rstrip("/")):
                    return True
                continue
            try:
                rel = PurePosixPath(path.resolve().relative_to(self.base.resolve()).as_posix())
            except ValueError:
                continue
            if rel.match(pattern.strip("/")) or fnmatch(str(rel), pattern.strip("/")):
                return True
        return False

    def relative(self, rel: PurePosixPath) -> bool:
        """The same patterns on a path relative to ``base`` that may not exist on disk (a file in a git revision)."""
        for pattern in self.patterns:
            bare = pattern.strip("/")
            if "/" not in bare:
                if any(fnmatch(part, bare) for part in rel.parts):
                    return True
            elif rel.match(bare) or fnmatch(str(rel), bare) or fnmatch(str(rel), bare + "/*"):
                return True
        return False


def iter_files(paths: Sequence[str], excluded: Excluder = Excluder()) -> Iterator[Path]:
    """Files to analyse, each once, folders walked in sorted order. A file named on the command line is never excluded."""
    seen: set[Path] = set()
    for name in paths:
        top = Path(name)
        found = _walk(top, excluded) if top.is_dir() else iter([top])
        for path in found:
            key = Path(os.path.normcase(os.path.abspath(path)))
            if key not in seen:
                seen.add(key)
                yield path


def _walk(top: Path, excluded: Excluder) -> Iterator[Path]:
    for folder, dirs, files in os.walk(top):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if not excluded(here / d, True))
        for f in sorted(files):
            if f.endswith(SUFFIXES) and not excluded(here / f, False):
                yield here / f


def read_source(data: bytes) -> str:
    """Decode as Python does: a BOM or a coding cookie, else UTF-8."""
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    return data.decode(encoding)


@dataclass
class Notebook:
    """A notebook's code cells joined into one module, so names imported in one cell resolve in the next."""

    source: str
    cells: CellMap
    skipped: list[tuple[int, int, str]]  # (cell number, line in cell, reason) of cells that are not Python


def notebook_source(text: str) -> Notebook:
    """The code cells of an nbformat 4 notebook. IPython magics and shell lines become ``pass``."""
    document = json.loads(text)
    if not isinstance(document, dict) or not isinstance(document.get("cells"), list):
        raise ValueError("not an nbformat 4 notebook (no 'cells' list)")
    chunks: list[str] = []
    starts: list[int] = []
    numbers: list[int] = []
    skipped: list[tuple[int, int, str]] = []
    line = 1
    for number, cell in enumerate(document["cells"], 1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        raw = cell.get("source", "")
        code = "".join(raw) if isinstance(raw, list) else str(raw)
        lines = source_lines(code)  # as ast numbers them (str.splitlines also breaks at U+2028)
        if len(lines) > 1 and lines[-1] == "":
            lines.pop()
        if lines[0].lstrip().startswith("%%"):
            lines = [""] * len(lines)  # a cell magic (%%bash, %%timeit...): not plain Python
        lines = [_without_magic(ln) for ln in lines]
        body = "\n".join(lines) + "\n"
        try:
            ast.parse(body)
        except SyntaxError as exc:
            skipped.append((number, exc.lineno or 1, exc.msg))
            body = "\n" * len(lines)
        starts.append(line)
        numbers.append(number)
        chunks.append(body)
        line += len(lines)
    return Notebook("".join(chunks), CellMap(tuple(starts) or (1,), tuple(numbers) or (1,)), skipped)


def _without_magic(line: str) -> str:
    """``%time x``, ``!pip install``, ``files = !ls``: kept as ``pass`` at the same indent, so lines keep their numbers."""
    match = _MAGIC.match(line) or _ASSIGNED_MAGIC.match(line)
    return f"{match.group(1)}pass" if match else line


def analyze_file(path: Path, settings: Settings, data: Optional[bytes] = None) -> tuple[FileReport, Optional[CellMap]]:
    """One file's report, from disk or from ``data`` (a blob read through git). Never raises."""
    name = str(path)
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            return FileReport(name, error=f"cannot read: {exc.strerror or exc}"), None
    try:
        if path.suffix == ".ipynb":
            return _analyze_notebook(name, data, settings)
        try:
            source = read_source(data)
        except (SyntaxError, UnicodeDecodeError, LookupError) as exc:
            return FileReport(name, error=f"cannot decode: {exc}"), None
        return _without_noqa(analyze(source, settings, name), source), None
    except Exception as exc:  # noqa: BLE001 - one file must never end the run
        report = FileReport(name)
        report.notes.append(Diagnostic("PRM000", 1, 1, {"error": f"{type(exc).__name__}: {exc}"}))
        return report, None


def _without_noqa(report: FileReport, source: str) -> FileReport:
    """The command line honours ``# noqa`` as flake8 does (the plugin leaves that to flake8)."""
    suppress.apply(report, source_lines(source), suppress.Selection())
    return report


def _analyze_notebook(name: str, data: bytes, settings: Settings) -> tuple[FileReport, Optional[CellMap]]:
    try:
        notebook = notebook_source(data.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError) as exc:
        return FileReport(name, error=f"not a readable notebook: {exc}"), None
    report = _without_noqa(analyze(notebook.source, settings, name), notebook.source)
    if notebook.skipped and report.error is None:
        cell, line, reason = notebook.skipped[0]
        more = f" (and {len(notebook.skipped) - 1} more)" if len(notebook.skipped) > 1 else ""
        report.error = f"cell {cell} is not valid Python (line {line}: {reason}); that cell was skipped{more}"
        index = notebook.cells.numbers.index(cell)
        report.error_line = notebook.cells.starts[index] + line - 1
    return report, notebook.cells


Job = tuple[Path, Settings, Optional[bytes]]


def _analyze_one(job: Job) -> tuple[FileReport, Optional[CellMap]]:
    return analyze_file(*job)


def analyze_all(
    paths: Iterable[Path], settings: Settings, jobs: int = 1, blobs: Optional[dict[Path, bytes]] = None,
) -> tuple[list[FileReport], dict[str, CellMap]]:
    """Analyse every file, in a process pool when ``jobs`` > 1; results keep the input order.

    ``blobs`` gives the content of files read from git instead of the working tree.
    """
    work: list[Job] = [(p, settings, (blobs or {}).get(p)) for p in paths]
    if jobs > 1 and len(work) > 1:
        with ProcessPoolExecutor(max_workers=min(jobs, len(work))) as pool:
            results = list(pool.map(_analyze_one, work, chunksize=max(1, len(work) // (jobs * 4))))
    else:
        results = [_analyze_one(job) for job in work]
    cells = {report.path: cell_map for report, cell_map in results if cell_map is not None}
    return [report for report, _ in results], cells


def project_settings(start: Path) -> tuple[dict[str, Any], Optional[Path]]:
    """``[tool.paramlint]`` from the nearest pyproject.toml (config.py does the reading), and its path."""
    from .config import find_pyproject, load_config

    found = find_pyproject(start)
    return (load_config(found), found) if found is not None else ({}, None)
