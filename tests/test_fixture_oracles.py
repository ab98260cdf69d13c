"""The fixtures' expected counts come from the real frameworks, not from our own arithmetic.

Each fixture is executed as ``__main__`` (as paramlint reads it), with Keras 3 (torch backend)
standing in for ``tensorflow.keras``; a file that says ``# oracle: meta`` runs on PyTorch's meta
device (counts without the memory, for full-size models). While it runs, every ``nn.Sequential`` and
every instance of the fixture's own ``nn.Module`` classes is recorded with the line of the call that
constructed it (the first frame of the fixture above the object's own ``__init__`` chain). After it,
the oracle does what paramlint does with what the file leaves unbuilt: it calls each function the file
never mentions whose parameters all have defaults, and instantiates each of the file's module classes
that nothing instantiated, with ``__init__``'s defaults, at its ``class`` line.

- Outermost: a recorded object that is no other recorded object's descendant and was not built while
  another module's ``__init__`` ran. Each one needs an outermost expectation at its line.
- Every complete expectation is matched with a recorded object at its line (a part: one inside the
  object its ``part_of`` expectation matched) whose counts torch gives: total, trainable split, rows.
- Keras models (Sequential, functional, the file's ``keras.Model`` subclasses) are recorded the same way, with
  the line of their construction (tests/fixture_keras_oracle.py), and matched by line, kind and total: counts
  from Keras (``count_params()``, ``trainable_weights``, a row per ``model.layers`` entry without InputLayer).
  Keras layers are torch modules on the torch backend; the torch recorder leaves them to the Keras one.
"""
from __future__ import annotations

import ast
import inspect
import os
import sys
import types
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator, Optional

import pytest

from . import fixture_keras_oracle as kfix
from .fixture_expectations import FIXTURES, ModelExpectation, fixture_files, outer_of, read_expectations

pytestmark = pytest.mark.oracle

NEEDS_MISSING_LIBS = {"not_ours.py", "incomplete.py", "kerastuner_search.py"}  # import libraries not installed, by design
MAIN = "__main__"


@pytest.fixture(scope="module")
def frameworks() -> tuple[Any, Any]:
    os.environ.setdefault("KERAS_BACKEND", "torch")
    torch = pytest.importorskip("torch")
    keras = pytest.importorskip("keras")
    return keras, torch


def _alias_tensorflow(keras: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """``tensorflow.keras`` stands for Keras 3 while a fixture runs, and only then: Keras itself changes course
    where it finds a module named tensorflow (tf.TensorShape), which would break later tests in the session."""
    tf = types.ModuleType("tensorflow")
    tf.keras = keras  # type: ignore[attr-defined]
    for name, module in [("tensorflow", tf), ("tensorflow.keras", keras), ("tensorflow.keras.layers", keras.layers),
                         ("tensorflow.keras.models", keras.models)]:
        if name not in sys.modules:
            monkeypatch.setitem(sys.modules, name, module)


@dataclass
class Built:
    """A model object the fixture constructed, and where."""

    obj: Any  # None: a class the oracle could not instantiate (an __init__ parameter without a default)
    line: Optional[int]
    inside: bool  # built while another module's __init__ ran: a part from birth
    kind: str  # sequential | module


class Recorder:
    """Records nn.Module constructions, via a wrapper around ``nn.Module.__init__``."""

    def __init__(self, torch: Any, filename: str, keras_layer: Optional[type] = None, project: Optional[Path] = None) -> None:
        self.torch = torch
        self.filename = filename
        self.keras_layer = keras_layer  # Keras layers are torch modules on the torch backend: not ours to record
        self.project = project  # the classes of this project's modules are models too, as the file's own
        self.built: list[Built] = []
        self.on = True

    def wrap(self, original: Callable[..., None]) -> Callable[..., None]:
        def init(module: Any, *args: Any, **kwargs: Any) -> None:
            original(module, *args, **kwargs)
            if self.on:
                self._record(module)
        return init

    def _record(self, module: Any) -> None:
        if self.keras_layer is not None and isinstance(module, self.keras_layer):
            return
        is_file_class = type(module).__module__ == MAIN or self._project_class(type(module))
        if not (is_file_class or isinstance(module, self.torch.nn.Sequential)):
            return
        frame: Optional[types.FrameType] = sys._getframe(3)  # _record <- init <- the caller of nn.Module.__init__
        while frame is not None and frame.f_locals.get("self") is module:  # the object's own __init__ chain
            frame = frame.f_back
        while frame is not None and not (frame.f_code.co_filename == self.filename and frame.f_globals.get("__name__") == MAIN):
            if frame.f_code.co_name == "<module>" and self.project and Path(frame.f_code.co_filename).is_relative_to(self.project):
                # built by an imported module's top level: that module's, not the file's
                return
            frame = frame.f_back
        line = frame.f_lineno if frame is not None else None
        inside = False
        while frame is not None:
            owner = frame.f_locals.get("self") if frame.f_code.co_name == "__init__" else None
            if isinstance(owner, self.torch.nn.Module) and owner is not module:
                inside = True
                break
            frame = frame.f_back
        self.built.append(Built(module, line, inside, "module" if is_file_class else "sequential"))


def _project_class(self: Recorder, cls: type) -> bool:
    if self.project is None:
        return False
    file = getattr(sys.modules.get(cls.__module__), "__file__", None) or ""
    return Path(file).is_relative_to(self.project)


Recorder._project_class = _project_class  # type: ignore[attr-defined]
PROJECT = FIXTURES / "project"  # a package whose modules import each other: run as a module, with sys.path set


def _run(path: Path, source: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Execute a fixture as ``__main__``: a file of the fixture project as its module (``python -m app.models.net``),
    so that its relative and absolute imports work as they do for its users."""
    if not path.is_relative_to(PROJECT):
        namespace: dict[str, Any] = {"__name__": MAIN}
        exec(compile(source, str(path), "exec"), namespace)  # noqa: S102 - our own fixture files
        return namespace
    import runpy

    monkeypatch.setattr(sys, "path", [str(PROJECT), str(PROJECT / "src"), *sys.path])
    for name in [n for n in sys.modules if n.split(".")[0] in ("app", "corelib", "scripts")]:
        monkeypatch.delitem(sys.modules, name)
    base = PROJECT / "src" if path.is_relative_to(PROJECT / "src") else PROJECT
    parts = list(path.relative_to(base).with_suffix("").parts)
    if parts[-1] == "__init__":  # a package runs as its import does
        import importlib

        return dict(vars(importlib.import_module(".".join(parts[:-1]))))
    if parts[0] == "scripts":  # a script, not a package: run as python scripts/train.py
        return runpy.run_path(str(path), run_name=MAIN)
    return runpy.run_module(".".join(parts), run_name=MAIN, alter_sys=True)


def _loaded_names(tree: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def _all_defaults(fn: Callable[..., Any]) -> bool:
    return all(
        p.default is not p.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        for p in inspect.signature(fn).parameters.values()
    )


def _build_the_unbuilt(namespace: dict[str, Any], tree: ast.Module, recorder: Recorder, torch: Any) -> None:
    """What paramlint counts with defaults: never-mentioned functions, never-instantiated classes."""
    loaded = _loaded_names(tree)
    for stmt in tree.body:
        if not isinstance(stmt, ast.FunctionDef):
            continue
        fn = namespace.get(stmt.name)
        if inspect.isfunction(fn) and fn.__module__ == MAIN and stmt.name not in loaded and _all_defaults(fn):
            fn()
    for stmt in tree.body:
        if not isinstance(stmt, ast.ClassDef):
            continue
        cls = namespace.get(stmt.name)
        if not (isinstance(cls, type) and issubclass(cls, torch.nn.Module) and cls.__module__ == MAIN):
            continue
        if recorder.keras_layer is not None and issubclass(cls, recorder.keras_layer):
            continue  # Keras: a subclass the file never builds is one Keras cannot count either
        if any(isinstance(b.obj, cls) for b in recorder.built):
            continue
        if not _all_defaults(cls):  # the signature of the call: __init__'s, without self
            recorder.built.append(Built(None, stmt.lineno, False, "module"))
            continue
        before = len(recorder.built)
        obj = cls()
        for b in recorder.built[before:]:
            if b.obj is obj:
                b.line = stmt.lineno


def _rows(model: Any) -> list[tuple[str, int, bool]]:
    """(name, params, is_parameter): every registered child name (a module registered under two names is two
    rows, the second counting 0, as paramlint shows a shared layer), then the module's own parameters; a
    parameter reachable twice belongs to the row where named_parameters() meets it first."""
    owned: Counter[str] = Counter()
    for name, p in model.named_parameters():
        owned[name.split(".")[0]] += p.numel()
    rows = [(name, owned[name], False) for name, child in model._modules.items() if child is not None]
    rows += [(name, owned[name], True) for name, p in model._parameters.items() if p is not None]
    return rows


def _sequential_layers(model: Any) -> list[int]:
    seen: set[int] = set()
    per_layer = []
    for child in model._modules.values():
        per_layer.append(0 if id(child) in seen else sum(p.numel() for p in child.parameters()))
        seen.add(id(child))
    return per_layer


def _check(exp: ModelExpectation, model: Any, torch: Any) -> None:
    where = f"line {exp.line}"
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    total = sum(p.numel() for p in model.parameters())
    assert total == exp.total, where
    if exp.trainable is not None:
        assert trainable == exp.trainable, (where, trainable)
    if exp.non_trainable is not None:
        assert total - trainable == exp.non_trainable, (where, total - trainable)
    if exp.layer_params:
        assert [n for _, n in exp.layer_params] == _sequential_layers(model), (
            f"{where}: annotate every layer of the model, in order: {_sequential_layers(model)}")
    if exp.rows is not None:
        rows = _rows(model)
        assert sorted((r.name, r.params) for r in exp.rows) == sorted((n, c) for n, c, _ in rows), (where, rows)
        assert [r.name for r in exp.rows if not r.parameter] == [n for n, _, p in rows if not p], (where, rows)


def _outermost(built: list[Built]) -> list[Built]:
    inner: set[int] = set()
    for b in built:
        if b.obj is not None:
            inner.update(id(m) for m in b.obj.modules() if m is not b.obj)
    return [b for b in built if not b.inside and (b.obj is None or id(b.obj) not in inner)]


def _torch_matches(exp: ModelExpectation, pool: list[Built], torch: Any) -> Iterator[Built]:
    for b in pool:
        if b.obj is None or b.line != exp.line:
            continue
        if exp.expected_kind not in (None, b.kind):
            continue
        if sum(p.numel() for p in b.obj.parameters()) == exp.total:
            yield b


@pytest.mark.parametrize(
    "path",
    [p for p in fixture_files() if p.name not in NEEDS_MISSING_LIBS],
    ids=lambda p: str(p.relative_to(FIXTURES)),
)
def test_fixture_matches_the_framework(
    path: Path, frameworks: tuple[Any, Any], monkeypatch: pytest.MonkeyPatch,
) -> None:
    keras, torch = frameworks
    monkeypatch.setattr(sys, "argv", [path.name])
    _alias_tensorflow(keras, monkeypatch)
    source = path.read_text()
    tree = ast.parse(source)
    recorder = Recorder(torch, str(path), keras.layers.Layer, PROJECT if path.is_relative_to(PROJECT) else None)
    monkeypatch.setattr(torch.nn.Module, "__init__", recorder.wrap(torch.nn.Module.__init__))
    krec = kfix.KerasRecorder(keras, str(path))
    monkeypatch.setattr(keras.layers.Layer, "__init__", krec.wrap(keras.layers.Layer.__init__))
    keras.backend.clear_session()
    with torch.device("meta" if "# oracle: meta" in source else "cpu"):
        namespace = _run(path, source, monkeypatch)
        _build_the_unbuilt(namespace, tree, recorder, torch)
        recorder.on = krec.on = False
    expectations = read_expectations(path)
    outermost = _outermost(recorder.built)
    k_outermost = krec.outermost()
    built_lines = Counter(b.line or 0 for b in outermost) + Counter(b.line or 0 for b in k_outermost)
    unexpected = built_lines - Counter(e.line for e in expectations if e.outermost)
    assert not unexpected, f"the frameworks build outermost models at lines {sorted(unexpected)} that have no expectation"
    k_matched: dict[int, kfix.KerasBuilt] = {}
    k_here: dict[int, list[tuple[str, Optional[int]]]] = {}  # id(expectation) -> the Keras models at its line
    for exp in sorted(expectations, key=lambda e: not e.outermost):
        if exp.outermost:
            k_pool = k_outermost
        else:
            k_outer = k_matched.get(id(outer_of(expectations, exp)))
            k_pool = krec.parts_of(k_outer) if k_outer is not None else []
        used = {id(b) for b in k_matched.values()}
        k_here[id(exp)] = [(b.kind, b.obj.count_params() if b.obj.built else None) for b in k_pool if b.line == exp.line]
        k_found = next((b for b in kfix.matches(exp, k_pool) if id(b) not in used), None)
        if k_found is not None:
            k_matched[id(exp)] = k_found
        if exp.complete and k_found is not None:
            kfix.check(keras, exp, k_found, krec.auto_named)
        elif not exp.complete:
            kfix.check_incomplete(exp, k_pool)

    matched: dict[int, Built] = {}  # id(expectation) -> what it matched
    for exp in sorted(expectations, key=lambda e: not e.outermost):  # outermost first: parts refer to them
        if exp.outermost:
            pool = outermost
        else:
            outer = matched.get(id(outer_of(expectations, exp)))
            if outer is None:
                continue  # the outermost model is one torch cannot build (incomplete); nothing to check
            pool = [b for b in recorder.built if b.obj is not None and any(b.obj is m for m in outer.obj.modules())]
        used = {id(b) for b in matched.values()}
        found = next((b for b in _torch_matches(exp, pool, torch) if id(b) not in used), None)
        if found is not None:
            matched[id(exp)] = found
        if not exp.complete or id(exp) in k_matched:
            continue
        if found is None and k_here.get(id(exp)):
            assert all(n is None for _, n in k_here[id(exp)]), (  # none built (a directive's shape): nothing to check
                f"line {exp.line}: no Keras {exp.expected_kind} here has {exp.total} parameters; built here: {k_here[id(exp)]}")
            continue
        here = [(b.kind, sum(p.numel() for p in b.obj.parameters()))
                for b in pool if b.line == exp.line and b.obj is not None]
        assert found is not None, (
            f"line {exp.line}: no {exp.expected_kind} here has {exp.total} parameters; built here: {here}")
        _check(exp, found.obj, torch)
