"""Canonical qualified names: every import path of a layer maps to one registry key."""
from __future__ import annotations

from functools import lru_cache
from typing import Optional

from ..engine.spec import ALIASES

KERAS_SEQUENTIAL = "keras.Sequential"
TORCH_SEQUENTIAL = "torch.nn.Sequential"
SEQUENTIALS = {KERAS_SEQUENTIAL: "keras", TORCH_SEQUENTIAL: "torch"}

_KERAS_ROOTS = ("tensorflow.keras.", "tensorflow.python.keras.", "tf_keras.", "keras.src.", "keras.api.", "keras._tf_keras.keras.")
_NOT_LAYERS = ("torch.nn.functional.", "torch.nn.init.", "torch.nn.utils.", "torch.nn.parameter.")


@lru_cache(maxsize=4096)
def canonical(qualname: str) -> str:
    """``tensorflow.keras.layers.core.Dense`` -> ``keras.layers.Dense``; ``torch.nn.modules.linear.Linear`` -> ``torch.nn.Linear``."""
    for root in _KERAS_ROOTS:
        if qualname.startswith(root):
            qualname = "keras." + qualname[len(root):]
            break
    if qualname in ("keras.models.Sequential", "keras.models.sequential.Sequential", "keras.engine.sequential.Sequential"):
        return KERAS_SEQUENTIAL
    if qualname in ("keras.layers.Input", "keras.layers.core.input_layer.Input", "keras.engine.input_layer.Input"):
        return "keras.Input"
    if qualname == "torch.nn.parameter.Parameter":
        return "torch.nn.Parameter"
    last = qualname.rsplit(".", 1)[-1]
    if qualname.startswith("keras.layers.") and last[:1].isupper():
        return ALIASES.get("keras.layers." + last, "keras.layers." + last)  # Convolution2D -> Conv2D
    if qualname.startswith("torch.nn.") and not qualname.startswith(_NOT_LAYERS) and last[:1].isupper():
        return "torch.nn." + last
    return qualname


def framework_of(qualname: str) -> Optional[str]:
    """The framework a canonical layer name belongs to, or None if it is not a framework layer."""
    if qualname in SEQUENTIALS:
        return SEQUENTIALS[qualname]
    if qualname.startswith("keras.layers.") or qualname == "keras.Input":
        return "keras"
    if qualname.startswith("torch.nn.") and qualname.rsplit(".", 1)[-1][:1].isupper():
        return "torch"
    return None


def is_known(qualname: str) -> bool:
    """A canonical name paramlint can count: a Sequential, an Input or a registered layer."""
    from ..engine.spec import REGISTRY

    return qualname in SEQUENTIALS or qualname == "keras.Input" or qualname in REGISTRY
