"""Hypothesis strategies: random valid Sequential stacks over the whole catalog.

Shape-aware: the generator keeps the current shape and only offers recipes whose accepted
ranks fit it; the oracle tracker then applies the drawn layer and keeps it only if the framework
accepts it. The result is a ``ModelDesc`` that both frameworks can build.
"""
from __future__ import annotations

from typing import Any, Optional

from hypothesis import assume
from hypothesis import strategies as st

from diff_model import LayerDesc, ModelDesc
from diff_oracle import KerasTracker, TorchTracker
from diff_recipes import RECIPES, STARTS, D, Recipe

MAX_LAYERS = 6
MAX_TRIES = 10  # draws per position before giving up on a layer


def _desc(d: D, r: Recipe, shape: tuple[int, ...]) -> Optional[LayerDesc]:
    made = r.make(d, shape)
    if made is None:
        return None
    args, kwargs = made
    desc = LayerDesc(d.pick(r.names), tuple(args), dict(kwargs))
    if desc.cls in ("RNN", "LSTM", "GRU") and desc.kwargs.get("batch_first") is False:
        desc.shape_checked = False  # the oracle batch of 2 would sit on the time axis
    return desc


@st.composite
def models(draw: Any, framework: str, force: Optional[str] = None) -> ModelDesc:
    """A valid model; with ``force`` (a REGISTRY name) that layer is drawn first, on a fitting start shape."""
    d = D(draw)
    table = RECIPES[framework]
    starts = STARTS[framework]
    forced: Optional[Recipe] = None
    if force is not None:
        forced = next(r for r in table if force in r.names)
        starts = [(k, s) for k, s in starts if forced.accepts(s, k == "int")]
    kind, shape = d.pick(starts)
    dtype = ("int32" if framework == "keras" else "int64") if kind == "int" else "float32"
    tracker: Any = (KerasTracker if framework == "keras" else TorchTracker)(shape, dtype)
    layers: list[LayerDesc] = []
    reusable: list[tuple[LayerDesc, tuple[int, ...]]] = []  # (layer, its input shape) for sharing
    n = d.int(1, MAX_LAYERS)
    for position in range(n):
        if tracker.done:
            break
        is_int = kind == "int" and not layers
        same = [desc for desc, s in reusable if s == tracker.shape]
        if same and d.int(0, 3) == 0:
            # the same instance again: counted once by both frameworks
            desc = d.pick(same)
            if tracker.try_add(desc):
                layers.append(desc)
                continue
        if forced is not None and position == 0:
            candidates = [forced]
        else:
            candidates = [r for r in table if r.accepts(tracker.shape, is_int) for _ in range(r.weight)]
        if not candidates:
            break
        for _ in range(MAX_TRIES):
            r = d.pick(candidates)
            desc = _desc(d, r, tracker.shape)
            if forced is not None and position == 0:
                desc = LayerDesc(force, desc.args, desc.kwargs, shape_checked=desc.shape_checked) if desc else None
            if desc is not None and framework == "keras" and d.int(0, 9) == 0:
                desc.kwargs["trainable"] = False  # any Keras layer: all its weights become non-trainable
            before = tracker.shape
            if desc is not None and tracker.try_add(desc):
                layers.append(desc)
                if tracker.shape == before and not desc.cls.startswith("Lazy"):
                    reusable.append((desc, before))
                break
        else:
            if forced is not None and position == 0:
                assume(False)
            break
    assume(layers)
    model = ModelDesc(framework, tuple(shape), layers, dtype)
    if len(model.layers) >= 2 and d.int(0, 2) == 0:
        # a run of layers grouped into a nested Sequential (one row whose children are the layers)
        i = d.int(0, len(model.layers) - 1)
        j = d.int(i + 1, len(model.layers))
        inner = LayerDesc(f"{'keras' if framework == 'keras' else 'torch.nn'}.Sequential", children=model.layers[i:j])
        if framework == "torch" and d.flag():
            inner.kwargs["_ordered"] = True
        model.layers = model.layers[:i] + [inner] + model.layers[j:]
    return model
