"""Values of the abstract interpreter beyond plain Python constants, and the kinds of model it finds.

No syntax-tree types leak out of the package: nodes are held as opaque ``Any``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Optional

from ..engine.findings import Finding
from ..engine.graph import Node as GraphNode
from ..engine.values import Layer, Shape, Unknown


@dataclass(frozen=True)
class Ref:
    """An imported module, class or function, by qualified name (``torch.nn``, ``torch.nn.Linear``)."""

    qualname: str
    missing: str = ""  # why its module could not be read (not found, compiled): calling it gives an Unknown saying so


@dataclass(eq=False)
class ModuleV:
    """A module of the project or an installed package, read from its source: ``env`` holds its globals.
    ``running`` while its top level is being interpreted (an import cycle may see it so)."""

    name: str
    file: Any  # the source file (a Path), None for a namespace package
    locations: tuple[Any, ...]  # a package's folders, where its submodules are found
    env: Any  # its module-level Env
    running: bool = True
    partial: str = ""  # why its top level did not run to the end (an analysis limit)


@dataclass(eq=False)
class LazyImport:
    """What a module-level ``import`` binds until the name is first used: the module (``spec``) and the name in it
    (None: the module itself). Read when used, so that a file's imports cost only what it uses."""

    spec: Any  # finder.Spec
    name: Optional[str] = None
    importer: Any = None  # the ModuleV whose import statement this is
    seen: frozenset[str] = frozenset()  # the names the importer had bound at that statement
    value: Any = None
    forced: bool = False


@dataclass(frozen=True)
class NotModule(Unknown):
    """Unknown, but certainly neither a module nor a parameter (arithmetic, a tensor, ``torch.device(...)``):
    an attribute holding it registers nothing, so it cannot hide parameters."""


@dataclass(frozen=True)
class Ambiguous(Unknown):
    """Unknown, but one of the paths bound an import to it (``nn`` is torch.nn or keras.layers): a
    ``Sequential`` reached through it is reported as a model of unknown framework, never dropped."""


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
    """A tensor of known sizes (``torch.zeros(1, 1, dim)``), or one a followed ``forward()`` computes, whose
    batch dimension may be None: only its shape matters."""

    shape: tuple[Optional[int], ...]


@dataclass(frozen=True)
class DataTensor:
    """A small tensor of known numbers, 1-D (or 0-d: ``scalar``): each element an interval [lo, hi] certain to hold
    torch's value (exact for an integer dtype); see ``libs/torch_data.py``."""

    dtype: str  # int32, int64, float32, float64
    lo: tuple[Any, ...]
    hi: tuple[Any, ...]
    scalar: bool = False

    @property
    def size(self) -> int:
        return len(self.lo)


@dataclass(eq=False)
class KTensor:
    """A Keras symbolic tensor: its shape with the batch dimension (None where not known, or no shape at all)
    and the call that produced it, from which ``keras.Model(inputs, outputs)`` reads the graph."""

    shape: Optional[tuple[Optional[int], ...]]
    node: GraphNode


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
class Func:
    """A function defined in the file (or a lambda); ``owner`` is the class whose body defines it."""

    name: str
    node: Any  # ast FunctionDef / Lambda, opaque outside the interpreter
    scope: Any  # the defining Env
    called: bool = False
    owner: Optional["ClassV"] = None
    decorators: tuple[str, ...] = ()  # staticmethod, classmethod, property


@dataclass(eq=False)
class ClassV:
    """A class defined in the file: its evaluated bases and the attributes its body binds."""

    name: str
    node: Any  # ast ClassDef
    scope: Any  # the defining Env
    bases: tuple[Any, ...] = ()  # the evaluated base classes (Ref, ClassV, Unknown)
    attrs: dict[str, Any] = field(default_factory=dict)  # class attributes and methods (Func)
    instantiated: bool = False
    dataclass: bool = False

    def mro(self) -> list[Any]:
        """Python's C3 linearisation over the file's classes; library bases (Ref, Unknown) end their branch."""
        seqs = [base.mro() if isinstance(base, ClassV) else [base] for base in self.bases] + [list(self.bases)]
        out: list[Any] = [self]
        while any(seqs):
            seqs = [s for s in seqs if s]
            for seq in seqs:
                head = seq[0]
                if not any(head in s[1:] for s in seqs):
                    break
            else:  # no consistent order (Python would refuse the class): keep the bases' order
                head = seqs[0][0]
            out.append(head)
            seqs = [s[1:] if s and s[0] == head else s for s in seqs]
        return out

    def lookup(self, name: str, after: Optional["ClassV"] = None) -> tuple[Any, Any]:
        """(value, the class that binds it) along the MRO, starting after ``after``; (None, None) if unbound.
        A library base met first answers as itself: the name may be one of its attributes."""
        order = self.mro()
        if after is not None and after in order:
            order = order[order.index(after) + 1:]
        for cls in order:
            if isinstance(cls, ClassV):
                if name in cls.attrs:
                    return cls.attrs[name], cls
            else:
                return None, cls
        return None, None

    def library_bases(self) -> list[Any]:
        return [c for c in self.mro() if not isinstance(c, ClassV)]

    @property
    def is_torch_module(self) -> bool:
        """Derives from nn.Module: directly, through a torch.nn class (Sequential, Linear) or the file's classes."""
        from .names import canonical

        def torch_class(name: str) -> bool:
            return name in TORCH_MODULE_BASES or name.startswith("torch.nn.") and name.rsplit(".", 1)[-1][:1].isupper()

        return any(isinstance(b, Ref) and torch_class(canonical(b.qualname)) for b in self.library_bases())


TORCH_MODULE_BASES = frozenset({"torch.nn.Module", "torch.nn.modules.module.Module"})


class NamedTupleV(tuple):  # type: ignore[type-arg]
    """An instance of a ``collections.namedtuple`` class: a tuple (indexed, unpacked, compared as one) whose items
    are also its fields."""

    fields: tuple[str, ...]
    typename: str

    def __new__(cls, items: Any, fields: tuple[str, ...], typename: str) -> "NamedTupleV":
        made = super().__new__(cls, items)
        made.fields, made.typename = fields, typename
        return made


@dataclass(eq=False)
class ObjV:
    """An object with attributes: an argparse namespace, a parser, a dataclass or other plain instance."""

    kind: str
    attrs: dict[str, Any] = field(default_factory=dict)
    cls: Optional[ClassV] = None


@dataclass(eq=False)
class Builtin:
    name: str
    fn: Callable[..., Any]


@dataclass(eq=False)
class Partial:
    """``functools.partial(f, *args, **kwargs)``: called, the stored arguments come first."""

    func: Any
    args: tuple[Any, ...]
    kwargs: dict[str, Any]


@dataclass(eq=False)
class Super:
    """``super()`` in a method of ``cls``: attribute lookup starts after ``cls`` in ``obj``'s MRO."""

    cls: ClassV
    obj: Any


@dataclass(eq=False)
class Method:
    """A method of a tracked value, resolved by the handlers when called (``layers.append``)."""

    obj: Any
    name: str


@dataclass(eq=False)
class BoundMethod:
    """A method of the file's class, bound to an instance (or to the class, for classmethods)."""

    func: Func
    obj: Any


@dataclass(eq=False)
class ParamSlot:
    """One parameter of a layer, by name (``self.tok_emb.weight``); assigned elsewhere, it ties weights."""

    owner: Layer
    name: str


@dataclass(eq=False)
class Params:
    """What ``module.parameters()`` / ``named_parameters()`` returns: a freeze in a loop over it reaches
    every parameter of ``owner``."""

    owner: Any  # a Layer, or a ParamSlot naming a submodule inside a torch layer
    named: bool = False


@dataclass(eq=False)
class ParamGroup:
    """The loop variable of ``for p in module.parameters()``: each of ``owner``'s parameters at once."""

    owner: Any  # a Layer, or a ParamSlot


# -- the kinds of model ---------------------------------------------------------------------------
@dataclass(eq=False)
class Model(Layer):
    """What every kind of model carries beyond its engine view: where it came from, what made it uncertain."""

    framework: str = ""
    name: Optional[str] = None  # name= or the first variable it is bound to
    returned_by: Optional[str] = None  # the function of the file that returned it (the outermost one)
    origin: int = 0  # the syntax node that made it (a loop's copies share it; another file's models are told apart)
    named_by: str = ""  # "function" when a variable inside a function named it, "module" at module level
    taint: list[Finding] = field(default_factory=list)
    assumptions: list[str] = field(default_factory=list)
    built_in: Optional["Model"] = None  # the module whose construction created it
    transient: bool = False  # made by another module's function and not in what it returned (a backbone taken apart)

    model_kind = "model"


@dataclass(eq=False)
class SequentialModel(Model):
    """A Keras or PyTorch Sequential being built: its layers in order, in ``children``."""

    build_shape: Optional[Shape] = None
    model_kind = "sequential"


@dataclass(eq=False)
class ModuleInstance(Model):
    """An instance of a class of the file deriving from ``torch.nn.Module``.

    ``attrs`` holds every attribute in assignment order; what torch registers (modules and parameters)
    becomes ``children`` when the analysis ends (``registered``)."""

    cls: Optional[ClassV] = None
    attrs: dict[str, Any] = field(default_factory=dict)
    model_kind = "module"

    def registered(self) -> Iterator[tuple[str, Any]]:
        """The attributes torch registers: modules and parameters, and unknowns that may be either."""
        for attr, value in self.attrs.items():
            if isinstance(value, (Layer, Unknown)) and not isinstance(value, NotModule):
                yield attr, value


@dataclass(eq=False)
class LayerModel(Model):
    """A torch layer used as a whole model (``model = nn.Linear(1, 1)``): one row, itself."""

    model_kind = "module"


@dataclass(eq=False)
class FunctionalModel(Model):
    """``keras.Model(inputs, outputs)``: the layers on the paths between them, in Keras's order, in ``children``;
    ``inputs``/``outputs`` are the tensors it was made from (called as a layer, it maps shapes through them)."""

    inputs: list[Any] = field(default_factory=list)
    outputs: list[Any] = field(default_factory=list)
    layer_list: list[Any] = field(default_factory=list)  # ``model.layers`` as Keras gives it: its InputLayers too
    model_kind = "functional"


@dataclass(eq=False)
class KerasInstance(ModuleInstance):
    """An instance of a class of the file deriving from ``keras.Model`` or ``keras.layers.Layer``: the layers
    its attributes track, in assignment order, and the weights ``add_weight`` made, counted once built."""

    weights: list[tuple[str, Layer]] = field(default_factory=list)
    is_model: bool = False
    build_ran: bool = False  # its own build() ran: Keras runs it once, on the first call
    model_kind = "subclass"

    def registered(self) -> Iterator[tuple[str, Any]]:
        """What Keras tracks: layers in attributes (also inside lists and dicts), then its own weights."""
        own = {id(w) for _, w in self.weights}
        for attr, value in self.attrs.items():
            items = value.items if isinstance(value, ListV) else list(value.items.values()) if isinstance(value, DictV) else [value]
            for i, item in enumerate(items):
                key = attr if len(items) == 1 and not isinstance(value, (ListV, DictV)) else f"{attr}.{i}"
                if isinstance(item, Layer) and id(item) not in own or isinstance(item, Unknown) and not isinstance(item, NotModule):
                    yield key, item
        yield from self.weights


def is_unknown(value: Any) -> bool:
    return isinstance(value, Unknown)
