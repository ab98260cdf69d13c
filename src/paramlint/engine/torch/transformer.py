"""torch.nn attention and transformer layers: MultiheadAttention, Transformer{Encoder,Decoder}[Layer], Transformer.

These modules take several inputs (query/key/value, tgt/memory); the incoming shape is the first
one's, and the output shape is that of the first output (``attn_output`` for MultiheadAttention).
"""
from __future__ import annotations

from typing import Optional

from ..spec import Call, Out, num, register
from ..values import Layer, Shape, Symbol


def attention(embed: int, kdim: int, vdim: int, bias: bool, bias_kv: bool) -> int:
    """q/k/v input projections, the output Linear, and the optional bias_k, bias_v.

    With kdim == vdim == embed_dim torch packs q/k/v in one (3E, E) in_proj_weight, otherwise it
    keeps three separate weights: the count is the same sum either way.
    """
    return embed * (embed + kdim + vdim) + embed * embed + (4 * embed if bias else 0) + (2 * embed if bias_kv else 0)


def _heads(c: Call, embed: int, heads: int) -> None:
    if embed % heads:
        raise c.invalid(f"embed_dim must be divisible by num_heads. Received: embed_dim={embed}, num_heads={heads}")


def _resized(c: Call, width: int) -> Optional[Shape]:
    if c.input is None:
        return None
    return c.input[:-1] + (width,)


@register("torch.nn.MultiheadAttention")
def multihead_attention(c: Call) -> Out:
    embed = c.int("embed_dim", 0, min=1)
    heads = c.int("num_heads", 1, min=1)
    bias = c.bool("bias", 3, True)
    bias_kv = c.bool("add_bias_kv", 4, False)
    kdim = c.opt_int("kdim", 6, None, min=1) or embed
    vdim = c.opt_int("vdim", 7, None, min=1) or embed
    _heads(c, embed, heads)
    c.check_declared("embed_dim", embed, -1)
    weights = attention(embed, kdim, vdim, bias, bias_kv)
    formula = f"{embed}*({embed} + {kdim} + {vdim} + {embed})"
    formula += f" + 4*{embed}" * bias + f" + 2*{embed}" * bias_kv
    return Out(_resized(c, embed), weights, 0, f"{formula} = {num(weights)}")


def _activation(c: Call, pos: int, shape: Optional[Shape]) -> Out:
    """``activation``: 'relu'/'gelu', a function (no parameters), or a module, whose parameters count."""
    if not c.has("activation", pos):
        return Out(None)  # the default, F.relu
    raw = c.raw("activation", pos)
    if isinstance(raw, Layer):
        return c.run(c.layer_arg("activation", pos), shape)
    if isinstance(raw, Symbol) and raw.is_function:
        return Out(None)  # F.gelu, torch.tanh, a function of the file's own: no parameters
    c.str("activation", pos, choices=("relu", "gelu"), lower=False)
    return Out(None)


def block(d: int, ff: int, bias: bool, attentions: int, norms: int, act: Out) -> tuple[int, str]:
    """One encoder (1 attention, 2 norms) or decoder (2 attentions, 3 norms) layer: count and formula."""
    att = attention(d, d, d, bias, False)
    linears = 2 * d * ff + ((ff + d) if bias else 0)
    norm = d * (2 if bias else 1)
    total = attentions * att + linears + norms * norm + act.params
    parts = [f"{attentions}*" * (attentions > 1) + f"{num(att)} (attention)", f"{num(linears)} (feed-forward)",
             f"{norms}*{num(norm)} (norms)"] + [f"{num(act.params)} (activation)"] * (act.params > 0)
    return total, " + ".join(parts)


def transformer_layer(c: Call, attentions: int, norms: int) -> Out:
    d = c.int("d_model", 0, min=1)
    heads = c.int("nhead", 1, min=1)
    ff = c.int("dim_feedforward", 2, 2048, min=1)
    bias = c.bool("bias", 8, True)
    _heads(c, d, heads)
    c.check_declared("d_model", d, -1)
    act = _activation(c, 4, _resized(c, ff))
    total, formula = block(d, ff, bias, attentions, norms, act)
    return Out(_resized(c, d), total - act.non_trainable, act.non_trainable, f"{formula} = {num(total)}")


@register("torch.nn.TransformerEncoderLayer")
def transformer_encoder_layer(c: Call) -> Out:
    return transformer_layer(c, attentions=1, norms=2)


@register("torch.nn.TransformerDecoderLayer")
def transformer_decoder_layer(c: Call) -> Out:
    # forward(tgt, memory): the incoming shape is tgt's
    return transformer_layer(c, attentions=2, norms=3)


def _optional_module(c: Call, key: str, pos: int, shape: Optional[Shape]) -> Out:
    if c.raw(key, pos, None) is None:
        return Out(shape)
    return c.run(c.layer_arg(key, pos), shape)


@register("torch.nn.TransformerEncoder", "torch.nn.TransformerDecoder")
def transformer_stack(c: Call) -> Out:
    # The layer passed in is deep-copied num_layers times; the original is not a submodule.
    first = "encoder_layer" if c.name == "TransformerEncoder" else "decoder_layer"
    layer = c.run(c.layer_arg(first, 0), c.input)
    repeats = c.int("num_layers", 1, min=1)
    norm = _optional_module(c, "norm", 2, layer.shape)
    trainable = repeats * layer.trainable + norm.trainable
    frozen = repeats * layer.non_trainable + norm.non_trainable
    formula = f"{repeats} * {num(layer.params)}" + f" + {num(norm.params)} (norm)" * (norm.params > 0)
    return Out(norm.shape, trainable, frozen, f"{formula} = {num(trainable + frozen)}")


@register("torch.nn.Transformer")
def transformer(c: Call) -> Out:
    # forward(src, tgt): the incoming shape is src's; the output has tgt's shape, resized to d_model.
    d = c.int("d_model", 0, 512, min=1)
    heads = c.int("nhead", 1, 8, min=1)
    ff = c.int("dim_feedforward", 4, 2048, min=1)
    bias = c.bool("bias", 12, True)
    _heads(c, d, heads)
    c.check_declared("d_model", d, -1)
    # An activation module is deep-copied into every encoder and decoder layer.
    act = _activation(c, 6, _resized(c, ff))
    halves = [_half(c, "encoder", 7, 2, d, ff, bias, act), _half(c, "decoder", 8, 3, d, ff, bias, act)]
    trainable = sum(h.trainable for h in halves)
    frozen = sum(h.non_trainable for h in halves)
    formula = " + ".join(h.formula for h in halves)
    return Out(_resized(c, d), trainable, frozen, f"{formula} = {num(trainable + frozen)}")


def _half(c: Call, part: str, custom_pos: int, layers_pos: int, d: int, ff: int, bias: bool, act: Out) -> Out:
    """The encoder or the decoder of a Transformer: a custom module, or N layers and a final LayerNorm."""
    key = f"custom_{part}"
    if c.raw(key, custom_pos, None) is not None:
        custom = c.run(c.layer_arg(key, custom_pos), c.input)
        return Out(None, custom.trainable, custom.non_trainable, f"{num(custom.params)} ({key})")
    repeats = c.int(f"num_{part}_layers", layers_pos, 6, min=1)
    attentions, norms = (1, 2) if part == "encoder" else (2, 3)
    one, _ = block(d, ff, bias, attentions, norms, act)
    final_norm = d * (2 if bias else 1)
    trainable = repeats * (one - act.non_trainable) + final_norm
    return Out(None, trainable, repeats * act.non_trainable, f"{repeats} * {num(one)} + {num(final_norm)} ({part})")
