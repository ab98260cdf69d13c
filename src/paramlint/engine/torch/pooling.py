"""torch.nn pooling: Max/Avg/LP pooling and the adaptive pools, 1d/2d/3d. No parameters."""
from __future__ import annotations

from typing import Any, Optional

from ..arith import torch_conv_length
from ..spec import Call, Out, Spec, register
from ..values import Shape, describe


def _pooled_input(c: Call, n: int) -> Optional[Shape]:
    """Pools act on the last ``n`` axes of a (C, *spatial) or unbatched (*spatial) input."""
    if c.input is not None and len(c.input) not in (n, n + 1):
        raise c.invalid(f"expects input of rank {n + 1} or {n + 2}. Received: input rank {len(c.input) + 1}")
    return c.input


def _window(c: Call, n: int, kernel: tuple[int, ...], stride: tuple[int, ...], padding: tuple[int, ...],
            dilation: tuple[int, ...], ceil_mode: bool) -> Out:
    if any(p > k // 2 for p, k in zip(padding, kernel)):
        raise c.invalid(f"padding should be at most half of kernel size. Received: padding={padding}, kernel_size={kernel}")
    shape = _pooled_input(c, n)
    if shape is None:
        return Out(None)
    lengths = tuple(torch_conv_length(length, kernel[i], stride[i], padding[i], dilation[i], ceil_mode)
                    for i, length in enumerate(shape[-n:]))
    if any(d is not None and d <= 0 for d in lengths):
        raise c.invalid(f"output size is too small: {lengths}. Received: input shape {shape}")
    return Out(shape[:-n] + lengths)


def _stride(c: Call, n: int, pos: int, kernel: tuple[int, ...]) -> tuple[int, ...]:
    # stride defaults to the kernel size (None, or left out)
    if c.raw("stride", pos, None) is None:
        return kernel
    return c.ints("stride", pos, n, min=1)


def max_pool_spec(n: int) -> Spec:
    def spec(c: Call) -> Out:
        kernel = c.ints("kernel_size", 0, n, min=1)
        stride = _stride(c, n, 1, kernel)
        padding = c.ints("padding", 2, n, 0, min=0)
        dilation = c.ints("dilation", 3, n, 1, min=1)
        # return_indices=True returns (values, indices); the shape is that of both.
        return _window(c, n, kernel, stride, padding, dilation, c.bool("ceil_mode", 5, False))
    return spec


def avg_pool_spec(n: int) -> Spec:
    def spec(c: Call) -> Out:
        kernel = c.ints("kernel_size", 0, n, min=1)
        stride = _stride(c, n, 1, kernel)
        padding = c.ints("padding", 2, n, 0, min=0)
        return _window(c, n, kernel, stride, padding, (1,) * n, c.bool("ceil_mode", 3, False))
    return spec


def lp_pool_spec(n: int) -> Spec:
    def spec(c: Call) -> Out:
        c.float("norm_type", 0)
        kernel = c.ints("kernel_size", 1, n, min=1)
        stride = _stride(c, n, 2, kernel)
        return _window(c, n, kernel, stride, (0,) * n, (1,) * n, c.bool("ceil_mode", 3, False))
    return spec


def _output_size(c: Call, n: int) -> tuple[Optional[int], ...]:
    """``output_size``: an int, or a tuple whose ``None`` entries keep the input's size."""
    value: Any = c.raw("output_size", 0)
    items = tuple(value) if isinstance(value, (tuple, list)) else (value,) * n
    if len(items) != n or not all(i is None or (isinstance(i, int) and not isinstance(i, bool) and i >= 0) for i in items):
        raise c.invalid(f"expected an integer or a tuple of {n} integers or None for 'output_size'. Received: output_size={describe(value)}")
    return items


def adaptive_spec(n: int) -> Spec:
    def spec(c: Call) -> Out:
        target = _output_size(c, n)
        shape = _pooled_input(c, n)
        if shape is None:
            return Out(None)
        lengths = tuple(length if t is None else t for t, length in zip(target, shape[-n:]))
        return Out(shape[:-n] + lengths)
    return spec


for _n in (1, 2, 3):
    register(f"torch.nn.MaxPool{_n}d")(max_pool_spec(_n))
    register(f"torch.nn.AvgPool{_n}d")(avg_pool_spec(_n))
    register(f"torch.nn.LPPool{_n}d")(lp_pool_spec(_n))
    register(f"torch.nn.AdaptiveAvgPool{_n}d", f"torch.nn.AdaptiveMaxPool{_n}d")(adaptive_spec(_n))
