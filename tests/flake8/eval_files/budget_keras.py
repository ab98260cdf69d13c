# options: --param-budget=100k --param-budget-trainable=1_000
"""Keras models: total and trainable budgets; BatchNormalization's moving statistics are not trainable."""
import keras
from keras import layers

model = keras.Sequential()  # PRM102: 9, model='model', trainable=1281, budget=1000
model.add(keras.Input(shape=(16,)))
model.add(layers.Dense(64))
model.add(layers.BatchNormalization())
model.add(layers.Dense(1))

frozen_statistics = keras.Sequential([
    keras.Input(shape=(8,)),
    layers.Dense(50),
    layers.BatchNormalization(),
])

big = keras.Sequential(  # PRM101: 7, total=299264, budget=100000  # PRM102: 7, trainable=299008, budget=1000
    [
        keras.Input(shape=(32, 32, 3)),
        layers.Conv2D(128, 3),
        layers.Conv2D(128, 3),
        layers.Conv2D(128, 3),
        layers.BatchNormalization(),
    ]
)
