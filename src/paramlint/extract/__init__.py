"""Finds the models a file defines and turns them into engine inputs.

Nothing syntax-tree-typed leaves this package: callers get ``FoundModel`` values.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Optional

from ..engine.findings import Finding, LimitReached, UnknownValue
from ..engine.stack import Entry
from ..engine.values import Shape
from ..lint.settings import Limits

MODEL_HINT = "Sequential"


@dataclass
class FoundModel:
    framework: str
    name: str
    line: int  # 1-based, where the Sequential( call starts
    column: int  # 1-based
    entries: list[Entry]
    build_shape: Optional[Shape] = None
    problems: list[Finding] = field(default_factory=list)
    assumptions: list[str] = field(default_factory=list)
    split_problems: list[UnknownValue] = field(default_factory=list)  # the total is exact, the trainable split not


@dataclass
class Extraction:
    models: list[FoundModel]
    problem: Optional[Finding] = None  # a file-level limit that stopped the analysis


def may_define_models(source: str) -> bool:
    """The cheap test run before any parsing: no 'Sequential' in the text, no model."""
    return MODEL_HINT in source


def find_models(source: str, limits: Limits, tree: Optional[ast.Module] = None) -> Extraction:
    """Interpret ``source`` (parsed here unless flake8 already did). Raises ``SyntaxError`` if it does not parse."""
    from .interp import Interpreter, iter_models

    module = tree if tree is not None else ast.parse(source)
    interp = Interpreter(module, source, limits)
    problem: Optional[Finding] = None
    try:
        interp.run_module()
    except LimitReached as exc:
        problem = exc
    except RecursionError:
        problem = LimitReached(limit="nesting depth", value="Python recursion limit")
    found = []
    for model in iter_models(interp):
        problems = list(model.taint)
        if problem is not None:
            problems.append(problem)
        found.append(FoundModel(
            framework=model.framework,
            name=model.name or model.returned_by or "sequential",
            line=model.line,
            column=model.column,
            entries=list(model.children or []),
            build_shape=model.build_shape,
            problems=problems,
            assumptions=list(model.assumptions),
            split_problems=[
                UnknownValue(f.line, f.column, what="the trainable split", reason=f.reason,
                             fix="the total stays exact; only a trainable budget cannot be checked")
                for framework, f in interp.freezes if framework == model.framework
            ][:1],
        ))
    return Extraction(found, problem)
