"""Sizes that flow between PyTorch layers when the input shape is not known.

Without an input shape no tensor shape is known, yet ``Linear(10, 20)`` followed by
``Linear(30, 5)`` cannot run. This module follows just the size a layer declares for its
input (features: the last axis; channels: the channel axis) from the layer that produces it,
through the layers that keep it, so such a mismatch is still a PRM201. It never changes a count.
"""
from __future__ import annotations

from typing import Callable, Optional

from ..findings import Finding, Mismatch
from ..spec import Call, Out
from ..values import Layer, Shape

Flow = Optional[tuple[str, int]]  # ("features" | "channels", size)

_ELEMENTWISE = {
    "ReLU", "ReLU6", "LeakyReLU", "PReLU", "ELU", "SELU", "CELU", "GELU", "SiLU", "Mish", "Sigmoid", "Tanh",
    "Softmax", "LogSoftmax", "Softmin", "Softplus", "Softsign", "Hardtanh", "Hardswish", "Hardsigmoid",
    "Hardshrink", "Softshrink", "Tanhshrink", "Threshold", "LogSigmoid", "RReLU", "Identity",
    "Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout", "FeatureAlphaDropout",
}
_KEEPS = {
    "features": _ELEMENTWISE | {"LayerNorm", "BatchNorm1d", "RMSNorm"},
    "channels": _ELEMENTWISE | {"Softmax2d", "LocalResponseNorm", "GroupNorm", "UpsamplingNearest2d", "UpsamplingBilinear2d", "Upsample"}
    | {f"{kind}{n}d" for n in (1, 2, 3) for kind in (
        "BatchNorm", "InstanceNorm", "MaxPool", "AvgPool", "LPPool", "AdaptiveAvgPool", "AdaptiveMaxPool",
        "ReflectionPad", "ReplicationPad", "ZeroPad", "ConstantPad", "CircularPad")},
}
# layer type -> (argument, position, kinds it may consume)
_DECLARES: dict[str, tuple[str, int, tuple[str, ...]]] = {
    "Linear": ("in_features", 0, ("features",)),
    "LayerNorm": ("normalized_shape", 0, ("features",)),
    "GroupNorm": ("num_channels", 1, ("channels",)),
    **{f"{k}{n}d": ("in_channels", 0, ("channels",)) for n in (1, 2, 3) for k in ("Conv", "ConvTranspose")},
    **{f"BatchNorm{n}d": ("num_features", 0, ("channels",) if n > 1 else ("features", "channels")) for n in (1, 2, 3)},
    **{f"InstanceNorm{n}d": ("num_features", 0, ("channels",)) for n in (1, 2, 3)},
}
# layer type -> (argument, position, kind it produces)
_PRODUCES: dict[str, tuple[str, int, str]] = {
    "Linear": ("out_features", 1, "features"),
    "LazyLinear": ("out_features", 0, "features"),
    "Bilinear": ("out_features", 2, "features"),
    "Embedding": ("embedding_dim", 1, "features"),
    **{f"{k}{n}d": ("out_channels", 1, "channels") for n in (1, 2, 3) for k in ("Conv", "ConvTranspose")},
    **{f"Lazy{k}{n}d": ("out_channels", 0, "channels") for n in (1, 2, 3) for k in ("Conv", "ConvTranspose")},
}


def _read(layer: Layer, arg: str, pos: int) -> Optional[int]:
    call = Call(layer, None, _no_run)
    try:
        value = call.raw(arg, pos)
    except Finding:
        return None
    if isinstance(value, tuple) and len(value) == 1:
        value = value[0]
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _no_run(layer: Layer, shape: Optional[Shape]) -> Out:
    raise NotImplementedError  # flow reads arguments only


def check(layer: Layer, flow: Flow) -> Optional[Mismatch]:
    """A Mismatch when the layer declares an input size other than the one flowing in."""
    if flow is None or not layer.qualname.startswith("torch.nn."):
        return None
    declared = _DECLARES.get(layer.type_name)
    if declared is None or flow[0] not in declared[2]:
        return None
    size = _read(layer, declared[0], declared[1])
    if size is None or size == flow[1]:
        return None
    return Mismatch(layer.line, layer.column, layer=layer.type_name, arg=declared[0], declared=size, actual=flow[1])


def after(layer: Layer, flow: Flow) -> Flow:
    """The size flowing out of ``layer``."""
    if not layer.qualname.startswith("torch.nn."):
        return None
    produced = _PRODUCES.get(layer.type_name)
    if produced is not None:
        size = _read(layer, produced[0], produced[1])
        return None if size is None else (produced[2], size)
    if flow is not None and layer.type_name in _KEEPS[flow[0]]:
        return flow
    return None


FlowCheck = Callable[[Layer, Flow], Optional[Mismatch]]
