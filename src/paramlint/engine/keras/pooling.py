"""Keras pooling: Max/AveragePooling1D/2D/3D, their global and adaptive forms. No weights; shapes only."""
from __future__ import annotations

from ..arith import keras_conv_length
from ..spec import MISSING, Call, Out, Spec, register
from ._common import data_format, join, padding, split


def pooling_spec(rank: int, default_pool: object) -> Spec:
    """(pool_size, strides=pool_size, padding, data_format); MaxPooling defaults pool_size to 2, AveragePooling requires it."""

    def spec(c: Call) -> Out:
        pool = c.ints("pool_size", 0, n=rank, default=default_pool, min=1)
        strides = pool if c.raw("strides", 1, None) is None else c.ints("strides", 1, n=rank, min=1)
        pad = padding(c, 2, lower=False)  # BasePooling keeps the string as written: "SAME" fails in Keras
        fmt = data_format(c, 3)
        if c.input is None:
            return Out(None)
        shape = c.need_input(rank=rank + 2)
        spatial, channels = split(shape, fmt)
        out = tuple(keras_conv_length(n, k, s, pad) for n, k, s in zip(spatial, pool, strides))
        if any(o is not None and o <= 0 for o in out):
            raise c.invalid("computed output size would be zero or negative. Received: "
                            f"input spatial shape={spatial}, pool_size={pool}, strides={strides}, padding={pad!r}")
        return Out(join(out, channels, fmt))

    return spec


def global_pooling_spec(rank: int) -> Spec:
    """(data_format, keepdims): the spatial axes are reduced, to 1 with keepdims."""

    def spec(c: Call) -> Out:
        fmt = data_format(c, 0)
        keepdims = c.bool("keepdims", 1, False)
        if c.input is None:
            return Out(None)
        spatial, channels = split(c.need_input(rank=rank + 2), fmt)
        return Out(join((1,) * len(spatial), channels, fmt) if keepdims else (channels,))

    return spec


register("keras.layers.MaxPooling1D", alias="keras.layers.MaxPool1D")(pooling_spec(1, 2))
register("keras.layers.MaxPooling2D", alias="keras.layers.MaxPool2D")(pooling_spec(2, 2))
register("keras.layers.MaxPooling3D", alias="keras.layers.MaxPool3D")(pooling_spec(3, 2))
register("keras.layers.AveragePooling1D", alias="keras.layers.AvgPool1D")(pooling_spec(1, MISSING))
register("keras.layers.AveragePooling2D", alias="keras.layers.AvgPool2D")(pooling_spec(2, MISSING))
register("keras.layers.AveragePooling3D", alias="keras.layers.AvgPool3D")(pooling_spec(3, MISSING))
register("keras.layers.GlobalMaxPooling1D", alias="keras.layers.GlobalMaxPool1D")(global_pooling_spec(1))
register("keras.layers.GlobalMaxPooling2D", alias="keras.layers.GlobalMaxPool2D")(global_pooling_spec(2))
register("keras.layers.GlobalMaxPooling3D", alias="keras.layers.GlobalMaxPool3D")(global_pooling_spec(3))
register("keras.layers.GlobalAveragePooling1D", alias="keras.layers.GlobalAvgPool1D")(global_pooling_spec(1))
register("keras.layers.GlobalAveragePooling2D", alias="keras.layers.GlobalAvgPool2D")(global_pooling_spec(2))
register("keras.layers.GlobalAveragePooling3D", alias="keras.layers.GlobalAvgPool3D")(global_pooling_spec(3))


def adaptive_pooling_spec(rank: int) -> Spec:
    """Adaptive{Average,Max}Pooling{rank}D(output_size, data_format): the spatial dims become output_size."""

    def spec(c: Call) -> Out:
        size = c.ints("output_size", 0, n=rank, min=1)
        fmt = data_format(c, 1)
        if c.input is None:
            return Out(None)
        _, channels = split(c.need_input(rank=rank + 2), fmt)
        return Out(join(size, channels, fmt))

    return spec


for _rank in (1, 2, 3):
    register(f"keras.layers.AdaptiveAveragePooling{_rank}D")(adaptive_pooling_spec(_rank))
    register(f"keras.layers.AdaptiveMaxPooling{_rank}D")(adaptive_pooling_spec(_rank))
