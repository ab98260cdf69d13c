"""The oracle for random module classes: torch builds each instance straight from the description.

``Builder`` evaluates a class's ``__init__`` program for one instance (sizes, base classes, class attributes
looked up as Python would) and registers real torch modules and parameters on a module of a class of the
same name; ``facts`` then reads the counts *from torch*: ``parameters()`` for the totals (shared and tied
parameters once, buffers excluded) and the registered children (``_modules``, in registration order, a
module registered under two names listed at each) plus direct ``nn.Parameter`` attributes for the rows,
a row covering what earlier rows have not (so rows add up to the total, the contract paramlint follows).

The rendered source is executed with torch as well and must give the same facts: that is the renderer
check, so a rendering slip shows up as a renderer failure, never as a paramlint one.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any, Optional

from diff_model import LayerDesc
from diff_modules_model import (
    Alias,
    Assign,
    AttrRef,
    Buffer,
    Call,
    Chain,
    ClassDesc,
    Container,
    Expr,
    FileDesc,
    FreezeSelf,
    Items,
    Layer,
    Loop,
    Maker,
    Op,
    Param,
    PostOp,
    Ref,
    Repeat,
    SameN,
    SetAttrLoop,
    Stmt,
    Tensor,
    Tie,
)
from diff_oracle import build_torch_module


def _torch() -> Any:
    import torch

    torch.set_num_threads(1)
    return torch


@dataclass(frozen=True)
class ModRow:
    name: str
    type: str  # "Parameter" for a direct nn.Parameter attribute
    params: int
    trainable: int
    non_trainable: int
    alias_of: Optional[str] = None  # the earlier row's name when this row is the very same module


@dataclass(frozen=True)
class ModFacts:
    total: int
    trainable: int
    non_trainable: int
    rows: tuple[ModRow, ...]


def _split(params: list[Any]) -> tuple[int, int, int]:
    total = sum(p.numel() for p in params)
    trainable = sum(p.numel() for p in params if p.requires_grad)
    return total, trainable, total - trainable


def facts(module: Any) -> ModFacts:
    total, trainable, non_trainable = _split(list(module.parameters()))
    seen: set[int] = set()
    first_name: dict[int, str] = {}
    rows: list[ModRow] = []
    for name, child in module._modules.items():
        if child is None:
            continue
        fresh = [p for p in child.parameters() if id(p) not in seen]
        seen.update(id(p) for p in fresh)
        rows.append(ModRow(name, type(child).__name__, *_split(fresh), alias_of=first_name.get(id(child))))
        first_name.setdefault(id(child), name)
    for name, p in module._parameters.items():
        if p is None:
            continue
        fresh = [] if id(p) in seen else [p]
        seen.add(id(p))
        rows.append(ModRow(name, "Parameter", *_split(fresh)))
    return ModFacts(total, trainable, non_trainable, tuple(rows))


class Builder:
    """Builds the description's instances with torch (one ``Builder`` per file: one torch class per class name)."""

    def __init__(self, file: FileDesc) -> None:
        self.file = file
        self.torch = _torch()
        self.types: dict[str, type] = {}
        self.current: list[Any] = []  # the modules whose __init__ is running (an AttrRef reads the innermost)

    def type_of(self, cls: ClassDesc) -> type:
        if cls.name not in self.types:
            self.types[cls.name] = type(cls.name, (self.torch.nn.Module,), {})
        return self.types[cls.name]

    # ---------------------------------------------------------------- values
    def eval(self, e: Any, env: dict[str, int], inst: ClassDesc) -> Any:
        if isinstance(e, bool) or e is None or isinstance(e, (float, str)):
            return e
        if isinstance(e, int):
            return e
        if isinstance(e, tuple):
            return tuple(self.eval(x, env, inst) for x in e)
        if isinstance(e, list):
            return [self.eval(x, env, inst) for x in e]
        if isinstance(e, LayerDesc):
            return build_torch_module(e)
        if isinstance(e, Ref):
            if e.kind in ("param", "field", "loop"):
                return env[e.name]
            if e.kind == "const":
                return self.file.consts[e.name]
            owner = inst if e.via == "self" else next(c for c in self.file.classes if c.name == e.owner)
            value = owner.cattr(e.name)
            assert value is not None, f"{owner.name} has no class attribute {e.name}"
            return value
        if isinstance(e, Op):
            a, b = self.eval(e.a, env, inst), self.eval(e.b, env, inst)
            if e.op == "*":
                return a * b
            if e.op == "//":
                return a // b
            if e.op == "+":
                return a + b
            if e.op == "ceil2":
                return -(-a // 2)
        raise TypeError(f"cannot evaluate {e!r}")

    # ---------------------------------------------------------------- modules
    def call(self, cls: ClassDesc, args: dict[str, int]) -> Any:
        module = self.type_of(cls)()
        self.current.append(module)
        self.run(cls, cls, dict(args), module)
        self.current.pop()
        return module

    def run(self, cls: ClassDesc, inst: ClassDesc, args: dict[str, int], module: Any) -> None:
        specs = cls.config.fields if cls.config else cls.params
        env = {p.name: p.default for p in specs}
        own = set(env)
        env.update({k: v for k, v in args.items() if k in own})
        rest = {k: v for k, v in args.items() if k not in own}
        if cls.base is not None:
            if cls.kwargs_to_base:
                base_args = rest
            else:
                assert not rest, f"{cls.name} got unknown arguments {rest}"
                base_args = {k: self.eval(e, env, inst) for k, e in cls.base_args.items()}
            self.run(cls.base, inst, base_args, module)
        else:
            assert not rest, f"{cls.name} got unknown arguments {rest}"
        for stmt in cls.stmts:
            self.stmt(stmt, env, inst, module)

    def make(self, m: Maker, env: dict[str, int], inst: ClassDesc) -> Any:
        nn = self.torch.nn
        if isinstance(m, Layer):
            args = [self.eval(a, env, inst) for a in m.args]
            kwargs = {k: self.eval(v, env, inst) for k, v in m.kwargs.items()}
            return getattr(nn, m.cls)(*args, **kwargs)
        if isinstance(m, Call):
            return self.call(m.cls, {k: self.eval(v, env, inst) for k, v in m.args.items()})
        if isinstance(m, AttrRef):
            return getattr(self.current[-1], m.attr)
        items = self.items(m, env, inst)
        if m.kind == "ModuleList":
            return nn.ModuleList(items)
        keys = m.content.keys if isinstance(m.content, (Items, Loop)) else None
        if m.kind == "ModuleDict":
            assert keys is not None
            return nn.ModuleDict(dict(zip(keys, items)))
        if keys is not None:
            from collections import OrderedDict

            return nn.Sequential(OrderedDict(zip(keys, items)))
        return nn.Sequential(*items)

    def items(self, m: Container, env: dict[str, int], inst: ClassDesc) -> list[Any]:
        c = m.content
        if isinstance(c, Repeat):
            return [self.make(c.item, env, inst) for _ in range(self.eval(c.n, env, inst))]
        if isinstance(c, Chain):
            sizes = [self.eval(s, env, inst) for s in c.sizes]
            out: list[Any] = []
            for a, b in zip(sizes[:-1], sizes[1:]):
                out.append(self.torch.nn.Linear(a, b, bias=c.bias))
                if c.act is not None:
                    out.append(getattr(self.torch.nn, c.act)())
            return out
        if isinstance(c, Items):
            return [self.make(item, env, inst) for item in c.items]
        if isinstance(c, Loop):
            return [self.make(c.item, {**env, c.var: self.eval(v, env, inst)}, inst) for v in c.values]
        if isinstance(c, SameN):
            one = self.make(c.item, env, inst)
            return [one] * c.n
        raise TypeError(c)

    def tensor(self, init: str, shape: tuple[Expr, ...], env: dict[str, int], inst: ClassDesc) -> Any:
        return getattr(self.torch, init)(*[self.eval(s, env, inst) for s in shape])

    def stmt(self, s: Stmt, env: dict[str, int], inst: ClassDesc, module: Any) -> None:
        if isinstance(s, Assign):
            setattr(module, s.attr, self.make(s.value, env, inst))
        elif isinstance(s, Alias):
            setattr(module, s.attr, getattr(module, s.src))
        elif isinstance(s, SetAttrLoop):
            for i in range(s.n):
                setattr(module, f"{s.prefix}{i}", self.make(s.item, env, inst))
        elif isinstance(s, Param):
            p = self.torch.nn.Parameter(self.tensor(s.init, s.shape, env, inst), requires_grad=s.requires_grad)
            setattr(module, s.attr, p)
        elif isinstance(s, Buffer):
            module.register_buffer(s.name, self.tensor("zeros", s.shape, env, inst), persistent=s.persistent)
        elif isinstance(s, Tensor):
            setattr(module, s.attr, self.tensor("ones", s.shape, env, inst))
        elif isinstance(s, Tie):
            getattr(module, s.dst).weight = getattr(module, s.src).weight
        elif isinstance(s, FreezeSelf):
            target = getattr(module, s.attr)
            if s.how == "weight":
                target.weight.requires_grad = False
            elif s.how == "requires_grad_":
                target.requires_grad_(False)
            else:
                for p in target.parameters():
                    p.requires_grad = False
        else:
            raise TypeError(s)

    def instances(self) -> dict[str, Any]:
        """Every instance of the file, built and changed as the file's module-level code does."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            built = {inst.var: self.call(inst.cls, inst.args) for inst in self.file.instances}
            for op in self.file.post:
                apply_post(built[op.var], op)
        return built


def apply_post(net: Any, op: PostOp) -> None:
    if op.how in ("replace", "delete"):
        owner, _, leaf = op.path.rpartition(".")
        parent = net.get_submodule(owner)
        if op.how == "delete":
            delattr(parent, leaf)
        else:
            assert op.layer is not None
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                setattr(parent, leaf, Builder(FileDesc([], {}, [])).make(op.layer, {}, ClassDesc("")))
        return
    if op.how == "param":
        net.get_parameter(op.path).requires_grad = op.value
        return
    if op.how == "named_prefix":
        for name, p in net.named_parameters():
            if name.startswith(op.path + "."):
                p.requires_grad = op.value
        return
    target = net.get_submodule(op.path)
    if op.how == "requires_grad_":
        target.requires_grad_(op.value)
    else:
        for p in target.parameters():
            p.requires_grad = op.value


def exec_module_source(source: str) -> dict[str, Any]:
    """Run the rendered file as a module of its own (dataclasses look their class's module up in sys.modules)."""
    import sys
    import types

    module = types.ModuleType("paramlint_generated")
    sys.modules[module.__name__] = module
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            exec(compile(source, "<generated>", "exec"), module.__dict__)  # noqa: S102  (our own generated code)
    finally:
        del sys.modules[module.__name__]
    return module.__dict__
