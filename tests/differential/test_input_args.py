"""Every way a Keras Sequential's first entry declares its input, against Keras 3 itself.

Keras builds the model from: keras.Input(shape / batch_shape), InputLayer(shape, also positional /
input_shape / batch_shape / batch_input_shape), or the first layer's input_dim= (which wins) or
input_shape= (both popped by keras.layers.Layer). An Embedding's own input_dim is its vocabulary,
its input_length is ignored; SpatialDropout* refuse any of them; shape= / batch_shape= /
batch_input_shape= on a layer are refused. paramlint must count exactly what Keras counts, call a
model Keras does not build incomplete (PRM303), and one Keras refuses inconsistent (PRM202).
"""
from __future__ import annotations

import textwrap
import warnings
from typing import Any, Optional

import pytest

pytest.importorskip("torch")
keras = pytest.importorskip("keras")

from paramlint.lint.analyze import analyze  # noqa: E402
from paramlint.lint.settings import Settings  # noqa: E402

pytestmark = [pytest.mark.oracle, pytest.mark.filterwarnings("ignore")]

L = "keras.layers."
CASES = [
    # the case: input_dim= of an Embedding is the vocabulary, not an input shape
    f"{L}Embedding(input_dim=1000, output_dim=16), {L}Flatten(), {L}Dense(1)",
    f"{L}Embedding(1000, 16, input_length=10), {L}Flatten(), {L}Dense(1)",
    f"{L}Embedding(input_dim=1000, output_dim=16, input_shape=(10,)), {L}Flatten(), {L}Dense(1)",
    f"{L}Embedding(1000, 16, input_dim=5), {L}Flatten(), {L}Dense(1)",
    f"{L}Dense(3, input_dim=4), {L}Dense(2)",
    f"{L}Dense(3, input_dim=4, input_shape=(5,))",
    f"{L}Dense(3, input_dim=None, input_shape=(5,))",
    f"{L}Dense(3, input_shape=5)",
    f"{L}Dense(3, batch_input_shape=(None, 5))",
    f"{L}Dense(3, batch_shape=(None, 5))",
    f"{L}Dense(3, shape=(5,))",
    f"{L}SpatialDropout1D(0.1, input_shape=(5, 3)), {L}Flatten(), {L}Dense(2)",
    f"{L}GaussianNoise(0.1, input_shape=(4,)), {L}Dense(3)",
    f"{L}Bidirectional({L}LSTM(4), input_shape=(5, 3))",
    f"{L}Bidirectional({L}LSTM(4, input_shape=(5, 3)))",
    f"{L}TimeDistributed({L}Dense(4), input_shape=(5, 3))",
    f"{L}Dropout(0.1), {L}Dense(3, input_shape=(9,))",
    f"keras.Input(shape=(5,)), {L}Dense(2)",
    f"keras.Input((5,)), {L}Dense(2)",
    f"keras.Input(batch_shape=(None, 5)), {L}Dense(2)",
    f"keras.Input(shape=5), {L}Dense(2)",
    f"keras.Input(input_shape=(5,)), {L}Dense(2)",
    f"{L}InputLayer((5,)), {L}Dense(2)",
    f"{L}InputLayer(input_shape=(5,)), {L}Dense(2)",
    f"{L}InputLayer(batch_input_shape=(None, 5)), {L}Dense(2)",
]


def keras_count(layers: str) -> tuple[str, Optional[int]]:
    """("built", count), ("unbuilt", None) or ("refused", None), as Keras 3 sees the model."""
    namespace: dict[str, Any] = {"keras": keras}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = eval(f"keras.Sequential([{layers}])", namespace)  # noqa: S307  (our own table)
    except (TypeError, ValueError):
        return "refused", None
    return ("built", model.count_params()) if model.built else ("unbuilt", None)


@pytest.mark.parametrize("layers", CASES)
def test_first_layer_input_arguments_follow_keras(layers: str) -> None:
    truth, count = keras_count(layers)
    source = textwrap.dedent(f"""\
        import keras
        model = keras.Sequential([{layers}])
        """)
    (model,) = analyze(source, Settings(), "m.py").models
    codes = {p.code for p in model.problems}
    if truth == "built":
        assert (model.complete, model.total, codes) == (True, count, set())
    elif truth == "unbuilt":
        assert not model.complete and codes == {"PRM303"}, model.problems
    else:
        assert not model.complete and codes == {"PRM202"}, model.problems
