"""nn.Parameter: a tensor a user-defined module registers as a parameter (not a layer of its own)."""
from __future__ import annotations

import math

from ..spec import Call, Out, num, register
from ..values import describe


@register("torch.nn.Parameter")
def parameter(c: Call) -> Out:
    """(data, requires_grad=True): its element count; frozen when requires_grad is False."""
    shape = c.raw("data", 0)
    if not isinstance(shape, tuple) or not all(isinstance(d, int) and not isinstance(d, bool) and d >= 0 for d in shape):
        raise c.invalid(f"expected a tensor of known shape. Received: {describe(shape)}")
    count = math.prod(shape)  # a 0-d tensor holds one number
    formula = f"{'*'.join(str(d) for d in shape) or '1'} = {num(count)}"
    if c.bool("requires_grad", 1, True):
        return Out(None, count, 0, formula)
    return Out(None, 0, count, formula + " (requires_grad=False)")
