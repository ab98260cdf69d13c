"""The fixtures' expected counts come from the real frameworks, not from our own arithmetic.

Each fixture is executed with Keras 3 (torch backend) standing in for ``tensorflow.keras``;
every Sequential it defines is counted by the framework and compared with the expectations.
"""
from __future__ import annotations

import inspect
import os
import sys
import types
from pathlib import Path
from typing import Any

import pytest

from .fixture_expectations import FIXTURES, fixture_files, read_expectations

pytestmark = pytest.mark.oracle

NEEDS_MISSING_LIBS = {"not_ours.py", "incomplete.py"}  # import libraries that do not exist, by design


@pytest.fixture(scope="module")
def frameworks() -> tuple[Any, Any]:
    os.environ.setdefault("KERAS_BACKEND", "torch")
    torch = pytest.importorskip("torch")
    keras = pytest.importorskip("keras")
    tf = types.ModuleType("tensorflow")
    tf.keras = keras  # type: ignore[attr-defined]
    sys.modules.setdefault("tensorflow", tf)
    sys.modules.setdefault("tensorflow.keras", keras)
    sys.modules.setdefault("tensorflow.keras.layers", keras.layers)
    sys.modules.setdefault("tensorflow.keras.models", keras.models)
    return keras, torch


def _counts(model: Any, keras: Any, torch: Any) -> tuple[int, int, list[int]]:
    if not isinstance(model, keras.Model):  # Keras layers are torch Modules too on the torch backend
        total = sum(p.numel() for p in model.parameters())
        trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
        seen: set[int] = set()
        per_layer = []
        for child in model._modules.values():
            per_layer.append(0 if id(child) in seen else sum(p.numel() for p in child.parameters()))
            seen.add(id(child))
        return total, trainable, per_layer
    total = model.count_params()
    trainable = sum(int(w.numpy().size) for w in model.trainable_weights)
    return total, trainable, [layer.count_params() for layer in model.layers]


def _models(namespace: dict[str, Any], keras: Any, torch: Any) -> dict[str, Any]:
    kinds = (keras.Sequential, torch.nn.Sequential)
    if not all(isinstance(k, type) for k in kinds):
        raise TypeError(kinds)
    found = {k: v for k, v in namespace.items() if isinstance(v, kinds)}
    for value in list(namespace.values()):  # Sequentials held by nn.Module instances: 'Class.attr'
        if isinstance(value, torch.nn.Module) and not isinstance(value, kinds):
            for attr, sub in vars(value).get("_modules", {}).items():
                if isinstance(sub, kinds):
                    found[f"{type(value).__name__}.{attr}"] = sub
    for name, fn in list(namespace.items()):
        if inspect.isfunction(fn) and fn.__module__ == "fixture" and all(
            p.default is not p.empty for p in inspect.signature(fn).parameters.values()
        ):
            result = fn()
            if isinstance(result, kinds) and not any(result is v for v in found.values()):
                found[f"{name}()"] = result
    return found


@pytest.mark.parametrize(
    "path",
    [p for p in fixture_files() if p.name not in NEEDS_MISSING_LIBS],
    ids=lambda p: str(p.relative_to(FIXTURES)),
)
def test_fixture_matches_the_framework(path: Path, frameworks: tuple[Any, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    keras, torch = frameworks
    monkeypatch.setattr(sys, "argv", [path.name])
    namespace: dict[str, Any] = {"__name__": "fixture"}
    exec(compile(path.read_text(), str(path), "exec"), namespace)  # noqa: S102 - our own fixture files
    models = _models(namespace, keras, torch)
    expectations = [e for e in read_expectations(path) if e.complete]
    assert len(models) >= len(expectations), sorted(models)
    by_total = {}
    for name, model in models.items():
        if isinstance(model, keras.Model) and not model.built:
            continue  # no input shape: Keras cannot count it either (paramlint gets it from a directive)
        by_total.setdefault(_counts(model, keras, torch)[0], []).append((name, model))
    for exp in expectations:
        assert exp.total in by_total, f"line {exp.line}: no framework model has {exp.total}; got {sorted(by_total)}"
        _, model = by_total[exp.total][0]
        total, trainable, per_layer = _counts(model, keras, torch)
        if exp.trainable is not None:
            assert trainable == exp.trainable
        if exp.non_trainable is not None:
            assert total - trainable == exp.non_trainable
        if exp.layer_params:
            assert [n for _, n in exp.layer_params] == per_layer, "annotate every layer of the model, in order"
