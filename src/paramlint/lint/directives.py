"""Inline directives: ``# paramlint: budget=5M, input-shape=(28, 28, 1)`` on or above a model."""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Optional

from ..engine.values import Shape
from .settings import SettingError, parse_count

_NEWLINE = re.compile(r"\r\n|\r|\n")
_DIRECTIVE = re.compile(r"#\s*paramlint:\s*(?P<body>[^#]*)", re.IGNORECASE)
_ITEM = re.compile(r"\s*(?P<key>[a-z][a-z_-]*)\s*=\s*(?P<value>\([^)]*\)|\[[^\]]*\]|[^,\s]+)\s*,?", re.IGNORECASE)


@dataclass(frozen=True)
class Directive:
    budget: Optional[int] = None
    budget_trainable: Optional[int] = None
    input_shape: Optional[Shape] = None


def source_lines(source: str) -> list[str]:
    """The lines as ``ast`` numbers them: broken at \\n, \\r\\n and \\r only (str.splitlines also breaks at U+2028, \\x0c...)."""
    return _NEWLINE.split(source)


def parse_shape(text: str) -> Shape:
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        raise SettingError(f"expected a shape such as (28, 28, 1). Received: input-shape={text}") from None
    if isinstance(value, int) and not isinstance(value, bool):
        value = (value,)
    if not isinstance(value, (tuple, list)) or not value or not all(
        d is None or (isinstance(d, int) and not isinstance(d, bool) and d > 0) for d in value
    ):
        raise SettingError(f"expected a shape of positive integers (no batch dimension). Received: input-shape={text}")
    return tuple(value)


def read_directive(lines: list[str], line: int) -> tuple[Directive, Optional[tuple[int, str, str]]]:
    """The directive on ``line`` (1-based) or the line above; returns it and an error (line, text, reason)."""
    budget = trainable = None
    shape: Optional[Shape] = None
    for number in (line - 1, line):
        if not 1 <= number <= len(lines):
            continue
        m = _DIRECTIVE.search(lines[number - 1])
        if not m:
            continue
        body = m.group("body").strip()
        pos = 0
        try:
            while pos < len(body):
                item = _ITEM.match(body, pos)
                if not item or item.end() == pos:
                    raise SettingError(f"expected key=value items (budget, budget-trainable, input-shape, params). Received: {body[pos:]}")
                key, value = item.group("key").lower().replace("_", "-"), item.group("value")
                if key == "budget":
                    budget = parse_count(value, "budget")
                elif key == "budget-trainable":
                    trainable = parse_count(value, "budget-trainable")
                elif key == "input-shape":
                    shape = parse_shape(value)
                elif key == "params":  # a layer's declared count, read by lint/declared.py
                    parse_count(value, "params")
                else:
                    raise SettingError(f"unknown key '{key}' (expected budget, budget-trainable, input-shape or params)")
                pos = item.end()
        except SettingError as exc:
            return Directive(), (number, body, str(exc))
    return Directive(budget, trainable, shape), None
