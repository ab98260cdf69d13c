"""torch.nn dropout modules: no parameters, the shape passes through."""
from __future__ import annotations

from ..spec import Call, Out, register
from .common import same_shape


@register("torch.nn.Dropout", "torch.nn.Dropout1d", "torch.nn.Dropout2d", "torch.nn.Dropout3d",
          "torch.nn.AlphaDropout", "torch.nn.FeatureAlphaDropout")
def dropout(c: Call) -> Out:
    p = c.float("p", 0, 0.5)
    if not 0 <= p <= 1:
        raise c.invalid(f"dropout probability has to be between 0 and 1. Received: p={p}")
    return same_shape(c)
