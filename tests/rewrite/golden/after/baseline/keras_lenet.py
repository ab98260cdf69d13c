"""Worked example C: a LeNet-style network on 32x32x3 inputs (Keras)."""
from keras.layers import Conv2D, Dense, Flatten, MaxPooling2D
from keras.models import Sequential

# paramlint: budget=70k
model = Sequential()  # expect: total=62958 trainable=62958 non_trainable=0
model.add(Conv2D(8, kernel_size=5, strides=1, activation="relu", input_shape=(32, 32, 3)))  # params=608
model.add(MaxPooling2D(pool_size=2))  # params=0
model.add(Conv2D(16, kernel_size=5, activation="relu"))  # params=3216
model.add(MaxPooling2D(pool_size=2))  # params=0
model.add(Flatten())  # params=0
model.add(Dense(120, activation="relu"))  # params=48120
model.add(Dense(84, activation="relu"))  # params=10164
model.add(Dense(10, activation="softmax"))  # params=850
