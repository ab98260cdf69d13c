"""A small, safe, bounded abstract interpreter over a Python syntax tree.

It runs the file's statements in order without executing anything real: imports bind
qualified names, constants fold, lists and models are built as values, the file's functions
and classes are called with known arguments. Whatever it cannot know becomes ``Unknown``
with a reason and a line; whatever it cannot bound raises ``LimitReached``.

The parts: ``core`` (state and primitives), ``expressions``, ``calls`` (calls and attributes),
``statements``; what each library's objects do lives in ``libs/``, found through ``handlers``.
"""
from __future__ import annotations

import ast
from typing import Any, Iterator, Mapping, Optional

from ..engine.findings import LimitReached, NeedsInputShape, UnknownValue
from ..engine.graph import Node as GraphNode
from ..engine.values import Shape
from . import handlers
from .core import _Break, _Continue, _Return
from ..engine.spec import REGISTRY
from .objects import ClassV, Func, KerasInstance, KTensor, LayerModel, Model, ModuleInstance
from .calls import Calls
from .expressions import Expressions
from .modules import Imports
from .statements import Statements

handlers.load()


class Interpreter(Imports, Statements, Calls, Expressions):
    """Runs a module: its statements in order, then the functions and classes it never calls.

    ``path`` is the file's place on disk (None: not known), from which its imports are followed."""

    def __init__(self, module: ast.Module, source: str, limits: Any, path: Optional[str] = None,
                 python_path: tuple[str, ...] = (), fs: Any = None) -> None:
        super().__init__(module, source, limits)
        self.start_modules(path, python_path, fs)

    def run_module(self) -> None:
        try:
            self.exec_block(self.module.body, self.globals)
        except (_Return, _Break, _Continue):
            pass  # 'return' outside a function parses (ast does not check it); like Python, nothing runs after it
        self.main.running = False  # imports read from here on see the whole file
        self._run_entry_points()

    def follow_directives(self, input_shapes: Mapping[int, Shape]) -> None:
        for inst in list(self.instances):
            shape = input_shapes.get(inst.line)
            if shape is not None and isinstance(inst, KerasInstance) and not inst.built:
                self.call(inst, [KTensor((None, *shape), GraphNode(None, is_input=True))], {}, inst.cls.node if inst.cls is not None else self.module)
            elif shape is not None and inst.seen_input is None and not isinstance(inst, KerasInstance):
                self.follow_forward(inst, shape, inst.cls.node if inst.cls is not None else self.module)

    def _run_entry_points(self) -> None:
        """Functions never called by the file are run once with their default arguments, and nn.Module
        classes never instantiated are instantiated with ``__init__``'s defaults, at their ``class`` line."""
        called_by_others = self._called_by_functions()
        for func in list(self.funcs):
            if func.called or func.scope is not self.globals or func.name in called_by_others:
                continue  # a helper other functions call is run through them, with their arguments
            self._call_with_defaults(func)
        for func in list(self.funcs):  # called only by functions never run (cycles): still never silently skipped
            if not func.called and func.scope is self.globals:
                self._call_with_defaults(func)
        for cls in list(self.classes):
            if not cls.instantiated and cls.scope is self.globals and (cls.is_torch_module or cls.bases and self._init_constructs(cls)):
                self._instantiate_with_defaults(cls)

    def _called_by_functions(self) -> set[str]:
        """The names that the file's functions call by name, each function's calls to itself aside."""
        names: set[str] = set()
        for func in self.funcs:
            body = func.node.body if isinstance(func.node.body, list) else [func.node.body]  # a lambda: one expression
            names.update(c.func.id for c in self.calls_in(body) if isinstance(c.func, ast.Name) and c.func.id != func.name)
        return names

    def _init_constructs(self, cls: ClassV) -> bool:
        """A class of the file with a base paramlint does not know may be a module: its ``__init__`` tells,
        when it can construct a layer or a model."""
        init, _ = cls.lookup("__init__")
        return isinstance(init, Func) and self.constructs(init.node.body, init.scope, set())

    def _call_with_defaults(self, func: Func) -> None:
        if not self.constructs(func.node.body, func.scope, set()):  # cheap: a function that builds nothing is not run
            return
        func.called = True
        self._with_defaults(f"{func.name}() called with its default arguments", lambda: self.call_func(func, [], {}, func.node, defaults_only=True))

    def _instantiate_with_defaults(self, cls: ClassV) -> None:
        self._with_defaults(f"{cls.name}() instantiated with its default arguments", lambda: self.instantiate(cls, [], {}, cls.node, defaults_only=True))

    def _with_defaults(self, note: str, run: Any) -> None:
        self.assumptions = [note]
        first_new = len(self.models)
        try:
            run()
        except LimitReached as exc:
            for model in self.models[first_new:]:
                model.taint.append(exc)
            raise
        finally:
            self.assumptions = []


def iter_models(interp: Interpreter) -> Iterator[tuple[Model, Optional[Model]]]:
    """Every model with the model it is part of (None for an outermost one), each whole before its parts.

    A model made while another module was being constructed and not kept by it is that module's working
    value (a prototype to copy, a block torch never registers): not a model of its own."""
    for inst in interp.instances:
        inst.children = list(inst.registered())
        if isinstance(inst, KerasInstance) and inst.is_model and inst.build_unknown is not None:  # model(x_train)
            inst.taint.append(UnknownValue(inst.build_unknown.line, inst.build_unknown.column, what="the weights",
                                           reason=inst.build_unknown.reason, fix="call it on keras.Input(shape=...)"))
        if isinstance(inst, KerasInstance) and inst.is_model and not inst.built:
            inst.taint.append(NeedsInputShape(inst.line, inst.column, layer="its layers",
                                              fix=f"Keras builds a subclassed model when it is first called: call it on "
                                                  f"keras.Input(shape=...) or add '# paramlint: input-shape=(...)' on the line of {inst.type_name}(...)"))
    interp.models.extend(_loose_layer_models(interp))
    interp.models.extend(_uncounted_models(interp))
    models = {id(m): m for m in interp.models}
    inner: set[int] = set()
    for model in interp.models:
        for child in _children(model):
            inner.add(id(child))
    seen_at: set[tuple[int, int, Optional[str], Optional[str], int]] = set()
    listed: set[int] = set()

    def parts(model: Model) -> Iterator[tuple[Model, Optional[Model]]]:
        stack = [(child, model) for child in reversed(_children(model))]
        while stack:
            child, whole = stack.pop()
            if id(child) in listed:
                continue
            listed.add(id(child))
            if id(child) in models:
                yield models[id(child)], whole
                whole = models[id(child)]
            stack.extend((c, whole) for c in reversed(_children(child)))

    for model in interp.models:
        key = (model.line, model.column, model.name, model.returned_by, model.origin)  # a loop's copies are one; builders' calls not
        if id(model) in inner or id(model) in listed or key in seen_at:
            continue
        if model.built_in is not None or model.transient:  # a prototype another module made and did not keep
            continue
        seen_at.add(key)
        listed.add(id(model))
        yield model, None
        yield from parts(model)


def _loose_layer_models(interp: Interpreter) -> list[Model]:
    """torch layers with parameters bound at module level and part of no model: each a model of its own."""
    from ..engine.findings import Finding
    from ..engine.stack import Counter

    inside: set[int] = set()
    stack = [c for m in interp.models for c in _children(m)]
    while stack:
        layer = stack.pop()
        if id(layer) not in inside:
            inside.add(id(layer))
            stack.extend(_children(layer))
    out: list[Model] = []
    for name, layer in interp.loose_layers:
        if id(layer) in inside or layer.qualname not in REGISTRY:
            continue
        inside.add(id(layer))
        try:
            if not Counter("torch").run(layer, None).params:
                continue  # a loss or an activation: nothing to budget
        except Finding:
            pass  # reported incomplete, with the reason
        out.append(LayerModel(layer.type_name, (), {}, layer.line, layer.column, children=[(None, layer)], kind="module",
                              framework="torch", name=name))
    return out


def _uncounted_models(interp: Interpreter) -> list[Model]:
    """A value not followed (what a package paramlint cannot read made, ``torch.load(...)``), bound at module
    level and used as a model (``model.fc = ...``, ``model.parameters()``, ``model.summary()``): a model,
    incomplete, its reason the value's (naming the package, for one not found)."""
    out: list[Model] = []
    for name, value in interp.uncounted_bound:
        used = interp.uncounted_models.pop(id(value), None)
        if used is not None:  # a layer set on it after (model.fc = ...) keeps it incomplete, whatever it is declared
            children: list[tuple[Optional[str], Any]] = [(None, value), *((None, change) for change in used[1])]
            out.append(LayerModel("(not read)", (), {}, value.line, value.column, children=children, kind="module",
                                  framework=used[0], name=name))
    return out


def _children(layer: Any) -> list[Any]:
    return [v for _, v in (layer.children or [])] if hasattr(layer, "children") else []


__all__ = ["Interpreter", "ModuleInstance", "iter_models"]
