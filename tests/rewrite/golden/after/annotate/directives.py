"""Directives already there: one is kept, one gains a budget, an incomplete model gets none."""
import os

from tensorflow import keras

# paramlint: input-shape=(28, 28, 1)
mnist = keras.Sequential([  # [paramlint] total 101,770 params (all trainable)
    keras.layers.Flatten(),  # [paramlint] 0 params, (None, 784)
    keras.layers.Dense(128, activation="relu"),  # [paramlint] 100,480 params, (None, 128)
    keras.layers.Dense(10),  # [paramlint] 1,290 params, (None, 10)
])

tiny = keras.Sequential([keras.layers.Dense(4, input_shape=(3,))])  # paramlint: budget=1k  # [paramlint] total 16 params (all trainable)

model = keras.Sequential()
model.add(keras.layers.Dense(10, input_shape=(5,)))  # [paramlint] 60 params, (None, 10)
if os.environ.get("WIDE"):
    model.add(keras.layers.Dense(20))
model.add(keras.layers.Dense(3))


def conv_block(filters):
    return [keras.layers.Conv2D(filters, 3, padding="same"), keras.layers.ReLU()]


cnn = keras.Sequential([keras.Input(shape=(8, 8, 3)), *conv_block(4), *conv_block(8)])  # [paramlint] total 408 params (all trainable)
