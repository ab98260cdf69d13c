"""Keras convolutional LSTMs: ConvLSTM1D/2D/3D (input (time, *spatial, channels); four gates, each a convolution)."""
from __future__ import annotations

import math

from ..spec import Call, Out, Spec, num, register
from ._common import data_format, join, kernel_text, padding, split
from .conv import conv_lengths, refuse_strided_dilation


def conv_lstm_spec(rank: int) -> Spec:
    """(filters, kernel_size, strides, padding, data_format, dilation_rate, activation, recurrent_activation, use_bias,
    ..., return_sequences at 23, return_state at 24). The recurrent convolution always pads 'same'."""

    def spec(c: Call) -> Out:
        filters = c.int("filters", 0, min=1)
        kernel = c.ints("kernel_size", 1, n=rank, min=1)
        strides = c.ints("strides", 2, n=rank, default=1, min=1)
        pad = padding(c, 3)
        fmt = data_format(c, 4)
        dilation = c.ints("dilation_rate", 5, n=rank, default=1, min=1)
        use_bias = c.bool("use_bias", 8, True)
        return_sequences = c.bool("return_sequences", 23, False)
        return_state = c.bool("return_state", 24, False)
        refuse_strided_dilation(c, strides, dilation)
        shape = c.need_input(rank=rank + 3)
        spatial, cin = split(shape[1:], fmt)
        if None in spatial or cin is None:  # Keras itself needs the spatial dims to build the states
            c.dim(shape.index(None))
        assert cin is not None
        step = join(conv_lengths(c, spatial, kernel, strides, pad, dilation), filters, fmt)
        k = math.prod(kernel)
        weights = 4 * (k * cin * filters + k * filters * filters + (filters if use_bias else 0))
        bias = f" + {filters}" if use_bias else ""
        formula = f"4 * ({kernel_text(kernel)}*{cin}*{filters} + {kernel_text(kernel)}*{filters}*{filters}{bias}) = {num(weights)}"
        out = None if return_state else (shape[0], *step) if return_sequences else step
        return Out(out, weights, 0, formula)

    return spec


register("keras.layers.ConvLSTM1D")(conv_lstm_spec(1))
register("keras.layers.ConvLSTM2D")(conv_lstm_spec(2))
register("keras.layers.ConvLSTM3D")(conv_lstm_spec(3))
