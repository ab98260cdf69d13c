"""Values of the abstract interpreter beyond plain Python constants. No syntax-tree types leak out of the package."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from ..engine.findings import Finding
from ..engine.values import Layer, Shape, Unknown


@dataclass(frozen=True)
class Ref:
    """An imported module, class or function, by qualified name (``torch.nn``, ``torch.nn.Linear``)."""

    qualname: str


@dataclass(eq=False)
class ListV:
    """A mutable list. ``taint`` holds why its contents may differ from what was seen."""

    items: list[Any]
    taint: list[Finding] = field(default_factory=list)


@dataclass(eq=False)
class DictV:
    items: dict[Any, Any]
    taint: list[Finding] = field(default_factory=list)


@dataclass(frozen=True)
class TensorV:
    """A tensor the file creates with known sizes (``torch.zeros(1, 1, dim)``): only its shape matters."""

    shape: tuple[int, ...]


@dataclass(frozen=True)
class RangeV:
    start: int
    stop: int
    step: int

    def __len__(self) -> int:
        return len(range(self.start, self.stop, self.step))

    @property
    def size(self) -> int:
        """The number of items, exact even past ``sys.maxsize`` (where ``len()`` raises OverflowError)."""
        span = self.stop - self.start if self.step > 0 else self.start - self.stop
        return max(0, (span + abs(self.step) - 1) // abs(self.step))


@dataclass(eq=False)
class ObjV:
    """An object with attributes: an argparse namespace, a parser, an instance of a class of the file."""

    kind: str
    attrs: dict[str, Any] = field(default_factory=dict)
    cls: Optional["ClassV"] = None


@dataclass(eq=False)
class ClassV:
    """A class defined in the file. Instantiating it runs ``__init__``, where models are usually built."""

    name: str
    node: Any  # ast ClassDef
    scope: Any  # the defining Env
    instantiated: bool = False
    bases: tuple[Any, ...] = ()  # the evaluated base classes (Ref, ClassV, Unknown)

    @property
    def is_torch_module(self) -> bool:
        return any(
            isinstance(b, Ref) and b.qualname in ("torch.nn.Module", "torch.nn.modules.module.Module")
            or isinstance(b, ClassV) and b.is_torch_module
            for b in self.bases
        )

    def method(self, name: str) -> Optional[Any]:
        for stmt in self.node.body:
            if type(stmt).__name__ in ("FunctionDef", "AsyncFunctionDef") and stmt.name == name:
                return stmt
        return None


@dataclass(eq=False)
class Func:
    """A function defined in the file (or a lambda)."""

    name: str
    node: Any  # ast FunctionDef / Lambda, opaque outside the interpreter
    scope: Any  # the defining Env
    called: bool = False


@dataclass(eq=False)
class Builtin:
    name: str
    fn: Callable[..., Any]


@dataclass(eq=False)
class Model(Layer):
    """A Sequential being built. Engine-visible as a container Layer; carries extraction facts."""

    framework: str = ""
    name: Optional[str] = None  # name= or the first variable it is bound to
    returned_by: Optional[str] = None  # "build()" when a function returned it
    taint: list[Finding] = field(default_factory=list)
    assumptions: list[str] = field(default_factory=list)
    build_shape: Optional[Shape] = None


def is_unknown(value: Any) -> bool:
    return isinstance(value, Unknown)


@dataclass(frozen=True)
class Ambiguous(Unknown):
    """Unknown, but one of the paths bound an import to it (``nn`` is torch.nn or keras.layers): a
    ``Sequential`` reached through it is reported as a model of unknown framework, never dropped."""
