"""The interpreter's state and primitives: scopes, positions, budgets, taint, truth and iteration."""
from __future__ import annotations

import ast
import time
from typing import Any, Optional, Sequence

from ..engine.findings import Finding, LimitReached, UnknownValue
from ..engine.values import Layer, Symbol, Unknown
from ..limits import Limits
from .names import canonical
from .objects import (
    BoundMethod, Builtin, ClassV, DataTensor, DictV, Func, ListV, Method, Model, ModuleInstance, ModuleV, NotModule, ObjV, Partial, RangeV,
    Ref, TensorV,
)

Pos = tuple[int, int]


class _Return(Exception):
    def __init__(self, value: Any) -> None:
        self.value = value


class _Raised(_Return):
    """A ``raise``: it leaves the function like a return of an unknown value, unless a ``try`` catches it."""


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


class Env:
    """A scope: a dict of bindings and the enclosing scope (the module's, for functions)."""

    def __init__(self, parent: Optional["Env"] = None) -> None:
        self.vars: dict[str, Any] = {}
        self.parent = parent
        self.module: Any = None  # the ModuleV whose globals these are (module scopes only)

    def root(self) -> "Env":
        env = self
        while env.parent is not None:
            env = env.parent
        return env

    def lookup(self, name: str) -> Any:
        env: Optional[Env] = self
        while env is not None:
            if name in env.vars:
                return env.vars[name]
            env = env.parent
        raise KeyError(name)


TRY_STATEMENTS = tuple(getattr(ast, name) for name in ("Try", "TryStar") if hasattr(ast, name))
OPS = {
    ast.Add: "Add", ast.Sub: "Subtract", ast.Mult: "Multiply", ast.Div: "Divide", ast.FloorDiv: "FloorDivide",
    ast.Mod: "Modulo", ast.Pow: "Power", ast.LShift: "LeftShift", ast.RShift: "RightShift", ast.BitOr: "BitOr",
    ast.BitAnd: "BitAnd", ast.BitXor: "BitXor", ast.MatMult: "MatrixMultiply",
}
COMPARISONS = {
    ast.Eq: "Equal", ast.NotEq: "NotEqual", ast.Lt: "LessThan", ast.LtE: "LessThanEqual", ast.Gt: "GreaterThan",
    ast.GtE: "GreaterThanEqual", ast.In: "In", ast.NotIn: "NotIn", ast.Is: "Is", ast.IsNot: "IsNot",
}


class Core:
    """State shared by the interpreter's parts (expressions, calls, statements) and their primitives."""

    def __init__(self, module: ast.Module, source: str, limits: Limits) -> None:
        self.module = module
        self.source = source
        self.limits = limits
        self.steps = 0
        self.step_limit = limits.steps  # lower while an imported module's top level runs (modules.py)
        self.deadline = time.monotonic() + limits.seconds
        self.depth = 0
        self.conditions: list[Unknown] = []  # enclosing branches/loops whose outcome is not known
        self.assumptions: list[str] = []  # defaults in force for what is being built now
        self.models: list[Model] = []
        self.star_modules: list[str] = []
        self.globals = Env()
        self.globals.vars["__name__"] = "__main__"
        self.funcs: list[Func] = []
        self.classes: list[ClassV] = []
        self.freezes: list[tuple[str, Unknown]] = []  # (framework, where) a change of trainability reached no known model
        self.instances: list[ModuleInstance] = []  # every nn.Module instance of the file's classes
        self.frames: list[tuple[Optional[ClassV], Any]] = []  # (class defining the running method, its first argument)
        self.constructing: list[ModuleInstance] = []  # the nn.Module instances whose __init__ is running
        self.forwarding = 0  # how deep in forward() calls followed for shapes
        self.keras_calls: list[int] = []  # for each Keras call() being followed: how many conditions enclosed it
        self.lambdas: dict[int, Any] = {}  # id of a keras Lambda layer -> the function it wraps
        self.keras_uids: dict[str, int] = {}  # keras.backend.get_uid(prefix): the last number given per prefix
        self.keras_io: dict[int, tuple[Any, Any]] = {}  # id of a Keras layer -> the input and output of its first call
        self.call_cache: dict[int, list[ast.Call]] = {}  # id of a statement list of this tree -> the calls in it
        self.loose_layers: list[tuple[str, Layer]] = []  # torch layers bound at module level, by name
        # values not followed (made by a package paramlint cannot read, a call not evaluated) bound at module level
        # (name, value), and those the file then uses as a model (id -> framework): each a model reported not
        # counted, never passed in silence
        self.uncounted_bound: list[tuple[str, Unknown]] = []
        self.uncounted_models: dict[int, tuple[str, list[Unknown]]] = {}  # and what was set on it after
        # imports (extract/modules.py): the modules read this run, by file; the node of the analysed file standing for
        # every position while another file's code runs; the modules whose top level is running, innermost last
        self.path: Any = None  # the analysed file (a Path), None when not known: imports are then not followed
        self.finder: Any = None
        self.loaded: dict[str, ModuleV] = {}
        self.site: Optional[ast.AST] = None
        self.importing: list[ModuleV] = []
        self.missing: dict[str, str] = {}  # module name -> why it could not be read

    # -- bookkeeping ------------------------------------------------------
    def pos(self, node: Any) -> Pos:
        """Where ``node`` is, in the analysed file: while another file's code runs, the line that led there."""
        where: Any = self.site if self.site is not None else node
        return (getattr(where, "lineno", 0), getattr(where, "col_offset", -1) + 1)

    def tick(self, node: ast.AST) -> None:
        self.last_node = node  # where a model made now comes from, in whichever file runs (see new_model)
        self.steps += 1
        if self.steps > self.step_limit:
            if self.step_limit < self.limits.steps:
                raise LimitReached(*self.pos(node), limit="imported modules", value=self.step_limit)
            raise LimitReached(*self.pos(node), limit="evaluation steps", value=self.limits.steps)
        if not self.steps & 255 and time.monotonic() > self.deadline:
            raise LimitReached(*self.pos(node), limit="time", value=f"{self.limits.seconds:g} s")

    def read_pending_imports(self, node: Any) -> bool:
        """Imports are read lazily; a key missing from a registry may be one an unread module adds when imported.
        Read them (modules.py); False when nothing was pending."""
        return False

    def unknown(self, node: Any, reason: str) -> Unknown:
        line: int = getattr(node, "lineno", 0) if self.site is not None else 0
        if line:
            reason = f"{reason} ({self.where()}line {line})"
        return Unknown(reason, *self.pos(node))

    def where(self) -> str:
        """The module whose code runs now, for reasons given while another file's code runs ("blocks.py, ")."""
        return ""

    def taint(self, target: Any) -> None:
        """Record on a list or model that it was changed under a condition not known statically."""
        if not self.conditions or not isinstance(target, (ListV, DictV, Model)):
            return
        cond = self.conditions[-1]
        finding: Finding
        if cond.limit:
            finding = LimitReached(cond.line, cond.column, limit=cond.limit, value=cond.reason)
        else:
            finding = UnknownValue(cond.line, cond.column, what="the layers", reason=cond.reason)
        if not any(f.line == finding.line and f.kind == finding.kind for f in target.taint):
            target.taint.append(finding)

    def new_model(self, model: Model) -> None:
        """Every model the file creates is recorded here, with the module whose construction created it."""
        self.touch(model)
        model.built_in = self.constructing[-1] if self.constructing else None
        model.origin = id(getattr(self, "last_node", None))  # the expression that made it, in its own file
        self.models.append(model)
        if isinstance(model, ModuleInstance):
            self.instances.append(model)

    def touch(self, model: Model) -> None:
        for a in self.assumptions:
            if a not in model.assumptions:
                model.assumptions.append(a)

    # -- entry ------------------------------------------------------------
    def truth(self, value: Any) -> Optional[bool]:
        if isinstance(value, (bool, int, float, str, tuple)) or value is None:
            return bool(value)
        if isinstance(value, (ListV, DictV)):
            return bool(value.items) if not value.taint else None
        if isinstance(value, (Layer, Func, Ref, ClassV, ModuleV)):
            return True
        if isinstance(value, ObjV) and value.kind in ("instance", "object", "namespace"):
            # a plain object is true unless its class says otherwise (cfg = cfg or Config())
            return True if value.cls is None or not any(n in value.cls.attrs for n in ("__bool__", "__len__")) else None
        return None

    def iterate(self, value: Any) -> Optional[list[Any]]:
        """The items of a known iterable, or None (unknown, or a range longer than the items limit)."""
        if isinstance(value, RangeV):
            return list(range(value.start, value.stop, value.step)) if value.size <= self.limits.items else None
        if isinstance(value, ListV):
            return list(value.items)
        if isinstance(value, (tuple, str)):
            return list(value)
        if isinstance(value, DictV):
            return list(value.items)
        if isinstance(value, DataTensor):
            from .libs.torch_data import elements

            return elements(value)
        if isinstance(value, Layer) and value.qualname in ("torch.nn.Sequential", "torch.nn.ModuleList") and value.children is not None \
                and not isinstance(value, ModuleInstance) and not getattr(value, "taint", None):
            items = [child for _, child in value.children]  # for block in features: its modules, in order
            return items if all(isinstance(c, Layer) and not isinstance(c, Unknown) for c in items) else None
        return None

    def check_size(self, n: int, node: Optional[ast.AST]) -> None:
        if n > self.limits.items:
            line, col = self.pos(node) if node is not None else (0, 0)
            raise LimitReached(line, col, limit="list size", value=f"{n:,} items > {self.limits.items:,}")

    def extend(self, target: ListV, value: Any, node: ast.AST) -> None:
        items = self.iterate(value)
        if items is None:
            target.items.append(value if isinstance(value, Unknown) else self.unknown(node, "items not known statically"))
            return
        if isinstance(value, ListV):
            target.taint.extend(value.taint)
        target.items.extend(items)
        self.check_size(len(target.items), node)

    def set_attribute(self, obj: Any, attr: str, value: Any) -> None:
        """``self.attr = value`` (also ``add_module``, ``setattr``) on an instance of a class of the file.
        Under a condition not known statically the value is not known, since it may be a module torch registers."""
        if isinstance(value, Model) and value.name is None:
            owner = obj.cls.name if obj.cls is not None else ""
            value.name = f"{owner}.{attr}" if owner else attr
        if self.conditions and not isinstance(value, NotModule):
            cond = self.conditions[-1]
            value = Unknown(f"'self.{attr}' is set where {cond.reason}", cond.line, cond.column, cond.limit)
        obj.attrs[attr] = value

    @staticmethod
    def plain(value: Any) -> Any:
        return _plain(value)

    # -- provided by the parts ------------------------------------------------
    def eval(self, node: ast.expr, env: Env) -> Any:
        raise NotImplementedError

    def bind(self, target: ast.expr, value: Any, env: Env) -> None:
        raise NotImplementedError

    def exec_block(self, body: Sequence[ast.stmt], env: Env) -> None:
        raise NotImplementedError

    def call(self, callee: Any, args: list[Any], kwargs: dict[str, Any], node: ast.AST) -> Any:
        raise NotImplementedError

    def attribute(self, base: Any, attr: str, node: ast.AST) -> Any:
        raise NotImplementedError

    def set_on(self, obj: Any, attr: str, value: Any, node: ast.AST) -> None:
        raise NotImplementedError

    def make_super(self, args: list[Any], node: ast.AST) -> Any:
        raise NotImplementedError

    def copy_layer(self, layer: Layer) -> Layer:
        raise NotImplementedError

    def as_layer(self, item: Any, node: ast.AST) -> Any:
        raise NotImplementedError

    def exec_stmt(self, stmt: ast.stmt, env: Env) -> None:
        raise NotImplementedError

    def binop(self, op: str, left: Any, right: Any, node: ast.AST) -> Any:
        raise NotImplementedError

    def instantiate(self, cls: ClassV, args: list[Any], kwargs: dict[str, Any], node: ast.AST, defaults_only: bool = False) -> Any:
        raise NotImplementedError

    def call_func(self, func: Func, args: list[Any], kwargs: dict[str, Any], node: ast.AST, defaults_only: bool = False) -> Any:
        raise NotImplementedError

    def delete_attribute(self, obj: Any, attr: str, node: ast.AST) -> None:
        raise NotImplementedError

    def follow_forward(self, module: ModuleInstance, shape: Any, node: ast.AST) -> None:
        raise NotImplementedError

    def call_method(self, method: Method, args: list[Any], kwargs: dict[str, Any], node: ast.AST) -> Any:
        raise NotImplementedError


class _Tainted:
    """Carries a starred list's taint into the call that receives its items."""

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = findings


_MISSING = object()


def _plain(value: Any) -> Any:
    """Interpreter values as the engine takes them: lists as tuples, anything opaque as Unknown."""
    if isinstance(value, ListV):
        if value.taint:
            return Unknown("list not known statically", value.taint[0].line, value.taint[0].column)
        return tuple(_plain(v) for v in value.items)
    if isinstance(value, tuple):
        return tuple(_plain(v) for v in value)
    if isinstance(value, Ref):
        return Symbol(canonical(value.qualname))
    if isinstance(value, Func):
        return Symbol(f"<local>.{value.name}")
    if isinstance(value, ClassV):
        return Symbol(f"<local>.{value.name}")
    if isinstance(value, (Builtin, ObjV, DictV, RangeV, Method, BoundMethod, Partial, ModuleV, DataTensor)):
        return Unknown(f"{_describe(value)} is not a value paramlint reads as a layer argument")
    return value


def _callee_name(node: ast.AST) -> str:
    func = getattr(node, "func", None)
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _number(value: Any) -> bool:
    return isinstance(value, (int, float))


def _hashable(value: Any) -> bool:
    return isinstance(value, (str, int, float, bool, tuple)) or value is None


def _describe(value: Any) -> str:
    if isinstance(value, (ListV, tuple)):
        return "a list"
    if isinstance(value, (int, float, str, bool)) or value is None:
        return repr(value)
    if isinstance(value, Builtin):
        return f"the built-in {value.name}()"
    words = {DictV: "a dict", RangeV: "a range", ObjV: "an object", Method: "a method", BoundMethod: "a method",
             Partial: "a partial()", ModuleInstance: "a module", TensorV: "a tensor", DataTensor: "a tensor"}
    return next((w for kind, w in words.items() if isinstance(value, kind)), "a value paramlint does not follow")
