"""Keras core layers: Dense."""
from __future__ import annotations

from ..spec import Call, Out, num, register


@register("keras.layers.Dense")
def dense(c: Call) -> Out:
    units = c.int("units", 0, min=1)
    use_bias = c.bool("use_bias", 2, True)
    shape = c.need_input(min_rank=2)
    n_in = c.dim(-1)
    weights = n_in * units + (units if use_bias else 0)
    formula = f"{n_in} * {units} + {units} = {num(weights)}" if use_bias else f"{n_in} * {units} = {num(weights)}"
    return Out(shape[:-1] + (units,), weights, 0, formula)
