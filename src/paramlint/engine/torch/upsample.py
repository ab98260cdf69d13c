"""torch.nn resizing: Upsample, UpsamplingNearest2d, UpsamplingBilinear2d. No parameters."""
from __future__ import annotations

import math
from typing import Any, Optional

from ..spec import Call, Out, register
from ..values import Shape, describe

# Interpolation modes bound to one input rank (batch included); the others accept any rank >= 3.
MODE_RANKS = {"linear": 3, "bilinear": 4, "bicubic": 4, "trilinear": 5}
MODES = ("nearest", "nearest-exact", "area", *MODE_RANKS)


def _positive(item: Any, floats: bool) -> bool:
    if isinstance(item, bool):
        return False
    if isinstance(item, int) or (floats and isinstance(item, float)):
        return item > 0
    return False


def _per_axis(c: Call, key: str, value: Any, n: int, floats: bool) -> tuple[Any, ...]:
    items: tuple[Any, ...] = tuple(value) if isinstance(value, (tuple, list)) else (value,) * n
    ok = all(_positive(i, floats) for i in items)
    if len(items) != n or not ok:
        raise c.invalid(f"expected a positive number or a tuple of {n} for '{key}'. Received: {key}={describe(value)}")
    return items


def resize(c: Call, size: Any, scale: Any, mode: str) -> Out:
    if (size is None) == (scale is None):
        raise c.invalid(f"exactly one of size and scale_factor must be given. Received: size={describe(size)}, scale_factor={describe(scale)}")
    if c.input is None:
        return Out(None)
    rank = len(c.input) + 1
    if rank < 3 or rank != MODE_RANKS.get(mode, rank):
        raise c.invalid(f"mode {mode!r} does not support input of rank {rank}")
    n = rank - 2
    spatial = c.input[1:]
    out: Shape
    if size is not None:
        out = _per_axis(c, "size", size, n, floats=False)
    else:
        factors = _per_axis(c, "scale_factor", scale, n, floats=True)
        # torch floors length * factor in double precision, as Python does
        out = tuple(None if d is None else math.floor(d * float(f)) for d, f in zip(spatial, factors))
    return Out(c.input[:1] + out)


@register("torch.nn.Upsample")
def upsample(c: Call) -> Out:
    mode = c.str("mode", 2, "nearest", choices=MODES, lower=False)
    align: Optional[bool] = c.raw("align_corners", 3, None)
    if align is not None and mode not in MODE_RANKS:
        raise c.invalid(f"align_corners can only be set with the interpolating modes. Received: mode={describe(mode)}")
    return resize(c, c.raw("size", 0, None), c.raw("scale_factor", 1, None), mode)


@register("torch.nn.UpsamplingNearest2d")
def upsampling_nearest_2d(c: Call) -> Out:
    return resize(c, c.raw("size", 0, None), c.raw("scale_factor", 1, None), "nearest")


@register("torch.nn.UpsamplingBilinear2d")
def upsampling_bilinear_2d(c: Call) -> Out:
    return resize(c, c.raw("size", 0, None), c.raw("scale_factor", 1, None), "bilinear")
