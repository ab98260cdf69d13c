"""The named parameters of torch layers (``weight``, ``bias``) and their sizes, for what a file does to one
parameter: tie it to another layer's (``head.weight = emb.weight``) or freeze it (``emb.weight.requires_grad = False``).

Only layers whose parameters are ``weight`` and an optional ``bias`` sized by the output are listed; any other
layer answers None, and what the file did to its parameters leaves the count incomplete, never a guess.
"""
from __future__ import annotations

import re
from typing import Callable, Optional

from ..findings import Finding
from ..spec import Call, Out
from ..values import Layer

_WEIGHT_AND_BIAS = {  # qualname pattern -> (position of the output size argument, its name; bias argument and position)
    r"torch\.nn\.Linear": (("out_features", 1), ("bias", 2)),
    r"torch\.nn\.(Conv|ConvTranspose)[123]d": (("out_channels", 1), ("bias", 7)),
}
_WEIGHT_ONLY = (r"torch\.nn\.Embedding", r"torch\.nn\.EmbeddingBag", r"torch\.nn\.RMSNorm")
_AFFINE = r"torch\.nn\.(BatchNorm[123]d|InstanceNorm[123]d|GroupNorm|LayerNorm)"


def _no_run(layer: Layer, shape: object) -> Out:
    raise AssertionError("slots never count nested layers")


def slot_sizes(layer: Layer, out: Out) -> Optional[dict[str, int]]:
    """Each parameter of ``layer`` by name (``""`` for an ``nn.Parameter`` itself), given its counted ``out``."""
    total = out.params
    name = layer.qualname
    if name == "torch.nn.Parameter":
        return {"": total}
    if not total:
        return {}  # activations, pooling, dropout: no parameters of their own
    call = Call(layer, None, _no_run)
    for pattern, ((size_name, size_pos), (bias_name, bias_pos)) in _WEIGHT_AND_BIAS.items():
        if re.fullmatch(pattern, name):
            bias = call.int(size_name, size_pos) if call.bool(bias_name, bias_pos, True) else 0
            return {"weight": total - bias, "bias": bias} if bias else {"weight": total}
    if any(re.fullmatch(p, name) for p in _WEIGHT_ONLY):
        return {"weight": total} if total else {}
    if re.fullmatch(_AFFINE, name):
        if not total:
            return {}
        if name == "torch.nn.LayerNorm" and not call.bool("bias", 3, True):
            return {"weight": total}
        return {"weight": total // 2, "bias": total // 2}
    return None


def slot_names(layer: Layer, count: Callable[[Layer], Out]) -> Optional[list[str]]:
    """The names ``named_parameters()`` gives ``layer``'s own parameters, in order, or None if not known."""
    try:
        sizes = slot_sizes(layer, count(layer))
    except Finding:  # a layer that cannot be counted has no known names
        return None
    return None if sizes is None else list(sizes)
