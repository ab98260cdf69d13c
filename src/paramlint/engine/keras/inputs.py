"""How Keras 3 reads a Sequential's input shape from its first entry's arguments (checked on 3.15)."""
from __future__ import annotations

from typing import Optional

from ..spec import Call, unknown_value
from ..values import Layer, Shape, Unknown, describe

INPUT = "keras.Input"
INPUT_LAYER = "keras.layers.InputLayer"
# keras.Input(shape, batch_size, dtype, sparse, batch_shape, ...): no input_shape, no batch_input_shape.
INPUT_KEYS = ("shape", "batch_shape")
# InputLayer also takes the deprecated input_shape and batch_input_shape.
INPUT_LAYER_KEYS = ("shape", "input_shape", "batch_shape", "batch_input_shape")
# Any other layer: keras.layers.Layer.__init__ pops input_dim (it wins) and input_shape from **kwargs.
# These keys only mean a shape on an Input/InputLayer; on any other layer Keras refuses them.
INPUT_ONLY_KEYS = ("shape", "batch_shape", "batch_input_shape")
# Layers whose own signature has an input_dim that is not the input's size (an Embedding's vocabulary).
OWN_INPUT_DIM = frozenset({"keras.layers.Embedding", "keras.layers.ReversibleEmbedding"})
# Layers whose constructor does not pass **kwargs on to keras.layers.Layer: any input argument is refused.
NO_INPUT_ARGS = frozenset({"keras.layers.SpatialDropout1D", "keras.layers.SpatialDropout2D", "keras.layers.SpatialDropout3D",
                           "keras.layers.Discretization", "keras.layers.Pipeline"})


def first_layer_shape(first: Layer, call: Call) -> Optional[Shape]:
    """The input shape the first entry declares, ``None`` if it declares none; raises a Finding if Keras refuses it."""
    if first.qualname == INPUT:
        return _declared(call, INPUT_KEYS, ("input_shape", "batch_input_shape"))
    if first.qualname == INPUT_LAYER:
        return _declared(call, INPUT_LAYER_KEYS, ())
    own = ("input_dim",) if first.qualname in OWN_INPUT_DIM else ()
    given = [k for k in ("input_dim", "input_shape", *INPUT_ONLY_KEYS) if k in first.kwargs and k not in own]
    if given and first.qualname in NO_INPUT_ARGS:
        raise call.invalid(f"Keras 3 does not accept {given[0]}= on this layer; put keras.Input(shape=...) first")
    refused = [k for k in given if k in INPUT_ONLY_KEYS]
    if refused:
        raise call.invalid(f"Keras 3 accepts {refused[0]}= only on keras.Input / InputLayer; put keras.Input(shape=...) first")
    if "input_dim" in given and first.kwargs["input_dim"] is not None:
        if "input_shape" in given:
            raise call.invalid("Keras 3 refuses input_shape= next to input_dim= (it reads input_dim and rejects the other)")
        return (call.int("input_dim", min=1),)
    if "input_shape" in given:
        return to_shape(call.raw("input_shape"), False, call)
    return None


def _declared(call: Call, keys: tuple[str, ...], refused: tuple[str, ...]) -> Optional[Shape]:
    """An Input / InputLayer: ``shape`` (also positional), or a batch shape whose batch is dropped."""
    for key in refused:
        if key in call.layer.kwargs:
            raise call.invalid(f"{call.name} takes no {key}=; use shape= (without the batch) or batch_shape=")
    for key in keys:
        pos = 0 if key == "shape" else None
        if call.has(key, pos):
            return to_shape(call.raw(key, pos), key.startswith("batch"), call)
    return None


def to_shape(value: object, drop_batch: bool, call: Call) -> Shape:
    """A user-written shape (a tuple or list of positive ints or None) as an engine shape; Keras refuses a bare int."""
    unknown = [d for d in value if isinstance(d, Unknown)] if isinstance(value, (tuple, list)) else []
    if unknown:  # input_shape=(X.shape[1],): not known, which is not the same as impossible
        raise unknown_value(unknown[0], f"{call.name}(input shape)", call.layer)
    if not isinstance(value, (tuple, list)) or not all(d is None or (isinstance(d, int) and not isinstance(d, bool) and d > 0) for d in value):
        raise call.invalid(f"expected a shape (a tuple of positive integers or None). Received: {describe(value)}")
    dims = tuple(value)
    return dims[1:] if drop_batch else dims
