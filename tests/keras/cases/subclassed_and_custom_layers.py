import keras
from keras import layers, ops


class Linear(layers.Layer):
    def __init__(self, units=32, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units), initializer="random_normal", trainable=True)
        self.b = self.add_weight(shape=(self.units,), initializer="zeros", trainable=True)

    def call(self, inputs):
        return ops.matmul(inputs, self.w) + self.b


class Scale(layers.Layer):
    def __init__(self):
        super().__init__()
        self.scale = self.add_weight(shape=(), initializer="ones", trainable=False, name="scale")

    def call(self, x):
        return x * self.scale


class MLPBlock(layers.Layer):
    def __init__(self):
        super().__init__()
        self.linear_1 = Linear(32)
        self.linear_2 = Linear(32)
        self.linear_3 = Linear(1)

    def call(self, inputs):
        x = self.linear_1(inputs)
        x = keras.activations.relu(x)
        x = self.linear_2(x)
        x = keras.activations.relu(x)
        return self.linear_3(x)


class Classifier(keras.Model):
    def __init__(self, num_classes=10, hidden=(64, 32)):
        super().__init__(name="classifier")
        self.hidden = [layers.Dense(n, activation="relu") for n in hidden]
        self.norm = layers.BatchNormalization()
        self.dropout = layers.Dropout(0.5)
        self.scale = Scale()
        self.out = layers.Dense(num_classes)

    def call(self, x, training=False):
        for layer in self.hidden:
            x = layer(x)
        x = self.norm(x, training=training)
        if training:
            x = self.dropout(x, training=training)
        return self.out(self.scale(x))


model = Classifier()
model(keras.Input(shape=(20,)))

inputs = keras.Input(shape=(16,))
y = MLPBlock()(inputs)
mlp = keras.Model(inputs, y)


class Built(keras.Model):
    def __init__(self):
        super().__init__()
        self.d = layers.Dense(8)

    def build(self, input_shape):
        self.d.build(input_shape)

    def call(self, x):
        return self.d(x)


built = Built()
built.build((None, 12))

lin = Linear(4)
functional_custom = keras.Model(inputs, lin(inputs))


class Frozen(keras.Model):
    def __init__(self):
        super().__init__()
        self.a = layers.Dense(4)
        self.b = layers.Dense(2)

    def call(self, x):
        return self.b(self.a(x))


frozen = Frozen()
frozen(keras.Input(shape=(3,)))
frozen.a.trainable = False


class NoBuild(keras.Model):
    def __init__(self):
        super().__init__()
        self.d1 = layers.Dense(64, activation="relu")
        self.d2 = layers.Dense(10)

    def call(self, x):
        return self.d2(self.d1(x))


declared_only = NoBuild()
built_without_build = NoBuild()
built_without_build.build((None, 784))
# incomplete: built_without_build
