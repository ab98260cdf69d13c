"""The layer-spec contract: what a spec reads (``Call``), what it returns (``Out``), the registry."""
from __future__ import annotations

import builtins

from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping, Optional, Sequence

from .findings import Finding, ImportNotFollowed, InvalidConfig, LimitReached, Mismatch, NeedsInputShape, UnknownValue
from .values import Layer, Shape, Unknown, describe

MISSING: Any = object()


@dataclass(frozen=True)
class Out:
    """A spec's answer: output shape (``None`` if not known), parameter counts and the formula."""

    shape: Optional[Shape]
    trainable: int = 0
    non_trainable: int = 0
    formula: str = ""

    @property
    def params(self) -> int:
        return self.trainable + self.non_trainable


Spec = Callable[["Call"], Out]
REGISTRY: dict[str, Spec] = {}
ALIASES: dict[str, str] = {}  # another name the framework exports for a class -> the class's own name


def register(*qualnames: str, alias: Optional[str] = None) -> Callable[[Spec], Spec]:
    """Register a spec under canonical qualified names (``keras.layers.Dense``, ``torch.nn.Linear``).

    ``alias`` is another name the framework exports for the one class named (``keras.layers.Convolution2D``
    for Conv2D): the extractor maps it to the class, so rows show the class name as the framework does."""

    def deco(fn: Spec) -> Spec:
        for name in (*qualnames, *([alias] if alias else [])):
            if name in REGISTRY:
                raise ValueError(f"spec registered twice: {name}")
            REGISTRY[name] = fn
        if alias:
            assert len(qualnames) == 1, "an alias names one class"
            ALIASES[alias] = qualnames[0]
        return fn

    return deco


def num(n: int) -> str:
    """Thousands separators, as in Keras' summary."""
    return f"{n:,}"


class Call:
    """A spec's view of one layer call: typed argument access and the incoming shape.

    Accessors raise ``UnknownValue`` for values the extractor could not determine and
    ``InvalidConfig`` for values the framework would refuse, echoing them
    (``Received: units=-3``), so a spec body holds only the formula and the shape rule.
    """

    def __init__(self, layer: Layer, input_shape: Optional[Shape], run: Callable[[Layer, Optional[Shape]], Out],
                 inputs: Optional[Sequence[Optional[Shape]]] = None, named: Optional[Mapping[builtins.str, Optional[Shape]]] = None) -> None:
        self.layer = layer
        self.input = input_shape
        self._run = run
        # A layer called on several tensors (Keras merge layers, attention): the shapes of the tensors passed
        # positionally or as one list (``Add()([a, b])``), in order, and those passed by keyword (``key=k``).
        # A one-tensor call has ``inputs == [input]``.
        self.inputs: list[Optional[Shape]] = list(inputs) if inputs is not None else [input_shape]
        self.named: dict[builtins.str, Optional[Shape]] = dict(named or {})
        self.notes: list[Finding] = []  # non-fatal findings (mismatches): the count stays exact

    # -- raw access -------------------------------------------------------
    @property
    def name(self) -> builtins.str:
        return self.layer.type_name

    def has(self, key: builtins.str, pos: Optional[builtins.int] = None) -> builtins.bool:
        return key in self.layer.kwargs or (pos is not None and pos < len(self.layer.args))

    def raw(self, key: builtins.str, pos: Optional[builtins.int] = None, default: Any = MISSING, layer: builtins.bool = False) -> Any:
        """The argument as given; unknown when it is not known statically, or when it holds (or, unless ``layer``
        asks for one, is) the result of calling a class paramlint does not know (``hp.Int('units', 32, 512)``)."""
        if key in self.layer.kwargs and pos is not None and pos < len(self.layer.args):
            raise self.invalid(f"got multiple values for argument '{key}' (position {pos + 1} and {key}=)")
        if key in self.layer.kwargs:
            value = self.layer.kwargs[key]
        elif pos is not None and pos < len(self.layer.args):
            value = self.layer.args[pos]
        elif isinstance(self.layer.kwargs.get("**"), Unknown):  # Dense(4, **kw): kw may hold it
            raise unknown_value(self.layer.kwargs["**"], f"{self.name}({key}=...)", self.layer)
        elif default is MISSING:
            raise self.invalid(f"missing required argument '{key}'")
        else:
            return default
        if isinstance(value, Unknown):
            raise unknown_value(value, f"{self.name}({key}=...)", self.layer)
        hidden = _not_static(value if isinstance(value, (tuple, list)) else () if layer else (value,))
        if isinstance(hidden, Unknown):
            raise unknown_value(hidden, f"{self.name}({key}=...)", self.layer)
        if isinstance(hidden, Layer):  # Reshape((hp.Int('a', 1, 4), -1)): never a configuration Keras refuses
            raise UnknownValue(self.layer.line, self.layer.column, what=f"{self.name}({key}=...)",
                               reason=f"{describe(hidden)} is a call whose result is not known statically")
        return value

    def invalid(self, reason: builtins.str) -> InvalidConfig:
        return InvalidConfig(self.layer.line, self.layer.column, layer=self.name, reason=reason)

    def _received(self, key: builtins.str, value: Any, expected: builtins.str) -> Finding:
        if isinstance(value, Layer) and value.qualname not in REGISTRY:  # hp.Int('units', 32, 512): a call paramlint cannot evaluate
            return UnknownValue(self.layer.line, self.layer.column, what=f"{self.name}({key}=...)",
                                reason=f"{describe(value)} is a call whose result is not known statically")
        return self.invalid(f"expected {expected} for '{key}'. Received: {key}={describe(value)}")

    # -- typed access -----------------------------------------------------
    def int(self, key: builtins.str, pos: Optional[builtins.int] = None, default: Any = MISSING, min: Optional[builtins.int] = None) -> builtins.int:
        value = self.raw(key, pos, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self._received(key, value, "an integer")
        if min is not None and value < min:
            raise self._received(key, value, f"an integer >= {min}")
        return value

    def opt_int(self, key: builtins.str, pos: Optional[builtins.int] = None, default: Any = None, min: Optional[builtins.int] = None) -> Optional[builtins.int]:
        value = self.raw(key, pos, default)
        if value is None:
            return None
        return self.int(key, pos, default, min)

    def float(self, key: builtins.str, pos: Optional[builtins.int] = None, default: Any = MISSING) -> builtins.float:
        value = self.raw(key, pos, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self._received(key, value, "a number")
        try:
            return float(value)
        except OverflowError:
            raise self._received(key, value, "a number that fits a float") from None

    def bool(self, key: builtins.str, pos: Optional[builtins.int] = None, default: Any = MISSING) -> builtins.bool:
        value = self.raw(key, pos, default)
        if not isinstance(value, bool):
            if isinstance(value, int) and value in (0, 1):
                return bool(value)
            raise self._received(key, value, "a boolean")
        return value

    def str(self, key: builtins.str, pos: Optional[builtins.int] = None, default: Any = MISSING,
            choices: Optional[Iterable[builtins.str]] = None, lower: builtins.bool = True) -> builtins.str:
        value = self.raw(key, pos, default)
        if not isinstance(value, str):
            raise self._received(key, value, "a string")
        if lower:
            value = value.lower()
        if choices is not None and value not in choices:
            raise self._received(key, value, "one of " + ", ".join(repr(c) for c in choices))
        return value

    def ints(self, key: builtins.str, pos: Optional[builtins.int] = None, n: builtins.int = 1, default: Any = MISSING,
             min: Optional[builtins.int] = None) -> tuple[builtins.int, ...]:
        """An int or a sequence of ``n`` ints (``kernel_size=3`` or ``(3, 3)``), as a tuple of ``n``."""
        value = self.raw(key, pos, default)
        items: Sequence[Any] = value if isinstance(value, (tuple, list)) else (value,) * n
        if len(items) != n:
            raise self._received(key, value, f"an integer or a tuple of {n} integers")
        out = []
        for item in items:
            if isinstance(item, Unknown):
                raise unknown_value(item, f"{self.name}({key}=...)", self.layer)
            if isinstance(item, bool) or not isinstance(item, int) or (min is not None and item < min):
                raise self._received(key, value, f"an integer or a tuple of {n} integers" + (f" >= {min}" if min is not None else ""))
            out.append(item)
        return tuple(out)

    def layer_arg(self, key: builtins.str, pos: Optional[builtins.int] = None) -> Layer:
        value = self.raw(key, pos, layer=True)
        if not isinstance(value, Layer):
            raise self._received(key, value, "a layer")
        return value

    # -- shapes -----------------------------------------------------------
    def need_input(self, rank: Optional[builtins.int] = None, min_rank: Optional[builtins.int] = None) -> Shape:
        """The incoming shape; raises ``NeedsInputShape`` when unknown, ``InvalidConfig`` on a bad rank."""
        if self.input is None:
            raise NeedsInputShape(self.layer.line, self.layer.column, layer=self.name)
        got = len(self.input) + 1  # ranks count the batch dimension, as the frameworks do
        if rank is not None and got != rank:
            raise self.invalid(f"expects input of rank {rank}, received shape {show_shape(self.input)}")
        if min_rank is not None and got < min_rank:
            raise self.invalid(f"expects input of rank >= {min_rank}, received shape {show_shape(self.input)}")
        return self.input

    def dim(self, axis: builtins.int) -> builtins.int:
        """A dimension that must be known (the channel or feature axis that sizes the weights)."""
        shape = self.need_input()
        try:
            value = shape[axis]
        except IndexError:
            raise self.invalid(f"expects a larger input rank, received shape {show_shape(shape)}") from None
        if value is None:
            raise NeedsInputShape(self.layer.line, self.layer.column, layer=self.name, axis=axis)
        return value

    def check_declared(self, arg: builtins.str, declared: builtins.int, axis: builtins.int) -> None:
        """PRM2xx when the incoming shape is known and disagrees with a declared input size."""
        if self.input is None:
            return
        try:
            actual = self.input[axis]
        except IndexError:
            raise self.invalid(f"expects a larger input rank, received shape {show_shape(self.input)}") from None
        if actual is not None and actual != declared:
            self.notes.append(Mismatch(self.layer.line, self.layer.column, layer=self.name, arg=arg, declared=declared, actual=actual))

    def run(self, layer: Layer, shape: Optional[Shape]) -> Out:
        """Count a nested layer (wrappers: Bidirectional, TimeDistributed)."""
        return self._run(layer, shape)


def _not_static(value: Any) -> Any:
    """The first item of a (nested) tuple or list that is not known statically: an unknown, or the result of a
    call of a class paramlint does not know (``hp.Int(...)``); None if there is none."""
    for item in value:
        found = _not_static(item) if isinstance(item, (tuple, list)) else item
        if isinstance(found, Unknown) or isinstance(found, Layer) and found.qualname not in REGISTRY:
            return found
    return None


def unknown_value(value: Unknown, what: builtins.str, at: Optional[Layer] = None) -> Finding:
    """PRM304 when an analysis limit made the value unknown, PRM302 when the code did. Reported on the
    layer's line when given (where the user looks), naming the line the value came from."""
    elsewhere = at is not None and at.line and value.line != at.line
    line, column = (at.line, at.column) if at is not None and elsewhere else (value.line, value.column)
    reason = f"{value.reason} (line {value.line})" if elsewhere and value.line else value.reason
    if value.limit:
        return LimitReached(line, column, limit=value.limit, value=reason)
    if value.module:
        return ImportNotFollowed(line, column, what=what, module=value.module, reason=reason)
    return UnknownValue(line, column, what=what, reason=reason)


def show_shape(shape: Optional[Shape]) -> str:
    if shape is None:
        return "?"
    return "(" + ", ".join("None" if d is None else str(d) for d in (None, *shape)) + ")"
