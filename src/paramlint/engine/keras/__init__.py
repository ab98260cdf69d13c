"""Keras 3 layer specs (also ``tf.keras``), registered under ``keras.layers.<Name>`` and Keras' own aliases."""
from . import (  # noqa: F401  (registration happens on import)
    activation,
    attention,
    conv,
    conv_rnn,
    core,
    einsum,
    features,
    merge,
    normalization,
    pooling,
    preprocessing,
    regularization,
    reshaping,
    rnn,
    separable,
    wrappers,
)
