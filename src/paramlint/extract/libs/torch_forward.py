"""PyTorch in ``forward()``: the shape of what layers, ``torch.nn.functional`` and tensor methods return.

Only followed when a module's input shape is known (a directive, or a tensor of known shape the file passes
it); anything not clear statically is an unknown shape, never a guess, and counts never depend on it.
A shape here includes the batch dimension, ``None`` when it is not known.
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Optional

from ...engine.findings import Finding
from ...engine.values import Layer
from ..handlers import function, method
from ..objects import ListV, NotModule, TensorV

if TYPE_CHECKING:
    from ..core import Core

Node = Any

RETURNS_PAIR = frozenset({"torch.nn.LSTM", "torch.nn.GRU", "torch.nn.RNN", "torch.nn.MultiheadAttention"})
_SAME = ("relu", "relu6", "gelu", "silu", "elu", "selu", "celu", "leaky_relu", "sigmoid", "tanh", "softmax",
         "log_softmax", "dropout", "dropout1d", "dropout2d", "dropout3d", "hardswish", "hardsigmoid", "mish",
         "normalize", "layer_norm", "softplus", "hardtanh", "glu_", "alpha_dropout")
_POOLS = {f"{kind}_pool{n}d": f"{cls}Pool{n}d" for n in (1, 2, 3)
          for kind, cls in (("max", "Max"), ("avg", "Avg"), ("adaptive_avg", "AdaptiveAvg"), ("adaptive_max", "AdaptiveMax"))}


def broadcast(a: tuple[Optional[int], ...], b: tuple[Optional[int], ...]) -> Optional[tuple[Optional[int], ...]]:
    """The shape of ``a * b`` by torch's broadcasting (sizes aligned from the right, a 1 stretched), or None where the
    sizes clash or a size not known (None) meets one greater than 1 and either might be the result."""
    out: list[Optional[int]] = []
    for i in range(1, max(len(a), len(b)) + 1):
        x = a[-i] if i <= len(a) else 1
        y = b[-i] if i <= len(b) else 1
        if x == y or y == 1:
            out.append(x)
        elif x == 1:
            out.append(y)
        else:
            return None  # different sizes, or one not known beside another greater than 1
    return tuple(reversed(out))


def unknown_shape(it: "Core", node: Node, why: str) -> NotModule:
    return NotModule(f"the shape of {why} is not known statically", *it.pos(node))


def through_layer(it: "Core", layer: Layer, x: TensorV, node: Node) -> Any:
    """A torch layer called on a tensor of known shape: the engine's own shape rule for that layer."""
    from ...engine.stack import Counter

    if layer.seen_input is None:
        layer.seen_input = x.shape[1:]
    try:
        out = Counter("torch").run(layer, x.shape[1:])
    except Finding:
        return unknown_shape(it, node, f"the output of {layer.type_name}")
    if out.shape is None:
        return unknown_shape(it, node, f"the output of {layer.type_name}")
    result = TensorV((x.shape[0], *out.shape))
    if layer.seen_output is None:
        layer.seen_output = out.shape
    if layer.qualname in RETURNS_PAIR:
        return (result, NotModule(f"the state of {layer.type_name}", *it.pos(node)))
    return result


def _same(it: "Core", args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    x = args[0] if args else kwargs.get("input")
    return x if isinstance(x, TensorV) else NotModule("the result of a torch function is not evaluated", *it.pos(node))


def _pool(cls: str) -> Any:
    def fn(it: "Core", args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
        if not args or not isinstance(args[0], TensorV):
            return NotModule("the result of a torch function is not evaluated", *it.pos(node))
        layer = Layer(f"torch.nn.{cls}", tuple(it.plain(a) for a in args[1:]), {k: it.plain(v) for k, v in kwargs.items()}, *it.pos(node))
        return through_layer(it, layer, args[0], node)

    return fn


for _name in _SAME:
    function(f"torch.nn.functional.{_name}")(_same)
# elementwise: the shape is kept (torch.log, exp and sqrt: in torch_data.py, which also evaluates them on known numbers)
for _name in ("relu", "sigmoid", "tanh", "softmax", "log_softmax", "dropout", "abs", "neg", "clone", "reciprocal"):
    function(f"torch.{_name}")(_same)
for _name, _cls in _POOLS.items():
    function(f"torch.nn.functional.{_name}")(_pool(_cls))


def flatten(it: "Core", x: TensorV, start: Any, end: Any, node: Node) -> Any:
    rank = len(x.shape)
    if not (isinstance(start, int) and isinstance(end, int)) or not -rank <= start < rank or not -rank <= end < rank:
        return unknown_shape(it, node, "flatten()")
    start, end = start % rank, end % rank
    if start == 0 and x.shape[0] is None:
        return unknown_shape(it, node, "a flatten() across the batch")
    middle = x.shape[start:end + 1]
    if any(d is None for d in middle):
        return unknown_shape(it, node, "flatten()")
    return TensorV((*x.shape[:start], math.prod(d for d in middle if d is not None), *x.shape[end + 1:]))


@function("torch.flatten")
def _flatten(it: "Core", args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    x = args[0] if args else None
    if not isinstance(x, TensorV):
        return NotModule("the result of torch.flatten is not evaluated", *it.pos(node))
    start = args[1] if len(args) > 1 else kwargs.get("start_dim", 0)
    end = args[2] if len(args) > 2 else kwargs.get("end_dim", -1)
    return flatten(it, x, start, end, node)


@function("torch.cat", "torch.concat", "torch.concatenate")
def _cat(it: "Core", args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    items = it.iterate(args[0]) if args else None
    dim = args[1] if len(args) > 1 else kwargs.get("dim", 0)
    if not items or not all(isinstance(t, TensorV) and len(t.shape) == len(items[0].shape) for t in items) or not isinstance(dim, int):
        return NotModule("the result of torch.cat is not evaluated", *it.pos(node))
    rank = len(items[0].shape)
    if not -rank <= dim < rank or dim % rank == 0:
        return unknown_shape(it, node, "torch.cat()")
    dim %= rank
    if any(t.shape[:dim] + t.shape[dim + 1:] != items[0].shape[:dim] + items[0].shape[dim + 1:] or t.shape[dim] is None for t in items):
        return unknown_shape(it, node, "torch.cat()")
    return TensorV((*items[0].shape[:dim], sum(t.shape[dim] for t in items), *items[0].shape[dim + 1:]))


def _view(it: "Core", x: TensorV, sizes: list[Any], node: Node) -> Any:
    """``x.view(x.size(0), -1)``, ``x.view(-1, 16 * 5 * 5)``, ``x.reshape(b, c, h * w)``."""
    if len(sizes) == 1 and isinstance(sizes[0], (tuple, ListV)):
        sizes = list(sizes[0].items if isinstance(sizes[0], ListV) else sizes[0])
    features = x.shape[1:]
    if any(d is None for d in features) or not all(s is None or (isinstance(s, int) and not isinstance(s, bool)) for s in sizes):
        return unknown_shape(it, node, "view()")
    if x.shape and x.shape[0] is not None and all(isinstance(s, int) and (s > 0 or s == -1) for s in sizes) and sizes.count(-1) <= 1:
        whole, rest = math.prod(d for d in x.shape if d is not None), math.prod(s for s in sizes if s != -1)
        if -1 not in sizes:
            return TensorV(tuple(sizes)) if rest == whole else unknown_shape(it, node, "view()")
        if rest and whole % rest == 0:  # every size known (a parameter's shape): the -1 takes what is left
            return TensorV(tuple(whole // rest if s == -1 else s for s in sizes))
        return unknown_shape(it, node, "view()")
    total = math.prod(d for d in features if d is not None)
    batch = x.shape[0]
    out: list[Optional[int]] = list(sizes)
    if out and (out[0] is batch or (batch is not None and out[0] == batch)) and out[0] != -1:
        known = [s for s in out[1:] if s != -1]
        if out[1:].count(-1) > 1 or any(s is None or s <= 0 for s in known):
            return unknown_shape(it, node, "view()")
        rest = math.prod(s for s in known if s is not None)
        if -1 in out[1:]:
            if rest == 0 or total % rest:
                return unknown_shape(it, node, "view()")
            out[out.index(-1, 1)] = total // rest
        elif rest != total:
            return unknown_shape(it, node, "view()")
        return TensorV(tuple(out))
    if out and out[0] == -1 and batch is None and -1 not in out[1:] and all(isinstance(s, int) and s > 0 for s in out[1:]):
        rest = math.prod(s for s in out[1:] if s is not None)
        if rest and total % rest == 0 and total == rest:
            return TensorV((None, *out[1:]))
    return unknown_shape(it, node, "view()")


_SAME_METHODS = frozenset({"relu", "sigmoid", "tanh", "contiguous", "float", "double", "half", "to", "clone", "detach",
                           "cuda", "cpu", "softmax", "log_softmax", "type_as", "requires_grad_"})


@method("tensor", "*")
def tensor_method(it: "Core", obj: TensorV, name: str, args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    if name in _SAME_METHODS or (name.endswith("_") and not name.startswith("_")):
        return obj  # in-place initialisation (normal_, uniform_, fill_, zero_) and elementwise ops keep the shape
    if name in ("view", "reshape"):
        return _view(it, obj, list(args), node)
    if name == "flatten":
        return flatten(it, obj, args[0] if args else kwargs.get("start_dim", 0), args[1] if len(args) > 1 else kwargs.get("end_dim", -1), node)
    if name == "size" and len(args) == 1 and isinstance(args[0], int) and -len(obj.shape) <= args[0] < len(obj.shape):
        dim = obj.shape[args[0]]
        return dim if dim is not None else None  # the batch size: a view() given it keeps the batch
    if name == "dim" and not args:
        return len(obj.shape)
    return NotModule(f"tensor.{name}() is not evaluated", *it.pos(node))
