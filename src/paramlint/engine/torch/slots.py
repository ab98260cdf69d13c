"""The named parameters of torch layers (``weight``, ``bias``) and their sizes, for what a file does to one
parameter: tie it to another layer's (``head.weight = emb.weight``) or freeze it (``emb.weight.requires_grad = False``).

Only layers whose parameters are ``weight`` and an optional ``bias`` sized by the output are listed; any other
layer answers None, and what the file did to its parameters leaves the count incomplete, never a guess.
"""
from __future__ import annotations

import re
from typing import Callable, Optional

from ..findings import Finding
from ..spec import Call, Out
from ..values import Layer

_WEIGHT_AND_BIAS = {  # qualname pattern -> (position of the output size argument, its name; bias argument and position)
    r"torch\.nn\.Linear": (("out_features", 1), ("bias", 2)),
    r"torch\.nn\.(Conv|ConvTranspose)[123]d": (("out_channels", 1), ("bias", 7)),
    r"torch\.nn\.Bilinear": (("out_features", 2), ("bias", 3)),
}
_WEIGHT_ONLY = (r"torch\.nn\.Embedding", r"torch\.nn\.EmbeddingBag", r"torch\.nn\.RMSNorm", r"torch\.nn\.PReLU")
_GATES = {"torch.nn.RNN": 1, "torch.nn.GRU": 3, "torch.nn.LSTM": 4}
_CELLS = {"torch.nn.RNNCell": 1, "torch.nn.GRUCell": 3, "torch.nn.LSTMCell": 4}
_AFFINE = r"torch\.nn\.(BatchNorm[123]d|InstanceNorm[123]d|GroupNorm|LayerNorm)"


def _no_run(layer: Layer, shape: object) -> Out:
    raise AssertionError("slots never count nested layers")


def slot_sizes(layer: Layer, out: Out) -> Optional[dict[str, int]]:
    """Each parameter of ``layer`` by name (``""`` for an ``nn.Parameter`` itself), given its counted ``out``."""
    total = out.params
    name = layer.qualname
    if name == "torch.nn.Parameter":
        return {"": total}
    if not total:
        return {}  # activations, pooling, dropout: no parameters of their own
    call = Call(layer, None, _no_run)
    for pattern, ((size_name, size_pos), (bias_name, bias_pos)) in _WEIGHT_AND_BIAS.items():
        if re.fullmatch(pattern, name):
            bias = call.int(size_name, size_pos) if call.bool(bias_name, bias_pos, True) else 0
            return {"weight": total - bias, "bias": bias} if bias else {"weight": total}
    if any(re.fullmatch(p, name) for p in _WEIGHT_ONLY):
        return {"weight": total} if total else {}
    if name in _GATES:
        return _recurrent(call, _GATES[name], name == "torch.nn.RNN")
    if name == "torch.nn.MultiheadAttention":
        return _attention(call.int("embed_dim", 0), call.bool("bias", 3, True), call.bool("add_bias_kv", 4, False),
                          call.opt_int("kdim", 6), call.opt_int("vdim", 7))
    if name in _CELLS:
        n_in, hidden, gates = call.int("input_size", 0), call.int("hidden_size", 1), _CELLS[name]
        cell = {"weight_ih": gates * hidden * n_in, "weight_hh": gates * hidden * hidden}
        return {**cell, "bias_ih": gates * hidden, "bias_hh": gates * hidden} if call.bool("bias", 2, True) else cell
    if name in ("torch.nn.TransformerEncoderLayer", "torch.nn.TransformerDecoderLayer"):
        d, ff, bias = call.int("d_model", 0), call.int("dim_feedforward", 2, 2048), call.bool("bias", 8, True)
        return _transformer_layer(d, ff, bias, name.endswith("DecoderLayer"))
    if name == "torch.nn.Transformer" and not call.has("custom_encoder", 7) and not call.has("custom_decoder", 8):
        d, ff, bias = call.int("d_model", 0, 512), call.int("dim_feedforward", 4, 2048), call.bool("bias", 12, True)
        sizes: dict[str, int] = {}
        for part, count in (("encoder", call.int("num_encoder_layers", 2, 6)), ("decoder", call.int("num_decoder_layers", 3, 6))):
            for i in range(count):
                sizes.update({f"{part}.layers.{i}.{k}": v for k, v in _transformer_layer(d, ff, bias, part == "decoder").items()})
            sizes.update({f"{part}.norm.{k}": d for k in ("weight", "bias")[:2 if bias else 1]})
        return sizes
    if name in ("torch.nn.TransformerEncoder", "torch.nn.TransformerDecoder"):
        return _stacked(call, "encoder_layer" if name.endswith("Encoder") else "decoder_layer")
    if re.fullmatch(_AFFINE, name):
        if not total:
            return {}
        if name == "torch.nn.LayerNorm" and not call.bool("bias", 3, True):
            return {"weight": total}
        return {"weight": total // 2, "bias": total // 2}
    return None


def _recurrent(c: Call, gates: int, shifted: bool) -> dict[str, int]:
    """RNN/GRU/LSTM as torch registers them: per layer and direction weight_ih, weight_hh, bias_ih, bias_hh,
    weight_hr (LSTM with proj_size); the spec has already refused what torch refuses."""
    p = 1 if shifted else 0  # RNN's nonlinearity shifts the later positional arguments by one
    n_in, hidden, layers = c.int("input_size", 0), c.int("hidden_size", 1), c.int("num_layers", 2, 1)
    bias = c.bool("bias", 3 + p, True)
    directions = 2 if c.bool("bidirectional", 6 + p, False) else 1
    proj = 0 if shifted or gates != 4 else c.int("proj_size", 7, 0)
    n_rec = proj or hidden
    out: dict[str, int] = {}
    for layer in range(layers):
        width = n_in if layer == 0 else n_rec * directions
        for suffix in ("", "_reverse")[:directions]:
            out[f"weight_ih_l{layer}{suffix}"] = gates * hidden * width
            out[f"weight_hh_l{layer}{suffix}"] = gates * hidden * n_rec
            if bias:
                out[f"bias_ih_l{layer}{suffix}"] = out[f"bias_hh_l{layer}{suffix}"] = gates * hidden
            if proj:
                out[f"weight_hr_l{layer}{suffix}"] = proj * hidden
    return out


def _stacked(c: Call, key: str) -> Optional[dict[str, int]]:
    """TransformerEncoder/Decoder: ``num_layers`` copies of the layer given, then the optional norm."""
    from ..stack import Counter  # the counter imports this module

    inner, layers, norm = c.layer_arg(key, 0), c.int("num_layers", 1), c.raw("norm", 2, None)
    one = slot_sizes(inner, Counter("torch").run(inner, None))
    last = {} if norm is None else slot_sizes(norm, Counter("torch").run(norm, None)) if isinstance(norm, Layer) else None
    if one is None or last is None:
        return None
    sizes = {f"layers.{i}.{k}": v for i in range(layers) for k, v in one.items()}
    return {**sizes, **{f"norm.{k}": v for k, v in last.items()}}


def _transformer_layer(d: int, ff: int, bias: bool, decoder: bool) -> dict[str, int]:
    attentions = ("self_attn", "multihead_attn") if decoder else ("self_attn",)
    out = {f"{a}.{k}": v for a in attentions for k, v in _attention(d, bias, False, None, None).items()}
    for prefix, n_in, n_out in (("linear1", d, ff), ("linear2", ff, d)):
        out[f"{prefix}.weight"] = n_in * n_out
        if bias:
            out[f"{prefix}.bias"] = n_out
    for norm in ("norm1", "norm2", "norm3")[:3 if decoder else 2]:
        out[f"{norm}.weight"] = d
        if bias:
            out[f"{norm}.bias"] = d
    return out


def _attention(e: int, bias: bool, bias_kv: bool, kdim: Optional[int], vdim: Optional[int]) -> dict[str, int]:
    """MultiheadAttention: its own parameters in registration order, then out_proj's."""
    kdim, vdim = kdim or e, vdim or e
    out = {"in_proj_weight": 3 * e * e} if kdim == e and vdim == e else \
        {"q_proj_weight": e * e, "k_proj_weight": e * kdim, "v_proj_weight": e * vdim}
    if bias:
        out["in_proj_bias"] = 3 * e
    if bias_kv:
        out["bias_k"] = out["bias_v"] = e
    out["out_proj.weight"] = e * e
    if bias:
        out["out_proj.bias"] = e
    return out


def slot_names(layer: Layer, count: Callable[[Layer], Out]) -> Optional[list[str]]:
    """The names ``named_parameters()`` gives ``layer``'s own parameters, in order, or None if not known."""
    try:
        sizes = slot_sizes(layer, count(layer))
    except Finding:  # a layer that cannot be counted has no known names
        return None
    return None if sizes is None else list(sizes)
