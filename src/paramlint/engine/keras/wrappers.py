"""Keras wrappers: Bidirectional (a forward and a backward copy of an RNN), TimeDistributed, SpectralNormalization."""
from __future__ import annotations

from ..findings import UnknownValue
from ..spec import Call, Out, num, register
from ..values import Layer, describe

# Where return_sequences sits in each RNN's constructor; return_state, go_backwards, stateful follow it.
RNN_FLAGS_AT = {
    "keras.layers.SimpleRNN": 15, "keras.layers.LSTM": 18, "keras.layers.GRU": 17,
    "keras.layers.ConvLSTM1D": 23, "keras.layers.ConvLSTM2D": 23, "keras.layers.ConvLSTM3D": 23,
}
FLAGS = ("return_sequences", "return_state", "go_backwards", "stateful")
MERGE_MODES = ("concat", "sum", "mul", "ave")


def flag(c: Call, layer: Layer, key: str) -> bool:
    """A wrapped RNN's boolean flag, read through that layer's own argument positions."""
    return Call(layer, None, c.run).bool(key, RNN_FLAGS_AT[layer.qualname] + FLAGS.index(key), False)


@register("keras.layers.Bidirectional")
def bidirectional(c: Call) -> Out:
    """(layer, merge_mode, weights, backward_layer): Keras clones the layer, so two independent sets of weights."""
    forward = c.layer_arg("layer", 0)
    merge = c.raw("merge_mode", 1, "concat")
    if merge is not None and merge not in MERGE_MODES:
        raise c.invalid(f"expected one of 'concat', 'sum', 'mul', 'ave' or None for 'merge_mode'. Received: merge_mode={describe(merge)}")
    backward = c.layer_arg("backward_layer", 3) if c.raw("backward_layer", 3, None) is not None else forward
    for inner in (forward, backward):
        if inner.qualname not in RNN_FLAGS_AT:
            raise c.invalid(f"wraps a recurrent layer. Received: layer={inner.type_name}")
    if backward is forward and flag(c, forward, "go_backwards"):
        raise c.invalid("the forward layer and its backward copy would both have go_backwards=True")
    if backward is not forward:
        if flag(c, forward, "go_backwards") == flag(c, backward, "go_backwards"):
            raise c.invalid("the forward and backward layers must have different go_backwards values")
        for key in ("return_sequences", "return_state", "stateful"):  # Keras' _verify_layer_config
            if flag(c, forward, key) != flag(c, backward, key):
                raise c.invalid(f"the forward and backward layers must agree on {key}")
    f_out = c.run(forward, c.input)
    b_out = c.run(backward, c.input)
    if f_out.shape != b_out.shape:
        raise c.invalid(f"the forward and backward layers must produce the same shape. Received: {f_out.shape} and {b_out.shape}")
    if f_out.shape is None or merge is None:
        shape = None  # merge_mode=None returns two tensors: no single shape flows on
    elif merge == "concat":
        shape = f_out.shape[:-1] + (None if f_out.shape[-1] is None else 2 * f_out.shape[-1],)
    else:
        shape = f_out.shape
    total = f_out.params + b_out.params
    parts = f"2 * {num(f_out.params)}" if backward is forward else f"{num(f_out.params)} + {num(b_out.params)}"
    formula = f"{parts} = {num(total)} (forward, backward)"
    return Out(shape, f_out.trainable + b_out.trainable, f_out.non_trainable + b_out.non_trainable, formula)


@register("keras.layers.TimeDistributed")
def time_distributed(c: Call) -> Out:
    """(layer): the wrapped layer sees one time step, (batch, *rest); the time axis is put back after it."""
    inner = c.layer_arg("layer", 0)
    steps = None
    child_shape = None
    if c.input is not None:
        shape = c.need_input(min_rank=3)
        steps, child_shape = shape[0], shape[1:]
    out = c.run(inner, child_shape)
    shape_out = None if out.shape is None or c.input is None else (steps, *out.shape)
    return Out(shape_out, out.trainable, out.non_trainable, out.formula)


# Where the wrapped layer's kernel takes its last dim from: SpectralNormalization adds one non-trainable u per column.
KERNEL_COLUMNS = {
    "keras.layers.Dense": ("units", 0), "keras.layers.Conv1D": ("filters", 0), "keras.layers.Conv2D": ("filters", 0),
    "keras.layers.Conv3D": ("filters", 0), "keras.layers.Embedding": ("output_dim", 1),
}


@register("keras.layers.SpectralNormalization")
def spectral_normalization(c: Call) -> Out:
    """(layer, power_iterations=1): the wrapped layer's weights, and a non-trainable vector u, one per kernel column."""
    inner = c.layer_arg("layer", 0)
    c.int("power_iterations", 1, 1, min=1)
    if inner.qualname not in KERNEL_COLUMNS:
        raise not_modelled_for(c, inner)
    key, pos = KERNEL_COLUMNS[inner.qualname]
    columns = Call(inner, None, c.run).int(key, pos, min=1)
    out = c.run(inner, c.input)
    formula = f"{num(out.params)} + {columns} = {num(out.params + columns)} ({inner.type_name}; vector u non-trainable)"
    return Out(out.shape, out.trainable, out.non_trainable + columns, formula)


def not_modelled_for(c: Call, inner: Layer) -> UnknownValue:
    return UnknownValue(c.layer.line, c.layer.column, what=f"{c.name}(layer=...)",
                        reason=f"paramlint does not model spectral normalization of {inner.type_name}")


@register("keras.layers.Pipeline")
def pipeline(c: Call) -> Out:
    """(layers, name): the layers applied one after the other, as a Sequential would (preprocessing chains)."""
    layers = c.raw("layers", 0)
    if not isinstance(layers, (list, tuple)) or not all(isinstance(x, Layer) for x in layers):
        raise c.invalid(f"expected a list of layers for 'layers'. Received: layers={describe(layers)}")
    shape = c.input
    trainable = frozen = 0
    for inner in layers:
        out = c.run(inner, shape)
        shape, trainable, frozen = out.shape, trainable + out.trainable, frozen + out.non_trainable
    total = trainable + frozen
    return Out(shape, trainable, frozen, f"sum of its layers = {num(total)}" if total else "")
