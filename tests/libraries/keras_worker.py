"""Keras builds the oracle's models in a worker process: the largest (ConvNeXtXLarge, 350M parameters) would
otherwise leave the test process over a gigabyte resident, and every child it spawns later inherits that as its
own peak memory (the robustness tests measure children's memory)."""
from __future__ import annotations

import concurrent.futures
import contextlib
import multiprocessing
from typing import Any, Iterator, Optional

_POOL: Optional[concurrent.futures.ProcessPoolExecutor] = None


def keras_counts(source: str) -> tuple[int, int]:
    """(total, trainable) of the ``model`` that ``source`` binds, built by Keras in the worker."""
    global _POOL
    if _POOL is None:
        _POOL = concurrent.futures.ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
    return _POOL.submit(_build, source).result()


@contextlib.contextmanager
def _any_backend() -> Iterator[None]:
    """NASNetMobile refuses to build on the torch backend (``if backend.backend() == "torch": raise``, an
    outstanding Keras bug at run time); its structure does not depend on the backend, so the oracle builds it
    with that one question answered otherwise. paramlint does not know the backend and counts the structure."""
    from keras.src.applications import nasnet

    real = nasnet.backend.backend
    nasnet.backend.backend = lambda: "jax"
    try:
        yield
    finally:
        nasnet.backend.backend = real


def _build(source: str) -> tuple[int, int]:  # runs in the worker (KERAS_BACKEND inherited from the tests)
    import keras

    keras.backend.clear_session()
    namespace: dict[str, Any] = {}
    with _any_backend():
        exec(compile(source, "train.py", "exec"), namespace)  # noqa: S102 - the oracle's own sources
    model = namespace["model"]
    counts = model.count_params(), sum(int(w.numpy().size) for w in model.trainable_weights)
    keras.backend.clear_session()
    return counts
