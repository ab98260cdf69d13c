"""Keras reshaping layers: Flatten, Reshape, Permute, RepeatVector, ZeroPadding, Cropping, UpSampling. No weights."""
from __future__ import annotations

import math
from typing import Any

from ..spec import Call, Out, Spec, register
from ..values import Dim, Shape, describe
from ._common import data_format, join, split

Pair = tuple[int, int]


def pair(c: Call, key: str, value: Any) -> Pair:
    """One axis of padding/cropping: an int (both sides) or (before, after), never negative."""
    items = (value, value) if isinstance(value, int) and not isinstance(value, bool) else value
    if not isinstance(items, (tuple, list)) or len(items) != 2 or not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in items):
        raise c.invalid(f"expected a non-negative integer or a pair of them for '{key}'. Received: {key}={describe(value)}")
    return items[0], items[1]


def pairs(c: Call, key: str, pos: int, n: int, default: Any) -> tuple[Pair, ...]:
    """``n`` axes of padding/cropping: an int for all, or one int-or-pair per axis (ZeroPadding2D/3D, Cropping2D/3D)."""
    value = c.raw(key, pos, default)
    if n == 1:
        return (pair(c, key, value),)
    if isinstance(value, int) and not isinstance(value, bool):
        return (pair(c, key, value),) * n
    if not isinstance(value, (tuple, list)) or len(value) != n:
        raise c.invalid(f"expected an integer or {n} entries for '{key}'. Received: {key}={describe(value)}")
    return tuple(pair(c, key, v) for v in value)


def spatial_of(c: Call, rank: int, fmt: str) -> tuple[Shape, Dim]:
    return split(c.need_input(rank=rank + 2), fmt)


@register("keras.layers.Flatten")
def flatten(c: Call) -> Out:
    data_format(c, 0)
    if c.input is None:
        return Out(None)
    size = None if None in c.input else math.prod(d for d in c.input if d is not None)
    return Out((size,))


@register("keras.layers.Reshape")
def reshape(c: Call) -> Out:
    """(target_shape): one -1 is inferred when the input size is known; Keras refuses a size change."""
    target = c.raw("target_shape", 0)
    dims_ok = isinstance(target, (tuple, list)) and all(isinstance(d, int) and not isinstance(d, bool) and (d >= 1 or d == -1) for d in target)
    if not dims_ok or list(target).count(-1) > 1:
        raise c.invalid(f"expected a tuple of positive integers with at most one -1 for 'target_shape'. Received: target_shape={describe(target)}")
    target = tuple(target)
    if c.input is None:
        return Out(None)
    if None in c.input:
        return Out(tuple(None if d == -1 else d for d in target))
    size, known = math.prod(c.input), math.prod(d for d in target if d != -1)  # type: ignore[arg-type]
    if (-1 in target and size % known) or (-1 not in target and size != known):
        raise c.invalid(f"the total size must be unchanged. Received: input_shape={c.input}, target_shape={target}")
    return Out(tuple(size // known if d == -1 else d for d in target))


@register("keras.layers.Permute")
def permute(c: Call) -> Out:
    dims = c.raw("dims", 0)
    if not isinstance(dims, (tuple, list)) or sorted(dims) != list(range(1, len(dims) + 1)):
        raise c.invalid(f"expected a permutation of 1..n for 'dims'. Received: dims={describe(dims)}")
    if c.input is None:
        return Out(None)
    shape = c.need_input(rank=len(dims) + 1)
    return Out(tuple(shape[d - 1] for d in dims))


@register("keras.layers.RepeatVector")
def repeat_vector(c: Call) -> Out:
    n = c.int("n", 0, min=1)
    if c.input is None:
        return Out(None)
    return Out((n, c.need_input(rank=2)[0]))


def padded(spatial: Shape, pads: tuple[Pair, ...], sign: int) -> Shape:
    return tuple(None if d is None else d + sign * (a + b) for d, (a, b) in zip(spatial, pads))


def zero_padding_spec(rank: int) -> Spec:
    """ZeroPadding{rank}D(padding, data_format)."""
    default = 1 if rank == 1 else (1,) * rank

    def spec(c: Call) -> Out:
        pads = pairs(c, "padding", 0, rank, default)
        fmt = data_format(c, 1)
        if c.input is None:
            return Out(None)
        spatial, channels = spatial_of(c, rank, fmt)
        return Out(join(padded(spatial, pads, 1), channels, fmt))

    return spec


def cropping_spec(rank: int) -> Spec:
    """Cropping{rank}D(cropping, data_format); Cropping1D has no data_format. Keras refuses an empty result."""
    default = {1: (1, 1), 2: 0, 3: 1}[rank]  # Keras: (1, 1), ((0, 0), (0, 0)), ((1, 1), (1, 1), (1, 1))

    def spec(c: Call) -> Out:
        crops = pairs(c, "cropping", 0, rank, default)
        fmt = data_format(c, 1) if rank > 1 else "channels_last"
        if c.input is None:
            return Out(None)
        spatial, channels = spatial_of(c, rank, fmt)
        out = padded(spatial, crops, -1)
        if any(d is not None and d <= 0 for d in out):
            raise c.invalid(f"cropping must be smaller than the input. Received: input spatial shape={spatial}, cropping={crops}")
        return Out(join(out, channels, fmt))

    return spec


def up_sampling_spec(rank: int) -> Spec:
    """UpSampling{rank}D(size, data_format); UpSampling1D has no data_format."""

    def spec(c: Call) -> Out:
        size = c.ints("size", 0, n=rank, default=2, min=1)
        fmt = data_format(c, 1) if rank > 1 else "channels_last"
        if c.input is None:
            return Out(None)
        spatial, channels = spatial_of(c, rank, fmt)
        return Out(join(tuple(None if d is None else d * s for d, s in zip(spatial, size)), channels, fmt))

    return spec


register("keras.layers.ZeroPadding1D")(zero_padding_spec(1))
register("keras.layers.ZeroPadding2D")(zero_padding_spec(2))
register("keras.layers.ZeroPadding3D")(zero_padding_spec(3))
register("keras.layers.Cropping1D")(cropping_spec(1))
register("keras.layers.Cropping2D")(cropping_spec(2))
register("keras.layers.Cropping3D")(cropping_spec(3))
register("keras.layers.UpSampling1D")(up_sampling_spec(1))
register("keras.layers.UpSampling2D")(up_sampling_spec(2))
register("keras.layers.UpSampling3D")(up_sampling_spec(3))
