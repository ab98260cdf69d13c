"""The generator's structured model description, shared by the renderers and the oracles.

A ``LayerDesc`` is one layer call: the class name (``Conv2D``, ``Linear``), the positional and
keyword arguments as plain Python values (ints, floats, strings, bools, None, tuples, nested
``LayerDesc`` for wrappers), and the REGISTRY name it was drawn for (which may be an alias,
``keras.layers.Convolution2D``). A torch ``Sequential`` nested inside a model is a ``LayerDesc``
whose ``children`` hold its layers.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

Shape = tuple[int, ...]


@dataclass
class LayerDesc:
    qualname: str  # the REGISTRY key drawn (``keras.layers.Conv2D``, ``torch.nn.Linear``)
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)
    children: Optional[list["LayerDesc"]] = None  # nested torch nn.Sequential
    shape_checked: bool = True  # False where the oracle's forward pass cannot stand for the layer's shape

    @property
    def cls(self) -> str:
        return self.qualname.rsplit(".", 1)[1]

    def walk(self) -> list["LayerDesc"]:
        out = [self]
        for value in (*self.args, *self.kwargs.values()):
            if isinstance(value, LayerDesc):
                out.extend(value.walk())
        for child in self.children or ():
            out.extend(child.walk())
        return out

    def __repr__(self) -> str:  # readable in hypothesis' falsifying examples
        parts = [repr(a) for a in self.args] + [f"{k}={v!r}" for k, v in self.kwargs.items()]
        if self.children is not None:
            parts = [repr(c) for c in self.children]
        return f"{self.cls}({', '.join(parts)})"


@dataclass
class ModelDesc:
    framework: str  # "keras" | "torch"
    input_shape: Shape  # without the batch dimension
    layers: list[LayerDesc]
    dtype: str = "float32"  # "int32"/"int64" when the first layer is an embedding

    def all_layers(self) -> list[LayerDesc]:
        out: list[LayerDesc] = []
        for layer in self.layers:
            out.extend(layer.walk())
        return out

    def qualnames(self) -> set[str]:
        return {d.qualname for d in self.all_layers()}
