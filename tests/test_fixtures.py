"""Every fixture: paramlint's counts equal the expectations written in the file."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from paramlint.lint.analyze import analyze
from paramlint.lint.report import ModelReport

from .fixture_expectations import FIXTURES, ROOT, ModelExpectation, fixture_files, outer_of, read_expectations


def _ancestors(models: list[ModelReport], index: int) -> list[int]:
    chain: list[int] = []
    parent = models[index].part_of
    while parent is not None and parent not in chain:
        chain.append(parent)
        parent = models[parent].part_of
    return chain


def _describe(models: list[ModelReport], indices: list[int]) -> list[tuple[str, int, str, object, object]]:
    return [(models[i].name, models[i].line, models[i].kind, models[i].total, models[i].part_of) for i in indices]


def _pick(models: list[ModelReport], exp: ModelExpectation, candidates: list[int]) -> int:
    """The candidate that agrees with the expectation on what identifies it; else the first, to show why."""
    def agrees(i: int) -> bool:
        m = models[i]
        return (m.complete is exp.complete and m.total == exp.total
                and (exp.model is None or m.name == exp.model)
                and (exp.expected_kind is None or m.kind == exp.expected_kind))
    assert candidates, f"line {exp.line}: no model left for {exp}"
    return next((i for i in candidates if agrees(i)), candidates[0])


def _match(models: list[ModelReport], expectations: list[ModelExpectation]) -> dict[int, int]:
    """Pairs each expectation (by position) with a model (by index): outermost ones by line, parts by line
    and by the outermost model they belong to."""
    outer_lines = sorted(e.line for e in expectations if e.outermost)
    reported = sorted(m.line for m in models if m.outermost)
    assert reported == outer_lines, (
        f"outermost models at lines {reported}, expected at {outer_lines}: "
        f"{_describe(models, [i for i, m in enumerate(models) if m.outermost])}"
    )
    pairs: dict[int, int] = {}
    used: set[int] = set()
    for k, exp in enumerate(expectations):
        if exp.outermost:
            candidates = [i for i, m in enumerate(models) if m.outermost and m.line == exp.line and i not in used]
            pairs[k] = _pick(models, exp, candidates)
            used.add(pairs[k])
    for k, exp in enumerate(expectations):
        if not exp.outermost:
            outer = pairs[expectations.index(outer_of(expectations, exp))]
            candidates = [
                i for i, m in enumerate(models)
                if m.line == exp.line and i not in used and outer in _ancestors(models, i)
            ]
            assert candidates, (
                f"line {exp.line}: no part of model {models[outer].name!r} here; "
                f"models on this line: {_describe(models, [i for i, m in enumerate(models) if m.line == exp.line])}"
            )
            pairs[k] = _pick(models, exp, candidates)
            used.add(pairs[k])
    return pairs


def _check(model: ModelReport, exp: ModelExpectation) -> None:
    where = f"line {exp.line} ({model.name})"
    codes = sorted({p.code for p in model.problems})
    assert model.complete is exp.complete, (where, [p.message for p in model.problems])
    if exp.codes:
        assert codes == sorted(exp.codes), (where, [p.message for p in model.problems])
    elif exp.complete:
        assert codes == [], (where, [p.message for p in model.problems])
    if exp.model is not None:
        assert model.name == exp.model, where
    if exp.expected_kind is not None:
        assert model.kind == exp.expected_kind, where
    if not exp.complete:
        assert model.total == exp.total, where  # None unless the total is exact and only the split is unknown
        assert model.trainable is None and model.non_trainable is None, where
        return
    assert model.total == exp.total, where
    if exp.trainable is not None:
        assert model.trainable == exp.trainable, where
    if exp.non_trainable is not None:
        assert model.non_trainable == exp.non_trainable, where
    # invariant: the rows add up to the total
    assert sum(r.params for r in model.rows if r.params is not None) == model.total, where
    by_line = {r.line: r.params for r in model.rows}
    for line, params in exp.layer_params:
        assert by_line.get(line) == params, f"{where}: row at line {line}: {by_line.get(line)} != {params}"
    if exp.rows is not None:
        got = [(r.name, r.params) for r in model.rows]
        assert sorted(got) == sorted((r.name, r.params) for r in exp.rows), f"{where}: rows {got}"
        children = [r.name for r in exp.rows if not r.parameter]
        assert [n for n, _ in got if n in children] == children, f"{where}: rows out of registration order: {got}"


@pytest.mark.parametrize("path", fixture_files(), ids=lambda p: str(p.relative_to(FIXTURES)))
def test_fixture(path: Path) -> None:
    expectations = read_expectations(path)
    report = analyze(path.read_text(encoding="utf-8"), path=str(path))
    assert report.error is None, report.error
    assert not report.notes, [n.message for n in report.notes]
    for k, index in _match(report.models, expectations).items():
        _check(report.models[index], expectations[k])


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
