"""A weight a custom Keras layer makes itself: ``self.add_weight(shape=..., trainable=...)``."""
from __future__ import annotations

from math import prod

from ..spec import Call, Out, num, register


@register("keras.Variable")
def variable(c: Call) -> Out:
    """(shape, ..., trainable): its size is the product of its shape; () is a scalar."""
    shape = c.raw("shape", 0, ())
    dims = c.ints("shape", 0, n=len(shape), min=0) if isinstance(shape, (tuple, list)) else c.ints("shape", 0, min=0)
    size = prod(dims)
    formula = " * ".join(str(d) for d in dims) + f" = {num(size)}" if len(dims) > 1 else num(size)
    return Out(None, size, 0, formula)  # trainable=False moves it to non-trainable, as for any Keras layer (stack.run)
