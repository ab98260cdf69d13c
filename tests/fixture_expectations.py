"""Reads the expectations written inline in fixture files.

On a model's ``Sequential(`` line: ``# expect: [model=NAME] total=N [trainable=N] [non_trainable=N]
[complete=false] [codes=PRM303,...]``. On a layer's line: ``# params=N``. Values, never rendered text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"

_EXPECT = re.compile(r"#\s*expect:\s*(?P<body>.*)$")
_PARAMS = re.compile(r"#\s*params=(?P<n>\d+)\s*$")


@dataclass
class ModelExpectation:
    line: int
    model: Optional[str] = None
    total: Optional[int] = None
    trainable: Optional[int] = None
    non_trainable: Optional[int] = None
    complete: bool = True
    codes: list[str] = field(default_factory=list)
    layer_params: list[tuple[int, int]] = field(default_factory=list)  # (line, params)


def read_expectations(path: Path) -> list[ModelExpectation]:
    models: list[ModelExpectation] = []
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        m = _EXPECT.search(text)
        if m:
            exp = ModelExpectation(number)
            for item in m.group("body").split():
                key, _, value = item.partition("=")
                if key == "model":
                    exp.model = value
                elif key in ("total", "trainable", "non_trainable"):
                    setattr(exp, key, int(value))
                elif key == "complete":
                    exp.complete = value.lower() == "true"
                elif key == "codes":
                    exp.codes = value.split(",")
                else:
                    raise ValueError(f"{path}:{number}: unknown expectation {item!r}")
            models.append(exp)
            continue
        p = _PARAMS.search(text)
        if p:
            if not models:
                raise ValueError(f"{path}:{number}: params= before any expect:")
            models[-1].layer_params.append((number, int(p.group("n"))))
    return models


def fixture_files() -> list[Path]:
    return sorted(FIXTURES.rglob("*.py"))
