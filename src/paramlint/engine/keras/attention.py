"""Keras attention: MultiHeadAttention, GroupQueryAttention (projections sized by the query, value and key
feature dims), Attention and AdditiveAttention (at most a scale)."""
from __future__ import annotations

import math
from typing import Any, Optional

from ..findings import NeedsInputShape, UnknownValue
from ..spec import Call, Out, num, register, show_shape
from ..values import Shape, describe


def operands(c: Call) -> tuple[Optional[Shape], Optional[Shape], Optional[Shape]]:
    """(query, value, key) of a ``layer(query, value, key=None)`` call, positionally or by keyword."""
    names = ("query", "value", "key")
    given: dict[str, Optional[Shape]] = dict(zip(names, c.inputs))
    for name in names:
        if name in c.named:
            if name in given:
                raise c.invalid(f"got multiple values for argument '{name}'")
            given[name] = c.named[name]
    if "value" not in given:
        raise c.invalid("is called as layer(query, value, key=None): the value tensor is missing")
    return given.get("query"), given["value"], given.get("key")


def feature(c: Call, shape: Optional[Shape], which: str) -> int:
    """The last (feature) dim of one operand: it sizes that operand's projection, so it must be known."""
    if shape is None or not shape or shape[-1] is None:
        raise NeedsInputShape(c.layer.line, c.layer.column, layer=f"{c.name} ({which})")
    return shape[-1]


def same_but_last(c: Call, value: Shape, key: Shape) -> None:
    if value[:-1] != key[:-1]:
        raise c.invalid("all dimensions of value and key, except the last one, must be equal. "
                        f"Received: value shape {show_shape(value)}, key shape {show_shape(key)}")


def projection(n_in: int, heads: int, size: int, bias: bool) -> tuple[int, str]:
    """An EinsumDense from n_in features to (heads, size), with a (heads, size) bias."""
    weights = n_in * heads * size + (heads * size if bias else 0)
    return weights, f"{n_in} * {heads} * {size}" + (f" + {heads} * {size}" if bias else "")


def dropout_and_flash(c: Call, dropout_pos: int, flash_pos: int) -> None:
    """Keras refuses dropout when flash attention is asked for (the keras.json default is assumed off)."""
    dropout = c.float("dropout", dropout_pos, 0.0)
    if c.raw("flash_attention", flash_pos, None) and dropout > 0:
        raise c.invalid(f"dropout is not supported with flash attention. Received: dropout={describe(dropout)}, flash_attention=True")


def sliding_window(c: Call, pos: int) -> None:
    c.opt_int("sliding_window", pos, None, min=1)


@register("keras.layers.MultiHeadAttention")
def multi_head_attention(c: Call) -> Out:
    """(num_heads, key_dim, value_dim=key_dim, dropout, use_bias, output_shape, attention_axes, sliding_window,
    flash_attention, ..., use_gate at 16), called as (query, value, key=value).

    Query and key project to (num_heads, key_dim), value (and the gate, from the query) to (num_heads, value_dim);
    the output projection maps (num_heads, value_dim) to ``output_shape`` (default: the query's last dim)."""
    heads = c.int("num_heads", 0, min=1)
    key_dim = c.int("key_dim", 1, min=1)
    value_dim = c.opt_int("value_dim", 2, None, min=1) or key_dim
    use_bias = c.bool("use_bias", 4, True)
    out_dims = output_dims(c)
    axes = c.raw("attention_axes", 6, None)
    if axes is not None and not isinstance(axes, (int, tuple, list)):
        raise c.invalid(f"expected an int, list or tuple for 'attention_axes'. Received: attention_axes={describe(axes)}")
    sliding_window(c, 7)
    dropout_and_flash(c, 3, 8)
    use_gate = c.bool("use_gate", 16, False)
    query, value, key = operands(c)
    key = value if key is None else key
    if query is None or value is None or key is None:
        raise NeedsInputShape(c.layer.line, c.layer.column, layer=c.name)
    same_but_last(c, value, key)
    d_q, d_v, d_k = feature(c, query, "query"), feature(c, value, "value"), feature(c, key, "key")
    check_axes(c, axes, len(value) + 2)  # the projected value's rank: (batch, ..., heads, value_dim)
    final = out_dims or (d_q,)
    size = math.prod(final)
    parts = [projection(d_q, heads, key_dim, use_bias), projection(d_k, heads, key_dim, use_bias),
             projection(d_v, heads, value_dim, use_bias)]
    gate = projection(d_q, heads, value_dim, use_bias) if use_gate else None
    return _projected((*query[:-1], *final), parts, gate, heads, value_dim, size, use_bias)


def _projected(shape: tuple[Optional[int], ...], parts: list[tuple[int, str]], gate: Optional[tuple[int, str]], heads: int, dim: int,
               size: int, use_bias: bool) -> Out:
    """The attention layers' sum: the query, key and value projections, the gate, then the output projection
    (``heads * dim`` features to ``size``)."""
    parts = parts + ([gate] if gate is not None else [])
    parts.append((heads * dim * size + (size if use_bias else 0), f"{heads} * {dim} * {size}" + (f" + {size}" if use_bias else "")))
    total = sum(w for w, _ in parts)
    names = "query, key, value" + (", gate" if gate is not None else "") + ", output"
    formula = " + ".join(f"({text})" for _, text in parts) + f" = {num(total)} ({names})"
    return Out(shape, total, 0, formula)


def output_dims(c: Call) -> tuple[int, ...]:
    """``output_shape``: an int or a tuple of ints (Keras builds a 0 as an empty kernel); a falsy value is not given."""
    value = c.raw("output_shape", 5, None)
    if not value:
        return ()
    dims = (value,) if isinstance(value, int) and not isinstance(value, bool) else value
    if not isinstance(dims, (tuple, list)) or not all(isinstance(d, int) and not isinstance(d, bool) and d >= 0 for d in dims):
        raise c.invalid(f"expected a non-negative integer or a tuple of them for 'output_shape'. Received: output_shape={describe(value)}")
    return tuple(dims)


def check_axes(c: Call, axes: Any, rank: int) -> None:
    """Attention axes index the projected tensors (rank with batch and heads); out of range, Keras fails to build."""
    if axes is None:
        return
    items = (axes,) if isinstance(axes, int) else axes
    for axis in items:
        if isinstance(axis, bool) or not isinstance(axis, int):
            raise c.invalid(f"expected integers in 'attention_axes'. Received: attention_axes={describe(axes)}")
        index = axis if axis >= 0 else rank - 1 + axis
        if not 0 <= index < rank - 1:
            raise c.invalid(f"attention axis {axis} is out of bounds for the projected rank {rank}. Received: attention_axes={describe(axes)}")


@register("keras.layers.GroupQueryAttention")
def group_query_attention(c: Call) -> Out:
    """(head_dim, num_query_heads, num_key_value_heads, dropout, use_bias, sliding_window, flash_attention, ...,
    use_gate at 14), called as (query, value, key=value) on (batch, length, features) tensors.

    The query (and gate) project to (num_query_heads, head_dim), key and value to (num_key_value_heads, head_dim);
    the output projection maps back to the query's features."""
    head_dim = c.int("head_dim", 0, min=1)
    q_heads = c.int("num_query_heads", 1, min=1)
    kv_heads = c.int("num_key_value_heads", 2, min=1)
    if q_heads % kv_heads:
        raise c.invalid(f"num_query_heads must be divisible by num_key_value_heads. Received: {q_heads} and {kv_heads}")
    use_bias = c.bool("use_bias", 4, True)
    sliding_window(c, 5)
    dropout_and_flash(c, 3, 6)
    use_gate = c.bool("use_gate", 14, False)
    query, value, key = operands(c)
    key = value if key is None else key
    if query is None or value is None or key is None:
        raise NeedsInputShape(c.layer.line, c.layer.column, layer=c.name)
    for which, shape in (("query", query), ("value", value), ("key", key)):
        if len(shape) < 2:
            raise c.invalid(f"expects {which} of rank 3 (batch, length, features), received shape {show_shape(shape)}")
        if len(shape) > 2:  # Keras builds it, but its fixed 'bqm' equations then size the kernels otherwise
            raise UnknownValue(c.layer.line, c.layer.column, what=f"{c.name}({which} of rank {len(shape) + 1})",
                               reason="paramlint models GroupQueryAttention on (batch, length, features) tensors only")
    if query[-1] != value[-1]:
        raise c.invalid(f"the last dimension of query and value must be equal. Received: {show_shape(query)} and {show_shape(value)}")
    same_but_last(c, value, key)
    d_q, d_v, d_k = feature(c, query, "query"), feature(c, value, "value"), feature(c, key, "key")
    parts = [projection(d_q, q_heads, head_dim, use_bias), projection(d_k, kv_heads, head_dim, use_bias),
             projection(d_v, kv_heads, head_dim, use_bias)]
    gate = projection(d_q, q_heads, head_dim, use_bias) if use_gate else None
    return _projected(query, parts, gate, q_heads, head_dim, d_q, use_bias)


def query_value(c: Call) -> tuple[Optional[Shape], Optional[Shape]]:
    """Attention layers take one list, [query, value] or [query, value, key]."""
    if c.layer.seen_inputs is None and c.inputs == [c.input]:
        raise c.invalid("must be called on a list of inputs, namely [query, value] or [query, value, key]")
    if not 2 <= len(c.inputs) <= 3:
        raise c.invalid(f"accepts a list of 2 or 3 inputs, [query, value] or [query, value, key]. Received: {len(c.inputs)} inputs")
    return c.inputs[0], c.inputs[1]


def attended(query: Optional[Shape], value: Optional[Shape]) -> Optional[Shape]:
    return None if query is None or value is None else (*query[:-1], value[-1] if value else None)


@register("keras.layers.Attention")
def attention(c: Call) -> Out:
    """(use_scale=False, score_mode='dot', dropout, seed): a scalar scale, and a scalar weight for 'concat' scores."""
    use_scale = c.bool("use_scale", 0, False)
    concat = c.str("score_mode", 1, "dot", choices=("dot", "concat"), lower=False) == "concat"
    query, value = query_value(c)
    weights = int(use_scale) + int(concat)
    names = ", ".join(n for n, on in (("scale", use_scale), ("concat_score_weight", concat)) if on)
    return Out(attended(query, value), weights, 0, f"{weights} ({names})" if weights else "")


@register("keras.layers.AdditiveAttention")
def additive_attention(c: Call) -> Out:
    """(use_scale=True, dropout): one scale per query feature."""
    use_scale = c.bool("use_scale", 0, True)
    query, value = query_value(c)
    if not use_scale:
        return Out(attended(query, value))
    dim = feature(c, query, "query")
    return Out(attended(query, value), dim, 0, f"{num(dim)} (scale)")
