"""Engine inputs: layer constructor calls with statically known argument values."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional, Union

Dim = Optional[int]
Shape = tuple[Dim, ...]
"""A tensor shape without its batch dimension; ``None`` marks a dimension not known."""


@dataclass(frozen=True)
class Unknown:
    """A value the extractor could not determine, with the reason and where it came from."""

    reason: str
    line: int = 0
    column: int = 0
    limit: str = ""  # set when an analysis limit, not the user's code, made it unknown
    module: str = ""  # set when an import that could not be followed (not found, a cycle) made it unknown


@dataclass(eq=False)
class Layer:
    """One layer constructor call. Identity matters: the same object used twice is one layer.

    ``args`` and ``kwargs`` hold plain Python values (int, float, str, bool, None, tuples),
    ``Unknown`` markers and nested ``Layer`` objects (for wrappers such as Bidirectional).
    Containers (Sequential) keep their entries in ``children`` as (key, Layer | Unknown).
    """

    qualname: str
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)
    line: int = 0
    column: int = 0
    children: Optional[list[tuple[Optional[str], Union["Layer", Unknown]]]] = None
    kind: str = "layer"  # "module": a user-defined nn.Module, its children (submodules) counted each on its own
    # What the file changed after construction (PyTorch): requires_grad on all or some of its own parameters,
    # parameters replaced by another layer's (weight tying: the shared parameter is counted where torch's
    # named_parameters() meets it first),
    # and a change of trainability that reached it under a condition not known statically.
    frozen: bool = False
    frozen_slots: frozenset[str] = frozenset()
    tied: dict[str, tuple["Layer", str]] = field(default_factory=dict)  # its slot -> (owner layer, owner's slot)
    split_unknown: Optional[Unknown] = None
    changed: Optional[Unknown] = None  # its parameters were changed in a way not followed: no count
    # The shapes a PyTorch module was called with and returned when its parent's forward() was followed.
    seen_input: Optional[Shape] = None
    seen_output: Optional[Shape] = None
    # A Keras layer is built by its first call: the shapes of every tensor it was first called on, when it
    # takes several (merge layers, attention), positionally and by keyword; ``seen_input`` is the first.
    seen_inputs: Optional[tuple[Optional[Shape], ...]] = None
    seen_named: Optional[dict[str, Optional[Shape]]] = None
    # Keras creates a layer's weights when it is first called (or built): until then it holds none.
    # ``build_unknown``: whether it was built depends on a value not known statically.
    built: bool = False
    build_unknown: Optional[Unknown] = None

    @property
    def type_name(self) -> str:
        return self.qualname.rsplit(".", 1)[-1]


@dataclass(frozen=True)
class Symbol:
    """A reference to a function or class, not called (``activation=F.gelu``); ``<local>.`` for the file's own."""

    qualname: str

    @property
    def is_function(self) -> bool:
        """A plain function holds no parameters (a class, when called, might)."""
        return not self.qualname.rsplit(".", 1)[-1][:1].isupper()


def describe(value: Any) -> str:
    """A value in the user's words, never an internal repr: ``hp.Int(...)`` as ``Int('units', 32)``, ``F.relu`` as its name."""
    if isinstance(value, bool) or value is None or isinstance(value, (int, float, str)):
        return repr(value)
    if isinstance(value, tuple):
        inner = ", ".join(describe(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, list):
        return "[" + ", ".join(describe(v) for v in value) + "]"
    if isinstance(value, Layer):
        parts = [describe(a) for a in value.args] + [f"{k}={describe(v)}" for k, v in value.kwargs.items()]
        return f"{value.type_name}({', '.join(parts)})"
    if isinstance(value, Symbol):
        return value.qualname.rsplit(".", 1)[-1] if value.qualname.startswith("<local>.") else value.qualname
    if isinstance(value, Unknown):
        return "a value not known statically"
    shape = getattr(value, "shape", None)
    if isinstance(shape, tuple):
        return f"a tensor of shape {describe(shape)}"
    return "a value paramlint does not follow"
