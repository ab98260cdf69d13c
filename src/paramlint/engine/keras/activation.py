"""Keras activation layers: Activation, ReLU, LeakyReLU, ELU, Softmax (no weights) and PReLU."""
from __future__ import annotations

import math
from typing import Any

from ..spec import Call, Out, num, register
from ._common import require, same_shape
from ..values import describe


def known_number(c: Call, key: str, pos: int) -> Any:
    """The value if it is a known number (checks are only possible then); ``None`` otherwise."""
    value = c.layer.kwargs.get(key, c.layer.args[pos] if pos < len(c.layer.args) else None)
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


@register("keras.layers.Activation")
def activation(c: Call) -> Out:
    require(c, ("activation", 0))
    return same_shape(c)


@register("keras.layers.ReLU")
def relu(c: Call) -> Out:
    """(max_value, negative_slope, threshold): Keras refuses negative values for each."""
    for key, pos in (("max_value", 0), ("negative_slope", 1), ("threshold", 2)):
        value = known_number(c, key, pos)
        if value is not None and value < 0:
            raise c.invalid(f"expected a value >= 0 for '{key}'. Received: {key}={describe(value)}")
    return same_shape(c)


@register("keras.layers.LeakyReLU")
def leaky_relu(c: Call) -> Out:
    value = known_number(c, "negative_slope", 0)
    if value is not None and value < 0:
        raise c.invalid(f"expected a value >= 0 for 'negative_slope'. Received: negative_slope={describe(value)}")
    return same_shape(c)


@register("keras.layers.ELU")
def elu(c: Call) -> Out:
    return same_shape(c)


@register("keras.layers.Softmax")
def softmax(c: Call) -> Out:
    return same_shape(c)


@register("keras.layers.PReLU")
def prelu(c: Call) -> Out:
    """(alpha_initializer, alpha_regularizer, alpha_constraint, shared_axes): one alpha per non-shared element."""
    shared = c.raw("shared_axes", 3, None)
    shape = c.need_input()
    axes = [] if shared is None else list(shared) if isinstance(shared, (list, tuple)) else [shared]
    shared_idx: set[int] = set()
    for axis in axes:
        if isinstance(axis, bool) or not isinstance(axis, int) or not -len(shape) <= axis - 1 < len(shape):
            raise c.invalid(f"expected axes of the input for 'shared_axes'. Received: shared_axes={describe(shared)}")
        shared_idx.add((axis - 1) % len(shape))  # Keras sets param_shape[axis - 1] = 1 on the shape without batch
    sizes = [1 if i in shared_idx else c.dim(i) for i in range(len(shape))]
    weights = math.prod(sizes)
    return Out(shape, weights, 0, f"{'*'.join(str(s) for s in sizes)} = {num(weights)} (alpha)")
