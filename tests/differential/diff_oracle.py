"""The oracles: the real Keras 3 (torch backend) and PyTorch, driven from a ``ModelDesc``.

Two jobs:

* ``*Tracker``: used *while generating*, it applies each drawn layer to the current symbolic
  tensor (Keras) or to a zeros batch (PyTorch). A layer the framework refuses is simply not
  added, so every generated stack is valid by construction and the generator needs no shape
  rules of its own (which would only re-implement paramlint and share its mistakes).
* ``measure_*``: builds the whole model afresh from the description and returns the facts
  paramlint must reproduce: per-layer params / trainable / non-trainable / output shape
  (without the batch dimension), the totals and the model's output shape.

The frameworks are imported lazily, after ``KERAS_BACKEND`` is set (see conftest.py).
"""
from __future__ import annotations

import math
import os
import warnings
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Optional

from diff_model import LayerDesc, ModelDesc, Shape

os.environ.setdefault("KERAS_BACKEND", "torch")

MAX_ELEMENTS = 4096  # activations per sample: keeps every model build in milliseconds
BATCH = 2


@dataclass
class RowFacts:
    type: str
    params: int
    trainable: int
    non_trainable: int
    shape: Optional[Shape]  # None: the oracle does not know (layer without a forward in a Sequential)
    children: list["RowFacts"] = field(default_factory=list)


@dataclass
class ModelFacts:
    total: int
    trainable: int
    non_trainable: int
    output_shape: Optional[Shape]
    rows: list[RowFacts]


def _fits(shape: Shape) -> bool:
    return all(isinstance(d, int) and d >= 1 for d in shape) and math.prod(shape) <= MAX_ELEMENTS


# ---------------------------------------------------------------- Keras

def _keras() -> Any:
    import keras

    return keras


def build_keras_layer(desc: LayerDesc, memo: Optional[dict[int, Any]] = None) -> Any:
    """A fresh Keras layer; with ``memo``, a description used twice gives one shared instance."""
    if memo is not None and id(desc) in memo:
        return memo[id(desc)]
    keras = _keras()
    if desc.children is not None:
        layer = keras.Sequential([build_keras_layer(c, memo) for c in desc.children])
    else:
        cls = getattr(keras.layers, desc.cls)
        args = [build_keras_layer(a) if isinstance(a, LayerDesc) else a for a in desc.args]
        kwargs = {k: build_keras_layer(v) if isinstance(v, LayerDesc) else v for k, v in desc.kwargs.items() if not k.startswith("_")}
        layer = cls(*args, **kwargs)
    if memo is not None:
        memo[id(desc)] = layer
    return layer


def _keras_numel(weights: Any) -> int:
    return sum(int(math.prod(w.shape)) for w in weights)


class KerasTracker:
    def __init__(self, shape: Shape, dtype: str) -> None:
        keras = _keras()
        self.x = keras.Input(shape=shape, dtype=dtype)
        self.shape: Shape = shape
        self.done = False

    def try_add(self, desc: LayerDesc) -> bool:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                y = build_keras_layer(desc)(self.x)
        except Exception:
            return False
        if not hasattr(y, "shape") or y is self.x:
            # a list (Bidirectional merge_mode=None) cannot flow through a Sequential; a layer
            # returning its own input makes the Sequential graph cyclic (Keras refuses to build it)
            return False  # a list (Bidirectional merge_mode=None...) cannot flow through Sequential
        shape = tuple(y.shape[1:])
        if not _fits(shape):
            return False
        self.x, self.shape = y, shape
        return True


def _keras_shape(layer: Any) -> Optional[Shape]:
    try:
        return tuple(layer.output.shape[1:])
    except Exception:  # a shared layer has several outputs
        return None


def _keras_rows(layers: list[Any], trainable_ids: set[int]) -> list[RowFacts]:
    """Each layer's weights split as the model counts them (``model.summary()``): where Keras's layer-level and
    model-level answers disagree (Bidirectional(..., trainable=False)), the model's is the one paramlint reports."""
    return [
        RowFacts(
            type=type(layer).__name__,
            params=layer.count_params(),
            trainable=_keras_numel([w for w in layer.weights if id(w) in trainable_ids]),
            non_trainable=_keras_numel([w for w in layer.weights if id(w) not in trainable_ids]),
            shape=_keras_shape(layer),
            children=_keras_rows(layer.layers, trainable_ids) if type(layer).__name__ == "Sequential" else [],
        )
        for layer in layers
    ]


def measure_keras(model: ModelDesc) -> ModelFacts:
    keras = _keras()
    memo: dict[int, Any] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        net = keras.Sequential([keras.Input(shape=model.input_shape, dtype=model.dtype)] + [build_keras_layer(d, memo) for d in model.layers])
    return ModelFacts(
        total=net.count_params(),
        trainable=_keras_numel(net.trainable_weights),
        non_trainable=_keras_numel(net.non_trainable_weights),
        output_shape=tuple(net.output_shape[1:]),
        rows=_keras_rows(net.layers, {id(w) for w in net.trainable_weights}),
    )


def keras_model_count(net: Any) -> tuple[int, int, int]:
    return net.count_params(), _keras_numel(net.trainable_weights), _keras_numel(net.non_trainable_weights)


# ---------------------------------------------------------------- PyTorch

# Modules whose forward cannot run inside nn.Sequential (several inputs, or a tuple output the
# next module would choke on). The generator only puts them last; their output shape is taken
# from the first output where there is one, else left unknown.
TORCH_NO_FORWARD = {"Bilinear", "MultiheadAttention", "TransformerDecoderLayer", "TransformerDecoder", "Transformer"}
TORCH_TUPLE_OUT = {"RNN", "LSTM", "GRU", "LSTMCell"}


def _torch() -> Any:
    import torch

    torch.set_num_threads(1)
    return torch


def build_torch_module(desc: LayerDesc, memo: Optional[dict[int, Any]] = None) -> Any:
    """A fresh module; with ``memo``, a description used twice gives one shared instance."""
    if memo is not None and id(desc) in memo:
        return memo[id(desc)]
    torch = _torch()
    if desc.children is not None:
        if desc.kwargs.get("_ordered"):
            module = torch.nn.Sequential(OrderedDict((f"l{i}", build_torch_module(c, memo)) for i, c in enumerate(desc.children)))
        else:
            module = torch.nn.Sequential(*[build_torch_module(c, memo) for c in desc.children])
    else:
        cls = getattr(torch.nn, desc.cls)
        args = [build_torch_module(a) if isinstance(a, LayerDesc) else a for a in desc.args]
        kwargs = {k: build_torch_module(v) if isinstance(v, LayerDesc) else v for k, v in desc.kwargs.items()}
        module = cls(*args, **kwargs)
    if memo is not None:
        memo[id(desc)] = module
    return module


def _zeros(shape: Shape, dtype: str) -> Any:
    torch = _torch()
    return torch.zeros((BATCH, *shape), dtype=getattr(torch, dtype))


def _forward(module: Any, x: Any, desc: LayerDesc) -> Any:
    if desc.cls in TORCH_NO_FORWARD:
        return None
    y = module(x)
    if isinstance(y, tuple):
        y = y[0]
    return y


class TorchTracker:
    def __init__(self, shape: Shape, dtype: str) -> None:
        self.x = _zeros(shape, dtype)
        self.shape: Optional[Shape] = shape
        self.done = False

    def try_add(self, desc: LayerDesc) -> bool:
        torch = _torch()
        try:
            with warnings.catch_warnings(), torch.no_grad():
                warnings.simplefilter("ignore")
                module = build_torch_module(desc).eval()
                y = _forward(module, self.x, desc)
                if y is None and desc.cls in TORCH_NO_FORWARD:
                    _check_no_forward(module, self.x, desc)
        except Exception:
            return False
        if y is None:
            self.done, self.shape = True, None
            return True
        shape = tuple(y.shape[1:])
        if not _fits(shape) or y.dtype not in (torch.float32, torch.int64):
            return False
        if desc.cls in TORCH_TUPLE_OUT:
            self.done = True  # the tuple output stops the Sequential: nothing may follow
        self.x, self.shape = y, shape
        return True


def _check_no_forward(module: Any, x: Any, desc: LayerDesc) -> None:
    """Run the layer the way it is meant to be called, so a generated config is a valid one."""
    if desc.cls == "Bilinear":
        module(x, x[..., : module.in2_features] if x.shape[-1] >= module.in2_features else None)
    elif desc.cls == "MultiheadAttention":
        module(x, x[..., : module.kdim], x[..., : module.vdim]) if module.kdim <= x.shape[-1] else None
    else:
        pass  # decoders / Transformer: construction is the check


def _torch_numel(params: Any) -> tuple[int, int, int]:
    ps = list(params)
    total = sum(p.numel() for p in ps)
    trainable = sum(p.numel() for p in ps if p.requires_grad)
    return total, trainable, total - trainable


def _torch_rows(modules: list[Any], descs: list[LayerDesc], x: Any) -> tuple[list[RowFacts], Any]:
    rows = []
    for module, desc in zip(modules, descs):
        kind = type(module).__name__  # before the forward pass turns LazyLinear into Linear
        children: list[RowFacts] = []
        if desc.children is not None:
            children, y = _torch_rows(list(module), desc.children, x)
        else:
            y = None if x is None else _forward(module, x, desc)
        total, trainable, non_trainable = _torch_numel(module.parameters())
        shape = None if y is None or not desc.shape_checked else tuple(y.shape[1:])
        rows.append(RowFacts(type=kind, params=total, trainable=trainable,
                             non_trainable=non_trainable, shape=shape, children=children))
        x = y
    return rows, x


def measure_torch(model: ModelDesc) -> ModelFacts:
    torch = _torch()
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        memo: dict[int, Any] = {}
        net = torch.nn.Sequential(*[build_torch_module(d, memo) for d in model.layers]).eval()
        # rows follow the description (a shared module appears at each use; nn.Module.children()
        # would list it once); the comparison skips rows for models with sharing
        rows, y = _torch_rows([memo[id(d)] for d in model.layers], model.layers, _zeros(model.input_shape, model.dtype))
    total, trainable, non_trainable = _torch_numel(net.parameters())
    out = rows[-1].shape if rows else None
    return ModelFacts(total=total, trainable=trainable, non_trainable=non_trainable, output_shape=out, rows=rows)


def torch_model_count(net: Any, model: ModelDesc) -> tuple[int, int, int]:
    """Counts of an exec'd model; lazy modules are materialised by the same forward pass first."""
    torch = _torch()
    net.eval()
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        _torch_rows(list(net), model.layers, _zeros(model.input_shape, model.dtype))
    return _torch_numel(net.parameters())
