"""Random Keras functional graphs and subclassed models: paramlint must count each as Keras 3 does.

Each case is source text (diff_keras_graphs_gen.py): branches and merges, layers shared between two calls,
functional models and Sequentials made in the file and called as layers (once or twice), several inputs and
outputs (a list or a dict), keras.ops and slicing between layers, branches that reach no output; subclasses
with layers in ``__init__``, some in a list, one never called, a Sequential attribute, built by a call on
``keras.Input``. Keras executes the same source (diff_keras_graphs_check.py); totals, the trainable split, the
rows (name and count, in ``model.layers`` order) and each inner model (its counts, and whether it is part of
the outer model) are compared. A disagreement is shown with a reduced source that still shows it.

300 cases per run by default; ``PARAMLINT_DIFF_EXAMPLES=5000`` asks for a longer run. ``python diff_keras_graphs_survey.py N`` runs N cases
without stopping and groups what disagrees.
"""
from __future__ import annotations

import os

import pytest

pytest.importorskip("torch")
keras = pytest.importorskip("keras")

from hypothesis import given, strategies as st  # noqa: E402

from diff_check import EXAMPLES, diff_settings  # noqa: E402
from diff_keras_graphs_check import causes, compare, keras_facts, reduce  # noqa: E402
from diff_keras_graphs_gen import Case, Part, cases, functional_cases, subclass_cases  # noqa: E402

pytestmark = [pytest.mark.oracle, pytest.mark.filterwarnings("ignore")]

# 300 cases by default (about 25 s on 2 cores: building the Keras models is most of it); a
# PARAMLINT_DIFF_EXAMPLES set for a longer run applies here too
GRAPH_EXAMPLES = EXAMPLES if "PARAMLINT_DIFF_EXAMPLES" in os.environ else 300


def _facts(case: Case) -> object:
    try:
        return keras_facts(case)
    except Exception as exc:  # the generator's shape tracking let through a graph Keras refuses
        raise AssertionError(f"generator bug: Keras refuses the source ({exc!r})\n{case.source}") from exc


def _explain(case: Case, problems: list[str]) -> str:
    lines = ["paramlint disagrees with Keras:", *problems, f"style {case.style}", "source:", case.source]
    want = causes(problems)[0]
    smaller = reduce(case, want)
    if smaller is not None:
        lines += [f"reduced (still: {want}):", smaller.source]
    return "\n".join(lines)


def check(case: Case) -> None:
    facts = _facts(case)
    problems = compare(case, facts)  # type: ignore[arg-type]
    assert not problems, _explain(case, problems)


@diff_settings(GRAPH_EXAMPLES)
@given(cases())
def test_random_keras_graphs_and_subclasses(case: Case) -> None:
    check(case)


@diff_settings(100)
@given(st.one_of(functional_cases(), subclass_cases()))
def test_generated_sources_build_in_keras(case: Case) -> None:
    """Keras builds every generated source, the suite's own correctness, proven even while paramlint fails."""
    facts = _facts(case)
    for want in [facts.outer] + [f for _, f, _ in facts.parts]:  # type: ignore[attr-defined]
        assert sum(n for _, n in want.rows) == want.total, case.source


def _found(source: str, binding: str = "model", kind: str = "functional", parts: tuple[tuple[str, str], ...] = (),
           names: tuple[str, ...] = ()) -> Case:
    """A case this suite found (reduced), kept as a regression: ``parts``: (variable, kind) of inner models."""
    lines = source.split("\n")

    def line_of(var: str) -> int:
        return next(i + 1 for i, text in enumerate(lines) if text.startswith(f"{var} = "))
    found_parts = [Part(var, line_of(var), part_kind, name) for (var, part_kind), name in
                   zip(parts, list(names) + [""] * len(parts))]
    return Case(source, binding, binding, line_of(binding), kind, found_parts, set(names), "found")


FOUND = {
    "dict outputs are ordered by key": _found(
        "import keras\nfrom keras import layers\ninp = keras.Input(shape=(4,))\n"
        "model = keras.Model(inp, {'b': layers.Dense(1, name='b')(inp), 'a': layers.Dense(2, name='a')(inp)})\n",
        names=("a", "b")),
    "a nested model's row is named by its name=": _found(
        "import keras\nfrom keras import layers\ninp = keras.Input(shape=(4,))\n"
        "head = keras.Sequential([layers.Dense(8)], name='head')\nmodel = keras.Model(inp, head(inp))\n",
        parts=(("head", "sequential"),), names=("head",)),
    "a Lambda's shape is what its function returns": _found(
        "import keras\nfrom keras import layers, ops\ninp = keras.Input(shape=(4,))\n"
        "x = layers.Lambda(lambda t: ops.abs(t))(inp)\nmodel = keras.Model(inp, layers.Dense(2)(x))\n"),
    "a subclass built on an array": _found(
        "import keras\nimport numpy as np\nfrom keras import layers\n\n\nclass Net(keras.Model):\n"
        "    def __init__(self):\n        super().__init__()\n        self.d = layers.Dense(4)\n\n"
        "    def call(self, x):\n        return self.d(x)\n\n\nnet = Net()\nnet(np.zeros((2, 8), dtype='float32'))\n",
        binding="net", kind="subclass"),
    "attention frozen before it is built keeps trainable projections": _found(
        "import keras\nfrom keras import layers\ninp = keras.Input(shape=(3, 4))\n"
        "model = keras.Model(inp, layers.MultiHeadAttention(num_heads=2, key_dim=2, trainable=False)(inp, inp))\n"),
    "attention frozen by attribute before its call": _found(
        "import keras\nfrom keras import layers\ninp = keras.Input(shape=(3, 4))\n"
        "att = layers.MultiHeadAttention(num_heads=2, key_dim=2)\natt.trainable = False\n"
        "model = keras.Model(inp, att(inp, inp))\n"),
}


@pytest.mark.parametrize("name", sorted(FOUND))
def test_found_cases(name: str) -> None:
    check(FOUND[name])
