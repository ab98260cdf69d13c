"""Finds the models a file creates and turns them into engine inputs.

Nothing syntax-tree-typed leaves this package: callers get ``FoundModel`` values.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any, Mapping, Optional

from ..engine.findings import Finding, LimitReached, UnknownValue
from ..engine.stack import Entry
from ..engine.values import Shape
from ..gate import may_define_models
from ..limits import Limits

__all__ = ["Extraction", "FoundModel", "find_models", "may_define_models"]


@dataclass
class FoundModel:
    framework: str
    name: str
    line: int  # 1-based, where the call that constructs the model starts
    column: int  # 1-based
    entries: list[Entry]
    build_shape: Optional[Shape] = None
    problems: list[Finding] = field(default_factory=list)
    assumptions: list[str] = field(default_factory=list)
    split_problems: list[Finding] = field(default_factory=list)  # the total is exact, the trainable split not
    kind: str = "sequential"  # sequential | module
    part_of: Optional[int] = None  # index of the model this one is part of
    input_shape: Optional[Shape] = None  # a module's, when its forward() was followed
    output_shape: Optional[Shape] = None
    ident: int = 0  # the model's identity while the analysis runs: another model may hold this one


@dataclass
class Extraction:
    models: list[FoundModel]
    problem: Optional[Finding] = None  # a file-level limit that stopped the analysis
    missing: dict[str, str] = field(default_factory=dict)  # modules imported but not read: name -> why


def find_models(source: str, limits: Limits, tree: Optional[ast.Module] = None,
                input_shapes: Optional[Mapping[int, Shape]] = None, path: Optional[str] = None,
                python_path: tuple[str, ...] = (), fs: Any = None) -> Extraction:
    """Interpret ``source`` (parsed here unless flake8 already did). Raises ``SyntaxError`` if it does not parse.

    ``input_shapes`` maps a model's line to the input shape a directive gives it (batch excluded): a PyTorch
    module there has its ``forward()`` followed for output shapes. ``path`` is where the file lies (None: not
    known); its imports are followed from there, installed packages looked for first in ``python_path``; ``fs``
    reads the files (the disk, or a git revision)."""
    from .interp import Interpreter, iter_models

    module = tree if tree is not None else ast.parse(source)
    interp = Interpreter(module, source, limits, path, python_path, fs)
    problem: Optional[Finding] = None
    try:
        interp.run_module()
        interp.follow_directives(input_shapes or {})
    except LimitReached as exc:
        problem = exc
    except RecursionError:
        problem = LimitReached(limit="nesting depth", value="Python recursion limit")
    found: list[FoundModel] = []
    index: dict[int, int] = {}
    for model, whole in iter_models(interp):
        problems = list(model.taint)
        if problem is not None:
            problems.append(problem)
        changes = [f for framework, f in interp.freezes if framework == model.framework][:1]
        if model.split_unknown is not None:
            changes.append(model.split_unknown)
        split: list[Finding] = [UnknownValue(f.line, f.column, what="the trainable split", reason=f.reason,
                                             fix="the total stays exact; only a trainable budget cannot be checked")
                                for f in changes]
        index[id(model)] = len(found)
        found.append(FoundModel(
            framework=model.framework,
            name=model.name or model.returned_by or model.type_name,
            line=model.line,
            column=model.column,
            entries=list(model.children or []),
            build_shape=getattr(model, "build_shape", None),
            problems=problems,
            assumptions=list(model.assumptions),
            split_problems=split,
            kind=model.model_kind,
            part_of=None if whole is None else index.get(id(whole)),
            input_shape=model.seen_input,
            output_shape=model.seen_output,
            ident=id(model),
        ))
    return Extraction(found, problem, dict(interp.missing))
