"""Small tensors of known numbers: the arithmetic some builders size their layers with
(``torch.round(torch.arange(depth) * w_a + w_0).int().tolist()``), evaluated as torch evaluates it.

Each element is an interval certain to hold torch's value: integer tensors are exact; a float result is widened by
more than torch's rounding can move it (a float32 or float64 rounding, a transcendental function's error), except
where the result is an integer small enough that every rounding leaves it exact. What turns floats back into
integers (``round``, ``floor``, ``.int()``) gives a number only when the whole interval gives the same one; else the
value is not known, so a width near a rounding boundary is never guessed.
"""
from __future__ import annotations

import math
import struct
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Callable, Optional

from ..handlers import function, method
from ..objects import DataTensor, ListV, NotModule, TensorV

if TYPE_CHECKING:
    from ..core import Core

Node = Any
INTS = ("int32", "int64")
FLOATS = ("float32", "float64")
_BITS = {"int32": 31, "int64": 63}
_ROUNDING = {"float32": 2.0 ** -21, "float64": 2.0 ** -50}  # several units in the last place, relative
_TRANSCENDENTAL = {"float32": 2.0 ** -18, "float64": 2.0 ** -46}  # log, exp, pow: a few more
_EXACT_INT = {"float32": 2 ** 24, "float64": 2 ** 53}  # integers every float of the dtype holds exactly
_TINY = 2.0 ** -126


def f32(x: float) -> float:
    """``x`` rounded to the nearest float32, as torch stores it (infinite past its range)."""
    try:
        return float(struct.unpack("f", struct.pack("f", x))[0])
    except OverflowError:  # beyond float32's largest finite value (rounding may still bring it back: refused too)
        return math.copysign(math.inf, x)


def _number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _exact(lo: tuple[float, ...], hi: tuple[float, ...]) -> bool:
    return all(a == b for a, b in zip(lo, hi))


def _widen(dtype: str, lo: float, hi: float, ops: dict[str, float], exact: bool) -> tuple[float, float]:
    """[lo, hi] as a tensor of ``dtype`` may hold it after one rounded operation. ``exact``: the operands were exact
    integers and the operation keeps them so (add, subtract, multiply)."""
    if exact and lo == hi and float(lo).is_integer() and abs(lo) < _EXACT_INT[dtype]:
        return lo, hi
    rel = ops[dtype]
    return lo - abs(lo) * rel - _TINY, hi + abs(hi) * rel + _TINY


def _tensor(dtype: str, lo: list[float], hi: list[float], scalar: bool = False) -> Any:
    if dtype in INTS:
        if any(not math.isfinite(v) or abs(v) >= 2 ** min(_BITS[dtype], 53) for v in (*lo, *hi)):
            return None  # an integer overflow wraps in torch: not followed (nor integers past a float's precision)
        return DataTensor(dtype, tuple(int(v) for v in lo), tuple(int(v) for v in hi), scalar)
    if any(not math.isfinite(v) for v in (*lo, *hi)):
        return None
    return DataTensor(dtype, tuple(lo), tuple(hi), scalar)


def _promote(a: Any, b: Any, op: str) -> Optional[str]:
    """The dtype of ``a op b`` by torch's promotion: tensors decide, a Python number only lifts ints to floats."""
    kinds = [x.dtype for x in (a, b) if isinstance(x, DataTensor)]
    plain_float = any(isinstance(x, float) for x in (a, b))
    if all(k in INTS for k in kinds):
        if op == "Divide" or plain_float:
            return "float32"
        return "int64" if "int64" in kinds else "int32"
    floats = [k for k in kinds if k in FLOATS]
    return "float64" if "float64" in floats else "float32"


def _operand(x: Any, dtype: str, n: int) -> Optional[tuple[list[float], list[float], bool]]:
    """A tensor or Python number as intervals in ``dtype`` (a number broadcast to ``n`` elements), and whether it is
    an exact integer there."""
    if isinstance(x, DataTensor):
        lo, hi = list(x.lo), list(x.hi)
        if dtype in FLOATS and x.dtype in INTS:  # cast: exact for the integers the float holds
            cast = [(float(a), float(b)) if abs(a) < _EXACT_INT[dtype] else _widen(dtype, a, b, _ROUNDING, False) for a, b in zip(lo, hi)]
            lo, hi = [c[0] for c in cast], [c[1] for c in cast]
        exact = x.dtype in INTS or all(a == b and float(a).is_integer() for a, b in zip(lo, hi))
        return lo, hi, exact
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        return None
    if dtype in INTS:
        return ([x] * n, [x] * n, True) if isinstance(x, int) else None
    value = float(x)
    exact = value.is_integer() and abs(x) < _EXACT_INT[dtype]
    low, high = (min(value, f32(value)), max(value, f32(value))) if dtype == "float32" else (value, value)  # kept or cast
    if low != high:  # a float the file computed (math.log) may differ in its last bit on another machine
        low, high = low - abs(low) * 2.0 ** -50, high + abs(high) * 2.0 ** -50
    return [low] * n, [high] * n, exact


def _corners(fn: Callable[[float, float], float], a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    values = [fn(x, y) for x in a for y in b]
    return min(values), max(values)


def _floordiv(x: float, y: float) -> float:
    return float(x // y)


_BINARY: dict[str, Callable[[float, float], float]] = {
    "Add": lambda x, y: x + y, "Subtract": lambda x, y: x - y, "Multiply": lambda x, y: x * y,
    "Divide": lambda x, y: x / y, "Power": lambda x, y: float(x ** y), "FloorDivide": _floordiv,
}


def binop(op: str, left: Any, right: Any) -> Any:
    """``t * w_a + w_0``, ``w_0 / t``, ``t ** 2``: the result, or None where it is not followed."""
    if op not in _BINARY:
        return None
    a, b = (left, right) if isinstance(left, DataTensor) else (right, left)
    assert isinstance(a, DataTensor)
    if isinstance(b, DataTensor) and b.size != a.size and 1 not in (a.size, b.size):
        return None  # broadcasting beyond one dimension is not followed
    n = max(a.size, b.size) if isinstance(b, DataTensor) else a.size
    dtype = _promote(left, right, op)
    if dtype is None:
        return None
    x, y = _operand(left, dtype, n), _operand(right, dtype, n)
    if x is None or y is None:
        return None
    x = _broadcast(x, n)
    y = _broadcast(y, n)
    lo: list[float] = []
    hi: list[float] = []
    for i in range(n):
        ix, iy = (x[0][i], x[1][i]), (y[0][i], y[1][i])
        if op in ("Divide", "FloorDivide") and iy[0] <= 0 <= iy[1]:
            return None  # a division by zero, or maybe
        if op == "Power" and (iy[0] < 0 if dtype in INTS else ix[0] <= 0):
            return None  # a negative power of an integer (torch refuses it), a power of a float that may be negative
        if op == "Power" and max(abs(v) for v in iy) > 64 and max(abs(v) for v in ix) > 1:
            return None  # past any integer's range: never computed
        try:
            low, high = _corners(_BINARY[op], ix, iy)
        except (OverflowError, ZeroDivisionError, ValueError):
            return None
        exact = _exactly(op, dtype, ix, iy)
        if exact is not None:
            low = high = exact
        elif dtype in FLOATS:
            ops = _TRANSCENDENTAL if op == "Power" else _ROUNDING
            low, high = _widen(dtype, low, high, ops, x[2] and y[2] and op in ("Add", "Subtract", "Multiply"))
        lo.append(low)
        hi.append(high)
    return _tensor(dtype, lo, hi, a.scalar and (not isinstance(b, DataTensor) or b.scalar))


def _exactly(op: str, dtype: str, x: tuple[float, float], y: tuple[float, float]) -> Optional[float]:
    """The float result of one operation on two exact floats, where it is certain: +, -, *, / round correctly
    (IEEE, as torch's kernels compute them; rounding the double result again to float32 gives the same float); a
    power by a small whole exponent whose exact result the dtype holds is that result."""
    if dtype in FLOATS and op == "Multiply" and (x == (0, 0) or y == (0, 0)):
        return 0.0  # zero times a finite number
    if dtype not in FLOATS or x[0] != x[1] or y[0] != y[1]:
        return None
    a, b = float(x[0]), float(y[0])
    if op in ("Add", "Subtract", "Multiply", "Divide"):
        value = _BINARY[op](a, b)
        return f32(value) if dtype == "float32" else value
    if op == "Power" and b.is_integer() and 0 <= b <= 64:
        exact = Fraction(a) ** int(b)
        try:
            value = float(exact)
        except OverflowError:
            return None
        held = f32(value) if dtype == "float32" else value
        return held if Fraction(held) == exact else None
    return None


def _broadcast(x: tuple[list[float], list[float], bool], n: int) -> tuple[list[float], list[float], bool]:
    lo, hi, exact = x
    return (lo * n, hi * n, exact) if len(lo) == 1 and n != 1 else (lo, hi, exact)


# -- functions of torch ----------------------------------------------------------------------------
def _unknown(it: "Core", node: Node, what: str) -> NotModule:
    return NotModule(f"{what} is not evaluated", *it.pos(node))


@function("torch.arange")
def arange(it: "Core", args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    """``torch.arange(depth)``, ``torch.arange(1, n, 2)``: integers (int64); float bounds are not followed."""
    if set(kwargs) - {"device", "requires_grad"} or not 1 <= len(args) <= 3 or not all(type(a) is int for a in args):
        return _unknown(it, node, "torch.arange() of these arguments")
    bounds = range(*args) if args[-1] != 0 or len(args) < 3 else None
    if bounds is None or len(bounds) > it.limits.items:
        return _unknown(it, node, f"torch.arange() of {'step 0' if bounds is None else f'{len(bounds):,} items'}")
    values = [float(v) for v in bounds]
    return _tensor("int64", values, values)


@function("torch.tensor", "torch.as_tensor")
def tensor(it: "Core", args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    """``torch.tensor([1, 4, 9])``: a list of known numbers (ints give int64, any float gives float32)."""
    data = args[0] if args else kwargs.get("data")
    found = it.iterate(data) if isinstance(data, (ListV, tuple)) else [data] if _number(data) else None
    if set(kwargs) - {"data", "device", "requires_grad"} or len(args) > 1 or found is None or isinstance(data, ListV) and data.taint:
        return _unknown(it, node, "torch.tensor() of this data")
    items: list[Any] = found
    if not all(_number(v) for v in items):
        return _unknown(it, node, "torch.tensor() of values not known statically")
    if all(isinstance(v, int) for v in items):
        values = [float(v) if abs(v) < 2 ** 53 else math.inf for v in items]
        out = _tensor("int64", values, values, scalar=_number(data))
    else:
        values = [f32(float(v)) for v in items]
        out = _tensor("float32", values, values, scalar=_number(data))
    return out if out is not None else _unknown(it, node, "torch.tensor() of these numbers")


def _monotone(name: str, fn: Callable[[float], float], domain: Callable[[float], bool]) -> Callable[..., Any]:
    """torch.log, exp, sqrt: increasing functions, applied to each end of every interval."""

    def call(it: "Core", args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
        t = args[0] if len(args) == 1 and not kwargs else kwargs.get("input") if not args and set(kwargs) == {"input"} else None
        return apply(it, t, name, fn, domain, node)

    return call


def apply(it: "Core", t: Any, name: str, fn: Callable[[float], float], domain: Callable[[float], bool], node: Node) -> Any:
    """An increasing function on each element; a tensor of known shape keeps its shape
    (``torch.log(10 * torch.ones(h, 1, 1))`` sizes a parameter)."""
    if isinstance(t, TensorV):
        return t
    if not isinstance(t, DataTensor):
        return _unknown(it, node, f"torch.{name}()")
    dtype = t.dtype if t.dtype in FLOATS else "float32"
    lo, hi, _ = _operand(t, dtype, t.size) or ([], [], False)
    if not all(domain(v) for v in (*lo, *hi)):
        return _unknown(it, node, f"torch.{name}() outside its domain")

    def one(a: float, b: float) -> tuple[float, float]:
        if a == b and (name == "sqrt" or (name, a) in (("log", 1.0), ("exp", 0.0))):  # sqrt rounds correctly; log(1), exp(0)
            value = fn(a)
            return (f32(value), f32(value)) if dtype == "float32" else (value, value)
        return _widen(dtype, fn(a), fn(b), _TRANSCENDENTAL, False)

    try:
        pairs = [one(a, b) for a, b in zip(lo, hi)]
    except (OverflowError, ValueError):
        return _unknown(it, node, f"torch.{name}() out of range")
    out = _tensor(dtype, [p[0] for p in pairs], [p[1] for p in pairs], t.scalar)
    return out if out is not None else _unknown(it, node, f"torch.{name}() out of range")


function("torch.log")(_monotone("log", math.log, lambda v: v > 0))
function("torch.exp")(_monotone("exp", math.exp, lambda v: True))
function("torch.sqrt")(_monotone("sqrt", math.sqrt, lambda v: v >= 0))


def _half_even(v: float) -> float:
    return float(round(v))


def to_integers(it: "Core", t: Any, name: str, fn: Callable[[float], float], dtype: Optional[str], node: Node) -> Any:
    """round, floor, ceil, trunc (``.int()``): a number where the whole interval gives the same one."""
    if not isinstance(t, DataTensor):
        return _unknown(it, node, f"torch.{name}()")
    if t.dtype in INTS:
        return t if dtype is None else _tensor(dtype, list(map(float, t.lo)), list(map(float, t.hi)), t.scalar) or _unknown(it, node, name)
    out = [fn(a) for a in t.lo]
    if out != [fn(b) for b in t.hi]:
        return NotModule(f"torch.{name}() of a value too near a rounding boundary to be sure of (float arithmetic)", *it.pos(node))
    result = _tensor(dtype or t.dtype, out, out, t.scalar)
    return result if result is not None else _unknown(it, node, f"torch.{name}() out of range")


_ROUNDERS: dict[str, Callable[[float], float]] = {
    "round": _half_even, "floor": lambda v: float(math.floor(v)), "ceil": lambda v: float(math.ceil(v)),
    "trunc": lambda v: float(math.trunc(v)),
}
for _name, _fn in _ROUNDERS.items():
    function(f"torch.{_name}")(lambda it, args, kwargs, node, name=_name, fn=_fn:
                               to_integers(it, args[0] if len(args) == 1 and not kwargs else None, name, fn, None, node))


@function("torch.pow")
def power(it: "Core", args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    return _binary_function(it, "Power", args, kwargs, node)


@function("torch.divide", "torch.div", "torch.true_divide")
def divide(it: "Core", args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    return _binary_function(it, "Divide", args, kwargs, node)


@function("torch.add", "torch.sub", "torch.subtract", "torch.mul", "torch.multiply")
def arithmetic(it: "Core", args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    name = getattr(getattr(node, "func", None), "attr", "")
    op = {"add": "Add", "sub": "Subtract", "subtract": "Subtract", "mul": "Multiply", "multiply": "Multiply"}.get(name)
    return _binary_function(it, op, args, kwargs, node) if op else _unknown(it, node, "this torch function")


def _binary_function(it: "Core", op: str, args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    if len(args) != 2 or kwargs or not any(isinstance(a, DataTensor) for a in args):
        return _unknown(it, node, f"torch.{op.lower()}() of these arguments")
    out = binop(op, args[0], args[1])
    return out if out is not None else _unknown(it, node, f"torch.{op.lower()}() of these values")


@function("torch.diff")
def diff(it: "Core", args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    """``torch.diff(t)``: each element less the one before it."""
    t = args[0] if len(args) == 1 and not kwargs else None
    if not isinstance(t, DataTensor) or t.scalar:
        return _unknown(it, node, "torch.diff()")
    lo = [b - a for a, b in zip(t.hi, t.lo[1:])]
    hi = [b - a for a, b in zip(t.lo, t.hi[1:])]
    if t.dtype in FLOATS:
        pairs = [_widen(t.dtype, a, b, _ROUNDING, _exact(t.lo, t.hi)) for a, b in zip(lo, hi)]
        lo, hi = [p[0] for p in pairs], [p[1] for p in pairs]
    out = _tensor(t.dtype, lo, hi)
    return out if out is not None else _unknown(it, node, "torch.diff()")


@function("torch.unique", "torch.unique_consecutive")
def unique(it: "Core", args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    """``torch.unique(t)``: its distinct values, sorted; ``unique_consecutive``: runs collapsed, in order."""
    t = args[0] if len(args) == 1 else None
    consecutive = getattr(getattr(node, "func", None), "attr", "") == "unique_consecutive"
    if not isinstance(t, DataTensor) or not _exact(t.lo, t.hi) or set(kwargs) - {"sorted"} or kwargs.get("sorted", True) is not True:
        return _unknown(it, node, "torch.unique() of this value")
    values = [float(v) for v in t.lo]
    out = [v for i, v in enumerate(values) if i == 0 or v != values[i - 1]] if consecutive else sorted(set(values))
    return _tensor(t.dtype, out, out)


# -- methods ---------------------------------------------------------------------------------------
_CASTS = {"int": "int32", "long": "int64", "float": "float32", "double": "float64"}


@method("datatensor", "*")
def tensor_method(it: "Core", t: DataTensor, name: str, args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    if name in _CASTS and not args and not kwargs:
        return cast(it, t, _CASTS[name], node)
    if name == "tolist" and not args and not kwargs:
        if not _exact(t.lo, t.hi):
            return NotModule("the values of a tensor computed with float arithmetic are not known exactly", *it.pos(node))
        values = [int(v) if t.dtype in INTS else float(v) for v in t.lo]
        return values[0] if t.scalar else ListV(list(values))
    if name == "item" and not args and not kwargs and t.size == 1 and _exact(t.lo, t.hi):
        return int(t.lo[0]) if t.dtype in INTS else float(t.lo[0])
    if name in ("numel", "__len__") and not args and not kwargs:
        return t.size
    if name == "dim" and not args and not kwargs:
        return 0 if t.scalar else 1
    if name in _ROUNDERS and not args and not kwargs:
        return to_integers(it, t, name, _ROUNDERS[name], None, node)
    if name in ("log", "exp", "sqrt") and not args and not kwargs:
        fns: dict[str, tuple[Callable[[float], float], Callable[[float], bool]]] = {
            "log": (math.log, lambda v: v > 0), "exp": (math.exp, lambda v: True), "sqrt": (math.sqrt, lambda v: v >= 0)}
        return apply(it, t, name, fns[name][0], fns[name][1], node)
    if name in ("pow", "div", "mul", "add", "sub") and len(args) == 1 and not kwargs:
        op = {"pow": "Power", "div": "Divide", "mul": "Multiply", "add": "Add", "sub": "Subtract"}[name]
        out = binop(op, t, args[0])
        return out if out is not None else _unknown(it, node, f"tensor.{name}()")
    return _unknown(it, node, f"tensor.{name}()")


def cast(it: "Core", t: DataTensor, dtype: str, node: Node) -> Any:
    """``.int()`` truncates toward zero; ``.float()`` rounds an integer to the nearest float."""
    if dtype in INTS:
        return to_integers(it, t, "trunc", _ROUNDERS["trunc"], dtype, node)
    lo, hi, _ = _operand(t, dtype, t.size) or ([], [], False)
    if t.dtype == "float64" and dtype == "float32":
        pairs = [_widen(dtype, a, b, _ROUNDING, True) for a, b in zip(lo, hi)]
        lo, hi = [p[0] for p in pairs], [p[1] for p in pairs]
    out = _tensor(dtype, lo, hi, t.scalar)
    return out if out is not None else _unknown(it, node, f"a cast to {dtype}")


def to_number(it: "Core", t: DataTensor, kind: str, node: Node) -> Any:
    """``int(t)`` / ``float(t)`` of a one-element tensor."""
    if t.size != 1:
        return NotModule(f"{kind}() of a tensor of {t.size} elements", *it.pos(node))
    if kind == "int":
        t = to_integers(it, t, "trunc", _ROUNDERS["trunc"], "int64", node)
        return int(t.lo[0]) if isinstance(t, DataTensor) else t
    if not _exact(t.lo, t.hi):
        return NotModule("float() of a tensor computed with float arithmetic is not known exactly", *it.pos(node))
    return float(t.lo[0])


def negate(t: DataTensor) -> DataTensor:
    return DataTensor(t.dtype, tuple(-v for v in t.hi), tuple(-v for v in t.lo), t.scalar)


def elements(t: DataTensor) -> Optional[list[DataTensor]]:
    """Iterating a 1-D tensor gives its elements as 0-d tensors."""
    return None if t.scalar else [DataTensor(t.dtype, (a,), (b,), True) for a, b in zip(t.lo, t.hi)]
