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
from diff_keras_graphs_gen import Case, cases, functional_cases, subclass_cases  # noqa: E402

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
