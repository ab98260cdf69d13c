"""The standard library: math, collections, argparse, functools, dataclasses, copy, types."""
from __future__ import annotations

import dataclasses
import math
from typing import TYPE_CHECKING, Any

from ...engine.values import Layer, Unknown
from ..handlers import function, method
from ..objects import Builtin, ClassV, DictV, Func, ListV, Method, ModuleInstance, NamedTupleV, ObjV, Partial, Ref
from .python import _dict, _numeric

if TYPE_CHECKING:
    from ..core import Core

Node = Any

function("collections.OrderedDict", "typing.OrderedDict")(_dict)
function("math.ceil")(_numeric(math.ceil, "ceil"))
function("math.floor")(_numeric(math.floor, "floor"))
function("math.prod", "numpy.prod")(_numeric(math.prod, "prod"))
function("math.sqrt")(_numeric(math.sqrt, "sqrt"))
function("math.log2")(_numeric(math.log2, "log2"))
function("math.log")(_numeric(math.log, "log"))
function("math.log10")(_numeric(math.log10, "log10"))
function("math.exp")(_numeric(math.exp, "exp"))
function("typing.cast")(lambda it, args, kwargs, node: args[1] if len(args) == 2 else it.unknown(node, "cast() not known statically"))


@function("numpy.linspace")
def _linspace(it: "Core", args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    """``np.linspace(0, p, n)``: ``n`` evenly spaced numbers, as a list (how many often sizes a loop of blocks)."""
    start, stop = (args + [None, None])[:2]
    num = args[2] if len(args) > 2 else kwargs.get("num", 50)
    numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (start, stop))
    if not numbers or not isinstance(num, int) or isinstance(num, bool) or num < 0 or set(kwargs) - {"num"} or len(args) > 3:
        return it.unknown(node, "linspace() arguments not known statically")
    it.check_size(num, node)
    step = (stop - start) / (num - 1) if num > 1 else 0.0
    return ListV([float(start + i * step) for i in range(num - 1)] + ([float(stop)] if num > 1 else [float(start)] if num else []))


# -- functools ------------------------------------------------------------------------------------
@function("functools.partial")
def _partial(it: "Core", args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    if not args:
        return it.unknown(node, "partial() of nothing")
    return Partial(args[0], tuple(args[1:]), dict(kwargs))


@function("functools.wraps")
def _wraps(it: "Core", args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    """``@functools.wraps(fn)`` on a wrapper: the wrapper itself, under the wrapped function's name."""
    wrapped = args[0] if len(args) == 1 else None

    def apply(it: "Core", inner: list[Any], kw: dict[str, Any], at: Node) -> Any:
        wrapper = inner[0] if len(inner) == 1 and not kw else None
        if isinstance(wrapper, Func) and isinstance(wrapped, Func):
            return dataclasses.replace(wrapper, name=wrapped.name, called=False)
        return wrapper if wrapper is not None else it.unknown(at, "wraps() applied to a value not known statically")

    return Builtin("functools.wraps()", apply)


# -- collections.namedtuple ---------------------------------------------------------------------------
@function("collections.namedtuple", "typing.NamedTuple")
def _namedtuple(it: "Core", args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    """``namedtuple("BlockArgs", "kernel_size stride")`` (or a list of names; ``typing.NamedTuple("P", [("a", int)])``):
    the class, whose instances are ``NamedTupleV`` tuples; ``defaults=`` fills the rightmost fields."""
    typename = args[0] if args else kwargs.get("typename")
    names = args[1] if len(args) > 1 else kwargs.get("field_names", kwargs.get("fields"))
    if isinstance(names, str):
        names = names.replace(",", " ").split()
    items = it.iterate(names) if not isinstance(names, list) else names
    if items is not None:
        items = [n[0] if isinstance(n, tuple) and len(n) == 2 else n for n in items]
    defaults = kwargs.get("defaults", ())
    defaults = it.iterate(defaults) if defaults is not None else []
    if not isinstance(typename, str) or items is None or not all(isinstance(n, str) and n.isidentifier() for n in items) \
            or defaults is None or len(defaults) > len(items) or kwargs.get("rename"):
        return it.unknown(node, "a namedtuple whose fields are not known statically")
    fields = tuple(items)
    given = dict(zip(fields[len(fields) - len(defaults):], defaults))

    def make(it: "Core", args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
        values = dict(zip(fields, args))
        if len(args) > len(fields) or any(k in values or k not in fields for k in kwargs):
            return it.unknown(node, f"{typename}() called with arguments Python refuses")
        values.update(kwargs)
        missing = [f for f in fields if f not in values and f not in given]
        if missing:
            return it.unknown(node, f"{typename}() is missing '{missing[0]}'")
        return NamedTupleV(tuple(values.get(f, given.get(f)) for f in fields), fields, typename)

    return Builtin(typename, make)


def namedtuple_attribute(it: "Core", obj: NamedTupleV, attr: str, node: Node) -> Any:
    if attr in obj.fields:
        return obj[obj.fields.index(attr)]
    if attr == "_fields":
        return obj.fields
    if attr in ("_replace", "_asdict"):
        return Method(obj, attr)
    return it.unknown(node, f"'{obj.typename}.{attr}' is not known statically")


@method("namedtuple", "_replace", "_asdict")
def _namedtuple_method(it: "Core", obj: NamedTupleV, name: str, args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    if name == "_asdict" and not args and not kwargs:
        return DictV(dict(zip(obj.fields, obj)))
    if name == "_replace" and not args and all(k in obj.fields for k in kwargs):
        return NamedTupleV(tuple(kwargs.get(f, v) for f, v in zip(obj.fields, obj)), obj.fields, obj.typename)
    return it.unknown(node, f"{obj.typename}.{name}() with these arguments is not evaluated")


# -- types, argparse.Namespace --------------------------------------------------------------------
@function("types.SimpleNamespace", "argparse.Namespace")
def _namespace(it: "Core", args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    if args or "**" in kwargs:
        return it.unknown(node, "namespace arguments not known statically")
    return ObjV("object", dict(kwargs))


# -- copy -----------------------------------------------------------------------------------------
@function("copy.deepcopy", "copy.copy")
def _copy(it: "Core", args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    """A deep copy of a layer is a new layer: counted again, as torch counts a copied module."""
    if len(args) != 1:
        return it.unknown(node, "copy() not known statically")
    return deep_copy(it, args[0], {}, node)


def deep_copy(it: "Core", value: Any, memo: dict[int, Any], node: Node) -> Any:
    if id(value) in memo:
        return memo[id(value)]
    it.tick(node)
    out: Any
    if isinstance(value, ListV):
        out = memo[id(value)] = ListV([], list(value.taint))
        out.items.extend(deep_copy(it, v, memo, node) for v in value.items)
    elif isinstance(value, DictV):
        out = memo[id(value)] = DictV({}, list(value.taint))
        out.items.update({k: deep_copy(it, v, memo, node) for k, v in value.items.items()})
    elif isinstance(value, NamedTupleV):
        out = NamedTupleV(tuple(deep_copy(it, v, memo, node) for v in value), value.fields, value.typename)
    elif isinstance(value, tuple):
        out = tuple(deep_copy(it, v, memo, node) for v in value)
    elif isinstance(value, ObjV):
        out = memo[id(value)] = ObjV(value.kind, {}, value.cls)
        out.attrs.update({k: deep_copy(it, v, memo, node) for k, v in value.attrs.items()})
    elif isinstance(value, Layer):
        out = memo[id(value)] = it.copy_layer(value)
        if isinstance(value, ModuleInstance):
            out.attrs = {k: deep_copy(it, v, memo, node) for k, v in value.attrs.items()}
        if value.children is not None and not isinstance(value, ModuleInstance):
            out.children = [(k, deep_copy(it, v, memo, node)) for k, v in value.children]
        out.kwargs = {k: deep_copy(it, v, memo, node) for k, v in value.kwargs.items()}
        out.args = tuple(deep_copy(it, v, memo, node) for v in value.args)
    else:
        out = value  # immutable, or unknown
    return out


# -- dataclasses ----------------------------------------------------------------------------------
@function("dataclasses.field")
def _field(it: "Core", args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    """``field(default=...)`` / ``field(default_factory=list)``: the default a dataclass instance gets."""
    if "default" in kwargs:
        return kwargs["default"]
    factory = kwargs.get("default_factory")
    if factory is not None:
        return it.call(factory, [], {}, node)
    return Unknown("a dataclass field without a default", *it.pos(node))


@function("dataclasses.asdict")
def _asdict(it: "Core", args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    """``asdict(config)``: its fields (copied deeply, as dataclasses does)."""
    obj = args[0] if len(args) == 1 else None
    if not (isinstance(obj, ObjV) and obj.cls is not None and obj.cls.dataclass):
        return it.unknown(node, "asdict() of a value not known statically")
    return DictV({k: deep_copy(it, v, {}, node) for k, v in obj.attrs.items()})


# -- argparse -------------------------------------------------------------------------------------
@function("argparse.ArgumentParser")
def _argparse(it: "Core", args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    return ObjV("parser", {"__defaults__": {}})


@method("parser", "*")
def parser_method(it: "Core", obj: ObjV, name: str, args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    """argparse: ``add_argument('--hidden', type=int, default=128)`` and ``parse_args()``."""
    if name == "add_argument_group":
        return obj
    defaults: dict[str, Any] = obj.attrs["__defaults__"]
    if name == "add_argument":
        flags = [a for a in args if isinstance(a, str)]
        dest = kwargs.get("dest")
        longs = [f for f in flags if f.startswith("--")]
        if not isinstance(dest, str):
            dest = (longs[0] if longs else flags[0] if flags else "").lstrip("-").replace("-", "_")
        if dest:
            obj.attrs.setdefault("__flags__", {})[dest] = longs[0] if longs else flags[0] if flags else dest
            default = kwargs.get("default")
            if kwargs.get("action") == "store_true" and "default" not in kwargs:
                default = False
            elif kwargs.get("action") == "store_false" and "default" not in kwargs:
                default = True
            defaults[dest] = default
        return None
    if name in ("parse_args", "parse_known_args"):
        ns = ObjV("namespace", dict(defaults))
        ns.attrs["__flags__"] = dict(obj.attrs.get("__flags__", {}))
        if args:  # parse_args([...]) with explicit argv: not followed
            return it.unknown(node, "parse_args() with explicit arguments is not followed")
        return ns if name == "parse_args" else (ns, ListV([]))
    return None


# -- enum -----------------------------------------------------------------------------------------
ENUM_BASES = frozenset({"enum.Enum", "enum.IntEnum", "enum.StrEnum", "enum.Flag", "enum.IntFlag"})


def is_enum(cls: ClassV) -> bool:
    return any(isinstance(b, Ref) and b.qualname in ENUM_BASES for b in cls.library_bases())


def enum_members(cls: ClassV) -> None:
    """An ``Enum`` class's plain attributes become its members: objects with ``name`` and ``value`` (an alias,
    ``DEFAULT = V1``, is the same member); methods and ``_private`` names stay what they are."""
    members: list[tuple[Any, ObjV]] = []
    for name, value in list(cls.attrs.items()):
        if name.startswith("_") or isinstance(value, (Func, ClassV, Builtin)):
            continue
        same = next((m for v, m in members if v is value or _plain_equal(v, value)), None)
        if same is None:
            same = ObjV("instance", {"name": name, "_name_": name, "value": value, "_value_": value}, cls)
            members.append((value, same))
        cls.attrs[name] = same
    cls.attrs["__members__"] = DictV({m.attrs["name"]: m for _, m in members})


def _plain_equal(a: Any, b: Any) -> bool:
    plain = (int, float, str, bool, tuple)
    return isinstance(a, plain) and isinstance(b, plain) and type(a) is type(b) and a == b


def enum_member(cls: ClassV, key: Any) -> Any:
    """``Weights["V1"]``: the member of that name, or None where the class is not an Enum or has no such member."""
    members = cls.attrs.get("__members__") if is_enum(cls) else None
    for klass in cls.mro() if members is None and is_enum(cls) else ():
        if isinstance(klass, ClassV) and "__members__" in klass.attrs:
            members = klass.attrs["__members__"]
            break
    return members.items.get(key) if isinstance(members, DictV) and isinstance(key, str) else None
