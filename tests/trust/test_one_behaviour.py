"""Issue 11, item 6: the command line and flake8 report the same diagnostics for the same file and options."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli_runner import run_cli

SOURCE = """\
import torch.nn as nn
import keras
silenced = nn.Sequential(nn.Linear(100, 100))  # noqa: PRM101
all_silenced = nn.Sequential(nn.Linear(100, 100), nn.Linear(30, 5))  # noqa
other_code = nn.Sequential(nn.Linear(100, 100))  # noqa: PRM2
loud = nn.Sequential(nn.Linear(100, 100), nn.Linear(30, 5))
unsized = keras.Sequential([keras.layers.Dense(4)])
"""
OPTIONS = [
    [], ["--select=PRM2"], ["--ignore=PRM1"], ["--select=PRM1", "--extend-select=PRM201"],
    ["--select=PRM", "--ignore=PRM101"], ["--ignore=PRM", "--extend-select=PRM3"], ["--select=PRM1,PRM303"],
]


def cli_codes(tmp_path: Path, options: list[str]) -> set[tuple[int, str]]:
    done = run_cli("m.py", "--format=json", "--param-budget=1k", *options, cwd=tmp_path)
    assert done.returncode in (0, 1), done.stderr
    models = json.loads(done.stdout)["models"]
    return {(p["line"], p["code"]) for m in models for p in m["problems"] if m["budget"] is not None}


def flake8_codes(tmp_path: Path, options: list[str]) -> set[tuple[int, str]]:
    # flake8's own default selection is every code; ours is every PRM code: the same once narrowed to PRM
    narrowed = options if any(o.startswith("--select") for o in options) else ["--select=PRM", *options]
    done = subprocess.run([sys.executable, "-m", "flake8", "--isolated", "--param-budget=1k", *narrowed, "m.py"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode in (0, 1), done.stderr
    found = {(int(line.split(":")[1]), line.split()[1]) for line in done.stdout.splitlines() if " PRM" in line}
    return {(line, code) for line, code in found if not code.startswith("PRM9")}  # the CLI's counts are its output itself


@pytest.mark.parametrize("options", OPTIONS, ids=" ".join)
def test_cli_and_flake8_agree_on_noqa_select_and_ignore(tmp_path: Path, options: list[str]) -> None:
    (tmp_path / "m.py").write_text(SOURCE, encoding="utf-8")
    assert cli_codes(tmp_path, options) == flake8_codes(tmp_path, options)


def test_noqa_accepts_one_model_on_the_command_line(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text(SOURCE, encoding="utf-8")
    assert cli_codes(tmp_path, []) == {(5, "PRM101"), (6, "PRM101"), (6, "PRM201"), (7, "PRM303")}


def test_unknown_config_key_is_refused_with_the_known_ones(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.paramlint]\nbudget = "10k"\n', encoding="utf-8")
    (tmp_path / "m.py").write_text(SOURCE, encoding="utf-8")
    done = run_cli("m.py", cwd=tmp_path)
    assert done.returncode == 2 and not done.stdout
    assert "unknown key 'budget'" in done.stderr and "param-budget, param-budget-trainable" in done.stderr


def test_a_path_that_does_not_exist_is_a_usage_error(tmp_path: Path) -> None:
    done = run_cli("missing.py", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (2, "") and "no such file or folder: missing.py" in done.stderr
