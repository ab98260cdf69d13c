"""The parameter engine: pure layer specs and the stack counter. Imports no ast, flake8 or argparse."""
from . import keras, torch  # noqa: F401  (registers every spec)
from .findings import Finding, InvalidConfig, LimitReached, Mismatch, NeedsInputShape, UnknownValue, UnsupportedLayer
from .spec import REGISTRY, Call, Out
from .stack import Row, StackCount, count_stack
from .values import Layer, Shape, Unknown

__all__ = [
    "REGISTRY", "Call", "Finding", "InvalidConfig", "Layer", "LimitReached", "Mismatch", "NeedsInputShape",
    "Out", "Row", "Shape", "StackCount", "Unknown", "UnknownValue", "UnsupportedLayer", "count_stack",
]
