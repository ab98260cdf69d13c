"""Output-length arithmetic shared by convolution and pooling specs (both conventions)."""
from __future__ import annotations

from typing import Optional


def keras_conv_length(length: Optional[int], kernel: int, stride: int, padding: str, dilation: int = 1) -> Optional[int]:
    """Keras ``compute_conv_output_shape`` for one spatial axis: valid, same or causal padding."""
    if length is None:
        return None
    effective = (kernel - 1) * dilation + 1
    if padding == "valid":
        return (length - effective) // stride + 1
    return (length + stride - 1) // stride  # same and causal keep ceil(length / stride)


def keras_deconv_length(length: Optional[int], kernel: int, stride: int, padding: str, output_padding: Optional[int], dilation: int = 1) -> Optional[int]:
    """Keras ``deconv_output_length`` for one spatial axis."""
    if length is None:
        return None
    kernel = kernel + (kernel - 1) * (dilation - 1)
    if output_padding is None:
        if padding == "valid":
            return length * stride + max(kernel - stride, 0)
        return length * stride
    pad = 0 if padding == "valid" else kernel // 2
    return (length - 1) * stride + kernel - 2 * pad + output_padding


def torch_conv_length(length: Optional[int], kernel: int, stride: int = 1, padding: int = 0, dilation: int = 1, ceil_mode: bool = False) -> Optional[int]:
    """PyTorch's convolution / pooling output length (``ceil_mode`` as in MaxPool)."""
    if length is None:
        return None
    span = length + 2 * padding - dilation * (kernel - 1) - 1
    if not ceil_mode:
        return span // stride + 1
    out = -(-span // stride) + 1
    if (out - 1) * stride >= length + padding:  # the last window must start inside the input
        out -= 1
    return out


def torch_deconv_length(length: Optional[int], kernel: int, stride: int = 1, padding: int = 0, output_padding: int = 0, dilation: int = 1) -> Optional[int]:
    if length is None:
        return None
    return (length - 1) * stride - 2 * padding + dilation * (kernel - 1) + output_padding + 1


def product(dims: "tuple[Optional[int], ...]") -> Optional[int]:
    """Product of dimensions, ``None`` if any is unknown."""
    total = 1
    for d in dims:
        if d is None:
            return None
        total *= d
    return total
