"""The pure pyproject API the CLI shares: find_pyproject and load_config."""
from __future__ import annotations

from pathlib import Path

import pytest

from paramlint.config import ConfigError, find_pyproject, load_config

SECTION = '[tool.paramlint]\nparam-budget = "1.5M"\n'


def test_nearest_pyproject_with_the_section_wins(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(SECTION)
    inner = tmp_path / "packages" / "a"
    inner.mkdir(parents=True)
    (inner / "pyproject.toml").write_text("[project]\nname = 'a'\n")  # no [tool.paramlint]: passed over
    assert find_pyproject(inner) == tmp_path / "pyproject.toml"
    assert find_pyproject(inner / "model.py") == tmp_path / "pyproject.toml"  # a file starts at its folder
    (inner / "pyproject.toml").write_text(SECTION)
    assert find_pyproject(inner) == inner / "pyproject.toml"


def test_search_stops_at_the_repository_root(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(SECTION)
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    assert find_pyproject(repo) is None


def test_load_config_parses_budgets(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text('[tool.paramlint]\nparam_budget = 100_000\nparam-budget-trainable = "2k"\nexclude = ["gen"]\n')
    assert load_config(path) == {"param-budget": 100_000, "param-budget-trainable": 2000, "exclude": ["gen"]}
    path.write_text("[tool.black]\n")
    assert load_config(path) == {}


@pytest.mark.parametrize(
    ("text", "echo"),
    [("param-budget = -5", "param-budget=-5"), ('param-budget = "many"', "param-budget=many"),
     ("param-budget-trainable = 1.5", "param-budget-trainable=1.5"), ("param-budget = true", "param-budget=True")],
)
def test_bad_values_echo_the_value_and_name_the_file(tmp_path: Path, text: str, echo: str) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text(f"[tool.paramlint]\n{text}\n")
    with pytest.raises(ConfigError, match="Received: " + echo.replace(".", r"\.")) as info:
        load_config(path)
    assert str(path) in str(info.value)


def test_invalid_toml_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text("[tool.paramlint\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(path)
