"""Model methods that change no weights, in loops too, and freezing through get_layer() and model.layers."""
import sys

import numpy as np
from tensorflow import keras

x = np.zeros((4, 3), dtype="float32")
y = np.zeros((4, 2), dtype="float32")


def batches():
    while True:
        yield x, y


trained = keras.Sequential([keras.layers.Dense(8, activation="relu", input_shape=(3,)), keras.layers.Dense(2)])
trained.compile(optimizer="adam", loss="mse")
trained.summary()
history = trained.fit(x, y, epochs=1, verbose=0)
for epoch in range(int(sys.argv[0] != "")):
    trained.train_on_batch(x, y)
    trained.test_on_batch(x, y)
    trained.predict_on_batch(x)
    weights = trained.get_weights()
    trained.set_weights(weights)
    trained.reset_metrics()
    trained.get_layer(index=0).get_weights()
trained.evaluate(x, y, verbose=0)
trained.predict(x, verbose=0)
config = trained.get_config()
text = trained.to_json()
n = trained.count_params()

named = keras.Sequential([
    keras.layers.Dense(8, input_shape=(3,), name="hidden"),
    keras.layers.Dense(4, name="features"),
    keras.layers.Dense(2, name="head"),
])
named.get_layer("features").trainable = False
named.get_layer(index=0).trainable = False

indexed = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(8), keras.layers.Dense(4), keras.layers.Dense(2)])
indexed.layers[0].trainable = False  # the Input is not one of model.layers
indexed.layers[-1].trainable = False

fine_tuned = keras.Sequential([keras.layers.Dense(8, input_shape=(3,)), keras.layers.Dense(4), keras.layers.Dense(2)])
for layer in fine_tuned.layers[:-1]:
    layer.trainable = False
fine_tuned.compile(optimizer="sgd", loss="mse")

auto_named = keras.Sequential([keras.layers.Dense(8, input_shape=(3,)), keras.layers.Dense(2)])
try:
    auto_named.get_layer("dense").trainable = False  # Keras's automatic names count every layer made before
except ValueError:
    pass

by_unknown_name = keras.Sequential([keras.layers.Dense(8, input_shape=(3,), name="a"), keras.layers.Dense(2, name="b")])
by_unknown_name.get_layer(sys.argv[0][:0] + "a").trainable = False  # which one is not known statically
# incomplete: auto_named(PRM302), by_unknown_name(PRM302)
