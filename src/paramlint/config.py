"""``[tool.paramlint]`` in pyproject.toml: finding the file and reading the budgets from it.

Shared by the CLI and the flake8 plugin (where it is the fallback for unset flake8 options).
Pure: no flake8, no argparse, no libcst.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Optional

from .lint.settings import SettingError, limits_from, parse_count

SECTION = "paramlint"
BUDGET_KEYS = ("param-budget", "param-budget-trainable")
# Every key [tool.paramlint] may hold; any other is refused, so a typo never silently drops a budget.
KNOWN_KEYS = (*BUDGET_KEYS, "exclude", "limits", "python-path")
# A directory holding one of these is a project root: the search stops there, after looking in it.
ROOT_MARKERS = (".git", ".hg", ".svn")


class ConfigError(SettingError):
    """pyproject.toml cannot be read, or holds a bad value; the message names the file and echoes the value."""


def _read_toml(path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.9/3.10 only
        import tomli as tomllib
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from exc


def _section(document: dict[str, Any]) -> Optional[Any]:
    tool = document.get("tool")
    return tool.get(SECTION) if isinstance(tool, dict) else None


def find_pyproject(start: Path) -> Optional[Path]:
    """The nearest pyproject.toml with a ``[tool.paramlint]`` table, from ``start`` (a file or folder) upwards.

    As ruff does, a pyproject.toml without the table is passed over, so a sub-package with its
    own pyproject.toml still gets the repository's budgets. The search stops at the project root
    (a folder holding .git, .hg or .svn) or the filesystem root. A pyproject.toml that cannot be
    read is passed over here; ``load_config`` on it reports the problem.
    """
    try:
        here = start.resolve()
    except OSError:
        return None
    if not here.is_dir():
        here = here.parent
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            try:
                if _section(_read_toml(candidate)) is not None:
                    return candidate
            except ConfigError:
                pass
        if any((folder / marker).exists() for marker in ROOT_MARKERS):
            return None
    return None


def load_config(path: Path) -> dict[str, Any]:
    """``[tool.paramlint]`` of ``path`` with the budgets parsed to ints.

    Keys are normalised to dashes (``param_budget`` reads as ``param-budget``). Budgets accept an
    integer or a string such as "100k" or "1.5M". The other known keys are passed through unchanged
    for the CLI. Raises ``ConfigError`` for unreadable TOML, an unknown key or a bad budget value.
    """
    section = _section(_read_toml(path))
    if section is None:
        return {}
    if not isinstance(section, dict):
        raise ConfigError(f"{path}: [tool.{SECTION}] must be a table. Received: tool.{SECTION}={section!r}")
    config: dict[str, Any] = {}
    for key, value in section.items():
        name = str(key).replace("_", "-")
        if name in BUDGET_KEYS:
            config[name] = budget_value(value, name, path)
        elif name == "limits":
            try:
                config[name] = limits_from(value)
            except SettingError as exc:
                raise ConfigError(f"{path}: {exc}") from None
        elif name == "python-path":
            config[name] = python_path_value(value, path)
        elif name in KNOWN_KEYS:
            config[name] = value
        else:
            raise ConfigError(f"{path}: unknown key '{key}' in [tool.{SECTION}] (known keys: {', '.join(sorted(KNOWN_KEYS))}). "
                              f"Received: {key}={value!r}")
    return config


def python_path_value(value: Any, path: Path) -> tuple[str, ...]:
    """``python-path``: environments or folders where installed packages are looked for, relative to the
    pyproject.toml's folder. A string is one entry."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ConfigError(f"{path}: python-path must be a list of folders (environments or package folders). "
                          f"Received: python-path={value!r}")
    return tuple(str((path.parent / v).resolve()) if not Path(v).is_absolute() else v for v in value)


def budget_value(value: Any, key: str, path: Path) -> int:
    """One budget from TOML: a non-negative int, or a count string; anything else is a ConfigError."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ConfigError(f"{path}: expected a parameter count such as 100000 or \"100k\". Received: {key}={value!r}")
    try:
        return parse_count(str(value), key)
    except SettingError as exc:
        raise ConfigError(f"{path}: {exc}") from None
