"""PyTorch ``torch.nn`` module specs, registered under ``torch.nn.<Name>``."""
from . import (  # noqa: F401  (registration happens on import)
    activation,
    conv,
    dropout,
    embedding,
    linear,
    normalization,
    padding,
    parameter,
    parameterless,
    pooling,
    rnn,
    shape,
    transformer,
    upsample,
)
