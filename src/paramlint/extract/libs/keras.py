"""Keras: what the methods of a Sequential do, and freezing with ``trainable``."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...engine.findings import InvalidConfig, UnknownValue
from ...engine.values import Layer, Unknown
from ..handlers import method
from ..objects import FunctionalModel, KerasInstance, ListV, SequentialModel

if TYPE_CHECKING:
    from ..core import Core

Node = Any

# Model methods that read or train the model and change nothing Keras counts
READERS = frozenset({
    "compile", "summary", "fit", "evaluate", "predict", "save", "load_weights", "count_params", "save_weights",
    "get_config", "to_json",
})


@method("keras.sequential", "add", "build", "pop", *READERS, "*")
def sequential_method(it: "Core", model: SequentialModel, name: str, args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    assert model.children is not None
    it.taint(model)
    it.touch(model)
    if name == "add" and len(args) == 1 and it.conditions:
        # added on one path only: the layers after it would be sized from a shape that may not be theirs
        cond = it.conditions[-1]
        model.children.append((None, Unknown(f"a layer is added where {cond.reason}", cond.line, cond.column, limit=cond.limit)))
    elif name == "add" and len(args) == 1:
        model.children.append((None, it.as_layer(args[0], node)))
    elif name == "build":
        shape = args[0] if args else kwargs.get("input_shape")
        if isinstance(shape, ListV):
            shape = tuple(shape.items)
        dims = shape[1:] if isinstance(shape, tuple) and len(shape) >= 1 else None
        if dims is not None and all(d is None or (type(d) is int and d > 0) for d in dims):
            model.build_shape = tuple(dims)
        elif dims is not None and not any(isinstance(d, Unknown) for d in dims):  # 3.5, True, -4: a count from them would be wrong
            reason = f"expected a shape of positive integers or None. Received: {shape!r}"
            model.taint.append(InvalidConfig(*it.pos(node), layer="model.build()", reason=reason))
        else:
            model.taint.append(UnknownValue(*it.pos(node), what="the input shape", reason="model.build() argument not known statically"))
    elif name == "pop" and model.children:
        model.children.pop()
    elif name in READERS:
        return it.unknown(node, f"{name}() result is not evaluated")
    else:
        model.taint.append(UnknownValue(*it.pos(node), what="the layers", reason=f"{name}() on the model is not followed"))
    return None


def set_trainable(it: "Core", target: Any, value: Any, node: Node) -> bool:
    """``layer.trainable = False`` on a Keras layer, or on a Sequential (every layer in it), is exact."""
    if isinstance(target, SequentialModel) and target.framework == "keras":
        if isinstance(value, bool) and not it.conditions:
            for _, child in target.children or []:
                set_trainable(it, child, value, node)
        else:
            target.split_unknown = it.unknown(node, "'.trainable = ...' is not known statically here")
        return True
    if isinstance(target, (FunctionalModel, KerasInstance)):
        # Keras sets trainable on the layer and, recursively, on every layer and weight it tracks
        if isinstance(value, bool) and not it.conditions:
            target.kwargs["trainable"] = value
            inner = target.registered() if isinstance(target, KerasInstance) else iter(target.children or [])
            for _, child in inner:
                set_trainable(it, child, value, node)
        else:
            target.split_unknown = it.unknown(node, "'.trainable = ...' is not known statically here")
        return True
    if isinstance(target, Layer) and target.qualname.startswith("keras.") and target.children is None:
        if isinstance(value, bool) and not it.conditions:
            target.kwargs["trainable"] = value
            target.frozen = not value  # set on the layer, it reaches the layers a wrapper holds (stack.run)
        else:
            target.split_unknown = it.unknown(node, "'.trainable = ...' is not known statically here")
        return True
    return False
