"""Worked example C: a LeNet-style network on 32x32x3 inputs (Keras)."""
from keras.layers import Conv2D, Dense, Flatten, MaxPooling2D
from keras.models import Sequential

model = Sequential()  # expect: total=62958 trainable=62958 non_trainable=0  # [paramlint] total 62,958 params (all trainable)
model.add(Conv2D(8, kernel_size=5, strides=1, activation="relu", input_shape=(32, 32, 3)))  # params=608  # [paramlint] 608 params, (None, 28, 28, 8)
model.add(MaxPooling2D(pool_size=2))  # params=0  # [paramlint] 0 params, (None, 14, 14, 8)
model.add(Conv2D(16, kernel_size=5, activation="relu"))  # params=3216  # [paramlint] 3,216 params, (None, 10, 10, 16)
model.add(MaxPooling2D(pool_size=2))  # params=0  # [paramlint] 0 params, (None, 5, 5, 16)
model.add(Flatten())  # params=0  # [paramlint] 0 params, (None, 400)
model.add(Dense(120, activation="relu"))  # params=48120  # [paramlint] 48,120 params, (None, 120)
model.add(Dense(84, activation="relu"))  # params=10164  # [paramlint] 10,164 params, (None, 84)
model.add(Dense(10, activation="softmax"))  # params=850  # [paramlint] 850 params, (None, 10)
