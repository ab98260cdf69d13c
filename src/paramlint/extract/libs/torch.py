"""PyTorch: tensors, nn.Parameter, module containers, what nn.Module methods do, and freezing."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Iterator, Optional

from ...engine.findings import Finding, UnknownValue
from ...engine.spec import MISSING, REGISTRY, Call, Out
from ...engine.values import Layer, Unknown
from ..handlers import function, method
from ..names import canonical
from ..objects import (
    TORCH_MODULE_BASES, DataTensor, DictV, Func, ListV, Method, ModuleInstance, NotModule, ParamGroup, Params, ParamSlot, Ref, SequentialModel, TensorV,
)

if TYPE_CHECKING:
    from ..core import Core

Node = Any

TORCH_SEQUENTIAL = "torch.nn.Sequential"
CONTAINERS = ("torch.nn.ModuleList", "torch.nn.ModuleDict")
# nn.Module methods that register a submodule or parameter under a name
REGISTERING = frozenset({"add_module", "register_module", "register_parameter", "__setattr__"})
# nn.Module methods that return the module itself
SELF_RETURNING = frozenset({"to", "cuda", "cpu", "float", "double", "half", "bfloat16", "train", "eval", "type", "to_empty"})
# methods only a module has: a value of a package paramlint cannot read, used so, is a model not counted
MODULE_ONLY = frozenset({"parameters", "named_parameters", "requires_grad_", "state_dict", "load_state_dict", "modules",
                         "named_modules", "children", "named_children", "zero_grad"})
# nn.Module methods that read the module or run it, and change nothing torch counts
HARMLESS = frozenset({
    "forward", "__call__", "apply", "zero_grad", "state_dict", "load_state_dict", "modules", "named_modules",
    "children", "named_children", "buffers", "named_buffers", "register_buffer", "register_forward_hook",
    "register_forward_pre_hook", "register_full_backward_hook", "register_backward_hook", "extra_repr",
    "reset_parameters", "flatten_parameters", "share_memory", "get_submodule", "get_parameter", "__init__",
    "_init_weights", "init_weights",
})
# constructor arguments a layer exposes as attributes of the same name (``model.fc.in_features``)
_ARGUMENTS = {
    "torch.nn.Linear": ("in_features", "out_features"),
    "torch.nn.Embedding": ("num_embeddings", "embedding_dim"),
    "torch.nn.BatchNorm1d": ("num_features",), "torch.nn.BatchNorm2d": ("num_features",),
    "torch.nn.BatchNorm3d": ("num_features",),
    "torch.nn.LSTM": ("input_size", "hidden_size", "num_layers"), "torch.nn.GRU": ("input_size", "hidden_size", "num_layers"),
    "torch.nn.RNN": ("input_size", "hidden_size", "num_layers"),
}
PARAMETER_NAMES = ("weight", "bias")
# what a parameter (a tensor) answers itself, rather than naming a parameter inside a layer
TENSOR_ATTRIBUTES = frozenset({
    "requires_grad_", "requires_grad", "data", "grad", "shape", "size", "dim", "numel", "normal_", "uniform_", "zero_",
    "fill_", "copy_", "t", "T", "detach", "clone", "device", "dtype", "mul_", "add_", "div_", "clamp_", "item", "view",
    "parameters", "named_parameters",  # of a submodule inside a torch layer (attn.out_proj.parameters())
})


@function("torch.load", "torch.hub.load", "torch.jit.load", "torch.export.load")
def _loaded(it: "Core", args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    """A module unpickled or loaded at run time: what it holds is in a file or a hub paramlint does not read (never
    a tensor paramlint could size); used as a model, it is one not counted."""
    return it.unknown(node, "it is loaded at run time from a file or a hub paramlint does not read")


@function("torch.zeros", "torch.ones", "torch.randn", "torch.rand", "torch.empty", "torch.Tensor", "torch.FloatTensor")
def _tensor(it: "Core", args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    """``torch.zeros(2, 3)``, ``torch.randn((2, 3))``: a tensor of known shape, when every size is known."""
    sizes = args
    if len(args) == 1 and isinstance(args[0], (tuple, ListV)):
        sizes = list(args[0].items if isinstance(args[0], ListV) else args[0])
    if sizes and all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in sizes):
        return TensorV(tuple(sizes))
    bad = next((s for s in sizes if isinstance(s, Unknown)), None)
    return NotModule(bad.reason, bad.line, bad.column, bad.limit) if bad else NotModule("tensor sizes not known statically", *it.pos(node))


@function("torch.nn.Parameter")
def _parameter(it: "Core", args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    """nn.Parameter(torch.zeros(1, 1, dim)): its shape is what counts."""
    data = args[0] if args else kwargs.get("data")
    grad = args[1] if len(args) > 1 else kwargs.get("requires_grad", True)
    shape = data.shape if isinstance(data, TensorV) else (() if data.scalar else (data.size,)) if isinstance(data, DataTensor) else data
    if not isinstance(shape, (tuple, Unknown)):
        shape = it.unknown(node, "the parameter's tensor is not known statically")
    return Layer("torch.nn.Parameter", (shape,), {"requires_grad": it.plain(grad)}, *it.pos(node))


def _container(it: "Core", args: list[Any], kwargs: dict[str, Any], node: Node, qual: str) -> Layer:
    """nn.ModuleList / nn.ModuleDict: their modules are registered, each counted on its own."""
    layer = Layer(qual, (), {}, *it.pos(node), children=[], kind="module")
    assert layer.children is not None
    source = args[0] if args else kwargs.get("modules", None)
    if source is None:
        return layer
    pairs = it.iterate(source) if qual == "torch.nn.ModuleDict" and isinstance(source, (ListV, tuple)) else None
    if pairs is not None and all(isinstance(p, tuple) and len(p) == 2 and isinstance(p[0], str) for p in pairs):
        source = DictV(dict(pairs), list(source.taint) if isinstance(source, ListV) else [])  # [("a", m), ...]
    if isinstance(source, DictV) and not source.taint:
        layer.children.extend((str(k), it.as_layer(v, node)) for k, v in source.items.items())
    elif isinstance(source, ListV) and not source.taint:
        layer.children.extend((str(i), it.as_layer(v, node)) for i, v in enumerate(source.items))
    elif isinstance(source, tuple):
        layer.children.extend((str(i), it.as_layer(v, node)) for i, v in enumerate(source))
    else:
        layer.children.append((None, it.unknown(node, f"the modules of {qual.rsplit('.', 1)[-1]} are not known statically")))
    return layer


function("torch.nn.ModuleList")(lambda it, args, kwargs, node: _container(it, args, kwargs, node, "torch.nn.ModuleList"))
function("torch.nn.ModuleDict")(lambda it, args, kwargs, node: _container(it, args, kwargs, node, "torch.nn.ModuleDict"))


def not_a_module(it: "Core", args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    """torch functions (``torch.device``, ``torch.nn.init.*``, ``F.relu``): whatever they return holds no parameters."""
    return NotModule("the result of a torch function is not evaluated", *it.pos(node))


# -- what a module holds ---------------------------------------------------------------------------
def submodules(layer: Layer) -> Iterator[Any]:
    """The direct submodules and parameters of any torch module value, as torch registers them."""
    if isinstance(layer, ModuleInstance):
        for _, value in layer.registered():
            yield value
    elif layer.children is not None:
        for _, value in layer.children:
            yield value


def leaves(layer: Layer, seen: Optional[set[int]] = None) -> Iterator[Layer]:
    """Every layer that owns parameters directly, below and including ``layer``, each once."""
    seen = set() if seen is None else seen
    if id(layer) in seen:
        return
    seen.add(id(layer))
    inner = list(submodules(layer))
    if not inner and not isinstance(layer, ModuleInstance) and layer.children is None:
        yield layer
    for value in inner:
        if isinstance(value, Layer):
            yield from leaves(value, seen)


def set_requires_grad(it: "Core", owner: Layer, value: Any, node: Node) -> None:
    """``requires_grad_(False)`` or ``p.requires_grad = False`` over all of ``owner``'s parameters."""
    if not isinstance(value, bool) or it.conditions:
        why = it.conditions[-1].reason if it.conditions else "the value is not known statically"
        owner.split_unknown = Unknown(f"requires_grad is changed where {why}", *it.pos(node))
        return
    for leaf in leaves(owner):
        leaf.frozen, leaf.frozen_slots = not value, frozenset()
        for shared_owner, shared_slot in leaf.tied.values():  # a shared parameter is frozen for both
            set_slot_grad(shared_owner, shared_slot, value)


def set_slot_grad(layer: Layer, slot: str, value: bool) -> None:
    if layer.frozen and value:  # unfreezing one parameter of a frozen layer: the others stay frozen
        layer.frozen, layer.frozen_slots = False, frozenset(known_slots(layer) or ()) - {slot}
        return
    layer.frozen_slots = layer.frozen_slots - {slot} if value else layer.frozen_slots | {slot}


def known_slots(layer: Layer) -> Optional[list[str]]:
    """The names torch gives ``layer``'s own parameters, where paramlint knows them."""
    from ...engine.stack import Counter
    from ...engine.torch.slots import slot_names

    return slot_names(layer, lambda one: Counter("torch").run(one, None))


# where one torch layer paramlint knows derives from another it knows (torch's own class tree; a test checks it
# against torch): ``isinstance(nn.ReLU6(), nn.Hardtanh)`` is true
SUBCLASS_OF = {
    "torch.nn.ReLU6": "torch.nn.Hardtanh", "torch.nn.LazyLinear": "torch.nn.Linear",
    **{f"torch.nn.Lazy{kind}{n}d": f"torch.nn.{kind}{n}d" for kind in ("Conv", "ConvTranspose") for n in (1, 2, 3)},
    **{f"torch.nn.ZeroPad{n}d": f"torch.nn.ConstantPad{n}d" for n in (1, 2, 3)},
    "torch.nn.UpsamplingNearest2d": "torch.nn.Upsample", "torch.nn.UpsamplingBilinear2d": "torch.nn.Upsample",
}


def instance_of(value: Layer, kind: str) -> Optional[bool]:
    """``isinstance(layer, nn.MaxPool2d)``: a torch layer is an instance of its class, of the class it derives from
    and of nn.Module, and of no other torch layer paramlint knows; None where not known (a class of the file, a
    Keras layer, a torch class paramlint does not know)."""
    own = value.qualname if value.qualname.startswith("torch.") and not isinstance(value, ModuleInstance) else None
    if kind in TORCH_MODULE_BASES and (own is not None or isinstance(value, ModuleInstance) and value.framework == "torch"):
        return True
    if isinstance(value, ModuleInstance) and value.framework == "torch" and value.cls is not None and kind in REGISTRY \
            and all(isinstance(b, Ref) and canonical(b.qualname) in MODULE_BASES for b in value.cls.library_bases()):
        return False  # a module of the file's classes, deriving from nn.Module or a container only, is no torch layer
    if own is None or not kind.startswith("torch."):
        return None
    if kind == own or SUBCLASS_OF.get(own) == kind:
        return True
    return False if own in REGISTRY and kind in REGISTRY and own.startswith("torch.nn.") and kind.startswith("torch.nn.") else None


def is_tensor(value: Any) -> Optional[bool]:
    """``isinstance(features, torch.Tensor)``: a tensor paramlint made is one; a plain value, container or module is not."""
    if isinstance(value, (TensorV, DataTensor)):
        return True
    if value is None or isinstance(value, (int, float, str, tuple, ListV, DictV)):
        return False
    if isinstance(value, Layer) and not isinstance(value, Unknown) and value.qualname != "torch.nn.Parameter":
        return False if value.qualname.startswith("torch.") or isinstance(value, ModuleInstance) else None
    return None


# the names an instance of nn.Module, nn.Sequential, nn.ModuleList or nn.ModuleDict has, dunders aside (a test checks
# them against torch): any other name it lacks, unless the file's classes give it
MODULE_ATTRIBUTES = frozenset({
    "T_destination", "add_module", "append", "apply", "bfloat16", "buffers", "call_super_init", "children", "clear",
    "compile", "cpu", "cuda", "double", "dump_patches", "eval", "extend", "extra_repr", "float", "forward", "get_buffer",
    "get_extra_state", "get_parameter", "get_submodule", "half", "insert", "ipu", "items", "keys", "load_state_dict",
    "modules", "mtia", "named_buffers", "named_children", "named_modules", "named_parameters", "parameters", "pop",
    "register_backward_hook", "register_buffer", "register_forward_hook", "register_forward_pre_hook",
    "register_full_backward_hook", "register_full_backward_pre_hook", "register_load_state_dict_post_hook",
    "register_load_state_dict_pre_hook", "register_module", "register_parameter", "register_state_dict_post_hook",
    "register_state_dict_pre_hook", "requires_grad_", "set_extra_state", "set_submodule", "share_memory", "state_dict",
    "to", "to_empty", "train", "training", "type", "update", "values", "xpu", "zero_grad",
    "_apply", "_backward_hooks", "_backward_pre_hooks", "_buffers", "_call_impl", "_compiled_call_impl", "_forward_hooks",
    "_forward_hooks_always_called", "_forward_hooks_with_kwargs", "_forward_pre_hooks", "_forward_pre_hooks_with_kwargs",
    "_get_abs_string_index", "_get_backward_hooks", "_get_backward_pre_hooks", "_get_item_by_idx", "_get_name",
    "_is_full_backward_hook", "_load_from_state_dict", "_load_state_dict_post_hooks", "_load_state_dict_pre_hooks",
    "_maybe_warn_non_full_backward_hook", "_modules", "_named_members", "_non_persistent_buffers_set", "_parameters",
    "_register_load_state_dict_pre_hook", "_register_state_dict_hook", "_replicate_for_data_parallel", "_save_to_state_dict",
    "_slow_forward", "_state_dict_hooks", "_state_dict_pre_hooks", "_version", "_wrapped_call_impl",
})
MODULE_BASES = frozenset({*TORCH_MODULE_BASES, TORCH_SEQUENTIAL, *CONTAINERS})


def lacks_attribute(obj: ModuleInstance, attr: str) -> bool:
    """Is ``getattr(block, "_is_cn", False)`` (or ``hasattr``) sure to find nothing: a name the instance was never given
    (every attribute and buffer set on it is known by name), that its classes do not define, and that torch's module
    classes (its only library bases) do not have either."""
    if obj.framework != "torch" or obj.cls is None or attr in obj.attrs or any(key.startswith("<") for key in obj.attrs):
        return False
    if attr.startswith("__") or attr in MODULE_ATTRIBUTES:
        return False
    value, owner = obj.cls.lookup(attr)
    if isinstance(obj.cls.lookup("__getattr__")[0], Func):  # a class of the file answers names of its own
        return False
    bases = obj.cls.library_bases()
    return value is None and isinstance(owner, Ref) and all(isinstance(b, Ref) and canonical(b.qualname) in MODULE_BASES for b in bases)


def module_kind(obj: Layer) -> str:
    return "container" if obj.qualname in CONTAINERS else "layer"


@method("module", "*")
@method("layer", "*")
@method("container", "*")
@method("torch.sequential", "parameters", "named_parameters", "requires_grad_", *SELF_RETURNING, *HARMLESS)
def module_method(it: "Core", obj: Layer, name: str, args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    if name in SELF_RETURNING:
        return obj
    if name in ("parameters", "named_parameters"):
        return Params(obj, named=name == "named_parameters")
    if name == "requires_grad_":
        set_requires_grad(it, obj, args[0] if args else kwargs.get("requires_grad", True), node)
        return obj
    if name in REGISTERING:
        if len(args) == 2 and isinstance(args[0], str):
            it.set_on(obj, args[0], args[1], node)
        elif isinstance(obj, ModuleInstance):
            line, col = it.pos(node)
            obj.attrs[f"<registered at line {line}>"] = Unknown("a submodule registered under a name not known statically", line, col)
        return None
    if name == "register_buffer" and isinstance(obj, ModuleInstance):  # an attribute of its own, which counts nothing
        key = args[0] if args and isinstance(args[0], str) else f"<buffer at line {it.pos(node)[0]}>"
        value = args[1] if len(args) > 1 else kwargs.get("tensor")
        known = isinstance(value, (TensorV, DataTensor)) and not it.conditions and not key.startswith("<")
        obj.attrs[key] = value if known else NotModule(f"the buffer {key!r}", *it.pos(node))
        return None
    if name in ("named_children", "children") and not args and not kwargs:
        pairs = _named_children(obj)
        if pairs is not None:
            return ListV(pairs if name == "named_children" else [child for _, child in pairs])
    if name in HARMLESS or (not isinstance(obj, ModuleInstance) and obj.children is None):
        return NotModule(f"{obj.type_name}.{name}() is not evaluated", *it.pos(node))
    if obj.qualname in CONTAINERS and obj.children is not None:
        return container_mutation(it, obj, name, args, node)
    return NotModule(f"{obj.type_name}.{name}() is not evaluated", *it.pos(node))


def container_mutation(it: "Core", module: Layer, name: str, args: list[Any], node: Node) -> Any:
    """``self.blocks.append(m)`` on an nn.ModuleList is followed; any other change to what it holds leaves an
    unknown entry, so the count is incomplete rather than short of a submodule."""
    assert module.children is not None
    items = it.iterate(args[0]) if name == "extend" and len(args) == 1 else None
    if it.conditions:
        module.children.append((None, it.unknown(node, f"{module.type_name}.{name}() under {it.conditions[-1].reason}")))
    elif module.qualname == "torch.nn.ModuleList" and name == "append" and len(args) == 1:
        module.children.append((str(len(module.children)), it.as_layer(args[0], node)))
    elif module.qualname == "torch.nn.ModuleList" and name == "insert" and len(args) == 2 and type(args[0]) is int \
            and 0 <= args[0] <= len(module.children):  # the modules after it move up one place, as torch renumbers them
        module.children.insert(args[0], (None, it.as_layer(args[1], node)))
        module.children[:] = [(str(i), value) for i, (_, value) in enumerate(module.children)]
    elif module.qualname == "torch.nn.ModuleList" and items is not None:
        for item in items:
            module.children.append((str(len(module.children)), it.as_layer(item, node)))
    elif module.qualname == "torch.nn.ModuleDict" and name == "update" and len(args) == 1 and isinstance(args[0], DictV):
        module.children.extend((str(k), it.as_layer(v, node)) for k, v in args[0].items.items())
    elif name in ("keys", "values", "items", "__len__", "__getitem__", "index", "count", "get"):
        return NotModule(f"{module.type_name}.{name}() is not evaluated", *it.pos(node))
    else:
        module.children.append((None, it.unknown(node, f"{module.type_name}.{name}() is not followed")))
    return None


@method("torch.sequential", "append", "extend", "insert", "add_module", "*")
def sequential_method(it: "Core", model: SequentialModel, name: str, args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    assert model.children is not None
    it.taint(model)
    it.touch(model)
    if name == "append" and len(args) == 1:
        model.children.append((None, it.as_layer(args[0], node)))
    elif name == "add_module" and len(args) == 2:
        key = args[0] if isinstance(args[0], str) else None
        if key is None:
            model.taint.append(UnknownValue(*it.pos(node), what="the layers", reason="add_module() name not known statically"))
        model.children.append((key, it.as_layer(args[1], node)))
    elif name == "extend" and len(args) == 1:
        for item in it.iterate(args[0]) or [it.unknown(node, "extend() argument not known statically")]:
            model.children.append((None, it.as_layer(item, node)))
    elif name == "insert" and len(args) == 2 and isinstance(args[0], int):
        model.children.insert(args[0], (None, it.as_layer(args[1], node)))
    else:
        model.taint.append(UnknownValue(*it.pos(node), what="the layers", reason=f"{name}() on the model is not followed"))
    return None


def _named_children(obj: Layer) -> Optional[list[tuple[str, Any]]]:
    """What ``named_children()`` yields for a module of the file or a torch container, where every entry is a known
    module (each once, as torch yields them); None otherwise (a torch layer's own submodules are not listed)."""
    if not isinstance(obj, ModuleInstance) and obj.children is None:
        return None
    out: list[tuple[str, Any]] = []
    for index, (key, value) in enumerate(_entries(obj)):
        if not isinstance(value, Layer) or isinstance(value, Unknown):
            return None
        if value.qualname == "torch.nn.Parameter":
            continue
        if all(value is not seen for _, seen in out):
            out.append((str(index) if key is None else key, value))
    return out


# -- items and attributes --------------------------------------------------------------------------
def _entries(layer: Layer) -> list[tuple[Optional[str], Any]]:
    return list(layer.registered()) if isinstance(layer, ModuleInstance) else list(layer.children or [])


def getitem(it: "Core", layer: Layer, key: Any, node: Node) -> Any:
    """``features[0]``, ``blocks[-1]``, ``heads["cls"]`` on a Sequential, ModuleList or ModuleDict."""
    entries = _entries(layer)
    if isinstance(key, int) and not isinstance(key, bool) and -len(entries) <= key < len(entries):
        return entries[key][1]
    if isinstance(key, str):
        for name, value in entries:
            if name == key:
                return value
    return it.unknown(node, f"item {key!r} of {layer.type_name} is not known statically")


def slice_modules(it: "Core", layer: Layer, parts: list[Any], node: Node) -> Any:
    """``features[:i]`` of an nn.Sequential is a new nn.Sequential of the same modules (shared, as torch shares them)
    under the names they had; of an nn.ModuleList, a new ModuleList numbered from 0."""
    if not all(p is None or type(p) is int for p in parts):
        return it.unknown(node, "slice not known statically")
    assert layer.children is not None
    named: list[tuple[Optional[str], Any]] = [(str(i) if key is None else key, value) for i, (key, value) in enumerate(layer.children)]
    kept = named[slice(*parts)]
    line, col = it.pos(node)
    if layer.qualname == TORCH_SEQUENTIAL:
        model = SequentialModel(TORCH_SEQUENTIAL, (), {}, line, col, children=kept, framework="torch")
        model.taint.extend(getattr(layer, "taint", []))
        it.taint(model)
        it.new_model(model)
        return model
    return Layer(layer.qualname, (), {}, line, col, children=[(str(i), value) for i, (_, value) in enumerate(kept)], kind="module")


def setitem(it: "Core", layer: Layer, key: Any, value: Any, node: Node) -> None:
    """``model.classifier[6] = nn.Linear(4096, 10)`` replaces that module, as torch does; a replacement not
    known statically leaves an unknown entry, so the count is incomplete rather than wrong."""
    entries = layer.children if layer.children is not None and not isinstance(layer, ModuleInstance) else None
    if entries is not None and not it.conditions:
        index = key if isinstance(key, int) and not isinstance(key, bool) else next((i for i, (n, _) in enumerate(entries) if n == key), None)
        if index is not None and -len(entries) <= index < len(entries):
            entries[index] = (entries[index][0], it.as_layer(value, node))
            return
        if isinstance(key, str) and layer.qualname == "torch.nn.ModuleDict":
            entries.append((key, it.as_layer(value, node)))
            return
    unknown = it.unknown(node, f"an item of {layer.type_name} is replaced" + (f" where {it.conditions[-1].reason}" if it.conditions else ""))
    if isinstance(layer, ModuleInstance):
        layer.attrs[f"<item set at line {unknown.line}>"] = unknown
    elif entries is not None:
        entries.append((None, unknown))


# -- attributes ------------------------------------------------------------------------------------
def layer_attribute(it: "Core", layer: Layer, attr: str, node: Node) -> Any:
    """``fc.weight`` is one of its parameters; ``fc.in_features`` the constructor argument of that name;
    ``blocks[0]`` and ``len(blocks)`` read a ModuleList."""
    if attr in PARAMETER_NAMES and layer.children is None and not isinstance(layer, ModuleInstance):
        return ParamSlot(layer, attr)
    shape = layer.args[0] if layer.qualname == "torch.nn.Parameter" and layer.args else None
    if attr in ("view", "reshape", "flatten", "size", "dim") and isinstance(shape, tuple) and all(type(n) is int for n in shape):
        return Method(TensorV(shape), attr)  # self.scale.view(1, -1, 1, 1) * x: the parameter's shape, reshaped
    if layer.qualname in (TORCH_SEQUENTIAL, "torch.nn.ModuleDict") and layer.children is not None:
        for name, value in layer.children:  # nn.Sequential(OrderedDict(...)).conv1, ModuleDict(...).wte
            if name == attr:
                return value
    conv = _conv_attribute(layer, attr)
    if conv is not None:
        return conv
    names = _ARGUMENTS.get(layer.qualname, ())
    if attr in names:
        pos = names.index(attr)
        argument = layer.kwargs.get(attr, layer.args[pos] if pos < len(layer.args) else None)
        if argument is not None:
            return argument
    module_methods = SELF_RETURNING | HARMLESS | REGISTERING | {"parameters", "named_parameters", "requires_grad_"}
    if layer.children is None and not isinstance(layer, ModuleInstance) and not attr.startswith("_") and attr not in module_methods:
        return ParamSlot(layer, attr)  # in_proj_bias, out_proj, bias_hh_l0: a freeze through it is refused, never lost
    return None


_CONV = re.compile(r"torch\.nn\.(Conv|ConvTranspose)([123])d")


def _conv_attribute(layer: Layer, attr: str) -> Any:
    """What a convolution keeps of its arguments, as torch keeps them: ``kernel_size``, ``stride``, ``dilation`` (and
    ``padding`` unless a string) as a tuple of one int per dimension, ``groups`` and the channels as ints; None
    where not known statically, or for another attribute."""
    match = _CONV.fullmatch(layer.qualname)
    if match is None:
        return None
    n, transposed = int(match.group(2)), match.group(1) == "ConvTranspose"
    order = ("in_channels", "out_channels", "kernel_size", "stride", "padding",
             *(("output_padding", "groups", "bias", "dilation") if transposed else ("dilation", "groups", "bias")), "padding_mode")
    if attr not in order or attr == "bias":
        return None
    call, pos = Call(layer, None, lambda one, shape: Out(None)), order.index(attr)
    try:
        if attr in ("in_channels", "out_channels", "groups"):
            return call.int(attr, pos, 1 if attr == "groups" else MISSING, min=1)
        if attr == "padding_mode" or attr == "padding" and isinstance(call.raw(attr, pos, 0), str):
            return call.str(attr, pos, "zeros" if attr == "padding_mode" else None, lower=False)
        default = 1 if attr in ("stride", "dilation") else 0 if attr in ("padding", "output_padding") else MISSING
        return call.ints(attr, pos, n, default, min=0)
    except Finding:
        return None


def set_layer_attribute(it: "Core", layer: Layer, attr: str, value: Any, node: Node) -> bool:
    """``head.weight = emb.weight`` ties two parameters (counted once); ``fc.weight = nn.Parameter(...)``
    replaces one. Anything else set on a torch layer is not followed."""
    if attr == "requires_grad":
        return False
    if attr in PARAMETER_NAMES and isinstance(value, ParamSlot):
        if value.owner is layer:
            return True
        layer.tied = {**layer.tied, attr: value.owner.tied.get(value.name, (value.owner, value.name))}
        return True
    return False


def set_trainability(it: "Core", target: Any, value: Any, node: Node) -> bool:
    """``p.requires_grad = False`` for a loop variable over ``parameters()``, one parameter, or a layer."""
    if isinstance(target, ParamGroup) and isinstance(target.owner, ParamSlot):
        return set_trainability(it, target.owner, value, node)  # every parameter under attn.out_proj
    if isinstance(target, ParamGroup):
        set_requires_grad(it, target.owner, value, node)
        return True
    if isinstance(target, ParamSlot):
        names = known_slots(target.owner)
        inner = [n for n in names or () if n.startswith(target.name + ".")]  # a submodule of a torch layer: attn.out_proj
        if inner and isinstance(value, bool) and not it.conditions:
            for name in inner:
                set_slot_grad(target.owner, name, value)
            return True
        if not isinstance(value, bool) or it.conditions or names is None or target.name not in names:
            why = "" if names is not None and target.name in names else f"'{target.name}' is not a parameter paramlint knows in {target.owner.type_name}"
            if why:
                target.owner.split_unknown = Unknown(f"requires_grad is changed on {why}", *it.pos(node))
            else:
                set_requires_grad(it, target.owner, value, node)  # the split of that layer becomes unknown
            return True
        owner, slot = target.owner.tied.get(target.name, (target.owner, target.name))
        set_slot_grad(owner, slot, value)
        return True
    if isinstance(target, Layer) and target.qualname == "torch.nn.Parameter":
        set_requires_grad(it, target, value, node)
        return True
    return False


def named_parameters(it: "Core", params: Params) -> Optional[list[tuple[str, Any]]]:
    """``named_parameters()`` as torch names them (``features.0.weight``), where every layer's parameter
    names are known; else None."""
    out: list[tuple[str, Any]] = []
    seen: set[int] = set()
    named: set[tuple[int, str]] = set()

    def walk(layer: Layer, prefix: str) -> bool:
        if id(layer) in seen:
            return True
        seen.add(id(layer))
        if isinstance(layer, ModuleInstance) or layer.children is not None:
            entries = list(layer.registered()) if isinstance(layer, ModuleInstance) else list(layer.children or [])
            for index, (key, value) in enumerate(entries):
                if not isinstance(value, Layer):
                    return False
                key = str(index) if key is None else key  # a Sequential's layers are named by position
                if value.qualname == "torch.nn.Parameter":
                    out.append((prefix + key, ParamSlot(value, "")))
                elif not walk(value, f"{prefix}{key}."):
                    return False
            return True
        names = known_slots(layer)
        if names is None:
            return False
        for name in names:
            owner, slot = layer.tied.get(name, (layer, name))
            if (id(owner), slot) not in named:  # torch names a shared parameter once, where it meets it first
                named.add((id(owner), slot))
                out.append((prefix + name, ParamSlot(layer, name)))
        return True

    if isinstance(params.owner, ParamSlot):
        return None  # a submodule inside a torch layer: its parameters' own names are not followed
    return out if walk(params.owner, "") else None


@method("param", "*")
def param_method(it: "Core", obj: Any, name: str, args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    if name in ("parameters", "named_parameters") and isinstance(obj, ParamSlot):
        return Params(obj, named=name == "named_parameters")
    if name == "requires_grad_":
        set_trainability(it, obj, args[0] if args else kwargs.get("requires_grad", True), node)
    return NotModule(f"a parameter's {name}() is not evaluated", *it.pos(node))
