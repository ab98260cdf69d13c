"""Helpers shared by the torch.nn specs: batched dim indices, shape-preserving modules, formulas."""
from __future__ import annotations

from typing import Optional

from ..spec import Call, Out
from ..values import Shape


def shape_axis(c: Call, dim: int, shape: Shape) -> Optional[int]:
    """A torch ``dim`` (counted on the batched tensor) as an index into ``shape``.

    Engine shapes drop the leading (batch) dimension, so torch's ``dim=1`` is our axis 0.
    Returns ``None`` for the leading dimension itself, which the engine never knows.
    """
    rank = len(shape) + 1
    if not -rank <= dim < rank:
        raise c.invalid(f"dim out of range for an input of rank {rank}. Received: dim={dim}")
    dim = dim % rank
    return None if dim == 0 else dim - 1


def same_shape(c: Call) -> Out:
    """A module without parameters that keeps its input's shape."""
    return Out(c.input)


def check_rank(c: Call, ranks: tuple[int, ...]) -> None:
    """Refuse a known input whose batched rank torch would refuse (``ranks`` count the batch dim)."""
    if c.input is not None and len(c.input) + 1 not in ranks:
        expected = " or ".join(str(r) for r in ranks)
        raise c.invalid(f"expects input of rank {expected}. Received: input rank {len(c.input) + 1}")


def times(factors: list[int]) -> str:
    return "*".join(str(f) for f in factors)


def elements(dims: tuple[int, ...]) -> int:
    """Number of elements of a weight with these (known) dimensions."""
    total = 1
    for d in dims:
        total *= d
    return total
