"""Keras recurrent layers: SimpleRNN, LSTM, GRU, and RNN over their cells (input (time, features); one kernel,
recurrent kernel, bias per gate)."""
from __future__ import annotations

from typing import Optional

from ..spec import Call, Out, num, register
from ..values import Layer, Shape, describe


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
    return gate_weights(c.dim(-1), gates, units, use_bias, bias_rows)


def gate_weights(n_in: int, gates: int, units: int, use_bias: bool, bias_rows: int = 1) -> tuple[int, str]:
    """gates * (input kernel + recurrent kernel + bias rows): Keras stacks the gates along the last axis."""
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


# A cell's gates, the position of use_bias and of reset_after (GRU) in its constructor.
CELLS = {
    "keras.layers.SimpleRNNCell": (1, 2, None),
    "keras.layers.LSTMCell": (4, 3, None),
    "keras.layers.GRUCell": (3, 3, 15),
}


def cell_spec(c: Call) -> Out:
    """A cell alone is no layer: Keras calls it with states, inside keras.layers.RNN."""
    raise c.invalid("a recurrent cell is called with its states; wrap it in keras.layers.RNN")


def cell_weights(c: Call, cell: Layer, n_in: int) -> tuple[int, int, str]:
    """(weights, units, formula) of one cell fed n_in features per step."""
    if cell.qualname not in CELLS:
        raise c.invalid(f"expected a recurrent cell (SimpleRNNCell, LSTMCell, GRUCell). Received: cell={describe(cell)}")
    gates, bias_at, reset_at = CELLS[cell.qualname]
    inner = Call(cell, None, c.run)
    units = inner.int("units", 0, min=1)
    use_bias = inner.bool("use_bias", bias_at, True)
    rows = 2 if reset_at is not None and inner.bool("reset_after", reset_at, True) else 1
    weights, formula = gate_weights(n_in, gates, units, use_bias, rows)
    frozen = "trainable" in cell.kwargs and not inner.bool("trainable")
    return weights, units, formula + (" (trainable=False)" if frozen else "")


@register("keras.layers.RNN")
def rnn(c: Call) -> Out:
    """(cell, return_sequences, return_state, go_backwards, stateful, unroll): one cell, a list of cells or
    StackedRNNCells, each fed the previous cell's units."""
    cell = c.raw("cell", 0)
    if isinstance(cell, Layer) and cell.qualname == "keras.layers.StackedRNNCells":
        cell = Call(cell, None, c.run).raw("cells", 0)
    cells = list(cell) if isinstance(cell, (list, tuple)) else [cell]
    if not cells or not all(isinstance(x, Layer) for x in cells):
        raise c.invalid(f"expected a cell or a list of cells for 'cell'. Received: cell={describe(cell)}")
    return_sequences = c.bool("return_sequences", 1, False)
    return_state = c.bool("return_state", 2, False)
    c.need_input(rank=3)
    n_in = c.dim(-1)
    trainable = frozen = 0
    formulas = []
    for x in cells:
        weights, units, formula = cell_weights(c, x, n_in)
        if formula.endswith("(trainable=False)"):
            frozen += weights
        else:
            trainable += weights
        formulas.append(formula)
        n_in = units
    shape = sequence_output(c, n_in, return_sequences, return_state)
    formula = formulas[0] if len(formulas) == 1 else "; ".join(formulas) + f"; total {num(trainable + frozen)}"
    return Out(shape, trainable, frozen, formula)


for _name in CELLS:
    register(_name)(cell_spec)
register("keras.layers.StackedRNNCells")(cell_spec)
