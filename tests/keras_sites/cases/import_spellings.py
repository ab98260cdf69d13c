"""Every import spelling that reaches Keras: TF1 compat, tf_keras, private module paths, Keras 2 paths."""
import tensorflow.compat.v1 as tf
import tensorflow.compat.v2 as tf2
import tensorflow as tfm
import tf_keras
from tensorflow import keras as tfk
from tensorflow.compat.v1.keras.layers import Conv2D as V1Conv2D
from tensorflow.python.keras.models import Sequential as PySequential
from tensorflow.python.keras.layers import Dense as PyDense, LSTM as PyLSTM
from keras.layers.core import Dense as CoreDense, Flatten as CoreFlatten
from keras.layers.convolutional import Conv1D
from keras.layers.recurrent import GRU as RecurrentGRU
from keras.models import Sequential
from keras.src.layers import Embedding
from keras.src.models.sequential import Sequential as SrcSequential

tf.disable_v2_behavior()

# import tensorflow.compat.v1 as tf, then tf.keras: real TF1-style scripts
compat_v1 = tf.keras.Sequential([
    tf.keras.layers.Dense(64, activation="relu", input_shape=(20,)),
    tf.keras.layers.Dropout(0.5),
    tf.keras.layers.Dense(10, activation="softmax"),
])

compat_v1_add = tf.keras.models.Sequential()
compat_v1_add.add(tf.keras.layers.Embedding(1000, 16, input_shape=(12,)))
compat_v1_add.add(tf.keras.layers.GRU(8))  # Keras's v1 GRU: reset_after=False, one bias row
compat_v1_add.add(tf.keras.layers.Dense(1))

compat_v1_gru_v2 = tf.keras.Sequential([tf.keras.layers.GRU(8, reset_after=True, input_shape=(5, 3))])
v1_conv = tf.keras.Sequential([V1Conv2D(4, 3, input_shape=(8, 8, 1)), tf.keras.layers.Flatten(), tf.keras.layers.Dense(2)])

compat_v2 = tf2.keras.Sequential([tf2.keras.layers.GRU(8, input_shape=(5, 3)), tf2.keras.layers.Dense(2)])
through_compat = tfm.compat.v1.keras.Sequential([tfm.compat.v1.keras.layers.Dense(3, input_dim=4)])
through_compat_v2 = tfm.compat.v2.keras.Sequential([tfm.compat.v2.keras.layers.Dense(3, input_dim=4)])

tfkeras = tf_keras.Sequential([tf_keras.layers.Dense(5, input_shape=(2,)), tf_keras.layers.BatchNormalization()])
from_tensorflow = tfk.models.Sequential([tfk.layers.Conv2D(8, (3, 3), input_shape=(16, 16, 3)), tfk.layers.GlobalMaxPooling2D()])
python_keras = PySequential([PyLSTM(6, input_shape=(7, 2)), PyDense(1)])
keras2_paths = Sequential([Conv1D(4, 3, input_shape=(10, 2)), CoreFlatten(), CoreDense(3)])
keras2_recurrent = Sequential([RecurrentGRU(4, input_shape=(6, 3))])  # Keras 2's layers.recurrent: the v1 GRU
src_paths = SrcSequential([Embedding(50, 4), CoreFlatten()])
src_paths.build((None, 7))
