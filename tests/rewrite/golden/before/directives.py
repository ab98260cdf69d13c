"""Directives already there: one is kept, one gains a budget, an incomplete model gets none."""
import os

from tensorflow import keras

# paramlint: input-shape=(28, 28, 1)
mnist = keras.Sequential([
    keras.layers.Flatten(),
    keras.layers.Dense(128, activation="relu"),
    keras.layers.Dense(10),
])

tiny = keras.Sequential([keras.layers.Dense(4, input_shape=(3,))])  # paramlint: budget=1k

model = keras.Sequential()
model.add(keras.layers.Dense(10, input_shape=(5,)))
if os.environ.get("WIDE"):
    model.add(keras.layers.Dense(20))
model.add(keras.layers.Dense(3))


def conv_block(filters):
    return [keras.layers.Conv2D(filters, 3, padding="same"), keras.layers.ReLU()]


cnn = keras.Sequential([keras.Input(shape=(8, 8, 3)), *conv_block(4), *conv_block(8)])
