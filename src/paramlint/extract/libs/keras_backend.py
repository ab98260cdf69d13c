"""Keras's backend and configuration functions, as a fresh Keras session with the default configuration
answers them (``~/.keras/keras.json`` is not read: the same answer on every machine). Library code written
on Keras (keras.applications) asks them while building a model: the data format picks the channel axis,
``get_uid`` numbers the layers it names, ``is_keras_tensor`` / ``get_source_inputs`` look at an input tensor.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...engine.values import Unknown
from ..handlers import function
from ..objects import KTensor, ListV

if TYPE_CHECKING:
    from ..core import Core

Node = Any


@function("keras.backend.image_data_format", "keras.config.image_data_format")
def image_data_format(it: "Core", args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    return "channels_last"


@function("keras.backend.floatx", "keras.config.floatx")
def floatx(it: "Core", args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    return "float32"


@function("keras.backend.epsilon", "keras.config.epsilon")
def epsilon(it: "Core", args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    return 1e-07  # Keras's default fuzz factor: a scalar in the graph


@function("keras.backend.get_uid", "keras.utils.get_uid")
def get_uid(it: "Core", args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    """1, 2, ... per prefix, as in a fresh session: what library code names its layers with."""
    prefix = args[0] if args else kwargs.get("prefix", "")
    if not isinstance(prefix, str):
        return it.unknown(node, "get_uid() of a prefix not known statically")
    it.keras_uids[prefix] = it.keras_uids.get(prefix, 0) + 1
    return it.keras_uids[prefix]


@function("keras.backend.is_keras_tensor", "keras.utils.is_keras_tensor")
def is_keras_tensor(it: "Core", args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    x = args[0] if args else kwargs.get("x")
    if isinstance(x, Unknown):
        return x
    return isinstance(x, KTensor)


@function("keras.ops.operation_utils.get_source_inputs", "keras.utils.get_source_inputs")
def get_source_inputs(it: "Core", args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    """The Input tensors a tensor comes from: itself when it is one (a tensor computed from others is not followed)."""
    x = args[0] if args else kwargs.get("tensor")
    if isinstance(x, KTensor) and x.node.is_input:
        return ListV([x])
    return it.unknown(node, "the inputs a computed tensor comes from are not followed; pass keras.Input(...) itself")


@function("keras.backend.backend", "keras.config.backend")
def backend(it: "Core", args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    return it.unknown(node, "which Keras backend runs is decided where the model runs (KERAS_BACKEND)")
