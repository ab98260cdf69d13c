"""Settings: the one frozen value the analysis receives, and the parsing of budget values."""
from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from typing import Any, Optional

from ..limits import Limits

_SUFFIX = {"": 1, "k": 10**3, "m": 10**6, "b": 10**9, "g": 10**9, "t": 10**12}
_BUDGET = re.compile(r"^\s*(\d[\d_]*(?:\.\d+)?)\s*([kmbgt]?)\s*$", re.IGNORECASE)


class SettingError(ValueError):
    """A bad option or directive value; the message echoes it."""


def parse_count(text: str, option: str = "param-budget") -> int:
    """``100000``, ``100_000``, ``100k``, ``1.5M``, ``2B``/``2G`` -> int. Refuses anything else."""
    m = _BUDGET.match(str(text))
    if not m or "__" in m.group(1) or m.group(1).endswith("_"):
        raise SettingError(f"expected a parameter count such as 100000, 100_000, 100k, 1.5M or 2B. Received: {option}={text}")
    digits, suffix = m.group(1).replace("_", ""), m.group(2).lower()
    whole, _, frac = digits.partition(".")
    scale = _SUFFIX[suffix]
    value = int(whole) * scale + (int(frac) * scale) // (10 ** len(frac)) if frac else int(whole) * scale
    if frac and (int(frac) * scale) % (10 ** len(frac)):
        raise SettingError(f"a parameter count must be a whole number. Received: {option}={text}")
    return value


def limits_from(values: Any) -> Limits:
    """``[tool.paramlint.limits]`` (e.g. ``seconds = 2``) over the defaults; a bad key or value is refused."""
    if not isinstance(values, dict):
        raise SettingError(f"limits must be a table such as {{ seconds = 2 }}. Received: limits={values!r}")
    known = {f.name for f in fields(Limits)}
    chosen: dict[str, Any] = {}
    for key, value in values.items():
        name = str(key).replace("-", "_")
        if name not in known:
            raise SettingError(f"unknown limit '{key}' (expected one of {', '.join(sorted(known))}). Received: limits.{key}={value!r}")
        whole = isinstance(value, int) and not isinstance(value, bool)
        if not (whole or (name == "seconds" and isinstance(value, float))) or value <= 0:
            raise SettingError(f"expected a positive {'number' if name == 'seconds' else 'whole number'}. Received: limits.{key}={value!r}")
        chosen[name] = value
    return replace(Limits(), **chosen)


@dataclass(frozen=True)
class Settings:
    budget: Optional[int] = None
    budget_trainable: Optional[int] = None
    limits: Limits = Limits()
    python_path: tuple[str, ...] = ()  # where installed packages are looked for first (environments or folders)
    revision: Optional[tuple[str, str]] = None  # (repository root, commit): imports read at that revision (paramlint diff)
