"""Keras normalization: BatchNormalization, LayerNormalization, GroupNormalization, RMSNormalization, UnitNormalization."""
from __future__ import annotations

import math

from ..spec import Call, Out, num, register
from ._common import axis_index, same_shape


def affine(c: Call, center: bool, scale: bool, size: int) -> tuple[int, str]:
    """gamma (scale) and beta (center), one per normalized feature."""
    n = int(center) + int(scale)
    if n == 0:
        return 0, ""
    names = ", ".join(name for name, on in (("gamma", scale), ("beta", center)) if on)
    return n * size, f"{n} * {size} = {num(n * size)} ({names})"


@register("keras.layers.BatchNormalization")
def batch_normalization(c: Call) -> Out:
    """(axis, momentum, epsilon, center, scale, ..., renorm at 13): moving statistics are non-trainable weights."""
    axis = c.raw("axis", 0, -1)
    center = c.bool("center", 3, True)
    scale = c.bool("scale", 4, True)
    renorm = c.bool("renorm", 13, False)
    shape = c.need_input()
    size = c.dim(axis_index(c, "axis", axis, shape))
    trainable = (int(center) + int(scale)) * size
    stats = (5 if renorm else 2) * size  # moving mean/variance; renorm adds moving stddev, renorm mean/stddev
    n = int(center) + int(scale) + (5 if renorm else 2)
    names = ", ".join(name for name, on in (("gamma", scale), ("beta", center)) if on)
    frozen = "mean, variance, renorm statistics" if renorm else "mean, variance"
    split = f"{names} trainable; {frozen} not" if names else f"{frozen} non-trainable"
    formula = f"{n} * {size} = {num(trainable + stats)} ({split})"
    return Out(shape, trainable, stats, formula)


@register("keras.layers.LayerNormalization")
def layer_normalization(c: Call) -> Out:
    """(axis, epsilon, center, scale): one gamma/beta per element of the normalized axes."""
    axis = c.raw("axis", 0, -1)
    center = c.bool("center", 2, True)
    scale = c.bool("scale", 3, True)
    rms_scaling = c.bool("rms_scaling", None, False)  # deprecated: gamma only, no beta
    shape = c.need_input()
    axes = list(axis) if isinstance(axis, (list, tuple)) else [axis]
    size = math.prod(c.dim(axis_index(c, "axis", a, shape)) for a in axes)
    if rms_scaling:
        center, scale = False, True
    weights, formula = affine(c, center, scale, size)
    return Out(shape, weights, 0, formula)


@register("keras.layers.GroupNormalization")
def group_normalization(c: Call) -> Out:
    """(groups, axis, epsilon, center, scale): groups=-1 is instance normalization; weights are per channel."""
    groups = c.int("groups", 0, 32)
    if groups <= 0 and groups != -1:
        raise c.invalid(f"expected a positive integer (or -1) for 'groups'. Received: groups={groups}")
    axis = c.raw("axis", 1, -1)
    center = c.bool("center", 3, True)
    scale = c.bool("scale", 4, True)
    shape = c.need_input()
    size = c.dim(axis_index(c, "axis", axis, shape))
    groups = size if groups == -1 else groups
    if size < groups or size % groups:
        raise c.invalid(f"the channels must be a multiple of groups. Received: groups={groups}, channels={size}")
    weights, formula = affine(c, center, scale, size)
    return Out(shape, weights, 0, formula)


@register("keras.layers.RMSNormalization")
def rms_normalization(c: Call) -> Out:
    """(axis, epsilon): one trainable scale per element of the normalized axes."""
    axis = c.raw("axis", 0, -1)
    shape = c.need_input()
    axes = list(axis) if isinstance(axis, (list, tuple)) else [axis]
    size = math.prod(c.dim(axis_index(c, "axis", a, shape)) for a in axes)
    return Out(shape, size, 0, f"{num(size)} (scale)")


@register("keras.layers.UnitNormalization")
def unit_normalization(c: Call) -> Out:
    return same_shape(c)
