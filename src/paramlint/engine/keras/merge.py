"""Keras merge layers: Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot. No weights.

They are called on a list of tensors (``Add()([a, b])``); the shape rules are Keras 3's symbolic ones
(``compute_output_shape`` and the checks in ``build``), which count axes with the batch dimension.
"""
from __future__ import annotations

from typing import Any, Optional

from ..findings import UnknownValue
from ..spec import Call, Out, Spec, register, show_shape
from ..values import Dim, Shape, describe

Full = list[Dim]  # a shape with its batch dimension (None), as Keras' rules index it


def tensors(c: Call, exactly: Optional[int] = None) -> list[Optional[Shape]]:
    """The shapes of the list the layer was called on. A layer never called on a list (a Sequential entry, a
    call on one tensor) has no ``seen_inputs``: Keras refuses a merge of a bare tensor."""
    if c.layer.seen_inputs is None and c.inputs == [c.input]:
        raise c.invalid("a merge layer should be called on a list of inputs, not on one tensor")
    if exactly is not None and len(c.inputs) != exactly:
        raise c.invalid(f"should be called on exactly {exactly} inputs. Received: {len(c.inputs)} inputs")
    if not c.inputs:
        raise c.invalid("should be called on a list of at least 1 input. Received: 0 inputs")
    return c.inputs


def shapes_text(shapes: list[Shape]) -> str:
    return ", ".join(show_shape(s) for s in shapes)


def broadcast(c: Call, a: Shape, b: Shape) -> Shape:
    """Keras' elementwise rule: trailing dims aligned; a 1 takes the other's size; an unknown dim stays unknown."""
    long, short = (a, b) if len(a) >= len(b) else (b, a)
    if not short:
        return long
    head = long[:len(long) - len(short)]
    tail: list[Dim] = []
    for i, j in zip(long[len(long) - len(short):], short):
        if i is None or j is None:
            tail.append(None)
        elif i == 1 or j == 1:
            tail.append(j if i == 1 else i)
        elif i != j:
            raise c.invalid(f"inputs have incompatible shapes. Received shapes {show_shape(a)} and {show_shape(b)}")
        else:
            tail.append(i)
    return (*head, *tail)


def elementwise_spec(exactly: Optional[int] = None) -> Spec:
    """Add, Multiply, Average, Maximum, Minimum (any number of inputs), Subtract (exactly 2)."""

    def spec(c: Call) -> Out:
        shapes = tensors(c, exactly)
        known = [s for s in shapes if s is not None]
        if len(known) != len(shapes):
            return Out(None)
        out = known[0]
        for shape in known[1:]:
            out = broadcast(c, out, shape)
        return Out(out)

    return spec


def int_axis(c: Call, key: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise c.invalid(f"expected an integer for '{key}'. Received: {key}={describe(value)}")
    return value


@register("keras.layers.Concatenate")
def concatenate(c: Call) -> Out:
    """(axis=-1): sizes add up along the axis; the other dims must agree where known (Keras ignores None there)."""
    axis = int_axis(c, "axis", c.raw("axis", 0, -1))
    shapes = tensors(c)
    known = [s for s in shapes if s is not None]
    if len(known) != len(shapes):
        return Out(None)
    full: list[Full] = [[None, *s] for s in known]
    for shape in full:
        if not -len(shape) <= axis < len(shape):
            raise c.invalid(f"axis {axis} is out of bounds for an input of rank {len(shape)}. Received: axis={axis}")
    others = [shape[:axis % len(shape)] + shape[axis % len(shape) + 1:] for shape in full]
    if len({len(o) for o in others}) != 1 or any(len({d for d in dims if d is not None}) > 1 for dims in zip(*others)):
        raise c.invalid("inputs must match in every dimension except the concatenation axis. "
                        f"Received: shapes {shapes_text(known)}, axis={axis}")
    out = list(full[0])
    for shape in full[1:]:
        if out[axis] is None or shape[axis] is None:
            out[axis] = None
            break
        out[axis] = out[axis] + shape[axis]  # type: ignore[operator]
    return Out(tuple(out[1:]))


def dot_axes(c: Call) -> tuple[bool, tuple[int, int]]:
    """``axes``: an int (the same axis of both, negative counted from each input's end) or a pair."""
    value = c.raw("axes", 0)
    if isinstance(value, int) and not isinstance(value, bool):
        return True, (value, value)
    if not isinstance(value, (tuple, list)) or len(value) != 2 or not all(isinstance(a, int) and not isinstance(a, bool) for a in value):
        raise c.invalid(f"expected an integer or a pair of integers for 'axes'. Received: axes={describe(value)}")
    return False, (value[0], value[1])


@register("keras.layers.Dot")
def dot(c: Call) -> Out:
    """(axes, normalize): the dot product of two inputs along one axis of each; the rest of both is kept."""
    same, (a1, a2) = dot_axes(c)
    c.bool("normalize", 1, False)
    first, second = tensors(c, 2)
    if first is None or second is None:
        return Out(None)
    s1: Full = [None, *first]
    s2: Full = [None, *second]
    if same and a1 < 0:
        a1, a2 = a1 % len(s1), a2 % len(s2)
    for axis, shape in ((a1, s1), (a2, s2)):
        if not -len(shape) <= axis < len(shape):
            raise c.invalid(f"axis {axis} is out of bounds for an input of rank {len(shape)}. Received: axes={describe(c.raw('axes', 0))}")
        if axis % len(shape) == 0:
            raise UnknownValue(c.layer.line, c.layer.column, what=f"{c.name}(axes=...)", reason="a dot product over the batch axis is not modelled")
    if s1[a1] != s2[a2]:
        raise c.invalid(f"incompatible input shapes: axis values {s1[a1]} (at axis {a1}) != {s2[a2]} (at axis {a2}). "
                        f"Received shapes {show_shape(first)} and {show_shape(second)}")
    s1.pop(a1)
    s2.pop(a2)
    out = s1 + s2[1:]
    return Out(tuple(out[1:]) if len(out) > 1 else (1,))


register("keras.layers.Add")(elementwise_spec())
register("keras.layers.Subtract")(elementwise_spec(exactly=2))
register("keras.layers.Multiply")(elementwise_spec())
register("keras.layers.Average")(elementwise_spec())
register("keras.layers.Maximum")(elementwise_spec())
register("keras.layers.Minimum")(elementwise_spec())
