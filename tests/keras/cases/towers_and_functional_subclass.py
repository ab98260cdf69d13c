import keras
from keras import layers


class FunctionalSub(keras.Model):
    def __init__(self, units=8, **kwargs):
        inputs = keras.Input(shape=(4,))
        x = layers.Dense(units, activation="relu")(inputs)
        outputs = layers.Dense(2)(x)
        super().__init__(inputs=inputs, outputs=outputs, **kwargs)


fsub = FunctionalSub()


class Tower(layers.Layer):
    def __init__(self, units):
        super().__init__()
        self.block = keras.Sequential([layers.Dense(units), layers.ReLU(), layers.Dense(units)])
        self.skip = layers.Dense(units)

    def call(self, x):
        return self.block(x) + self.skip(x)


class TwoTower(keras.Model):
    def __init__(self):
        super().__init__()
        self.q = Tower(16)
        self.d = Tower(16)
        self.extra = keras.Sequential([keras.Input(shape=(5,)), layers.Dense(3)])

    def call(self, inputs):
        q, d = inputs
        return keras.ops.sum(self.q(q) * self.d(d), axis=-1, keepdims=True)


two = TwoTower()
two([keras.Input(shape=(10,)), keras.Input(shape=(12,))])

inp = keras.Input(shape=(6,))
tw = Tower(6)
t1 = tw(inp)
t2 = tw(t1)
twice = keras.Model(inp, t2)
twice.get_layer(index=1)
w = twice.get_weights()
twice.set_weights(w)
