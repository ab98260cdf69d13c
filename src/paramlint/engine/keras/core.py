"""Keras core layers: Dense, Embedding, ReversibleEmbedding, Masking, Identity, Lambda."""
from __future__ import annotations

from ..findings import UnknownValue
from ..spec import Call, Out, num, register
from ..values import Layer, Symbol, describe
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


@register("keras.layers.ReversibleEmbedding")
def reversible_embedding(c: Call) -> Out:
    """(input_dim, output_dim, tie_weights=True, ...): untied, a second (output_dim, input_dim) matrix projects back."""
    input_dim = c.int("input_dim", 0, min=1)
    output_dim = c.int("output_dim", 1, min=1)
    tied = c.bool("tie_weights", 2, True)
    refuse_set(c, "quantization_config", None)
    refuse_set(c, "lora_rank", None)
    table = input_dim * output_dim
    weights = table if tied else 2 * table
    formula = f"{input_dim} * {output_dim} = {num(weights)}" if tied else f"2 * {input_dim} * {output_dim} = {num(weights)} (embeddings, reverse)"
    shape = None if c.input is None else c.input + (output_dim,)
    return Out(shape, weights, 0, formula)


@register("keras.layers.Lambda")
def lambda_layer(c: Call) -> Out:
    """(function, output_shape, mask, arguments): no weights. Its output shape is what the function returns,
    which paramlint does not run: known only when ``output_shape`` is given as a shape."""
    c.raw("function", 0)
    declared = c.raw("output_shape", 1, None)
    if declared is None and c.layer.seen_output is not None and c.input == c.layer.seen_input:
        return Out(c.layer.seen_output)  # the function followed on the tensors it was first called on (extract)
    if declared is None or callable_like(declared):
        raise UnknownValue(c.layer.line, c.layer.column, what=f"{c.name} output shape",
                           reason="it is what the function returns, which paramlint does not run (give output_shape=(...))")
    if isinstance(declared, tuple) and declared and all(isinstance(d, tuple) for d in declared):
        declared = declared[0]  # several outputs: the first flows on
    if not isinstance(declared, (tuple, list)) or not all(d is None or (isinstance(d, int) and not isinstance(d, bool) and d > 0) for d in declared):
        raise c.invalid(f"expected a shape (without the batch) for 'output_shape'. Received: output_shape={describe(declared)}")
    return Out(tuple(declared))


def callable_like(value: object) -> bool:
    return isinstance(value, (Symbol, Layer))
