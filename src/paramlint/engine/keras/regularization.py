"""Keras regularization layers: the dropout family, GaussianNoise, ActivityRegularization. No weights.

Their random seed state is a Keras variable, but not a weight: ``count_params`` leaves it out.
"""
from __future__ import annotations

from ..spec import Call, Out, Spec, register
from ._common import rate_in_unit_interval, same_shape


@register("keras.layers.Dropout", "keras.layers.AlphaDropout", "keras.layers.GaussianDropout")
def dropout(c: Call) -> Out:
    rate_in_unit_interval(c, "rate", 0)
    return same_shape(c)


def spatial_dropout(rank: int) -> Spec:
    """SpatialDropout{rank}D drops whole feature maps; Keras fixes the input rank."""

    def spec(c: Call) -> Out:
        rate_in_unit_interval(c, "rate", 0)
        if c.input is not None:
            c.need_input(rank=rank + 2)
        return same_shape(c)

    return spec


@register("keras.layers.GaussianNoise")
def gaussian_noise(c: Call) -> Out:
    rate_in_unit_interval(c, "stddev", 0)  # Keras bounds the noise stddev to [0, 1] too
    return same_shape(c)


@register("keras.layers.ActivityRegularization")
def activity_regularization(c: Call) -> Out:
    return same_shape(c)


register("keras.layers.SpatialDropout1D")(spatial_dropout(1))
register("keras.layers.SpatialDropout2D")(spatial_dropout(2))
register("keras.layers.SpatialDropout3D")(spatial_dropout(3))
