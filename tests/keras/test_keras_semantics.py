"""Keras functional and subclassed models written the way tutorials and projects write them, each counted
by paramlint and by Keras 3 (torch backend).

Every module-level ``keras.Model`` value of a case must be reported (under its variable or its ``name=``),
with Keras's exact total and trainable split. The names on the case's ``# incomplete:`` line, and every model
Keras itself cannot count (``count_params()`` raises: never built), must be reported incomplete instead.
"""
from __future__ import annotations

import math
import os
import re
import sys
import types
import warnings
from pathlib import Path
from typing import Any

import pytest

from paramlint.lint.analyze import analyze

os.environ.setdefault("KERAS_BACKEND", "torch")
keras = pytest.importorskip("keras")
pytestmark = pytest.mark.oracle

CASES = sorted((Path(__file__).parent / "cases").glob("*.py"))


def _keras_counts(path: Path) -> dict[str, tuple[str, Any]]:
    """variable -> (Keras's model name, (total, trainable) or None when Keras cannot count it)."""
    tf = types.ModuleType("tensorflow")
    tf.keras = keras  # type: ignore[attr-defined]
    saved = {k: sys.modules.get(k) for k in ("tensorflow", "tensorflow.keras", "tensorflow.keras.layers", "tensorflow.keras.models")}
    sys.modules.update({"tensorflow": tf, "tensorflow.keras": keras, "tensorflow.keras.layers": keras.layers,
                        "tensorflow.keras.models": keras.models})
    namespace: dict[str, Any] = {"__name__": "__main__"}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            exec(compile(path.read_text(), str(path), "exec"), namespace)  # noqa: S102 - our own test cases
    finally:
        for k, v in saved.items():
            if v is None:
                sys.modules.pop(k, None)
            else:
                sys.modules[k] = v
    out: dict[str, tuple[str, Any]] = {}
    for name, value in namespace.items():
        if isinstance(value, keras.Model) and not name.startswith("_"):
            try:
                counts = (value.count_params(), sum(math.prod(w.shape) for w in value.trainable_weights))
            except ValueError:  # never built: Keras cannot count it either
                counts = None
            out[name] = (value.name, counts)
    return out


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_every_keras_model_matches_keras(path: Path) -> None:
    source = path.read_text()
    listed = re.search(r"^# incomplete: (.*)$", source, re.M)
    incomplete = {n.strip() for n in listed.group(1).split(",")} if listed else set()
    report = analyze(source, path=str(path))
    assert report.error is None and not report.notes, (report.error, report.notes)
    models = {m.name: m for m in report.models}
    truth = _keras_counts(path)
    assert truth, "the case builds Keras models"
    for var, (keras_name, counts) in truth.items():
        model = models.get(var) or models.get(keras_name)
        assert model is not None, f"{var} is not reported; got {sorted(models)}"
        assert model.kind in ("functional", "subclass", "sequential"), (var, model.kind)
        if var in incomplete or counts is None:
            assert not model.complete and model.problems, var
            assert counts is None or model.total in (None, counts[0]), var
            continue
        assert model.complete, (var, [p.message for p in model.problems])
        assert (model.total, model.trainable) == counts, var
        assert sum(r.params or 0 for r in model.rows) == model.total, f"{var}: the rows add up to the total"


def test_a_subclass_built_by_data_of_unknown_shape_is_incomplete() -> None:
    """``model(x_train)``: Keras builds every layer call() reaches, for a shape paramlint does not know; the
    layers are not unbuilt (0), the count is unknown (it was reported complete with 0)."""
    source = ("import keras\nfrom keras import layers\n\n\nclass M(keras.Model):\n    def __init__(self):\n"
              "        super().__init__()\n        self.d = layers.Dense(3)\n\n    def call(self, x):\n"
              "        return self.d(x)\n\n\nm = M()\nm(load_data())\n")
    (model,) = analyze(source).models
    assert not model.complete and model.total is None and [p.code for p in model.problems] == ["PRM302"]


def test_names_formatted_by_f_strings_are_keras_names() -> None:
    path = Path(__file__).parent / "cases" / "named_by_format.py"
    report = analyze(path.read_text(), path=str(path))
    names = {m.name: [r.name for r in m.rows] for m in report.models}
    keras_names = sorted(name for name, _ in _keras_counts(path).values())
    assert sorted(names) == keras_names == ["mobile_0.75_96", "mobile_1.40_128"]
    assert names["mobile_1.40_128"] == ["conv_140", "global_average_pooling2d", "logits_005"]
