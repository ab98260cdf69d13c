"""Golden outputs for every format; regenerate with PARAMLINT_REGEN_GOLDEN=1 (and review the diff).

Every golden table is also checked against the invariant that the per-layer Param # column adds
up to the model's total (or to the counted part when the total is unknown).
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from tests.cli_runner import run_cli

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
GOLDEN = HERE.parent / "golden"
REGEN = os.environ.get("PARAMLINT_REGEN_GOLDEN") == "1"

CASES = {
    "report.table.txt": ["."],
    "report.explain.txt": ["lenet.py", "torch_mixed.py", "--explain"],
    "report.json": [".", "--format=json"],
    "report.md": [".", "--format=markdown"],
    "report.sarif.json": [".", "--format=sarif"],
}
ROOT_URI = re.compile(r'"uri": "file://[^"]*/"')


def normalise(name: str, text: str) -> str:
    """The repository's absolute location is the one machine-specific part of the output."""
    return ROOT_URI.sub('"uri": "file:///REPOSITORY/"', text) if name.endswith(".sarif.json") else text


@pytest.fixture(scope="module")
def outputs() -> dict[str, tuple[int, str]]:
    out = {}
    for name, args in CASES.items():
        done = run_cli(*args, cwd=FIXTURES)
        # the one file that does not parse is reported on stderr, whatever the format, and never among the tables
        if "." in args:
            assert done.stderr.startswith("syntax_error.py:2: error: syntax error: ") and done.stderr.count("\n") <= 2, done.stderr
        else:
            assert not done.stderr, done.stderr
        assert "syntax_error.py:2: error" not in done.stdout
        out[name] = (done.returncode, normalise(name, done.stdout))
    return out


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden(outputs: dict[str, tuple[int, str]], name: str) -> None:
    code, text = outputs[name]
    assert code == 1  # the fixtures hold an over-budget model and a file that does not parse
    path = GOLDEN / name
    if REGEN:
        path.write_text(text, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == text, f"{name} changed; rerun with PARAMLINT_REGEN_GOLDEN=1 and review"


def tables(text: str) -> list[tuple[list[str], str]]:
    """(Param # cells, 'Total params' line) of every model table in a rendered summary."""
    lines = text.splitlines()
    found = []
    for i, line in enumerate(lines):
        if not line.startswith("Layer (type)"):
            continue
        end = line.index("Param #") + len("Param #")
        j, cells = i + 2, []
        while not lines[j].startswith("="):
            head = lines[j][:end].rstrip()
            if head:
                cells.append(head.rsplit(None, 1)[-1])
            j += 1
        total = next(x for x in lines[j:] if x.startswith("Total params:"))
        found.append((cells, total))
    return found


@pytest.mark.parametrize("name", ["report.table.txt", "report.explain.txt"])
def test_param_column_sums_to_total(name: str) -> None:
    text = (GOLDEN / name).read_text(encoding="utf-8")
    checked = tables(text)
    assert len(checked) >= 2
    for cells, total_line in checked:
        known = [int(c.replace(",", "")) for c in cells if c not in ("--", "?")]
        total = total_line.split(":", 1)[1].split()[0]
        if total == "?":
            assert "?" in cells
            assert f"the counted layers hold {sum(known):,};" in total_line
        else:
            assert "?" not in cells
            assert sum(known) == int(total.replace(",", "")), total_line


def test_goldens_agree_with_json() -> None:
    """The table and the JSON contract tell the same totals."""
    data = json.loads((GOLDEN / "report.json").read_text(encoding="utf-8"))
    table = (GOLDEN / "report.table.txt").read_text(encoding="utf-8")
    totals = [t for _, t in tables(table)]
    assert len(totals) == len(data["models"])
    for model in data["models"]:
        shown = "?" if model["total"] is None else f"{model['total']:,}"
        assert any(t.startswith(f"Total params: {shown}") for t in totals)
