"""SARIF output: valid against the official 2.1.0 schema, rules from the registry, stable fingerprints."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from paramlint.lint.analyze import analyze
from paramlint.lint.codes import CODES
from paramlint.lint.settings import Settings
from paramlint.output import sarif

HERE = Path(__file__).parent
SCHEMA = json.loads((HERE / "schemas" / "sarif-2.1.0-rtm.5.json").read_text(encoding="utf-8"))
GOLDEN = json.loads((HERE.parent / "golden" / "report.sarif.json").read_text(encoding="utf-8"))

OVER = """import torch.nn as nn
# paramlint: budget=10
big = nn.Sequential(nn.Linear(10, 10))
# paramlint: budget=10
odd = nn.Sequential(nn.Linear(10, 10), Custom())
"""


def validate(document: dict) -> None:
    jsonschema.Draft4Validator.check_schema(SCHEMA)
    errors = sorted(jsonschema.Draft4Validator(SCHEMA).iter_errors(document), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])


def test_golden_is_schema_valid() -> None:
    validate(GOLDEN)


def test_rules_are_the_registry() -> None:
    run = GOLDEN["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [c.code for c in CODES]
    for rule, code in zip(rules, CODES):
        assert rule["name"] == code.rule
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"] and rule["help"]["text"]
        assert rule["defaultConfiguration"]["level"] == {"error": "error", "warning": "warning", "note": "note"}[code.severity]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        location = result["locations"][0]["physicalLocation"]
        assert not location["artifactLocation"]["uri"].startswith(("file:", "/"))
        if "region" in location:
            assert location["region"]["startLine"] >= 1 and location["region"]["startColumn"] >= 1
        assert result["partialFingerprints"]["paramlint/v1"]


def test_unparsable_file_is_a_notification() -> None:
    notes = GOLDEN["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert any("syntax_error.py" in n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for n in notes)


def fingerprints(source: str, root: Path) -> dict[str, str]:
    report = analyze(source, Settings(), str(root / "m.py"))
    data = sarif.to_data([report], root)
    validate(data)
    return {r["ruleId"]: r["partialFingerprints"]["paramlint/v1"] for r in data["runs"][0]["results"]}


def test_fingerprints_survive_moved_lines_and_new_counts(tmp_path: Path) -> None:
    before = fingerprints(OVER, tmp_path)
    after = fingerprints("\n\n" + OVER.replace("nn.Linear(10, 10)", "nn.Linear(10, 20)"), tmp_path)
    assert "PRM101" in before and len(before) == 2  # the budget, and the layer that cannot be counted
    assert before == after
    data = sarif.to_data([analyze(OVER, Settings(), str(tmp_path / "m.py"))], tmp_path)
    uri = data["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert uri == {"uri": "m.py", "uriBaseId": "%SRCROOT%"}
