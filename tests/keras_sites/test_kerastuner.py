"""KerasTuner's hyperparameters (``hp.Int``, ``hp.Float``, ``hp.Choice``, ``hp.Boolean``) are chosen by the tuner
at run time: a layer sized or shaped by one cannot be counted (PRM302, naming the hyperparameter), and it is
never a configuration Keras refuses (PRM202, an error in CI) nor a crash, wherever the value lands: a scalar
argument, a tuple (Reshape, padding), a loop bound, a condition."""
from __future__ import annotations

import pytest

from paramlint.lint.analyze import analyze

HEAD = "import keras_tuner as kt\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\n\n\n"

BUILDERS = {
    "units": """def build_model(hp):
    model = keras.Sequential()
    model.add(layers.Flatten(input_shape=(28, 28)))
    model.add(layers.Dense(units=hp.Int('units', min_value=32, max_value=512, step=32), activation='relu'))
    model.add(layers.Dense(10))
    model.compile(optimizer=keras.optimizers.Adam(hp.Choice('learning_rate', values=[1e-2, 1e-3])), loss='mse')
    return model
""",
    "conv": """def build_model(hp):
    return keras.Sequential([
        layers.Conv2D(filters=hp.Int('conv_1_filter', min_value=32, max_value=128, step=16),
                      kernel_size=hp.Choice('conv_1_kernel', values=[3, 5]), activation='relu', input_shape=(28, 28, 1)),
        layers.Flatten(),
        layers.Dense(10, activation='softmax'),
    ])
""",
    "flags": """def build_model(hp):
    model = keras.Sequential([keras.Input(shape=(8, 4))])
    model.add(layers.Conv1D(8, 3, padding=hp.Choice('padding', ['same', 'valid']), use_bias=hp.Boolean('bias')))
    model.add(layers.LSTM(8, return_sequences=hp.Boolean('sequences')))
    model.add(layers.Dense(1))
    return model
""",
    "tuples": """def build_model(hp):
    model = keras.Sequential([keras.Input(shape=(12,))])
    model.add(layers.Reshape((hp.Int('rows', 2, 4, step=2), -1)))
    model.add(layers.ZeroPadding1D(padding=(hp.Int('pad', 0, 2), 1)))
    model.add(layers.Permute((2, hp.Choice('axis', [1]))))
    model.add(layers.Dense(3))
    return model
""",
    "scalars": """def build_model(hp):
    model = keras.Sequential([keras.Input(shape=(8, 4))])
    model.add(layers.ZeroPadding1D(padding=hp.Int('pad', 0, 2)))
    model.add(layers.BatchNormalization(axis=hp.Choice('axis', [-1, 1]), momentum=hp.Float('momentum', 0.9, 0.99)))
    model.add(layers.Dropout(hp.Float('dropout', 0.0, 0.5, step=0.1)))
    model.add(layers.LeakyReLU(hp.Float('slope', 0.0, 0.3)))
    model.add(layers.Dense(2))
    return model
""",
    "loop": """def build_model(hp):
    model = keras.Sequential()
    model.add(layers.Flatten(input_shape=(28, 28)))
    for i in range(hp.Int('num_layers', 2, 20)):
        model.add(layers.Dense(units=hp.Int('units_' + str(i), min_value=32, max_value=512, step=32)))
    if hp.Boolean('dropout'):
        model.add(layers.Dropout(rate=0.25))
    model.add(layers.Dense(10, activation='softmax'))
    return model
""",
    "values": """def build_model(hp):
    units = hp.Int('units', 32, 64)
    model = keras.Sequential([layers.InputLayer(input_shape=(4,)), layers.Dense(units), layers.Dense(units // 2)])
    return model
""",
    "hyperparameters": """hp = kt.HyperParameters()
model = keras.Sequential([layers.Dense(hp.Int('u', 4, 8), input_shape=(3,)), layers.Reshape((hp.Int('r', 1, 2), -1))])
""",
}


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_hyperparameters_are_values_not_known_statically(name: str) -> None:
    report = analyze(HEAD + BUILDERS[name])
    assert report.error is None and not report.notes, (report.error, report.notes)
    assert report.models, "the builder's model is reported"
    for model in report.models:
        codes = [p.code for p in model.problems]
        messages = " | ".join(p.message for p in model.problems)
        assert not model.complete and model.total is None, (name, messages)
        assert "PRM302" in codes and "PRM202" not in codes and "PRM000" not in codes, (name, messages)


def test_the_message_names_the_hyperparameter() -> None:
    report = analyze(HEAD + BUILDERS["tuples"])
    messages = " | ".join(p.message for m in report.models for p in m.problems)
    assert "Int('rows', 2, 4, step=2)" in messages, messages


@pytest.mark.oracle
def test_a_fixed_value_beside_them_is_still_counted() -> None:
    """Only what a hyperparameter reaches is unknown: the same builder with a literal is exact, as Keras counts it."""
    keras = pytest.importorskip("keras")
    source = HEAD + BUILDERS["units"].replace("hp.Int('units', min_value=32, max_value=512, step=32)", "16")
    (model,) = analyze(source).models
    layers = keras.layers
    expected = keras.Sequential([keras.Input(shape=(28, 28)), layers.Flatten(), layers.Dense(16), layers.Dense(10)])
    assert model.complete and model.total == expected.count_params()
