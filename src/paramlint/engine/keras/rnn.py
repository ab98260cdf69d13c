"""Keras recurrent layers: SimpleRNN, LSTM, GRU (input (time, features); one kernel, recurrent kernel, bias per gate)."""
from __future__ import annotations

from typing import Optional

from ..spec import Call, Out, num, register
from ..values import Shape


def sequence_output(c: Call, units: int, return_sequences: bool, return_state: bool) -> Optional[Shape]:
    """(time, units) with return_sequences, else (units,).

    With return_state the layer returns a list of tensors, which has no single shape: the count stays
    exact, the shape is unknown to the layers after it.
    """
    shape = c.need_input(rank=3)
    if return_state:
        return None
    return (shape[0], units) if return_sequences else (units,)


def gated(c: Call, gates: int, units: int, use_bias: bool, bias_rows: int = 1) -> tuple[int, str]:
    """gates * (input kernel + recurrent kernel + bias rows): Keras stacks the gates along the last axis."""
    n_in = c.dim(-1)
    weights = gates * (n_in * units + units * units + (bias_rows * units if use_bias else 0))
    g = f"{gates} * " if gates > 1 else ""
    bias = (f" + {bias_rows}*{units}" if bias_rows > 1 else f" + {units}") if use_bias else ""
    return weights, f"{g}({n_in}*{units} + {units}*{units}{bias}) = {num(weights)}"


@register("keras.layers.SimpleRNN")
def simple_rnn(c: Call) -> Out:
    """(units, activation, use_bias, ..., return_sequences at 15, return_state at 16)."""
    units = c.int("units", 0, min=1)
    use_bias = c.bool("use_bias", 2, True)
    return_sequences = c.bool("return_sequences", 15, False)
    return_state = c.bool("return_state", 16, False)
    shape = sequence_output(c, units, return_sequences, return_state)
    weights, formula = gated(c, 1, units, use_bias)
    return Out(shape, weights, 0, formula)


@register("keras.layers.LSTM")
def lstm(c: Call) -> Out:
    """(units, activation, recurrent_activation, use_bias, ..., return_sequences at 18, return_state at 19): 4 gates."""
    units = c.int("units", 0, min=1)
    use_bias = c.bool("use_bias", 3, True)
    return_sequences = c.bool("return_sequences", 18, False)
    return_state = c.bool("return_state", 19, False)
    shape = sequence_output(c, units, return_sequences, return_state)
    weights, formula = gated(c, 4, units, use_bias)
    return Out(shape, weights, 0, formula)


@register("keras.layers.GRU")
def gru(c: Call) -> Out:
    """(units, ..., use_bias at 3, return_sequences at 17, return_state at 18, reset_after at 22): 3 gates.

    reset_after (the default, cuDNN-compatible) keeps separate input and recurrent biases: two bias rows.
    """
    units = c.int("units", 0, min=1)
    use_bias = c.bool("use_bias", 3, True)
    return_sequences = c.bool("return_sequences", 17, False)
    return_state = c.bool("return_state", 18, False)
    reset_after = c.bool("reset_after", 22, True)
    shape = sequence_output(c, units, return_sequences, return_state)
    weights, formula = gated(c, 3, units, use_bias, 2 if reset_after else 1)
    return Out(shape, weights, 0, formula)
