"""The description of a random file of ``nn.Module`` classes: what the generator draws, the renderer writes and
the oracle builds.

A ``FileDesc`` holds classes (each an ``__init__`` program of statements over symbolic sizes), module-level
constants, the instances the file creates and what it changes on them afterwards (freezes). Sizes are
expressions (``Ref`` to a constructor parameter, a dataclass field, a class attribute or a module constant,
``Op`` on them), so one class body serves every instance; the oracle evaluates them per instance and builds the
module with torch, and the renderer writes them as Python. Counts never come from here: only torch counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional, Union


@dataclass(frozen=True)
class Ref:
    kind: str  # "param" (of __init__) | "field" (of its dataclass config) | "cattr" | "const" (module level) | "loop"
    name: str
    owner: str = ""  # cattr read through the class: the class named in the source
    via: str = "self"  # cattr: "self" (looked up on the instance's class, so a subclass may override) | "cls"


@dataclass(frozen=True)
class Op:
    op: str  # "*" | "//" | "+" | "ceil2" (math.ceil(a / 2))
    a: "Expr"
    b: "Expr" = 0


Expr = Union[int, Ref, Op]


@dataclass
class Layer:
    """``torch.nn.<cls>(*args, **kwargs)``; ``partial`` names kwargs bound through ``functools.partial``."""

    cls: str
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)
    partial: tuple[str, ...] = ()


@dataclass
class Call:
    """An instance of one of the file's classes; ``args`` by parameter (or config field) name."""

    cls: "ClassDesc"
    args: dict[str, Expr] = field(default_factory=dict)
    partial: tuple[str, ...] = ()  # args bound through functools.partial(Cls, ...)


@dataclass
class AttrRef:
    attr: str  # self.attr: a module this instance registered earlier (used again: shared)


@dataclass
class Repeat:
    n: Expr  # n fresh instances of item
    item: "Maker"


@dataclass
class Chain:
    sizes: list[Expr]  # Linear(sizes[i], sizes[i + 1]) for each consecutive pair, optionally each followed by act
    bias: bool = True
    act: Optional[str] = None


@dataclass
class Items:
    items: list["Maker"]
    keys: Optional[list[str]] = None  # ModuleDict keys


@dataclass
class Loop:
    var: str  # one item per value: for var in values (the item reads Ref("loop", var))
    values: list[Expr]
    item: "Maker"
    keys: Optional[list[str]] = None  # ModuleDict: one key per value (a dict comprehension)


@dataclass
class SameN:
    item: "Maker"  # one instance, n times (a shared module)
    n: int


@dataclass
class Container:
    kind: str  # "ModuleList" | "Sequential" | "ModuleDict"
    content: Union[Repeat, Chain, Items, SameN, Loop]


Maker = Union[Layer, Call, Container, AttrRef]


@dataclass
class Assign:
    attr: str
    value: Maker
    how: str = "direct"  # direct | local | helper | function | add_module | setattr


@dataclass
class Alias:
    attr: str
    src: str  # self.attr = self.src: one module under two names


@dataclass
class SetAttrLoop:
    prefix: str
    n: int
    item: Maker  # for i in range(n): setattr(self, f"{prefix}{i}", item)


@dataclass
class Param:
    attr: str
    shape: tuple[Expr, ...]
    init: str = "zeros"  # zeros | ones | randn | empty
    requires_grad: bool = True
    how: str = "attr"  # attr | register


@dataclass
class Buffer:
    name: str
    shape: tuple[Expr, ...]
    persistent: bool = True


@dataclass
class Tensor:
    attr: str  # a plain tensor attribute: not registered, not counted
    shape: tuple[Expr, ...]


@dataclass
class Tie:
    dst: str
    src: str  # self.dst.weight = self.src.weight


@dataclass
class FreezeSelf:
    attr: str
    how: str  # params_loop | requires_grad_ | weight


Stmt = Union[Assign, Alias, SetAttrLoop, Param, Buffer, Tensor, Tie, FreezeSelf]


@dataclass
class ParamSpec:
    name: str
    default: int
    kwonly: bool = False


@dataclass
class ConfigDesc:
    name: str
    fields: list[ParamSpec]  # dataclass fields, all with defaults


@dataclass
class ClassDesc:
    name: str
    params: list[ParamSpec] = field(default_factory=list)
    stmts: list[Stmt] = field(default_factory=list)
    class_attrs: dict[str, int] = field(default_factory=dict)
    base: Optional["ClassDesc"] = None  # a class of the file; None: torch.nn.Module
    kwargs_to_base: bool = False  # base parameters reach the base through **kwargs (else explicitly, base_args)
    base_args: dict[str, Expr] = field(default_factory=dict)
    config: Optional[ConfigDesc] = None  # the class takes one dataclass config instead of sizes

    def param_names(self) -> list[str]:
        return [p.name for p in self.params]

    def all_defaults(self) -> dict[str, int]:
        """What a call without arguments binds (own parameters, config fields, base params reached through **kwargs)."""
        out: dict[str, int] = {}
        if self.base is not None and self.kwargs_to_base:
            out.update(self.base.all_defaults())
        for p in self.config.fields if self.config else self.params:
            out[p.name] = p.default
        return out

    def cattr(self, name: str) -> Optional[int]:
        c: Optional[ClassDesc] = self
        while c is not None:
            if name in c.class_attrs:
                return c.class_attrs[name]
            c = c.base
        return None

    def __repr__(self) -> str:
        return f"<class {self.name}>"


@dataclass
class Instance:
    var: str
    cls: ClassDesc
    args: dict[str, int] = field(default_factory=dict)
    how: str = "direct"  # direct | factory (a module-level function returns it)


@dataclass
class PostOp:
    """A change after construction: ``var.<path>`` frozen (or unfrozen) one way or another."""

    var: str
    path: str  # torch dotted module name ("" = the whole model); for "param": the parameter's dotted name
    how: str  # params_loop | requires_grad_ | param | named_prefix | replace (var.path = layer) | delete (del var.path)
    value: bool = False
    layer: Optional[Layer] = None  # replace: the new module (literal arguments)


@dataclass
class FileDesc:
    classes: list[ClassDesc]  # in definition order (bases and blocks first)
    consts: dict[str, int]
    instances: list[Instance]
    post: list[PostOp] = field(default_factory=list)


def unused_classes(file: FileDesc) -> list[ClassDesc]:
    """Classes the file never instantiates (nor derives from): each is a model of its own, with its defaults."""
    used = {inst.cls.name for inst in file.instances}
    for cls in file.classes:
        if cls.base is not None:
            used.add(cls.base.name)
        for stmt in cls.stmts:
            used |= {m.cls.name for m in stmt_makers(stmt) if isinstance(m, Call)}
    return [cls for cls in file.classes if cls.name not in used]


def walk_makers(maker: Maker) -> list[Maker]:
    out: list[Maker] = [maker]
    if isinstance(maker, Container):
        c = maker.content
        if isinstance(c, (Repeat, SameN, Loop)):
            out += walk_makers(c.item)
        elif isinstance(c, Items):
            for item in c.items:
                out += walk_makers(item)
    return out


def stmt_makers(stmt: Stmt) -> list[Maker]:
    if isinstance(stmt, (Assign, SetAttrLoop)):
        return walk_makers(stmt.value if isinstance(stmt, Assign) else stmt.item)
    return []


def expr_refs(e: Any) -> list[Ref]:
    if isinstance(e, Ref):
        return [e]
    if isinstance(e, Op):
        return expr_refs(e.a) + expr_refs(e.b)
    if isinstance(e, (tuple, list)):
        return [r for x in e for r in expr_refs(x)]
    return []


def maker_refs(maker: Maker) -> list[Ref]:
    """Every size reference a maker reads (to pass a helper function the parameters it needs)."""
    out: list[Ref] = []
    for m in walk_makers(maker):
        if isinstance(m, Layer):
            out += expr_refs(list(m.args)) + expr_refs(list(m.kwargs.values()))
        elif isinstance(m, Call):
            out += expr_refs(list(m.args.values()))
        elif isinstance(m, Container):
            c = m.content
            if isinstance(c, Repeat):
                out += expr_refs(c.n)
            elif isinstance(c, Chain):
                out += expr_refs(c.sizes)
            elif isinstance(c, Loop):
                out += expr_refs(c.values)
    return out
