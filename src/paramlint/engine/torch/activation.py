"""torch.nn activations: elementwise modules without parameters, PReLU (which has some) and GLU."""
from __future__ import annotations

from ..spec import Call, Out, num, register
from .common import check_rank, same_shape, shape_axis

# Their arguments (slopes, thresholds, dim of a softmax) change neither the count nor the shape.
register(
    "torch.nn.ReLU", "torch.nn.ReLU6", "torch.nn.LeakyReLU", "torch.nn.ELU", "torch.nn.SELU", "torch.nn.CELU",
    "torch.nn.GELU", "torch.nn.SiLU", "torch.nn.Mish", "torch.nn.Sigmoid", "torch.nn.Tanh", "torch.nn.Softmax",
    "torch.nn.LogSoftmax", "torch.nn.Softmin", "torch.nn.Softplus", "torch.nn.Softsign",
    "torch.nn.Hardtanh", "torch.nn.Hardswish", "torch.nn.Hardsigmoid", "torch.nn.Hardshrink", "torch.nn.Softshrink",
    "torch.nn.Tanhshrink", "torch.nn.LogSigmoid", "torch.nn.RReLU",
)(same_shape)


@register("torch.nn.Softmax2d")
def softmax_2d(c: Call) -> Out:
    check_rank(c, (3, 4))  # (C, H, W) or (N, C, H, W)
    return same_shape(c)


@register("torch.nn.Threshold")
def threshold(c: Call) -> Out:
    c.raw("threshold", 0)  # both are required: torch refuses the call without them
    c.raw("value", 1)
    return same_shape(c)


@register("torch.nn.PReLU")
def prelu(c: Call) -> Out:
    n = c.int("num_parameters", 0, 1, min=1)
    if n > 1 and c.input:
        c.check_declared("num_parameters", n, 0)  # one slope per channel (dim 1)
    return Out(c.input, n, 0, f"{num(n)} (weight)")


@register("torch.nn.GLU")
def glu(c: Call) -> Out:
    dim = c.int("dim", 0, -1)
    if c.input is None:
        return Out(None)
    axis = shape_axis(c, dim, c.input)
    if axis is None:
        return Out(c.input)  # halves the batch dimension, which shapes leave out
    size = c.input[axis]
    if size is not None and size % 2:
        raise c.invalid(f"halving dimension must be even. Received: dim={dim} of size {size}")
    halved = None if size is None else size // 2
    return Out(c.input[:axis] + (halved,) + c.input[axis + 1:])
