"""Random Keras functional graphs and subclassed models, written as source text (for test_diff_keras_graphs.py).

A graph starts from one to three ``keras.Input``s (vectors, sequences, images, token ids) and grows by drawing
operations on the tensors made so far: layers whose output shape the generator tracks so every draw is valid,
merges of tensors of one shape (``Add``, ``Multiply``, ``layers.add``, ``x + y``...) or of one rank
(``Concatenate``), a layer object called on two tensors (shared), a small functional model or Sequential made on
the spot and called as a layer (once or twice), keras.ops and slicing. Outputs are the last tensor plus, for
each input it does not reach, the last tensor that one reaches: one output, a list or a dict. Branches that
lead to no output are left in the source (Keras leaves them out of the model).

A subclassed model holds layers in ``__init__`` (attributes, a list applied in a loop, a Sequential, one never
called) and applies them in ``call()`` (a residual sum where the shape allows, one layer applied twice); it is
built by calling it on ``keras.Input`` or on an array of known shape.

The only facts are Keras's: test_diff_keras_graphs.py executes the source. The generator's shape tracking only
keeps the draws valid; a slip there makes Keras refuse the source, which the test reports as a generator bug.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Callable, Optional

from hypothesis import strategies as st

DIMS = [2, 3, 4, 6, 8]
STEPS = [3, 4, 5, 6]
SIDES = [4, 6, 8]
CHANNELS = [1, 2, 3]

Shape = tuple[int, ...]  # without the batch axis


@dataclass
class Tensor:
    var: str
    shape: Shape
    ints: bool = False  # token ids: only an Embedding reads them
    roots: frozenset[int] = frozenset()  # the inputs it depends on


@dataclass
class Part:
    """A model made in the file and used as a layer of the outer one (or, for a subclass, an attribute)."""

    var: str  # the variable (for a subclass's part, the attribute) it is bound to
    line: int
    kind: str  # functional | sequential
    name: str = ""  # its name=, where the source gives one


@dataclass
class Case:
    source: str
    var: str  # the outermost model's name: its name=, else the variable it is bound to
    binding: str  # that variable
    line: int
    kind: str  # functional | subclass
    parts: list[Part]
    explicit_names: set[str]  # layer and model names the source gives with name=
    style: str


@dataclass
class Spelling:
    """How the file names Keras: one import style per file."""

    style: str
    imports: list[str]
    layer: Callable[[str], str]
    model: str
    inp: str
    seq: str
    ops: str


def _spellings() -> list[Spelling]:
    return [
        Spelling("keras+layers", ["import keras", "from keras import layers, ops"],
                 lambda n: f"layers.{n}", "keras.Model", "keras.Input", "keras.Sequential", "ops"),
        Spelling("keras.layers", ["import keras"],
                 lambda n: f"keras.layers.{n}", "keras.Model", "keras.layers.Input", "keras.Sequential", "keras.ops"),
        Spelling("tf.keras", ["import tensorflow as tf", "from keras import ops"],
                 lambda n: f"tf.keras.layers.{n}", "tf.keras.Model", "tf.keras.Input", "tf.keras.Sequential", "ops"),
        Spelling("from-imports", ["from keras import Input, Model, Sequential, layers, ops"],
                 lambda n: f"layers.{n}", "Model", "Input", "Sequential", "ops"),
    ]


class Writer:
    """The lines of one file, with fresh variable and layer names."""

    def __init__(self, draw: Any, sp: Spelling) -> None:
        self.draw = draw
        self.sp = sp
        self.lines: list[str] = []
        self.counter = 0
        self.explicit: set[str] = set()
        self.parts: list[Part] = []

    def fresh(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def emit(self, line: str) -> int:
        self.lines.append(line)
        return len(self.sp.imports) + len(self.lines) + 1  # a blank line after the imports

    def name_kw(self, prefix: str) -> str:
        if self.draw(st.integers(0, 5)) == 0:
            name = self.fresh(prefix + "_n")
            self.explicit.add(name)
            return f"name={name!r}"
        return ""

    def source(self) -> str:
        return "\n".join(self.sp.imports + [""] + self.lines) + "\n"


def _args(*items: str) -> str:
    return ", ".join(i for i in items if i)


# ---- layers on one tensor: (source of the layer, output shape), or None where the shape does not allow it


def _layer_choices(w: Writer, t: Tensor) -> list[Callable[[], tuple[str, Shape, bool]]]:
    L = w.sp.layer
    d = w.draw
    s = t.shape
    out: list[Callable[[], tuple[str, Shape, bool]]] = []
    if t.ints:
        def emb() -> tuple[str, Shape, bool]:
            vocab, dim = d(st.integers(5, 30)), d(st.sampled_from(DIMS))
            return f"{L('Embedding')}({_args(str(vocab), str(dim), w.name_kw('emb'))})", s + (dim,), False
        return [emb]

    def dense() -> tuple[str, Shape, bool]:
        u = d(st.sampled_from(DIMS))
        bias = "" if d(st.booleans()) else "use_bias=False"
        act = d(st.sampled_from(["", "activation='relu'"]))
        return f"{L('Dense')}({_args(str(u), act, bias, w.name_kw('fc'))})", s[:-1] + (u,), False

    def same(name: str, args: str = "") -> Callable[[], tuple[str, Shape, bool]]:
        return lambda: (f"{L(name)}({_args(args, w.name_kw(name.lower()[:4]))})", s, False)

    out += [dense, dense, same("Dropout", "0.1"), same("BatchNormalization"), same("LayerNormalization"),
            same("Activation", "'tanh'")]
    if d(st.integers(0, 3)) == 0:
        out.append(lambda: (f"{L('Dense')}({s[-1]}, trainable=False)", s, False))
        out.append(same("BatchNormalization", "trainable=False"))
    if len(s) == 1:
        if s[0] % 2 == 0:
            out.append(lambda: (f"{L('Reshape')}(({s[0] // 2}, 2))", (s[0] // 2, 2), False))
        out.append(lambda: (f"{L('RepeatVector')}(3)", (3, s[0]), False))
    if len(s) == 2:
        def rnn() -> tuple[str, Shape, bool]:
            kind = d(st.sampled_from(["LSTM", "GRU", "SimpleRNN"]))
            u = d(st.sampled_from(DIMS))
            seqs = d(st.booleans())
            frozen = "trainable=False" if d(st.integers(0, 4)) == 0 else ""
            layer = f"{L(kind)}({_args(str(u), 'return_sequences=True' if seqs else '', w.name_kw('rnn'))})"
            if d(st.integers(0, 3)) == 0:  # perhaps frozen: Keras's model-level split differs from the layer's
                return f"{L('Bidirectional')}({_args(layer, frozen)})", ((s[0], 2 * u) if seqs else (2 * u,)), False
            if frozen:
                layer = layer[:-1] + ", trainable=False)"
            return layer, ((s[0], u) if seqs else (u,)), False

        def time_distributed() -> tuple[str, Shape, bool]:
            u = d(st.sampled_from(DIMS))
            frozen = ", trainable=False" if d(st.integers(0, 3)) == 0 else ""
            return f"{L('TimeDistributed')}({L('Dense')}({u}){frozen})", (s[0], u), False

        def conv1d() -> tuple[str, Shape, bool]:
            f, k = d(st.sampled_from(DIMS)), d(st.integers(1, 3))
            valid = k <= s[0] and d(st.booleans())
            steps = s[0] - k + 1 if valid else s[0]
            pad = "" if valid else "padding='same'"
            return f"{L('Conv1D')}({_args(str(f), str(k), pad)})", (steps, f), False

        def mha() -> tuple[str, Shape, bool]:
            h, k = d(st.integers(1, 2)), d(st.sampled_from([2, 3, 4]))
            return f"{L('MultiHeadAttention')}(num_heads={h}, key_dim={k})", s, True

        out += [rnn, rnn, conv1d, mha, time_distributed, lambda: (f"{L('GlobalAveragePooling1D')}()", (s[1],), False),
                lambda: (f"{L('Flatten')}()", (s[0] * s[1],), False)]
        if s[0] >= 2:
            out.append(lambda: (f"{L('MaxPooling1D')}(2)", (s[0] // 2, s[1]), False))
    if len(s) == 3:
        def conv2d() -> tuple[str, Shape, bool]:
            f, k = d(st.sampled_from(DIMS)), d(st.integers(1, 3))
            valid = k <= min(s[0], s[1]) and d(st.booleans())
            hw = (s[0] - k + 1, s[1] - k + 1) if valid else s[:2]
            name = d(st.sampled_from(["Conv2D", "Conv2D", "SeparableConv2D"]))
            pad = "" if valid else "padding='same'"
            return f"{L(name)}({_args(str(f), str(k), pad, w.name_kw('conv'))})", hw + (f,), False

        out += [conv2d, conv2d, lambda: (f"{L('DepthwiseConv2D')}(3, padding='same')", s, False),
                lambda: (f"{L(d(st.sampled_from(['GlobalAveragePooling2D', 'GlobalMaxPooling2D'])))}()", (s[2],), False),
                lambda: (f"{L('Flatten')}()", (s[0] * s[1] * s[2],), False)]
        if min(s[0], s[1]) >= 2:
            out.append(lambda: (f"{L('MaxPooling2D')}()", (s[0] // 2, s[1] // 2, s[2]), False))
        if max(s[0], s[1]) <= 8:
            out.append(lambda: (f"{L('Conv2DTranspose')}({d(st.sampled_from(DIMS))}, 2, strides=2)", None, False))
            out.append(lambda: (f"{L('ZeroPadding2D')}(1)", (s[0] + 2, s[1] + 2, s[2]), False))

        def strided() -> tuple[str, Shape, bool]:  # 'same' with a stride: ceil(side / stride)
            f, k, st_ = d(st.sampled_from(DIMS)), d(st.integers(1, 3)), d(st.integers(2, 3))
            return (f"{L('Conv2D')}({f}, {k}, strides={st_}, padding='same')",
                    (-(-s[0] // st_), -(-s[1] // st_), f), False)
        out.append(strided)
        if min(s[0], s[1]) >= 3:
            out.append(lambda: (f"{L('MaxPooling2D')}(pool_size=3, strides=2)",
                                ((s[0] - 3) // 2 + 1, (s[1] - 3) // 2 + 1, s[2]), False))
    return out


def _apply_layer(w: Writer, t: Tensor) -> Tensor:
    choice = w.draw(st.sampled_from(_layer_choices(w, t)))
    layer, shape, attention = choice()
    if shape is None:  # Conv2DTranspose: its filters are in the source
        filters = int(layer.split("(")[1].split(",")[0])
        shape = (t.shape[0] * 2, t.shape[1] * 2, filters)
    var = w.fresh("x")
    call = f"({t.var}, {t.var})" if attention else f"({t.var})"
    if w.draw(st.integers(0, 2)) == 0:  # the layer object first, then the call
        obj = w.fresh("layer")
        w.emit(f"{obj} = {layer}")
        if w.draw(st.integers(0, 4)) == 0:
            w.emit(f"{obj}.trainable = False")
        w.emit(f"{var} = {obj}{call}")
    else:
        w.emit(f"{var} = {layer}{call}")
    return Tensor(var, shape, False, t.roots)


def _shared(w: Writer, a: Tensor, b: Tensor) -> list[Tensor]:
    u = w.draw(st.sampled_from(DIMS))
    obj = w.fresh("shared")
    w.emit(f"{obj} = {w.sp.layer('Dense')}({u})")
    out = []
    for t in (a, b):
        var = w.fresh("x")
        w.emit(f"{var} = {obj}({t.var})")
        out.append(Tensor(var, t.shape[:-1] + (u,), False, t.roots))
    return out


def _merge(w: Writer, a: Tensor, b: Tensor) -> Tensor:
    L = w.sp.layer
    var = w.fresh("m")
    roots = a.roots | b.roots
    if a.shape == b.shape:
        forms = ["Add", "Multiply", "Average", "Maximum", "Minimum", "Subtract", "add", "+", "*", "Concatenate"]
        form = w.draw(st.sampled_from(forms + (["Dot"] if len(a.shape) == 1 else [])))
        if form == "Dot":
            w.emit(f"{var} = {L('Dot')}(axes=1)([{a.var}, {b.var}])")
            return Tensor(var, (1,), False, roots)
        if form in ("+", "*"):
            w.emit(f"{var} = {a.var} {form} {b.var}")
        elif form == "add":
            w.emit(f"{var} = {L('add')}([{a.var}, {b.var}])")
        elif form != "Concatenate":
            w.emit(f"{var} = {L(form)}()([{a.var}, {b.var}])")
        if form != "Concatenate":
            return Tensor(var, a.shape, False, roots)
    form = w.draw(st.sampled_from(["Concatenate", "concatenate", "ops"]))
    pair = f"[{a.var}, {b.var}]"
    if form == "Concatenate":
        w.emit(f"{var} = {L('Concatenate')}(axis=-1)({pair})")
    elif form == "concatenate":
        w.emit(f"{var} = {L('concatenate')}({pair})")
    else:
        w.emit(f"{var} = {w.sp.ops}.concatenate({pair}, axis=-1)")
    return Tensor(var, a.shape[:-1] + (a.shape[-1] + b.shape[-1],), False, roots)


def _op(w: Writer, t: Tensor) -> Tensor:
    var = w.fresh("o")
    ops = w.sp.ops
    if len(t.shape) == 2 and w.draw(st.booleans()):
        form = w.draw(st.sampled_from(["slice", "mean"]))
        w.emit(f"{var} = {t.var}[:, 0]" if form == "slice" else f"{var} = {ops}.mean({t.var}, axis=1)")
        return Tensor(var, t.shape[1:], False, t.roots)
    if w.draw(st.integers(0, 4)) == 0:  # a Lambda: Keras runs the function on the symbolic tensor for the shape
        shape = f", output_shape={t.shape!r}" if w.draw(st.booleans()) else ""
        w.emit(f"{var} = {w.sp.layer('Lambda')}(lambda t: {ops}.square(t){shape})({t.var})")
        return Tensor(var, t.shape, False, t.roots)
    form = w.draw(st.sampled_from([f"{t.var} * 2.0", f"{ops}.relu({t.var})", f"{t.var} - 1.0", f"{ops}.tanh({t.var})"]))
    w.emit(f"{var} = {form}")
    return Tensor(var, t.shape, False, t.roots)


def _sub_model(w: Writer, t: Tensor, twice: Optional[Tensor]) -> list[Tensor]:
    """A small vector model (functional or Sequential) made here and called on ``t`` (and ``twice``)."""
    d = w.draw
    L = w.sp.layer
    widths = d(st.lists(st.sampled_from(DIMS), min_size=1, max_size=3))
    shape = t.shape[:-1] + (widths[-1],)
    kind = d(st.sampled_from(["functional", "sequential"]))
    var = w.fresh("sub")
    named = d(st.integers(0, 2)) == 0
    name = f", name={var + '_net'!r}" if named else ""
    if named:
        w.explicit.add(var + "_net")
    if kind == "functional":
        i = w.fresh("si")
        w.emit(f"{i} = {w.sp.inp}(shape={t.shape!r})")
        h = i
        for u in widths:
            nh = w.fresh("sh")
            w.emit(f"{nh} = {L('Dense')}({u})({h})")
            h = nh
        line = w.emit(f"{var} = {w.sp.model}({i}, {h}{name})")
    else:
        items = ", ".join(f"{L('Dense')}({u})" for u in widths)
        if d(st.booleans()):
            items = f"{w.sp.inp}(shape={t.shape!r}), " + items
        line = w.emit(f"{var} = {w.sp.seq}([{items}]{name})")
    w.parts.append(Part(var, line, kind, var + "_net" if named else ""))
    if d(st.integers(0, 3)) == 0:
        w.emit(f"{var}.trainable = False")  # frozen where it is used: the outer model's trainable count drops
    out = []
    for src in [t] + ([twice] if twice is not None else []):
        o = w.fresh("x")
        w.emit(f"{o} = {var}({src.var})")
        out.append(Tensor(o, shape, False, src.roots))
    return out


def _helper_blocks(w: Writer, t: Tensor) -> Tensor:
    """A block written as a helper function (``def block(x, units): ...; return x``) called in a loop over widths;
    the residual sum is taken where the width does not change (the helper reads ``x.shape[-1]``)."""
    L = w.sp.layer
    fn = w.fresh("block")
    norm = w.draw(st.sampled_from(["BatchNormalization", "LayerNormalization", ""]))
    w.emit(f"def {fn}(x, units):")
    w.emit("    y = " + f"{L('Dense')}(units)(x)")
    if norm:
        w.emit(f"    y = {L(norm)}()(y)")
    w.emit("    if x.shape[-1] == units:")
    w.emit(f"        y = {L('Add')}()([x, y])")
    w.emit(f"    return {L('Activation')}('relu')(y)")
    widths = w.draw(st.lists(st.sampled_from(DIMS + [t.shape[-1]]), min_size=1, max_size=3))
    var = w.fresh("x")
    w.emit(f"{var} = {t.var}")
    w.emit(f"for units in {widths!r}:")
    w.emit(f"    {var} = {fn}({var}, units)")
    return Tensor(var, t.shape[:-1] + (widths[-1],), False, t.roots)


def _custom_layer(w: Writer, t: Tensor) -> Tensor:
    """A layer class of the file: its weights made in build(input_shape) by add_weight, one of them perhaps not
    trainable (a running statistic)."""
    cls = f"Gain{w.fresh('')}"
    w.emit(f"class {cls}({w.sp.layer('Layer')}):")
    w.emit("    def build(self, input_shape):")
    w.emit("        self.gain = self.add_weight(shape=(input_shape[-1],), initializer='ones')")
    stat = w.draw(st.booleans())
    if stat:
        w.emit("        self.seen = self.add_weight(shape=(input_shape[-1], 2), initializer='zeros', trainable=False)")
    w.emit("")
    w.emit("    def call(self, x):")
    w.emit("        return x * self.gain")
    var = w.fresh("x")
    w.emit(f"{var} = {cls}()({t.var})")
    return Tensor(var, t.shape, False, t.roots)


def _input(w: Writer, index: int) -> Tensor:
    d = w.draw
    kind = d(st.sampled_from(["vector", "sequence", "sequence", "image", "tokens"]))
    if kind == "vector":
        shape: Shape = (d(st.sampled_from(DIMS)),)
    elif kind == "sequence":
        shape = (d(st.sampled_from(STEPS)), d(st.sampled_from(DIMS)))
    elif kind == "image":
        side = d(st.sampled_from(SIDES))
        shape = (side, side, d(st.sampled_from(CHANNELS)))
    else:
        shape = (d(st.sampled_from(STEPS)),)
    var = w.fresh("inp")
    dtype = ", dtype='int32'" if kind == "tokens" else ""
    if w.draw(st.integers(0, 3)) == 0 and not dtype:
        w.emit(f"{var} = {w.sp.inp}({shape!r})")  # the shape given positionally
    else:
        w.emit(f"{var} = {w.sp.inp}(shape={shape!r}{dtype})")
    return Tensor(var, shape, kind == "tokens", frozenset([index]))


@st.composite
def functional_cases(draw: Any) -> Case:
    sp = draw(st.sampled_from(_spellings()))
    w = Writer(draw, sp)
    n_inputs = draw(st.sampled_from([1, 1, 2, 2, 3]))
    inputs = [_input(w, i) for i in range(n_inputs)]
    made: list[Tensor] = list(inputs)
    for _ in range(draw(st.integers(2, 7))):
        floats = [t for t in made if not t.ints]
        move = draw(st.sampled_from(["layer", "layer", "layer", "merge", "shared", "sub", "op", "helper", "custom"]))
        pairs = [(a, b) for a in floats for b in floats if a is not b and len(a.shape) == len(b.shape)
                 and a.shape[:-1] == b.shape[:-1]]
        same = [(a, b) for a, b in pairs if a.shape == b.shape]
        if move == "merge" and pairs:
            a, b = draw(st.sampled_from(pairs))
            made.append(_merge(w, a, b))
        elif move == "shared" and same:
            a, b = draw(st.sampled_from(same))
            made += _shared(w, a, b)
        elif move == "sub" and floats:
            t = draw(st.sampled_from(floats))
            twins = [b for a, b in same if a is t]
            twice = draw(st.sampled_from(twins)) if twins and draw(st.booleans()) else None
            made += _sub_model(w, t, twice)
        elif move == "custom" and floats:
            made.append(_custom_layer(w, draw(st.sampled_from(floats))))
        elif move == "helper" and floats:
            made.append(_helper_blocks(w, draw(st.sampled_from(floats))))
        elif move == "op" and floats:
            made.append(_op(w, draw(st.sampled_from(floats))))
        else:
            made.append(_apply_layer(w, draw(st.sampled_from(made[-3:]))))
    outputs = [made[-1]]
    for i, inp in enumerate(inputs):
        if not any(i in o.roots for o in outputs):
            outputs.append(next(t for t in reversed(made) if i in t.roots))
    outputs = [o if not o.ints else _apply_layer(w, o) for o in outputs]  # an output of raw ids: embed it first
    ins = inputs[0].var if n_inputs == 1 and draw(st.booleans()) else "[" + ", ".join(t.var for t in inputs) + "]"
    form = draw(st.sampled_from(["single", "list", "dict"])) if len(outputs) > 1 else draw(st.sampled_from(["single", "list"]))
    if form == "single" and len(outputs) == 1:
        outs = outputs[0].var
    elif form == "dict":  # keys in any order: Keras orders a dict's outputs by key
        keys = draw(st.permutations(["score", "aux", "mask", "label"]))
        outs = "{" + ", ".join(f"'{k}': {o.var}" for k, o in zip(keys, outputs)) + "}"
    else:
        outs = "[" + ", ".join(o.var for o in outputs) + "]"
    name = ""
    if draw(st.integers(0, 3)) == 0:
        name = ", name='graph'"
        w.explicit.add("graph")
    keywords = draw(st.booleans())
    args = f"inputs={ins}, outputs={outs}" if keywords else f"{ins}, {outs}"
    line = w.emit(f"model = {sp.model}({args}{name})")
    return Case(w.source(), "graph" if name else "model", "model", line, "functional", w.parts, w.explicit,
                f"functional/{sp.style}")


# ---- subclassed models


@dataclass
class _Attr:
    name: str
    source: str
    used: bool = True


@dataclass
class _Sub:
    attrs: list[_Attr] = field(default_factory=list)
    call: list[str] = field(default_factory=list)


@st.composite
def subclass_cases(draw: Any) -> Case:
    sp = draw(st.sampled_from(_spellings()))
    L = sp.layer
    kind = draw(st.sampled_from(["vector", "vector", "sequence", "image"]))
    if kind == "vector":
        shape: Shape = (draw(st.sampled_from(DIMS)),)
    elif kind == "sequence":
        shape = (draw(st.sampled_from(STEPS)), draw(st.sampled_from(DIMS)))
    else:
        side = draw(st.sampled_from(SIDES))
        shape = (side, side, draw(st.sampled_from(CHANNELS)))
    body = _Sub()
    n = 0
    cur = shape

    def attr(prefix: str, source: str) -> str:
        nonlocal n
        n += 1
        name = f"{prefix}{n}"
        body.attrs.append(_Attr(name, source))
        return name

    if len(cur) == 3:
        f = draw(st.sampled_from(DIMS))
        a = attr("conv", f"{L('Conv2D')}({f}, 3, padding='same')")
        body.call.append(f"x = self.{a}(x)")
        cur = cur[:2] + (f,)
        if draw(st.booleans()):
            a = attr("bn", f"{L('BatchNormalization')}()")
            body.call.append(f"x = self.{a}(x)")
        a = attr("pool", f"{L('GlobalAveragePooling2D')}()")
        body.call.append(f"x = self.{a}(x)")
        cur = (f,)
    elif len(cur) == 2:
        u = draw(st.sampled_from(DIMS))
        a = attr("rnn", f"{L(draw(st.sampled_from(['LSTM', 'GRU'])))}({u})")
        body.call.append(f"x = self.{a}(x)")
        cur = (u,)
    for _ in range(draw(st.integers(1, 4))):
        move = draw(st.sampled_from(["dense", "dense", "list", "residual", "twice", "seq", "unused", "norm"]))
        d = cur[-1]
        if move == "list":
            widths = draw(st.lists(st.sampled_from(DIMS), min_size=1, max_size=3))
            items = ", ".join(f"{L('Dense')}({u})" for u in widths)
            a = attr("blocks", f"[{items}]")
            body.call += [f"for layer in self.{a}:", "    x = layer(x)"]
            cur = (widths[-1],)
        elif move == "residual":
            a = attr("proj", f"{L('Dense')}({d})")
            body.call.append(f"x = x + self.{a}(x)")
        elif move == "twice":
            a = attr("same", f"{L('Dense')}({d}, activation='relu')")
            body.call.append(f"x = self.{a}(self.{a}(x))")
        elif move == "seq":
            u = draw(st.sampled_from(DIMS))
            a = attr("head", f"{sp.seq}([{L('Dense')}({u}), {L('Dropout')}(0.1), {L('Dense')}({u})])")
            body.call.append(f"x = self.{a}(x)")
            cur = (u,)
        elif move == "unused":
            attr("unused", f"{L('Dense')}({draw(st.sampled_from(DIMS))})")
            body.attrs[-1].used = False
        elif move == "norm":
            a = attr("norm", f"{L(draw(st.sampled_from(['LayerNormalization', 'BatchNormalization'])))}()")
            body.call.append(f"x = self.{a}(x)")
        else:
            u = draw(st.sampled_from(DIMS))
            a = attr("fc", f"{L('Dense')}({u})")
            body.call.append(f"x = self.{a}(x)")
            cur = (u,)
    out = draw(st.sampled_from(DIMS))
    a = attr("out", f"{L('Dense')}({out})")
    body.call.append(f"return self.{a}(x)")
    base = {"tf.keras": "tf.keras.Model", "from-imports": "Model"}.get(sp.style, "keras.Model")
    lines = [f"class Net({base}):", "    def __init__(self, **kwargs):", "        super().__init__(**kwargs)"]
    lines += [f"        self.{at.name} = {at.source}" for at in body.attrs]
    first = len(sp.imports) + 1 + 4  # the line of the first attribute
    parts = [Part(at.name, first + i, "sequential", f"Net.{at.name}")  # an attribute's model: named CLASS.ATTR
             for i, at in enumerate(body.attrs) if at.name.startswith("head")]
    lines += ["", "    def call(self, x):"] + [f"        {c}" for c in body.call]
    named = draw(st.booleans())
    explicit = {"net_n"} if named else set()
    lines += ["", "", f"net = Net({'name=' + repr('net_n') if named else ''})"]
    line = len(sp.imports) + 1 + len(lines)
    build = draw(st.sampled_from(["call", "assign", "batch"]))
    imports = sp.imports
    if build == "batch":  # called on an array of known shape: Keras builds it the same way
        imports = ["import numpy as np"] + imports
        lines.append(f"net(np.zeros({(2,) + shape!r}, dtype='float32'))")
        line += 1
        parts = [replace(p, line=p.line + 1) for p in parts]
    else:
        inp = f"{sp.inp}(shape={shape!r})"
        lines.append(f"net({inp})" if build == "call" else f"_ = net({inp})")
    source = "\n".join(imports + [""] + lines) + "\n"
    return Case(source, "net_n" if named else "net", "net", line, "subclass", parts, explicit, f"subclass/{sp.style}")


def cases() -> st.SearchStrategy[Case]:
    return st.one_of(functional_cases(), functional_cases(), subclass_cases())
