"""Known gaps found by the robustness work, kept as strict xfails until the interpreter grows."""
from __future__ import annotations

import pytest

from paramlint.lint.analyze import analyze


@pytest.mark.xfail(strict=True, reason=(
    "a framework name bound under a condition not known statically (torch in one branch, None or keras in the other) "
    "makes 'nn.Sequential(...)' an unknown call: the model vanishes with no diagnostic, so a budget can be escaped. "
    "Needs the interpreter to keep both branch values of a name (or report the unresolved Sequential call as PRM302)."))
@pytest.mark.parametrize("other", ["nn = None", "from keras import layers as nn"])
def test_a_model_whose_framework_depends_on_a_condition_is_reported(other: str) -> None:
    source = f"import os\nif os.environ.get('B'):\n    from torch import nn\nelse:\n    {other}\nm = nn.Sequential(nn.Linear(2, 2))\n"
    report = analyze(source)
    assert report.models or report.notes, "the Sequential call is neither counted nor reported"
