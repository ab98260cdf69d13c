"""Whole scripts as real repositories write them: Keras 2 imports, argparse, training loops, a GAN that
toggles its discriminator's trainability in the loop, checkpoints and weights moved between models."""
import argparse

import numpy as np
from keras.layers import Activation, Conv2D, Dense, Dropout, Flatten, MaxPooling2D
from keras.layers.advanced_activations import LeakyReLU
from keras.layers.normalization import BatchNormalization
from keras.models import Sequential, clone_model

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=2)
parser.add_argument("--hidden", type=int, default=32)
args = parser.parse_args()

x_train = np.zeros((8, 12, 12, 1), dtype="float32")
y_train = np.zeros((8, 10), dtype="float32")

classifier = Sequential()
classifier.add(Conv2D(8, (3, 3), padding="same", input_shape=(12, 12, 1)))
classifier.add(Activation("relu"))
classifier.add(BatchNormalization())
classifier.add(MaxPooling2D(pool_size=(2, 2)))
classifier.add(Dropout(0.25))
classifier.add(Flatten())
classifier.add(Dense(args.hidden))
classifier.add(LeakyReLU(0.2))
classifier.add(Dense(10, activation="softmax"))
classifier.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
for epoch in range(args.epochs):
    classifier.fit(x_train, y_train, batch_size=4, epochs=1, verbose=0)
    loss = classifier.evaluate(x_train, y_train, verbose=0)
classifier.save_weights("/tmp/kspell_classifier.weights.h5")
classifier.load_weights("/tmp/kspell_classifier.weights.h5")
target = clone_model(classifier)  # a DQN-style target network: the same layers, new weights
target.set_weights(classifier.get_weights())

latent = 6
generator = Sequential([Dense(16, input_dim=latent), LeakyReLU(0.2), Dense(12 * 12, activation="tanh")])
discriminator = Sequential([Dense(16, input_dim=12 * 12), LeakyReLU(0.2), Dense(1, activation="sigmoid")])
discriminator.compile(loss="binary_crossentropy", optimizer="adam")
discriminator.trainable = False
gan = Sequential()
gan.add(generator)
gan.add(discriminator)
gan.compile(loss="binary_crossentropy", optimizer="adam")
for epoch in range(args.epochs):
    noise = np.random.normal(0, 1, (4, latent))
    fake = generator.predict(noise, verbose=0)
    discriminator.trainable = True
    discriminator.train_on_batch(fake, np.zeros((4, 1)))
    discriminator.trainable = False
    gan.train_on_batch(noise, np.ones((4, 1)))
generator.save("/tmp/kspell_generator.keras")
