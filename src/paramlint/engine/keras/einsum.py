"""Keras EinsumDense: a kernel (and bias) sized by an einsum equation, the input shape and a partial output shape.

The equation has one of Keras' three forms: ``ab,bc->ac``, ``...b,bc->...c`` (elided on the left) or
``ab...,bc->ac...`` (elided on the right). Shapes here carry the batch dimension, as the equation's letters do.
"""
from __future__ import annotations

import math
import re
from typing import Any, Optional

from ..findings import NeedsInputShape
from ..spec import Call, Out, num, register, show_shape
from ..values import Dim, describe
from ._common import lora, refuse_set

FORMS = (  # (pattern on the equation with '...' written as '0', elided on the left)
    (re.compile(r"([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)"), False),
    (re.compile(r"0([a-zA-Z]+),([a-zA-Z]+)->0([a-zA-Z]+)"), True),
    (re.compile(r"([a-zA-Z]{2,})0,([a-zA-Z]+)->([a-zA-Z]+)0"), False),
)


def parse(c: Call, equation: Any) -> tuple[str, str, str, bool]:
    if not isinstance(equation, str):
        raise c.invalid(f"expected a string for 'equation'. Received: equation={describe(equation)}")
    text = equation.replace("...", "0")
    for pattern, left in FORMS:
        found = pattern.fullmatch(text)
        if found:
            return found.group(1), found.group(2), found.group(3), left
    raise c.invalid(f"equations must be of the form X,Y->Z, ...X,Y->...Z or X...,Y->Z... Received: equation={equation!r}")


def partial_output(c: Call) -> list[Dim]:
    value = c.raw("output_shape", 1)
    dims = [value] if isinstance(value, int) and not isinstance(value, bool) else value
    if not isinstance(dims, (tuple, list)) or not all(d is None or (isinstance(d, int) and not isinstance(d, bool) and d > 0) for d in dims):
        raise c.invalid(f"expected an integer or a tuple of integers or None for 'output_shape'. Received: output_shape={describe(value)}")
    return list(dims)


@register("keras.layers.EinsumDense")
def einsum_dense(c: Call) -> Out:
    """(equation, output_shape, activation, bias_axes, ..., lora_rank at 10, quantization_config at 13)."""
    inp, weight, out, left = parse(c, c.raw("equation", 0))
    partial = partial_output(c)
    bias_axes = c.raw("bias_axes", 3, None)
    if bias_axes is not None and not isinstance(bias_axes, str):
        raise c.invalid(f"expected a string for 'bias_axes'. Received: bias_axes={describe(bias_axes)}")
    refuse_set(c, "quantization_config", 13)
    full: list[Dim] = [None, *c.need_input()]
    elided = len(full) - len(inp)
    if elided < 0:
        raise c.invalid(f"the equation's input '{inp}' has more axes than the input, shape {show_shape(c.input)}")
    shape_out: list[Dim] = [full[0], *partial]
    if elided > 0 and left:
        for i in range(1, elided):  # as Keras 3.15 inserts them: each at position 1
            shape_out.insert(1, full[i])
    elif elided > 0:
        shape_out.extend(full[len(full) - elided:])
    in_at = {d: (i + elided - len(full) if left else i) for i, d in enumerate(inp)}
    out_at = {d: (i + elided if left else i) for i, d in enumerate(out)}

    def output_dim(letter: str) -> Dim:
        if out_at[letter] >= len(shape_out):
            raise c.invalid(f"output_shape has too few dimensions for the output '{out}'. Received: output_shape={describe(partial)}")
        return shape_out[out_at[letter]]

    for letter in inp:
        if letter in out_at:
            dim = output_dim(letter)
            if dim is not None and dim != full[in_at[letter]]:
                raise c.invalid(f"input and output shapes do not match at the shared dimension '{letter}': "
                                f"{full[in_at[letter]]} and {dim}")
    for letter in out:
        if letter not in inp and letter not in weight:
            raise c.invalid(f"the output dimension '{letter}' is in neither the input '{inp}' nor the weight '{weight}'")
    kernel = [weight_dim(c, letter, output_dim, in_at, full, out_at, inp, out) for letter in weight]
    bias: list[int] = []
    if bias_axes is not None:
        missing = [ch for ch in bias_axes if ch not in out]
        if missing:
            raise c.invalid(f"the bias dimension '{missing[0]}' is not part of the output '{out}'")
        start = min(out.find(ch) for ch in bias_axes)
        shift = elided if left else 0
        for ch in out[start:]:
            if ch in bias_axes:
                dim = shape_out[out.index(ch) + shift]
                if dim is None:
                    raise c.invalid(f"the bias dimension '{ch}' has no known size")
                bias.append(dim)
    k_size, b_size = math.prod(kernel), math.prod(bias) if bias else 0
    total = k_size + b_size
    formula = "*".join(map(str, kernel)) + (f" + {'*'.join(map(str, bias))}" if bias else "") + f" = {num(total)}"
    result = lora(c, 10, math.prod(kernel[:-1]), kernel[-1], total, formula) if kernel else Out(None, total, 0, formula)
    return Out(tuple(shape_out[1:]), result.trainable, result.non_trainable, result.formula)


def weight_dim(c: Call, letter: str, output_dim: Any, in_at: dict[str, int], full: list[Dim], out_at: dict[str, int],
               inp: str, out: str) -> int:
    """A kernel axis: sized by the output when its letter is there, else by the input."""
    if letter in out_at:
        dim: Optional[int] = output_dim(letter)
        if dim is None:
            raise c.invalid(f"the weight dimension '{letter}' takes its size from output_shape, where it is None")
        return dim
    if letter in in_at:
        dim = full[in_at[letter]]
        if dim is None:
            raise NeedsInputShape(c.layer.line, c.layer.column, layer=c.name)
        return dim
    raise c.invalid(f"the weight dimension '{letter}' is in neither the input '{inp}' nor the output '{out}'")
