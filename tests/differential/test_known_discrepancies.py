"""Minimal cases where paramlint disagrees with the real framework (found by the random tests).

Each is ``xfail(strict=True)``: fixing paramlint makes it pass, which fails the run, so the fix
also removes the xfail and the matching mask in diff_known.py / diff_check.py.
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
    return net.count_params(), numel(net.trainable_weights), numel(net.non_trainable_weights), [type(l).__name__ for l in net.layers]


ALIAS = """
import keras
model = keras.Sequential([keras.Input(shape=(8, 8, 3)), keras.layers.Convolution2D(4, 3), keras.layers.MaxPool2D()])
"""


@pytest.mark.xfail(strict=True, reason=(
    "K1: a Keras alias is reported under the alias (row type 'Convolution2D', 'MaxPool2D', "
    "'GlobalAvgPool1D', 'SeparableConvolution1D', ...), while Keras' model.layers and summary() show "
    "the class name ('Conv2D', 'MaxPooling2D'); counts are right"))
def test_k1_keras_alias_row_type() -> None:
    assert [r.type for r in one(ALIAS).rows] == keras_truth(ALIAS)[3]


CONVLSTM = """
import keras
model = keras.Sequential([keras.Input(shape=(2, 4, 3)), keras.layers.ConvLSTM1D(1, 1, trainable=False)])
"""


@pytest.mark.xfail(strict=True, reason=(
    "K2: ConvLSTM1D/2D/3D(trainable=False): paramlint reports 0 trainable / 20 non-trainable, Keras' "
    "model.trainable_weights (what summary() prints as 'Trainable params') has all 20 trainable: the "
    "ConvLSTM cell is created after trainable=False is applied, unlike LSTM/GRU/SimpleRNN which pass it on"))
def test_k2_convlstm_trainable_false_split() -> None:
    m = one(CONVLSTM)
    assert (m.total, m.trainable, m.non_trainable) == keras_truth(CONVLSTM)[:3]


BIDIRECTIONAL = """
import keras
model = keras.Sequential([keras.Input(shape=(8, 3)), keras.layers.Bidirectional(keras.layers.SimpleRNN(1), trainable=False)])
"""
TIMEDISTRIBUTED = """
import keras
model = keras.Sequential([keras.Input(shape=(4, 3)), keras.layers.TimeDistributed(keras.layers.Dense(2), trainable=False)])
"""


@pytest.mark.xfail(strict=True, reason=(
    "K3: Bidirectional/TimeDistributed(trainable=False): paramlint gives up (PRM302 'Keras 3 keeps the "
    "wrapped layer trainable') although the count is known: Keras' model totals are all trainable "
    "(10 / 10 / 0 and 8 / 8 / 0). Not a wrong number, but an avoidable incomplete model"))
@pytest.mark.parametrize("source", [BIDIRECTIONAL, TIMEDISTRIBUTED], ids=["Bidirectional", "TimeDistributed"])
def test_k3_wrapper_trainable_false_is_countable(source: str) -> None:
    m = one(source)
    assert m.complete and (m.total, m.trainable, m.non_trainable) == keras_truth(source)[:3]
