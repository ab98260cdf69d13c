"""Issue 11, item 7: the table takes the terminal's width, formulas read on one line, nothing is cut, hooks stay quiet."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from tests.cli_runner import run_cli

LENET = Path(__file__).resolve().parents[1] / "output" / "fixtures" / "lenet.py"
WIDE = "import torch.nn as nn\nmodel = nn.Sequential(nn.Linear(1024, 4096))\n"
GIT = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
       "GIT_COMMITTER_EMAIL": "t@example.com", "GIT_CONFIG_NOSYSTEM": "1", "HOME": "/nonexistent"}


def test_the_table_takes_columns_and_80_when_piped(tmp_path: Path) -> None:
    piped = run_cli(LENET.name, "--explain", cwd=LENET.parent).stdout
    wide = run_cli(LENET.name, "--explain", cwd=LENET.parent, env={"COLUMNS": "130"}).stdout
    assert max(map(len, piped.splitlines())) <= 80 < max(map(len, wide.splitlines())) <= 130
    assert "(5*5*8 + 1) * 16 = 3,216" in wide and "max_pooling2d_1 (MaxPooling2D)" in wide  # nothing wrapped or cut


def test_explained_numbers_are_grouped_alike(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text(WIDE)
    assert "1,024 * 4,096 + 4,096 = 4,198,400" in run_cli("m.py", "--explain", cwd=tmp_path, env={"COLUMNS": "100"}).stdout


def test_quiet_shows_only_models_with_findings_against_their_budget(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text(WIDE + "small = nn.Sequential(nn.Linear(2, 2))\n")
    done = run_cli("m.py", "--quiet", "--param-budget=1M", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout.splitlines()[0] == "m.py:2: model 'model': 4,198,400 parameters (budget 1,000,000: over by 3,198,400)"
    assert "small" not in done.stdout and "Layer (type)" not in done.stdout
    assert run_cli("m.py", "--quiet", "--param-budget=10M", cwd=tmp_path).stdout == ""


def test_sarif_results_in_a_notebook_name_the_cell(tmp_path: Path) -> None:
    cells = [{"cell_type": "markdown", "source": ["# title"], "metadata": {}},
             {"cell_type": "code", "source": ["import torch.nn as nn\n", "\n", WIDE.splitlines()[1]], "metadata": {},
              "outputs": [], "execution_count": None}]
    (tmp_path / "n.ipynb").write_text(json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells}))
    sarif = json.loads(run_cli("n.ipynb", "--format=sarif", "--param-budget=1k", cwd=tmp_path).stdout)
    (result,) = sarif["runs"][0]["results"]
    region = result["locations"][0]["physicalLocation"]["region"]
    assert region["properties"] == {"cell": 2, "lineInCell": 3, "columnInCell": 9} and "startLine" not in region


def test_diff_never_cuts_a_path_or_a_reason(tmp_path: Path) -> None:
    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=tmp_path, env={**os.environ, **GIT}, check=True, capture_output=True)

    path = Path("a_rather_long_package_name/with_nested_subpackages/and_a_module_whose_name_is_long.py")
    (tmp_path / path).parent.mkdir(parents=True)
    (tmp_path / path).write_text(WIDE)
    git("init", "-q", "-b", "main")
    git("add", ".")
    git("commit", "-q", "-m", "base")
    (tmp_path / path).write_text("import os\n" + WIDE.replace("1024", "int(os.environ['N'])"))
    done = run_cli("diff", "main", cwd=tmp_path)
    assert str(path) in done.stdout, done.stdout
    reason = " ".join(line.strip() for line in done.stdout.splitlines() if line.startswith("   "))
    assert "because" in reason and reason.endswith("on its line") and "…" not in done.stdout, done.stdout
