"""A Sequential used as a layer of another: the input shape flows in from whichever of them declares it."""
from tensorflow import keras
from tensorflow.keras import layers

# the inner one declares the shape, the outer none: Keras 3 builds the outer from it
encoder = keras.Sequential([layers.Dense(16, activation="relu", input_shape=(8,)), layers.Dense(4)])
autoencoder = keras.Sequential([encoder, layers.Dense(8)])

with_input = keras.Sequential([keras.Input(shape=(5,)), layers.Dense(4)])
added = keras.Sequential()
added.add(with_input)
added.add(layers.Dense(2))

# the outer declares it, the inner none: the inner is built with what flows in (and Keras then counts it)
body = keras.Sequential([layers.Conv2D(4, 3), layers.Flatten()])
classifier = keras.Sequential([keras.Input(shape=(10, 10, 1)), body, layers.Dense(3)])

block = keras.Sequential([layers.Dense(6), layers.Dense(6)])
tower = keras.Sequential([layers.Dense(5, input_shape=(2,)), block, layers.Dense(1)])

# three levels, the shape only at the bottom
deepest = keras.Sequential([keras.Input(shape=(3,)), layers.Dense(4)])
middle = keras.Sequential([deepest, layers.Dense(3)])
top = keras.Sequential([middle, layers.Dense(2)])

# both declare it and agree
agreeing_inner = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(3)])
agreeing = keras.Sequential([keras.Input(shape=(4,)), agreeing_inner, layers.Dense(1)])

# both declare it and disagree: Keras refuses the outer model
clashing_inner = keras.Sequential([keras.Input(shape=(7,)), layers.Dense(3)])
try:
    clashing = keras.Sequential([layers.Dense(3, input_shape=(2,)), clashing_inner])
except ValueError:
    pass

# the inner one's input_shape= is enforced as well
kwarg_inner = keras.Sequential([layers.Dense(4, input_shape=(7,))])
try:
    kwarg_clash = keras.Sequential([layers.Dense(3, input_shape=(2,)), kwarg_inner])
except ValueError:
    pass

# one inner model in two outer ones: the first builds it; a second that gives another shape is refused
reused = keras.Sequential([layers.Dense(4)])
first_user = keras.Sequential([keras.Input(shape=(3,)), reused])
same_shape_user = keras.Sequential([keras.Input(shape=(3,)), reused, layers.Dense(1)])
try:
    other_shape_user = keras.Sequential([keras.Input(shape=(5,)), reused])
except ValueError:
    pass


# a builder called twice: two inner models at one line, each built with its own shape
def make(width):
    part = keras.Sequential([layers.Dense(2)])
    return keras.Sequential([keras.Input(shape=(width,)), part])


narrow = make(3)
wide = make(9)

# a dimension the inner one leaves open is taken from what flows in
recurrent = keras.Sequential([keras.Input(shape=(None, 3)), layers.LSTM(4)])
timed = keras.Sequential([keras.Input(shape=(6, 3)), recurrent, layers.Dense(1)])
# refused: clashing, kwarg_clash, other_shape_user
