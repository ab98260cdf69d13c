"""The torch.nn catalog: every spec checked against real PyTorch (oracle), plus hand-computed edge cases."""
from __future__ import annotations

import importlib
import warnings
from typing import Any, Callable, Optional

import pytest

from paramlint.engine.torch import parameterless
from paramlint.engine import (
    REGISTRY,
    InvalidConfig,
    Layer,
    Mismatch,
    NeedsInputShape,
    Unknown,
    UnknownValue,
    count_stack,
)

Shape = Optional[tuple[Optional[int], ...]]
Forward = Callable[[Any, Any], Any]


def first(m: Any, x: Any) -> Any:
    return m(x)[0]  # RNNs, LSTMCell, MaxPool(return_indices=True): the first output


def attend(m: Any, x: Any) -> Any:
    return m(x, x, x)[0]


def pair(m: Any, x: Any) -> Any:
    return m(x, x)  # decoders and Transformer: (tgt, memory) / (src, tgt)


def indices(m: Any, x: Any) -> Any:
    return m(x.long())


def case(qualname: str, *args: Any, at: Shape = None, fwd: Optional[Forward] = None, **kwargs: Any) -> Any:
    """One oracle case: the same arguments build the engine Layer and the torch module."""
    label = f"{qualname.rsplit('.', 1)[-1]}{args}{kwargs or ''}@{at}"
    return pytest.param(qualname, args, kwargs, at, fwd, id=label)


def L(qualname: str, *args: Any, **kwargs: Any) -> Layer:
    return Layer(qualname, args=args, kwargs=kwargs)


N = "torch.nn."
ACTIVATIONS = ["ReLU", "ReLU6", "LeakyReLU", "ELU", "SELU", "CELU", "GELU", "SiLU", "Mish", "Sigmoid", "Tanh",
               "Softmax", "LogSoftmax", "Softmin", "Softplus", "Softsign", "Hardtanh", "Hardswish", "Hardsigmoid",
               "Hardshrink", "Softshrink", "Tanhshrink", "LogSigmoid", "RReLU"]

CASES = [
    # linear
    case(N + "Linear", 8, 4, at=(3, 8)),
    case(N + "Linear", 8, 4, False),
    case(N + "LazyLinear", 5, at=(7,)),
    case(N + "LazyLinear", 5, bias=False, at=(2, 7)),
    case(N + "Bilinear", 4, 3, 5, at=(4,), fwd=lambda m, x: m(x, x.new_zeros(2, 3))),
    case(N + "Identity", 54, unused="x", at=(3, 4)),
    # convolutions
    case(N + "Conv1d", 4, 8, 3, at=(4, 10)),
    case(N + "Conv1d", 4, 8, 4, padding="same", at=(4, 9)),
    case(N + "Conv1d", 4, 8, 3, padding="same", dilation=2, at=(4, 9)),
    case(N + "Conv1d", 4, 8, 3, 2, "valid", at=(4, 9)),
    case(N + "Conv2d", 3, 6, 3, stride=2, padding=1, groups=3, bias=False, at=(3, 9, 9)),
    case(N + "Conv2d", 4, 8, (3, 5), 1, (1, 2), (2, 1), 2, True, "reflect", at=(4, 10, 11)),
    case(N + "Conv2d", 3, 4, 2, padding="same", padding_mode="circular", at=(3, 6, 6)),
    case(N + "Conv2d", 3, 4, 3),
    case(N + "Conv3d", 2, 4, 3, padding=1, at=(2, 5, 5, 5)),
    case(N + "Conv3d", 2, 2, (1, 2, 3), (2, 1, 3), 0, (1, 2, 1), 2, at=(2, 5, 6, 9)),
    case(N + "ConvTranspose1d", 4, 2, 3, stride=2, output_padding=1, at=(4, 5)),
    case(N + "ConvTranspose2d", 4, 8, 3, 2, 1, 1, 2, False, at=(4, 5, 5)),
    case(N + "ConvTranspose2d", 2, 3, 3, dilation=2, output_padding=1, at=(2, 4, 4)),
    case(N + "ConvTranspose3d", 2, 4, 2, stride=2, at=(2, 3, 3, 3)),
    case(N + "LazyConv1d", 8, 3, at=(4, 10)),
    case(N + "LazyConv2d", 6, 3, groups=3, padding="same", at=(3, 8, 8)),
    case(N + "LazyConv3d", 4, 2, bias=False, at=(2, 4, 4, 4)),
    case(N + "LazyConvTranspose1d", 4, 3, 2, at=(2, 5)),
    case(N + "LazyConvTranspose2d", 4, 3, groups=2, at=(2, 5, 5)),
    case(N + "LazyConvTranspose3d", 2, 2, stride=2, output_padding=1, at=(2, 3, 3, 3)),
    # normalization
    case(N + "BatchNorm1d", 6, at=(6,)),
    case(N + "BatchNorm1d", 6, at=(6, 5)),
    case(N + "BatchNorm2d", 4, affine=False, at=(4, 5, 5)),
    case(N + "BatchNorm2d", 4, 1e-3, 0.1, True, False),
    case(N + "BatchNorm3d", 3, bias=False, at=(3, 2, 2, 2)),
    case(N + "LazyBatchNorm1d", at=(5,)),
    case(N + "LazyBatchNorm2d", affine=False, at=(3, 4, 4)),
    case(N + "LazyBatchNorm3d", at=(2, 2, 2, 2)),
    case(N + "InstanceNorm1d", 4, at=(4, 6)),
    case(N + "InstanceNorm2d", 3, affine=True, at=(3, 4, 4)),
    case(N + "InstanceNorm3d", 2, affine=True, bias=False, at=(2, 3, 3, 3)),
    case(N + "LazyInstanceNorm1d", at=(4, 6)),
    case(N + "LazyInstanceNorm2d", affine=False, at=(3, 4, 4)),
    case(N + "LazyInstanceNorm3d", at=(2, 3, 3, 3)),
    case(N + "LayerNorm", 8, at=(5, 8)),
    case(N + "LayerNorm", (4, 5), bias=False, at=(3, 4, 5)),
    case(N + "LayerNorm", [4, 5], 1e-5, False, at=(4, 5)),
    case(N + "GroupNorm", 2, 6, at=(6, 4)),
    case(N + "GroupNorm", 3, 6, affine=False, at=(6, 2, 2)),
    case(N + "GroupNorm", 2, 4, bias=False),
    case(N + "RMSNorm", 8, at=(3, 8)),
    case(N + "RMSNorm", (2, 4), elementwise_affine=False, at=(2, 4)),
    case(N + "LocalResponseNorm", 2, at=(4, 5)),
    # embeddings
    case(N + "Embedding", 10, 4, at=(3,), fwd=indices),
    case(N + "Embedding", 10, 4, padding_idx=0, max_norm=1.0, _freeze=True, at=(3,), fwd=indices),
    case(N + "EmbeddingBag", 10, 4, mode="sum", at=(3,), fwd=indices),
    # recurrent
    case(N + "RNN", 4, 6, at=(5, 4), fwd=first),
    case(N + "RNN", 4, 6, 2, "relu", False, at=(5, 4), fwd=first),
    case(N + "RNN", 4, 6, bidirectional=True, batch_first=True, at=(5, 4), fwd=first),
    case(N + "LSTM", 4, 6, at=(5, 4), fwd=first),
    case(N + "LSTM", 4, 6, 3, bidirectional=True, proj_size=3, at=(5, 4), fwd=first),
    case(N + "LSTM", 4, 6, 2, False, True, 0.0, False, 2, at=(5, 4), fwd=first),
    case(N + "GRU", 4, 6, num_layers=2, bias=False, bidirectional=True, at=(5, 4), fwd=first),
    case(N + "GRU", 4, 6, at=(4,), fwd=first),  # a 2D input is one unbatched sequence
    case(N + "RNNCell", 4, 6, at=(4,)),
    case(N + "RNNCell", 4, 6, False, "relu", at=(4,)),
    case(N + "LSTMCell", 4, 6, at=(4,), fwd=first),
    case(N + "GRUCell", 4, 6, bias=False, at=(4,)),
    # attention and transformers
    case(N + "MultiheadAttention", 8, 2, at=(3, 8), fwd=attend),
    case(N + "MultiheadAttention", 8, 2, kdim=5, vdim=6, add_bias_kv=True, at=(3, 8),
         fwd=lambda m, x: m(x, x.new_zeros(2, 3, 5), x.new_zeros(2, 3, 6))[0]),
    case(N + "MultiheadAttention", 8, 4, 0.0, False, batch_first=True, at=(3, 8), fwd=attend),
    case(N + "MultiheadAttention", 8, 2, kdim=8, vdim=4, bias=False),
    case(N + "TransformerEncoderLayer", 8, 2, 16, at=(3, 8)),
    case(N + "TransformerEncoderLayer", 8, 2, 16, bias=False, norm_first=True, activation="gelu", at=(3, 8)),
    case(N + "TransformerEncoderLayer", 8, 2, 16, activation=L(N + "PReLU"), at=(3, 8)),
    case(N + "TransformerDecoderLayer", 8, 2, 16, at=(3, 8), fwd=pair),
    case(N + "TransformerDecoderLayer", 8, 4, 12, 0.1, "relu", bias=False, at=(3, 8), fwd=pair),
    case(N + "TransformerEncoder", L(N + "TransformerEncoderLayer", 8, 2, 16), 2, L(N + "LayerNorm", 8), at=(3, 8)),
    case(N + "TransformerDecoder", L(N + "TransformerDecoderLayer", 8, 2, 16, bias=False), 3, at=(3, 8), fwd=pair),
    case(N + "Transformer", 8, 2, 1, 2, 16, at=(3, 8), fwd=pair),
    case(N + "Transformer", d_model=8, nhead=2, num_encoder_layers=2, num_decoder_layers=1, dim_feedforward=16,
         activation=L(N + "PReLU", 2), bias=False),
    case(N + "Transformer", d_model=8, nhead=2, num_decoder_layers=1, dim_feedforward=16,
         custom_encoder=L(N + "Linear", 8, 8)),
    # activations
    *[case(N + name, at=(3, 4)) for name in ACTIVATIONS],
    case(N + "Softmax", 1, at=(3, 4)),
    case(N + "Hardtanh", -2.0, 2.0, at=(3, 4)),
    case(N + "Softmax2d", at=(3, 4, 4)),
    case(N + "Threshold", 0.1, 20.0, at=(3, 4)),
    case(N + "PReLU", at=(5,)),
    case(N + "PReLU", 3, at=(3, 4)),
    case(N + "GLU", at=(3, 4)),
    case(N + "GLU", 1, at=(4, 3)),
    # dropout
    case(N + "Dropout", 0.2, at=(5,)),
    case(N + "Dropout1d", at=(3, 4)),
    case(N + "Dropout2d", p=0.1, at=(3, 4, 4)),
    case(N + "Dropout3d", at=(2, 3, 3, 3)),
    case(N + "AlphaDropout", at=(5,)),
    case(N + "FeatureAlphaDropout", at=(3, 4, 4)),
    # pooling
    case(N + "MaxPool1d", 3, at=(2, 10)),
    case(N + "MaxPool1d", 3, 2, 1, ceil_mode=True, at=(2, 10)),
    case(N + "MaxPool1d", 2, at=(9,)),  # a 2D input is unbatched: (C, L)
    case(N + "MaxPool2d", 3, stride=2, padding=1, dilation=2, ceil_mode=True, at=(2, 9, 9)),
    case(N + "MaxPool1d", 2, 2, 1, ceil_mode=True, at=(1, 5)),  # a last window starting in the padding is dropped
    case(N + "AvgPool1d", 2, 2, 1, ceil_mode=True, at=(1, 5)),
    case(N + "MaxPool2d", 2, return_indices=True, at=(3, 7, 7), fwd=first),
    case(N + "MaxPool3d", 2, at=(1, 5, 5, 5)),
    case(N + "AvgPool1d", 3, 2, 1, True, False, at=(2, 10)),
    case(N + "AvgPool2d", (2, 3), stride=(2, 1), at=(2, 6, 6)),
    case(N + "AvgPool3d", 2, ceil_mode=True, divisor_override=3, at=(1, 5, 5, 5)),
    case(N + "LPPool1d", 2, 3, at=(2, 10)),
    case(N + "LPPool2d", 2, 2, ceil_mode=True, at=(1, 5, 5)),
    case(N + "LPPool3d", 1, 2, at=(1, 4, 4, 4)),
    case(N + "AdaptiveAvgPool1d", 3, at=(2, 10)),
    case(N + "AdaptiveAvgPool2d", (None, 2), at=(2, 5, 6)),
    case(N + "AdaptiveAvgPool3d", 1, at=(1, 3, 4, 5)),
    case(N + "AdaptiveMaxPool1d", 4, at=(2, 10)),
    case(N + "AdaptiveMaxPool2d", 2, at=(2, 5, 5)),
    case(N + "AdaptiveMaxPool3d", (2, None, 1), at=(1, 3, 4, 5)),
    # reshaping and resizing
    case(N + "Flatten", at=(2, 3, 4)),
    case(N + "Flatten", 0, at=(2, 3)),
    case(N + "Flatten", 2, 3, at=(2, 3, 4)),
    case(N + "Flatten", 1, 1, at=(3, 4)),
    case(N + "Unflatten", 1, (2, 3), at=(6, 4)),
    case(N + "Unflatten", -1, (2, -1), at=(3, 8)),
    case(N + "Upsample", scale_factor=2, at=(2, 3, 3)),
    case(N + "Upsample", size=(5, 7), mode="bilinear", align_corners=False, at=(2, 3, 3)),
    case(N + "Upsample", None, 1.5, "linear", at=(2, 5)),
    case(N + "Upsample", scale_factor=(2, 1.5, 1), mode="trilinear", at=(1, 3, 3, 3)),
    case(N + "Upsample", scale_factor=1.7, at=(1, 7)),  # floor(7 * 1.7) = 11
    case(N + "Upsample", scale_factor=0.5, mode="area", at=(1, 7)),
    case(N + "Upsample", scale_factor=2.5, mode="bicubic", recompute_scale_factor=True, at=(1, 3, 5)),
    case(N + "UpsamplingNearest2d", scale_factor=2, at=(2, 3, 3)),
    case(N + "UpsamplingBilinear2d", 5, at=(2, 3, 3)),
    case(N + "PixelShuffle", 2, at=(8, 3, 3)),
    case(N + "PixelUnshuffle", 2, at=(2, 4, 6)),
    case(N + "ChannelShuffle", 2, at=(4, 3, 3)),
    case(N + "ReflectionPad1d", 2, at=(2, 5)),
    case(N + "ReflectionPad2d", (1, 0, 2, 1), at=(2, 4, 4)),
    case(N + "ReflectionPad3d", 1, at=(1, 3, 3, 3)),
    case(N + "ReplicationPad1d", (1, 2), at=(2, 5)),
    case(N + "ReplicationPad2d", 1, at=(2, 4, 4)),
    case(N + "ReplicationPad3d", (1, 0, 0, 1, 1, 0), at=(1, 3, 3, 3)),
    case(N + "ZeroPad1d", (-1, 2), at=(2, 5)),
    case(N + "ZeroPad2d", 1, at=(2, 4, 4)),
    case(N + "ZeroPad3d", 1, at=(1, 2, 2, 2)),
    case(N + "ConstantPad1d", 2, 1.5, at=(2, 5)),
    case(N + "ConstantPad2d", (1, 1, 0, 2), 0.0, at=(2, 4, 4)),
    case(N + "ConstantPad3d", 1, 2.0, at=(1, 2, 2, 2)),
    case(N + "CircularPad1d", 2, at=(2, 5)),
    case(N + "CircularPad2d", (1, 1, 2, 0), at=(2, 4, 4)),
    case(N + "CircularPad3d", 1, at=(1, 3, 3, 3)),
]
# losses and distances: no parameters (their weight arguments are buffers), as torch counts them
CASES += [case(N + name) for name in (*parameterless.LOSSES, *parameterless.DISTANCES)]
# quantization stubs: no parameters; in a float model a stub passes its input through
CASES += [case(name, at=None if name.endswith("FloatFunctional") else (3, 4)) for name in parameterless.QUANTIZATION]


def to_torch(torch: Any, value: Any) -> Any:
    """Build the torch module an engine Layer describes (nested Layers become nested modules)."""
    if isinstance(value, Layer):
        where = parameterless.QUANTIZATION.get(value.qualname)
        if where is not None:  # defined outside torch.nn
            module, _, name = where.rpartition(".")
            cls = getattr(importlib.import_module(module), name)
        else:
            cls = getattr(torch.nn, value.qualname.rsplit(".", 1)[-1])
        args = [to_torch(torch, a) for a in value.args]
        return cls(*args, **{k: to_torch(torch, v) for k, v in value.kwargs.items()})
    return value


def only_row(layer: Layer, shape: Shape) -> Any:
    result = count_stack("torch", [(None, layer)], shape)
    assert len(result.rows) == 1
    return result


@pytest.fixture(scope="module")
def torch() -> Any:
    torch = pytest.importorskip("torch")
    torch.set_num_threads(1)
    torch.manual_seed(0)
    return torch


@pytest.mark.oracle
@pytest.mark.parametrize("qualname,args,kwargs,shape,fwd", CASES)
def test_matches_pytorch(torch: Any, qualname: str, args: tuple[Any, ...], kwargs: dict[str, Any], shape: Shape,
                         fwd: Optional[Forward]) -> None:
    layer = Layer(qualname, args=args, kwargs=kwargs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        module = to_torch(torch, layer)
        out = None
        if shape is not None:
            x = torch.zeros((2, *shape))
            with torch.no_grad():
                out = (fwd or (lambda m, t: m(t)))(module.eval(), x)
    # Lazy modules only have parameters once they have seen an input.
    trainable = sum(p.numel() for p in module.parameters() if p.requires_grad)
    frozen = sum(p.numel() for p in module.parameters() if not p.requires_grad)

    result = only_row(layer, shape)
    row = result.rows[0]
    assert result.problems == []
    assert (row.trainable, row.non_trainable) == (trainable, frozen), row.formula
    if out is not None:
        assert row.output_shape == tuple(out.shape[1:])
    assert f"{row.params:,}" in row.formula if row.params else row.formula == ""

    # Parameters never depend on a missing input shape, except where torch reads it (Lazy modules).
    unknown = only_row(layer, None)
    if qualname.startswith(N + "Lazy"):
        assert [type(p) for p in unknown.problems] == [NeedsInputShape]
    else:
        assert unknown.problems == [] and unknown.rows[0].params == trainable + frozen
        assert unknown.rows[0].output_shape is None


def test_every_torch_spec_has_an_oracle_case() -> None:
    covered = {p.values[0] for p in CASES}
    covered |= {v.qualname for p in CASES for v in (*p.values[1], *p.values[2].values()) if isinstance(v, Layer)}
    # nn.Parameter is a tensor of a user-defined module, not a module: checked against torch through
    # fixtures/forms/torch_custom_modules.py (tests/test_fixture_oracles.py) and test_module_rows.py
    missing = sorted(name for name in REGISTRY if name.startswith("torch.") and name not in covered and name != "torch.nn.Parameter")
    assert missing == []


REFUSED = [
    case(N + "Conv2d", 4, 6, 3, groups=4),
    case(N + "Conv2d", 3, 6, 3, padding="same", stride=2),
    case(N + "Conv2d", 3, 6, 5, at=(3, 4, 4)),
    case(N + "Conv2d", 3, 6, 3, padding_mode="Zeros"),
    case(N + "LazyConv2d", 6, 3, groups=4, at=(3, 8, 8)),
    case(N + "ConvTranspose1d", 2, 2, 3, output_padding=1, at=(2, 5)),
    case(N + "ConvTranspose2d", 2, 2, 3, padding_mode="reflect"),
    case(N + "LSTM", 4, 6, proj_size=6),
    case(N + "GRU", 4, 6, 1, True, False, 0.0, False, 3, at=(5, 4), fwd=first),
    case(N + "RNN", 4, 6, nonlinearity="sigmoid"),
    case(N + "GroupNorm", 4, 6),
    case(N + "MultiheadAttention", 10, 3),
    case(N + "TransformerEncoderLayer", 8, 3, 16),
    case(N + "MaxPool1d", 3, padding=2, at=(1, 10)),
    case(N + "AvgPool1d", 3, padding=2, at=(1, 10)),
    case(N + "MaxPool2d", 3, at=(1, 2, 2)),
    case(N + "ReflectionPad1d", 3, at=(1, 3)),
    case(N + "CircularPad1d", 4, at=(1, 3)),
    case(N + "GLU", at=(5,)),
    case(N + "PixelShuffle", 2, at=(6, 3, 3)),
    case(N + "PixelUnshuffle", 2, at=(2, 3, 4)),
    case(N + "ChannelShuffle", 3, at=(4, 2, 2)),
    case(N + "Softmax2d", at=(3,)),
    case(N + "LocalResponseNorm", 2, at=(4,)),
    case(N + "Dropout", 1.5),
    case(N + "Embedding", 5, 2, padding_idx=5),
    case(N + "Upsample", at=(2, 4)),
    case(N + "Upsample", size=3, mode="bilinear", at=(2, 4)),
    case(N + "Upsample", scale_factor=2, align_corners=True, at=(2, 4)),
    case(N + "Unflatten", 1, (2, 4), at=(6,)),
    case(N + "Flatten", 2, 1, at=(3, 4)),
]


@pytest.mark.oracle
@pytest.mark.parametrize("qualname,args,kwargs,shape,fwd", REFUSED)
def test_refuses_what_pytorch_refuses(torch: Any, qualname: str, args: tuple[Any, ...], kwargs: dict[str, Any],
                                      shape: Shape, fwd: Optional[Forward]) -> None:
    layer = Layer(qualname, args=args, kwargs=kwargs)
    result = only_row(layer, shape)
    assert [type(p) for p in result.problems] == [InvalidConfig]
    assert result.rows[0].params is None
    with pytest.raises(Exception), warnings.catch_warnings():  # noqa: B017 (torch raises several types)
        warnings.simplefilter("ignore")
        module = to_torch(torch, layer)
        (fwd or (lambda m, t: m(t)))(module, torch.zeros((2, *(shape or (4, 4, 4)))))


# -- plain unit tests: hand-computed numbers --------------------------------------------------

def count(qualname: str, *args: Any, at: Shape = None, **kwargs: Any) -> Any:
    return only_row(L(N + qualname, *args, **kwargs), at)


def test_conv_formula_reads_like_the_arithmetic() -> None:
    row = count("Conv2d", 3, 32, 3, at=(3, 28, 28)).rows[0]
    assert (row.params, row.output_shape, row.formula) == (896, (32, 26, 26), "(3*3*3 + 1) * 32 = 896")


def test_grouped_conv_counts_in_channels_per_group() -> None:
    row = count("Conv2d", 64, 64, 3, groups=32, bias=False).rows[0]
    assert row.params == 3 * 3 * 2 * 64 and row.formula == "3*3*2 * 64 = 1,152 (groups=32)"


def test_batchnorm_running_stats_are_buffers() -> None:
    row = count("BatchNorm2d", 64).rows[0]
    assert (row.params, row.trainable, row.formula) == (128, 128, "2 * 64 = 128 (weight, bias)")
    assert count("BatchNorm2d", 64, affine=False).rows[0].params == 0


def test_lstm_has_two_bias_vectors_per_gate() -> None:
    row = count("LSTM", 10, 20).rows[0]
    assert row.params == 4 * 20 * (10 + 20 + 2) == 2560
    assert row.formula == "4*20*(10 + 20 + 2) = 2,560"


def test_bidirectional_projected_lstm() -> None:
    # layer 0: per direction 4*8*(5 + 3 + 2) + 3*8; layer 1 reads both directions' projections (2*3).
    expected = 2 * (4 * 8 * (5 + 3 + 2) + 3 * 8) + 2 * (4 * 8 * (6 + 3 + 2) + 3 * 8)
    row = count("LSTM", 5, 8, 2, bidirectional=True, proj_size=3, at=(7, 5)).rows[0]
    assert (row.params, row.output_shape) == (expected, (7, 6))


def test_attention_with_separate_key_and_value_sizes() -> None:
    # q, k, v projections 8x8, 8x5, 8x6; in_proj_bias 24; out_proj 8x8 + 8; bias_k, bias_v 8 each
    row = count("MultiheadAttention", 8, 2, kdim=5, vdim=6, add_bias_kv=True).rows[0]
    assert row.params == 64 + 40 + 48 + 24 + 64 + 8 + 16 == 264


def test_frozen_embedding_is_non_trainable() -> None:
    row = count("Embedding", 100, 16, _freeze=True).rows[0]
    assert (row.trainable, row.non_trainable) == (0, 1600)


def test_declared_size_mismatch_is_reported_and_count_stays_exact() -> None:
    for result in (count("Linear", 8, 4, at=(5,)), count("Conv2d", 3, 8, 3, at=(4, 8, 8)),
                   count("LayerNorm", (4, 8), at=(4, 7)), count("GRU", 6, 4, at=(3, 5))):
        assert [type(p) for p in result.problems] == [Mismatch]
        assert result.rows[0].params is not None
    problem = count("Linear", 8, 4, at=(5,)).problems[0]
    assert problem.fields == {"layer": "Linear", "arg": "in_features", "declared": 8, "actual": 5}


def test_lazy_module_without_input_shape_is_not_guessed() -> None:
    result = count("LazyConv2d", 8, 3)
    assert result.rows[0].params is None and [type(p) for p in result.problems] == [NeedsInputShape]


def test_parameter_free_modules_have_no_formula() -> None:
    row = count("ReLU", at=(3,)).rows[0]
    assert (row.params, row.formula, row.output_shape) == (0, "", (3,))


def test_flatten_after_conv_in_a_sequential() -> None:
    layers = [L(N + "Conv2d", 1, 4, 3), L(N + "MaxPool2d", 2), L(N + "Flatten"), L(N + "Linear", 4 * 13 * 13, 10)]
    result = count_stack("torch", [(None, layer) for layer in layers], (1, 28, 28))
    assert result.problems == [] and result.output_shape == (10,)
    assert result.total == 40 + 4 * 13 * 13 * 10 + 10


def test_unknown_dims_flow_through() -> None:
    layers = [L(N + "Conv2d", 3, 8, 3, padding=1), L(N + "Flatten"), L(N + "LazyLinear", 4)]
    result = count_stack("torch", [(None, layer) for layer in layers], (3, None, 8))
    assert [r.output_shape for r in result.rows[:2]] == [(8, None, 8), (None,)]
    assert result.rows[2].params is None and [type(p) for p in result.problems] == [NeedsInputShape]


def test_arguments_that_change_nothing_may_be_unknown() -> None:
    assert count("LeakyReLU", Unknown("a module constant"), at=(4,)).rows[0].params == 0
    result = count("Conv2d", 3, 8, Unknown("computed"))
    assert result.rows[0].params is None and [type(p) for p in result.problems] == [UnknownValue]


def test_activation_module_inside_a_transformer_layer_counts() -> None:
    plain = count("TransformerEncoderLayer", 8, 2, 16).rows[0].params
    assert count("TransformerEncoderLayer", 8, 2, 16, activation=L(N + "PReLU")).rows[0].params == plain + 1
    assert count("TransformerEncoderLayer", 8, 2, 16, activation=Unknown("F.gelu")).rows[0].params is None
