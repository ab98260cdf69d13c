import keras
from keras import layers

inp = keras.Input(shape=(10,))
h = layers.Dense(8, name="hidden")(inp)
out = layers.Dense(2, name="head")(h)
model = keras.Model(inp, out)
model.get_layer("hidden").trainable = False
features = keras.Model(model.input, model.get_layer("hidden").output)
for layer in model.layers[:1]:
    layer.trainable = True
other = keras.Sequential([keras.Input(shape=(3,)), layers.Dense(2)])
