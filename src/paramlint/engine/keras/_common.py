"""Argument and shape helpers shared by the Keras specs (data_format, padding, axes, spatial dims)."""
from __future__ import annotations

from typing import Any, Optional

from ..findings import UnknownValue
from ..spec import Call, Out, num
from ..values import Dim, Shape, describe

CHANNELS_LAST = "channels_last"
CHANNELS_FIRST = "channels_first"


def data_format(c: Call, pos: Optional[int] = None) -> str:
    """Keras' ``standardize_data_format``; ``None`` means the keras.json default, assumed channels_last."""
    value = c.raw("data_format", pos, None)
    if value is None:
        return CHANNELS_LAST
    return c.str("data_format", pos, choices=(CHANNELS_LAST, CHANNELS_FIRST))


def padding(c: Call, pos: int, causal: bool = False, lower: bool = True) -> str:
    """Convolutions lower-case their padding; pooling layers compare it as written (``lower=False``)."""
    choices = ("valid", "same", "causal") if causal else ("valid", "same")
    return c.str("padding", pos, "valid", choices=choices, lower=lower)


def split(shape: Shape, fmt: str) -> tuple[Shape, Dim]:
    """(spatial dims, channel dim) of a shape without batch."""
    if fmt == CHANNELS_LAST:
        return shape[:-1], shape[-1]
    return shape[1:], shape[0]


def join(spatial: Shape, channels: Dim, fmt: str) -> Shape:
    return (*spatial, channels) if fmt == CHANNELS_LAST else (channels, *spatial)


def channel_axis(fmt: str) -> int:
    """Index of the channel axis in a shape without batch."""
    return -1 if fmt == CHANNELS_LAST else 0


def axis_index(c: Call, key: str, axis: Any, shape: Shape) -> int:
    """A Keras axis (counted with the batch dimension) as an index into a shape without batch."""
    if isinstance(axis, bool) or not isinstance(axis, int):
        raise c.invalid(f"expected an integer axis for '{key}'. Received: {key}={describe(axis)}")
    rank = len(shape) + 1
    if not -rank <= axis < rank:
        raise c.invalid(f"axis {axis} is out of bounds for an input of rank {rank}. Received: {key}={describe(axis)}")
    if axis in (0, -rank):
        raise c.invalid(f"weights cannot be sized by the batch axis. Received: {key}={describe(axis)}")
    return axis - 1 if axis > 0 else axis


def require(c: Call, *keys: tuple[str, int]) -> None:
    """Required constructor arguments whose value does not change the count: present, any value."""
    for key, pos in keys:
        if not c.has(key, pos):
            raise c.invalid(f"missing required argument '{key}'")


def not_modelled(c: Call, key: str) -> UnknownValue:
    """An option whose weights paramlint does not model: an honest 'unknown', never a guess."""
    return UnknownValue(c.layer.line, c.layer.column, what=f"{c.name}({key}=...)", reason=f"paramlint does not model '{key}' for {c.name}")


def refuse_set(c: Call, key: str, pos: Optional[int] = None, allowed: Any = None) -> None:
    """Refuse an option that changes the weights in a way not modelled, unless left at ``allowed``."""
    if c.has(key, pos) and c.raw(key, pos, allowed) != allowed:
        raise not_modelled(c, key)


def same_shape(c: Call) -> Out:
    """A weightless layer that keeps its input shape (dropout, activations, augmentation)."""
    return Out(c.input, 0, 0, "")


def rate_in_unit_interval(c: Call, key: str, pos: int) -> None:
    """Dropout-like rates: required, and refused outside [0, 1] when the value is a known number."""
    require(c, (key, pos))
    value = c.layer.kwargs.get(key, c.layer.args[pos] if pos < len(c.layer.args) else None)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and not 0 <= value <= 1:
        raise c.invalid(f"expected a value between 0 and 1. Received: {key}={describe(value)}")


def kernel_text(kernel: tuple[int, ...]) -> str:
    return "*".join(str(k) for k in kernel)


def lora(c: Call, pos: Optional[int], kernel_in: int, filters: int, weights: int, formula: str) -> Out:
    """``lora_rank``: the kernel is frozen and two trainable low-rank factors are added (Keras' enable_lora)."""
    rank = c.opt_int("lora_rank", pos, None, min=0)
    if not rank:  # Keras treats lora_rank=0 as off
        return Out(None, weights, 0, formula)
    kernel = kernel_in * filters
    extra = kernel_in * rank + rank * filters
    lora_formula = f"lora: {kernel_in} * {rank} + {rank} * {filters} = {num(extra)} trainable, kernel {num(kernel)} frozen"
    return Out(None, weights - kernel + extra, kernel, f"{formula}; {lora_formula}")
