"""``paramlint diff``: count the models at two git revisions and say what grew, shrank, appeared or went away.

The old revision is read through git (``git diff -M`` for the changed files and renames,
``git cat-file --batch`` for their content); the working tree is never checked out over.
Analysed are the changed files and the files importing them (directly or through other files): a model's
count depends on its file and the modules it imports, each read at the same revision.
"""
from __future__ import annotations

import subprocess
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any, Hashable, Optional, Sequence

from .lint.report import FileReport, ModelReport
from .lint.settings import Settings
from .output.common import CellMap
from .finder import DISK, Disk, Finder, imported_files
from .walk import SUFFIXES, Excluder, analyze_all, read_source

WORKTREE = None  # HEAD side: the working tree


class GitError(Exception):
    """git failed or the repository cannot answer; the message says what to do."""


def git(args: Sequence[str], cwd: Path, stdin: Optional[bytes] = None) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True, check=False)
    except OSError as exc:
        raise GitError(f"cannot run git: {exc}") from exc
    if done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip() or f"exit status {done.returncode}"
        raise GitError(f"git {' '.join(args[:2])}: {message}")
    return done.stdout


def toplevel(cwd: Path) -> Optional[Path]:
    """The repository root, or None outside a git work tree."""
    try:
        return Path(git(["rev-parse", "--show-toplevel"], cwd).decode().strip())
    except GitError:
        return None


def default_branch(root: Path) -> str:
    """origin's HEAD if known, else a local or remote main/master."""
    try:
        return git(["symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD"], root).decode().strip()
    except GitError:
        pass
    for ref in ("main", "master", "origin/main", "origin/master"):
        try:
            git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], root)
            return ref
        except GitError:
            continue
    raise GitError("cannot tell the default branch (no origin/HEAD, main or master); name the base: paramlint diff BASE")


def resolve(root: Path, rev: str) -> str:
    try:
        return git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], root).decode().strip()
    except GitError:
        raise GitError(f"not a commit in this repository. Received: {rev}") from None


@dataclass(frozen=True)
class Change:
    """A changed file: its path before (None if added) and after (None if deleted)."""

    old: Optional[str]
    new: Optional[str]


def changed_files(root: Path, base: str, head: Optional[str]) -> list[Change]:
    """Files that differ, with renames as git detects them (``-M``), plus untracked files in the working tree."""
    args = ["diff", "-M", "--name-status", "-z", "--no-ext-diff", base] + ([head] if head else [])
    fields = git(args, root).decode("utf-8", errors="surrogateescape").split("\0")
    changes: list[Change] = []
    i = 0
    while i < len(fields) - 1:
        status = fields[i]
        if status.startswith(("R", "C")):
            old, new = fields[i + 1], fields[i + 2]
            changes.append(Change(old if status.startswith("R") else None, new))
            i += 3
            continue
        path = fields[i + 1]
        changes.append(Change(None if status == "A" else path, None if status == "D" else path))
        i += 2
    if head is None:
        others = git(["ls-files", "-z", "--others", "--exclude-standard"], root).decode("utf-8", errors="surrogateescape")
        changes.extend(Change(None, p) for p in others.split("\0") if p)
    return changes


def read_blobs(root: Path, rev: str, paths: Sequence[str]) -> dict[str, bytes]:
    """The content of ``paths`` at ``rev``, in one ``git cat-file --batch`` process."""
    wanted = [p for p in paths if "\n" not in p]
    if not wanted:
        return {}
    out = git(["cat-file", "--batch"], root, stdin="".join(f"{rev}:{p}\n" for p in wanted).encode("utf-8", errors="surrogateescape"))
    blobs: dict[str, bytes] = {}
    pos = 0
    for path in wanted:
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        pos = end + 1
        if len(header) == 3 and header[1] == b"blob":
            size = int(header[2])
            blobs[path] = out[pos:pos + size]
            pos += size + 1
    return blobs


@dataclass
class Side:
    """One revision's reports for the changed files, by repository-relative path."""

    label: str
    rev: Optional[str]
    reports: dict[str, FileReport] = field(default_factory=dict)
    cells: dict[str, CellMap] = field(default_factory=dict)


@dataclass
class ModelChange:
    status: str  # grew, shrank, unchanged, appeared, disappeared, uncountable, countable, still-uncountable
    name: str
    framework: str
    path: str  # where the model is now (or was, if it disappeared)
    old_path: Optional[str]
    old: Optional[ModelReport]
    new: Optional[ModelReport]
    reason: str = ""  # why a side could not be counted

    @property
    def delta(self) -> Optional[int]:
        if self.old is None and self.new is not None and self.new.total is not None:
            return self.new.total
        if self.new is None and self.old is not None and self.old.total is not None:
            return -self.old.total
        if self.old is None or self.new is None or self.old.total is None or self.new.total is None:
            return None
        return self.new.total - self.old.total

    @property
    def relative(self) -> Optional[float]:
        if self.old is None or self.new is None or self.old.total is None or self.new.total is None or not self.old.total:
            return None
        return (self.new.total - self.old.total) / self.old.total


@dataclass
class DiffResult:
    base: Side
    head: Side
    changes: list[ModelChange]
    errors: list[tuple[str, str]]  # (path, reason) of files that could not be read on either side


def _reason(model: Optional[ModelReport], report: Optional[FileReport]) -> str:
    if report is not None and report.error:
        return report.error
    if model is not None and model.problems:
        first = next((p for p in model.problems if p.code.startswith("PRM3")), model.problems[0])
        return f"line {first.line}: {first.code} {first.message}"
    return ""


def _keyed(models: list[ModelReport]) -> dict[tuple[str, int], ModelReport]:
    """Models by (name, occurrence): two models both named 'model' in one file match in order."""
    seen: dict[str, int] = {}
    out: dict[tuple[str, int], ModelReport] = {}
    for m in models:
        n = seen.get(m.name, 0)
        seen[m.name] = n + 1
        out[(m.name, n)] = m
    return out


def classify(old: Optional[ModelReport], new: Optional[ModelReport], old_broken: bool, new_broken: bool) -> str:
    if old is None:
        return "countable" if old_broken and new is not None and new.complete else "appeared"
    if new is None:
        return "uncountable" if new_broken else "disappeared"
    if old.total is None and new.total is None:
        return "still-uncountable"
    if new.total is None:
        return "uncountable"
    if old.total is None:
        return "countable"
    return "grew" if new.total > old.total else "shrank" if new.total < old.total else "unchanged"


def match(change: Change, base: Side, head: Side) -> list[ModelChange]:
    old_report = base.reports.get(change.old) if change.old else None
    new_report = head.reports.get(change.new) if change.new else None
    old_models = _keyed(old_report.models if old_report else [])
    new_models = _keyed(new_report.models if new_report else [])
    old_broken = old_report is not None and old_report.error is not None
    new_broken = new_report is not None and new_report.error is not None
    out = []
    for key in list(new_models) + [k for k in old_models if k not in new_models]:
        old, new = old_models.get(key), new_models.get(key)
        model = new or old
        assert model is not None
        status = classify(old, new, old_broken, new_broken)
        reason = ""
        if status in ("uncountable", "still-uncountable"):
            reason = _reason(new, new_report)
        elif status == "countable":
            reason = _reason(old, old_report)
        path = change.new if new is not None or change.new else change.old
        out.append(ModelChange(status, model.name, model.framework, path or "", renamed_from(change), old, new, reason))
    return out


def renamed_from(change: Change) -> Optional[str]:
    return change.old if change.old and change.new and change.old != change.new else None


def run_diff(root: Path, base_rev: str, head_rev: Optional[str], settings: Settings, excluded: Excluder,
             base_label: str, head_label: str, jobs: int = 1) -> DiffResult:
    everything = changed_files(root, base_rev, head_rev)
    changes = [c for c in everything if _wanted(c, excluded)]
    changes += _importers(root, base_rev, head_rev, everything, settings, excluded)
    base = Side(base_label, base_rev)
    head = Side(head_label, head_rev)
    for side, paths in ((base, [c.old for c in changes if c.old]), (head, [c.new for c in changes if c.new])):
        blobs = read_blobs(root, side.rev, paths) if side.rev else {p: _read_worktree(root, p) for p in paths}
        present = [p for p in paths if blobs.get(p) is not None]
        data = {Path(p): blobs[p] for p in present}
        at = replace(settings, revision=(str(root), side.rev or ""))  # imports read at the same revision
        reports, cells = analyze_all([Path(p) for p in present], at, jobs, blobs=data)  # type: ignore[arg-type]
        side.reports = {r.path: r for r in reports}
        side.cells = cells
    errors = [(side.label + ":" + p, r.error) for side in (base, head) for p, r in side.reports.items() if r.error]
    result = [mc for c in changes for mc in match(c, base, head)]
    result.sort(key=lambda mc: (mc.path, (mc.new or mc.old).line if (mc.new or mc.old) else 0))  # type: ignore[union-attr]
    return DiffResult(base, head, result, [(p, e or "") for p, e in errors])


def _importers(root: Path, base_rev: str, head_rev: Optional[str], everything: list[Change], settings: Settings,
               excluded: Excluder) -> list[Change]:
    """Unchanged files that import a changed one (at either revision): their models may have changed too."""
    found: set[str] = set()
    for rev, paths in ((base_rev, [c.old for c in everything if c.old]), (head_rev, [c.new for c in everything if c.new])):
        if not any(p.endswith(".py") for p in paths):
            continue
        files = revision_files(str(root), rev or "")
        for path in dependents(files, {root / p for p in paths}, settings.python_path):
            found.add(path.relative_to(root).as_posix())
    touched = {p for c in everything for p in (c.old, c.new) if p}
    return [Change(p, p) for p in sorted(found - touched) if _wanted(Change(p, p), excluded)]


def _wanted(change: Change, excluded: Excluder) -> bool:
    path = change.new or change.old or ""
    return path.endswith(SUFFIXES) and not excluded.relative(PurePosixPath(path))


def _read_worktree(root: Path, path: str) -> Optional[bytes]:
    try:
        return (root / path).read_bytes()
    except OSError:
        return None


def over_growth(changes: Sequence[ModelChange], limit: tuple[str, float]) -> list[ModelChange]:
    """Models whose growth breaks ``--fail-on-growth``: ("%", 0.10) relative or ("n", 100000) absolute.

    A model that became uncountable fails too: its growth cannot be ruled out. A model that
    appeared fails only an absolute limit (its relative growth has no base).
    """
    kind, value = limit
    out = []
    for mc in changes:
        if mc.status == "uncountable" and mc.old is not None and mc.old.total is not None:
            out.append(mc)
        elif mc.status == "grew":
            if (kind == "%" and (mc.relative or 0) > value) or (kind == "n" and (mc.delta or 0) > value):
                out.append(mc)
        elif mc.status == "appeared" and kind == "n" and (mc.delta or 0) > value:
            out.append(mc)
    return out


class RevisionFiles:
    """The files of one git revision, as the module finder reads them: paths inside the repository come from the
    commit (``git ls-tree``, ``git cat-file``), paths outside it (installed packages) from the disk. Relative
    paths are the repository's."""

    def __init__(self, root: Path, rev: str) -> None:
        self.root = root
        self.rev = rev
        self.blobs: dict[Path, str] = {}
        self.folders: dict[Path, set[str]] = {root: {".git"}}
        self.data: dict[str, bytes] = {}
        for entry in git(["ls-tree", "-r", "-z", "--full-tree", rev], root).split(b"\0"):
            meta, _, name = entry.partition(b"\t")
            fields = meta.split()
            if len(fields) != 3 or fields[1] != b"blob":
                continue
            path = root / name.decode("utf-8", errors="surrogateescape")
            self.blobs[path] = fields[2].decode()
            child = path
            for folder in path.parents:
                self.folders.setdefault(folder, set()).add(child.name)
                if folder == root:
                    break
                child = folder

    def _inside(self, path: Path) -> bool:
        return path == self.root or self.root in path.parents

    def is_file(self, path: Path) -> bool:
        return path in self.blobs if self._inside(path) else DISK.is_file(path)

    def is_dir(self, path: Path) -> bool:
        return path in self.folders if self._inside(path) else DISK.is_dir(path)

    def names(self, folder: Path) -> tuple[str, ...]:
        return tuple(sorted(self.folders.get(folder, ()))) if self._inside(folder) else DISK.names(folder)

    def read(self, path: Path) -> bytes:
        if not self._inside(path):
            return DISK.read(path)
        sha = self.blobs.get(path)
        if sha is None:
            raise FileNotFoundError(str(path))
        if sha not in self.data:
            try:
                self.data[sha] = git(["cat-file", "blob", sha], self.root)
            except GitError as exc:
                raise OSError(str(exc)) from None
        return self.data[sha]

    def stamp(self, path: Path) -> Hashable:
        return self.blobs.get(path, "") if self._inside(path) else DISK.stamp(path)

    def python_files(self) -> list[Path]:
        return [p for p in self.blobs if p.suffix == ".py"]


class WorkingTree(Disk):
    """The disk, with relative paths taken from the repository root."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def python_files(self) -> list[Path]:
        listed = git(["ls-files", "-z", "--cached", "--others", "--exclude-standard"], self.root).decode("utf-8", errors="surrogateescape")
        return [self.root / p for p in listed.split("\0") if p.endswith(".py") and (self.root / p).is_file()]


_REVISIONS: dict[tuple[str, str], Any] = {}


def revision_files(root: str, rev: str) -> Any:
    """One reader per revision and process (a worker of ``--jobs`` makes its own)."""
    key = (root, rev)
    if key not in _REVISIONS:
        _REVISIONS[key] = RevisionFiles(Path(root), rev) if rev else WorkingTree(Path(root))
    return _REVISIONS[key]


def dependents(files: Any, changed: set[Path], python_path: tuple[str, ...] = ()) -> set[Path]:
    """The repository's Python files whose models may change with ``changed``: those importing a changed file,
    directly or through other files (the imports are read, not run)."""
    import ast

    finder = Finder(python_path, fs=files)
    importers: dict[Path, set[Path]] = {}
    for path in files.python_files():
        try:
            tree = ast.parse(read_source(files.read(path)))
        except (OSError, SyntaxError, ValueError, UnicodeDecodeError, LookupError, RecursionError, MemoryError):
            continue
        for target in imported_files(tree, path, finder):
            importers.setdefault(target, set()).add(path)
    out: set[Path] = set()
    todo = list(changed)
    while todo:
        for importer in importers.get(todo.pop(), ()):
            if importer not in out and importer not in changed:
                out.add(importer)
                todo.append(importer)
    return out
