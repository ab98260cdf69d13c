"""Keras: what the methods of a Sequential do, its ``layers``, and freezing with ``trainable``."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional

from ...engine.findings import InvalidConfig, UnknownValue
from ...engine.stack import KERAS_INPUTS, KERAS_SUBLAYERS_AT_BUILD, snake_case
from ...engine.values import Layer, Unknown
from ..core import _plain
from ..handlers import function, method
from ..names import KERAS_GRU_V1
from ..objects import FunctionalModel, KerasInstance, ListV, Model, SequentialModel

if TYPE_CHECKING:
    from ..core import Core

Node = Any

# Model methods that read, save, load or train the model and change nothing Keras counts: neither the layers
# nor which weights are trainable (load_weights/set_weights replace values, never shapes).
# methods only a model has: a value of a package paramlint cannot read, used so, is a model not counted
MODEL_ONLY = frozenset({"summary", "compile", "fit", "count_params", "get_layer", "save_weights", "load_weights"})
READERS = frozenset({
    "compile", "summary", "fit", "evaluate", "predict", "fit_generator", "evaluate_generator", "predict_generator",
    "train_on_batch", "test_on_batch", "predict_on_batch", "train_step", "test_step", "predict_step",
    "save", "save_weights", "load_weights", "export", "count_params", "get_config", "get_compile_config",
    "get_build_config", "to_json", "to_yaml", "get_weights", "set_weights", "reset_states", "reset_metrics",
    "get_metrics_result", "compute_loss", "compute_metrics", "compute_output_shape", "make_train_function",
    "make_test_function", "make_predict_function", "add_loss", "add_metric", "get_state_tree",
})


@dataclass(frozen=True, eq=False)
class SomeLayerOf(Unknown):
    """A layer of ``model`` the file does not say which (``model.get_layer(name)`` with a name not known
    statically): unknown, but a change of its trainability reaches only the layers of that model."""

    model: Any = None


@method("keras.sequential", "add", "build", "pop", "get_layer", *READERS, "*")
def sequential_method(it: "Core", model: SequentialModel, name: str, args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    assert model.children is not None
    if name in READERS:  # in a loop or a branch too: the model is what it was
        return it.unknown(node, f"{name}() result is not evaluated")
    if name == "get_layer":
        return get_layer(it, model, args, kwargs, node)
    it.taint(model)
    it.touch(model)
    if name == "add" and len(args) == 1 and it.conditions:
        # added on one path only: the layers after it would be sized from a shape that may not be theirs
        cond = it.conditions[-1]
        model.children.append((None, Unknown(f"a layer is added where {cond.reason}", cond.line, cond.column, limit=cond.limit)))
    elif name == "add" and len(args) == 1:
        if model.kwargs.get("trainable") is False and model.split_unknown is None:
            # Keras counts nothing trainable in a frozen model, whatever its layers say: not modelled
            model.split_unknown = it.unknown(node, "a layer is added to a model set '.trainable = False'")
        model.children.append((None, it.as_layer(args[0], node)))
    elif name == "build":
        shape = args[0] if args else kwargs.get("input_shape")
        if isinstance(shape, ListV):
            shape = tuple(shape.items)
        dims = shape[1:] if isinstance(shape, tuple) and len(shape) >= 1 else None
        if dims is not None and all(d is None or (type(d) is int and d > 0) for d in dims):
            model.build_shape = tuple(dims)
        elif dims is not None and not any(isinstance(d, Unknown) for d in dims):  # 3.5, True, -4: a count from them would be wrong
            reason = f"expected a shape of positive integers or None. Received: {shape!r}"
            model.taint.append(InvalidConfig(*it.pos(node), layer="model.build()", reason=reason))
        else:
            model.taint.append(UnknownValue(*it.pos(node), what="the input shape", reason="model.build() argument not known statically"))
    elif name == "pop" and model.children:
        model.children.pop()
    else:
        model.taint.append(UnknownValue(*it.pos(node), what="the layers", reason=f"{name}() on the model is not followed"))
    return None


def model_layers(it: "Core", model: Model, node: Node) -> Any:
    """``model.layers`` as Keras 3 gives it: a new list of the layers, without a leading Input/InputLayer;
    unknown when some layer is not known (the positions after it would be) or the layers may differ."""
    children = list(model.layer_list) if isinstance(model, FunctionalModel) else [child for _, child in model.children or []]
    if children and isinstance(children[0], Layer) and children[0].qualname in KERAS_INPUTS and not isinstance(model, FunctionalModel):
        children = children[1:]
    unknown = next((c for c in children if isinstance(c, Unknown)), None)
    if unknown is not None:
        return Unknown(f"the layers of the model are not known statically: {unknown.reason}", unknown.line, unknown.column, unknown.limit)
    if model.taint:
        return it.unknown(node, f"the layers of the model are not known statically: {model.taint[0].fields.get('reason', '')}")
    return ListV(list(children))


def get_layer(it: "Core", model: Model, args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    """``model.get_layer('conv1')`` / ``get_layer(index=2)``: the layer, when the file says which one it is.
    By name only a ``name=`` the file gives matches, and only when no layer before it could have that name
    (Keras's automatic names, ``dense_3``, count every layer the process made)."""
    name = kwargs.get("name", args[0] if args else None)
    index = kwargs.get("index", args[1] if len(args) > 1 else None)
    layers = model_layers(it, model, node)
    if not isinstance(layers, ListV):
        return layers
    if not _static(name) or not _static(index):
        return SomeLayerOf("get_layer() of a layer not known statically", *it.pos(node), model=layers)
    if name is None and type(index) is int and -len(layers.items) <= index < len(layers.items):
        return layers.items[index]
    if not isinstance(name, str) or index is not None:
        return SomeLayerOf("get_layer() of a layer not known statically", *it.pos(node), model=layers)
    for layer in layers.items:
        explicit = layer.kwargs.get("name") if isinstance(layer, Layer) and not isinstance(layer, SequentialModel) else None
        if explicit == name:
            return layer
        if isinstance(explicit, str) or _cannot_be_named(layer, name):
            continue
        return SomeLayerOf(f"which layer Keras names '{name}' is not known statically", *it.pos(node), model=layers)
    return SomeLayerOf(f"the model has no layer named '{name}' (Keras raises ValueError)", *it.pos(node), model=layers)


def _static(value: Any) -> bool:
    return value is None or isinstance(value, (str, int))


def _cannot_be_named(layer: Any, name: str) -> bool:
    """A layer with Keras's automatic name (``dense``, ``dense_3``) that is certainly not ``name``."""
    if not isinstance(layer, Layer) or isinstance(layer, SequentialModel) or layer.kwargs.get("name") is not None:
        return False
    return re.fullmatch(re.escape(snake_case(layer.type_name)) + r"(_\d+)?", name) is None


# The constructor arguments a layer keeps as attributes of the same name (``self.proj.units``), by position.
LAYER_ARGUMENTS = {
    "Dense": ("units",), "Conv1D": ("filters", "kernel_size"), "Conv2D": ("filters", "kernel_size"),
    "Conv3D": ("filters", "kernel_size"), "Conv1DTranspose": ("filters", "kernel_size"),
    "Conv2DTranspose": ("filters", "kernel_size"), "SeparableConv2D": ("filters", "kernel_size"),
    "Embedding": ("input_dim", "output_dim"), "LSTM": ("units",), "GRU": ("units",), "SimpleRNN": ("units",),
    "MultiHeadAttention": ("num_heads", "key_dim", "value_dim"),
}


def layer_attribute(it: "Core", obj: Layer, attr: str, node: Node) -> Optional[Any]:
    """An attribute of a Keras model or layer that paramlint reads: ``model.layers``, and a constructor argument
    a layer keeps (``self.proj.units``); None for any other."""
    if attr == "layers" and isinstance(obj, SequentialModel) and obj.framework == "keras":
        return model_layers(it, obj, node)
    if attr in ("input", "output") and id(obj) in it.keras_io:  # model.get_layer("block5").output: a feature extractor
        return it.keras_io[id(obj)][attr == "output"]
    if obj.qualname.startswith("keras.layers.") and obj.children is None:
        names = LAYER_ARGUMENTS.get(obj.type_name, ())
        if attr in obj.kwargs and (attr in names or attr in ("name", "activation", "rate")):
            return obj.kwargs[attr]
        if attr in names and names.index(attr) < len(obj.args):
            return obj.args[names.index(attr)]
    return None


@function("keras.models.clone_model", "keras.models.cloning.clone_model")
def clone_model(it: "Core", args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    """``keras.models.clone_model(model)``: the same layers, new weights (a DQN's target network): a model of
    its own, counted as the original. With a clone_function or new input tensors it is not followed."""
    from .stdlib import deep_copy

    model = kwargs.get("model", args[0] if args else None)
    if len(args) != 1 or set(kwargs) - {"model"} or not (isinstance(model, SequentialModel) and model.framework == "keras"):
        return it.unknown(node, "clone_model() of this model is not followed")
    return deep_copy(it, model, {}, node)


@function(KERAS_GRU_V1)
def gru_v1(it: "Core", args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    """Keras's v1 GRU is its GRU with ``reset_after=False`` unless given (positions up to reset_after, 22, agree)."""
    kwargs = dict(kwargs)
    if len(args) <= 22 and "**" not in kwargs:
        kwargs.setdefault("reset_after", False)
    return Layer("keras.layers.GRU", tuple(_plain(a) for a in args), {k: _plain(v) for k, v in kwargs.items()}, *it.pos(node))


def constructed_trainable(it: "Core", model: SequentialModel, kwargs: dict[str, Any], node: Node) -> None:
    """``Sequential([...], trainable=False)``: Keras counts nothing trainable in the model, yet its layers stay
    trainable (and are, inside another model). Not modelled: the model's split is unknown, never guessed."""
    value = kwargs.get("trainable", kwargs.get("**", True))
    if value is True:
        return
    if value is False:
        model.kwargs["trainable"] = False
    model.split_unknown = it.unknown(node, "Sequential(trainable=...) freezes the model but not its layers")


def set_trainable(it: "Core", target: Any, value: Any, node: Node) -> bool:
    """``layer.trainable = False`` on a Keras layer, or on a Sequential (every layer in it, as Keras sets it on
    each), is exact. The layer is the same object in every model holding it: each of them sees the change,
    as in Keras. A frozen Sequential counts nothing trainable even where a layer in it is set trainable again
    later; that is not modelled, so the model's split is then unknown."""
    if isinstance(target, SomeLayerOf):
        for layer in target.model.items:  # any one of them: each one's split is unknown
            set_trainable(it, layer, None, node)
        return True
    if isinstance(target, SequentialModel) and target.framework == "keras":
        if isinstance(value, bool) and not it.conditions:
            target.kwargs["trainable"] = value  # first: its own layers set trainable with it do not contradict it
            for _, child in target.children or []:
                set_trainable(it, child, value, node)
        else:
            target.split_unknown = it.unknown(node, "'.trainable = ...' is not known statically here")
        return True
    if isinstance(target, (FunctionalModel, KerasInstance)):
        # Keras sets trainable on the layer and, recursively, on every layer and weight it tracks
        if isinstance(value, bool) and not it.conditions:
            target.kwargs["trainable"] = value
            inner = target.registered() if isinstance(target, KerasInstance) else iter(target.children or [])
            for _, child in inner:
                set_trainable(it, child, value, node)
        else:
            target.split_unknown = it.unknown(node, "'.trainable = ...' is not known statically here")
        return True
    if isinstance(target, Layer) and target.qualname.startswith("keras.") and target.children is None:
        if isinstance(value, bool) and not it.conditions:
            target.kwargs["trainable"] = value
            # set on the layer, it reaches the layers a wrapper holds (stack.run); sublayers made at build only once built
            target.frozen = not value and (target.built or target.qualname not in KERAS_SUBLAYERS_AT_BUILD)
            if value:
                _unfrozen_inside_frozen(it, target, node)
        else:
            target.split_unknown = it.unknown(node, "'.trainable = ...' is not known statically here")
        return True
    return False


def _unfrozen_inside_frozen(it: "Core", layer: Layer, node: Node) -> None:
    for model in it.models:
        if isinstance(model, (SequentialModel, FunctionalModel, KerasInstance)) and model.kwargs.get("trainable") is False \
                and model.split_unknown is None and _holds(model, layer, 0):
            model.split_unknown = it.unknown(node, "a layer of a model set '.trainable = False' is set trainable again")


def _holds(model: Layer, layer: Layer, depth: int) -> bool:
    if depth > 32:
        return True  # deeper than any real model: assume so (the split becomes unknown, never wrong)
    children = model.registered() if isinstance(model, KerasInstance) else iter(model.children or [])
    return any(child is layer or isinstance(child, (SequentialModel, FunctionalModel, KerasInstance)) and _holds(child, layer, depth + 1)
               for _, child in children)
