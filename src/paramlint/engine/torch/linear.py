"""torch.nn linear layers: Linear, LazyLinear, Bilinear, Identity."""
from __future__ import annotations

from ..spec import Call, Out, num, register
from .common import same_shape


def _dense(c: Call, n_in: int, n_out: int, bias: bool) -> Out:
    weights = n_in * n_out + (n_out if bias else 0)
    formula = f"{n_in} * {n_out} + {n_out} = {num(weights)}" if bias else f"{n_in} * {n_out} = {num(weights)}"
    shape = None if c.input is None else c.input[:-1] + (n_out,)
    return Out(shape, weights, 0, formula)


@register("torch.nn.Linear")
def linear(c: Call) -> Out:
    n_in = c.int("in_features", 0, min=0)
    n_out = c.int("out_features", 1, min=0)
    bias = c.bool("bias", 2, True)
    c.check_declared("in_features", n_in, -1)
    return _dense(c, n_in, n_out, bias)


@register("torch.nn.LazyLinear")
def lazy_linear(c: Call) -> Out:
    # in_features is read from the first input, so without an input shape there is no count.
    n_out = c.int("out_features", 0, min=0)
    bias = c.bool("bias", 1, True)
    return _dense(c, c.dim(-1), n_out, bias)


@register("torch.nn.Bilinear")
def bilinear(c: Call) -> Out:
    # forward(input1, input2): the incoming shape is input1's, sized by in1_features.
    n_in1 = c.int("in1_features", 0, min=1)
    n_in2 = c.int("in2_features", 1, min=1)
    n_out = c.int("out_features", 2, min=1)
    bias = c.bool("bias", 3, True)
    c.check_declared("in1_features", n_in1, -1)
    weights = n_in1 * n_in2 * n_out + (n_out if bias else 0)
    formula = f"{n_in1}*{n_in2}*{n_out}" + (f" + {n_out}" if bias else "") + f" = {num(weights)}"
    shape = None if c.input is None else c.input[:-1] + (n_out,)
    return Out(shape, weights, 0, formula)


@register("torch.nn.Identity")
def identity(c: Call) -> Out:
    return same_shape(c)  # accepts and ignores any arguments
