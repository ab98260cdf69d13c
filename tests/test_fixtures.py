"""Every fixture: paramlint's counts equal the expectations written in the file."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Optional

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


def _pick(models: list[ModelReport], exp: ModelExpectation, candidates: list[int]) -> Optional[int]:
    """The candidate that agrees with the expectation on what identifies it; else the first, to show why."""
    def agrees(i: int) -> bool:
        m = models[i]
        return (m.complete is exp.complete and m.total == exp.total
                and (exp.model is None or m.name == exp.model)
                and (exp.expected_kind is None or m.kind == exp.expected_kind))
    return next((i for i in candidates if agrees(i)), candidates[0] if candidates else None)


def _match(models: list[ModelReport], expectations: list[ModelExpectation], errors: list[str]) -> dict[int, int]:
    """Pairs each expectation (by position) with a model (by index): outermost ones by line, parts by line
    and by the outermost model they belong to. What cannot be paired is an error."""
    pairs: dict[int, int] = {}
    used: set[int] = set()
    for k, exp in enumerate(expectations):
        if exp.outermost:
            candidates = [i for i, m in enumerate(models) if m.outermost and m.line == exp.line and i not in used]
            found = _pick(models, exp, candidates)
            if found is None:
                errors.append(f"line {exp.line}: missing outermost model {exp.model or ''} (expected {exp.total})")
                continue
            pairs[k] = found
            used.add(found)
    extra = [i for i, m in enumerate(models) if m.outermost and i not in used]
    if extra:
        errors.append(f"outermost models without an expectation: {_describe(models, extra)}")
    for k, exp in enumerate(expectations):
        if exp.outermost:
            continue
        outer = pairs.get(expectations.index(outer_of(expectations, exp)))
        if outer is None:
            errors.append(f"line {exp.line}: part of {exp.part_of!r}, which is missing")
            continue
        candidates = [
            i for i, m in enumerate(models)
            if m.line == exp.line and i not in used and outer in _ancestors(models, i)
        ]
        found = _pick(models, exp, candidates)
        if found is None:
            here = _describe(models, [i for i, m in enumerate(models) if m.line == exp.line])
            errors.append(f"line {exp.line}: no part of {models[outer].name!r} here (expected {exp.total}); "
                          f"models on this line: {here}")
            continue
        pairs[k] = found
        used.add(found)
    return pairs


def _check(model: ModelReport, exp: ModelExpectation) -> list[str]:
    where = f"line {exp.line} ({model.name})"
    got = f"complete={model.complete} total={model.total} trainable={model.trainable}"
    problems = [p.message for p in model.problems]
    codes = sorted({p.code for p in model.problems})
    if model.complete is not exp.complete:
        return [f"{where}: expected complete={exp.complete} total={exp.total}, got {got}: {problems}"]
    errors = []
    if exp.codes and codes != sorted(exp.codes):
        errors.append(f"{where}: codes {codes} != {sorted(exp.codes)}: {problems}")
    elif not exp.codes and exp.complete and codes:
        errors.append(f"{where}: unexpected problems {problems}")
    if exp.model is not None and model.name != exp.model:
        errors.append(f"{where}: name {model.name!r} != {exp.model!r}")
    if exp.expected_kind is not None and model.kind != exp.expected_kind:
        errors.append(f"{where}: kind {model.kind!r} != {exp.expected_kind!r}")
    if not exp.complete:
        if model.total != exp.total:  # None unless the total is exact and only the split is unknown
            errors.append(f"{where}: total {model.total} != {exp.total}")
        if model.trainable is not None or model.non_trainable is not None:
            errors.append(f"{where}: an incomplete model with a split: {got}")
        return errors
    for key in ("total", "trainable", "non_trainable"):
        if getattr(exp, key) is not None and getattr(model, key) != getattr(exp, key):
            errors.append(f"{where}: {key} {getattr(model, key)} != {getattr(exp, key)}")
    # invariant: the rows add up to the total
    if sum(r.params for r in model.rows if r.params is not None) != model.total:
        errors.append(f"{where}: rows {[(r.name, r.params) for r in model.rows]} do not add up to {model.total}")
    by_line = {r.line: r.params for r in model.rows}
    for line, params in exp.layer_params:
        if by_line.get(line) != params:
            errors.append(f"{where}: row at line {line}: {by_line.get(line)} != {params}")
    if exp.rows is not None:
        rows = [(r.name, r.params) for r in model.rows]
        children = [r.name for r in exp.rows if not r.parameter]
        if sorted(rows) != sorted((r.name, r.params) for r in exp.rows):
            errors.append(f"{where}: rows {rows} != {[(r.name, r.params) for r in exp.rows]}")
        elif [n for n, _ in rows if n in children] != children:
            errors.append(f"{where}: rows out of registration order: {rows}")
    return errors


@pytest.mark.parametrize("path", fixture_files(), ids=lambda p: str(p.relative_to(FIXTURES)))
def test_fixture(path: Path) -> None:
    expectations = read_expectations(path)
    report = analyze(path.read_text(encoding="utf-8"), path=str(path))
    assert report.error is None, report.error
    assert not report.notes, [n.message for n in report.notes]
    errors: list[str] = []
    for k, index in _match(report.models, expectations, errors).items():
        errors.extend(_check(report.models[index], expectations[k]))
    assert not errors, "\n".join(errors)


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
