"""The analysis budgets: every loop, list, call and expression of the interpreter is bounded by them."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """Per-file analysis budgets. Every loop, list, call and expression is bounded by them."""

    steps: int = 2_000_000  # evaluator steps (expressions and statements)
    items: int = 200_000  # length of any list, range or unrolled loop
    depth: int = 40  # nested function calls
    seconds: float = 60.0  # wall-clock time per file: a far backstop only, the step budget decides outcomes
    int_bits: int = 256  # largest integer the evaluator will build
    characters: int = 1_000_000  # largest source analysed: Python's ast takes up to ~0.9 GiB per million characters
