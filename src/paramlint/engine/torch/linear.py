"""torch.nn linear layers: Linear."""
from __future__ import annotations

from ..spec import Call, Out, num, register


@register("torch.nn.Linear")
def linear(c: Call) -> Out:
    n_in = c.int("in_features", 0, min=0)
    n_out = c.int("out_features", 1, min=0)
    bias = c.bool("bias", 2, True)
    c.check_declared("in_features", n_in, -1)
    weights = n_in * n_out + (n_out if bias else 0)
    formula = f"{n_in} * {n_out} + {n_out} = {num(weights)}" if bias else f"{n_in} * {n_out} = {num(weights)}"
    shape = None if c.input is None else c.input[:-1] + (n_out,)
    return Out(shape, weights, 0, formula)
