"""Minimal cases where paramlint once disagreed with the real framework (found by the random tests).

K1 alias row types: fixed. K2 ConvLSTM(trainable=False) and K3 Bidirectional/TimeDistributed/RNN/
SpectralNormalization (trainable=False): Keras itself reports the layer frozen but the model's weights
trainable; paramlint reports the model-level figures, as model.summary() and count_params() give them,
and says so in the row.
A new discrepancy goes here as ``xfail(strict=True)`` with a mask in diff_known.py, removed together
when it is fixed.
"""
from __future__ import annotations

import textwrap

import pytest

pytest.importorskip("torch")
keras = pytest.importorskip("keras")

from paramlint.lint.analyze import analyze  # noqa: E402
from paramlint.lint.settings import Settings  # noqa: E402

pytestmark = [pytest.mark.oracle, pytest.mark.filterwarnings("ignore")]


def one(source: str):  # noqa: ANN201
    report = analyze(textwrap.dedent(source), Settings(), "gen.py")
    assert report.error is None
    (model,) = report.models
    return model


def keras_truth(source: str) -> tuple[int, int, int, list[str]]:
    ns: dict = {}
    exec(textwrap.dedent(source), ns)  # noqa: S102
    net = ns["model"]
    numel = lambda ws: sum(int(w.numpy().size) for w in ws)  # noqa: E731
    return net.count_params(), numel(net.trainable_weights), numel(net.non_trainable_weights), [type(layer).__name__ for layer in net.layers]


ALIAS = """
import keras
model = keras.Sequential([keras.Input(shape=(8, 8, 3)), keras.layers.Convolution2D(4, 3), keras.layers.MaxPool2D()])
"""


def test_k1_keras_alias_row_type() -> None:
    assert [r.type for r in one(ALIAS).rows] == keras_truth(ALIAS)[3]


CONVLSTM = """
import keras
model = keras.Sequential([keras.Input(shape=(2, 4, 3)), keras.layers.ConvLSTM1D(1, 1, trainable=False)])
"""


def keras_split(source: str) -> tuple[int, int]:
    import math
    import os

    os.environ.setdefault("KERAS_BACKEND", "torch")
    pytest.importorskip("keras")
    namespace: dict = {}
    exec(textwrap.dedent(source), namespace)  # noqa: S102 - our own case
    model = namespace["model"]
    return model.count_params(), sum(math.prod(w.shape) for w in model.trainable_weights)


def test_k2_convlstm_trainable_false_gives_the_model_level_split() -> None:
    m = one(CONVLSTM)
    assert m.complete and (m.total, m.trainable) == keras_split(CONVLSTM)
    assert "model.summary()" in m.rows[0].formula


BIDIRECTIONAL = """
import keras
model = keras.Sequential([keras.Input(shape=(8, 3)), keras.layers.Bidirectional(keras.layers.SimpleRNN(1), trainable=False)])
"""
TIMEDISTRIBUTED = """
import keras
model = keras.Sequential([keras.Input(shape=(4, 3)), keras.layers.TimeDistributed(keras.layers.Dense(2), trainable=False)])
"""

RNN_CELL = """
import keras
model = keras.Sequential([keras.Input(shape=(5, 3)), keras.layers.RNN(keras.layers.LSTMCell(2), trainable=False)])
"""
SPECTRAL = """
import keras
model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.SpectralNormalization(keras.layers.Dense(2), trainable=False)])
"""


@pytest.mark.parametrize("source", [BIDIRECTIONAL, TIMEDISTRIBUTED, RNN_CELL, SPECTRAL],
                         ids=["Bidirectional", "TimeDistributed", "RNN", "SpectralNormalization"])
def test_k3_wrapper_trainable_false_gives_the_model_level_split(source: str) -> None:
    m = one(source)
    assert m.complete and (m.total, m.trainable) == keras_split(source)
    assert "model.summary()" in m.rows[0].formula
