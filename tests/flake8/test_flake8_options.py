"""Options through the real flake8: config files, the pyproject fallback, bad values, selection, registration."""
from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import Flake8, prm

OVER_100K = "import torch.nn as nn\n\nmodel = nn.Sequential(nn.Linear(1000, 1000))\n"  # 1,001,000
UNDER_100K = "import torch.nn as nn\n\nsmall = nn.Sequential(nn.Linear(10, 10))\n"


def project(root: Path, **files: str) -> Path:
    for name, text in files.items():
        path = root / name.replace("__", "/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def codes(result) -> list[tuple[str, int, int, str]]:  # type: ignore[no-untyped-def]
    return [(Path(path).name, row, col, code) for path, row, col, code, _ in prm(result)]


@pytest.mark.parametrize("config", ["setup.cfg", "tox.ini", ".flake8"])
def test_budget_from_flake8_config(config: str, tmp_path: Path, flake8: Flake8) -> None:
    project(tmp_path, **{config: "[flake8]\nparam-budget = 100k\n", "over.py": OVER_100K, "under.py": UNDER_100K})
    result = flake8(".")
    assert codes(result) == [("over.py", 3, 9, "PRM101")]
    assert "model 'model' has 1,001,000 parameters (> budget 100,000)" in result.stdout
    assert result.returncode == 1


def test_silent_and_zero_exit_under_budget(tmp_path: Path, flake8: Flake8) -> None:
    config = "[flake8]\nparam-budget = 2M\nparam-budget-trainable = 1_500_000\n"
    project(tmp_path, **{"setup.cfg": config, "over.py": OVER_100K})
    result = flake8(".")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


@pytest.mark.parametrize(
    "args",
    [("--param-budget=-5",), ("--param-budget", "1.5.5M"), ("--param-budget-trainable=lots",)],
    ids=["negative", "malformed", "trainable"],
)
def test_bad_command_line_value_stops_flake8(args: tuple[str, ...], tmp_path: Path, flake8: Flake8) -> None:
    project(tmp_path, **{"over.py": OVER_100K})
    result = flake8("--isolated", *args, "over.py")
    value = args[-1].split("=", 1)[-1]
    assert result.returncode == 2
    assert "Received: param-budget" in result.stderr and f"={value}" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_bad_config_value_stops_flake8(tmp_path: Path, flake8: Flake8) -> None:
    project(tmp_path, **{"tox.ini": "[flake8]\nparam-budget-trainable = 1.5 kilo\n", "over.py": OVER_100K})
    result = flake8(".")
    assert result.returncode == 2
    assert "Received: param-budget-trainable=1.5 kilo" in result.stderr and "Traceback" not in result.stderr


def test_pyproject_is_the_fallback(tmp_path: Path, flake8: Flake8) -> None:
    project(tmp_path, **{"pyproject.toml": '[tool.paramlint]\nparam-budget = "100k"\n', "pkg__over.py": OVER_100K})
    assert codes(flake8(".")) == [("over.py", 3, 9, "PRM101")]
    # found by walking up from the folder flake8 runs in
    assert codes(flake8(".", cwd=tmp_path / "pkg")) == [("over.py", 3, 9, "PRM101")]
    # --isolated ignores every configuration file, pyproject.toml included
    assert codes(flake8("--isolated", ".")) == []


def test_flake8_options_win_over_pyproject(tmp_path: Path, flake8: Flake8) -> None:
    project(tmp_path, **{
        "pyproject.toml": "[tool.paramlint]\nparam-budget = 1000\nparam-budget-trainable = 1000\n",
        "setup.cfg": "[flake8]\nparam-budget = 2M\n",
        "over.py": OVER_100K,
    })
    # total: setup.cfg's 2M wins; trainable: unset in flake8, so pyproject's 1000 applies
    assert codes(flake8(".")) == [("over.py", 3, 9, "PRM102")]
    assert codes(flake8("--param-budget=10", "--param-budget-trainable=2M", ".")) == [("over.py", 3, 9, "PRM101")]


def test_bad_pyproject_value_names_the_file(tmp_path: Path, flake8: Flake8) -> None:
    project(tmp_path, **{"pyproject.toml": '[tool.paramlint]\nparam-budget = "a lot"\n', "over.py": OVER_100K})
    result = flake8(".")
    assert result.returncode == 2
    assert "pyproject.toml" in result.stderr and "Received: param-budget=a lot" in result.stderr


def test_selection(tmp_path: Path, flake8: Flake8) -> None:
    project(tmp_path, **{"over.py": OVER_100K})
    base = ("--isolated", "--param-budget=1k", "over.py")
    assert [c[3] for c in codes(flake8(*base))] == ["PRM101"]  # PRM9 off by default
    assert [c[3] for c in codes(flake8("--extend-select=PRM9", *base))] == ["PRM101", "PRM901"]
    assert [c[3] for c in codes(flake8("--select=PRM901", *base))] == ["PRM901"]
    assert [c[3] for c in codes(flake8("--extend-ignore=PRM1", *base))] == []


def test_registered(tmp_path: Path, flake8: Flake8) -> None:
    from paramlint import __version__

    version = flake8("--version")
    assert f"paramlint: {__version__}" in version.stdout
    project(tmp_path, **{"under.py": UNDER_100K})
    required = flake8("--isolated", "--require-plugins", "paramlint", "under.py")
    assert (required.returncode, required.stderr) == (0, "")
