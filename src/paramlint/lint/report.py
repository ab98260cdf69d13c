"""What an analysis returns: per-file reports of models, their rows and their diagnostics."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from ..engine.stack import Row
from ..engine.values import Shape
from .codes import BY_CODE


@dataclass(frozen=True)
class Diagnostic:
    code: str
    line: int  # 1-based
    column: int  # 1-based
    fields: dict[str, Any]

    @property
    def message(self) -> str:
        return BY_CODE[self.code].message(self.fields)


@dataclass
class ModelReport:
    framework: str
    name: str
    line: int
    column: int
    complete: bool
    total: Optional[int]
    trainable: Optional[int]
    non_trainable: Optional[int]
    budget: Optional[int]
    budget_trainable: Optional[int]
    input_shape: Optional[Shape]
    output_shape: Optional[Shape]
    rows: list[Row]
    problems: list[Diagnostic] = field(default_factory=list)
    assumptions: list[str] = field(default_factory=list)
    kind: str = "sequential"  # sequential | module | functional | subclass
    part_of: Optional[int] = None  # index in FileReport.models of the model this one is part of

    @property
    def outermost(self) -> bool:
        return self.part_of is None

    @property
    def budget_applies(self) -> bool:
        return self.budget is not None or self.budget_trainable is not None


@dataclass
class FileReport:
    path: str
    models: list[ModelReport] = field(default_factory=list)
    error: Optional[str] = None  # the file could not be read or parsed
    error_line: Optional[int] = None
    notes: list[Diagnostic] = field(default_factory=list)  # file-level: bad directives, internal errors
