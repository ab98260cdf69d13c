"""torch.nn convolutions: Conv1d/2d/3d, ConvTranspose1d/2d/3d and their Lazy variants."""
from __future__ import annotations

from typing import Optional, Union

from ..arith import torch_conv_length, torch_deconv_length
from ..spec import Call, Out, Spec, num, register
from ..values import Shape, describe
from .common import elements, times

PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


def _padding(c: Call, n: int, pos: int, transposed: bool) -> Union[str, tuple[int, ...]]:
    raw = c.raw("padding", pos, 0)
    if isinstance(raw, str) and not transposed:
        return c.str("padding", pos, 0, choices=("same", "valid"), lower=False)
    return c.ints("padding", pos, n, 0, min=0)


def _lengths(c: Call, n: int, kernel: tuple[int, ...], stride: tuple[int, ...], padding: Union[str, tuple[int, ...]],
             dilation: tuple[int, ...], output_padding: Optional[tuple[int, ...]]) -> Optional[Shape]:
    """The spatial output lengths, or None without an input shape."""
    if c.input is None:
        return None
    out: list[Optional[int]] = []
    for i, length in enumerate(c.input[-n:]):
        if output_padding is not None:
            assert not isinstance(padding, str)
            out.append(torch_deconv_length(length, kernel[i], stride[i], padding[i], output_padding[i], dilation[i]))
        elif padding == "same":
            out.append(length)  # torch pads d*(k-1) in total, the odd unit on the right
        else:
            pad = 0 if padding == "valid" else padding[i]
            assert not isinstance(pad, str)
            out.append(torch_conv_length(length, kernel[i], stride[i], pad, dilation[i]))
    if any(d is not None and d <= 0 for d in out):
        raise c.invalid(f"output size is too small: {tuple(out)}. Received: input shape {c.input}")
    return tuple(out)


def conv_spec(n: int, transposed: bool, lazy: bool) -> Spec:
    """One spec per module; ``lazy`` drops ``in_channels`` from the positional arguments."""
    p = -1 if lazy else 0
    names = ("padding", "output_padding", "groups", "bias", "dilation", "padding_mode") if transposed else \
        ("padding", "dilation", "groups", "bias", "padding_mode")
    pos = {name: 4 + i + p for i, name in enumerate(names)}

    def spec(c: Call) -> Out:
        if c.input is not None:
            c.need_input(rank=n + 2)  # an unbatched input would make the batch size the channel count
        cout = c.int("out_channels", 1 + p, min=1)
        kernel = c.ints("kernel_size", 2 + p, n, min=1)
        stride = c.ints("stride", 3 + p, n, 1, min=1)
        padding = _padding(c, n, pos["padding"], transposed)
        dilation = c.ints("dilation", pos["dilation"], n, 1, min=1)
        groups = c.int("groups", pos["groups"], 1, min=1)
        bias = c.bool("bias", pos["bias"], True)
        mode = c.str("padding_mode", pos["padding_mode"], "zeros", choices=PADDING_MODES, lower=False)
        output_padding = c.ints("output_padding", pos["output_padding"], n, 0, min=0) if transposed else None
        if lazy:
            cin = c.dim(0)
        else:
            cin = c.int("in_channels", 0, min=1)
            c.check_declared("in_channels", cin, 0)
        if cin % groups or cout % groups:
            raise c.invalid(f"in_channels and out_channels must be divisible by groups. "
                            f"Received: in_channels={cin}, out_channels={cout}, groups={groups}")
        if padding == "same" and any(s != 1 for s in stride):
            raise c.invalid(f"padding='same' is not supported for strided convolutions. Received: stride={stride}")
        if transposed and mode != "zeros":
            raise c.invalid(f"only 'zeros' padding mode is supported. Received: padding_mode={describe(mode)}")
        if output_padding is not None and any(o >= max(s, d) for o, s, d in zip(output_padding, stride, dilation)):
            raise c.invalid(f"output_padding must be smaller than stride or dilation. "
                            f"Received: output_padding={output_padding}, stride={stride}, dilation={dilation}")
        # Transposed weights are (in, out/groups, *k), plain ones (out, in/groups, *k): the same count.
        per_out = times(list(kernel)) + f"*{cin // groups}"
        weights = (elements(kernel) * (cin // groups) + (1 if bias else 0)) * cout
        formula = f"({per_out} + 1) * {cout}" if bias else f"{per_out} * {cout}"
        lengths = _lengths(c, n, kernel, stride, padding, dilation, output_padding)
        shape = None if lengths is None else (cout, *lengths)
        note = f" (groups={groups})" if groups > 1 else ""
        return Out(shape, weights, 0, f"{formula} = {num(weights)}{note}")

    return spec


for _n in (1, 2, 3):
    register(f"torch.nn.Conv{_n}d")(conv_spec(_n, transposed=False, lazy=False))
    register(f"torch.nn.ConvTranspose{_n}d")(conv_spec(_n, transposed=True, lazy=False))
    register(f"torch.nn.LazyConv{_n}d")(conv_spec(_n, transposed=False, lazy=True))
    register(f"torch.nn.LazyConvTranspose{_n}d")(conv_spec(_n, transposed=True, lazy=True))
