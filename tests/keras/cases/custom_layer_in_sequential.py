import keras
from keras import layers


class Residual(layers.Layer):
    def __init__(self, units):
        super().__init__()
        self.inner = layers.Dense(units)
        self.gate = self.add_weight(shape=(units,), initializer="zeros", name="gate")

    def call(self, x):
        return x + self.gate * self.inner(x)


model = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(16), Residual(16), layers.Dense(3)])
no_shape = keras.Sequential([layers.Dense(16), Residual(16)])
# incomplete: no_shape
