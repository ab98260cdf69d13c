"""Keras Sequential sites written the way real files write them, each counted by paramlint and by Keras 3.

Every module-level Keras model of a case is a model paramlint must report under that name, with Keras's
exact total and trainable split (``count_params()`` and the model's ``trainable_weights``). The names on a
case's ``# incomplete:`` line must be reported incomplete instead (never a number Keras would not give);
``name(PRM302)`` also asks for that code among its problems. A name on the ``# refused:`` line is a model
Keras refuses to build: the case catches the error, and paramlint must report it incomplete with PRM202.
"""
from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import pytest

from paramlint.lint.analyze import analyze

from .keras_shim import keras_everywhere

keras = pytest.importorskip("keras")
pytestmark = pytest.mark.oracle

CASES = sorted((Path(__file__).parent / "cases").glob("*.py"))


def _listed(source: str, key: str) -> dict[str, set[str]]:
    """``# incomplete: a, b(PRM302)`` -> {'a': set(), 'b': {'PRM302'}}."""
    out: dict[str, set[str]] = {}
    for line in re.findall(rf"^# {key}: (.*)$", source, re.M):
        for item in line.split(","):
            m = re.fullmatch(r"\s*(\w+)\s*(?:\((.*)\))?\s*", item)
            assert m, item
            out[m.group(1)] = {c.strip() for c in (m.group(2) or "").split() if c.strip()}
    return out


def _keras_counts(path: Path) -> dict[str, tuple[int, int]]:
    """(total, trainable) of every built module-level Keras model the case leaves; None for an unbuilt one."""
    namespace: dict[str, Any] = {"__name__": "__main__"}
    with keras_everywhere():
        exec(compile(path.read_text(), str(path), "exec"), namespace)  # noqa: S102 - our own test cases
    out = {}
    for name, value in namespace.items():
        if isinstance(value, keras.Model) and not name.startswith("_"):
            total = value.count_params() if value.built else None
            trainable = sum(math.prod(w.shape) for w in value.trainable_weights)
            out[name] = (total, trainable)
    return out


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_every_model_matches_keras(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.argv", [path.name])  # argparse in a case reads its defaults, not pytest's arguments
    source = path.read_text()
    incomplete, refused = _listed(source, "incomplete"), _listed(source, "refused")
    report = analyze(source, path=str(path))
    assert report.error is None and not report.notes, (report.error, report.notes)
    models = {m.name: m for m in report.models}
    counts = _keras_counts(path)
    assert counts, "the case builds Keras models"
    for name, (total, trainable) in counts.items():
        assert name in models, f"{name} is not reported; got {sorted(models)}"
        model = models[name]
        codes = {p.code for p in model.problems}
        if name in incomplete:
            assert not model.complete and model.problems, name
            assert model.total in (None, total), name
            assert "PRM202" not in codes, (name, [p.message for p in model.problems])
            assert incomplete[name] <= codes, (name, [p.message for p in model.problems])
            continue
        assert total is not None, f"{name}: Keras cannot count it; list it on the '# incomplete:' line"
        assert model.complete, (name, [p.message for p in model.problems])
        assert (model.total, model.trainable) == (total, trainable), name
        assert sum(r.params or 0 for r in model.rows) == model.total, f"{name}: the rows add up to the total"
    for name in refused:
        assert name not in counts, f"{name}: Keras built it"
        assert name in models, f"{name} is not reported; got {sorted(models)}"
        assert not models[name].complete and "PRM202" in {p.code for p in models[name].problems}, name
    for name in incomplete:
        assert name in counts, f"{name} on the '# incomplete:' line is not a model the case leaves"
