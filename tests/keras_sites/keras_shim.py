"""Runs a case written against TensorFlow's Keras, tf_keras or Keras 2 module paths on Keras 3 (torch backend).

The oracle needs the real layers behind every import spelling a file may use, without TensorFlow: each
``tensorflow...keras``, ``tf_keras`` or Keras-2-only module (``keras.layers.core``) is served by a stand-in
whose attributes are Keras 3's own classes. Written independently of paramlint's names (no shared table):
an attribute is looked up in Keras 3 itself. Keras's v1 API (``tf.compat.v1.keras``) differs for one layer
that holds weights: its GRU defaults to ``reset_after=False`` (TensorFlow's documented v1 signature).
"""
from __future__ import annotations

import contextlib
import importlib.abc
import importlib.machinery
import sys
import types
from typing import Any, Iterator, Optional

ROOTS = ("tensorflow", "tf_keras")
# Keras 2 module paths that Keras 3 dropped: their names are Keras 3's layers, models and top level
LEGACY = ("keras.layers.core", "keras.layers.convolutional", "keras.layers.pooling", "keras.layers.recurrent",
          "keras.layers.normalization", "keras.layers.embeddings", "keras.layers.merge", "keras.engine",
          "keras.layers.advanced_activations", "keras.api._v1", "keras.api._v2")


def _keras() -> Any:
    import keras

    return keras


def _v1_gru() -> Any:
    keras = _keras()

    class GRU(keras.layers.GRU):  # type: ignore[misc,name-defined]
        def __init__(self, *args: Any, reset_after: bool = False, **kwargs: Any) -> None:
            super().__init__(*args, reset_after=reset_after, **kwargs)

    return GRU


class KerasNamespace(types.ModuleType):
    """A Keras namespace under another name: attributes from Keras 3's top level, layers and models."""

    def __init__(self, name: str, v1: bool) -> None:
        super().__init__(name)
        self.__path__: list[str] = []  # a package: submodules import through the finder
        self._v1 = v1

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("__"):
            raise AttributeError(attr)
        keras = _keras()
        if self._v1 and attr == "GRU":
            return _v1_gru()
        for source in (keras.layers, keras.models, keras):
            if hasattr(source, attr) and not isinstance(getattr(source, attr), types.ModuleType):
                return getattr(source, attr)
        if isinstance(getattr(keras, attr, None), types.ModuleType) and attr not in ("layers", "models", "src"):
            return getattr(keras, attr)  # regularizers, optimizers, backend: Keras 3's own
        if hasattr(keras, attr) or attr in ("core", "convolutional", "pooling", "recurrent", "engine", "sequential",
                                            "python", "api", "_v1", "_v2", "keras", "layers", "models", "src",
                                            "normalization", "advanced_activations", "embeddings", "merge"):
            # Keras 2's layers.recurrent module held the v1 GRU (recurrent_v2 the other one)
            return KerasNamespace(f"{self.__name__}.{attr}", self._v1 or attr == "recurrent")
        raise AttributeError(attr)


class TensorFlow(types.ModuleType):
    """``tensorflow`` (and ``compat``, ``v1``, ``v2``, ``_api``, ``python``): only the way to Keras."""

    def __init__(self, name: str, v1: bool) -> None:
        super().__init__(name)
        self.__path__: list[str] = []
        self._v1 = v1

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("__"):
            raise AttributeError(attr)
        if attr == "keras":
            return KerasNamespace(f"{self.__name__}.keras", self._v1)
        if attr in ("compat", "_api", "python", "contrib"):
            return TensorFlow(f"{self.__name__}.{attr}", self._v1 or attr == "contrib")
        if attr in ("v1", "v2"):
            return TensorFlow(f"{self.__name__}.{attr}", attr == "v1")
        if attr in ("disable_v2_behavior", "enable_eager_execution", "disable_eager_execution", "set_random_seed"):
            return lambda *a, **k: None
        raise AttributeError(attr)


def _resolve(fullname: str) -> Optional[types.ModuleType]:
    parts = fullname.split(".")
    node: Any
    if parts[0] == "tensorflow":
        node = TensorFlow("tensorflow", False)
    elif parts[0] == "tf_keras":
        node = KerasNamespace("tf_keras", False)
    elif any(fullname == p or fullname.startswith(p + ".") for p in LEGACY):
        node = KerasNamespace("keras", False)
    else:
        return None
    for part in parts[1:]:
        node = getattr(node, part)
    return node if isinstance(node, types.ModuleType) else None


class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Optional[importlib.machinery.ModuleSpec]:
        try:
            module = _resolve(fullname)
        except AttributeError:
            return None
        if module is None:
            return None
        return importlib.machinery.ModuleSpec(fullname, self, is_package=True)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> Optional[types.ModuleType]:
        return _resolve(spec.name)

    def exec_module(self, module: types.ModuleType) -> None:
        return None


@contextlib.contextmanager
def keras_everywhere() -> Iterator[None]:
    """While it runs, every import spelling of Keras reaches Keras 3; the modules it served are then forgotten."""
    _keras()
    ours = tuple(ROOTS) + LEGACY

    def served(name: str) -> bool:
        return any(name == p or name.startswith(p + ".") for p in ours)

    from keras.src.utils import module_utils

    lazy = module_utils.tensorflow  # Keras asks it whether TensorFlow is installed: it is not
    lazy_state = (lazy.module, lazy._available)
    lazy.module, lazy._available = None, False
    saved = {name: sys.modules.pop(name) for name in list(sys.modules) if served(name)}
    finder = _Finder()
    sys.meta_path.append(finder)
    try:
        yield
    finally:
        lazy.module, lazy._available = lazy_state
        sys.meta_path.remove(finder)
        for name in [n for n in sys.modules if served(n)]:
            del sys.modules[name]
        sys.modules.update(saved)
