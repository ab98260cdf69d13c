"""torch.nn recurrent layers: RNN, LSTM, GRU and their cells.

Every layer and direction has two bias vectors (``bias_ih``, ``bias_hh``), unlike Keras.
The output shape is that of the ``output`` tensor: these modules return a tuple
(``output, h_n`` or ``output, (h_n, c_n)``), so inside nn.Sequential the next module receives
the tuple and fails at run time; the row's count stays exact regardless.
"""
from __future__ import annotations

from typing import Optional

from ..spec import Call, Out, Spec, num, register
from ..values import Shape, describe

GATES = {"RNN": 1, "LSTM": 4, "GRU": 3}


def _next_shape(c: Call, n_in: int, n_out: int) -> Optional[Shape]:
    """(L, H_in) or unbatched (H_in,) in, the same with the last axis resized out."""
    if c.input is None:
        return None
    if len(c.input) not in (1, 2):
        raise c.invalid(f"expects input of rank 2 or 3. Received: input rank {len(c.input) + 1}")
    c.check_declared("input_size", n_in, -1)
    return c.input[:-1] + (n_out,)


def _layer_term(gates: int, hidden: int, n_in: int, n_rec: int, bias: bool, proj: int) -> str:
    term = f"{gates}*{hidden}*({n_in} + {n_rec}" + (" + 2)" if bias else ")")
    return f"({term} + {proj}*{hidden})" if proj else term


def rnn_spec(kind: str) -> Spec:
    gates = GATES[kind]
    # RNN takes nonlinearity as its 4th positional argument; the others shift by one.
    p = 1 if kind == "RNN" else 0

    def spec(c: Call) -> Out:
        n_in = c.int("input_size", 0, min=1)
        hidden = c.int("hidden_size", 1, min=1)
        layers = c.int("num_layers", 2, 1, min=1)
        if kind == "RNN":
            c.str("nonlinearity", 3, "tanh", choices=("tanh", "relu"), lower=False)
        bias = c.bool("bias", 3 + p, True)
        c.bool("batch_first", 4 + p, False)
        dropout = c.float("dropout", 5 + p, 0.0)
        directions = 2 if c.bool("bidirectional", 6 + p, False) else 1
        if kind != "LSTM" and c.has("proj_size", 7 + p):
            # torch refuses the keyword; a positional one slips through into weights GRU/RNN cannot use
            raise c.invalid(f"proj_size is only supported for LSTM. Received: proj_size={describe(c.raw('proj_size', 7 + p))}")
        proj = c.int("proj_size", 7, 0, min=0) if kind == "LSTM" else 0
        if not 0 <= dropout <= 1:
            raise c.invalid(f"dropout should be a number in [0, 1]. Received: dropout={dropout}")
        if proj >= hidden:
            raise c.invalid(f"proj_size has to be smaller than hidden_size. Received: proj_size={proj}, hidden_size={hidden}")
        n_rec = proj or hidden  # the recurrent state (and the output) is projected when proj_size > 0
        per_dir = gates * hidden * (n_rec + (2 if bias else 0)) + proj * hidden
        weights = directions * (gates * hidden * n_in + per_dir)
        terms = [f"{directions}*" * (directions > 1) + _layer_term(gates, hidden, n_in, n_rec, bias, proj)]
        if layers > 1:
            deeper = directions * (gates * hidden * n_rec * directions + per_dir)
            weights += (layers - 1) * deeper
            mult = (layers - 1) * directions
            terms.append(f"{mult}*" * (mult > 1) + _layer_term(gates, hidden, n_rec * directions, n_rec, bias, proj))
        shape = _next_shape(c, n_in, directions * n_rec)
        return Out(shape, weights, 0, " + ".join(terms) + f" = {num(weights)}")

    return spec


def cell_spec(kind: str) -> Spec:
    gates = GATES[kind]

    def spec(c: Call) -> Out:
        n_in = c.int("input_size", 0, min=1)
        hidden = c.int("hidden_size", 1, min=1)
        bias = c.bool("bias", 2, True)
        if kind == "RNN":
            c.str("nonlinearity", 3, "tanh", choices=("tanh", "relu"), lower=False)
        weights = gates * hidden * (n_in + hidden + (2 if bias else 0))
        formula = _layer_term(gates, hidden, n_in, hidden, bias, 0) + f" = {num(weights)}"
        # (N, H_in) or unbatched (H_in,); LSTMCell returns (h', c'), the shape is h'.
        shape = None
        if c.input is not None:
            if len(c.input) > 1:
                raise c.invalid(f"expects input of rank 1 or 2. Received: input rank {len(c.input) + 1}")
            if c.input:
                c.check_declared("input_size", n_in, -1)
            shape = c.input[:-1] + (hidden,) if c.input else ()
        return Out(shape, weights, 0, formula)

    return spec


for _kind in GATES:
    register(f"torch.nn.{_kind}")(rnn_spec(_kind))
    register(f"torch.nn.{_kind}Cell")(cell_spec(_kind))
