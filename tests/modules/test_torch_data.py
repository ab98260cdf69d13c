"""Torch arithmetic on small tensors of known numbers, as paramlint evaluates it, against torch running it: over
many random inputs a value is either torch's exactly or not known, never another number."""
from __future__ import annotations

import ast
import math
import random
from typing import Any

import pytest

from paramlint.extract.interp import Interpreter
from paramlint.extract.objects import ListV
from paramlint.limits import Limits

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.oracle

# each line binds one result; the inputs (a, b, c, n, k) are filled in per sample
PROGRAM = """
import math
import torch
cont = torch.arange(n) * a + k
steps = torch.round(torch.log(cont / k) / math.log(b))
widths = (torch.round(torch.divide(k * torch.pow(b, steps), 8)) * 8).int().tolist()
floors = torch.floor(torch.arange(1, n + 1) / c).long().tolist()
ceils = torch.ceil(torch.sqrt(torch.arange(n) * a)).int().tolist()
halves = torch.round(torch.arange(-n, n) / 2).int().tolist()
powers = (torch.tensor([b] * n) ** torch.arange(n)).int().tolist()
exps = torch.round(torch.exp(torch.arange(n) / c) * 4).int().tolist()
diffs = torch.diff(torch.tensor(widths)).tolist()
uniq = torch.unique(torch.tensor(widths)).tolist()
runs = torch.unique_consecutive(torch.tensor(widths)).tolist()
items = [int(v) for v in torch.arange(n) * 3 - 1]
neg = (-(torch.arange(n) * a)).int().tolist()
"""
NAMES = ("widths", "floors", "ceils", "halves", "powers", "exps", "diffs", "uniq", "runs", "items", "neg")


def _inputs(rng: random.Random) -> dict[str, Any]:
    return {"a": round(rng.uniform(0.5, 60), rng.choice((1, 2, 3))), "b": rng.choice((2.0, 2.25, 2.5, round(rng.uniform(1.5, 3), 2))),
            "c": rng.choice((2, 3, 4, 0.5, round(rng.uniform(0.5, 5), 3))), "n": rng.randint(1, 24), "k": rng.choice((8, 16, 24, 48, 80, 96))}


def _paramlint(source: str) -> dict[str, Any]:
    interp = Interpreter(ast.parse(source), source, Limits(), None, (), None)
    interp.run_module()
    out = {}
    for name in NAMES:
        value = interp.globals.vars.get(name)
        out[name] = list(value.items) if isinstance(value, ListV) and not value.taint and all(type(v) is int for v in value.items) else None
    return out


def test_never_another_number() -> None:
    rng = random.Random(20261201)
    known = total = 0
    for _ in range(150):
        inputs = _inputs(rng)
        source = "\n".join(f"{k} = {v!r}" for k, v in inputs.items()) + PROGRAM
        namespace: dict[str, Any] = {"math": math}
        exec(compile(source, "program.py", "exec"), namespace)  # noqa: S102 - our own program
        ours = _paramlint(source)
        for name in NAMES:
            total += 1
            if ours[name] is not None:
                known += 1
                assert ours[name] == namespace[name], (name, inputs, ours[name], namespace[name])
    assert known > 0.9 * total, f"only {known} of {total} values known"
