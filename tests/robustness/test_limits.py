"""Each analysis limit ends in a named PRM304, never in silence, a wrong cause or an internal error.

In-process and fast: these inputs are bounded by the limits themselves (the hostile corpus
runs the unbounded ones in child processes).
"""
from __future__ import annotations

from paramlint.lint.analyze import analyze
from paramlint.lint.report import FileReport

TORCH = "from torch import nn\n"


def codes(report: FileReport) -> list[str]:
    return [n.code for n in report.notes] + [p.code for m in report.models for p in m.problems]


def test_a_limit_hit_before_any_model_is_reported_not_silent() -> None:
    source = TORCH + "def block(n):\n    return [nn.Linear(2, 2)] + block(n - 1)\nmodel = nn.Sequential(*block(3))\n"
    report = analyze(source)
    assert report.models == [] and codes(report) == ["PRM304"]
    note = report.notes[0]
    assert (note.line, note.fields["limit"]) == (3, "call depth") and "limit reached" in note.message
