"""torch.nn normalization: BatchNorm, InstanceNorm (and Lazy), LayerNorm, GroupNorm, RMSNorm, LocalResponseNorm.

Running statistics are buffers, not parameters: only the affine weight and bias count.
"""
from __future__ import annotations

from ..findings import NeedsInputShape
from ..spec import Call, Out, Spec, num, register
from .common import check_rank, elements, same_shape


def affine(channels: int, weight: bool, bias: bool) -> Out:
    """The shared tail: per-channel weight and (optionally) bias."""
    if not weight:
        return Out(None)
    if bias:
        return Out(None, 2 * channels, 0, f"2 * {num(channels)} = {num(2 * channels)} (weight, bias)")
    return Out(None, channels, 0, f"{num(channels)} (weight)")


def with_shape(c: Call, out: Out) -> Out:
    return Out(c.input, out.trainable, out.non_trainable, out.formula)


def _instance_channels(c: Call, n: int, lazy: bool) -> int:
    """num_features, declared or (Lazy) read from the channel axis of a batched input."""
    check_rank(c, (n + 1, n + 2))  # InstanceNorm also takes unbatched (C, *spatial)
    if not lazy:
        declared = c.int("num_features", 0, min=1)
        if c.input is not None and len(c.input) == n + 1:
            c.check_declared("num_features", declared, 0)
        return declared
    if c.input is not None and len(c.input) == n:
        # unbatched: the channel axis is the leading one, which shapes never know
        raise NeedsInputShape(c.layer.line, c.layer.column, layer=c.name, axis=0)
    return c.dim(0)


def batch_norm_spec(n: int, lazy: bool) -> Spec:
    p = -1 if lazy else 0
    # BatchNorm1d takes (N, C) or (N, C, L); 2d and 3d only the batched rank.
    ranks = (2, 3) if n == 1 else (n + 2,)

    def spec(c: Call) -> Out:
        weight = c.bool("affine", 3 + p, True)
        c.bool("track_running_stats", 4 + p, True)  # buffers only
        bias = c.bool("bias", None, True)  # keyword-only
        check_rank(c, ranks)
        channels = c.dim(0) if lazy else c.int("num_features", 0, min=1)
        if not lazy:
            c.check_declared("num_features", channels, 0)
        return with_shape(c, affine(channels, weight, bias))

    return spec


def instance_norm_spec(n: int, lazy: bool) -> Spec:
    p = -1 if lazy else 0
    # The Lazy variants default to affine=True, track_running_stats=True (unlike InstanceNorm).
    default = lazy

    def spec(c: Call) -> Out:
        weight = c.bool("affine", 3 + p, default)
        c.bool("track_running_stats", 4 + p, default)
        bias = c.bool("bias", None, True)
        channels = _instance_channels(c, n, lazy)
        return with_shape(c, affine(channels, weight, bias))

    return spec


for _n in (1, 2, 3):
    register(f"torch.nn.BatchNorm{_n}d")(batch_norm_spec(_n, lazy=False))
    register(f"torch.nn.LazyBatchNorm{_n}d")(batch_norm_spec(_n, lazy=True))
    register(f"torch.nn.InstanceNorm{_n}d")(instance_norm_spec(_n, lazy=False))
    register(f"torch.nn.LazyInstanceNorm{_n}d")(instance_norm_spec(_n, lazy=True))


def _normalized_shape(c: Call) -> tuple[int, ...]:
    raw = c.raw("normalized_shape", 0)
    n = len(raw) if isinstance(raw, (tuple, list)) else 1
    dims = c.ints("normalized_shape", 0, n, min=0)
    for i, d in enumerate(dims):
        c.check_declared("normalized_shape", d, i - n)
    return dims


@register("torch.nn.LayerNorm")
def layer_norm(c: Call) -> Out:
    dims = _normalized_shape(c)
    weight = c.bool("elementwise_affine", 2, True)
    bias = c.bool("bias", 3, True)
    return with_shape(c, affine(elements(dims), weight, bias))


@register("torch.nn.RMSNorm")
def rms_norm(c: Call) -> Out:
    dims = _normalized_shape(c)
    weight = c.bool("elementwise_affine", 2, True)
    return with_shape(c, affine(elements(dims), weight, bias=False))


@register("torch.nn.GroupNorm")
def group_norm(c: Call) -> Out:
    groups = c.int("num_groups", 0, min=1)
    channels = c.int("num_channels", 1, min=1)
    weight = c.bool("affine", 3, True)
    bias = c.bool("bias", None, True)
    if channels % groups:
        raise c.invalid(f"num_channels must be divisible by num_groups. Received: num_channels={channels}, num_groups={groups}")
    c.check_declared("num_channels", channels, 0)
    return with_shape(c, affine(channels, weight, bias))


@register("torch.nn.LocalResponseNorm")
def local_response_norm(c: Call) -> Out:
    c.int("size", 0, min=1)
    if c.input is not None:
        c.need_input(min_rank=3)  # (N, C, *): a channel axis after the batch
    return same_shape(c)
