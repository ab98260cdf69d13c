"""Models and layers named by f-strings with format specs, as keras.applications names its models
(f"mobilenet_{alpha:0.2f}_{rows}"): each is the name Keras gives it."""
import keras
from keras import layers


def build(alpha=0.75, rows=96, classes=10):
    inputs = keras.Input((rows, rows, 3))
    x = layers.Conv2D(int(32 * alpha), 3, name=f"conv_{int(alpha * 100):03d}")(inputs)
    x = layers.GlobalAveragePooling2D()(x)
    x = layers.Dense(classes, name=f"logits_{classes:03d}")(x)
    return keras.Model(inputs, x, name=f"mobile_{alpha:0.2f}_{rows}")


small = build()
wide = build(alpha=1.4, rows=128, classes=5)
