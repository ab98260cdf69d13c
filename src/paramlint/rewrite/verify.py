"""The safety net: the rewritten file must give the same counts, and exactly the budgets intended."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

from ..engine.stack import Row
from ..lint.analyze import analyze
from ..lint.report import FileReport, ModelReport
from ..lint.settings import Settings
from .text import Refused


def fingerprint(model: ModelReport) -> tuple[Any, ...]:
    """Everything a model's count says, but not where it is: lines move when a directive is inserted."""
    codes = tuple(sorted(p.code for p in model.problems if not p.code.startswith("PRM1")))
    return (model.name, model.framework, model.kind, model.part_of, model.complete, model.total, model.trainable,
            model.non_trainable, model.input_shape, model.output_shape, codes, _rows(model.rows))


def _rows(rows: list[Row]) -> tuple[Any, ...]:
    return tuple((r.type, r.params, r.trainable, r.non_trainable, r.output_shape, _rows(r.children)) for r in rows)


def same_counts(before: FileReport, source: str, settings: Settings, path: Path,
                budgets: Optional[dict[int, int]] = None) -> None:
    """Refused unless ``source`` has the same models and counts, and the ``budgets`` (model index -> budget) asked."""
    after = analyze(source, settings, str(path))
    if after.error is not None or len(after.models) != len(before.models):
        raise Refused("the rewritten file would not read back with the same models (a paramlint bug; please report it)")
    for index, (old, new) in enumerate(zip(before.models, after.models)):
        expected = (budgets or {}).get(index, old.budget)
        if fingerprint(old) != fingerprint(new) or new.budget != expected:
            raise Refused(f"line {old.line}: model '{old.name}' would not read back with the same count and budget "
                          "after the edit, so nothing was changed (please report it)")
