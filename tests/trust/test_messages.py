"""Issue 11, item 4: messages say what went wrong in the user's words, name the real cause and end with what to do."""
from __future__ import annotations

from pathlib import Path

import pytest

from paramlint.lint.analyze import analyze
from paramlint.lint.settings import Settings
from tests.messages import internal

ROOT = Path(__file__).resolve().parents[2]
BUDGET = Settings(budget=10)  # every PRM3xx applies to a model with a budget
CORPUS = sorted([*ROOT.glob("fixtures/**/*.py"), *ROOT.glob("tests/flake8/eval_files/*.py"), *ROOT.glob("tests/output/fixtures/*.py"),
                 *(p for p in ROOT.glob("tests/robustness/hostile/*.txt") if p.stat().st_size < 100_000)])
TORCH, KERAS = "import torch.nn as nn\n", "import keras\n"
CASES = {  # the cases and their kind: the value paramlint shows for each
    "hp": KERAS + "def build(hp):\n    return keras.Sequential([keras.Input((4,)), keras.layers.Dense(hp.Int('units', 32, 512))])\n",
    "list": TORCH + "sizes = [16, 32]\nsizes.append(len)\nm = nn.Sequential(nn.Linear(sizes, 4))\n",
    "arith": TORCH + "x = 'a'\nm = nn.Sequential(nn.Linear(x * None, 4))\n",
    "dict": TORCH + "cfg = {'a': 1}\nm = nn.Sequential(nn.Linear(cfg, 4))\n",
    "func": TORCH + "def f():\n    pass\nm = nn.Sequential(nn.Linear(f, 4))\n",
    "tensor": "import torch\n" + TORCH + "m = nn.Sequential(nn.Linear(torch.zeros(3), 4))\n",
    "range": TORCH + "m = nn.Sequential(nn.Linear(range(3), 4))\n",
    "parser": TORCH + "import argparse\np = argparse.ArgumentParser()\nm = nn.Sequential(nn.Linear(p, 4))\n",
    "symbol": TORCH + "import torch.nn.functional as F\nm = nn.Sequential(nn.Linear(F.relu, 4))\n",
}


def messages(source: str) -> list[str]:
    report = analyze(source, BUDGET, "m.py")
    return [f"{d.code} {d.message}" for d in report.notes] + [f"{p.code} {p.message}" for m in report.models for p in m.problems]


@pytest.mark.parametrize("name", sorted(CASES))
def test_values_are_shown_in_the_users_words(name: str) -> None:
    shown = messages(CASES[name])
    assert shown and not [m for m in shown if internal(m)], shown


def test_no_message_over_the_corpora_shows_internals() -> None:
    leaked = []
    for path in CORPUS:
        source = path.read_bytes().decode("utf-8", "replace")
        leaked += [f"{path.name}: {m}" for m in messages(source) if internal(m)]
    assert len(CORPUS) > 100 and leaked == [], leaked[:10]


def test_every_could_not_count_message_ends_with_what_to_do() -> None:
    shown = [m for path in CORPUS for m in messages(path.read_bytes().decode("utf-8", "replace")) if m[:6] in ("PRM301", "PRM302", "PRM303", "PRM304")]
    shown += [m for source in CASES.values() for m in messages(source) if m[:6] in ("PRM301", "PRM302", "PRM303", "PRM304")]
    hints = ("# paramlint: params=N", "# paramlint: input-shape=", "[tool.paramlint.limits]", "simplify the code there",
             "only a trainable budget cannot be checked")
    assert len(shown) > 20 and [m for m in shown if not any(h in m.rsplit(";", 1)[-1] for h in hints)] == []


def test_an_unknown_layer_is_the_cause_not_a_missing_input_shape() -> None:
    shown = messages(KERAS + "m = keras.Sequential([keras.Input((4,)), Foo(3), keras.layers.Dense(2)])\n")
    assert [m[:6] for m in shown] == ["PRM301"], shown


def test_a_torch_model_is_never_told_to_add_keras_input() -> None:
    shown = messages(TORCH + "m = nn.Sequential(nn.Conv2d(3, 8, 3), nn.Flatten(), nn.LazyLinear(10))\n")
    assert [m[:6] for m in shown] == ["PRM303"] and "keras" not in shown[0] and "# paramlint: input-shape=(...)" in shown[0]
