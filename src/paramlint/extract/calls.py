"""Calls and attributes: the file's functions and classes run, library calls and methods sent to their handlers."""
from __future__ import annotations

import ast
import copy
from typing import Any, Optional

from ..engine.findings import UnknownValue
from ..engine.spec import REGISTRY
from ..engine.values import Layer, Unknown
from . import handlers
from .core import Core, Env, _Break, _callee_name, _Continue, _describe, _plain, _Return, _Tainted
from .libs import keras as keras_lib
from .libs import keras_graph
from .libs import torch as torch_lib
from .libs import torch_forward
from .libs import stdlib
from .names import SEQUENTIALS, canonical, framework_of
from .objects import (
    Ambiguous, BoundMethod, Builtin, ClassV, DataTensor, DictV, Func, FunctionalModel, KerasInstance, KTensor, ListV, Method,
    Model, ModuleInstance, NamedTupleV, NotModule, ObjV, ParamGroup, Params, ParamSlot, Partial, RangeV, Ref, SequentialModel,
    Super, TensorV,
)

TORCH_LIBRARY_BASES = frozenset({"torch.nn.Module", "torch.nn.modules.module.Module", *torch_lib.CONTAINERS, torch_lib.TORCH_SEQUENTIAL})


class Calls(Core):
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
        if isinstance(callee, BoundMethod):
            if isinstance(callee.obj, KerasInstance) and callee.func.name.rsplit(".", 1)[-1] == "build":
                callee.obj.built = callee.obj.build_ran = True  # the class's own build(), run once
            return self.call_func(callee.func, [callee.obj, *args], kwargs, node)
        if isinstance(callee, Builtin):
            return callee.fn(self, args, kwargs, node)
        if isinstance(callee, Method):
            return self.call_method(callee, args, kwargs, node)
        if isinstance(callee, Partial):
            return self.call(callee.func, [*callee.args, *args], {**callee.kwargs, **kwargs}, node)
        if isinstance(callee, Layer) and (callee.qualname.startswith("keras.") or isinstance(callee, KerasInstance)):
            if keras_graph.is_symbolic_call(args, kwargs):  # a layer or model called on symbolic tensors
                return keras_graph.call_layer(self, callee, args, kwargs, node)
            return keras_graph.called_on_data(self, callee, node)
        if isinstance(callee, Layer):  # a module or layer called on data: its forward changes nothing counted
            if args and isinstance(args[0], TensorV) and (callee.qualname.startswith("torch.") or isinstance(callee, ModuleInstance)):
                return self.forward(callee, args[0], args[1:], kwargs, node)
            return NotModule(f"the output of {callee.type_name} is not evaluated", *self.pos(node))
        if isinstance(callee, Unknown):
            name = _callee_name(node)
            if not isinstance(callee, NotModule) and (name in torch_lib.MODULE_ONLY or name in keras_lib.MODEL_ONLY):
                self.uncounted_models.setdefault(id(callee), ("torch" if name in torch_lib.MODULE_ONLY else "keras", []))
            if name == "requires_grad_":  # on something not followed: which model it reaches is not known
                self.freezes.append(("torch", self.unknown(node, "'.requires_grad_()' changes which parameters are trainable")))
            if name == "Sequential" and isinstance(callee, Ambiguous):  # nn is torch.nn on one path: say so
                return self.unresolved_model(callee, node)
            if name[:1].isupper():  # an unknown class (MyBlock(3)): an unknown layer if used as one
                return Layer(name, tuple(args), kwargs, *self.pos(node))
            if callee.limit == "imported modules" and not isinstance(callee, NotModule):
                # timm.create_model(...) of a library read only in part: what it makes is a model not counted
                made = Unknown(callee.reason, *self.pos(node), limit=callee.limit, module=callee.module)
                self.uncounted_models[id(made)] = ("keras" if "keras" in self.source and "torch" not in self.source else "torch", [])
                return made
            return callee
        return self.unknown(node, "call not known statically")

    # -- the file's classes -------------------------------------------------------------------------
    def instantiate(self, cls: ClassV, args: list[Any], kwargs: dict[str, Any], node: ast.AST, defaults_only: bool = False) -> Any:
        """Run ``__init__`` along the MRO. An nn.Module subclass gives a ``ModuleInstance``: a model of its
        own, and a layer when put in another model."""
        for base in cls.mro():
            if isinstance(base, ClassV):
                base.instantiated = True
        if cls.dataclass or cls.lookup("__init__")[0] is None and _dataclass_after(cls, None):
            return self.dataclass_instance(cls, args, kwargs, node)
        line, col = self.pos(node)
        obj: Any
        keras_kind = None if cls.is_torch_module else keras_graph.keras_base(cls)
        if keras_kind is not None:  # a keras.Model or keras.layers.Layer subclass
            obj = KerasInstance(cls.name, (), {}, line, col, children=[], kind="module", framework="keras", cls=cls,
                                is_model=keras_kind == "model")
            if obj.is_model:
                self.taint(obj)
                self.new_model(obj)
            else:
                self.instances.append(obj)
            self.constructing.append(obj)
        elif cls.is_torch_module:
            obj = ModuleInstance(cls.name, (), {}, line, col, children=[], kind="module", framework="torch", cls=cls)
            for base in cls.library_bases():
                if not (isinstance(base, Ref) and base.qualname in TORCH_LIBRARY_BASES or isinstance(base, Ref) and canonical(base.qualname) in REGISTRY):
                    obj.attrs[f"<base {_describe_base(base)}>"] = Unknown(f"{cls.name} derives from {_describe_base(base)}, which is not followed", line, col)
            self.taint(obj)
            self.new_model(obj)
            self.constructing.append(obj)
        else:
            obj = ObjV("instance", {}, cls)
        init, owner = cls.lookup("__init__")
        try:
            if isinstance(init, Func):
                self.call_func(init, [obj, *args], kwargs, node, defaults_only)
            elif isinstance(owner, Ref):  # no __init__ of its own (class LayerNorm2d(nn.LayerNorm)): the library's runs
                self.init_library_base(obj, owner, args, kwargs, node)
        finally:
            if isinstance(obj, ModuleInstance):
                self.constructing.pop()
        unknown_bases = [b for b in cls.library_bases() if isinstance(b, (Unknown, Ref))]
        if isinstance(obj, ObjV) and unknown_bases and any(isinstance(v, Layer) and v.qualname.startswith("torch.") for v in obj.attrs.values()):
            return self.unknown_base_module(cls, obj, line, col)
        return obj

    def unknown_base_module(self, cls: ClassV, obj: ObjV, line: int, col: int) -> ModuleInstance:
        """A class whose bases are not known statically (imported from elsewhere) but whose ``__init__``
        holds torch layers is very likely a module: reported, incomplete, never passed in silence."""
        inst = ModuleInstance(cls.name, (), {}, line, col, children=[], kind="module", framework="torch", cls=cls)
        bases = ", ".join(_describe_base(b) for b in cls.library_bases()) or "its bases"
        inst.attrs[f"<base {bases}>"] = Unknown(f"{cls.name} derives from {bases}, which is not followed", line, col)
        inst.attrs.update(obj.attrs)
        self.taint(inst)
        self.new_model(inst)
        return inst

    def dataclass_instance(self, cls: ClassV, args: list[Any], kwargs: dict[str, Any], node: ast.AST) -> ObjV:
        """A ``@dataclass``: its fields in order, from the arguments or the class-level defaults."""
        obj = ObjV("instance", {}, cls)
        return self.dataclass_init(obj, args, kwargs, node)

    def dataclass_init(self, obj: ObjV, args: list[Any], kwargs: dict[str, Any], node: ast.AST) -> ObjV:
        """The ``__init__`` a dataclass generates (also reached through ``super().__init__(...)`` of a subclass)."""
        cls = obj.cls
        assert cls is not None
        fields = [f for c in reversed(cls.mro()) if isinstance(c, ClassV) and c.dataclass for f in c.attrs.get("__fields__", ())]
        for i, name in enumerate(dict.fromkeys(fields)):
            if i < len(args):
                obj.attrs[name] = args[i]
            elif name in kwargs:
                obj.attrs[name] = kwargs[name]
            else:
                default, _ = cls.lookup(name)
                obj.attrs[name] = default if default is not None else Unknown(f"field '{name}' of {cls.name} has no default", *self.pos(node))
        post, _ = cls.lookup("__post_init__")
        if isinstance(post, Func):
            self.call_func(post, [obj], {}, node)
        return obj

    def make_super(self, args: list[Any], node: ast.AST) -> Any:
        if len(args) == 2 and isinstance(args[0], ClassV):
            return Super(args[0], args[1])
        owner, obj = self.frames[-1] if self.frames else (None, None)
        if not args and owner is not None:
            return Super(owner, obj)
        return self.unknown(node, "super() not known statically")

    def copy_layer(self, layer: Layer) -> Layer:
        """A new layer like ``layer`` (for ``copy.deepcopy``): its own identity, a model of its own if it is one."""
        out = copy.copy(layer)
        if isinstance(out, Model):
            out.name, out.taint, out.assumptions = None, list(out.taint), list(out.assumptions)
        if isinstance(out, ModuleInstance):
            out.children = []
        if isinstance(out, Model):
            self.new_model(out)
        return out

    # -- attributes ---------------------------------------------------------------------------------
    def attribute(self, base: Any, attr: str, node: ast.AST) -> Any:
        if isinstance(base, Ref):
            return Ref(f"{base.qualname}.{attr}")
        if isinstance(base, Unknown):
            return base
        if isinstance(base, Super):
            cls = base.obj.cls if isinstance(base.obj, (ObjV, ModuleInstance)) and base.obj.cls is not None else base.cls
            value, owner = cls.lookup(attr, after=base.cls)
            if isinstance(value, Func):
                return BoundMethod(value, base.obj)
            if attr == "__init__" and value is None and isinstance(base.obj, ObjV) and _dataclass_after(cls, base.cls):
                return Builtin("dataclass __init__", lambda it, a, k, n: it.dataclass_init(base.obj, a, k, n) and None)
            if isinstance(owner, Ref) and attr == "__init__":
                return Builtin(f"{owner.qualname}.__init__", lambda it, a, k, n: it.init_library_base(base.obj, owner, a, k, n))
            return value if owner is not None and value is not None else self.unknown(node, f"super().{attr} is not known statically")
        if isinstance(base, (Func, ClassV)) and attr in ("__name__", "__qualname__"):
            return base.name if attr == "__qualname__" else base.name.rsplit(".", 1)[-1]
        if isinstance(base, ClassV):
            value, owner = base.lookup(attr)
            if isinstance(value, Func):
                return BoundMethod(value, base) if "classmethod" in value.decorators else value
            if value is not None or isinstance(owner, ClassV):
                return value
            if isinstance(owner, Ref):
                return Ref(f"{owner.qualname}.{attr}")
            return self.unknown(node, f"'{base.name}.{attr}' is not known statically")
        if isinstance(base, (ObjV, ModuleInstance)):
            return self.instance_attribute(base, attr, node)
        if isinstance(base, KTensor):
            return keras_graph.tensor_attribute(self, base, attr, node)
        if isinstance(base, FunctionalModel) and attr in keras_graph.MODEL_ATTRIBUTES:
            return keras_graph.model_attribute(base, attr)
        if isinstance(base, Layer):
            lib = torch_lib if base.qualname.startswith("torch.") else keras_lib
            found = lib.layer_attribute(self, base, attr, node)
            return found if found is not None else Method(base, attr)
        if isinstance(base, ParamSlot) and base.name and not attr.startswith("_") and attr not in torch_lib.TENSOR_ATTRIBUTES:
            return ParamSlot(base.owner, f"{base.name}.{attr}")  # attn.out_proj.weight: a parameter inside a torch layer
        if isinstance(base, NamedTupleV):
            return stdlib.namedtuple_attribute(self, base, attr, node)
        if isinstance(base, (ListV, DictV, str, TensorV, DataTensor, Params, ParamGroup, ParamSlot)):
            return Method(base, attr)
        return self.unknown(node, f"attribute '{attr}' is not known statically")

    def instance_attribute(self, obj: Any, attr: str, node: ast.AST) -> Any:
        if attr in obj.attrs:
            value = obj.attrs[attr]
            if isinstance(obj, ObjV) and obj.kind == "namespace" and not isinstance(value, Unknown):
                flag = obj.attrs.get("__flags__", {}).get(attr, f"--{attr}")
                note = f"argparse default {flag}={value!r}"
                if note not in self.assumptions:
                    self.assumptions.append(note)
            return value
        if obj.cls is not None:
            value, owner = obj.cls.lookup(attr)
            if isinstance(value, Func):
                if "staticmethod" in value.decorators:
                    return value
                if "classmethod" in value.decorators:
                    return BoundMethod(value, obj.cls)
                if "property" in value.decorators:
                    return self.call_func(value, [obj], {}, node)
                return BoundMethod(value, obj)
            if value is not None or isinstance(owner, ClassV):
                return value
            if isinstance(owner, Ref):  # an attribute of the library base: nn.Module's methods, a torch layer's arguments
                base_layer = obj.attrs.get(f"<{canonical(owner.qualname).rsplit('.', 1)[-1]}>") if isinstance(obj, ModuleInstance) else None
                found = torch_lib.layer_attribute(self, base_layer, attr, node) if isinstance(base_layer, Layer) else None
                return found if found is not None else Method(obj, attr)
        if isinstance(obj, ObjV) and obj.kind == "parser":
            return Method(obj, attr)
        if isinstance(obj, ModuleInstance):
            return Method(obj, attr)
        return self.unknown(node, f"'{attr}' is not known statically")

    def set_on(self, obj: Any, attr: str, value: Any, node: ast.AST) -> None:
        """``obj.attr = value`` (also ``setattr``, ``add_module``): each library's rules for what it changes."""
        if isinstance(obj, Unknown) and not isinstance(obj, NotModule):
            used = "torch" if isinstance(value, Layer) and value.qualname.startswith("torch.") or isinstance(value, ModuleInstance) \
                else "keras" if attr == "trainable" and obj.module or isinstance(value, Layer) and value.qualname.startswith("keras.") else None
            if used is not None:  # model.fc = nn.Linear(...) on a value not followed: a model, changed after
                changes = self.uncounted_models.setdefault(id(obj), (used, []))[1]
                if isinstance(value, Layer):
                    changes.append(self.unknown(node, f"'.{attr}' is set on a model not counted"))
            if obj.module and attr in ("trainable", "requires_grad"):
                return  # it freezes the model a package not read made, reported not counted: no other split in doubt
        if attr == "requires_grad":
            if not torch_lib.set_trainability(self, obj, value, node):
                self.freezes.append(("torch", self.unknown(node, "'.requires_grad = ...' changes which parameters are trainable")))
            return
        if attr == "trainable" and isinstance(obj, KerasInstance):
            keras_lib.set_trainable(self, obj, value, node)
            return
        if attr == "trainable" and not isinstance(obj, (ObjV, ModuleInstance)):
            if not keras_lib.set_trainable(self, obj, value, node):
                self.freezes.append(("keras", self.unknown(node, "'.trainable = ...' changes which parameters are trainable")))
            return
        if isinstance(obj, (ObjV, ModuleInstance)):
            self.set_attribute(obj, attr, value)
        elif isinstance(obj, Layer) and obj.qualname.startswith("torch."):
            if torch_lib.set_layer_attribute(self, obj, attr, value, node):
                return
            if obj.children is not None and isinstance(value, (Layer, Unknown)) and not isinstance(value, NotModule):
                # m.extra = nn.Linear(...) after construction: torch registers it too; m.fc = ... replaces m.fc in place
                value = value if not self.conditions else self.unknown(node, "set under a condition")
                at = next((i for i, (name, _) in enumerate(obj.children) if name == attr), None)
                if at is None:
                    obj.children.append((attr, value))
                else:
                    obj.children[at] = (attr, value)
            elif isinstance(value, (Layer, ParamSlot)) or attr in torch_lib.PARAMETER_NAMES:
                obj.changed = self.unknown(node, f"'{obj.type_name}.{attr} = ...' is not followed")
        elif isinstance(obj, Method) and isinstance(obj.obj, Layer) and isinstance(value, (Layer, ParamSlot, Unknown)):
            # an attribute of a model that was not resolved: what is set there may be counted by torch
            owner = obj.obj
            reason = self.unknown(node, f"'.{obj.name}.{attr} = ...' is not followed")
            if isinstance(owner, ModuleInstance):
                owner.attrs[f"<set at line {reason.line}>"] = reason
            elif owner.children is not None:
                owner.children.append((None, reason))
            else:
                owner.changed = reason

    def delete_attribute(self, obj: Any, attr: str, node: ast.AST) -> None:
        """``del model.fc``: torch unregisters it."""
        if isinstance(obj, (ObjV, ModuleInstance)) and attr in obj.attrs:
            if self.conditions:
                obj.attrs[attr] = self.unknown(node, f"'{attr}' is deleted where {self.conditions[-1].reason}")
            else:
                del obj.attrs[attr]

    def init_library_base(self, obj: Any, base: Ref, args: list[Any], kwargs: dict[str, Any], node: ast.AST) -> None:
        """``super().__init__(...)`` reaching a library class: nn.Module registers nothing; nn.Sequential and
        ModuleList register what they are given; a torch layer base brings its own parameters."""
        if isinstance(obj, KerasInstance):
            return keras_graph.init_base(self, obj, args, kwargs, node)
        if not isinstance(obj, ModuleInstance):
            return None
        qual = canonical(base.qualname)
        args = [a for a in args if not isinstance(a, _Tainted)]
        if qual in (torch_lib.TORCH_SEQUENTIAL, *torch_lib.CONTAINERS):
            if len(args) == 1 and isinstance(args[0], DictV):
                entries = list(args[0].items.items())
            elif qual == torch_lib.TORCH_SEQUENTIAL:
                entries = list(enumerate(args))
            else:
                entries = list(enumerate(self.iterate(args[0]) or [self.unknown(node, "modules not known statically")])) if args else []
            for key, item in entries:
                self.set_attribute(obj, str(key), self.as_layer(item, node))
            for given in args[:1]:
                for finding in given.taint if isinstance(given, (ListV, DictV)) else []:  # what it holds is not known
                    obj.attrs[f"<registered at line {finding.line}>"] = Unknown(finding.fields.get("reason", "not known statically"),
                                                                                finding.line, finding.column)
        elif qual in REGISTRY:
            base_layer = Layer(qual, tuple(_plain(a) for a in args), {k: _plain(v) for k, v in kwargs.items()}, *self.pos(node))
            self.set_attribute(obj, f"<{qual.rsplit('.', 1)[-1]}>", base_layer)
        return None

    # -- forward() ----------------------------------------------------------------------------------
    def forward(self, module: Layer, x: TensorV, rest: list[Any], kwargs: dict[str, Any], node: ast.AST) -> Any:
        """Follow ``module(x)`` for shapes only: what it returns, and what each child is given. Whatever the
        forward pass sets on the modules is undone, so counts never depend on it."""
        if self.forwarding >= self.limits.depth:
            return NotModule("forward() nested too deep", *self.pos(node))
        if module.seen_input == x.shape[1:] and module.seen_output is not None and not rest and not kwargs \
                and module.qualname not in torch_forward.RETURNS_PAIR:
            return TensorV((x.shape[0], *module.seen_output))  # followed once already (a training loop calls it again)
        saved = [(inst, dict(inst.attrs)) for inst in self.instances]
        models, self.forwarding = len(self.models), self.forwarding + 1
        try:
            result = self._forward(module, x, rest, kwargs, node)
        finally:
            self.forwarding -= 1
            for inst, attrs in saved:
                inst.attrs = attrs
            del self.models[models:]
            self.instances = [m for m in self.instances if m in self.models]
        if isinstance(result, TensorV):
            if module.seen_input is None:
                module.seen_input = x.shape[1:]
            if module.seen_output is None:
                module.seen_output = result.shape[1:]
        return result

    def _forward(self, module: Layer, x: TensorV, rest: list[Any], kwargs: dict[str, Any], node: ast.AST) -> Any:
        if isinstance(module, ModuleInstance) and module.cls is not None:
            forward, _ = module.cls.lookup("forward")
            if isinstance(forward, Func):
                return self.call_func(forward, [module, x, *rest], kwargs, node)
        if module.qualname == torch_lib.TORCH_SEQUENTIAL or isinstance(module, ModuleInstance) and module.cls is not None \
                and any(isinstance(b, Ref) and canonical(b.qualname) == torch_lib.TORCH_SEQUENTIAL for b in module.cls.library_bases()):
            value: Any = x
            entries = list(module.registered()) if isinstance(module, ModuleInstance) else list(module.children or [])
            for _, child in entries:
                if not isinstance(value, TensorV) or not isinstance(child, Layer):
                    return NotModule(f"the output of {module.type_name} is not known statically", *self.pos(node))
                value = self.forward(child, value, [], {}, node)
            return value
        if module.children is None and not isinstance(module, ModuleInstance) and module.qualname in REGISTRY:
            return torch_forward.through_layer(self, module, x, node)
        return NotModule(f"the output of {module.type_name} is not known statically", *self.pos(node))

    def follow_forward(self, module: ModuleInstance, shape: Any, node: ast.AST) -> None:
        """An input shape from a directive (batch excluded): follow the module's forward() once with it."""
        self.forward(module, TensorV((None, *shape)), [], {}, node)

    # -- library calls ------------------------------------------------------------------------------
    def unresolved_model(self, callee: Unknown, node: ast.AST) -> Model:
        """A ``Sequential(...)`` call whose callee is not known: reported incomplete, never dropped, so that
        binding ``nn`` under a condition cannot escape a budget."""
        line, col = self.pos(node)
        model = SequentialModel("Sequential", (), {}, line, col, children=[], framework="unknown")
        model.taint.append(UnknownValue(line, col, what="the model", reason=f"which Sequential this is: {callee.reason}"))
        self.new_model(model)
        return model

    def construct(self, qualname: str, args: list[Any], kwargs: dict[str, Any], node: ast.AST) -> Any:
        qual = canonical(qualname)
        line, col = self.pos(node)
        tainted = [a for a in args if isinstance(a, _Tainted)]
        args = [a for a in args if not isinstance(a, _Tainted)]
        if qual in SEQUENTIALS:
            model = SequentialModel(qual, (), {}, line, col, children=[], framework=SEQUENTIALS[qual])
            for t in tainted:
                model.taint.extend(t.findings)
            self.fill_sequential(model, args, kwargs, node)
            self.taint(model)  # built under a condition not known statically: which model later code extends is not known
            self.new_model(model)
            return model
        handler = handlers.FUNCTIONS.get(qual)
        if handler is not None:
            return handler(self, args, kwargs, node)
        if not qual.rsplit(".", 1)[-1][:1].isupper() and keras_graph.has_tensors(args, kwargs):
            return keras_graph.tensor_op(self, qual, args, kwargs, node)  # keras.ops.concatenate, tf.reduce_mean, ...
        if framework_of(qual) is not None:
            return Layer(qual, tuple(_plain(a) for a in args), {k: _plain(v) for k, v in kwargs.items()}, line, col)
        if qual.startswith(("torch.", "math.", "numpy.")) and not qual.rsplit(".", 1)[-1][:1].isupper():
            return torch_lib.not_a_module(self, args, kwargs, node)
        if qual.rsplit(".", 1)[-1][:1].isupper():  # a class paramlint does not know: an unknown layer if used as one
            return Layer(qual.removeprefix("<local>."), tuple(args), kwargs, line, col)
        return self.unknown(node, f"'{qual}(...)' is not evaluated")

    def fill_sequential(self, model: SequentialModel, args: list[Any], kwargs: dict[str, Any], node: ast.AST) -> None:
        assert model.children is not None
        if model.framework == "keras":
            name = kwargs.get("name")
            if isinstance(name, str):
                model.name = model.kwargs["name"] = name  # the row it makes in an outer model is named so
            keras_lib.constructed_trainable(self, model, kwargs, node)
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
            keras_graph.build_sequential(self, model, node)
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
        if isinstance(item, KTensor) and item.node.is_input and isinstance(item.node.op, Layer):
            return item.node.op  # Sequential([keras.Input(shape=...), ...])
        return self.unknown(node, f"{_describe(item)} is not a layer")

    def call_method(self, method: Method, args: list[Any], kwargs: dict[str, Any], node: ast.AST) -> Any:
        obj, name = method.obj, method.name
        handler = handlers.find_method(value_kind(obj), name)
        if handler is None:
            return self.unknown(node, f".{name}() is not evaluated")
        return handler(self, obj, name, [a for a in args if not isinstance(a, _Tainted)], kwargs, node)

    # -- the file's functions -----------------------------------------------------------------------
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
        self.frames.append((func.owner, args[0] if args and ordered else None))
        try:
            if isinstance(func.node, ast.Lambda):
                return self.eval(func.node.body, local)
            self.exec_block(func.node.body, local)
        except _Return as ret:
            value = ret.value
            if isinstance(value, Model) and func.owner is None:
                value.returned_by = func.name  # the outermost function that returns it names it
            return value
        except (_Break, _Continue):
            pass
        finally:
            self.depth -= 1
            self.frames.pop()
        return None


def value_kind(obj: Any) -> str:
    """The name method handlers are registered under for a value (see ``handlers.method``)."""
    if isinstance(obj, SequentialModel):
        return f"{obj.framework}.sequential"
    if isinstance(obj, KerasInstance):
        return "keras.subclass"
    if isinstance(obj, FunctionalModel):
        return "keras.functional"
    if isinstance(obj, KTensor):
        return "ktensor"
    if isinstance(obj, ModuleInstance):
        return "module"
    if isinstance(obj, Layer):
        return torch_lib.module_kind(obj) if obj.qualname.startswith("torch.") else "keras.layer"
    if isinstance(obj, NamedTupleV):
        return "namedtuple"
    if isinstance(obj, ListV):
        return "list"
    if isinstance(obj, DictV):
        return "dict"
    if isinstance(obj, str):
        return "str"
    if isinstance(obj, (Params, ParamGroup, ParamSlot)):
        return "param"
    if isinstance(obj, TensorV):
        return "tensor"
    if isinstance(obj, DataTensor):
        return "datatensor"
    if isinstance(obj, RangeV):
        return "range"
    if isinstance(obj, ObjV):
        return obj.kind
    return type(obj).__name__


def _describe_base(base: Any) -> str:
    if isinstance(base, Ref):
        return base.qualname
    if isinstance(base, Unknown):
        return f"a base class not known statically ({base.reason})"
    return _describe(base)


def _dataclass_after(cls: ClassV, after: Optional[ClassV]) -> bool:
    """Does a dataclass come after ``after`` in ``cls``'s MRO (its generated ``__init__`` is the one that runs)?"""
    order = cls.mro()
    if after is not None:
        order = order[order.index(after) + 1:] if after in order else []
    return any(isinstance(c, ClassV) and c.dataclass for c in order)
