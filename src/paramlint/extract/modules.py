"""Imports followed into other files: the project's modules and installed packages, read, never imported.

An imported module is interpreted once per analysis, by the same interpreter and under the same budgets as the
file itself (its syntax tree is read and parsed once per process, keyed by file and content). Its module-level
names are what ``import``/``from ... import`` bind; its functions and classes run in its own globals. Models its
top level creates are not models of the analysed file. While another file's code runs, every position is the
analysed file's line that led there (a call or an import), and reasons name the other file's line.

Frameworks paramlint models itself (``finder.FRAMEWORK_ROOTS``), the standard library and the libraries the
handlers know keep their qualified names: their source is never read.
"""
from __future__ import annotations

import ast
import os
from pathlib import Path
from typing import Any, Hashable, Optional

from ..engine.values import Unknown
from .. import finder as finder_mod
from . import handlers
from .core import Core, Env, _Break, _Continue, _Return
from ..engine.findings import LimitReached
from ..gate import _FRAMEWORK
from .objects import ClassV, Func, LazyImport, ListV, ModuleV, Ref

READS: dict[str, int] = {}  # per process: how many times each module file was read and parsed (the benchmark prints it)
_TREES: dict[tuple[str, Hashable], tuple[str, Optional[ast.Module], str]] = {}  # (file, stamp) -> (source, tree, error)
_TREE_CACHE_SIZE = 4096


def not_followed_roots() -> frozenset[str]:
    """Top-level modules whose names keep their qualified-name handling: the frameworks, the standard library
    and every library the handlers register functions for."""
    return finder_mod.FRAMEWORK_ROOTS | finder_mod.STDLIB_ROOTS | {name.split(".")[0] for name in handlers.FUNCTIONS}


_NOT_FOLLOWED: Optional[frozenset[str]] = None


def followed(name: str) -> bool:
    global _NOT_FOLLOWED
    if _NOT_FOLLOWED is None:
        _NOT_FOLLOWED = not_followed_roots()
    return name.split(".")[0] not in _NOT_FOLLOWED or finder_mod.framework_library(name) is not None


def read_module(fs: Any, file: Path, characters: int) -> tuple[str, Optional[ast.Module], str]:
    """(source, tree, why not) of a module file; parsed once per process while its content is the same."""
    try:
        key = (str(file), fs.stamp(file))
    except OSError as exc:
        return "", None, f"cannot be read ({exc.strerror or exc})"
    cached = _TREES.get(key)
    if cached is not None:
        return cached
    READS[str(file)] = READS.get(str(file), 0) + 1
    try:
        data = fs.read(file)
        if len(data) > characters:
            result: tuple[str, Optional[ast.Module], str] = ("", None, f"is larger than the file size limit ({len(data):,} bytes)")
        else:
            from ..walk import read_source

            source = read_source(data)
            result = (source, ast.parse(source, str(file)), "")
    except (OSError, SyntaxError, UnicodeDecodeError, LookupError, ValueError, RecursionError, MemoryError) as exc:
        result = ("", None, f"cannot be read ({type(exc).__name__}: {exc})")
    if len(_TREES) >= _TREE_CACHE_SIZE:
        _TREES.clear()
    _TREES[key] = result
    return result


class Imports(Core):
    """The import statements, module values and the loading of modules."""

    running_code: list[ModuleV]

    def start_modules(self, path: Optional[str], python_path: tuple[str, ...] = (), fs: Any = None) -> None:
        """Make the analysed file the main module; imports are followed only when its path is known."""
        self.running_code = []
        self.import_steps = self.limits.steps // 4  # what the imported modules' top levels may spend, together
        # the imports being read later than Python would (module, the names it had then): a module still running
        # is seen as it was at its import statement, so that reading lazily never changes what a cycle sees
        self.deferred: list[tuple[Any, frozenset[str]]] = []
        self.displays: dict[str, str] = {}  # module name -> how reasons name its file
        self.framework_files: dict[str, bool] = {}  # file -> does its text name a framework (static_value)
        self.pending_checked = 0  # how many modules were loaded when pending imports were last read
        main = ModuleV("__main__", None, (), self.globals, running=True)
        self.globals.module = main
        self.main = main
        if path is None or path in ("<stdin>", "-", ""):
            return
        file = Path(path)
        if not file.is_absolute():  # paramlint diff names files from the repository root
            file = Path(getattr(fs, "root", None) or os.getcwd()) / file
        file = Path(os.path.abspath(file))
        self.path = file
        self.finder = finder_mod.Finder(python_path, fs=fs or finder_mod.DISK)
        main.file = file
        main.name = finder_mod.module_name(file, self.finder.fs)
        self.loaded[str(file)] = main

    # -- statements ---------------------------------------------------------------------------------
    def exec_import(self, stmt: ast.Import, env: Env) -> None:
        if self.finder is None:
            return super().exec_import(stmt, env)  # type: ignore[misc, no-any-return]
        for alias in stmt.names:
            library = finder_mod.framework_library(alias.name)
            if not followed(alias.name) or library is not None and alias.asname is None:
                super().exec_import(ast.Import(names=[alias]), env)  # type: ignore[misc]
                continue  # (import keras.applications binds keras: its applications are read when used)
            if library is not None:
                alias = ast.alias(name=library, asname=alias.asname)
            bound = alias.name if alias.asname is not None else alias.name.split(".")[0]
            if env.module is not None:  # module level: read when first used
                spec = self.finder.find(bound, self.file_of(env))
                if spec is not None:
                    env.vars[alias.asname or bound] = LazyImport(spec, None, env.module, frozenset(env.vars))
                    continue
            chain = self.import_chain(alias.name, env, stmt)
            env.vars[alias.asname or bound] = chain[-1] if alias.asname is not None else chain[0]

    def exec_import_from(self, node: ast.ImportFrom, env: Env) -> None:
        if self.finder is None or not node.level and (node.module is None or not followed(node.module)):
            return super().exec_import_from(node, env)  # type: ignore[misc, no-any-return]
        library = None if node.level else finder_mod.framework_library(node.module or "")
        if library is not None and library != node.module:  # from tensorflow.keras.applications import ...
            node = ast.copy_location(ast.ImportFrom(module=library, names=node.names, level=0), node)
        if env.module is not None and not any(a.name == "*" for a in node.names):
            spec = self.from_spec(node, env)
            if spec is not None:  # module level: each name read when first used
                seen = frozenset(env.vars)
                for alias in node.names:
                    env.vars[alias.asname or alias.name] = LazyImport(spec, alias.name, env.module, seen)
                return
        module = self.import_from_module(node, env)
        if not isinstance(module, ModuleV):
            for alias in node.names:
                if alias.name == "*":
                    if isinstance(module, Ref):
                        self.star_modules.append(module.qualname)
                    continue
                if isinstance(module, Ref):
                    env.vars[alias.asname or alias.name] = Ref(f"{module.qualname}.{alias.name}", module.missing)
                else:
                    env.vars[alias.asname or alias.name] = module
            return
        for alias in node.names:
            if alias.name == "*":
                for name in self.public_names(module):
                    env.vars[name] = self.member(module, name, node)
            else:
                env.vars[alias.asname or alias.name] = self.member(module, alias.name, node)

    def import_chain(self, name: str, env: Env, node: ast.AST) -> list[Any]:
        """``import a.b.c``: the values of a, a.b and a.b.c, each loaded (as Python runs each package's ``__init__``)."""
        parts = name.split(".")
        out: list[Any] = []
        parent: Any = None
        for i in range(len(parts)):
            full = ".".join(parts[:i + 1])
            if isinstance(parent, ModuleV):
                value = self.member(parent, parts[i], node)
            elif isinstance(parent, Ref):
                value = Ref(f"{parent.qualname}.{parts[i]}", parent.missing)
            elif parent is None:
                value = self.load_name(full, env, node)
            else:
                value = parent
            out.append(value)
            parent = value
        return out

    def import_from_module(self, node: ast.ImportFrom, env: Env) -> Any:
        """The module ``from X import ...`` reads: a ModuleV, a Ref whose module was not found, or an Unknown."""
        if not node.level:
            assert node.module is not None
            value: Any = None
            for value in self.import_chain(node.module, env, node):
                pass
            return value
        importer = self.module_of(env)
        if importer.file is None:
            return self.unknown(node, "imported from a relative module of a file whose place is not known")
        package = importer.name if importer.file.name == "__init__.py" else importer.name.rpartition(".")[0]
        spec, why = self.finder.relative(importer.file, node.level, node.module, package)
        dots = "." * node.level + (node.module or "")
        if spec is None:
            reason = f"module '{dots}' (relative to {self.display(importer.file)}) {why}"
            return Unknown(reason, *self.pos(node), module=dots)
        return self.load(spec, node)

    def file_of(self, env: Env) -> Any:
        return self.module_of(env).file or self.path

    def from_spec(self, node: ast.ImportFrom, env: Env) -> Any:
        """The module ``from X import ...`` names, found without running anything (None: not found)."""
        if not node.level:
            return self.finder.find(node.module or "", self.file_of(env))
        importer = self.module_of(env)
        if importer.file is None:
            return None
        package = importer.name if importer.file.name == "__init__.py" else importer.name.rpartition(".")[0]
        return self.finder.relative(importer.file, node.level, node.module, package)[0]

    def force(self, lazy: LazyImport, node: ast.AST) -> Any:
        """A lazily imported name, read now (once): a submodule is read without running its packages' ``__init__``
        first, unless the package binds the name itself."""
        if lazy.forced:
            return lazy.value
        self.deferred.append((lazy.importer, lazy.seen))
        try:
            value = self._read(lazy, node)
        finally:
            self.deferred.pop()
        if isinstance(value, LazyImport):
            value = self.force(value, node)
        lazy.value, lazy.forced = value, True
        return value

    def _read(self, lazy: LazyImport, node: ast.AST) -> Any:
        spec = lazy.spec
        value: Any
        if lazy.name is None:
            value = self.load(spec, node)
        else:
            sub = self.finder.find_in(lazy.name, spec.locations, prefix=spec.name + ".") if spec.locations else None
            loaded = self.loaded.get(str(spec.file)) if spec.file is not None else None
            if sub is not None and not (isinstance(loaded, ModuleV) and loaded.env.vars.get(lazy.name, lazy) is not lazy):
                # (a package importing its own submodule, from torchvision import models, binds the name to this very import)
                value = self.load(sub, node)
            else:
                module = self.load(spec, node)
                if isinstance(module, ModuleV):
                    value = self.member(module, lazy.name, node)
                elif isinstance(module, Ref):
                    value = Ref(f"{module.qualname}.{lazy.name}", module.missing)
                else:
                    value = module
        return value

    def eval_Name(self, node: ast.Name, env: Env) -> Any:
        value = super().eval_Name(node, env)  # type: ignore[misc]
        return self.force(value, node) if isinstance(value, LazyImport) else value

    def static_value(self, value: Any) -> Any:
        """For the cheap question "can this call construct a model?": a lazily imported name is read only when its
        module's text names a framework (a module that does not cannot build a layer itself)."""
        if not isinstance(value, LazyImport):
            return value
        if value.forced:
            return value.value
        spec = value.spec
        file = spec.file
        if value.name is not None and spec.locations:
            sub = self.finder.find_in(value.name, spec.locations, prefix=spec.name + ".")
            file = sub.file if sub is not None and sub.file is not None else file
        if file is None or not self.names_a_framework(file):
            return None
        return self.force(value, self.site or self.module)

    def read_pending_imports(self, node: ast.AST) -> bool:
        """Read every name the project's modules imported and have not used yet, as Python reads them at their
        import statements: a registry their top levels fill (``@register("resnet")`` in a module the package's
        ``__init__`` imports) is then full. Installed packages' imports stay lazy (their registries fill through
        star imports, read at once). True when something was read."""
        read = False
        while len(self.loaded) != self.pending_checked:
            self.pending_checked = len(self.loaded)
            for module in list(self.loaded.values()):
                if not isinstance(module, ModuleV) or module.file is None or finder_mod.in_environment(module.file):
                    continue
                parts = module.name.split(".")
                for i in range(1, len(parts)):  # Python ran its packages' __init__ first (a submodule read alone did not)
                    spec = self.finder.find(".".join(parts[:i]), module.file)
                    if spec is not None and spec.file is not None and str(spec.file) not in self.loaded:
                        self.load(spec, node)
                        read = True
                for value in list(module.env.vars.values()):
                    if isinstance(value, LazyImport) and not value.forced:
                        self.force(value, node)
                        read = True
        return read

    def names_a_framework(self, file: Path) -> bool:
        key = str(file)
        if key not in self.framework_files:
            source, _, _ = read_module(self.finder.fs, file, self.limits.characters)
            self.framework_files[key] = ("torch" in source or "keras" in source) and _FRAMEWORK.search(source) is not None
        return self.framework_files[key]

    def load_name(self, name: str, env: Env, node: ast.AST) -> Any:
        importer = self.module_of(env)
        spec = self.finder.find(name, importer.file or self.path)
        if spec is None:
            top = name.split(".")[0]
            reason = f"module '{top}' is not found where paramlint looks (the project, python-path, the active environment)"
            self.missing.setdefault(top, reason)
            return Ref(name, reason)
        return self.load(spec, node)

    # -- modules ------------------------------------------------------------------------------------
    def load(self, spec: Any, node: ast.AST) -> Any:
        """The module ``spec`` names, its top level interpreted on first use in this analysis."""
        key = str(spec.file) if spec.file is not None else f"{spec.name}:{spec.compiled or spec.locations}"
        if key in self.loaded:
            return self.loaded[key]
        if spec.compiled is not None:
            reason = f"module '{spec.name}' is compiled ({spec.compiled.name}); paramlint reads only Python source"
            self.missing.setdefault(spec.name, reason)
            return Ref(spec.name, reason)
        if spec.name.split(".")[0] in finder_mod.FRAMEWORK_ROOTS and finder_mod.framework_library(spec.name) is None:
            return Ref(spec.name)  # the frameworks' own modules are known by name, never read (a relative import inside torch)
        if spec.file is not None and finder_mod.installed_without_framework(spec.file, self.finder.fs):
            return Ref(spec.name)  # an installed package that requires no framework builds no model: not read
        env = Env()
        module = ModuleV(spec.name, spec.file, spec.locations, env)
        env.module = module
        env.vars["__name__"] = spec.name
        self.loaded[key] = module
        if spec.file is None:  # a namespace package: nothing runs
            module.running = False
            return module
        source, tree, why = read_module(self.finder.fs, spec.file, self.limits.characters)
        if tree is None:
            module.running = False
            reason = f"module '{spec.name}' ({self.display(spec.file)}) {why}"
            self.missing.setdefault(spec.name, reason)
            return Ref(spec.name, reason)
        env.vars["__file__"] = str(spec.file)
        self.run_foreign(module, tree, node)
        return module

    def run_foreign(self, module: ModuleV, tree: ast.Module, node: ast.AST) -> None:
        """Interpret an imported module's top level: what it creates there is its own, not the analysed file's."""
        models, freezes, site = len(self.models), len(self.freezes), self.site
        conditions, assumptions = self.conditions, self.assumptions
        self.conditions, self.assumptions = [], []
        if site is None:
            self.site = node
        outermost = not self.importing
        if outermost:
            start, self.step_limit = self.steps, min(self.limits.steps, self.steps + max(self.import_steps, 0))
        self.importing.append(module)
        self.running_code.append(module)
        try:
            self.exec_block(tree.body, module.env)
        except (_Return, _Break, _Continue):
            pass  # a raise at module level (caught or not): what ran stays
        except LimitReached as exc:
            if not outermost or self.steps >= self.limits.steps or exc.fields.get("limit") != "imported modules":
                raise
            module.partial = f"reading it stopped at the imported modules' share of the step limit ({self.import_steps:,} steps)"
        finally:
            if outermost:
                self.import_steps -= self.steps - start
                self.step_limit = self.limits.steps
            module.running = False
            self.importing.pop()
            self.running_code.pop()
            self.site = site
            self.conditions, self.assumptions = conditions, assumptions
            del self.models[models:]
            del self.freezes[freezes:]

    def member(self, module: ModuleV, name: str, node: ast.AST) -> Any:
        """``module.name`` / ``from module import name``: a module-level name, else a submodule of a package."""
        if module.partial.startswith("import cycle"):  # Python's ImportError stopped it: nothing it bound is there
            return Unknown(module.partial, *self.pos(node), module=module.name)
        if module.running and any(m is module and name not in seen for m, seen in self.deferred):
            return self._cycle(module, name, node)
        if name in module.env.vars:
            value = module.env.vars[name]
            return self.force(value, node) if isinstance(value, LazyImport) else value
        if module.locations:
            spec = self.finder.find_in(name, module.locations, prefix=module.name + ".")
            if spec is not None:
                sub = self.load(spec, node)
                if isinstance(sub, ModuleV):
                    module.env.vars[name] = sub  # Python binds a submodule on its package once imported
                return sub
        if module.partial:
            return Unknown(f"module '{module.name}': {module.partial}", *self.pos(node), limit="imported modules")
        if module.running:
            return self._cycle(module, name, node)
        return Unknown(f"module '{module.name}' binds no '{name}' that paramlint can read", *self.pos(node), module=module.name)

    def _cycle(self, module: ModuleV, name: str, node: ast.AST) -> Unknown:
        after = self.importing[self.importing.index(module) + 1:] if module in self.importing else self.importing
        chain = " -> ".join([module.name, *(m.name for m in after), module.name])
        reason = f"import cycle ({chain}): '{name}' is not yet bound in {module.name} when it is imported"
        for reading in self.importing:  # Python stops every module of the chain with an ImportError here
            reading.partial = reading.partial or reason
        return Unknown(reason, *self.pos(node), module=module.name)

    def public_names(self, module: ModuleV) -> list[str]:
        """``from module import *``: ``__all__`` when it is known, else every name not starting with '_'."""
        names = module.env.vars.get("__all__")
        items = names.items if isinstance(names, ListV) and not names.taint else names if isinstance(names, tuple) else None
        if items is not None and all(isinstance(n, str) for n in items):
            return list(items)
        return [n for n in module.env.vars if not n.startswith("_") and not n.startswith("<")]

    def module_of(self, env: Env) -> ModuleV:
        module = env.root().module
        return module if isinstance(module, ModuleV) else self.main

    def display(self, file: Any) -> str:
        """A file as the user knows it: relative to the analysed file's folder when below it, else as given."""
        if file is None:
            return "?"
        if self.path is not None:
            try:
                return str(Path(file).relative_to(self.path.parent))
            except ValueError:
                pass
        return str(file)

    def where(self) -> str:
        if not self.running_code:
            return ""
        module = self.running_code[-1]
        if module.name not in self.displays:
            self.displays[module.name] = f"{self.display(module.file)}, "
        return self.displays[module.name]

    # -- values -------------------------------------------------------------------------------------
    def attribute(self, base: Any, attr: str, node: ast.AST) -> Any:
        if isinstance(base, ModuleV):
            return self.member(base, attr, node)
        if isinstance(base, Ref) and base.missing:
            return Ref(f"{base.qualname}.{attr}", base.missing)
        if isinstance(base, Ref) and self.finder is not None:
            library = finder_mod.framework_library(f"{base.qualname}.{attr}")
            if library is not None:  # keras.applications: a library inside the framework, read from source
                return self.load_name(library, self.main.env, node)
        return super().attribute(base, attr, node)

    def call(self, callee: Any, args: list[Any], kwargs: dict[str, Any], node: ast.AST) -> Any:
        if isinstance(callee, Ref) and callee.missing:
            return Unknown(f"'{callee.qualname}' cannot be read: {callee.missing}", *self.pos(node), module=callee.qualname.split(".")[0])
        if isinstance(callee, ModuleV):
            return self.unknown(node, f"module '{callee.name}' is not callable")
        return super().call(callee, args, kwargs, node)

    def call_func(self, func: Func, args: list[Any], kwargs: dict[str, Any], node: ast.AST, defaults_only: bool = False) -> Any:
        """A function of another file runs in its own module's globals; positions stay the call's."""
        module = func.scope.root().module if isinstance(func.scope, Env) else None
        if module is None or module is self.main or not isinstance(module, ModuleV):
            return super().call_func(func, args, kwargs, node, defaults_only)
        site = self.site
        if site is None:
            self.site = node
        outermost, first_new = not self.running_code, len(self.models)
        self.running_code.append(module)
        try:
            result = super().call_func(func, args, kwargs, node, defaults_only)
        finally:
            self.running_code.pop()
            self.site = site
        if outermost:  # the file's code called into another module's: what it made and did not return is its own
            kept = _reachable(result)
            for model in self.models[first_new:]:
                model.transient = model.transient or id(model) not in kept
        return result

    def static_member(self, value: Any, names: list[str]) -> tuple[Any, list[str]]:
        """``blocks.ConvBlock`` read without loading anything: through modules already read, as far as they go."""
        while names and isinstance(value, ModuleV) and names[0] in value.env.vars:
            value = value.env.vars[names[0]]
            names = names[1:]
        return value, names


def _reachable(value: Any) -> set[int]:
    """The ids of every value reachable from ``value``: through containers, a module's children and attributes."""
    from ..engine.values import Layer as _Layer
    from .objects import DictV, ObjV

    seen: set[int] = set()
    stack = [value]
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, (list, tuple)):
            stack.extend(item)
        elif isinstance(item, ListV):
            stack.extend(item.items)
        elif isinstance(item, DictV):
            stack.extend(item.items.values())
        elif isinstance(item, ObjV):
            stack.extend(item.attrs.values())
        elif isinstance(item, _Layer):
            stack.extend(child for _, child in item.children or ())
            stack.extend(getattr(item, "attrs", {}).values())
            stack.extend(a for a in item.args if isinstance(a, (_Layer, ListV, tuple)))
    return seen


__all__ = ["Imports", "READS", "ClassV", "followed", "read_module"]
