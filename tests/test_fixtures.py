"""Every fixture: paramlint's counts equal the expectations written in the file."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from paramlint.engine.stack import Row
from paramlint.lint.analyze import analyze
from paramlint.lint.report import ModelReport

from .fixture_expectations import FIXTURES, ROOT, fixture_files, read_expectations


def _flat(rows: list[Row]) -> list[Row]:
    return list(rows)


def _find(models: list[ModelReport], line: int) -> ModelReport:
    # the expectation sits on the Sequential( line, or on a line of a model built there
    matches = [m for m in models if m.line == line]
    assert matches, f"no model found on line {line}; models at {[(m.name, m.line) for m in models]}"
    return matches[0]


@pytest.mark.parametrize("path", fixture_files(), ids=lambda p: str(p.relative_to(FIXTURES)))
def test_fixture(path: Path) -> None:
    expectations = read_expectations(path)
    report = analyze(path.read_text(encoding="utf-8"), path=str(path))
    assert report.error is None, report.error
    assert not report.notes, [n.message for n in report.notes]
    assert len(report.models) == len(expectations), [(m.name, m.line) for m in report.models]
    for exp in expectations:
        model = _find(report.models, exp.line)
        codes = sorted({p.code for p in model.problems})
        assert model.complete is exp.complete, (model.name, [p.message for p in model.problems])
        if exp.codes:
            assert codes == sorted(exp.codes), [p.message for p in model.problems]
        elif exp.complete:
            assert codes == [], [p.message for p in model.problems]
        if exp.model is not None:
            assert model.name == exp.model
        if not exp.complete:
            assert model.total == exp.total  # None unless the total is exact and only the split is unknown
            assert model.trainable is None and model.non_trainable is None
            continue
        assert model.total == exp.total
        if exp.trainable is not None:
            assert model.trainable == exp.trainable
        if exp.non_trainable is not None:
            assert model.non_trainable == exp.non_trainable
        # invariant: the rows add up to the total
        assert sum(r.params for r in model.rows if r.params is not None) == model.total
        by_line = {r.line: r.params for r in model.rows}
        for line, params in exp.layer_params:
            assert by_line.get(line) == params, f"line {line}: {by_line.get(line)} != {params}"


def test_files_without_models_report_nothing() -> None:
    path = FIXTURES / "forms" / "not_ours.py"
    assert analyze(path.read_text(), path=str(path)).models == []


WORKED = {  # WORKED_EXAMPLES.md, per layer with parameters, and in total
    "a": ([640, 36928, 1605760, 1290], 1644618),
    "b": ([896, 18496, 73856, 33024, 2570, 110], 128952),
    "c": ([608, 3216, 48120, 10164, 850], 62958),
    "d": ([56, 57, 2402], 2515),
}


def test_worked_examples_through_the_cli_json() -> None:
    """The acceptance case: `paramlint --format json` on the bundled worked examples."""
    out = subprocess.run(
        [sys.executable, "-m", "paramlint", "--format", "json", str(FIXTURES / "worked")],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["version"] == 1 and data["errors"] == []
    seen = set()
    for model in data["models"]:
        key = Path(model["path"]).name[0]
        weighted, total = WORKED[key]
        assert model["complete"] is True
        assert model["total"] == total and model["trainable"] == total and model["non_trainable"] == 0
        assert [layer["params"] for layer in model["layers"] if layer["params"]] == weighted
        assert model["line"] >= 1 and model["column"] >= 1
        seen.add((key, model["framework"]))
    assert seen == {(k, f) for k in WORKED for f in ("keras", "torch")}
