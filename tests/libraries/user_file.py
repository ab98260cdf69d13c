"""A user file that builds a library's models, analysed as paramlint analyses it from disk (its imports followed)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from paramlint.lint.analyze import analyze


def analyze_user_file(folder: Path, source: str) -> Any:
    path = folder / "train.py"
    path.write_text(source)
    report = analyze(source, path=str(path))
    assert report.error is None and not report.notes, (report.error, report.notes)
    return report
