import numpy as np
import tensorflow as tf
from tensorflow.keras import Model
from tensorflow.keras.layers import Input, Dense, Conv2D, Flatten, MaxPooling2D, Dropout, BatchNormalization


def build_model(input_shape=(28, 28, 1), num_classes=10):
    inp = Input(input_shape)
    x = Conv2D(32, (3, 3), activation="relu")(inp)
    x = MaxPooling2D((2, 2))(x)
    x = Conv2D(64, (3, 3), activation="relu")(x)
    ch = x.shape[-1]
    x = Conv2D(ch * 2, 1)(x)
    x = Flatten()(x)
    x = Dropout(0.5)(x)
    out = Dense(num_classes, activation="softmax")(x)
    return Model(inputs=inp, outputs=out)


cnn = build_model()


class Net(tf.keras.Model):
    def __init__(self, units=[32, 16]):
        super(Net, self).__init__()
        self.denses = [Dense(u) for u in units]
        self.bn = BatchNormalization()
        self.head = Dense(1)

    def call(self, inputs, training=None):
        x = inputs
        for d in self.denses:
            x = tf.keras.activations.relu(d(x))
        x = self.bn(x, training=training)
        return self.head(x)


net = Net()
_ = net(np.zeros((4, 10), dtype="float32"))

net2 = Net(units=[8])
net2.build(input_shape=(None, 10))

net3 = Net()
net3.compile(optimizer="adam", loss="mse")
net3.fit(np.zeros((4, 10)), np.zeros((4, 1)), epochs=1, verbose=0)
# incomplete: net2, net3
