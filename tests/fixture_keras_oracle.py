"""The Keras side of the fixture oracle: every Keras model a fixture constructs, with its line and Keras's counts.

While a fixture runs, a wrapper around ``keras.layers.Layer.__init__`` records each ``keras.Model`` (Sequential,
functional, an instance of the file's own subclass) with the line of the call that constructed it: the first
frame of the fixture above the object's own ``__init__`` chain, as the torch recorder does. It also records
which layers were named by Keras (no ``name=``), so rows can be named as paramlint names them: Keras numbers
auto-names per session (the second model's first Dense is ``dense_2``); paramlint numbers them per model
(``dense``, ``dense_1`` in each model's own order), so the oracle renumbers Keras's auto-named rows per model.

Counts are Keras's own: ``count_params()``, ``trainable_weights``, and one row per ``model.layers`` entry
(without ``InputLayer``), a weight reachable from two rows belonging to the first.
"""
from __future__ import annotations

import os
import sys
import types
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from .fixture_expectations import ModelExpectation


@dataclass
class KerasBuilt:
    obj: Any
    line: Optional[int]
    inside: bool  # constructed while another Keras layer's __init__ ran: a part from birth
    kind: str  # sequential | functional | subclass


@dataclass
class KerasRecorder:
    keras: Any
    filename: str
    built: list[KerasBuilt] = field(default_factory=list)
    auto_named: set[int] = field(default_factory=set)  # ids of layers whose name Keras chose
    on: bool = True
    _seen: set[int] = field(default_factory=set)

    @property
    def _keras_dir(self) -> str:
        return os.path.dirname(self.keras.__file__)

    def wrap(self, original: Callable[..., None]) -> Callable[..., None]:
        def init(layer: Any, *args: Any, **kwargs: Any) -> None:
            original(layer, *args, **kwargs)
            if self.on and id(layer) not in self._seen:
                self._seen.add(id(layer))
                if kwargs.get("name") is None:
                    self.auto_named.add(id(layer))
                if isinstance(layer, self.keras.Model):
                    self._record(layer)
        return init

    def _kind(self, model: Any) -> str:
        if isinstance(model, self.keras.Sequential):
            return "sequential"
        if type(model).__module__ == "__main__":
            return "subclass"
        return "functional"

    def _record(self, model: Any) -> None:
        frame: Optional[types.FrameType] = sys._getframe(2)
        while frame is not None and frame.f_locals.get("self") is model:  # the object's own __init__ chain
            frame = frame.f_back
        if frame is not None and frame.f_code.co_filename.startswith(os.path.join(self._keras_dir, "src", "models")):
            return  # Keras's model machinery (the functional model a Sequential keeps inside); keras.applications' are the file's
        while frame is not None and frame.f_code.co_filename != self.filename:
            frame = frame.f_back
        line = frame.f_lineno if frame is not None else None
        inside = False
        while frame is not None:
            owner = frame.f_locals.get("self") if frame.f_code.co_name == "__init__" else None
            if isinstance(owner, self.keras.layers.Layer) and owner is not model:
                inside = True
                break
            frame = frame.f_back
        self.built.append(KerasBuilt(model, line, inside, self._kind(model)))

    def outermost(self) -> list[KerasBuilt]:
        inner: set[int] = set()
        for b in self.built:
            inner.update(id(layer) for layer in b.obj._flatten_layers(include_self=False, recursive=True))
        return [b for b in self.built if not b.inside and id(b.obj) not in inner]

    def parts_of(self, outer: KerasBuilt) -> list[KerasBuilt]:
        inside = {id(layer) for layer in outer.obj._flatten_layers(include_self=False, recursive=True)}
        return [b for b in self.built if id(b.obj) in inside]


def _size(weight: Any) -> int:
    n = 1
    for d in weight.shape:
        n *= int(d)
    return n


def counts(model: Any) -> tuple[int, int]:
    """(total, trainable) as ``model.summary()`` prints them."""
    return model.count_params(), sum(_size(w) for w in model.trainable_weights)


def row_layers(keras: Any, model: Any) -> list[Any]:
    return [layer for layer in model.layers if not isinstance(layer, keras.layers.InputLayer)]


def _snake(keras: Any, layer: Any) -> str:
    from keras.src.utils.naming import to_snake_case
    return str(to_snake_case(type(layer).__name__))


def rows(keras: Any, model: Any, auto_named: set[int]) -> list[tuple[str, int]]:
    """(name, params) for each row: Keras's name, or for an auto-named layer its per-model auto-name."""
    seen: set[int] = set()
    taken: Counter[str] = Counter()
    out = []
    for layer in row_layers(keras, model):
        fresh = [w for w in layer.weights if id(w) not in seen]
        seen.update(id(w) for w in layer.weights)
        if id(layer) in auto_named:
            base = _snake(keras, layer)
            name = base if taken[base] == 0 else f"{base}_{taken[base]}"
            taken[base] += 1
        else:
            name = layer.name
        out.append((name, sum(_size(w) for w in fresh)))
    return out


def matches(exp: ModelExpectation, pool: list[KerasBuilt]) -> list[KerasBuilt]:
    """Recorded models at the expectation's line, of its kind, with its total (built ones only: Keras counts no
    other). An incomplete expectation matches by line and kind: what it holds (its parts) is still checked."""
    return [
        b for b in pool
        if b.line == exp.line and exp.expected_kind in (None, b.kind)
        and (not exp.complete or (b.obj.built and b.obj.count_params() == exp.total))
    ]


def check(keras: Any, exp: ModelExpectation, found: KerasBuilt, auto_named: set[int]) -> None:
    where = f"line {exp.line}"
    total, trainable = counts(found.obj)
    assert total == exp.total, where
    if exp.trainable is not None:
        assert trainable == exp.trainable, (where, "trainable", trainable)
    if exp.non_trainable is not None:
        assert total - trainable == exp.non_trainable, (where, "non_trainable", total - trainable)
    got = rows(keras, found.obj, auto_named)
    if exp.layer_params:
        assert [n for _, n in exp.layer_params] == [n for _, n in got], (
            f"{where}: annotate every layer of the model, in order: {got}")
    if exp.rows is not None:
        assert [(r.name, r.params) for r in exp.rows] == got, (where, "rows, in Keras's order", got)


def check_incomplete(exp: ModelExpectation, pool: list[KerasBuilt]) -> None:
    """PRM303 (no input shape: Keras cannot count it) where Keras does count the model is a fixture defect.
    (A subclass marked built by ``build(shape)`` without a ``build()`` of its own holds no weights: Keras's 0 is no
    count, so a model without weights is not taken as counted.)"""
    if "PRM303" not in exp.codes:
        return  # other causes (a branch the file takes at run time, a value from data) are the file's, not Keras's
    here = [b for b in pool if b.line == exp.line and exp.expected_kind in (None, b.kind)]
    counted = [b.obj.count_params() for b in here if b.obj.built and b.obj.count_params() > 0]
    assert not counted, f"line {exp.line}: PRM303 expected, but Keras counts {counted}"
