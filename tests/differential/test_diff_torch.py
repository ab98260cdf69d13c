"""Random valid torch.nn Sequentials, rendered in varied styles: paramlint must match PyTorch.

As for Keras, the oracle is built from the description; the rendered source is executed too,
and its parameter count must equal the description's (a renderer check).
"""
from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")

from hypothesis import assume, given, strategies as st  # noqa: E402

from diff_check import EXAMPLES, PER_LAYER, compare, diff_settings, explain  # noqa: E402
from diff_known import known_issue  # noqa: E402
from diff_gen import models  # noqa: E402
from diff_oracle import measure_torch, torch_model_count  # noqa: E402
from diff_recipes import TORCH  # noqa: E402
from diff_render import exec_torch_source, render_torch, shared_layers  # noqa: E402

pytestmark = [pytest.mark.oracle, pytest.mark.filterwarnings("ignore")]


def check(data: st.DataObject, force: str | None = None) -> None:
    model = data.draw(models("torch", force), label="model")
    assume(known_issue(model) is None)
    rendered = data.draw(render_torch(model), label="rendering")
    facts = measure_torch(model)
    net = exec_torch_source(rendered.source)[rendered.var]
    assert torch_model_count(net, model) == (facts.total, facts.trainable, facts.non_trainable), rendered.source
    problems = compare(rendered, facts, sharing=bool(shared_layers(model)))
    assert not problems, explain(rendered, problems, model)


@diff_settings(EXAMPLES)
@given(st.data())
def test_random_torch_models(data: st.DataObject) -> None:
    check(data)


@pytest.mark.parametrize("name", sorted({n for r in TORCH for n in r.names}))
@diff_settings(PER_LAYER)
@given(data=st.data())
def test_every_torch_layer(name: str, data: st.DataObject) -> None:
    """Each catalog name, first in a few random stacks: the coverage guarantee of every CI run."""
    check(data, force=name)
