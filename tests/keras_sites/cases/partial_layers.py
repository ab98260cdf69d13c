"""functools.partial of layers, the Hands-On Machine Learning style: in lists, in .add(), stacked."""
import functools
from functools import partial

import tensorflow as tf
from tensorflow import keras

DefaultConv2D = partial(keras.layers.Conv2D, kernel_size=3, activation="relu", padding="SAME")

cnn = keras.models.Sequential([
    DefaultConv2D(filters=64, kernel_size=7, input_shape=[28, 28, 1]),
    keras.layers.MaxPooling2D(pool_size=2),
    DefaultConv2D(filters=128),
    DefaultConv2D(filters=128),
    keras.layers.MaxPooling2D(pool_size=2),
    keras.layers.Flatten(),
    keras.layers.Dense(units=64, activation="relu"),
    keras.layers.Dropout(0.5),
    keras.layers.Dense(units=10, activation="softmax"),
])

RegularizedDense = functools.partial(tf.keras.layers.Dense, activation="elu", kernel_initializer="he_normal",
                                     kernel_regularizer=tf.keras.regularizers.l2(0.01))
mlp = tf.keras.Sequential()
mlp.add(tf.keras.layers.Flatten(input_shape=[28, 28]))
mlp.add(RegularizedDense(100))
mlp.add(RegularizedDense(10, activation="softmax", use_bias=False))

Conv = partial(keras.layers.Conv2D, 16, kernel_size=3, padding="same", use_bias=False)
Deeper = partial(Conv, strides=2)
blocks = [Conv(input_shape=(8, 8, 3)), keras.layers.BatchNormalization(), Deeper(), Conv(kernel_size=1)]
stacked = keras.Sequential(blocks + [keras.layers.GlobalAveragePooling2D()])
