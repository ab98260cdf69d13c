"""Canonical qualified names: every import path of a layer maps to one registry key."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from ..engine.spec import ALIASES

KERAS_SEQUENTIAL = "keras.Sequential"
TORCH_SEQUENTIAL = "torch.nn.Sequential"
SEQUENTIALS = {KERAS_SEQUENTIAL: "keras", TORCH_SEQUENTIAL: "torch"}

# TensorFlow's API modules: tensorflow.keras, tensorflow.compat.v1.keras, tensorflow._api.v2.compat.v2.keras, ...
_TF_KERAS = re.compile(r"tensorflow(?:\._api\.v[12])?(?:\.compat\.v[12])*\.keras\.")
# Other packages and paths that hold the same Keras classes; a True marks Keras's v1 API (tf.compat.v1.keras)
_KERAS_ROOTS = (
    ("tensorflow.python.keras.", False), ("tensorflow.contrib.keras.api.keras.", True), ("tensorflow.contrib.keras.", True),
    ("tf_keras.", False), ("keras.src.", False), ("keras.api._v1.keras.", True), ("keras.api._v2.keras.", False),
    ("keras.api.", False), ("keras._tf_keras.keras.", False),
)
_NOT_LAYERS = ("torch.nn.functional.", "torch.nn.init.", "torch.nn.utils.", "torch.nn.parameter.")
# Keras's v1 GRU (``tf.compat.v1.keras.layers.GRU``, the module ``layers.recurrent`` before Keras 2.9,
# ``layers.rnn.gru_v1``): the same layer with ``reset_after=False`` by default, so one bias row, not two.
KERAS_GRU_V1 = "keras.layers.rnn.gru_v1.GRU"
_V1_GRU_MODULES = ("keras.layers.recurrent.", "keras.layers.rnn.gru_v1.")


def keras_path(qualname: str) -> tuple[str, bool]:
    """Any spelling of a Keras name rooted at ``keras.`` (unchanged if it is none), and whether it is Keras's v1 API."""
    v1 = False
    match = _TF_KERAS.match(qualname)
    if match is not None:
        versions = re.findall(r"\.v([12])\b", match.group(0))
        v1 = bool(versions) and versions[-1] == "1"
        qualname = "keras." + qualname[match.end():]
    stripped = True
    while stripped:  # tf_keras.src.layers..., keras.api._v2.keras.src... : every root goes
        stripped = False
        for root, is_v1 in _KERAS_ROOTS:
            if qualname.startswith(root):
                qualname, v1, stripped = "keras." + qualname[len(root):], v1 or is_v1, True
                break
    return qualname, v1


@lru_cache(maxsize=4096)
def canonical(qualname: str) -> str:
    """``tensorflow.keras.layers.core.Dense`` -> ``keras.layers.Dense``; ``torch.nn.modules.linear.Linear`` -> ``torch.nn.Linear``."""
    qualname, v1 = keras_path(qualname)
    if qualname in ("keras.models.Sequential", "keras.models.sequential.Sequential", "keras.engine.sequential.Sequential"):
        return KERAS_SEQUENTIAL
    if qualname in ("keras.layers.Input", "keras.layers.core.input_layer.Input", "keras.engine.input_layer.Input"):
        return "keras.Input"
    if qualname == "torch.nn.parameter.Parameter":
        return "torch.nn.Parameter"
    last = qualname.rsplit(".", 1)[-1]
    if last == "GRU" and (v1 and qualname.startswith("keras.layers.") or qualname.startswith(_V1_GRU_MODULES)):
        return KERAS_GRU_V1
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
