"""PyTorch ``torch.nn`` module specs, registered under ``torch.nn.<Name>``."""
from . import linear  # noqa: F401  (registration happens on import)
