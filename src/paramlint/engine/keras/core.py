"""Keras core layers: Dense, Embedding, Masking, Identity."""
from __future__ import annotations

from ..spec import Call, Out, num, register
from ._common import lora, refuse_set, same_shape


@register("keras.layers.Dense")
def dense(c: Call) -> Out:
    """(units, activation, use_bias, ..., lora_rank at 10); a quantized kernel is not modelled."""
    units = c.int("units", 0, min=1)
    use_bias = c.bool("use_bias", 2, True)
    refuse_set(c, "quantization_config", 12)
    shape = c.need_input(min_rank=2)
    n_in = c.dim(-1)
    weights = n_in * units + (units if use_bias else 0)
    formula = f"{n_in} * {units} + {units} = {num(weights)}" if use_bias else f"{n_in} * {units} = {num(weights)}"
    out = lora(c, 10, n_in, units, weights, formula)
    return Out(shape[:-1] + (units,), out.trainable, out.non_trainable, out.formula)


@register("keras.layers.Embedding")
def embedding(c: Call) -> Out:
    """(input_dim, output_dim, ..., lora_rank at 7): a table of input_dim rows; the input holds indices."""
    input_dim = c.int("input_dim", 0, min=1)
    output_dim = c.int("output_dim", 1, min=1)
    refuse_set(c, "quantization_config", 9)
    weights = input_dim * output_dim
    out = lora(c, 7, input_dim, output_dim, weights, f"{input_dim} * {output_dim} = {num(weights)}")
    shape = None if c.input is None else c.input + (output_dim,)
    return Out(shape, out.trainable, out.non_trainable, out.formula)


@register("keras.layers.Masking")
def masking(c: Call) -> Out:
    return same_shape(c)


@register("keras.layers.Identity")
def identity(c: Call) -> Out:
    return same_shape(c)
