"""Keras feature preprocessing: Normalization, Discretization, CategoryEncoding, Hashing, HashedCrossing,
StringLookup, IntegerLookup, TextVectorization.

Only Normalization holds Keras weights (its adapted statistics, non-trainable). The lookup tables and
TF-IDF weights of the others are TensorFlow objects, not Keras weights: ``count_params`` leaves them out.
Shape rules follow Keras 3's ``compute_output_shape``, which indexes shapes with their batch dimension.
"""
from __future__ import annotations

import math
from typing import Any, Optional

from ..findings import UnknownValue
from ..spec import Call, Out, num, register, show_shape
from ..values import Dim, Shape, Unknown, describe

CATEGORICAL_MODES = ("int", "one_hot", "multi_hot", "count")


def literal_shape(value: Any) -> Optional[tuple[int, ...]]:
    """The array shape of a literal number or nested list (``np.shape``); ``None`` when not a literal."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return ()
    if isinstance(value, (list, tuple)) and value:
        inner = {literal_shape(v) for v in value}
        if len(inner) == 1 and None not in inner:
            return (len(value), *next(iter(inner)))  # type: ignore[misc]
    return None


def given(c: Call, key: str, pos: int) -> bool:
    """Whether an argument is set to something other than None, which Normalization's weights depend on.
    A value paramlint cannot see might be None at run time: not known, so no count."""
    value = c.layer.kwargs[key] if key in c.layer.kwargs else c.layer.args[pos] if pos < len(c.layer.args) else None
    if isinstance(value, Unknown):
        raise UnknownValue(c.layer.line, c.layer.column, what=f"{c.name}({key}=...)",
                           reason=f"whether {key} is None decides the layer's weights, and the value is not known statically ({value.reason})")
    return value is not None


@register("keras.layers.Normalization")
def normalization(c: Call) -> Out:
    """(axis=-1, mean, variance, invert): without mean/variance, Keras adds non-trainable weights for the statistics
    ``adapt`` will fill (mean, variance: one per element of the kept axes; a scalar count). With them given,
    they are constants, not weights."""
    axis = c.raw("axis", 0, -1)
    axes = () if axis is None else (axis,) if isinstance(axis, int) and not isinstance(axis, bool) else axis
    if not isinstance(axes, (tuple, list)) or not all(isinstance(a, int) and not isinstance(a, bool) for a in axes):
        raise c.invalid(f"expected an integer, a tuple of integers or None for 'axis'. Received: axis={describe(axis)}")
    has_mean, has_variance = given(c, "mean", 1), given(c, "variance", 2)
    if has_mean != has_variance:
        raise c.invalid("when setting values directly, both mean and variance must be set")
    if has_mean:
        mean, variance = literal_shape(c.raw("mean", 1)), literal_shape(c.raw("variance", 2))
        if mean is not None and variance is not None and mean != variance:
            raise c.invalid(f"mean and variance must have the same shape. Received: {mean} and {variance}")
        if mean is not None and len(mean) > len(axes):
            raise c.invalid(f"the rank of mean must be at most the number of axes ({len(axes)}). Received: mean shape {mean}")
    if c.input is None and has_mean:
        return Out(None)
    shape = c.need_input()
    rank = len(shape) + 1
    if any(not -rank <= a < rank for a in axes):
        raise c.invalid(f"all axis values must be in the range [-{rank}, {rank}). Received: axis={describe(axis)}")
    kept = sorted(a % rank for a in axes)  # as Keras keeps them: a repeated axis sizes the statistics twice
    if 0 in kept:
        raise UnknownValue(c.layer.line, c.layer.column, what=f"{c.name}(axis=...)",
                           reason="keeping the batch axis sizes the statistics by the batch size, which is not followed")
    dims = [shape[a - 1] for a in kept]
    if None in dims:
        raise c.invalid(f"all axis values to be kept must have a known size. Received: axis={describe(axis)}, input shape {show_shape(shape)}")
    if has_mean:
        return Out(shape)
    size = math.prod(d for d in dims if d is not None)
    frozen = 2 * size + 1
    return Out(shape, 0, frozen, f"2 * {num(size)} + 1 = {num(frozen)} (mean, variance, count; non-trainable)")


def mode(c: Call, pos: int, default: str, choices: tuple[str, ...] = CATEGORICAL_MODES) -> str:
    return c.str("output_mode", pos, default, choices=choices, lower=False)


def encoded(c: Call, out_mode: str, depth: int) -> Out:
    """The encoded shape: 'int' keeps it; 'one_hot' appends the depth (replacing a last dim of 1); the other
    modes replace the last dim. A rank-1 input (batch only) would put the depth in the batch's place: not modelled."""
    if c.input is None:
        return Out(None)
    shape = c.input
    if out_mode == "int":
        return Out(shape)
    if out_mode == "one_hot":
        if shape and shape[-1] == 1:
            return Out((*shape[:-1], depth))
        return Out((*shape, depth))
    if not shape:
        raise UnknownValue(c.layer.line, c.layer.column, what=f"{c.name} output shape",
                           reason=f"Keras gives a batch-only input the shape ({depth},), dropping the batch; not modelled")
    return Out((*shape[:-1], depth))


@register("keras.layers.CategoryEncoding")
def category_encoding(c: Call) -> Out:
    """(num_tokens, output_mode='multi_hot', sparse): 'binary' is Keras' old name for 'multi_hot'."""
    raw_mode = c.str("output_mode", 1, "multi_hot", lower=False)
    out_mode = "multi_hot" if raw_mode == "binary" else mode(c, 1, "multi_hot", ("count", "one_hot", "multi_hot", "binary"))
    tokens = c.int("num_tokens", 0, min=1)
    return encoded(c, out_mode, tokens)


@register("keras.layers.Discretization")
def discretization(c: Call) -> Out:
    """(bin_boundaries, num_bins, epsilon, output_mode='int', sparse): num_bins bins, or one more than the boundaries.

    For 'multi_hot' and 'count', Keras 3.15's shape rule drops the first feature axis, not the last."""
    out_mode = mode(c, 3, "int")
    if c.bool("sparse", 4, False) and out_mode == "int":
        raise c.invalid("sparse=True cannot be used with output_mode='int'")
    boundaries = c.raw("bin_boundaries", 0, None)
    bins = c.opt_int("num_bins", 1, None, min=0)
    if (boundaries is None) == (bins is None):
        raise c.invalid("exactly one of bin_boundaries and num_bins must be given")
    if boundaries is not None and not isinstance(boundaries, (list, tuple)):
        raise c.invalid(f"expected a list of numbers for 'bin_boundaries'. Received: bin_boundaries={describe(boundaries)}")
    depth = len(boundaries) + 1 if boundaries is not None else bins
    assert depth is not None
    if out_mode in ("int", "one_hot") or c.input is None:
        return encoded(c, out_mode, depth)
    if not c.input:
        raise UnknownValue(c.layer.line, c.layer.column, what=f"{c.name} output shape",
                           reason=f"Keras gives a batch-only input the shape ({depth},), dropping the batch; not modelled")
    return Out((*c.input[1:], depth))


@register("keras.layers.Hashing")
def hashing(c: Call) -> Out:
    """(num_bins, mask_value, salt, output_mode='int', sparse)."""
    bins = c.int("num_bins", 0, min=1)
    out_mode = mode(c, 3, "int")
    if c.bool("sparse", 4, False) and out_mode == "int":
        raise c.invalid("sparse=True cannot be used with output_mode='int'")
    salt = c.raw("salt", 2, None)
    salt_ok = salt is None or (isinstance(salt, int) and not isinstance(salt, bool)) or (isinstance(salt, (tuple, list)) and len(salt) == 2)
    if not salt_ok:
        raise c.invalid(f"expected an integer or a pair of integers for 'salt'. Received: salt={describe(salt)}")
    return encoded(c, "int" if out_mode == "int" else "multi_hot", bins)  # Keras 3.15 gives every encoding one row of num_bins


@register("keras.layers.HashedCrossing")
def hashed_crossing(c: Call) -> Out:
    """(num_bins, output_mode='int', sparse), called on a list of two tensors whose last dims agree."""
    bins = c.int("num_bins", 0, min=1)
    out_mode = c.str("output_mode", 1, "int", choices=("int", "one_hot"), lower=False)
    if len(c.inputs) != 2 or c.layer.seen_inputs is None:
        raise c.invalid(f"expects a list of 2 tensors. Received: {len(c.inputs) if c.layer.seen_inputs is not None else 'one tensor'}")
    first, second = c.inputs
    if first is None or second is None:
        return Out(None)
    if (first[-1:] or (None,)) != (second[-1:] or (None,)):
        raise c.invalid(f"expects the two input tensors to have identical shapes. Received: {show_shape(first)} and {show_shape(second)}")
    if out_mode == "int":
        return Out(first)
    if first and first[-1] != 1:
        return Out((*first, bins))
    if not first:
        return Out(None)
    return Out((*first[:-1], bins))


def vocabulary_depth(c: Call, max_tokens_pos: int, pad_pos: int) -> int:
    """The encoded width of a lookup: max_tokens when padded to it, else the vocabulary's size (with its special
    tokens), which comes from adapt() or the vocabulary argument: not followed, so not known."""
    max_tokens = c.opt_int("max_tokens", max_tokens_pos, None, min=1)
    pad = c.bool("pad_to_max_tokens", pad_pos, False)
    if pad and max_tokens is None:
        raise c.invalid("pad_to_max_tokens=True needs max_tokens")
    if pad and max_tokens is not None:
        return max_tokens
    raise UnknownValue(c.layer.line, c.layer.column, what=f"{c.name} output size",
                       reason="it is the vocabulary's size, set by adapt() or vocabulary=, which paramlint does not follow "
                              "(pad_to_max_tokens=True with max_tokens fixes it)")


LOOKUP_MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")


def lookup_spec(mode_pos: int, pad_pos: int, invert_pos: int) -> Any:
    """StringLookup and IntegerLookup: 'int' keeps the shape; the other modes encode to the vocabulary's width."""

    def spec(c: Call) -> Out:
        out_mode = mode(c, mode_pos, "int", LOOKUP_MODES)
        c.opt_int("num_oov_indices", 1, 1, min=0)
        if c.bool("invert", invert_pos, False) and out_mode != "int":
            raise c.invalid(f"invert=True requires output_mode='int'. Received: output_mode={out_mode!r}")
        if out_mode == "int":
            c.opt_int("max_tokens", 0, None, min=1)
            return Out(c.input)
        depth = vocabulary_depth(c, 0, pad_pos)
        return encoded(c, "multi_hot" if out_mode != "one_hot" else out_mode, depth)

    return spec


register("keras.layers.StringLookup")(lookup_spec(7, 8, 6))
register("keras.layers.IntegerLookup")(lookup_spec(8, 10, 7))


@register("keras.layers.TextVectorization")
def text_vectorization(c: Call) -> Out:
    """(max_tokens, standardize, split, ngrams, output_mode='int', output_sequence_length, pad_to_max_tokens, ...):
    'int' gives (output_sequence_length,) token ids; the other modes one row of the vocabulary's width."""
    out_mode = mode(c, 4, "int", ("int", "multi_hot", "count", "tf_idf"))
    length = c.opt_int("output_sequence_length", 5, None, min=1)
    if length is not None and out_mode != "int":
        raise c.invalid(f"output_sequence_length is only valid with output_mode='int'. Received: output_mode={out_mode!r}")
    if out_mode == "int":
        c.opt_int("max_tokens", 0, None, min=1)
        return Out(None if c.input is None else (length,))
    depth = vocabulary_depth(c, 0, 6)
    if c.input is None:
        return Out(None)
    split: Dim = None if c.raw("split", 2, "whitespace") is None else 0
    shape: Shape = c.input
    if split is None and not shape:
        shape = (1,)
    elif split is not None:
        shape = (*shape, None)
    return Out((*shape[:-1], depth))
