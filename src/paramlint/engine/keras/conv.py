"""Keras convolutions: Conv1D/2D/3D and their transposes (Keras' BaseConv / BaseConvTranspose)."""
from __future__ import annotations

import math
from typing import Optional

from ..arith import keras_conv_length, keras_deconv_length
from ..spec import Call, Out, Spec, num, register
from ..values import Dim
from ._common import channel_axis, data_format, join, kernel_text, lora, padding, split


def conv_lengths(c: Call, spatial: tuple[Dim, ...], kernel: tuple[int, ...], strides: tuple[int, ...], pad: str, dilation: tuple[int, ...]) -> tuple[Dim, ...]:
    """Output spatial dims; Keras refuses a 'valid' convolution whose output would be empty."""
    out = tuple(keras_conv_length(n, k, s, pad, d) for n, k, s, d in zip(spatial, kernel, strides, dilation))
    if any(o is not None and o <= 0 for o in out):
        raise c.invalid("computed output size would be zero or negative. Received: "
                        f"input spatial shape={spatial}, kernel_size={kernel}, strides={strides}, dilation_rate={dilation}, padding={pad!r}")
    return out


def refuse_strided_dilation(c: Call, strides: tuple[int, ...], dilation: tuple[int, ...]) -> None:
    if max(strides) > 1 and max(dilation) > 1:
        raise c.invalid(f"strides > 1 is not supported with dilation_rate > 1. Received: strides={strides}, dilation_rate={dilation}")


def conv_spec(rank: int) -> Spec:
    """Conv{rank}D(filters, kernel_size, strides, padding, data_format, dilation_rate, groups, activation, use_bias)."""

    def spec(c: Call) -> Out:
        filters = c.int("filters", 0, min=1)
        kernel = c.ints("kernel_size", 1, n=rank, min=1)
        strides = c.ints("strides", 2, n=rank, default=1, min=1)
        pad = padding(c, 3, causal=rank == 1)
        fmt = data_format(c, 4)
        dilation = c.ints("dilation_rate", 5, n=rank, default=1, min=1)
        groups = c.int("groups", 6, 1, min=1)
        use_bias = c.bool("use_bias", 8, True)
        if filters % groups:
            raise c.invalid(f"filters must be divisible by groups. Received: filters={filters}, groups={groups}")
        refuse_strided_dilation(c, strides, dilation)
        shape = c.need_input(rank=rank + 2)
        cin = c.dim(channel_axis(fmt))
        if cin % groups:
            raise c.invalid(f"input channels must be divisible by groups. Received: input channels={cin}, groups={groups}")
        spatial, _ = split(shape, fmt)
        out_shape = join(conv_lengths(c, spatial, kernel, strides, pad, dilation), filters, fmt)
        per_filter = math.prod(kernel) * (cin // groups)
        weights = (per_filter + use_bias) * filters
        text = f"{kernel_text(kernel)}*{cin // groups}"
        formula = f"({text} + 1) * {filters} = {num(weights)}" if use_bias else f"{text} * {filters} = {num(weights)}"
        out = lora(c, None, per_filter, filters, weights, formula)
        return Out(out_shape, out.trainable, out.non_trainable, out.formula)

    return spec


def conv_transpose_spec(rank: int) -> Spec:
    """Conv{rank}DTranspose: output_padding and data_format swap positions in Conv3DTranspose."""
    op_pos, fmt_pos = (5, 4) if rank == 3 else (4, 5)

    def spec(c: Call) -> Out:
        filters = c.int("filters", 0, min=1)
        kernel = c.ints("kernel_size", 1, n=rank, min=1)
        strides = c.ints("strides", 2, n=rank, default=1, min=1)
        pad = padding(c, 3)
        output_padding: tuple[Optional[int], ...] = (None,) * rank  # None: Keras infers the length
        if c.raw("output_padding", op_pos, None) is not None:
            given = c.ints("output_padding", op_pos, n=rank, min=0)
            if any(int(extra) >= int(s) for extra, s in zip(given, strides)):  # int(): Call.ints' hint resolves to the method
                raise c.invalid(f"output_padding must be smaller than strides. Received: output_padding={given}, strides={strides}")
            output_padding = given
        fmt = data_format(c, fmt_pos)
        dilation = c.ints("dilation_rate", 6, n=rank, default=1, min=1)
        use_bias = c.bool("use_bias", 8, True)
        refuse_strided_dilation(c, strides, dilation)
        shape = c.need_input(rank=rank + 2)
        cin = c.dim(channel_axis(fmt))
        spatial, _ = split(shape, fmt)
        lengths = tuple(keras_deconv_length(n, k, s, pad, op, d) for n, k, s, op, d in zip(spatial, kernel, strides, output_padding, dilation))
        weights = (math.prod(kernel) * cin + use_bias) * filters
        text = f"{kernel_text(kernel)}*{cin}"
        formula = f"({text} + 1) * {filters} = {num(weights)}" if use_bias else f"{text} * {filters} = {num(weights)}"
        return Out(join(lengths, filters, fmt), weights, 0, formula)

    return spec


register("keras.layers.Conv1D", alias="keras.layers.Convolution1D")(conv_spec(1))
register("keras.layers.Conv2D", alias="keras.layers.Convolution2D")(conv_spec(2))
register("keras.layers.Conv3D", alias="keras.layers.Convolution3D")(conv_spec(3))
register("keras.layers.Conv1DTranspose", alias="keras.layers.Convolution1DTranspose")(conv_transpose_spec(1))
register("keras.layers.Conv2DTranspose", alias="keras.layers.Convolution2DTranspose")(conv_transpose_spec(2))
register("keras.layers.Conv3DTranspose", alias="keras.layers.Convolution3DTranspose")(conv_transpose_spec(3))
