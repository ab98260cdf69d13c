"""Where an import leads on disk: the module finder.

Pure and read-only: folders and files are looked at through a ``FileSystem`` (the disk, or a git revision
for ``paramlint diff``); nothing is imported and no interpreter is run. Environments are found from their
layout on disk (``lib/python3.*/site-packages``, ``Lib/site-packages``).
"""
from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Hashable, Iterable, Mapping, Optional, Protocol, Sequence

# A folder holding one of these is the project root.
PROJECT_MARKERS = ("pyproject.toml", "setup.cfg", "setup.py", ".git")
# The frameworks paramlint models itself: their names keep their own handling and their source is never read.
FRAMEWORK_ROOTS = frozenset({"torch", "keras", "tensorflow", "tf_keras"})
# Inside a framework, the packages that are libraries built on its own layers (keras.applications, written
# with keras.src.layers and a functional Model): read from source like any installed library. TensorFlow's
# spellings (tf.keras.applications) read Keras's, as its layers are Keras's.
FRAMEWORK_LIBRARIES = ("keras.applications", "keras.src.applications", "tf_keras.applications", "tf_keras.src.applications")
_TF_KERAS = re.compile(r"tensorflow(?:\._api\.v[12])?(?:\.compat\.v[12])*\.keras(?=\.|$)")
STDLIB_ROOTS = frozenset(getattr(sys, "stdlib_module_names", ()))
COMPILED_SUFFIXES = (".so", ".pyd")


def in_environment(file: Path) -> bool:
    """Is ``file`` part of an installed package (under a site-packages or dist-packages folder)?"""
    return any(part in ("site-packages", "dist-packages") for part in file.parts)


def framework_library(name: str) -> Optional[str]:
    """The module to read from source for a framework name that lies in one of ``FRAMEWORK_LIBRARIES``
    (``tensorflow.keras.applications.resnet`` -> ``keras.applications.resnet``), else None."""
    if name.startswith("tensorflow"):
        name = _TF_KERAS.sub("keras", name, count=1)
    for library in FRAMEWORK_LIBRARIES:
        if name == library or name.startswith(library + "."):
            return name
    return None


class FileSystem(Protocol):
    def is_file(self, path: Path) -> bool: ...

    def is_dir(self, path: Path) -> bool: ...

    def names(self, folder: Path) -> tuple[str, ...]: ...

    def read(self, path: Path) -> bytes: ...

    def stamp(self, path: Path) -> Hashable: ...


class Disk:
    """The real file system."""

    def is_file(self, path: Path) -> bool:
        return path.is_file()

    def is_dir(self, path: Path) -> bool:
        return path.is_dir()

    def names(self, folder: Path) -> tuple[str, ...]:
        try:
            return tuple(sorted(os.listdir(folder)))
        except OSError:
            return ()

    def read(self, path: Path) -> bytes:
        return path.read_bytes()

    def stamp(self, path: Path) -> Hashable:
        """Changes when the content does (as mypy's cache keys by size and modification time)."""
        st = path.stat()
        return (st.st_size, st.st_mtime_ns)


DISK = Disk()


@dataclass(frozen=True)
class Spec:
    """A module found on disk. ``file`` is its source (``mod.py`` or ``pkg/__init__.py``); None for a namespace
    package or a compiled module. ``locations`` are a package's folders, where its submodules are looked for."""

    name: str
    file: Optional[Path]
    locations: tuple[Path, ...] = ()
    compiled: Optional[Path] = None

    @property
    def is_package(self) -> bool:
        return bool(self.locations)


def project_root(start: Path, fs: FileSystem = DISK) -> Optional[Path]:
    """The nearest folder at or above ``start`` holding pyproject.toml, setup.cfg, setup.py or .git."""
    for folder in (start, *start.parents):
        names = fs.names(folder)
        if any(marker in names for marker in PROJECT_MARKERS):
            return folder
    return None


def package_depth(file: Path, fs: FileSystem = DISK) -> int:
    """How many folders above ``file`` are regular packages (hold ``__init__.py``), counting up without a gap."""
    depth = 0
    for folder in file.parents:
        if not fs.is_file(folder / "__init__.py"):
            break
        depth += 1
    return depth


def module_name(file: Path, fs: FileSystem = DISK) -> str:
    """``pkg/models/net.py`` (both folders packages) -> ``pkg.models.net``; ``pkg/__init__.py`` -> ``pkg``."""
    depth = package_depth(file, fs)
    parts = [folder.name for folder in list(file.parents)[:depth]][::-1]
    if file.stem != "__init__":
        parts.append(file.stem)
    return ".".join(parts) or file.stem


def top_parent(file: Path, fs: FileSystem = DISK) -> Path:
    """The folder above the file's top-level package (the file's own folder for a script outside a package)."""
    return list(file.parents)[package_depth(file, fs)]


def environment_site_packages(prefix: Path, fs: FileSystem = DISK) -> list[Path]:
    """The site-packages folders of an environment (a venv or conda prefix), read from its layout."""
    found = [prefix / "lib" / name / "site-packages" for name in sorted(fs.names(prefix / "lib"), reverse=True)
             if name.startswith("python3")]
    found.append(prefix / "Lib" / "site-packages")
    return [f for f in found if fs.is_dir(f)]


def with_pth(folders: Iterable[Path], fs: FileSystem = DISK) -> list[Path]:
    """Each site-packages folder followed by the folders its ``.pth`` files add (editable installs)."""
    out: list[Path] = []
    for folder in folders:
        out.append(folder)
        if folder.name != "site-packages":
            continue
        for name in fs.names(folder):
            if not name.endswith(".pth"):
                continue
            try:
                text = fs.read(folder / name).decode("utf-8", errors="replace")
            except OSError:
                continue
            for line in text.splitlines():
                line = line.strip()
                if line and not line.startswith(("#", "import ", "import\t")):
                    extra = Path(line) if os.path.isabs(line) else folder / line
                    if fs.is_dir(extra):
                        out.append(extra)
    return out


def installed_roots(python_path: Sequence[str], environ: Mapping[str, str], root: Optional[Path]) -> list[Path]:
    """Where installed packages are looked for, in order: python-path, PYTHONPATH, the active VIRTUAL_ENV or
    CONDA_PREFIX, a .venv or venv at the project root, then paramlint's own environment. Environments are read
    from the disk (never from a git revision: they are not committed)."""
    return list(_installed(tuple(python_path), environ.get("PYTHONPATH", ""), environ.get("VIRTUAL_ENV", ""),
                           environ.get("CONDA_PREFIX", ""), root))


@lru_cache(maxsize=64)
def _installed(python_path: tuple[str, ...], pythonpath: str, venv: str, conda: str, root: Optional[Path]) -> tuple[Path, ...]:
    fs = DISK
    folders: list[Path] = []
    for entry in python_path:  # an environment (its site-packages) or a folder of modules
        path = Path(entry)
        folders.extend(environment_site_packages(path, fs) or ([path] if fs.is_dir(path) else []))
    folders.extend(Path(p) for p in pythonpath.split(os.pathsep) if p and fs.is_dir(Path(p)))
    for prefix in (venv, conda):
        if prefix:
            folders.extend(environment_site_packages(Path(prefix), fs))
    if root is not None:
        for name in (".venv", "venv"):
            folders.extend(environment_site_packages(root / name, fs))
    folders.extend(environment_site_packages(Path(sys.prefix), DISK))
    return tuple(dict.fromkeys(with_pth(folders, fs)))


class Finder:
    """Resolves imports from one file. Lookups are cached per finder (one per analysis)."""

    def __init__(self, python_path: Sequence[str] = (), environ: Optional[Mapping[str, str]] = None,
                 fs: FileSystem = DISK) -> None:
        self.python_path = tuple(python_path)
        self.environ = os.environ if environ is None else environ
        self.fs = fs
        self._roots: dict[Path, tuple[Path, ...]] = {}
        self._found: dict[tuple[str, tuple[Path, ...]], Optional[Spec]] = {}
        self._names: dict[Path, tuple[str, ...]] = {}

    def roots(self, file: Path) -> tuple[Path, ...]:
        """The folders absolute imports from ``file`` are looked for in, in order."""
        folder = file.parent
        if folder not in self._roots:
            root = project_root(folder, self.fs)
            local = [top_parent(file, self.fs)]
            if root is not None:
                local += [root, root / "src"]
            local = [f for f in local if self.fs.is_dir(f)]
            installed = installed_roots(self.python_path, self.environ, root)
            self._roots[folder] = tuple(dict.fromkeys([*local, *installed]))
        return self._roots[folder]

    def find(self, name: str, file: Path) -> Optional[Spec]:
        """An absolute import ``name`` from ``file``, or None if it is not found."""
        return self.find_in(name, self.roots(file))

    def find_in(self, name: str, folders: tuple[Path, ...], prefix: str = "") -> Optional[Spec]:
        key = (prefix + "|" + name, folders)
        if key not in self._found:
            spec: Optional[Spec] = None
            for part in name.split("."):
                full = f"{spec.name}.{part}" if spec is not None else f"{prefix}{part}"
                spec = self._one(full, part, spec.locations if spec is not None else folders)
                if spec is None:
                    break
            self._found[key] = spec
        return self._found[key]

    def relative(self, file: Path, level: int, name: Optional[str], package_name: str) -> tuple[Optional[Spec], str]:
        """``from ..ops import misc`` in ``file``: the module it names (or None) and why not.

        Resolved through the file's package: each level up must be a package (hold ``__init__.py``); a file in a
        folder without one is taken to be in a namespace package, for one level."""
        depth = package_depth(file, self.fs)
        if level > max(depth, 1):
            return None, f"the relative import goes {level} levels up, beyond the top-level package"
        folder = list(file.parents)[level - 1]
        parts = package_name.split(".") if package_name else []
        base_name = ".".join(parts[:len(parts) - (level - 1)]) if parts else folder.name
        init = folder / "__init__.py"
        base = Spec(base_name, init if self.fs.is_file(init) else None, (folder,))
        if not name:
            return base, ""
        found = self.find_in(name, base.locations, prefix=base_name + "." if base_name else "")
        return found, "" if found is not None else "not found"

    def _one(self, full: str, part: str, folders: tuple[Path, ...]) -> Optional[Spec]:
        """One name in a package's folders, as Python's path finder looks: a package with ``__init__.py``, then a
        module, then a compiled module, in each folder in turn; else the namespace package its folders make."""
        portions: list[Path] = []
        for folder in folders:
            candidate = folder / part
            is_dir = self.fs.is_dir(candidate)
            if is_dir and self.fs.is_file(candidate / "__init__.py"):
                return Spec(full, candidate / "__init__.py", (candidate,))
            if self.fs.is_file(folder / f"{part}.py"):
                return Spec(full, folder / f"{part}.py")
            if folder not in self._names:
                self._names[folder] = self.fs.names(folder)
            compiled = [n for n in self._names[folder] if n.startswith(part + ".") and n.endswith(COMPILED_SUFFIXES)]
            if compiled:
                return Spec(full, None, compiled=folder / compiled[0])
            if is_dir:
                portions.append(candidate)
        return Spec(full, None, tuple(portions)) if portions else None


def imported_files(tree: object, file: Path, finder: Finder) -> set[Path]:
    """Every source file an ``import`` anywhere in ``tree`` (the module's ``ast``) may read: each package on the way
    and, for ``from pkg import name``, the submodule ``name`` when there is one. Used to tell which files' models
    depend on a changed file."""
    import ast

    out: set[Path] = set()

    def add_chain(name: str, folders: Optional[tuple[Path, ...]], prefix: str = "") -> Optional[Spec]:
        spec: Optional[Spec] = None
        parts = name.split(".")
        for i in range(len(parts)):
            spec = finder.find_in(".".join(parts[:i + 1]), folders, prefix) if folders is not None else finder.find(".".join(parts[:i + 1]), file)
            if spec is None:
                return None
            if spec.file is not None:
                out.add(spec.file)
        return spec

    assert isinstance(tree, ast.AST)
    package = module_name(file, finder.fs)
    package = package if file.name == "__init__.py" else package.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                add_chain(alias.name, None)
        elif isinstance(node, ast.ImportFrom):
            base: Optional[Spec]
            if node.level:
                base, _ = finder.relative(file, node.level, None, package)
                if base is not None and base.file is not None:
                    out.add(base.file)
                if base is not None and node.module:
                    base = add_chain(node.module, base.locations, base.name + "." if base.name else "")
            else:
                base = add_chain(node.module or "", None)
            if base is not None and base.locations:
                for alias in node.names:
                    if alias.name != "*":
                        sub = finder.find_in(alias.name, base.locations, base.name + ".")
                        if sub is not None and sub.file is not None:
                            out.add(sub.file)
    return out


_IMPORT_LINE = None


def reaches_a_framework(source: str, file: Path, finder: Finder, constructs: "object", budget: int = 40) -> bool:
    """Can a module this file imports (directly or through its imports, the nearest ``budget`` files) construct a
    layer or a model (``constructs(text)``: the gate's test)? Read from the modules' text, without parsing: for a
    file that names no framework itself, a model can only come from such a module. Past ``budget`` files none is
    taken to (a library of that size that builds no model near the file is not a model project)."""
    import re

    global _IMPORT_LINE
    if _IMPORT_LINE is None:
        _IMPORT_LINE = re.compile(r"^[ \t]*(?:from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+\(?\s*([\w., \t*]+)|import[ \t]+([\w., \t]+))", re.M)
    todo: list[tuple[str, Path]] = [(source, file)]
    seen: set[Path] = {file}
    while todo:
        text, where = todo.pop(0)
        package = module_name(where, finder.fs)
        package = package if where.name == "__init__.py" else package.rpartition(".")[0]
        for m in _IMPORT_LINE.finditer(text):
            dots, module, names, plain = m.groups()
            specs: list[Optional[Spec]] = []
            if plain:
                specs = [finder.find(n.split(" as ")[0].strip(), where) for n in plain.split(",") if n.strip()]
            elif dots:
                base, _ = finder.relative(where, len(dots), module or None, package)
                specs = [base]
                if base is not None and base.locations:
                    specs += [finder.find_in(n.split(" as ")[0].strip(), base.locations, base.name + ".")
                              for n in names.split(",") if n.strip()]
            elif module and module.split(".")[0] not in FRAMEWORK_ROOTS | STDLIB_ROOTS:
                specs = [finder.find(module, where)]
            for spec in specs:
                if spec is None or spec.file is None or spec.file in seen:
                    continue
                seen.add(spec.file)
                if installed_without_framework(spec.file, finder.fs):
                    continue  # an installed package that depends on no framework builds no model (sympy, pandas)
                if len(seen) > budget:
                    return False
                try:
                    found = finder.fs.read(spec.file).decode("utf-8", errors="replace")
                except OSError:
                    continue
                if constructs(found):  # type: ignore[operator]
                    return True
                todo.append((found, spec.file))
    return False


# The distributions a package that builds models depends on (Requires-Dist), by normalised name.
FRAMEWORK_DISTRIBUTIONS = frozenset({"torch", "keras", "tensorflow", "tensorflow-cpu", "tensorflow-gpu", "tf-keras"})
_DISTRIBUTIONS: dict[Path, dict[str, bool]] = {}  # site-packages folder -> top-level name -> depends on a framework


def installed_without_framework(file: Path, fs: FileSystem) -> bool:
    """A module of an installed distribution whose metadata requires no framework: it cannot build a model, so a
    file that names no framework is not analysed for importing it. Unknown (no metadata found): False."""
    site = next((p for p in file.parents if p.name in ("site-packages", "dist-packages")), None)
    if site is None:
        return False
    top = file.relative_to(site).parts[0].removesuffix(".py")
    table = _DISTRIBUTIONS.get(site)
    if table is None:
        table = _DISTRIBUTIONS[site] = _read_distributions(site, fs)
    return table.get(top) is False


def _read_distributions(site: Path, fs: FileSystem) -> dict[str, bool]:
    import re

    table: dict[str, bool] = {}
    for name in fs.names(site):
        if not name.endswith(".dist-info"):
            continue
        info = site / name
        try:
            meta = fs.read(info / "METADATA").decode("utf-8", errors="replace")
        except OSError:
            continue
        own = re.search(r"^Name:\s*(\S+)", meta, re.M)
        wanted = {re.split(r"[\s;<>=!~\[(]", r.strip(), maxsplit=1)[0].lower().replace("_", "-")
                  for r in re.findall(r"^Requires-Dist:\s*(.+)$", meta, re.M)}
        framework = bool(wanted & FRAMEWORK_DISTRIBUTIONS) or (own is not None and own.group(1).lower() in FRAMEWORK_DISTRIBUTIONS)
        for top in _top_levels(info, fs):
            table[top] = table.get(top, False) or framework
    return table


def _top_levels(info: Path, fs: FileSystem) -> set[str]:
    try:
        return {line.strip() for line in fs.read(info / "top_level.txt").decode("utf-8", errors="replace").splitlines() if line.strip()}
    except OSError:
        pass
    try:
        record = fs.read(info / "RECORD").decode("utf-8", errors="replace")
    except OSError:
        return set()
    tops = set()
    for line in record.splitlines():
        path = line.split(",", 1)[0]
        first = path.split("/", 1)[0]
        if path.endswith(".py") and not first.endswith((".dist-info", ".data")) and first != "..":
            tops.add(first.removesuffix(".py"))
    return tops
