"""Analysis limits are configurable in [tool.paramlint.limits], for the CLI and flake8 alike."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from paramlint.lint.settings import Limits, SettingError, limits_from

MODEL = "import torch.nn as nn\nm = nn.Sequential(*[nn.Linear(2, 2) for _ in range(100)])\n"


def test_limits_from_overrides_only_what_is_given() -> None:
    assert limits_from({"seconds": 0.5, "items": 50}) == Limits(seconds=0.5, items=50)
    assert limits_from({}) == Limits()


@pytest.mark.parametrize("bad", [{"secs": 1}, {"items": 0}, {"items": 2.5}, {"depth": True}, {"seconds": "2"}])
def test_bad_limits_are_refused_with_the_value(bad: dict[str, object]) -> None:
    with pytest.raises(SettingError, match="Received: limits"):
        limits_from(bad)


def _project(tmp_path: Path, limits: str) -> Path:
    (tmp_path / "pyproject.toml").write_text(f"[tool.paramlint]\nparam-budget = 100\n[tool.paramlint.limits]\n{limits}\n")
    (tmp_path / "m.py").write_text(MODEL)
    return tmp_path


def test_cli_applies_the_limits(tmp_path: Path) -> None:
    cwd = _project(tmp_path, "items = 50")
    out = subprocess.run([sys.executable, "-m", "paramlint", "m.py"], cwd=cwd, capture_output=True, text=True, check=False)
    assert "PRM304" in out.stdout and "100 items > 50" in out.stdout, out.stdout + out.stderr


def test_flake8_applies_the_limits(tmp_path: Path) -> None:
    cwd = _project(tmp_path, "items = 50")
    out = subprocess.run([sys.executable, "-m", "flake8", "--select=PRM", "m.py"], cwd=cwd, capture_output=True, text=True, check=False)
    assert "PRM304" in out.stdout, out.stdout + out.stderr
    cwd = _project(tmp_path, "items = 500")
    out = subprocess.run([sys.executable, "-m", "flake8", "--select=PRM", "m.py"], cwd=cwd, capture_output=True, text=True, check=False)
    assert "PRM101" in out.stdout and "PRM304" not in out.stdout, out.stdout + out.stderr


def test_a_bad_limit_stops_with_a_clear_error(tmp_path: Path) -> None:
    cwd = _project(tmp_path, "secs = 1")
    for cmd in ([sys.executable, "-m", "paramlint", "m.py"], [sys.executable, "-m", "flake8", "m.py"]):
        out = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
        assert out.returncode == 2 and "unknown limit 'secs'" in out.stderr and "Traceback" not in out.stderr
