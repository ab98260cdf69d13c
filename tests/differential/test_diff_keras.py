"""Random valid Keras Sequentials, rendered in varied styles: paramlint must match Keras exactly.

The oracle model is built from the generator's structured description (diff_oracle.py), not
from the rendered text, so a rendering slip cannot hide a paramlint bug by breaking both sides
the same way. The rendered source is *also* executed with real Keras and its counts compared with
the description's: that catches renderer mistakes, which would otherwise show up as false
paramlint failures.
"""
from __future__ import annotations

import pytest

pytest.importorskip("torch")
keras = pytest.importorskip("keras")

from hypothesis import assume, given, strategies as st  # noqa: E402

from diff_check import EXAMPLES, PER_LAYER, compare, diff_settings, explain  # noqa: E402
from diff_known import known_issue  # noqa: E402
from diff_gen import models  # noqa: E402
from diff_oracle import keras_model_count, measure_keras  # noqa: E402
from diff_recipes import KERAS  # noqa: E402
from diff_render import exec_source, render_keras, shared_layers  # noqa: E402

pytestmark = [pytest.mark.oracle, pytest.mark.filterwarnings("ignore")]


def check(data: st.DataObject, force: str | None = None) -> None:
    model = data.draw(models("keras", force), label="model")
    assume(known_issue(model) is None)
    rendered = data.draw(render_keras(model), label="rendering")
    facts = measure_keras(model)
    if rendered.expect == "refused":
        with pytest.raises(ValueError):
            exec_source(rendered.source)
    else:
        net = exec_source(rendered.source)[rendered.var]
        # a shape Keras reads from the source builds the model; no shape (or only a directive) does not
        assert net.built == (rendered.expect == "exact" and "/directive/" not in rendered.style), rendered.source
        if not net.built:
            net.build((None, *model.input_shape))
        assert keras_model_count(net) == (facts.total, facts.trainable, facts.non_trainable), rendered.source
    problems = compare(rendered, facts, sharing=bool(shared_layers(model)))
    assert not problems, explain(rendered, problems, model)


@diff_settings(EXAMPLES)
@given(st.data())
def test_random_keras_models(data: st.DataObject) -> None:
    check(data)


@pytest.mark.parametrize("name", sorted({n for r in KERAS for n in r.names}))
@diff_settings(PER_LAYER)
@given(data=st.data())
def test_every_keras_layer(name: str, data: st.DataObject) -> None:
    """Each catalog name, first in a few random stacks: the coverage guarantee of every CI run."""
    check(data, force=name)
