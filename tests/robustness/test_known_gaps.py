"""Gaps found by the robustness work. Fixed ones stay as regression tests; open ones are strict xfails."""
from __future__ import annotations

import pytest

from paramlint.lint.analyze import analyze
from paramlint.lint.settings import Settings


@pytest.mark.parametrize("other", ["nn = None", "from keras import layers as nn"])
def test_a_model_whose_framework_depends_on_a_condition_is_reported(other: str) -> None:
    source = f"import os\nif os.environ.get('B'):\n    from torch import nn\nelse:\n    {other}\nm = nn.Sequential(nn.Linear(2, 2))\n"
    report = analyze(source, Settings(budget=10))
    [model] = report.models
    assert model.framework == "unknown" and not model.complete and model.total is None
    assert [p.code for p in model.problems] == ["PRM302"] and "condition" in model.problems[0].message
