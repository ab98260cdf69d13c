"""layer.trainable = False: the layer is one object in every model holding it, as in Keras; frozen after a
model is built, the model sees it; the GAN style of freezing a discriminator inside the combined model."""
import random

from tensorflow import keras
from tensorflow.keras import layers

shared = layers.Dense(4)
first = keras.Sequential([keras.Input(shape=(3,)), shared])
second = keras.Sequential([keras.Input(shape=(3,)), shared, layers.Dense(2)])
first.trainable = False  # freezes `shared` in `second` too

late = layers.Dense(5)
built = keras.Sequential([keras.Input(shape=(2,)), late, layers.Dense(1)])
built.summary()
late.trainable = False  # after the model was built: Keras counts it frozen

generator = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(16, activation="relu"), layers.Dense(4)])
discriminator = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(8), layers.Dense(1, activation="sigmoid")])
discriminator.compile(optimizer="adam", loss="binary_crossentropy")
discriminator.trainable = False
gan = keras.Sequential([generator, discriminator])
gan.compile(optimizer="adam", loss="binary_crossentropy")

frozen_then_grown = keras.Sequential([keras.Input(shape=(3,)), layers.Dense(4)])
frozen_then_grown.trainable = False
frozen_then_grown.add(layers.Dense(2))  # Keras: nothing of a frozen model is trainable, even this

base = keras.Sequential([keras.Input(shape=(3,)), layers.Dense(4), layers.Dense(4)])
base.trainable = False
base.layers[1].trainable = True  # Keras: the model still counts nothing trainable; the model around it does
head = keras.Sequential([base, layers.Dense(1)])

# frozen in the constructor: Keras counts nothing trainable in the model, its layers stay trainable
constructed_frozen = keras.Sequential([keras.Input(shape=(3,)), layers.Dense(2)], trainable=False)

# frozen on a path not known statically (here never taken): the split is not known, the total is
maybe = layers.Dense(3)
conditional = keras.Sequential([keras.Input(shape=(2,)), maybe])
if random.random() > 2:
    maybe.trainable = False

# a loop of known length that toggles a layer ends with the last value
toggled_layer = layers.Dense(2)
toggled = keras.Sequential([keras.Input(shape=(2,)), toggled_layer])
for step in range(3):
    toggled_layer.trainable = step % 2 == 1
# incomplete: frozen_then_grown(PRM302), base(PRM302), head(PRM302), constructed_frozen(PRM302), conditional(PRM302)
