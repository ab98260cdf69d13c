"""Loops that cannot change a model are not unrolled; loops that can, and cheap arithmetic, still are."""
from __future__ import annotations

import textwrap

from paramlint.lint.analyze import analyze


def _one(source: str) -> tuple[bool, object]:
    [model] = [m for m in analyze(textwrap.dedent(source)).models if m.outermost]
    return model.complete, model.total


def test_a_long_data_loop_is_not_unrolled_and_the_model_stays_exact() -> None:
    source = """
        import random
        import torch.nn as nn
        model = nn.Sequential(nn.Linear(4, 2))
        data = []
        for i in range(10**5):
            x = random.random()
            print(x)
    """
    assert _one(source) == (True, 10)


def test_a_value_a_data_loop_computes_is_unknown_not_wrong() -> None:
    source = """
        import random
        import torch.nn as nn
        width = 3
        for i in range(5000):
            width = random.randint(1, 9)
        model = nn.Sequential(nn.Linear(width, 2))
    """
    assert _one(source) == (False, None)


def test_long_loops_that_build_or_only_compute_are_still_unrolled() -> None:
    builds = """
        from tensorflow import keras
        model = keras.Sequential([keras.Input(shape=(3,))])
        for i in range(1500):
            model.add(keras.layers.Dense(1))
    """
    computes = """
        import torch.nn as nn
        n = 0
        for i in range(5000):
            n = n + 1
        model = nn.Sequential(nn.Linear(n, 1))
    """
    assert _one(builds) == (True, 4 + 1499 * 2)
    assert _one(computes) == (True, 5001)


def test_a_simulation_loop_does_not_cost_the_models_of_the_file() -> None:
    """500 episodes of 200 steps around a DQN agent (the issue's reinforcement-learning file): the loops run
    once, the analysis stays far inside its budgets, and the agent's network is exact; the agent, a plain
    class holding it, is no model."""
    from pathlib import Path

    source = (Path(__file__).parent / "data" / "dqn_simulation.py").read_text()
    report = analyze(source)
    assert not report.notes
    assert [(m.name, m.kind, m.complete, m.total) for m in report.models if m.outermost] == [("Agent.model", "module", True, 17410)]
