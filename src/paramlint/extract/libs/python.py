"""Python itself: the builtins the interpreter evaluates, operators, and the methods of str, list and dict."""
from __future__ import annotations

import operator
import re
from typing import TYPE_CHECKING, Any, Callable, Optional

from ...engine.findings import UnknownValue
from ...engine.values import Layer, Unknown
from ..handlers import builtin, method
from ..names import canonical
from . import torch as torch_lib
from ..objects import Builtin, ClassV, DataTensor, DictV, KTensor, ListV, Method, ModuleInstance, NotModule, ObjV, RangeV, Ref, TensorV

if TYPE_CHECKING:
    from ..core import Core

Node = Any


def _known(values: list[Any]) -> Optional[Unknown]:
    for v in values:
        if isinstance(v, Unknown):
            return v
    return None


def _range(it: "Core", args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    bad = _known(args)
    if bad or kwargs or not 1 <= len(args) <= 3 or not all(isinstance(a, int) and not isinstance(a, bool) for a in args):
        return bad or it.unknown(node, "range() arguments not known statically")
    start, stop, step = (0, args[0], 1) if len(args) == 1 else (args[0], args[1], args[2] if len(args) == 3 else 1)
    if step == 0:
        return it.unknown(node, "range() step is 0")
    return RangeV(start, stop, step)


def _len(it: "Core", args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    if len(args) != 1:
        return it.unknown(node, "len() not known statically")
    v = args[0]
    if isinstance(v, (ListV, DictV)) and not v.taint:
        return len(v.items)
    if isinstance(v, RangeV):
        return v.size
    if isinstance(v, (tuple, str)):
        return len(v)
    if isinstance(v, DataTensor) and not v.scalar:
        return v.size
    if isinstance(v, TensorV) and v.shape and v.shape[0] is not None:
        return v.shape[0]
    items = it.iterate(v) if isinstance(v, Layer) else None
    if items is not None:  # len(features) of an nn.Sequential / ModuleList of known modules
        return len(items)
    return v if isinstance(v, Unknown) else it.unknown(node, "len() of a value not known statically")


def _convert(kind: type) -> Callable[..., Any]:
    def fn(it: "Core", args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
        if len(args) != 1 or kwargs:
            return it.unknown(node, f"{kind.__name__}() not known statically")
        v = args[0]
        if isinstance(v, Unknown):
            return v
        if isinstance(v, DataTensor) and kind in (int, float):
            from .torch_data import to_number

            return to_number(it, v, kind.__name__, node)
        if isinstance(v, (int, float, bool)) or (isinstance(v, str) and len(v) < 100):
            try:
                return kind(v)
            except (ValueError, OverflowError):
                return it.unknown(node, f"{kind.__name__}({v!r}) fails")
        return it.unknown(node, f"{kind.__name__}() of a value not known statically")

    return fn


def _sequence(kind: str) -> Callable[..., Any]:
    def fn(it: "Core", args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
        if not args:
            return ListV([]) if kind == "list" else ()
        items = it.iterate(args[0])
        if items is None or kwargs:
            return args[0] if isinstance(args[0], Unknown) else it.unknown(node, f"{kind}() of a value not known statically")
        taint = list(args[0].taint) if isinstance(args[0], (ListV, DictV)) else []
        if kind == "list":
            return ListV(items, taint)
        return tuple(items) if not taint else it.unknown(node, "tuple() of a list not known statically")

    return fn


def _set(it: "Core", args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    """``set(widths)``: its distinct items (``len(set(block_widths))``), held like a set display (first seen first)."""
    items = it.iterate(args[0]) if len(args) == 1 and not kwargs else [] if not args and not kwargs else None
    if items is None or args and isinstance(args[0], ListV) and args[0].taint:
        return args[0] if args and isinstance(args[0], Unknown) else it.unknown(node, "set() of a value not known statically")
    if not all(isinstance(v, (int, float, str, bool, tuple)) or v is None for v in items):
        return it.unknown(node, "set() of values not known statically")
    return ListV(list(dict.fromkeys(items)))


def _numeric(fn: Callable[..., Any], name: str) -> Callable[..., Any]:
    def call(it: "Core", args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
        values = args
        if len(args) == 1 and not isinstance(args[0], (int, float)):
            values = it.iterate(args[0]) or [it.unknown(node, f"{name}() argument not known statically")]
        bad = _known(values)
        if bad is not None:
            return bad
        if kwargs or not values or not all(isinstance(v, (int, float)) for v in values):
            return it.unknown(node, f"{name}() not known statically")
        if name == "prod" and sum(max(abs(int(v)).bit_length() - 1, 0) for v in values if isinstance(v, int)) > it.limits.int_bits:
            return Unknown(f"a product of {len(values):,} numbers", *it.pos(node), limit="integer size")
        if name == "round" and len(values) == 2 and abs(values[1]) > 1000:  # round(5, -10**8) computes 10**(10**8)
            return it.unknown(node, f"round() to {values[1]} digits is not evaluated")
        try:
            return fn(*values) if name not in ("sum", "prod") else fn(values)
        except (ValueError, OverflowError, TypeError):
            return it.unknown(node, f"{name}() fails here")

    return call


def _zip(it: "Core", args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    lists = [it.iterate(a) for a in args]
    if any(lst is None for lst in lists) or kwargs:
        return it.unknown(node, "zip() of values not known statically")
    return ListV([tuple(t) for t in zip(*lists)])


def _enumerate(it: "Core", args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    items = it.iterate(args[0]) if len(args) >= 1 else None
    start = args[1] if len(args) > 1 else kwargs.get("start", 0)
    if items is None or not isinstance(start, int):
        return it.unknown(node, "enumerate() of a value not known statically")
    return ListV([(i + start, v) for i, v in enumerate(items)])


def _reversed(it: "Core", args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    items = it.iterate(args[0]) if len(args) == 1 else None
    return ListV(items[::-1]) if items is not None else it.unknown(node, "reversed() of a value not known statically")


def _sorted(it: "Core", args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    items = it.iterate(args[0]) if len(args) == 1 and not kwargs else None
    try:
        return ListV(sorted(items)) if items is not None else it.unknown(node, "sorted() not known statically")
    except TypeError:
        return it.unknown(node, "sorted() of mixed values")


def _dict(it: "Core", args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    out = DictV({})
    if args:
        source = args[0]
        if isinstance(source, DictV):
            out.items.update(source.items)
            out.taint.extend(source.taint)
        else:
            pairs = it.iterate(source)
            if pairs is None or not all(isinstance(p, tuple) and len(p) == 2 for p in pairs):
                return source if isinstance(source, Unknown) else it.unknown(node, "dict() of a value not known statically")
            for key, value in pairs:
                out.items[key] = value
            if isinstance(source, ListV):
                out.taint.extend(source.taint)
    out.items.update(kwargs)
    return out


def _print(it: "Core", args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    return None


_PLAIN_TYPES: dict[str, Any] = {"int": int, "float": float, "str": str, "bool": bool, "tuple": tuple}


def _isinstance(it: "Core", args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    """``isinstance(t, tuple)`` on a plain value (ViT's ``pair()``); anything else is not known, and no module."""
    if len(args) == 2 and not isinstance(args[0], Unknown):
        names = args[1] if isinstance(args[1], tuple) else (args[1],)
        kinds = [_PLAIN_TYPES.get(n.name) if isinstance(n, Builtin) else None for n in names]
        plain = isinstance(args[0], (int, float, str, bool, tuple)) or args[0] is None
        if plain and all(k is not None for k in kinds) or isinstance(args[0], (ListV, DictV)) and all(k is not None for k in kinds):
            return isinstance(args[0], tuple(k for k in kinds if k is not None))
        if any(isinstance(n, Builtin) and n.name in ("list", "dict") for n in names) and isinstance(args[0], (ListV, DictV)):
            return True
        answers = [_instance_of(args[0], n) for n in names]
        if True in answers:
            return True
        if all(a is False for a in answers):
            return False
    return NotModule("isinstance() is not evaluated here", *it.pos(node))


def _instance_of(value: Any, kind: Any) -> Optional[bool]:
    """Is ``value`` an instance of ``kind``, where the classes of the file (or of followed modules) decide it:
    None, a plain value or a library layer is never an instance of such a class (unless the class derives from a
    built-in type); an object of such a class is an instance of the classes along its MRO."""
    if isinstance(value, KTensor):  # a symbolic tensor: an instance of Keras's KerasTensor only (not of np.ndarray)
        return isinstance(kind, Ref) and kind.qualname.rsplit(".", 1)[-1] == "KerasTensor"
    if isinstance(kind, ClassV):
        if isinstance(value, (ObjV, ModuleInstance)) and value.cls is not None:
            return kind in value.cls.mro()
        if value is None or isinstance(value, Layer) and not isinstance(value, ModuleInstance) and value.qualname.startswith(("torch.", "keras.")):
            return False
        plain = isinstance(value, (int, float, str, bool, tuple, ListV, DictV))
        return False if plain and not any(isinstance(b, Builtin) for b in kind.library_bases()) else None
    containers = {"list": ListV, "dict": DictV, "tuple": tuple}
    if isinstance(kind, Builtin) and kind.name in containers and (value is None or isinstance(value, (int, float, str, ListV, DictV, tuple))):
        return isinstance(value, containers[kind.name])  # isinstance(min_size, (list, tuple)) on a number
    if isinstance(kind, Builtin) and kind.name in _PLAIN_TYPES and isinstance(value, (ObjV, ModuleInstance)) and value.cls is not None:
        return False if not any(isinstance(b, Builtin) for b in value.cls.library_bases()) else None
    if isinstance(kind, Ref) and canonical(kind.qualname) == "torch.Tensor":
        return torch_lib.is_tensor(value)
    if isinstance(kind, Ref) and isinstance(value, Layer):
        return torch_lib.instance_of(value, canonical(kind.qualname))
    return None


def _hasattr(it: "Core", args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    """``hasattr(self, "bias")`` on an object of the file; elsewhere not known, and never a module."""
    if len(args) == 2 and isinstance(args[1], str) and isinstance(args[0], (ObjV, ModuleInstance)):
        if args[1] in args[0].attrs:
            return True
        if isinstance(args[0], ModuleInstance) and torch_lib.lacks_attribute(args[0], args[1]):
            return False
        if args[0].cls is not None:
            value, owner = args[0].cls.lookup(args[1])
            if value is not None:
                return True
            if owner is None:
                return False
    return NotModule("hasattr() is not known statically here", *it.pos(node))


def arith(op: str, a: Any, b: Any, int_bits: int, limit: Callable[[str, Any], Exception], unknown: Callable[[str], Any]) -> Any:
    """Arithmetic on known numbers, refusing results larger than ``int_bits`` before computing them."""
    if op == "Power":
        if isinstance(a, int) and isinstance(b, int) and b > 0 and abs(a) > 1 \
                and b * (abs(a).bit_length() - 1) > int_bits:  # a lower bound: at most 2x int_bits is ever built
            raise limit("integer size", f"{a}**{b}")
        if isinstance(b, (int, float)) and isinstance(a, (int, float)) and abs(b) > 10_000:
            raise limit("integer size", f"{a}**{b}")
    if op in ("LeftShift",) and isinstance(b, int) and b > int_bits:
        raise limit("integer size", f"{a}<<{b}")
    ops: dict[str, Callable[[Any, Any], Any]] = {
        "Add": operator.add, "Subtract": operator.sub, "Multiply": operator.mul, "Divide": operator.truediv,
        "FloorDivide": operator.floordiv, "Modulo": operator.mod, "Power": operator.pow, "LeftShift": operator.lshift,
        "RightShift": operator.rshift, "BitOr": operator.or_, "BitAnd": operator.and_, "BitXor": operator.xor,
    }
    fn = ops.get(op)
    if fn is None:
        return unknown(f"operator {op} is not evaluated")
    try:
        result = fn(a, b)
    except (ZeroDivisionError, OverflowError, ValueError, TypeError) as exc:
        return unknown(f"{op} fails: {exc}")
    if isinstance(result, int) and result.bit_length() > int_bits:
        raise limit("integer size", f"a {result.bit_length()}-bit integer")
    if isinstance(result, complex):
        return unknown("complex result")
    return result


def compare(op: str, a: Any, b: Any) -> Optional[bool]:
    if isinstance(a, Unknown) or isinstance(b, Unknown):
        return None
    if op in ("Is", "IsNot"):
        if a is None or b is None or isinstance(a, bool) or isinstance(b, bool):
            return (a is b) if op == "Is" else (a is not b)
        if isinstance(a, (Builtin, ClassV)) and isinstance(b, (Builtin, ClassV)):  # type(obj) is str
            same = a is b or isinstance(a, Builtin) and isinstance(b, Builtin) and a.name == b.name
            return same if op == "Is" else not same
        return None
    plain = (int, float, str, bool, tuple, type(None))
    if op in ("In", "NotIn"):
        container = b.items if isinstance(b, (ListV, DictV)) else b
        if isinstance(container, (list, dict, tuple, str)) and isinstance(a, plain):
            try:
                found = a in container
            except TypeError:
                return None
            return found if op == "In" else not found
        return None
    if not (isinstance(a, plain) and isinstance(b, plain)):
        return None
    fns: dict[str, Callable[[Any, Any], Any]] = {
        "Equal": operator.eq, "NotEqual": operator.ne, "LessThan": operator.lt, "LessThanEqual": operator.le,
        "GreaterThan": operator.gt, "GreaterThanEqual": operator.ge,
    }
    try:
        return bool(fns[op](a, b))
    except (TypeError, KeyError):
        return None


def index(base: Any, key: Any, unknown: Callable[[str], Any]) -> Any:
    if isinstance(key, Unknown):
        return key
    if isinstance(base, DictV):
        if base.taint:
            return unknown("dict not known statically")
        try:
            return base.items[key] if key in base.items else unknown(f"key {key!r} not in the dict")
        except TypeError:
            return unknown("dict key not known statically")
    seq = base.items if isinstance(base, ListV) else base
    if isinstance(base, ListV) and base.taint:
        return unknown("list not known statically")
    if isinstance(seq, (list, tuple, str)) and isinstance(key, int) and not isinstance(key, bool):
        return seq[key] if -len(seq) <= key < len(seq) else unknown(f"index {key} out of range")
    return unknown("subscript not known statically")


def slice_of(base: Any, parts: list[Any], unknown: Callable[[str], Any]) -> Any:
    if any(isinstance(p, Unknown) for p in parts) or not all(p is None or isinstance(p, int) for p in parts):
        return unknown("slice not known statically")
    sl = slice(*parts)
    if isinstance(base, ListV):
        return ListV(base.items[sl], list(base.taint))
    if isinstance(base, (tuple, str)):
        return base[sl]
    return unknown("slice of a value not known statically")


def dict_method(it: "Core", obj: DictV, name: str, args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    if name == "items":
        return ListV([(k, v) for k, v in obj.items.items()], list(obj.taint))
    if name == "keys":
        return ListV(list(obj.items), list(obj.taint))
    if name == "values":
        return ListV(list(obj.items.values()), list(obj.taint))
    if name == "get" and args:
        if obj.taint or isinstance(args[0], Unknown):
            return it.unknown(node, "dict not known statically")
        if _hashable_key(args[0]) and args[0] not in obj.items:
            it.read_pending_imports(node)  # MODELS.get(name): a registry the project's imports fill
        return obj.items.get(args[0], args[1] if len(args) > 1 else None)
    if name == "update" and len(args) == 1 and isinstance(args[0], DictV):
        it.taint(obj)
        obj.items.update(args[0].items)
        return None
    if name == "copy":
        return DictV(dict(obj.items), list(obj.taint))
    if name in ("pop", "setdefault") and args and _hashable_key(args[0]) and not obj.taint and not it.conditions:
        if args[0] in obj.items:  # kwargs.pop("num_classes", 1000)
            return obj.items.pop(args[0]) if name == "pop" else obj.items[args[0]]
        if len(args) == 2:
            if name == "setdefault":
                obj.items[args[0]] = args[1]
            return args[1]
    if name in ("pop", "setdefault", "clear", "popitem"):
        obj.taint.append(UnknownValue(*it.pos(node), what="the layers", reason=f"dict.{name}() is not followed"))
    return it.unknown(node, f"dict.{name}() is not evaluated")


_WIDE_SPEC = re.compile(r"\{[^{}]*:[^{}]*(?:\d{4}|\{)")  # '{:>2000000000}' or a nested width would allocate before we could refuse


def str_method(it: "Core", obj: str, name: str, args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    if name in ("lower", "upper", "strip", "isdigit") and not args:
        return getattr(obj, name)()
    prefixes = args[0] if len(args) == 1 and isinstance(args[0], tuple) else tuple(args)
    if name in ("startswith", "endswith") and len(args) == 1 and prefixes and all(isinstance(a, str) for a in prefixes):
        return getattr(obj, name)(prefixes)
    if name == "split" and len(args) <= 1 and all(isinstance(a, str) for a in args) and len(obj) < 10_000:
        return ListV(list(obj.split(*args)))
    if name == "replace" and len(args) == 2 and all(isinstance(a, str) for a in args) and len(obj) * (len(args[1]) + 1) < 100_000:
        return obj.replace(args[0], args[1])
    if name == "format" and all(isinstance(a, (str, int, float)) for a in list(args) + list(kwargs.values())):
        if _WIDE_SPEC.search(obj):
            return it.unknown(node, "str.format() with a width or precision of 1000 or more is not evaluated")
        try:
            return obj.format(*args, **kwargs)
        except (IndexError, KeyError, ValueError):
            return it.unknown(node, "str.format() fails")
    return it.unknown(node, f"str.{name}() is not evaluated")


def _hashable_key(value: Any) -> bool:
    return isinstance(value, (str, int, float, bool, tuple)) or value is None


def _getattr(it: "Core", args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    """``getattr(nn, "ReLU")``, ``getattr(self, f"fc{i}")``, with an optional default."""
    if len(args) not in (2, 3) or not isinstance(args[1], str):
        return it.unknown(node, "getattr() with a name not known statically")
    obj, name = args[0], args[1]
    if len(args) == 3 and isinstance(obj, ModuleInstance) and torch_lib.lacks_attribute(obj, name):
        return args[2]
    value = it.attribute(obj, name, node)
    present = isinstance(obj, (ObjV, ModuleInstance)) and name in obj.attrs  # set, even if to a value not known
    if len(args) == 3 and isinstance(value, Unknown) and not isinstance(obj, Unknown) and not present:
        return args[2]
    return value


def _setattr(it: "Core", args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    """``setattr(self, "fc", nn.Linear(...))`` sets like an attribute (torch registers the module)."""
    if len(args) == 3 and isinstance(args[1], str):
        it.set_on(args[0], args[1], args[2], node)
    elif len(args) == 3:
        it.call_method(Method(args[0], "add_module"), [args[1], args[2]], {}, node)  # a name not known statically
    return None


def _all_any(name: str) -> Callable[..., Any]:
    def fn(it: "Core", args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
        """``all([...])`` / ``any(...)`` over values whose truth is known."""
        items = it.iterate(args[0]) if len(args) == 1 and not kwargs else None
        truths = [it.truth(v) for v in items] if items is not None and not (isinstance(args[0], ListV) and args[0].taint) else [None]
        if None in truths:
            return NotModule(f"{name}() is not known statically here", *it.pos(node))
        return all(truths) if name == "all" else any(truths)

    return fn


def _type(it: "Core", args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    """``type(obj)``: the class of an object of the file's classes, or the built-in type of a plain value."""
    if len(args) == 1 and not kwargs:
        value = args[0]
        if isinstance(value, (ObjV, ModuleInstance)) and value.cls is not None:
            return value.cls
        name = next((n for n, kind in _PLAIN_TYPES.items() if type(value) is kind), None)
        if name is not None:
            return Builtin(name, BUILTIN_TABLE[name])
    return NotModule("type() is not known statically here", *it.pos(node))


_PERCENT_WIDE = re.compile(r"%[-+ #0]*(?:\d{4}|\*)|%[-+ #0]*\d*\.(?:\d{4}|\*)")


def percent_format(text: str, values: Any, unknown: Callable[[str], Any]) -> Any:
    """``"layer%d" % (i + 1)`` on known numbers and strings (a width of 1000 or more is refused before it allocates)."""
    items = values if isinstance(values, tuple) else (values,)
    if not all(isinstance(v, (int, float, str)) for v in items) or _PERCENT_WIDE.search(text) or len(text) > 10_000:
        return unknown("%-formatting of values not known statically")
    try:
        return text % values
    except (TypeError, ValueError, OverflowError):
        return unknown("%-formatting fails here")


def _super(it: "Core", args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    return it.make_super(args, node)


BUILTIN_TABLE: dict[str, Callable[..., Any]] = {
    "range": _range, "len": _len, "int": _convert(int), "float": _convert(float), "bool": _convert(bool),
    "str": _convert(str), "list": _sequence("list"), "tuple": _sequence("tuple"), "dict": _dict, "set": _set,
    "min": _numeric(min, "min"), "max": _numeric(max, "max"), "sum": _numeric(sum, "sum"), "abs": _numeric(abs, "abs"),
    "round": _numeric(round, "round"), "zip": _zip, "enumerate": _enumerate, "reversed": _reversed, "sorted": _sorted,
    "print": _print, "isinstance": _isinstance, "setattr": _setattr, "getattr": _getattr, "super": _super,
    "hasattr": _hasattr, "type": _type, "all": _all_any("all"), "any": _all_any("any"),
    "object": lambda it, args, kwargs, node: NotModule("an object()", *it.pos(node)),
}
for _name, _fn in BUILTIN_TABLE.items():
    builtin(_name)(_fn)


@method("list", "append", "extend", "insert", "copy", "tolist", "pop", "remove", "clear", "reverse", "sort", "*")
def list_method(it: "Core", obj: ListV, name: str, args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    if name in ("append", "extend", "insert"):
        it.taint(obj)
    if name == "append" and len(args) == 1:
        obj.items.append(args[0])
        it.check_size(len(obj.items), node)
        return None
    if name == "extend" and len(args) == 1:
        it.extend(obj, args[0], node)
        return None
    if name == "insert" and len(args) == 2 and isinstance(args[0], int):
        obj.items.insert(args[0], args[1])
        return None
    if name in ("copy", "tolist"):  # tolist: a numpy array or tensor of known values is held as a list
        return ListV(list(obj.items), list(obj.taint))
    if name in ("reverse", "clear") and not args and not it.conditions and not obj.taint:
        obj.items.reverse() if name == "reverse" else obj.items.clear()
        return None
    if name == "pop" and len(args) <= 1 and all(isinstance(a, int) for a in args) and obj.items and not it.conditions and not obj.taint:
        index = args[0] if args else -1
        if -len(obj.items) <= index < len(obj.items):
            return obj.items.pop(index)
    if name in ("pop", "remove", "clear", "reverse", "sort"):
        obj.taint.append(UnknownValue(*it.pos(node), what="the layers", reason=f"list.{name}() is not followed"))
    return it.unknown(node, f"list.{name}() is not evaluated")


method("dict", "*")(lambda it, obj, name, args, kwargs, node: dict_method(it, obj, name, args, kwargs, node))
method("str", "*")(lambda it, obj, name, args, kwargs, node: str_method(it, obj, name, args, kwargs, node))
