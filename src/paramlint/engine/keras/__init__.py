"""Keras 3 layer specs (also ``tf.keras``), registered under ``keras.layers.<Name>``."""
from . import core  # noqa: F401  (registration happens on import)
