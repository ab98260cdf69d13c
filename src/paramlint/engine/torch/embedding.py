"""torch.nn embeddings: Embedding, EmbeddingBag. padding_idx, max_norm and sparse leave the count alone."""
from __future__ import annotations

from ..spec import Call, Out, num, register


def _table(c: Call, padding_pos: int) -> tuple[int, int, str]:
    rows = c.int("num_embeddings", 0, min=0)
    dim = c.int("embedding_dim", 1, min=0)
    padding = c.opt_int("padding_idx", padding_pos)
    if padding is not None and not -rows <= padding < rows:
        raise c.invalid(f"padding_idx must be within num_embeddings. Received: padding_idx={padding}, num_embeddings={rows}")
    return rows, dim, f"{num(rows)} * {num(dim)} = {num(rows * dim)}"


@register("torch.nn.Embedding")
def embedding(c: Call) -> Out:
    rows, dim, formula = _table(c, 2)
    shape = None if c.input is None else c.input + (dim,)
    # _freeze=True (what Embedding.from_pretrained(freeze=True) passes) sets requires_grad=False.
    if c.bool("_freeze", 8, False):
        return Out(shape, 0, rows * dim, formula + " (frozen)")
    return Out(shape, rows * dim, 0, formula)


@register("torch.nn.EmbeddingBag")
def embedding_bag(c: Call) -> Out:
    rows, dim, formula = _table(c, 9)
    c.str("mode", 5, "mean", choices=("sum", "mean", "max"), lower=False)
    shape = None
    if c.input is not None:
        # a 2D (bags, bag_size) input gives (bags, dim); a 1D input needs offsets, which Sequential cannot pass
        if len(c.input) != 1:
            raise c.invalid(f"expects input of rank 2 inside a Sequential. Received: input rank {len(c.input) + 1}")
        shape = (dim,)
    return Out(shape, rows * dim, 0, formula)
