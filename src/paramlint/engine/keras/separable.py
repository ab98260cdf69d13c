"""Keras depthwise and separable convolutions: DepthwiseConv1D/2D, SeparableConv1D/2D."""
from __future__ import annotations

import math

from ..spec import Call, Out, Spec, num, register
from ._common import channel_axis, data_format, join, kernel_text, padding, split
from .conv import conv_lengths


def depthwise_spec(rank: int) -> Spec:
    """DepthwiseConv{rank}D(kernel_size, strides, padding, depth_multiplier, data_format, dilation_rate, activation, use_bias)."""

    def spec(c: Call) -> Out:
        kernel = c.ints("kernel_size", 0, n=rank, min=1)
        strides = c.ints("strides", 1, n=rank, default=1, min=1)
        pad = padding(c, 2)
        multiplier = c.int("depth_multiplier", 3, 1, min=1)
        fmt = data_format(c, 4)
        dilation = c.ints("dilation_rate", 5, n=rank, default=1, min=1)
        use_bias = c.bool("use_bias", 7, True)
        shape = c.need_input(rank=rank + 2)
        cin = c.dim(channel_axis(fmt))
        spatial, _ = split(shape, fmt)
        cout = cin * multiplier
        # one k-window per (input channel, multiplier) pair, and one bias per output channel
        weights = (math.prod(kernel) + use_bias) * cout
        text = f"{kernel_text(kernel)}"
        formula = f"({text} + 1) * {cin}*{multiplier} = {num(weights)}" if use_bias else f"{text} * {cin}*{multiplier} = {num(weights)}"
        return Out(join(conv_lengths(c, spatial, kernel, strides, pad, dilation), cout, fmt), weights, 0, formula)

    return spec


def separable_spec(rank: int) -> Spec:
    """SeparableConv{rank}D(filters, kernel_size, strides, padding, data_format, dilation_rate, depth_multiplier, activation, use_bias)."""

    def spec(c: Call) -> Out:
        filters = c.int("filters", 0, min=1)
        kernel = c.ints("kernel_size", 1, n=rank, min=1)
        strides = c.ints("strides", 2, n=rank, default=1, min=1)
        pad = padding(c, 3)
        fmt = data_format(c, 4)
        dilation = c.ints("dilation_rate", 5, n=rank, default=1, min=1)
        multiplier = c.int("depth_multiplier", 6, 1, min=1)
        use_bias = c.bool("use_bias", 8, True)
        shape = c.need_input(rank=rank + 2)
        cin = c.dim(channel_axis(fmt))
        spatial, _ = split(shape, fmt)
        depthwise = math.prod(kernel) * cin * multiplier
        pointwise = cin * multiplier * filters
        weights = depthwise + pointwise + (filters if use_bias else 0)
        formula = f"{kernel_text(kernel)}*{cin}*{multiplier} + {cin}*{multiplier}*{filters}" + (f" + {filters}" if use_bias else "") + f" = {num(weights)}"
        return Out(join(conv_lengths(c, spatial, kernel, strides, pad, dilation), filters, fmt), weights, 0, formula)

    return spec


register("keras.layers.DepthwiseConv1D")(depthwise_spec(1))
register("keras.layers.DepthwiseConv2D")(depthwise_spec(2))
register("keras.layers.SeparableConv1D", alias="keras.layers.SeparableConvolution1D")(separable_spec(1))
register("keras.layers.SeparableConv2D", alias="keras.layers.SeparableConvolution2D")(separable_spec(2))
