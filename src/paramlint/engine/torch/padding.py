"""torch.nn padding: Reflection/Replication/Zero/Constant/Circular Pad 1d/2d/3d. No parameters."""
from __future__ import annotations

from typing import Optional

from ..spec import Call, Out, Spec, register


def pad_spec(n: int, kind: str) -> Spec:
    """``padding`` is an int or (left, right[, top, bottom[, front, back]]): the last axis first."""

    def spec(c: Call) -> Out:
        pads = c.ints("padding", 0, 2 * n)
        if kind == "Constant":
            c.float("value", 1)
        if c.input is None:
            return Out(None)
        strict = kind in ("Reflection", "Replication", "Circular")
        if len(c.input) < n or (strict and len(c.input) > n + 1):
            raise c.invalid(f"expects input of rank {n + 1} or {n + 2}. Received: input rank {len(c.input) + 1}")
        out: list[Optional[int]] = list(c.input)
        for i in range(n):
            axis = len(out) - 1 - i
            before, after = pads[2 * i], pads[2 * i + 1]
            size = out[axis]
            if size is None:
                continue
            if kind == "Reflection" and max(before, after) >= size:
                raise c.invalid(f"reflection padding must be smaller than the input size. Received: padding={pads}, size={size}")
            if kind == "Circular" and max(before, after) > size:
                raise c.invalid(f"circular padding cannot wrap around more than once. Received: padding={pads}, size={size}")
            new = size + before + after
            out[axis] = new
            if new < 0 or (strict and new == 0):
                raise c.invalid(f"padding leaves an empty or negative size. Received: padding={pads}, size={size}")
        return Out(tuple(out))

    return spec


for _n in (1, 2, 3):
    for _kind in ("Reflection", "Replication", "Zero", "Constant", "Circular"):
        register(f"torch.nn.{_kind}Pad{_n}d")(pad_spec(_n, _kind))
