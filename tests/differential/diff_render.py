"""Renderers: a ``ModelDesc`` as Python source, in the many styles real code uses.

Every stylistic choice (import form, construction form, where the input shape comes from,
literal vs module constant vs arithmetic, positional vs keyword already decided by the recipe)
is drawn by hypothesis, so a failure shrinks to the simplest style that still breaks.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from diff_model import LayerDesc, ModelDesc

KERAS_IMPORTS = ["keras", "layers", "tf_layers", "names", "tf", "models"]
KERAS_FORMS = ["list", "add"]
# Where the input shape comes from. "input_dim" puts input_dim=N on the first layer (a rank-1 input);
# "none" gives no shape at all (Keras does not build the model: paramlint must not count it, or must
# count what any shape gives); "refused" puts batch_input_shape= on the first layer, which Keras 3 refuses.
KERAS_INPUTS = ["Input", "InputLayer", "input_shape", "input_dim", "build", "directive", "none", "refused"]
# layers whose constructor does not forward input_shape= / input_dim= to keras.layers.Layer
INPUT_ARGS_REFUSED = {"SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "Discretization", "Pipeline"}
# layers whose own input_dim is not the input's size (the vocabulary of an Embedding)
OWN_INPUT_DIM = {"Embedding", "ReversibleEmbedding"}
TORCH_IMPORTS = ["nn_alias", "from_torch", "torch", "names"]
TORCH_FORMS = ["args", "ordered", "star", "star_extend"]


@dataclass
class Rendered:
    source: str
    var: str  # the model's variable name
    shapes_known: bool  # paramlint was given the input shape
    style: str
    expect: str = "exact"  # "exact"; "unbuilt": Keras cannot count it; "refused": Keras refuses the source


class Values:
    """Renders values, sometimes through module-level constants and arithmetic on them."""

    def __init__(self, draw: Any, enabled: bool) -> None:
        self.draw = draw
        self.enabled = enabled
        self.lines: list[str] = []
        self.names: dict[int, str] = {}

    def _const(self, value: int) -> str:
        if value not in self.names:
            self.names[value] = f"SIZE_{len(self.names)}"
            self.lines.append(f"{self.names[value]} = {value}")
        return self.names[value]

    def int(self, v: int) -> str:
        if not self.enabled or v < 0:
            return repr(v)
        how = self.draw(st.sampled_from(["literal", "literal", "const", "mul", "floordiv", "add"]))
        if how == "const":
            return self._const(v)
        if how == "mul" and v % 2 == 0 and v > 0:
            return f"{self._const(v // 2)} * 2"
        if how == "floordiv":
            return f"{self._const(v * 2)} // 2"
        if how == "add" and v >= 1:
            return f"{self._const(v - 1)} + 1"
        return repr(v)

    def __call__(self, v: Any) -> str:
        if isinstance(v, bool) or v is None or isinstance(v, (float, str)):
            return repr(v)
        if isinstance(v, int):
            return self.int(v)
        if isinstance(v, tuple):
            inner = ", ".join(self(x) for x in v)
            return f"({inner},)" if len(v) == 1 else f"({inner})"
        if isinstance(v, list):
            return "[" + ", ".join(self(x) for x in v) + "]"
        raise TypeError(f"cannot render {v!r}")


def _call(prefix_of: Any, desc: LayerDesc, values: Values, extra: str = "") -> str:
    parts = []
    for a in desc.args:
        parts.append(_call(prefix_of, a, values) if isinstance(a, LayerDesc) else values(a))
    for k, v in desc.kwargs.items():
        if k.startswith("_"):
            continue
        parts.append(f"{k}=" + (_call(prefix_of, v, values) if isinstance(v, LayerDesc) else values(v)))
    if extra:
        parts.append(extra)
    return f"{prefix_of(desc)}({', '.join(parts)})"


def _class_names(model: ModelDesc) -> list[str]:
    return sorted({d.cls for d in model.all_layers() if d.children is None})


def shared_layers(model: ModelDesc) -> list[LayerDesc]:
    """Layers used more than once (the same instance), in order of first use."""
    seen: dict[int, int] = {}
    order: list[LayerDesc] = []

    def visit(descs: list[LayerDesc]) -> None:
        for desc in descs:
            if id(desc) not in seen:
                seen[id(desc)] = 0
                order.append(desc)
            seen[id(desc)] += 1
            if desc.children is not None:
                visit(desc.children)

    visit(model.layers)
    return [d for d in order if seen[id(d)] > 1]


# ---------------------------------------------------------------- Keras

@st.composite
def render_keras(draw: Any, model: ModelDesc) -> Rendered:
    imp = draw(st.sampled_from(KERAS_IMPORTS))
    form = draw(st.sampled_from(KERAS_FORMS))
    inp = draw(st.sampled_from(KERAS_INPUTS))
    values = Values(draw, draw(st.booleans()))
    var = draw(st.sampled_from(["model", "net", "classifier"]))
    first = model.layers[0]
    plain_first = first.children is None and first.cls not in INPUT_ARGS_REFUSED and first not in shared_layers(model)
    if inp in ("input_shape", "refused") and not plain_first:
        inp = "Input"
    if inp == "input_dim" and not (plain_first and first.cls not in OWN_INPUT_DIM and len(model.input_shape) == 1):
        inp = "Input"
    if draw(st.booleans()):  # the vocabulary and width of an Embedding by keyword: input_dim= is not an input shape
        model = keyword_embeddings(model)
        first = model.layers[0]

    names = _class_names(model)
    if imp == "keras":
        header, lp, seq, kin = ["import keras"], "keras.layers.", "keras.Sequential", "keras.Input"
    elif imp == "layers":
        header, lp, seq, kin = ["import keras", "from keras import layers"], "layers.", "keras.Sequential", "keras.Input"
    elif imp == "tf_layers":
        header, lp, seq, kin = ["from tensorflow import keras", "from tensorflow.keras import layers"], "layers.", "keras.Sequential", "keras.Input"
    elif imp == "tf":
        header, lp, seq, kin = ["import tensorflow as tf"], "tf.keras.layers.", "tf.keras.Sequential", "tf.keras.Input"
    elif imp == "models":
        header, lp, seq, kin = ["from keras import Input, layers, models"], "layers.", "models.Sequential", "Input"
    else:
        extra = ["InputLayer"] if inp == "InputLayer" else []
        header = [f"from keras.layers import {', '.join(names + extra)}", "from keras import Input", "from keras.models import Sequential"]
        lp, seq, kin = "", "Sequential", "Input"
    prefix_of = lambda d: lp + d.cls  # noqa: E731

    shape = values(tuple(model.input_shape))
    dtype = ', dtype="int32"' if model.dtype.startswith("int") else ""
    items = []
    if inp == "Input":
        items.append(f"{kin}(shape={shape}{dtype})")
    elif inp == "InputLayer":
        if draw(st.booleans()):
            items.append(f"{lp}InputLayer(shape={shape}{dtype})")
        else:
            batch = values((None, *model.input_shape))
            items.append(f"{lp}InputLayer(batch_shape={batch}{dtype})")
    shared: dict[int, str] = {}
    defs: list[str] = []

    def layer(desc: LayerDesc, extra: str = "") -> str:
        if id(desc) in shared:
            return shared[id(desc)]
        if desc.children is not None:
            return f"{seq}([" + ", ".join(layer(c) for c in desc.children) + "])"
        return _call(prefix_of, desc, values, extra)

    for i, desc in enumerate(shared_layers(model)):
        defs.append(f"shared_{i} = {layer(desc)}")
        shared[id(desc)] = f"shared_{i}"
    first_extra = ""
    if inp == "input_shape":
        first_extra = f"input_shape={shape}"
    elif inp == "input_dim":
        first_extra = f"input_dim={values(model.input_shape[0])}"
    elif inp == "refused":
        first_extra = f"batch_input_shape={values((None, *model.input_shape))}"
    elif inp == "none" and first.cls == "Embedding" and draw(st.booleans()):
        first_extra = f"input_length={values(model.input_shape[0])}"  # Keras 2 read it; Keras 3 ignores it
    for i, desc in enumerate(model.layers):
        items.append(layer(desc, first_extra if i == 0 else ""))

    directive = f"# paramlint: input-shape={tuple(model.input_shape)!r}".replace(",)", ",)")
    body: list[str] = list(defs)
    if inp == "directive":
        body.append(directive)
    if form == "list":
        body.append(f"{var} = {seq}([")
        body += [f"    {item}," for item in items]
        body.append("])")
    else:
        body.append(f"{var} = {seq}()")
        body += [f"{var}.add({item})" for item in items]
    if inp == "build":
        body.append(f"{var}.build({values((None, *model.input_shape))})")
    source = "\n".join(header + [""] + values.lines + [""] + body) + "\n"
    expect = {"none": "unbuilt", "refused": "refused"}.get(inp, "exact")
    return Rendered(source, var, expect == "exact", f"keras:{imp}/{form}/{inp}/consts={values.enabled}", expect)


def keyword_embeddings(model: ModelDesc) -> ModelDesc:
    """The same model with every Embedding's two positional arguments passed as input_dim= and output_dim=."""

    def convert(desc: LayerDesc) -> LayerDesc:
        if desc.children is not None:
            return LayerDesc(desc.qualname, desc.args, desc.kwargs, [convert(c) for c in desc.children], desc.shape_checked)
        if desc.cls not in OWN_INPUT_DIM or len(desc.args) != 2:
            return desc
        kwargs = {"input_dim": desc.args[0], "output_dim": desc.args[1], **desc.kwargs}
        return LayerDesc(desc.qualname, (), kwargs, None, desc.shape_checked)

    return ModelDesc(model.framework, model.input_shape, [convert(d) for d in model.layers], model.dtype)


# ---------------------------------------------------------------- PyTorch

def _has_lazy(model: ModelDesc) -> bool:
    return any(d.cls.startswith("Lazy") for d in model.all_layers())


@st.composite
def render_torch(draw: Any, model: ModelDesc) -> Rendered:
    imp = draw(st.sampled_from(TORCH_IMPORTS))
    form = draw(st.sampled_from(TORCH_FORMS))
    values = Values(draw, draw(st.booleans()))
    var = draw(st.sampled_from(["model", "net", "encoder"]))
    directive = _has_lazy(model) or draw(st.sampled_from([True, True, True, False]))

    names = _class_names(model)
    if imp == "nn_alias":
        header, p = ["import torch.nn as nn"], "nn."
    elif imp == "from_torch":
        header, p = ["import torch", "from torch import nn"], "nn."
    elif imp == "torch":
        header, p = ["import torch"], "torch.nn."
    else:
        header, p = [f"from torch.nn import {', '.join(sorted(set(names) | {'Sequential'}))}"], ""
    needs_od = form == "ordered" or any(d.kwargs.get("_ordered") for d in model.all_layers())
    if needs_od:
        header.insert(0, "from collections import OrderedDict")

    def prefix_of(d: LayerDesc) -> str:
        return p + d.cls

    shared: dict[int, str] = {}
    defs: list[str] = []

    def layer(desc: LayerDesc) -> str:
        if id(desc) in shared:
            return shared[id(desc)]
        if desc.children is not None:
            inner = [layer(c) for c in desc.children]
            if desc.kwargs.get("_ordered"):
                pairs = ", ".join(f"('l{i}', {x})" for i, x in enumerate(inner))
                return f"{p}Sequential(OrderedDict([{pairs}]))"
            return f"{p}Sequential({', '.join(inner)})"
        return _call(prefix_of, desc, values)

    for i, desc in enumerate(shared_layers(model)):
        defs.append(f"shared_{i} = {layer(desc)}")
        shared[id(desc)] = f"shared_{i}"
    items = [layer(d) for d in model.layers]
    body: list[str] = list(defs)
    if form == "star":
        body.append("layers = []")
        body += [f"layers.append({x})" for x in items]
    elif form == "star_extend":
        half = len(items) // 2
        body.append("layers = [" + ", ".join(items[:half]) + "]")
        if items[half:]:
            body.append("layers.extend([" + ", ".join(items[half:]) + "])")
    if directive:
        body.append(f"# paramlint: input-shape={tuple(model.input_shape)!r}")
    if form == "args":
        body.append(f"{var} = {p}Sequential(")
        body += [f"    {x}," for x in items]
        body.append(")")
    elif form == "ordered":
        body.append(f"{var} = {p}Sequential(OrderedDict([")
        body += [f"    ('layer{i}', {x})," for i, x in enumerate(items)]
        body.append("]))")
    else:
        body.append(f"{var} = {p}Sequential(*layers)")
    source = "\n".join(header + [""] + values.lines + [""] + body) + "\n"
    return Rendered(source, var, directive, f"torch:{imp}/{form}/directive={directive}/consts={values.enabled}")


def exec_source(source: str) -> dict[str, Any]:
    """Execute rendered source with the real framework; tensorflow.keras spellings map to keras."""
    import types

    import keras  # noqa: F401  (only when the source is Keras)

    src = source.replace("from tensorflow.keras import", "from keras import")
    src = src.replace("from tensorflow import keras", "import keras")
    src = src.replace("import tensorflow as tf", "import keras as _keras\ntf = _types.SimpleNamespace(keras=_keras)")
    namespace: dict[str, Any] = {"_types": types}
    exec(compile(src, "<generated>", "exec"), namespace)  # noqa: S102  (our own generated code)
    return namespace


def exec_torch_source(source: str) -> dict[str, Any]:
    namespace: dict[str, Any] = {}
    exec(compile(source, "<generated>", "exec"), namespace)  # noqa: S102
    return namespace
