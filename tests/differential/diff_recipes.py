"""The recipe tables: how to draw a plausible call of every catalog layer for a given input shape.

A recipe names the REGISTRY keys it covers (canonical name first, then aliases; the generator
draws which spelling to render), the input ranks it accepts (without the batch dimension) and a
``make`` function that draws arguments. ``make`` only has to be *mostly* valid: the oracle
tracker (diff_oracle.py) applies the layer and drops it if the framework refuses it, so the
recipes stay small and shape rules live only in the real frameworks.

To cover a new catalog layer, add one ``recipe(...)`` line; ``test_coverage.py`` fails until
every keras./torch. REGISTRY name is either in a recipe or in ``EXCLUDED`` with a reason.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Optional

from hypothesis import strategies as st

from diff_model import LayerDesc, Shape


class D:
    """Thin helpers over hypothesis' ``draw`` so recipes read as one line each."""

    def __init__(self, draw: Callable[[Any], Any]) -> None:
        self.draw = draw

    def int(self, lo: int, hi: int) -> int:
        return self.draw(st.integers(lo, max(lo, hi)))

    def pick(self, seq: Any) -> Any:
        return self.draw(st.sampled_from(list(seq)))

    def flag(self) -> bool:
        return self.draw(st.booleans())

    def opt(self, kwargs: dict[str, Any], key: str, make: Callable[[], Any]) -> None:
        """Set ``key`` about half the time (so defaults are exercised too)."""
        if self.flag():
            kwargs[key] = make()

    def float(self, *choices: float) -> float:
        return self.pick(choices)


Args = tuple[tuple[Any, ...], dict[str, Any]]
Make = Callable[[D, Shape], Optional[Args]]


@dataclass(frozen=True)
class Recipe:
    names: tuple[str, ...]
    ranks: tuple[int, ...]  # accepted input ranks without the batch dimension; () = any
    make: Make
    int_input: bool = False  # needs integer ids (embeddings): only first, on an int input
    last: bool = False  # nothing may follow it in a Sequential (torch tuple outputs, multi-input)
    weight: int = 4  # relative draw frequency: the many zero-parameter layers get 1 so they do not crowd out the rest

    def accepts(self, shape: Shape, is_int: bool) -> bool:
        if self.int_input != is_int:
            return False
        return not self.ranks or len(shape) in self.ranks


def recipe(names: str, ranks: tuple[int, ...], make: Make, **kw: Any) -> Recipe:
    return Recipe(tuple(names.split()), ranks, make, **kw)


def small(d: D, dim: int, hi: int = 3) -> int:
    return d.int(1, min(hi, dim))


def tup(d: D, n: int, make: Callable[[], int]) -> Any:
    """An int or an n-tuple of ints (both spellings the frameworks accept)."""
    if n > 1 and d.flag():
        return tuple(make() for _ in range(n))
    return make()


# ==================================================================== Keras 3
# Keras shapes are channels_last: rank 1 (F,), 2 (T, F), 3 (H, W, C), 4 (D, H, W, C), 5 (T, D, H, W, C).

def k_dense(d: D, s: Shape) -> Args:
    kw: dict[str, Any] = {}
    d.opt(kw, "use_bias", d.flag)
    d.opt(kw, "activation", lambda: d.pick(["relu", "tanh", None, "softmax"]))
    units = d.int(1, 12)
    return ((units,), kw) if d.flag() else ((), {"units": units, **kw})


def k_conv(n: int, transpose: bool = False) -> Make:
    def make(d: D, s: Shape) -> Args:
        spatial = s[:n]
        kw: dict[str, Any] = {}
        filters = d.int(1, 8)
        kernel = tup(d, n, lambda: d.int(1, min(3, min(spatial))))
        d.opt(kw, "strides", lambda: tup(d, n, lambda: d.int(1, 2)))
        paddings = ["valid", "same"] + (["causal"] if n == 1 and not transpose else [])
        d.opt(kw, "padding", lambda: d.pick(paddings))
        if "strides" not in kw:
            d.opt(kw, "dilation_rate", lambda: d.int(1, 2))
        d.opt(kw, "use_bias", d.flag)
        if transpose:
            stride = kw.get("strides", 1)
            if isinstance(stride, int) and stride > 1:
                d.opt(kw, "output_padding", lambda: d.int(0, stride - 1))
        else:
            channels = s[-1]
            divisors = [g for g in range(1, channels + 1) if channels % g == 0 and filters % g == 0]
            d.opt(kw, "groups", lambda: d.pick(divisors))
        d.opt(kw, "trainable", lambda: False)
        if d.int(0, 4) == 0:
            kw["data_format"] = "channels_first"
        if d.flag():
            return (filters, kernel), kw
        return (), {"filters": filters, "kernel_size": kernel, **kw}

    return make


def k_separable(n: int) -> Make:
    def make(d: D, s: Shape) -> Args:
        kw: dict[str, Any] = {}
        d.opt(kw, "strides", lambda: d.int(1, 2))
        d.opt(kw, "padding", lambda: d.pick(["valid", "same"]))
        d.opt(kw, "depth_multiplier", lambda: d.int(1, 3))
        d.opt(kw, "use_bias", d.flag)
        return (d.int(1, 8), d.int(1, min(3, min(s[:n])))), kw

    return make


def k_depthwise(n: int) -> Make:
    def make(d: D, s: Shape) -> Args:
        kw: dict[str, Any] = {}
        d.opt(kw, "strides", lambda: d.int(1, 2))
        d.opt(kw, "padding", lambda: d.pick(["valid", "same"]))
        d.opt(kw, "depth_multiplier", lambda: d.int(1, 3))
        d.opt(kw, "use_bias", d.flag)
        return (tup(d, n, lambda: d.int(1, min(3, min(s[:n])))),), kw

    return make


def k_pool(n: int) -> Make:
    def make(d: D, s: Shape) -> Args:
        kw: dict[str, Any] = {}
        d.opt(kw, "strides", lambda: tup(d, n, lambda: d.int(1, 2)))
        d.opt(kw, "padding", lambda: d.pick(["valid", "same"]))
        if d.flag():
            kw["data_format"] = "channels_first"
        return (tup(d, n, lambda: d.int(1, min(3, min(s[:n])))),), kw

    return make


def k_global(d: D, s: Shape) -> Args:
    kw: dict[str, Any] = {}
    d.opt(kw, "keepdims", d.flag)
    d.opt(kw, "data_format", lambda: d.pick(["channels_last", "channels_first"]))
    return (), kw


def k_reshape(d: D, s: Shape) -> Args:
    total = 1
    for dim in s:
        total *= dim
    options = [(total,), (-1, s[-1]), (s[-1], -1), (1, total)]
    divisors = [k for k in range(2, total) if total % k == 0]
    if divisors:
        k = d.pick(divisors)
        options += [(k, total // k), (k, -1), (k, 1, total // k)]
    return (d.pick(options),), {}


def k_permute(d: D, s: Shape) -> Args:
    dims = list(range(1, len(s) + 1))
    return (tuple(d.draw(st.permutations(dims))),), {}


def k_prelu(d: D, s: Shape) -> Args:
    kw: dict[str, Any] = {}
    if d.flag():
        axes = [a for a in range(1, len(s) + 1) if d.flag()]
        kw["shared_axes"] = d.pick([axes, tuple(axes)]) if axes else None
    return (), kw


def k_batchnorm(d: D, s: Shape) -> Args:
    kw: dict[str, Any] = {}
    d.opt(kw, "axis", lambda: d.pick([-1, 1]))
    d.opt(kw, "center", d.flag)
    d.opt(kw, "scale", d.flag)
    d.opt(kw, "momentum", lambda: 0.9)
    d.opt(kw, "trainable", lambda: False)
    return (), kw


def k_layernorm(d: D, s: Shape) -> Args:
    kw: dict[str, Any] = {}
    d.opt(kw, "axis", lambda: d.pick([-1, 1, [1, -1]] if len(s) > 1 else [-1]))
    d.opt(kw, "center", d.flag)
    d.opt(kw, "scale", d.flag)
    d.opt(kw, "rms_scaling", d.flag)
    return (), kw


def k_groupnorm(d: D, s: Shape) -> Args:
    c = s[-1]
    kw: dict[str, Any] = {"groups": d.pick([g for g in range(1, c + 1) if c % g == 0] + [-1])}
    d.opt(kw, "center", d.flag)
    d.opt(kw, "scale", d.flag)
    return (), kw


def k_rnn(kind: str) -> Make:
    def make(d: D, s: Shape) -> Args:
        kw: dict[str, Any] = {}
        d.opt(kw, "return_sequences", d.flag)
        d.opt(kw, "use_bias", d.flag)
        if kind == "GRU":
            d.opt(kw, "reset_after", d.flag)
        if kind == "LSTM":
            d.opt(kw, "unit_forget_bias", d.flag)
        d.opt(kw, "trainable", lambda: False)
        return (d.int(1, 6),), kw

    return make


def k_rnn_desc(d: D, s: Shape) -> LayerDesc:
    kind = d.pick(["SimpleRNN", "LSTM", "GRU"])
    args, kw = k_rnn(kind)(d, s)
    return LayerDesc(f"keras.layers.{kind}", args, kw)


def k_bidirectional(d: D, s: Shape) -> Args:
    kw: dict[str, Any] = {}
    d.opt(kw, "merge_mode", lambda: d.pick(["concat", "sum", "mul", "ave"]))
    inner = k_rnn_desc(d, s)
    if d.flag():
        backward = LayerDesc(inner.qualname, inner.args, {**inner.kwargs, "go_backwards": True})
        kw["backward_layer"] = backward
    return (inner,), kw


def k_timedistributed(d: D, s: Shape) -> Args:
    inner_rank = len(s) - 1
    options: list[tuple[str, Make]] = [("Dense", k_dense), ("Dropout", k_dropout), ("Flatten", lambda d, s: ((), {}))]
    if inner_rank == 2:
        options.append(("Conv1D", k_conv(1)))
    if inner_rank == 3:
        options += [("Conv2D", k_conv(2)), ("MaxPooling2D", k_pool(2)), ("BatchNormalization", k_batchnorm)]
    name, make = d.pick(options)
    args, kw = make(d, s[1:])
    return (LayerDesc(f"keras.layers.{name}", args, kw),), {}


def k_convlstm(n: int) -> Make:
    def make(d: D, s: Shape) -> Args:
        kw: dict[str, Any] = {}
        d.opt(kw, "padding", lambda: d.pick(["valid", "same"]))
        d.opt(kw, "strides", lambda: d.int(1, 2))
        d.opt(kw, "return_sequences", d.flag)
        d.opt(kw, "use_bias", d.flag)
        return (d.int(1, 4), d.int(1, min(3, min(s[1:1 + n])))), kw

    return make


def k_dropout(d: D, s: Shape) -> Args:
    return (d.float(0.0, 0.25, 0.5),), {}


def k_padcrop(n: int, crop: bool) -> Make:
    def make(d: D, s: Shape) -> Args:
        hi = 1 if crop else 2
        form = d.int(0, 2)
        if form == 0 or n == 1 and form == 2:
            value: Any = d.int(0 if crop else 1, hi)
        elif form == 1:
            value = tuple(d.int(0, hi) for _ in range(n if n > 1 else 2))
        else:
            value = tuple((d.int(0, hi), d.int(0, hi)) for _ in range(n))
        return (value,), {}

    return make


def k_upsampling(n: int) -> Make:
    def make(d: D, s: Shape) -> Args:
        return (tup(d, n, lambda: d.int(1, 2)),), {}

    return make


def k_image(kind: str) -> Make:
    """Preprocessing / augmentation layers on (H, W, C) images."""

    def make(d: D, s: Shape) -> Args:
        h, w = s[0], s[1]
        f = d.float(0.1, 0.2)
        table: dict[str, Args] = {
            "Rescaling": ((d.float(1 / 255, 2.0),), {"offset": d.float(0.0, -1.0)}),
            "Resizing": ((d.int(1, 8), d.int(1, 8)), {}),
            "CenterCrop": ((d.int(1, h), d.int(1, w)), {}),
            "RandomCrop": ((d.int(1, h), d.int(1, w)), {}),
            "RandomFlip": ((), {"mode": d.pick(["horizontal", "vertical", "horizontal_and_vertical"])}),
            "RandomRotation": ((f,), {}),
            "RandomTranslation": ((f, f), {}),
            "RandomZoom": ((f,), {}),
            "RandomContrast": ((f,), {}),
            "RandomBrightness": ((f,), {}),
            "RandomColorDegeneration": ((f,), {}),
            "RandomColorJitter": ((), {"brightness_factor": f}),
            "RandomHue": ((f,), {}),
            "RandomSaturation": ((f,), {}),
            "RandomSharpness": ((f,), {}),
            "RandomShear": ((), {"x_factor": f}),
            "RandomInvert": ((), {}),
            "RandomPosterization": ((), {"factor": (1, 4), "value_range": (0, 255)}),
            "RandomPerspective": ((), {}),
            "RandomElasticTransform": ((), {}),
            "RandomErasing": ((), {}),
            "RandomGaussianBlur": ((), {}),
            "RandomGrayscale": ((), {}),
            "AugMix": ((), {}),
            "AutoContrast": ((), {}),
            "CutMix": ((), {}),
            "MixUp": ((), {}),
            "RandAugment": ((), {}),
            "Solarization": ((), {}),
            "Equalization": ((), {}),
        }
        return table[kind]

    return make


def k_adaptive(n: int) -> Make:
    def make(d: D, s: Shape) -> Args:
        kw: dict[str, Any] = {}
        if d.flag():
            kw["data_format"] = "channels_first"
        return (tup(d, n, lambda: d.int(1, 4)),), kw

    return make


def k_normalization(d: D, s: Shape) -> Args:
    kw: dict[str, Any] = {}
    d.opt(kw, "axis", lambda: d.pick([-1, None] + ([1, (1, -1)] if len(s) > 1 else [])))
    if d.int(0, 3) == 0:
        kw.update(mean=d.float(0.0, 2.0), variance=d.float(1.0, 4.0))
    return (), kw


def k_discretization(d: D, s: Shape) -> Args:
    kw: dict[str, Any] = {"output_mode": d.pick(["int", "one_hot"])}
    if d.flag():
        return ([d.float(-1.0, 0.0), d.float(0.5, 1.0)],), kw
    return (), {"num_bins": d.int(1, 6), **kw}


def k_einsum(d: D, s: Shape) -> Args:
    units = d.int(1, 8)
    if len(s) == 1:
        equation, out, bias = d.pick(["ab,bc->ac", "...b,bc->...c"]), units, "c"
    else:
        equation, out, bias = d.pick([("abc,cd->abd", (None, units), "d"), ("...b,bc->...c", units, "c")])
    kw: dict[str, Any] = {}
    d.opt(kw, "bias_axes", lambda: bias)
    d.opt(kw, "trainable", lambda: False)
    return (equation, out), kw


def k_rnn_cell(d: D, s: Shape) -> Args:
    kind = d.pick(["SimpleRNNCell", "LSTMCell", "GRUCell"])
    kw: dict[str, Any] = {}
    d.opt(kw, "return_sequences", d.flag)
    return (LayerDesc(f"keras.layers.{kind}", (d.int(1, 6),), {}),), kw


def _k(names: str, ranks: tuple[int, ...], make: Make, **kw: Any) -> Recipe:
    return recipe(" ".join(f"keras.layers.{n}" for n in names.split()), ranks, make, **kw)


def _noargs(d: D, s: Shape) -> Args:
    return (), {}


ANY = ()
KERAS: list[Recipe] = [
    _k("Dense", ANY, k_dense),
    _k("Conv1D Convolution1D", (2,), k_conv(1)),
    _k("Conv2D Convolution2D", (3,), k_conv(2)),
    _k("Conv3D Convolution3D", (4,), k_conv(3)),
    _k("Conv1DTranspose Convolution1DTranspose", (2,), k_conv(1, True)),
    _k("Conv2DTranspose Convolution2DTranspose", (3,), k_conv(2, True)),
    _k("Conv3DTranspose Convolution3DTranspose", (4,), k_conv(3, True)),
    _k("SeparableConv1D SeparableConvolution1D", (2,), k_separable(1)),
    _k("SeparableConv2D SeparableConvolution2D", (3,), k_separable(2)),
    _k("DepthwiseConv1D", (2,), k_depthwise(1)),
    _k("DepthwiseConv2D", (3,), k_depthwise(2)),
    _k("MaxPooling1D MaxPool1D", (2,), k_pool(1)),
    _k("MaxPooling2D MaxPool2D", (3,), k_pool(2)),
    _k("MaxPooling3D MaxPool3D", (4,), k_pool(3)),
    _k("AveragePooling1D AvgPool1D", (2,), k_pool(1)),
    _k("AveragePooling2D AvgPool2D", (3,), k_pool(2)),
    _k("AveragePooling3D AvgPool3D", (4,), k_pool(3)),
    _k("GlobalAveragePooling1D GlobalAvgPool1D GlobalMaxPooling1D GlobalMaxPool1D", (2,), k_global),
    _k("GlobalAveragePooling2D GlobalAvgPool2D GlobalMaxPooling2D GlobalMaxPool2D", (3,), k_global),
    _k("GlobalAveragePooling3D GlobalAvgPool3D GlobalMaxPooling3D GlobalMaxPool3D", (4,), k_global),
    _k("Flatten", (2, 3, 4, 5), _noargs),
    _k("Reshape", ANY, k_reshape),
    _k("Permute", (2, 3, 4), k_permute),
    _k("RepeatVector", (1,), lambda d, s: ((d.int(1, 4),), {})),
    _k("Dropout AlphaDropout GaussianDropout", ANY, k_dropout),
    _k("SpatialDropout1D", (2,), k_dropout),
    _k("SpatialDropout2D", (3,), k_dropout),
    _k("SpatialDropout3D", (4,), k_dropout),
    _k("GaussianNoise", ANY, weight=1, make=lambda d, s: ((d.float(0.1, 1.0),), {})),
    _k("ActivityRegularization", ANY, weight=1, make=lambda d, s: ((), {"l1": d.float(0.0, 0.01)})),
    _k("Identity", ANY, weight=1, make=_noargs),
    _k("Masking", ANY, weight=1, make=lambda d, s: ((), {"mask_value": d.float(0.0, -1.0)})),
    _k("Activation", ANY, weight=1, make=lambda d, s: ((d.pick(["relu", "sigmoid", "tanh", "softmax", "gelu", "linear"]),), {})),
    _k("ReLU", ANY, weight=1, make=lambda d, s: ((), {"max_value": d.pick([None, 6.0])})),
    _k("LeakyReLU", ANY, weight=1, make=lambda d, s: ((), {"negative_slope": d.float(0.1, 0.3)})),
    _k("ELU", ANY, weight=1, make=lambda d, s: ((), {"alpha": d.float(1.0, 0.5)})),
    _k("Softmax", ANY, weight=1, make=lambda d, s: ((), {"axis": d.pick([-1, 1])})),
    _k("PReLU", ANY, k_prelu),
    _k("BatchNormalization", ANY, k_batchnorm),
    _k("LayerNormalization", ANY, k_layernorm),
    _k("GroupNormalization", (1, 2, 3, 4), k_groupnorm),
    _k("UnitNormalization", ANY, lambda d, s: ((), {"axis": d.pick([-1, 1])})),
    _k("RMSNormalization", ANY, lambda d, s: ((), {"axis": d.pick([-1, 1])})),
    _k("Embedding", (1,), lambda d, s: ((d.int(2, 20), d.int(1, 6)), {}), int_input=True),
    _k("SimpleRNN", (2,), k_rnn("SimpleRNN")),
    _k("LSTM", (2,), k_rnn("LSTM")),
    _k("GRU", (2,), k_rnn("GRU")),
    _k("Bidirectional", (2,), k_bidirectional),
    _k("TimeDistributed", (2, 3, 4), k_timedistributed),
    _k("ConvLSTM1D", (3,), k_convlstm(1)),
    _k("ConvLSTM2D", (4,), k_convlstm(2)),
    _k("ConvLSTM3D", (5,), k_convlstm(3)),
    _k("ZeroPadding1D", (2,), k_padcrop(1, False)),
    _k("ZeroPadding2D", (3,), k_padcrop(2, False)),
    _k("ZeroPadding3D", (4,), k_padcrop(3, False)),
    _k("Cropping1D", (2,), k_padcrop(1, True)),
    _k("Cropping2D", (3,), k_padcrop(2, True)),
    _k("Cropping3D", (4,), k_padcrop(3, True)),
    _k("UpSampling1D", (2,), k_upsampling(1)),
    _k("UpSampling2D", (3,), k_upsampling(2)),
    _k("UpSampling3D", (4,), k_upsampling(3)),
    _k("AdaptiveAveragePooling1D AdaptiveMaxPooling1D", (2,), k_adaptive(1)),
    _k("AdaptiveAveragePooling2D AdaptiveMaxPooling2D", (3,), k_adaptive(2)),
    _k("AdaptiveAveragePooling3D AdaptiveMaxPooling3D", (4,), k_adaptive(3)),
    _k("Normalization", ANY, k_normalization),
    _k("Discretization", ANY, k_discretization, weight=1),
    _k("CategoryEncoding", (1,), lambda d, s: ((d.int(2, 10),), {"output_mode": d.pick(["multi_hot", "count", "one_hot"])}),
       int_input=True, weight=1),
    _k("EinsumDense", (1, 2), k_einsum),
    _k("ReversibleEmbedding", (1,), lambda d, s: ((d.int(2, 20), d.int(1, 6)), {"tie_weights": d.flag()}), int_input=True),
    _k("SpectralNormalization", (1, 2), lambda d, s: ((LayerDesc("keras.layers.Dense", (d.int(1, 8),), {}),), {})),
    _k("RNN", (2,), k_rnn_cell),
    _k("MelSpectrogram", (1,), lambda d, s: ((), {"num_mel_bins": d.int(1, 8), "sequence_stride": d.int(1, 4)}), weight=1),
    _k("ContrastLimitedAdaptiveHistogramEqualization", (3,), lambda d, s: (((0, 255),), {}), weight=1),
    _k("MaxNumBoundingBoxes", (3,), lambda d, s: ((d.int(1, 4),), {}), weight=1),
] + [
    _k(name, (3,), k_image(name), weight=1)
    for name in (
        "Rescaling Resizing CenterCrop RandomCrop RandomFlip RandomRotation RandomTranslation RandomZoom "
        "RandomContrast RandomBrightness RandomColorDegeneration RandomColorJitter RandomHue RandomSaturation "
        "RandomSharpness RandomShear RandomInvert RandomPosterization RandomPerspective RandomElasticTransform "
        "RandomErasing RandomGaussianBlur RandomGrayscale AugMix AutoContrast CutMix MixUp RandAugment "
        "Solarization"
    ).split()
]

# Keras start shapes: (kind, shape). "int" starts feed an Embedding.
KERAS_STARTS: list[tuple[str, Shape]] = [
    ("float", (6,)), ("float", (12,)), ("float", (5, 4)), ("float", (8, 3)),
    ("float", (8, 8, 3)), ("float", (6, 5, 2)), ("float", (4, 4, 4, 2)),
    ("float", (3, 6, 6, 2)), ("float", (2, 4, 4, 3, 2)), ("int", (7,)),
]


# ==================================================================== PyTorch
# Shapes are channels-first without the batch: (F,), (C, L), (C, H, W), (C, D, H, W); (T,) ids.

def t_linear(d: D, s: Shape) -> Args:
    kw: dict[str, Any] = {}
    d.opt(kw, "bias", d.flag)
    out = d.int(1, 12)
    if d.flag():
        return (s[-1], out), kw
    return (), {"in_features": s[-1], "out_features": out, **kw}


def t_conv(n: int, transpose: bool = False, lazy: bool = False) -> Make:
    def make(d: D, s: Shape) -> Args:
        c, spatial = s[0], s[1:]
        out = d.int(1, 8)
        kw: dict[str, Any] = {}
        kernel = tup(d, n, lambda: d.int(1, min(3, min(spatial))))
        d.opt(kw, "stride", lambda: tup(d, n, lambda: d.int(1, 2)))
        stride = kw.get("stride", 1)
        if transpose:
            d.opt(kw, "padding", lambda: d.int(0, 1))
            if isinstance(stride, int) and stride > 1:
                d.opt(kw, "output_padding", lambda: d.int(0, stride - 1))
        else:
            choices: list[Any] = [0, 1, "valid"] + (["same"] if stride == 1 else [])
            d.opt(kw, "padding", lambda: d.pick(choices))
            if kw.get("padding") not in (None, "valid", 0):
                d.opt(kw, "padding_mode", lambda: d.pick(["zeros", "reflect", "replicate", "circular"]))
        d.opt(kw, "dilation", lambda: d.int(1, 2))
        divisors = [g for g in range(1, c + 1) if c % g == 0 and out % g == 0]
        d.opt(kw, "groups", lambda: d.pick(divisors))
        d.opt(kw, "bias", d.flag)
        if lazy:
            return (out, kernel), kw
        if d.flag():
            return (c, out, kernel), kw
        return (), {"in_channels": c, "out_channels": out, "kernel_size": kernel, **kw}

    return make


def t_batchnorm(lazy: bool = False) -> Make:
    def make(d: D, s: Shape) -> Args:
        kw: dict[str, Any] = {}
        d.opt(kw, "affine", d.flag)
        d.opt(kw, "track_running_stats", d.flag)
        d.opt(kw, "momentum", lambda: d.float(0.1, 0.01))
        return ((), kw) if lazy else ((s[0],), kw)

    return make


def t_layernorm(d: D, s: Shape) -> Args:
    k = d.int(1, len(s))
    trailing = s[len(s) - k:]
    shape: Any = trailing[0] if k == 1 and d.flag() else (list(trailing) if d.flag() else tuple(trailing))
    kw: dict[str, Any] = {}
    d.opt(kw, "elementwise_affine", d.flag)
    d.opt(kw, "bias", d.flag)
    return (shape,), kw


def t_rmsnorm(d: D, s: Shape) -> Args:
    k = d.int(1, len(s))
    trailing = s[len(s) - k:]
    kw: dict[str, Any] = {}
    d.opt(kw, "elementwise_affine", d.flag)
    return (trailing[0] if k == 1 else tuple(trailing),), kw


def t_groupnorm(d: D, s: Shape) -> Args:
    c = s[0]
    kw: dict[str, Any] = {}
    d.opt(kw, "affine", d.flag)
    return (d.pick([g for g in range(1, c + 1) if c % g == 0]), c), kw


def t_rnn(kind: str) -> Make:
    def make(d: D, s: Shape) -> Args:
        kw: dict[str, Any] = {}
        hidden = d.int(1, 6)
        d.opt(kw, "num_layers", lambda: d.int(1, 3))
        d.opt(kw, "bias", d.flag)
        kw["batch_first"] = d.pick([True, True, False])
        d.opt(kw, "bidirectional", d.flag)
        if kind == "LSTM" and hidden > 1:
            d.opt(kw, "proj_size", lambda: d.int(0, hidden - 1))
        if kind == "RNN":
            d.opt(kw, "nonlinearity", lambda: d.pick(["tanh", "relu"]))
        return (s[-1], hidden), kw

    return make


def t_cell(kind: str) -> Make:
    def make(d: D, s: Shape) -> Args:
        kw: dict[str, Any] = {}
        d.opt(kw, "bias", d.flag)
        if kind == "RNNCell":
            d.opt(kw, "nonlinearity", lambda: d.pick(["tanh", "relu"]))
        return (s[-1], d.int(1, 6)), kw

    return make


def t_heads(d: D, e: int) -> int:
    return d.pick([h for h in range(1, e + 1) if e % h == 0])


def t_mha(d: D, s: Shape) -> Args:
    e = s[-1]
    kw: dict[str, Any] = {}
    d.opt(kw, "bias", d.flag)
    d.opt(kw, "add_bias_kv", d.flag)
    d.opt(kw, "add_zero_attn", d.flag)
    d.opt(kw, "kdim", lambda: d.int(1, e))
    d.opt(kw, "vdim", lambda: d.int(1, e))
    kw["batch_first"] = True
    return (e, t_heads(d, e)), kw


def t_enc_layer_kwargs(d: D, e: int) -> dict[str, Any]:
    kw: dict[str, Any] = {"d_model": e, "nhead": t_heads(d, e), "dim_feedforward": d.int(1, 8)}
    d.opt(kw, "batch_first", d.flag)
    d.opt(kw, "norm_first", d.flag)
    d.opt(kw, "bias", d.flag)
    d.opt(kw, "dropout", lambda: 0.0)
    return kw


def t_encoder_layer(d: D, s: Shape) -> Args:
    return (), t_enc_layer_kwargs(d, s[-1])


def t_encoder(d: D, s: Shape) -> Args:
    inner = LayerDesc("torch.nn.TransformerEncoderLayer", (), t_enc_layer_kwargs(d, s[-1]))
    kw: dict[str, Any] = {"num_layers": d.int(1, 2)}
    if d.flag():
        kw["norm"] = LayerDesc("torch.nn.LayerNorm", (s[-1],))
    kw["enable_nested_tensor"] = False
    return (inner,), kw


def t_decoder(d: D, s: Shape) -> Args:
    inner = LayerDesc("torch.nn.TransformerDecoderLayer", (), t_enc_layer_kwargs(d, s[-1]))
    kw: dict[str, Any] = {"num_layers": d.int(1, 2)}
    if d.flag():
        kw["norm"] = LayerDesc("torch.nn.LayerNorm", (s[-1],))
    return (inner,), kw


def t_transformer(d: D, s: Shape) -> Args:
    e = s[-1]
    return (), {"d_model": e, "nhead": t_heads(d, e), "num_encoder_layers": d.int(1, 2),
                "num_decoder_layers": d.int(1, 2), "dim_feedforward": d.int(1, 8), "batch_first": True}


def t_pool(n: int, kind: str) -> Make:
    def make(d: D, s: Shape) -> Args:
        spatial = s[1:] if len(s) > n else s
        k = d.int(1, min(3, min(spatial)))
        kw: dict[str, Any] = {}
        d.opt(kw, "stride", lambda: d.int(1, 2))
        if kind != "LP":
            d.opt(kw, "padding", lambda: d.int(0, k // 2))
        d.opt(kw, "ceil_mode", d.flag)
        if kind == "Max":
            d.opt(kw, "dilation", lambda: d.int(1, 2))
        if kind == "Avg":
            d.opt(kw, "count_include_pad", d.flag)
        if kind == "LP":
            return (d.float(1.0, 2.0), k), kw
        return (k,), kw

    return make


def t_adaptive(n: int) -> Make:
    def make(d: D, s: Shape) -> Args:
        if n > 1 and d.flag():
            return (tuple(d.pick([None, 1, 2, 3]) for _ in range(n)),), {}
        return (d.int(1, 3),), {}

    return make


def t_pad(n: int, kind: str) -> Make:
    def make(d: D, s: Shape) -> Args:
        hi = 1 if kind == "Reflection" else 2
        pad: Any = d.int(0, hi) if d.flag() else tuple(d.int(0, hi) for _ in range(2 * n))
        if kind == "Constant":
            return (pad, d.float(0.0, 1.5)), {}
        return (pad,), {}

    return make


def t_flatten(d: D, s: Shape) -> Args:
    kw: dict[str, Any] = {}
    d.opt(kw, "start_dim", lambda: d.int(1, len(s)))
    d.opt(kw, "end_dim", lambda: d.pick([-1, len(s)]))
    return (), kw


def t_unflatten(d: D, s: Shape) -> Args:
    dim = d.int(1, len(s))
    size = s[dim - 1]
    divisors = [k for k in range(1, size + 1) if size % k == 0]
    k = d.pick(divisors)
    sizes = d.pick([(k, size // k), (k, -1), (size,)])
    return (dim, sizes), {}


def t_upsample(d: D, s: Shape) -> Args:
    n = len(s) - 1
    modes = {1: ["nearest", "linear"], 2: ["nearest", "bilinear", "bicubic"], 3: ["nearest", "trilinear"]}[n]
    if d.flag():
        return (), {"scale_factor": d.pick([2, 2.0]), "mode": d.pick(modes)}
    return (), {"size": tup(d, n, lambda: d.int(1, 6)), "mode": d.pick(modes)}


def t_activation(kind: str) -> Make:
    def make(d: D, s: Shape) -> Args:
        dim = lambda: d.int(1, len(s))  # noqa: E731
        table: dict[str, Args] = {
            "CELU": ((), {"alpha": d.float(1.0, 0.5)}),
            "ELU": ((), {"alpha": d.float(1.0, 0.5)}),
            "GELU": ((), {"approximate": d.pick(["none", "tanh"])}),
            "GLU": ((), {"dim": d.pick([-1] + [i for i in range(1, len(s) + 1) if s[i - 1] % 2 == 0])}),
            "Hardtanh": ((d.float(-1.0, -2.0), d.float(1.0, 2.0)), {}),
            "LeakyReLU": ((d.float(0.01, 0.2),), {}),
            "LogSoftmax": ((), {"dim": dim()}),
            "Softmax": ((), {"dim": dim()}),
            "Softmin": ((), {"dim": dim()}),
            "Softplus": ((), {"beta": d.float(1.0, 2.0)}),
            "Threshold": ((d.float(0.1, 0.5), d.float(0.0, -1.0)), {}),
            "PReLU": ((), {"num_parameters": s[0]} if len(s) >= 1 and d.flag() else {}),
            "Hardshrink": ((), {"lambd": d.float(0.5, 0.2)}),
            "Softshrink": ((), {"lambd": d.float(0.5, 0.2)}),
            "RReLU": ((), {}),
        }
        return table.get(kind, ((), {}))

    return make


def _t(names: str, ranks: tuple[int, ...], make: Make, **kw: Any) -> Recipe:
    return recipe(" ".join(f"torch.nn.{n}" for n in names.split()), ranks, make, **kw)


TORCH_ACTIVATIONS = (
    "CELU ELU GELU GLU Hardshrink Hardsigmoid Hardswish Hardtanh LeakyReLU LogSigmoid LogSoftmax Mish PReLU "
    "RReLU ReLU ReLU6 SELU SiLU Sigmoid Softmax Softmin Softplus Softshrink Softsign Tanh Tanhshrink Threshold"
).split()

TORCH: list[Recipe] = [
    _t("Linear", ANY, t_linear),
    _t("LazyLinear", ANY, lambda d, s: ((d.int(1, 12),), {"bias": d.flag()})),
    _t("Bilinear", (1,), lambda d, s: ((s[-1], d.int(1, s[-1]), d.int(1, 6)), {"bias": d.flag()}), last=True),
    _t("Identity", ANY, lambda d, s: ((), {}) if d.flag() else ((d.int(1, 9),), {"unused": "x"})),
    _t("Conv1d", (2,), t_conv(1)),
    _t("Conv2d", (3,), t_conv(2)),
    _t("Conv3d", (4,), t_conv(3)),
    _t("ConvTranspose1d", (2,), t_conv(1, True)),
    _t("ConvTranspose2d", (3,), t_conv(2, True)),
    _t("ConvTranspose3d", (4,), t_conv(3, True)),
    _t("LazyConv1d", (2,), t_conv(1, lazy=True)),
    _t("LazyConv2d", (3,), t_conv(2, lazy=True)),
    _t("LazyConv3d", (4,), t_conv(3, lazy=True)),
    _t("LazyConvTranspose1d", (2,), t_conv(1, True, True)),
    _t("LazyConvTranspose2d", (3,), t_conv(2, True, True)),
    _t("LazyConvTranspose3d", (4,), t_conv(3, True, True)),
    _t("BatchNorm1d", (1, 2), t_batchnorm()),
    _t("BatchNorm2d", (3,), t_batchnorm()),
    _t("BatchNorm3d", (4,), t_batchnorm()),
    _t("LazyBatchNorm1d", (1, 2), t_batchnorm(True)),
    _t("LazyBatchNorm2d", (3,), t_batchnorm(True)),
    _t("LazyBatchNorm3d", (4,), t_batchnorm(True)),
    _t("InstanceNorm1d", (2,), t_batchnorm()),
    _t("InstanceNorm2d", (3,), t_batchnorm()),
    _t("InstanceNorm3d", (4,), t_batchnorm()),
    _t("LazyInstanceNorm1d", (2,), t_batchnorm(True)),
    _t("LazyInstanceNorm2d", (3,), t_batchnorm(True)),
    _t("LazyInstanceNorm3d", (4,), t_batchnorm(True)),
    _t("LayerNorm", ANY, t_layernorm),
    _t("RMSNorm", ANY, t_rmsnorm),
    _t("GroupNorm", (1, 2, 3, 4), t_groupnorm),
    _t("LocalResponseNorm", (2, 3, 4), lambda d, s: ((d.int(1, 4),), {})),
    _t("Embedding", (1,), lambda d, s: ((d.int(2, 20), d.int(1, 6)), {"padding_idx": d.pick([None, 0])}), int_input=True),
    _t("EmbeddingBag", (1,), lambda d, s: ((d.int(2, 20), d.int(1, 6)), {"mode": d.pick(["mean", "sum", "max"])}), int_input=True),
    _t("RNN", (2,), t_rnn("RNN"), last=True),
    _t("LSTM", (2,), t_rnn("LSTM"), last=True),
    _t("GRU", (2,), t_rnn("GRU"), last=True),
    _t("RNNCell", (1,), t_cell("RNNCell")),
    _t("GRUCell", (1,), t_cell("GRUCell")),
    _t("LSTMCell", (1,), t_cell("LSTMCell"), last=True),
    _t("MultiheadAttention", (2,), t_mha, last=True),
    _t("TransformerEncoderLayer", (2,), t_encoder_layer),
    _t("TransformerEncoder", (2,), t_encoder),
    _t("TransformerDecoderLayer", (2,), t_encoder_layer, last=True),
    _t("TransformerDecoder", (2,), t_decoder, last=True),
    _t("Transformer", (2,), t_transformer, last=True),
    _t("Dropout AlphaDropout", ANY, weight=2, make=lambda d, s: ((d.float(0.0, 0.5),), {})),
    _t("Dropout1d", (2,), lambda d, s: ((d.float(0.0, 0.5),), {})),
    _t("Dropout2d", (3,), lambda d, s: ((d.float(0.0, 0.5),), {})),
    _t("Dropout3d", (4,), lambda d, s: ((d.float(0.0, 0.5),), {})),
    _t("FeatureAlphaDropout", (2, 3, 4), lambda d, s: ((d.float(0.0, 0.5),), {})),
    _t("MaxPool1d", (2,), t_pool(1, "Max")),
    _t("MaxPool2d", (3,), t_pool(2, "Max")),
    _t("MaxPool3d", (4,), t_pool(3, "Max")),
    _t("AvgPool1d", (2,), t_pool(1, "Avg")),
    _t("AvgPool2d", (3,), t_pool(2, "Avg")),
    _t("AvgPool3d", (4,), t_pool(3, "Avg")),
    _t("LPPool1d", (2,), t_pool(1, "LP")),
    _t("LPPool2d", (3,), t_pool(2, "LP")),
    _t("LPPool3d", (4,), t_pool(3, "LP")),
    _t("AdaptiveAvgPool1d AdaptiveMaxPool1d", (2,), t_adaptive(1)),
    _t("AdaptiveAvgPool2d AdaptiveMaxPool2d", (3,), t_adaptive(2)),
    _t("AdaptiveAvgPool3d AdaptiveMaxPool3d", (4,), t_adaptive(3)),
    _t("Flatten", (2, 3, 4), t_flatten),
    _t("Unflatten", (1, 2, 3), t_unflatten),
    _t("Upsample", (2, 3, 4), t_upsample),
    _t("UpsamplingBilinear2d UpsamplingNearest2d", (3,), lambda d, s: ((), {"scale_factor": 2})),
    _t("PixelShuffle", (3,), lambda d, s: ((d.pick([1, 2]),), {})),
    _t("PixelUnshuffle", (3,), lambda d, s: ((d.pick([1, 2]),), {})),
    _t("ChannelShuffle", (2, 3), lambda d, s: ((d.pick([g for g in range(1, s[0] + 1) if s[0] % g == 0]),), {})),
    _t("Softmax2d", (3,), lambda d, s: ((), {})),
] + [
    _t(f"{kind}Pad{n}d", (n + 1,), t_pad(n, kind))
    for kind in ("Zero", "Constant", "Reflection", "Replication", "Circular")
    for n in (1, 2, 3)
] + [_t(name, ANY, t_activation(name), weight=1) for name in TORCH_ACTIVATIONS]

TORCH_STARTS: list[tuple[str, Shape]] = [
    ("float", (6,)), ("float", (12,)), ("float", (4, 8)), ("float", (6, 5)),
    ("float", (3, 8, 8)), ("float", (4, 6, 5)), ("float", (2, 4, 4, 4)), ("int", (7,)),
]

# REGISTRY names no recipe draws, with the reason (test_coverage.py checks this list stays honest).
EXCLUDED: dict[str, str] = {
    **{name: (
        "a quantization stub or functional wrapper: no parameters and no layer of a stack in real code; its zero "
        "is checked against torch through torchvision's quantizable models"
    ) for name in ("torch.ao.nn.quantized.FloatFunctional", "torch.ao.quantization.DeQuantStub", "torch.ao.quantization.QuantStub",
                   "torch.nn.FloatFunctional", "torch.quantization.DeQuantStub", "torch.quantization.QuantStub")},
    "keras.Variable": (
        "not a layer: the weight a custom layer's add_weight() makes, no entry of a stack; checked against Keras "
        "through subclassed layers in tests/keras"
    ),
    **{f"torch.nn.{name}": (
        "a loss or a distance takes two inputs, so it is no layer of a stack; its zero parameters are checked "
        "against torch as a module attribute in tests/modules/cases/losses_and_criteria.py"
    ) for name in ("BCELoss", "BCEWithLogitsLoss", "CTCLoss", "CosineEmbeddingLoss", "CrossEntropyLoss",
                   "GaussianNLLLoss", "HingeEmbeddingLoss", "HuberLoss", "KLDivLoss", "L1Loss", "MSELoss",
                   "MarginRankingLoss", "MultiLabelMarginLoss", "MultiLabelSoftMarginLoss", "MultiMarginLoss",
                   "NLLLoss", "PoissonNLLLoss", "SmoothL1Loss", "SoftMarginLoss", "TripletMarginLoss",
                   "TripletMarginWithDistanceLoss", "CosineSimilarity", "PairwiseDistance")},
    **{name: (
        "a quantization stub or FloatFunctional lives outside torch.nn and holds no parameters; checked against torch "
        "in tests/engine/test_torch_specs.py and inside torchvision's quantizable models (tests/libraries)"
    ) for name in ("torch.ao.quantization.QuantStub", "torch.ao.quantization.DeQuantStub", "torch.quantization.QuantStub",
                   "torch.quantization.DeQuantStub", "torch.nn.FloatFunctional", "torch.ao.nn.quantized.FloatFunctional")},
    "keras.layers.Equalization": (
        "Keras 3.15 cannot build it inside a Sequential: its symbolic call returns its input tensor, "
        "so the graph is cyclic ('... is part of a cycle'); no oracle number exists for it"
    ),
    **{f"keras.layers.{name}": (
        "called on several tensors (a list, or query and value), so no Sequential can hold it; proved against "
        "keras.Model graphs in tests/engine/test_keras_graph_specs.py"
    ) for name in ("Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate", "Dot",
                   "MultiHeadAttention", "GroupQueryAttention", "Attention", "AdditiveAttention", "HashedCrossing")},
    **{f"keras.layers.{name}": (
        "a recurrent cell is called with its states, only inside keras.layers.RNN (which the RNN recipe draws); "
        "alone in a stack paramlint refuses it as Keras does"
    ) for name in ("SimpleRNNCell", "LSTMCell", "GRUCell", "StackedRNNCells")},
    **{f"keras.layers.{name}": (
        "Keras needs TensorFlow to construct it, which the oracle environment lacks; proved in "
        "tests/engine/test_keras_specs.py (TF_CASES) where TensorFlow is installed"
    ) for name in ("Hashing", "StringLookup", "IntegerLookup", "TextVectorization")},
    "keras.layers.Lambda": (
        "its function is user code the recipes cannot render; its declared output_shape is proved in "
        "tests/engine/test_keras_specs.py"
    ),
    "keras.layers.Pipeline": (
        "takes a list of layers, which the renderer does not draw as an argument; proved in "
        "tests/engine/test_keras_specs.py"
    ),
    "torch.nn.Parameter": (
        "not a layer: the registry key for a tensor a user-defined nn.Module registers, counted inside "
        "module rows; checked against torch by the custom-module fixture instead"
    ),
}

RECIPES = {"keras": KERAS, "torch": TORCH}
STARTS = {"keras": KERAS_STARTS, "torch": TORCH_STARTS}


def covered_names() -> set[str]:
    return {name for table in RECIPES.values() for r in table for name in r.names}
