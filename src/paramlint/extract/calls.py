"""Calls: layers and Sequentials constructed, the file's functions and classes run, methods followed."""
from __future__ import annotations

import ast
from typing import Any, Optional

from ..engine.findings import InvalidConfig, UnknownValue
from ..engine.values import Layer, Unknown
from . import builtins as bi
from .core import (
    MODEL_READERS,
    REGISTERING,
    SELF_RETURNING,
    Env,
    _BoundMethod,
    _Break,
    _callee_name,
    _Continue,
    _describe,
    _Method,
    _plain,
    _Return,
    _Tainted,
)
from .expressions import Expressions
from .names import SEQUENTIALS, canonical, framework_of
from .objects import Ambiguous, Builtin, ClassV, DictV, Func, ListV, Model, ObjV, Ref, TensorV


class Calls(Expressions):
    def eval_Call(self, node: ast.Call, env: Env) -> Any:
        callee = self.eval(node.func, env)
        args: list[Any] = []
        kwargs: dict[str, Any] = {}
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                value = self.eval(arg.value, env)
                items = self.iterate(value)
                if items is None:
                    args.append(value if isinstance(value, Unknown) else self.unknown(arg, "*-argument not known statically"))
                else:
                    args.extend(items)
                    if isinstance(value, ListV) and value.taint:
                        args.append(_Tainted(value.taint))
            else:
                args.append(self.eval(arg, env))
        for kw in node.keywords:
            value = self.eval(kw.value, env)
            if kw.arg is not None:
                kwargs[kw.arg] = value
            elif isinstance(value, DictV) and all(isinstance(k, str) for k in value.items):
                kwargs.update(value.items)
            else:
                kwargs["**"] = self.unknown(kw, "**-argument not known statically")
        return self.call(callee, args, kwargs, node)

    def call(self, callee: Any, args: list[Any], kwargs: dict[str, Any], node: ast.AST) -> Any:
        if isinstance(callee, Ref):
            return self.construct(callee.qualname, args, kwargs, node)
        if isinstance(callee, Func):
            callee.called = True
            return self.call_func(callee, args, kwargs, node)
        if isinstance(callee, ClassV):
            return self.instantiate(callee, args, kwargs, node)
        if isinstance(callee, _BoundMethod):
            return self.call_func(callee.func, [callee.obj, *args], kwargs, node)
        if isinstance(callee, Builtin):
            return callee.fn(self, args, kwargs, node)
        if isinstance(callee, _Method):
            return self.call_method(callee, args, kwargs, node)
        if isinstance(callee, Unknown):
            name = _callee_name(node)
            if name == "Sequential" and isinstance(callee, Ambiguous):  # nn is torch.nn on one path: say so
                return self.unresolved_model(callee, node)
            if name[:1].isupper():  # an unknown class (MyBlock(3)): an unknown layer if used as one
                return Layer(name, tuple(args), kwargs, *self.pos(node))
            return callee
        return self.unknown(node, "call not known statically")

    def instantiate(self, cls: ClassV, args: list[Any], kwargs: dict[str, Any], node: ast.AST) -> Any:
        """Run the class's ``__init__`` (models built there are found); as a value it is a layer paramlint
        cannot count (an nn.Module / keras Layer subclass), which is what it is when put in a Sequential."""
        cls.instantiated = True
        obj = ObjV("instance", {}, cls)
        init = cls.method("__init__")
        if init is not None:
            self.call_func(Func(f"{cls.name}.__init__", init, cls.scope), [obj, *args], kwargs, node)
        line, col = self.pos(node)
        layer = Layer(cls.name, tuple(_plain(a) for a in args), {k: _plain(v) for k, v in kwargs.items()}, line, col)
        if cls.is_torch_module:
            layer.kind, layer.children = "module", self.submodules(cls, obj, line, col)
        return layer

    def module_mutation(self, module: Layer, name: str, args: list[Any], node: ast.AST) -> None:
        """``self.blocks.append(m)`` on an nn.ModuleList is followed; any other change to what a module
        holds leaves an unknown entry, so it is incomplete rather than short of a submodule."""
        assert module.children is not None
        if self.conditions:
            module.children.append((None, self.unknown(node, f"{module.type_name}.{name}() under {self.conditions[-1].reason}")))
        elif module.qualname == "torch.nn.ModuleList" and name == "append" and len(args) == 1:
            module.children.append((str(len(module.children)), self.as_layer(args[0], node)))
        elif module.qualname == "torch.nn.ModuleList" and name == "extend" and len(args) == 1 and self.iterate(args[0]) is not None:
            for item in self.iterate(args[0]) or []:
                module.children.append((str(len(module.children)), self.as_layer(item, node)))
        else:
            module.children.append((None, self.unknown(node, f"{module.type_name}.{name}() is not followed")))
        return None

    def register_on(self, obj: ObjV, args: list[Any], node: ast.AST) -> None:
        """``self.add_module("fc", m)``, ``setattr(self, name, m)``: set like an attribute; under a name
        not known statically, the instance keeps an unknown entry (it may be a submodule)."""
        if len(args) == 2 and isinstance(args[0], str):
            self.set_attribute(obj, args[0], args[1])
        else:
            line, col = self.pos(node)
            obj.attrs[f"<registered at line {line}>"] = Unknown("a submodule registered under a name not known statically", line, col)
        return None

    def module_container(self, qual: str, args: list[Any], kwargs: dict[str, Any], node: ast.AST) -> Layer:
        """nn.ModuleList / nn.ModuleDict: their modules are registered, each counted on its own."""
        line, col = self.pos(node)
        layer = Layer(qual, (), {}, line, col, children=[], kind="module")
        assert layer.children is not None
        source = args[0] if args else kwargs.get("modules", DictV({}) if qual.endswith("Dict") else ListV([]))
        if isinstance(source, DictV) and not source.taint:
            layer.children.extend((str(k), self.as_layer(v, node)) for k, v in source.items.items())
        elif isinstance(source, ListV) and not source.taint:
            layer.children.extend((str(i), self.as_layer(v, node)) for i, v in enumerate(source.items))
        else:
            layer.children.append((None, self.unknown(node, f"the modules of {qual.rsplit('.', 1)[-1]} are not known statically")))
        return layer

    def submodules(self, cls: ClassV, obj: ObjV, line: int, col: int) -> list[tuple[Optional[str], Any]]:
        """What torch registers: every module assigned to an attribute (plain lists are not registered).
        An attribute whose value is not known might be a module, so it keeps the count incomplete."""
        out: list[tuple[Optional[str], Any]] = []
        if any(isinstance(b, ClassV) for b in cls.bases):
            out.append((None, Unknown(f"{cls.name} inherits from a class of the file, whose submodules are not followed", line, col)))
        for attr, value in obj.attrs.items():
            if isinstance(value, Layer):
                out.append((attr, value))
            elif isinstance(value, Unknown):
                reason = value.reason if value.reason.startswith(f"'self.{attr}'") else f"'self.{attr}' of {cls.name}: {value.reason}"
                out.append((attr, Unknown(reason, value.line, value.column, value.limit)))
        return out

    def unresolved_model(self, callee: Unknown, node: ast.AST) -> Model:
        """A ``Sequential(...)`` call whose callee is not known: reported incomplete, never dropped, so that
        binding ``nn`` under a condition cannot escape a budget."""
        line, col = self.pos(node)
        model = Model("Sequential", (), {}, line, col, children=[], framework="unknown")
        model.taint.append(UnknownValue(line, col, what="the model", reason=f"which Sequential this is: {callee.reason}"))
        self.touch(model)
        self.models.append(model)
        return model

    def construct(self, qualname: str, args: list[Any], kwargs: dict[str, Any], node: ast.AST) -> Any:
        qual = canonical(qualname)
        line, col = self.pos(node)
        tainted = [a for a in args if isinstance(a, _Tainted)]
        args = [a for a in args if not isinstance(a, _Tainted)]
        if qual in SEQUENTIALS:
            model = Model(qual, (), {}, line, col, children=[], framework=SEQUENTIALS[qual])
            for t in tainted:
                model.taint.extend(t.findings)
            self.fill_sequential(model, args, kwargs, node)
            self.taint(model)  # built under a condition not known statically: which model later code extends is not known
            self.touch(model)
            self.models.append(model)
            return model
        if qual in ("torch.nn.ModuleList", "torch.nn.ModuleDict"):
            return self.module_container(qual, args, kwargs, node)
        if qual == "torch.nn.Parameter":  # nn.Parameter(torch.zeros(1, 1, dim)): its shape is what counts
            data = args[0] if args else kwargs.get("data")
            grad = args[1] if len(args) > 1 else kwargs.get("requires_grad", True)
            shape = (data.shape if isinstance(data, TensorV) else data if isinstance(data, Unknown)
                     else self.unknown(node, "the parameter's tensor is not known statically"))
            return Layer(qual, (shape,), {"requires_grad": _plain(grad)}, line, col)
        if framework_of(qual) is not None:
            return Layer(qual, tuple(_plain(a) for a in args), {k: _plain(v) for k, v in kwargs.items()}, line, col)
        special = bi.QUALIFIED.get(qual)
        if special is not None:
            return special(self, args, kwargs, node)
        if qual.rsplit(".", 1)[-1][:1].isupper():  # a class paramlint does not know: an unknown layer if used as one
            return Layer(qual.removeprefix("<local>."), tuple(args), kwargs, line, col)
        return self.unknown(node, f"'{qual}(...)' is not evaluated")

    def fill_sequential(self, model: Model, args: list[Any], kwargs: dict[str, Any], node: ast.AST) -> None:
        assert model.children is not None
        if model.framework == "keras":
            name = kwargs.get("name")
            if isinstance(name, str):
                model.name = name
            layers = kwargs.get("layers", args[0] if args else None)
            if layers is None:
                return
            items = self.iterate(layers)
            if items is None:
                model.children.append((None, layers if isinstance(layers, Unknown) else self.unknown(node, "the layer list is not known statically")))
                return
            if isinstance(layers, ListV):
                model.taint.extend(layers.taint)
            for item in items:
                model.children.append((None, self.as_layer(item, node)))
            return
        if len(args) == 1 and isinstance(args[0], DictV):
            model.taint.extend(args[0].taint)
            for key, item in args[0].items.items():
                model.children.append((str(key), self.as_layer(item, node)))
            return
        for item in args:
            model.children.append((None, self.as_layer(item, node)))

    def as_layer(self, item: Any, node: ast.AST) -> Any:
        if isinstance(item, (Layer, Unknown)):
            return item
        return self.unknown(node, f"{_describe(item)} is not a layer")

    def call_method(self, method: "_Method", args: list[Any], kwargs: dict[str, Any], node: ast.AST) -> Any:
        obj, name = method.obj, method.name
        if name == "requires_grad_":
            self.freezes.append(("torch", self.unknown(node, "'.requires_grad_()' changes which parameters are trainable")))
        if isinstance(obj, Model):
            return self.model_method(obj, name, args, kwargs, node)
        if isinstance(obj, ListV):
            return self.list_method(obj, name, args, node)
        if isinstance(obj, DictV):
            return bi.dict_method(self, obj, name, args, kwargs, node)
        if isinstance(obj, ObjV) and name in REGISTERING:
            return self.register_on(obj, args, node)
        if isinstance(obj, ObjV) and obj.kind == "parser":
            return obj if name == "add_argument_group" else bi.parser_method(self, obj, name, args, kwargs, node)
        if isinstance(obj, str):
            return bi.str_method(self, obj, name, args, kwargs, node)
        if isinstance(obj, TensorV) and name.endswith("_") and not name.startswith("_"):
            return obj  # in-place initialisation (normal_, uniform_, fill_, zero_): the shape is unchanged
        if isinstance(obj, Layer):
            if name in SELF_RETURNING:
                return obj
            if obj.kind == "module" and name not in MODEL_READERS:  # may change what it holds
                return self.module_mutation(obj, name, args, node)
            return self.unknown(node, f"{obj.type_name}.{name}() is not evaluated")
        return self.unknown(node, f".{name}() is not evaluated")

    def list_method(self, obj: ListV, name: str, args: list[Any], node: ast.AST) -> Any:
        if name in ("append", "extend", "insert"):
            self.taint(obj)
        if name == "append" and len(args) == 1:
            obj.items.append(args[0])
            self.check_size(len(obj.items), node)
            return None
        if name == "extend" and len(args) == 1:
            self.extend(obj, args[0], node)
            return None
        if name == "insert" and len(args) == 2 and isinstance(args[0], int):
            obj.items.insert(args[0], args[1])
            return None
        if name == "copy":
            return ListV(list(obj.items), list(obj.taint))
        if name in ("pop", "remove", "clear", "reverse", "sort"):
            obj.taint.append(UnknownValue(*self.pos(node), what="the layers", reason=f"list.{name}() is not followed"))
        return self.unknown(node, f"list.{name}() is not evaluated")

    def model_method(self, model: Model, name: str, args: list[Any], kwargs: dict[str, Any], node: ast.AST) -> Any:
        assert model.children is not None
        self.taint(model)
        self.touch(model)
        if name in SELF_RETURNING:
            return model
        keras, torch = model.framework == "keras", model.framework == "torch"
        if (keras and name == "add" or torch and name == "append") and len(args) == 1:
            model.children.append((None, self.as_layer(args[0], node)))
        elif keras and name == "build":
            shape = args[0] if args else kwargs.get("input_shape")
            if isinstance(shape, ListV):
                shape = tuple(shape.items)
            dims = shape[1:] if isinstance(shape, tuple) and len(shape) >= 1 else None
            if dims is not None and all(d is None or (type(d) is int and d > 0) for d in dims):
                model.build_shape = tuple(dims)
            elif dims is not None and not any(isinstance(d, Unknown) for d in dims):  # 3.5, True, -4: a count from them would be wrong
                model.taint.append(InvalidConfig(*self.pos(node), layer="model.build()",
                                                 reason=f"expected a shape of positive integers or None. Received: {shape!r}"))
            else:
                model.taint.append(UnknownValue(*self.pos(node), what="the input shape", reason="model.build() argument not known statically"))
        elif keras and name == "pop" and model.children:
            model.children.pop()
        elif torch and name == "add_module" and len(args) == 2:
            key = args[0] if isinstance(args[0], str) else None
            if key is None:
                model.taint.append(UnknownValue(*self.pos(node), what="the layers", reason="add_module() name not known statically"))
            model.children.append((key, self.as_layer(args[1], node)))
        elif torch and name == "extend" and len(args) == 1:
            for item in self.iterate(args[0]) or [self.unknown(node, "extend() argument not known statically")]:
                model.children.append((None, self.as_layer(item, node)))
        elif torch and name == "insert" and len(args) == 2 and isinstance(args[0], int):
            model.children.insert(args[0], (None, self.as_layer(args[1], node)))
        elif name in MODEL_READERS:
            return self.unknown(node, f"{name}() result is not evaluated")
        else:
            model.taint.append(UnknownValue(*self.pos(node), what="the layers", reason=f"{name}() on the model is not followed"))
        return None

    def call_func(self, func: Func, args: list[Any], kwargs: dict[str, Any], node: ast.AST, defaults_only: bool = False) -> Any:
        if self.depth >= self.limits.depth:  # deep recursion: this call's result is unknown, the file goes on
            return Unknown(f"{func.name}() nested {self.limits.depth} calls deep", *self.pos(node), limit="call depth")
        local = Env(func.scope)
        spec: ast.arguments = func.node.args
        ordered = list(spec.posonlyargs) + list(spec.args)
        defaults: list[Optional[ast.expr]] = [None] * (len(ordered) - len(spec.defaults)) + list(spec.defaults)
        args = [a for a in args if not isinstance(a, _Tainted)]
        kwargs = dict(kwargs)
        why = "has no default" if defaults_only else "is not given"
        for i, (param, default) in enumerate(zip(ordered, defaults)):
            if i < len(args):
                local.vars[param.arg] = args[i]
            elif param.arg in kwargs:
                local.vars[param.arg] = kwargs.pop(param.arg)
            elif default is not None:
                local.vars[param.arg] = self.eval(default, func.scope)
            else:
                local.vars[param.arg] = Unknown(f"parameter '{param.arg}' of {func.name}() {why}", *self.pos(param))
        for param, kw_default in zip(spec.kwonlyargs, spec.kw_defaults):
            if param.arg in kwargs:
                local.vars[param.arg] = kwargs.pop(param.arg)
            elif kw_default is not None:
                local.vars[param.arg] = self.eval(kw_default, func.scope)
            else:
                local.vars[param.arg] = Unknown(f"parameter '{param.arg}' of {func.name}() {why}", *self.pos(param))
        if spec.vararg is not None:
            local.vars[spec.vararg.arg] = tuple(args[len(ordered):])
        if spec.kwarg is not None:
            local.vars[spec.kwarg.arg] = DictV(dict(kwargs))
        self.depth += 1
        try:
            if isinstance(func.node, ast.Lambda):
                return self.eval(func.node.body, local)
            self.exec_block(func.node.body, local)
        except _Return as ret:
            value = ret.value
            if isinstance(value, Model) and value.returned_by is None:
                value.returned_by = f"{func.name}()"
            return value
        except (_Break, _Continue):
            pass
        finally:
            self.depth -= 1
        return None

    # -- helpers ----------------------------------------------------------
