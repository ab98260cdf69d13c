"""torch.nn reshaping modules: Flatten, Unflatten, PixelShuffle, PixelUnshuffle, ChannelShuffle. No parameters."""
from __future__ import annotations

from typing import Any, Optional

from ..arith import product
from ..spec import Call, Out, register
from .common import same_shape, shape_axis
from ..values import describe


@register("torch.nn.Flatten")
def flatten(c: Call) -> Out:
    start = c.int("start_dim", 0, 1)
    end = c.int("end_dim", 1, -1)
    if c.input is None:
        return Out(None)
    rank = len(c.input) + 1
    first, last = shape_axis(c, start, c.input), shape_axis(c, end, c.input)
    if start % rank > end % rank:
        raise c.invalid(f"start_dim cannot come after end_dim. Received: start_dim={start}, end_dim={end}")
    if last is None:
        return Out(c.input)  # flattening the leading dimension alone changes nothing
    if first is None:
        # the leading dimension absorbs the flattened ones; shapes leave the leading one out
        return Out(c.input[last + 1:])
    return Out(c.input[:first] + (product(c.input[first:last + 1]),) + c.input[last + 1:])


@register("torch.nn.Unflatten")
def unflatten(c: Call) -> Out:
    dim = c.int("dim", 0)
    value: Any = c.raw("unflattened_size", 1)
    if not isinstance(value, (tuple, list)) or not value:
        raise c.invalid(f"expected a tuple of integers for 'unflattened_size'. Received: unflattened_size={describe(value)}")
    sizes = c.ints("unflattened_size", 1, len(value), min=-1)
    if sizes.count(-1) > 1:
        raise c.invalid(f"only one dimension can be inferred. Received: unflattened_size={sizes}")
    if c.input is None:
        return Out(None)
    axis = shape_axis(c, dim, c.input)
    if axis is None:
        return Out(None)  # splits the leading dimension, whose size shapes do not know
    size = c.input[axis]
    known = product(tuple(s for s in sizes if s != -1)) or 0
    new: tuple[Optional[int], ...] = sizes
    if -1 in sizes:
        inferred = None if size is None or known == 0 else size // known
        if size is not None and (known == 0 or size % known):
            raise c.invalid(f"cannot unflatten dim of size {size} into {sizes}")
        new = tuple(inferred if s == -1 else s for s in sizes)
    elif size is not None and known != size:
        raise c.invalid(f"unflattened_size must multiply to the size of dim {dim} ({size}). Received: unflattened_size={sizes}")
    return Out(c.input[:axis] + new + c.input[axis + 1:])


def _pixel(c: Call, key: str, up: bool) -> Out:
    r = c.int(key, 0, min=1)
    if c.input is None:
        return Out(None)
    if len(c.input) < 3:
        raise c.invalid(f"expects input of rank >= 4. Received: input rank {len(c.input) + 1}")
    *lead, ch, h, w = c.input
    if up:
        if ch is not None and ch % (r * r):
            raise c.invalid(f"channels must be divisible by {key}**2. Received: channels={ch}, {key}={r}")
        out = (None if ch is None else ch // (r * r), None if h is None else h * r, None if w is None else w * r)
    else:
        if any(d is not None and d % r for d in (h, w)):
            raise c.invalid(f"height and width must be divisible by {key}. Received: input shape {c.input}, {key}={r}")
        out = (None if ch is None else ch * r * r, None if h is None else h // r, None if w is None else w // r)
    return Out(tuple(lead) + out)


@register("torch.nn.PixelShuffle")
def pixel_shuffle(c: Call) -> Out:
    return _pixel(c, "upscale_factor", up=True)


@register("torch.nn.PixelUnshuffle")
def pixel_unshuffle(c: Call) -> Out:
    return _pixel(c, "downscale_factor", up=False)


@register("torch.nn.ChannelShuffle")
def channel_shuffle(c: Call) -> Out:
    groups = c.int("groups", 0, min=1)
    if c.input is not None:
        c.need_input(min_rank=3)  # (N, C, *): a channel axis after the batch
    channels = None if c.input is None else c.input[0]
    if channels is not None and channels % groups:
        raise c.invalid(f"channels must be divisible by groups. Received: channels={channels}, groups={groups}")
    return same_shape(c)
