"""Keras on symbolic tensors: ``keras.Input``, layers called on tensors, ``keras.Model(inputs, outputs)``,
subclassed models and layers (``call()`` followed, ``build()`` and ``add_weight``), and the operations
(``x + y``, ``keras.ops``, slicing) between layers.

A layer is built by its first call: it records the shapes it was called on, and the engine sizes it from
them when a model holding it is counted. Shapes here include the batch dimension (``None`` when not known);
a tensor whose shape is not known has ``shape=None``, and whatever is sized from it stays incomplete.
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Iterator, Optional

from ...engine.findings import Finding, NeedsInputShape, UnknownValue
from ...engine.graph import Node as GraphNode
from ...engine.graph import operations
from ...engine.keras.inputs import first_layer_shape
from ...engine.spec import Call
from ...engine.values import Layer, Shape, Unknown
from ..handlers import function, method
from . import keras as keras_lib
from .keras import READERS
from ..objects import (
    ClassV, DictV, Func, FunctionalModel, KerasInstance, KTensor, ListV, Method, NotModule, RangeV, Ref, SequentialModel, TensorV,
)

if TYPE_CHECKING:
    from ..core import Core

Node = Any
FullShape = Optional[tuple[Optional[int], ...]]

INPUT = "keras.Input"
LAMBDA = "keras.layers.Lambda"
# The bases a class of the file derives from to be a Keras model or layer (canonical names).
MODEL_BASES = frozenset({"keras.Model", "keras.models.Model", "keras.models.model.Model", "keras.Functional", "keras.models.Functional",
                         "keras.models.functional.Functional", "keras.engine.training.Model"})
LAYER_BASES = MODEL_BASES | frozenset({"keras.layers.Layer", "keras.Layer", "keras.layers.layer.Layer",
                                       "keras.engine.base_layer.Layer"})
# layers.add([a, b]) and the other function forms: the layer they create and call
FUNCTION_FORMS = {f"keras.layers.{fn}": f"keras.layers.{cls}" for fn, cls in (
    ("add", "Add"), ("subtract", "Subtract"), ("multiply", "Multiply"), ("average", "Average"), ("maximum", "Maximum"),
    ("minimum", "Minimum"), ("concatenate", "Concatenate"), ("dot", "Dot"))}
STATES = {"keras.layers.LSTM": 2, "keras.layers.GRU": 1, "keras.layers.SimpleRNN": 1, "keras.layers.ConvLSTM1D": 2,
          "keras.layers.ConvLSTM2D": 2, "keras.layers.ConvLSTM3D": 2}


def keras_base(cls: ClassV) -> Optional[str]:
    """'model' or 'layer' when a class of the file derives from keras.Model / keras.layers.Layer."""
    from ..names import canonical

    found = None
    for base in cls.library_bases():
        if isinstance(base, Ref):
            name = canonical(base.qualname)
            if name in MODEL_BASES:
                return "model"
            if name in LAYER_BASES:
                found = "layer"
    return found


# -- tensors ----------------------------------------------------------------------------------------
def tensors_in(value: Any) -> Iterator[KTensor]:
    """The symbolic tensors in a call argument: itself, or those in a list, tuple or dict of them."""
    if isinstance(value, KTensor):
        yield value
    elif isinstance(value, (ListV, tuple)):
        for item in value.items if isinstance(value, ListV) else value:
            yield from tensors_in(item)
    elif isinstance(value, DictV):  # Keras flattens a dict by its sorted keys
        keys = sorted(value.items) if all(isinstance(k, str) for k in value.items) else list(value.items)
        for key in keys:
            yield from tensors_in(value.items[key])


def has_tensors(args: list[Any], kwargs: dict[str, Any]) -> bool:
    return any(True for a in (*args, *kwargs.values()) for _ in tensors_in(a))


def is_symbolic_call(args: list[Any], kwargs: dict[str, Any]) -> bool:
    return any(True for a in (*args, *kwargs.values()) for _ in tensors_in(a)) or any(isinstance(a, TensorV) for a in args)


def _dims(shape: FullShape) -> Optional[Shape]:
    return None if shape is None else tuple(shape[1:])


def _symbolic(value: Any) -> Any:
    """A concrete tensor (``np.zeros((1, 784))``) passed to a Keras layer acts as a symbolic one of its shape."""
    if isinstance(value, TensorV):
        return KTensor(tuple(value.shape), GraphNode(None, is_input=True))
    return value


def new_tensor(shape: FullShape, op: Any, args: list[Any], kwargs: dict[str, Any]) -> KTensor:
    """The output of ``op`` called on ``args``: linked to the calls that made its tensor arguments."""
    parents: list[GraphNode] = []
    unknown: list[Unknown] = []
    for value in (*args, *kwargs.values()):
        found = list(tensors_in(value))
        parents.extend(t.node for t in found)
        if isinstance(value, Unknown) or isinstance(value, ListV) and any(isinstance(v, Unknown) for v in value.items):
            unknown.append(value if isinstance(value, Unknown) else next(v for v in value.items if isinstance(v, Unknown)))
    return KTensor(shape, GraphNode(op, parents, unknown=unknown))


@function(INPUT)
def keras_input(it: "Core", args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    """``keras.Input(shape=(28, 28, 1), batch_size=32, name=...)``: a symbolic tensor; in a Sequential, its Input."""
    layer = Layer(INPUT, tuple(it.plain(a) for a in args), {k: it.plain(v) for k, v in kwargs.items()}, *it.pos(node))
    shape: FullShape = None
    try:
        dims = first_layer_shape(layer, Call(layer, None, _no_run))
        batch = layer.kwargs.get("batch_size")
        if "batch_shape" in layer.kwargs and isinstance(layer.kwargs["batch_shape"], tuple) and layer.kwargs["batch_shape"]:
            batch = layer.kwargs["batch_shape"][0]
        if dims is not None:
            shape = (batch if isinstance(batch, int) else None, *dims)
    except Finding:
        shape = None  # reported where the layers sized from it are counted
    return KTensor(shape, GraphNode(layer, is_input=True))


def _no_run(layer: Layer, shape: Optional[Shape]) -> Any:
    raise AssertionError("an Input wraps no layer")


# -- calling a layer on tensors ---------------------------------------------------------------------------
def call_layer(it: "Core", layer: Layer, args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    """``layer(x)``, ``layer([a, b])``, ``mha(q, v, key=k)``: the output tensor(s); the first call builds it."""
    args = [_symbolic(a) for a in args]
    positional = list(tensors_in(args[0])) if args and isinstance(args[0], (ListV, tuple)) else [a for a in args if isinstance(a, KTensor)]
    named = {k: v for k, v in kwargs.items() if isinstance(v, KTensor)}
    shapes = [_dims(t.shape) for t in positional]
    named_shapes = {k: _dims(v.shape) for k, v in named.items()}
    first_call = not layer.built
    if first_call:
        layer.built = True
        if it.keras_calls and len(it.conditions) > it.keras_calls[-1]:  # call() calls it on one path only
            layer.build_unknown = it.conditions[-1]
    if isinstance(layer, KerasInstance):
        outputs = call_subclass(it, layer, args, kwargs, node)
    elif isinstance(layer, FunctionalModel):
        outputs = _through_model(layer, [t.shape for t in positional])
    elif isinstance(layer, SequentialModel):
        outputs = _through_sequential(layer, positional[0].shape if positional else None, first_call)
    elif layer.qualname == LAMBDA and id(layer) in it.lambdas:
        outputs = _through_lambda(it, layer, args, kwargs, node, first_call)
    else:
        outputs = _through_layer(layer, shapes, named_shapes, first_call, positional)
    if first_call and not isinstance(layer, (KerasInstance, SequentialModel)):
        layer.seen_input = shapes[0] if shapes else None
        if len(shapes) > 1 or named_shapes:
            layer.seen_inputs, layer.seen_named = tuple(shapes), named_shapes
    results = [new_tensor(shape, layer, args, kwargs) for shape in outputs]
    if first_call:  # layer.input / layer.output: what its first call took and gave
        it.keras_io[id(layer)] = (args[0] if args else None, results[0] if len(results) == 1 else tuple(results))
    if len(results) > 1:
        node0 = results[0].node
        results = [KTensor(r.shape, node0) for r in results]  # one call, several outputs: one node
        return tuple(results)
    return results[0]


def _through_layer(layer: Layer, shapes: list[Optional[Shape]], named: dict[str, Optional[Shape]], first: bool,
                   positional: list[KTensor]) -> list[FullShape]:
    from ...engine.stack import Counter

    batch = positional[0].shape[0] if positional and positional[0].shape else None
    try:
        out = Counter("keras").run(layer, shapes[0] if shapes else None, shapes, named)
        shape: FullShape = None if out.shape is None else (batch, *out.shape)
    except Finding:
        shape = None
    outputs = [shape]
    flags = layer.kwargs
    if flags.get("return_state") is True:
        n = STATES.get(layer.qualname, 1)
        outputs += [None] * n
    if flags.get("return_attention_scores") is True:
        outputs.append(None)
    if layer.qualname == "keras.layers.Bidirectional" and isinstance(layer.kwargs.get("layer"), Layer) \
            and layer.kwargs["layer"].kwargs.get("return_state") is True:
        outputs += [None] * (2 * STATES.get(layer.kwargs["layer"].qualname, 1))
    return outputs


def _through_lambda(it: "Core", layer: Layer, args: list[Any], kwargs: dict[str, Any], node: Node, first: bool) -> list[FullShape]:
    """``layers.Lambda(fn)(x)``: Keras finds its output shape by calling ``fn`` on symbolic tensors; so does paramlint
    (on fresh ones, so the operations inside stay the layer's own)."""
    if it.forwarding >= it.limits.depth or not args:
        return [None]
    fresh = _fresh(args[0])
    extra = layer.kwargs.get("arguments")
    it.forwarding += 1
    try:
        result = it.call(it.lambdas[id(layer)], [fresh], dict(extra) if isinstance(extra, dict) else {}, node)
    finally:
        it.forwarding -= 1
    shape = result.shape if isinstance(result, KTensor) else None
    if shape is None:  # not followed to the end: the output_shape it declares, if any
        positional = list(tensors_in(args[0]))
        return _through_layer(layer, [_dims(t.shape) for t in positional], {}, first, positional)
    if first:
        layer.seen_output = shape[1:]
    return [shape]


def _fresh(value: Any) -> Any:
    """The same tensors, cut from the graph: what a layer's own call() sees."""
    if isinstance(value, KTensor):
        return KTensor(value.shape, GraphNode(None, is_input=True))
    if isinstance(value, (ListV, tuple)):
        items = value.items if isinstance(value, ListV) else list(value)
        return ListV([_fresh(v) for v in items]) if isinstance(value, ListV) else tuple(_fresh(v) for v in items)
    return value


@function(LAMBDA)
def lambda_layer(it: "Core", args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    """``layers.Lambda(fn, output_shape=None, arguments=None)``: the layer, and its function kept to follow."""
    layer = Layer(LAMBDA, tuple(it.plain(a) for a in args), {k: it.plain(v) for k, v in kwargs.items()}, *it.pos(node))
    fn = kwargs.get("function", args[0] if args else None)
    if fn is not None:
        it.lambdas[id(layer)] = fn
    return layer


def _through_sequential(model: SequentialModel, shape: FullShape, first: bool) -> list[FullShape]:
    """A Sequential used as a layer: sized by what it is called on, unless its own Input already built it."""
    from ...engine.stack import Counter

    entries = list(model.children or [])
    own = None
    if entries and isinstance(entries[0][1], Layer):
        try:
            own = first_layer_shape(entries[0][1], Call(entries[0][1], None, _no_run))
        except Finding:
            own = None
    dims = own if own is not None else _dims(shape)
    if first:
        model.seen_input = dims
    try:
        counted = Counter("keras").count(entries, dims)
    except Finding:
        return [None]
    out = counted.output_shape
    batch = shape[0] if shape else None
    return [None if out is None else (batch, *out)]


def build_sequential(it: "Core", model: SequentialModel, node: Node) -> None:
    """A Sequential holding a custom layer of the file, with an input shape: Keras builds it at construction,
    running each layer on symbolic tensors (the custom layer's call() among them); so does paramlint."""
    entries = [child for _, child in model.children or []]
    if not any(isinstance(c, KerasInstance) for c in entries) or not entries or not isinstance(entries[0], Layer):
        return
    try:
        dims = first_layer_shape(entries[0], Call(entries[0], None, _no_run))
    except Finding:
        return
    if dims is None:
        return
    x: Any = KTensor((None, *dims), GraphNode(None, is_input=True))
    for child in entries:
        if isinstance(child, Layer) and child.qualname == INPUT:
            continue
        if not isinstance(child, Layer) or not isinstance(x, KTensor):
            return  # the layers after an unknown one stay unbuilt: reported where they are counted
        x = call_layer(it, child, [x], {}, node)


def _through_model(model: FunctionalModel, shapes: list[FullShape]) -> list[FullShape]:
    """A functional model used as a layer: its outputs' shapes, when called on tensors shaped like its inputs."""
    own = [t.shape for t in model.inputs if isinstance(t, KTensor)]
    fits = len(own) == len(shapes) and all(
        a is not None and b is not None and len(a) == len(b) and all(x is None or y is None or x == y for x, y in zip(a[1:], b[1:]))
        for a, b in zip(own, shapes))
    outs = [t.shape if fits and isinstance(t, KTensor) else None for t in model.outputs] or [None]
    return [None if s is None else (shapes[0][0] if shapes and shapes[0] else None, *s[1:]) for s in outs]


def called_on_data(it: "Core", layer: Layer, node: Node) -> Any:
    """A layer or model called on data paramlint does not follow (``model(x_train)``): Keras builds it then,
    for shapes not known here, so what it holds is sized by nothing known statically."""
    if not layer.built:
        layer.built = True
        if isinstance(layer, KerasInstance):
            layer.build_unknown = it.unknown(node, f"{layer.type_name} is built by a call on data whose shape is not known statically")
    return NotModule(f"the output of {layer.type_name} is not evaluated", *it.pos(node))


# -- subclassed models and layers -----------------------------------------------------------------------
def call_subclass(it: "Core", inst: KerasInstance, args: list[Any], kwargs: dict[str, Any], node: Node) -> list[FullShape]:
    """A class of the file deriving from keras.Model/Layer called on tensors: ``build(input_shape)`` if it has one
    (on the first call), then ``call()`` on fresh tensors of the same shapes, for the shapes it returns."""
    assert inst.cls is not None
    if it.forwarding >= it.limits.depth:
        return [None]
    inner = [KTensor(t.shape, GraphNode(None, is_input=True)) if isinstance(t, KTensor) else t for t in args]
    if args and isinstance(args[0], (ListV, tuple)):
        items = args[0].items if isinstance(args[0], ListV) else list(args[0])
        inner[0] = ListV([KTensor(t.shape, GraphNode(None, is_input=True)) if isinstance(t, KTensor) else t for t in items])
    build, owner = inst.cls.lookup("build")
    it.forwarding += 1
    it.keras_calls.append(len(it.conditions))
    try:
        if not inst.build_ran and isinstance(build, Func) and isinstance(owner, ClassV):
            inst.build_ran = True
            shape_arg: Any = _shape_value(args[0]) if args else None
            it.call_func(build, [inst, shape_arg], {}, node)
        call, owner = inst.cls.lookup("call")
        if not isinstance(call, Func):
            inst.build_unknown = it.unknown(node, f"{inst.type_name} has no call() paramlint can follow")
            return [None]
        result = it.call_func(call, [inst, *inner], kwargs, node)
    finally:
        it.forwarding -= 1
        it.keras_calls.pop()
    first = next(tensors_in(args[0]), None) if args else None
    if first is not None and inst.seen_input is None:
        inst.seen_input = _dims(first.shape)
    if isinstance(result, KTensor):
        inst.seen_output = _dims(result.shape)
        return [result.shape]
    if isinstance(result, (tuple, ListV)):
        items = result.items if isinstance(result, ListV) else list(result)
        return [t.shape if isinstance(t, KTensor) else None for t in items] or [None]
    return [None]


def _shape_value(value: Any) -> Any:
    """What ``build(input_shape)`` is given: the shape (a tuple) of the tensor, or a list of shapes."""
    if isinstance(value, KTensor):
        return value.shape if value.shape is not None else Unknown("the input shape is not known statically")
    if isinstance(value, (ListV, tuple)):
        return ListV([_shape_value(v) for v in (value.items if isinstance(value, ListV) else value)])
    return Unknown("the input shape is not known statically")


@method("keras.subclass", "add_weight")
def add_weight(it: "Core", inst: KerasInstance, name: str, args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    """``self.add_weight(shape=(n, units), trainable=True, name="kernel")`` (Keras 3; tf.keras 2 took the name first)."""
    args = list(args)
    if args and isinstance(args[0], str):
        kwargs = {"name": args.pop(0), **kwargs}
    params = {"shape": args[0] if args else kwargs.get("shape", ())}
    if "trainable" in kwargs:
        params["trainable"] = kwargs["trainable"]
    if isinstance(kwargs.get("name"), str):
        params["name"] = kwargs["name"]
    weight = Layer("keras.Variable", (), {k: it.plain(v) for k, v in params.items()}, *it.pos(node))
    weight.built = True
    key = params.get("name") if isinstance(params.get("name"), str) else f"variable_{len(inst.weights)}"
    inst.weights.append((str(key), weight))
    return KTensor(_weight_shape(weight), GraphNode(weight, is_input=True))


def _weight_shape(weight: Layer) -> FullShape:
    shape = weight.kwargs.get("shape")
    if isinstance(shape, int):
        shape = (shape,)
    if isinstance(shape, tuple) and all(type(d) is int for d in shape):
        return tuple(shape)  # a weight has no batch dimension
    return None


@method("keras.subclass", "build")
def build_model(it: "Core", inst: KerasInstance, name: str, args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    """``model.build((None, 784))``: runs the class's own ``build()``; Keras 3's default builds no layer."""
    assert inst.cls is not None
    build, owner = inst.cls.lookup("build")
    shape = args[0] if args else kwargs.get("input_shape")
    if isinstance(shape, ListV):
        shape = tuple(shape.items)
    if isinstance(build, Func) and isinstance(owner, ClassV):  # reached only through super().build()
        inst.built = inst.build_ran = True
        it.call_func(build, [inst, shape], {}, node)
        return None
    if isinstance(shape, tuple) and shape and all(d is None or type(d) is int for d in shape):
        inst.built = True  # Keras marks it built, with none of its layers' weights created
        line, col = it.pos(node)
        inst.taint.append(NeedsInputShape(line, col, layer=f"its layers ({inst.type_name} has no build() of its own)",
                                          fix="Keras 3's model.build() then creates no weights (count_params() is 0): "
                                              "call the model on keras.Input(shape=...) instead, or give it a build()"))
    return None


@method("keras.subclass", *READERS, "get_layer", "*")
@method("keras.functional", *READERS, "get_layer", "*")
def model_method(it: "Core", model: Layer, name: str, args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    """Training, saving and inspecting a model change none of its weights. ``get_layer`` of a functional model
    finds the layer as for a Sequential; of a subclassed one it is not followed, so a freeze through it makes
    that model's split unknown (its total stays exact)."""
    if name == "get_layer" and isinstance(model, FunctionalModel):
        return keras_lib.get_layer(it, model, args, kwargs, node)
    if name == "get_layer":
        found = it.unknown(node, "get_layer() of a subclassed model is not followed")
        model.split_unknown = model.split_unknown or found
        return NotModule(found.reason, found.line, found.column)
    return it.unknown(node, f"{name}() result is not evaluated")


@method("keras.layer", "build")
def build_layer(it: "Core", layer: Layer, name: str, args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    """``self.dense.build(input_shape)`` in a custom ``build()``: that layer is built for that shape."""
    shape = args[0] if args else kwargs.get("input_shape")
    if isinstance(shape, ListV):
        shape = tuple(shape.items)
    if not layer.built:
        layer.built = True
        layer.seen_input = tuple(shape[1:]) if isinstance(shape, tuple) and shape and all(d is None or type(d) is int for d in shape) else None
    return None


# -- keras.Model(inputs, outputs) ----------------------------------------------------------------------------
@function(*MODEL_BASES)
def functional_model(it: "Core", args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    inputs = kwargs.get("inputs", args[0] if args else None)
    outputs = kwargs.get("outputs", args[1] if len(args) > 1 else None)
    line, col = it.pos(node)
    model = FunctionalModel("keras.Functional", (), {}, line, col, children=[], kind="module", framework="keras")
    name = kwargs.get("name")
    if isinstance(name, str):
        model.name = model.kwargs["name"] = name
    model.inputs, model.outputs = list(tensors_in(inputs)), list(tensors_in(outputs))
    layers, taint = graph_layers(inputs, outputs, line, col)
    model.taint.extend(taint)
    model.layer_list = list(layers)
    model.children = [(None, layer) for layer in layers if layer.qualname != INPUT]
    if model.inputs and model.inputs[0].shape is not None:
        model.seen_input = _dims(model.inputs[0].shape)
    if model.outputs and model.outputs[0].shape is not None:
        model.seen_output = _dims(model.outputs[0].shape)
    model.built = True
    it.taint(model)
    it.new_model(model)
    return model


MODEL_ATTRIBUTES = frozenset({"input", "inputs", "output", "outputs", "layers"})


def model_attribute(model: FunctionalModel, attr: str) -> Any:
    """``base.output`` (transfer learning builds on it), ``model.inputs``, ``model.layers``."""
    if attr == "input":
        return model.inputs[0] if len(model.inputs) == 1 else tuple(model.inputs)
    if attr == "output":
        return model.outputs[0] if len(model.outputs) == 1 else tuple(model.outputs)
    if attr == "layers":  # a functional model's layers begin with its InputLayers (a Sequential's do not)
        return ListV(list(model.layer_list))
    return ListV(list(model.inputs if attr == "inputs" else model.outputs))


def init_base(it: "Core", inst: KerasInstance, args: list[Any], kwargs: dict[str, Any], node: Node) -> None:
    """``super().__init__(name=..., trainable=..., **kwargs)`` in a Keras subclass; with inputs and outputs
    (``super().__init__(inputs, outputs)``) the subclass is a functional model: its layers are the graph's."""
    if isinstance(kwargs.get("name"), str):
        if inst.is_model:
            inst.name = kwargs["name"]
        inst.kwargs["name"] = kwargs["name"]
    if "trainable" in kwargs:
        inst.kwargs["trainable"] = it.plain(kwargs["trainable"])
    inputs = kwargs.get("inputs", args[0] if args else None)
    outputs = kwargs.get("outputs", args[1] if len(args) > 1 else None)
    if inputs is None and outputs is None:
        return None
    line, col = it.pos(node)
    layers, taint = graph_layers(inputs, outputs, line, col)
    inst.taint.extend(taint)
    for i, layer in enumerate(layer for layer in layers if layer.qualname != INPUT):
        inst.attrs[f"<graph {i}>"] = layer
    inst.built = True
    return None


def graph_layers(inputs: Any, outputs: Any, line: int, col: int) -> tuple[list[Layer], list[Finding]]:
    """The layers between ``inputs`` and ``outputs`` in Keras's order (InputLayers too), and why the list may be
    incomplete."""
    taint: list[Finding] = []
    ins, outs = list(tensors_in(inputs)), list(tensors_in(outputs))
    for side, value, found in (("inputs", inputs, ins), ("outputs", outputs, outs)):
        missing = _not_tensors(value)
        if missing is not None or not found:
            reason = missing.reason if missing is not None else f"the model's {side} are not tensors paramlint follows"
            taint.append(UnknownValue(line, col, what="the layers", reason=reason))
    graph = operations([t.node for t in ins], [t.node for t in outs])
    if graph.problem is not None:
        graph.problem.at(line, col)
        taint.append(graph.problem)
    for u in graph.unknown[:1]:
        taint.append(UnknownValue(u.line or line, u.column or col, what="the layers", reason=f"a tensor of the model is not followed: {u.reason}"))
    return [op for op in graph.operations if isinstance(op, Layer)], taint


def _not_tensors(value: Any) -> Optional[Unknown]:
    if isinstance(value, Unknown):
        return value
    if isinstance(value, (ListV, tuple)):
        for item in value.items if isinstance(value, ListV) else value:
            found = _not_tensors(item)
            if found is not None:
                return found
    if isinstance(value, DictV):
        for item in value.items.values():
            found = _not_tensors(item)
            if found is not None:
                return found
    return None


def _merge_function(qual: str) -> Any:
    def fn(it: "Core", args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
        """``layers.add([a, b])``, ``layers.concatenate([...], axis=1)``: Keras makes the layer and calls it."""
        kwargs = dict(kwargs)
        inputs = kwargs.pop("inputs", args[0] if args else None)
        layer = Layer(qual, tuple(it.plain(a) for a in args[1:]), {k: it.plain(v) for k, v in kwargs.items()}, *it.pos(node))
        return call_layer(it, layer, [inputs], {}, node)

    return fn


for _form, _cls in FUNCTION_FORMS.items():
    function(_form)(_merge_function(_cls))


# -- operations on symbolic tensors ------------------------------------------------------------------------
def broadcast(a: FullShape, b: FullShape) -> FullShape:
    if a is None or b is None:
        return None
    out: list[Optional[int]] = []
    for x, y in zip(reversed((None,) * (len(b) - len(a)) + a if len(b) > len(a) else a),
                    reversed((1,) * (len(a) - len(b)) + b if len(a) > len(b) else b)):
        if x == 1:
            out.append(y)
        elif y == 1 or x == y:
            out.append(x)
        elif x is None or y is None:
            out.append(None if x is None and y is None or (x or y) == 1 else x if y is None else y)
        else:
            return None  # Keras refuses it; the layers after it stay unsized
    return tuple(reversed(out))


def binop(op: str, left: Any, right: Any) -> KTensor:
    """``x + y``, ``x * 0.5``, ``1 - x`` on symbolic tensors: an operation of the graph, shapes broadcast."""
    def shape_of(v: Any) -> FullShape:
        if isinstance(v, KTensor):
            return v.shape
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return ()
        return None

    a, b = shape_of(left), shape_of(right)
    shape = None if a is None or b is None else a if b == () else b if a == () else broadcast(a, b)
    if op == "MatrixMultiply":
        shape = _matmul(a, b)
    return new_tensor(shape, ("op", op), [left, right], {})


def _matmul(a: FullShape, b: FullShape) -> FullShape:
    if a is None or b is None or len(a) < 1 or len(b) < 2:
        return None
    if a[-1] is not None and b[-2] is not None and a[-1] != b[-2]:
        return None
    return (*a[:-1], b[-1])


def subscript(x: KTensor, index: Any) -> KTensor:
    """``x[:, 0]``, ``x[..., :3]``, ``x[:, None]``: the shape where every index is known."""
    items = list(index) if isinstance(index, tuple) else [index]
    shape = x.shape
    out: Optional[list[Optional[int]]] = None
    if shape is not None:
        out = []
        dims = list(shape)
        if any(i is Ellipsis for i in items):
            at = items.index(Ellipsis)
            fill = len(dims) - (len([i for i in items if i is not None]) - 1)
            items = items[:at] + [slice(None)] * max(fill, 0) + items[at + 1:]
        pos = 0
        for item in items:
            if item is None:
                out.append(1)
                continue
            if pos >= len(dims):
                out = None
                break
            dim = dims[pos]
            pos += 1
            if isinstance(item, int) and not isinstance(item, bool):
                continue
            if isinstance(item, slice) and all(v is None or type(v) is int for v in (item.start, item.stop, item.step)):
                try:
                    out.append(None if dim is None else len(range(dim)[item]))
                except OverflowError:  # a dimension past sys.maxsize: its slice's size is not followed
                    out.append(None)
                continue
            out = None
            break
        if out is not None:
            out.extend(dims[pos:])
    return new_tensor(None if out is None else tuple(out), ("op", "getitem"), [x], {})


def tensor_attribute(it: "Core", x: KTensor, attr: str, node: Node) -> Any:
    if attr == "shape":
        return x.shape if x.shape is not None else it.unknown(node, "the tensor's shape is not known statically")
    return Method(x, attr)


@method("ktensor", "get_shape")
def get_shape(it: "Core", x: KTensor, name: str, args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    return x.shape if x.shape is not None else it.unknown(node, "the tensor's shape is not known statically")


@method("ktensor", "*")
def tensor_method(it: "Core", x: KTensor, name: str, args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    """``x.reshape(...)``, ``x.numpy()``...: an operation of the graph (shape as ``keras.ops`` gives it)."""
    return tensor_op(it, name, [x, *args], kwargs, node)


@function("numpy.zeros", "numpy.ones", "numpy.empty", "tensorflow.zeros", "tensorflow.ones", "keras.ops.zeros",
          "keras.ops.ones", "tensorflow.random.normal", "tensorflow.random.uniform", "keras.random.normal",
          "keras.random.uniform", "numpy.random.normal", "numpy.random.uniform")
def concrete(it: "Core", args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    """``np.zeros((1, 784))``, ``tf.random.normal((2, 28, 28, 1))``: data of a known shape, to build a model with."""
    shape = kwargs.get("shape", kwargs.get("size", args[0] if args else None))
    shape = tuple(shape.items) if isinstance(shape, ListV) else (shape,) if type(shape) is int else shape
    if isinstance(shape, tuple) and shape and all(type(d) is int and d >= 0 for d in shape):
        return TensorV(shape)
    return NotModule("an array of a shape not known statically", *it.pos(node))


@function("numpy.arange", "keras.ops.arange", "tensorflow.range")
def arange(it: "Core", args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    """``ops.arange(start=0, stop=n)``, ``tf.range(n)``: a vector of known length (position indices)."""
    names = ("start", "stop", "step")
    given = dict(zip(names, args))
    for key, alias in (("start", "start"), ("stop", "stop"), ("stop", "limit"), ("step", "step"), ("step", "delta")):
        if alias in kwargs:
            given[key] = kwargs[alias]
    if len(args) == 1 and "stop" not in kwargs and "limit" not in kwargs:
        given = {"start": 0, "stop": args[0]}
    start, stop, step = given.get("start", 0), given.get("stop"), given.get("step", 1)
    if isinstance(start, int) and isinstance(stop, int) and isinstance(step, int) and step:
        size = RangeV(start, stop, step).size  # exact past sys.maxsize, where len(range(...)) overflows
        if size <= it.limits.items:
            return TensorV((size,))
    return NotModule("a range of a length not known statically", *it.pos(node))


@function("numpy.random.rand", "numpy.random.randn")
def concrete_dims(it: "Core", args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    if args and all(type(d) is int and d >= 0 for d in args):
        return TensorV(tuple(args))
    return NotModule("an array of a shape not known statically", *it.pos(node))


@function("keras.backend.int_shape", "keras.ops.shape", "tensorflow.keras.backend.int_shape", "tensorflow.shape")
def int_shape(it: "Core", args: list[Any], kwargs: dict[str, Any], node: Node) -> Any:
    x = args[0] if args else None
    if isinstance(x, KTensor) and x.shape is not None:
        return x.shape
    return it.unknown(node, "the tensor's shape is not known statically")


# keras.ops / tf functions whose output has the input's shape
SAME_SHAPE = frozenset({
    "relu", "relu6", "sigmoid", "tanh", "gelu", "silu", "swish", "elu", "selu", "softplus", "softsign", "softmax",
    "log_softmax", "exp", "log", "abs", "sqrt", "square", "negative", "rsqrt", "hard_sigmoid", "leaky_relu",
    "l2_normalize", "cast", "stop_gradient", "identity", "sin", "cos", "erf", "mish", "hard_swish", "dropout",
})
BINARY = frozenset({"add", "subtract", "multiply", "divide", "maximum", "minimum", "power", "true_divide", "truediv"})


def tensor_op(it: "Core", qualname: str, args: list[Any], kwargs: dict[str, Any], node: Node) -> KTensor:
    """A ``keras.ops`` / ``tf`` / backend function applied to symbolic tensors: an operation of the graph, with
    the shape for the common ones and an unknown shape for the rest (whatever is sized from it stays unsized)."""
    last = qualname.rsplit(".", 1)[-1]
    x = args[0] if args else kwargs.get("x", kwargs.get("inputs"))
    shape: FullShape = None
    if last in SAME_SHAPE and isinstance(x, KTensor):
        shape = x.shape
    elif last in BINARY and len(args) >= 2:
        return binop(last, args[0], args[1])
    elif last in ("matmul", "dot") and len(args) == 2:
        shape = _matmul(*(a.shape if isinstance(a, KTensor) else None for a in args))
    elif last in ("concatenate", "concat", "stack"):
        shape = _concat(args, kwargs, stack=last == "stack")
    elif last in ("mean", "sum", "max", "min", "reduce_mean", "reduce_sum", "reduce_max", "reduce_min", "prod", "reduce_prod") \
            and isinstance(x, KTensor):
        shape = _reduce(x.shape, kwargs.get("axis", args[1] if len(args) > 1 else None), kwargs.get("keepdims", kwargs.get("keep_dims", False)))
    elif last == "reshape" and isinstance(x, KTensor):
        shape = _reshape(x.shape, kwargs.get("new_shape", kwargs.get("shape", args[1] if len(args) > 1 else None)))
    elif last == "expand_dims" and isinstance(x, KTensor) and x.shape is not None:
        axis = kwargs.get("axis", args[1] if len(args) > 1 else None)
        if type(axis) is int and -len(x.shape) - 1 <= axis <= len(x.shape):
            dims = list(x.shape)
            dims.insert(axis if axis >= 0 else len(dims) + axis + 1, 1)
            shape = tuple(dims)
    elif last in ("transpose", "permute_dimensions") and isinstance(x, KTensor) and x.shape is not None:
        perm = kwargs.get("axes", kwargs.get("perm", kwargs.get("pattern", args[1] if len(args) > 1 else None)))
        perm = tuple(perm.items) if isinstance(perm, ListV) else perm
        if isinstance(perm, tuple) and sorted(perm) == list(range(len(x.shape))):
            shape = tuple(x.shape[p] for p in perm)
        elif perm is None:
            shape = tuple(reversed(x.shape))
    return new_tensor(shape, ("op", last), list(args), dict(kwargs))


def _concat(args: list[Any], kwargs: dict[str, Any], stack: bool) -> FullShape:
    values = args[0] if args else kwargs.get("xs", kwargs.get("values", kwargs.get("tensors")))
    items = list(tensors_in(values))
    axis = kwargs.get("axis", args[1] if len(args) > 1 else 0 if stack else -1)
    if stack or not items or type(axis) is not int or any(t.shape is None for t in items):
        return None
    shapes = [t.shape for t in items if t.shape is not None]
    rank = len(shapes[0])
    if any(len(s) != rank for s in shapes) or not -rank <= axis < rank:
        return None
    axis %= rank
    out: list[Optional[int]] = []
    for d in range(rank):
        col = [s[d] for s in shapes]
        if d == axis:
            out.append(None if any(c is None for c in col) else sum(c for c in col if c is not None))
        else:
            known = {c for c in col if c is not None}
            if len(known) > 1:
                return None
            out.append(known.pop() if known else None)
    return tuple(out)


def _reduce(shape: FullShape, axis: Any, keepdims: Any) -> FullShape:
    if shape is None:
        return None
    axes = tuple(axis.items) if isinstance(axis, ListV) else axis if isinstance(axis, tuple) else (axis,) if type(axis) is int else None
    if axis is None:
        return tuple(1 for _ in shape) if keepdims is True else ()
    if axes is None or not all(type(a) is int and -len(shape) <= a < len(shape) for a in axes):
        return None
    drop = {a % len(shape) for a in axes}
    if keepdims is True:
        return tuple(1 if i in drop else d for i, d in enumerate(shape))
    return tuple(d for i, d in enumerate(shape) if i not in drop)


def _reshape(shape: FullShape, new: Any) -> FullShape:
    """``ops.reshape(x, (-1, 4, 8))``: the batch dimension kept, at most one other -1 solved from the known sizes."""
    new = tuple(new.items) if isinstance(new, ListV) else new
    if shape is None or not isinstance(new, tuple) or not new or not all(type(d) is int for d in new[1:]) or new[0] not in (-1, None):
        return None
    dims = list(new[1:])
    if dims.count(-1) == 1:
        known = shape[1:]
        rest = math.prod(d for d in dims if d != -1)
        if any(d is None for d in known) or not rest or math.prod(d for d in known if d is not None) % rest:
            return None
        dims[dims.index(-1)] = math.prod(d for d in known if d is not None) // rest
    if any(d < 0 for d in dims):
        return None
    return (shape[0], *dims)
