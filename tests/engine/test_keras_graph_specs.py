"""Keras layers called on several tensors (merge, attention), against real Keras 3 functional models.

Each case is one engine ``Layer`` with the shapes it was first called on (``seen_inputs``/``seen_named``,
as the extractor records them); Keras builds the same layer in a ``keras.Model`` on ``keras.Input``s of
those shapes, so the two can only disagree through the spec.
"""
from __future__ import annotations

import os
from typing import Any, Optional

import pytest

from paramlint.engine import InvalidConfig, Layer, NeedsInputShape, UnknownValue, count_stack

Shape = tuple[Optional[int], ...]


def G(name: str, *args: Any, inputs: list[Shape], key: Optional[Shape] = None, **kwargs: Any) -> Any:
    """A layer called on ``inputs`` (as one list for merge/Attention layers, as positional tensors for
    MultiHeadAttention-style layers) and optionally ``key=``."""
    named = {"key": key} if key is not None else {}
    layer = Layer(f"keras.layers.{name}", args, kwargs, seen_inputs=tuple(inputs), seen_named=named)
    label = name + "(" + ", ".join([repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()]) + ")"
    return pytest.param(layer, id=f"{label}@{inputs}" + (f"+key{key}" if key else ""))


ARGS_CALL = {"keras.layers.MultiHeadAttention", "keras.layers.GroupQueryAttention"}  # layer(query, value, key=...)

CASES = [
    # merge: elementwise, with Keras' broadcasting of 1s and of lower ranks
    G("Add", inputs=[(4,), (4,)]),
    G("Add", inputs=[(3, 4), (3, 4), (3, 4)]),
    G("Add", inputs=[(3, 1), (1, 4)]),
    G("Add", inputs=[(2, 3, 4), (4,)]),
    G("Add", inputs=[(None, 4), (5, 4)]),
    G("Add", inputs=[(5,)]),
    G("Subtract", inputs=[(6,), (6,)]),
    G("Subtract", inputs=[(2, 6), (1, 6)]),
    G("Multiply", inputs=[(3, 4), (3, 1)]),
    G("Multiply", inputs=[(8,), (8,), (8,), (8,)]),
    G("Average", inputs=[(4, 4, 2), (4, 4, 2)]),
    G("Maximum", inputs=[(5,), (1,)]),
    G("Minimum", inputs=[(2, 5), (5,)]),
    # Concatenate: any axis; non-axis dims may be unknown on one side
    G("Concatenate", inputs=[(4,), (6,)]),
    G("Concatenate", inputs=[(3, 4), (3, 5), (3, 1)]),
    G("Concatenate", axis=1, inputs=[(2, 4), (3, 4)]),
    G("Concatenate", 1, inputs=[(2, 4), (5, 4)]),
    G("Concatenate", axis=-2, inputs=[(2, 4, 3), (2, 6, 3)]),
    G("Concatenate", inputs=[(None, 4), (7, 3)]),
    G("Concatenate", inputs=[(5, 4), (None, 3)]),
    G("Concatenate", axis=1, inputs=[(None, 4), (3, 4)]),
    G("Concatenate", inputs=[(8, 8, 16), (8, 8, 32)]),
    # Dot
    G("Dot", 1, inputs=[(5,), (5,)]),
    G("Dot", axes=-1, inputs=[(3, 5), (4, 5)]),
    G("Dot", axes=(2, 2), inputs=[(3, 5), (4, 5)]),
    G("Dot", axes=[1, 2], inputs=[(3, 5), (4, 3)]),
    G("Dot", axes=(2, 1), normalize=True, inputs=[(3, 5), (5, 4)]),
    G("Dot", axes=1, inputs=[(4, 2), (4, 3, 2)]),
    G("Dot", axes=(-1, -2), inputs=[(3, 5), (5, 4)]),
    G("Dot", axes=-1, normalize=True, inputs=[(2, 3, 6), (2, 6)]),
    # MultiHeadAttention: query, value and key of different widths; output_shape; no bias; a gate
    G("MultiHeadAttention", 2, 4, inputs=[(5, 8), (5, 8)]),
    G("MultiHeadAttention", num_heads=4, key_dim=8, inputs=[(5, 16), (7, 12)]),
    G("MultiHeadAttention", 3, 4, 6, inputs=[(5, 10), (7, 12)], key=(7, 9)),
    G("MultiHeadAttention", 2, 4, output_shape=3, inputs=[(5, 8), (6, 10)]),
    G("MultiHeadAttention", 2, 4, output_shape=(2, 3), inputs=[(5, 8), (6, 8)]),
    G("MultiHeadAttention", 2, 4, use_bias=False, inputs=[(5, 8), (6, 10)], key=(6, 3)),
    G("MultiHeadAttention", 2, 4, value_dim=5, use_bias=False, output_shape=7, inputs=[(5, 8), (6, 10)]),
    G("MultiHeadAttention", 2, 3, use_gate=True, inputs=[(5, 8), (6, 10)]),
    G("MultiHeadAttention", 2, 3, attention_axes=(1, 2), inputs=[(4, 5, 8), (4, 5, 8)]),
    G("MultiHeadAttention", 2, 3, attention_axes=2, inputs=[(4, 5, 8), (4, 6, 8)]),
    G("MultiHeadAttention", 2, 3, dropout=0.1, inputs=[(None, 8), (None, 6)]),
    G("MultiHeadAttention", 1, 2, inputs=[(8,), (8,)]),
    # GroupQueryAttention
    G("GroupQueryAttention", 4, 4, 2, inputs=[(5, 16), (7, 16)]),
    G("GroupQueryAttention", 8, 4, 1, inputs=[(5, 12), (6, 12)], key=(6, 10)),
    G("GroupQueryAttention", head_dim=4, num_query_heads=2, num_key_value_heads=2, use_bias=False, inputs=[(5, 8), (5, 8)]),
    G("GroupQueryAttention", 4, 4, 2, use_gate=True, inputs=[(5, 8), (7, 8)]),
    # Attention, AdditiveAttention
    G("Attention", inputs=[(5, 8), (7, 8)]),
    G("Attention", True, inputs=[(5, 8), (7, 6)]),
    G("Attention", use_scale=True, score_mode="concat", inputs=[(5, 8), (7, 8), (7, 8)]),
    G("Attention", score_mode="concat", inputs=[(5, 4), (7, 4)]),
    G("AdditiveAttention", inputs=[(5, 8), (7, 8)]),
    G("AdditiveAttention", use_scale=False, inputs=[(5, 8), (7, 8), (7, 8)]),
    G("AdditiveAttention", inputs=[(None, 6), (None, 6)]),
    G("AdditiveAttention", inputs=[(5, 8), (6, 6)]),  # Keras builds it (the call would fail): the scale follows the query
    G("MultiHeadAttention", 2, 3, output_shape=(0, 2), inputs=[(5, 8), (5, 8)]),  # Keras builds empty kernels
]

# Needs TensorFlow (Keras refuses to construct it otherwise); fed integer tensors.
TF_CASES = [
    G("HashedCrossing", 5, inputs=[(1,), (1,)]),
    G("HashedCrossing", 5, inputs=[(3,), (3,)]),
    G("HashedCrossing", num_bins=4, output_mode="one_hot", inputs=[(1,), (1,)]),
    G("HashedCrossing", num_bins=4, output_mode="one_hot", inputs=[(3,), (3,)]),
]
INPUT_DTYPES = {"keras.layers.HashedCrossing": "int64"}

REFUSED = [
    G("Add", inputs=[(4,), (5,)]),
    G("Add", inputs=[(3, 4), (2, 4)]),
    G("Subtract", inputs=[(4,), (4,), (4,)]),
    G("Subtract", inputs=[(4,)]),
    G("Concatenate", inputs=[(3, 4), (2, 4)]),
    G("Concatenate", inputs=[(3, 4), (4,)]),
    G("Concatenate", axis=3, inputs=[(3, 4), (3, 4)]),
    G("Concatenate", axis=-2, inputs=[(2, 4, 3), (6, 4, 3)]),
    G("Dot", 1, inputs=[(5,), (4,)]),
    G("Dot", 1, inputs=[(5,), (5,), (5,)]),
    G("Dot", axes=(1, 2, 3), inputs=[(3, 5), (4, 5)]),
    G("MultiHeadAttention", 2, 4, inputs=[(5, 8), (6, 8)], key=(7, 8)),
    G("MultiHeadAttention", 0, 4, inputs=[(5, 8), (6, 8)]),
    G("GroupQueryAttention", 4, 4, 3, inputs=[(5, 8), (6, 8)]),
    G("GroupQueryAttention", 4, 4, 2, inputs=[(5, 8), (6, 6)]),
    G("GroupQueryAttention", 4, 2, 2, inputs=[(8,), (8,)]),
    G("Attention", inputs=[(5, 8)]),
    G("Attention", score_mode="add", inputs=[(5, 8), (6, 8)]),
    G("Attention", inputs=[(5, 8), (6, 8), (6, 8), (6, 8)]),
    G("MultiHeadAttention", 2, 3, attention_axes=5, inputs=[(4, 5, 8), (4, 5, 8)]),
]


@pytest.fixture(scope="module")
def keras() -> Any:
    os.environ.setdefault("KERAS_BACKEND", "torch")
    return pytest.importorskip("keras")


def build(keras: Any, layer: Layer) -> Any:
    """The same layer in a functional model on keras.Input tensors of the recorded shapes."""
    from tests.engine.test_keras_specs import to_keras

    inputs = [keras.Input(s, dtype=INPUT_DTYPES.get(layer.qualname)) for s in layer.seen_inputs or ()]
    named = {k: keras.Input(s) for k, s in (layer.seen_named or {}).items() if s is not None}
    real = to_keras(layer, keras)
    out = real(*inputs, **named) if layer.qualname in ARGS_CALL else real(inputs, **named)
    return keras.Model([*inputs, *named.values()], out)


def keras_counts(keras: Any, layer: Layer) -> tuple[int, int, int, Any]:
    import numpy as np

    model = build(keras, layer)
    trainable = sum(int(np.prod(w.shape)) for w in model.trainable_weights)
    frozen = sum(int(np.prod(w.shape)) for w in model.non_trainable_weights)
    return model.count_params(), trainable, frozen, tuple(model.output_shape)


def engine_row(layer: Layer) -> Any:
    first = (layer.seen_inputs or (None,))[0]
    result = count_stack("keras", [(None, layer)], first)
    return result, result.rows[0]


@pytest.mark.oracle
@pytest.mark.parametrize("layer", CASES)
def test_matches_keras(keras: Any, layer: Layer) -> None:
    total, trainable, frozen, out_shape = keras_counts(keras, layer)
    result, row = engine_row(layer)
    assert result.problems == []
    assert (row.params, row.trainable, row.non_trainable) == (total, trainable, frozen)
    assert (None, *row.output_shape) == out_shape
    assert (row.formula == "") == (total == 0)


@pytest.mark.oracle
@pytest.mark.parametrize("layer", TF_CASES)
def test_matches_keras_with_tensorflow(keras: Any, layer: Layer) -> None:
    pytest.importorskip("tensorflow")
    test_matches_keras(keras, layer)


@pytest.mark.oracle
@pytest.mark.parametrize("layer", REFUSED)
def test_refuses_what_keras_refuses(keras: Any, layer: Layer) -> None:
    with pytest.raises(Exception):  # noqa: B017  (Keras raises ValueError, TypeError or IndexError, depending on the check)
        keras_counts(keras, layer)
    result, row = engine_row(layer)
    assert [type(p) for p in result.problems] == [InvalidConfig]
    assert row.params is None


# -- outcomes without the framework ------------------------------------------------------------------

@pytest.mark.oracle
@pytest.mark.parametrize("name", ["Add", "Concatenate", "Dot", "Attention"])
def test_a_list_layer_in_a_sequential_is_refused(keras: Any, name: str) -> None:
    # Keras refuses a merge or attention layer called on one tensor; a Sequential entry is never called on a list
    args = (1,) if name == "Dot" else ()
    with pytest.raises(Exception):  # noqa: B017
        keras.Sequential([keras.Input((4,)), getattr(keras.layers, name)(*args)])
    result = count_stack("keras", [(None, Layer(f"keras.layers.{name}", args))], (4,))
    assert [type(p) for p in result.problems] == [InvalidConfig]


@pytest.mark.oracle
def test_attention_operands_by_keyword(keras: Any) -> None:
    # mha(query=q, value=v, key=k): the spec reads the operands from Call.named as well
    from paramlint.engine import REGISTRY, Call

    layer = Layer("keras.layers.MultiHeadAttention", (2, 4), {"value_dim": 3})
    shapes = {"query": (5, 8), "value": (6, 10), "key": (6, 7)}
    out = REGISTRY[layer.qualname](Call(layer, None, lambda lay, s: REGISTRY[lay.qualname](Call(lay, s, None)), [], shapes))  # type: ignore[arg-type]
    tensors = {k: keras.Input(s) for k, s in shapes.items()}
    real = keras.layers.MultiHeadAttention(2, 4, value_dim=3)
    y = real(**tensors)
    assert (out.params, (None, *out.shape)) == (real.count_params(), tuple(y.shape))


def test_attention_formula_names_each_projection() -> None:
    layer = Layer("keras.layers.MultiHeadAttention", (2, 4), {}, seen_inputs=((5, 8), (6, 10)), seen_named={})
    _, row = engine_row(layer)
    # query 8*2*4+8, key 10*2*4+8, value 10*2*4+8, output 2*4*8+8
    assert row.params == 72 + 88 + 88 + 72
    assert row.formula == "(8 * 2 * 4 + 2 * 4) + (10 * 2 * 4 + 2 * 4) + (10 * 2 * 4 + 2 * 4) + (2 * 4 * 8 + 8) = 320 (query, key, value, output)"


def test_attention_needs_the_value_width() -> None:
    layer = Layer("keras.layers.MultiHeadAttention", (2, 4), {}, seen_inputs=((5, 8), (6, None)), seen_named={})
    result, row = engine_row(layer)
    assert [type(p) for p in result.problems] == [NeedsInputShape] and row.params is None


def test_group_query_attention_beyond_rank_3_is_not_guessed() -> None:
    # Keras 3.15 builds it on (4, 5, 8) tensors with kernels its fixed equations size differently: not modelled
    layer = Layer("keras.layers.GroupQueryAttention", (4, 2, 2), {}, seen_inputs=((4, 5, 8), (4, 5, 8)), seen_named={})
    result, row = engine_row(layer)
    assert [type(p) for p in result.problems] == [UnknownValue] and row.params is None


def test_unknown_operand_shape_leaves_merge_output_unknown() -> None:
    layer = Layer("keras.layers.Concatenate", (), {}, seen_inputs=((4,), None), seen_named={})
    result, row = engine_row(layer)
    assert result.problems == [] and row.params == 0 and row.output_shape is None
