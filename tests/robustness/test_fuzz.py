"""Fuzzing: generated valid programs and mutated model files never crash, hang or mislead.

CI runs a short budget; ``PARAMLINT_FUZZ_LONG=1`` runs a long one. In-process through
``analyze()`` (fast, and an exception is a failure with its traceback); a sample of the
mutants also goes through the CLI in a bounded child process (``harness``).
"""
from __future__ import annotations

import ast
import os
import random
import re
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from paramlint.lint.analyze import analyze
from paramlint.output.json_format import to_data

from . import harness

hypothesmith = pytest.importorskip("hypothesmith", reason="hypothesmith (and its libcst) come with the [test] extra")

LONG = os.environ.get("PARAMLINT_FUZZ_LONG") == "1"
pytestmark = pytest.mark.filterwarnings("ignore::SyntaxWarning", "ignore::DeprecationWarning")
EXAMPLES = 3000 if LONG else 150
MUTANTS = 50000 if LONG else 3000
SECONDS_PER_FILE = 8.0  # the interpreter's own time limit is 5 s
ROOT = Path(__file__).resolve().parents[2]
MODEL_FILES = sorted((ROOT / "fixtures").rglob("*.py"))
TAIL = "\nimport torch.nn as nn\nprobe_model = nn.Sequential(nn.Linear(4, 2))\n"


def checked(source: str) -> dict:  # type: ignore[type-arg]
    """Analyse; fail on an internal error, a slow file or a broken report."""
    start = time.monotonic()
    report = analyze(source)
    elapsed = time.monotonic() - start
    data = to_data([report])
    assert elapsed < SECONDS_PER_FILE, f"{elapsed:.1f} s for:\n{source[:2000]}"
    assert not [n for n in data["notes"] if n["code"] == "PRM000"], f"{data['notes']}\n{source[:2000]}"
    assert harness.model_problems(data) == [], source[:2000]
    return data


def _raises(program: str) -> bool:
    try:
        return any(isinstance(node, ast.Raise) for node in ast.walk(ast.parse(program)))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return True  # not parsed here: not ours to judge


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(hypothesmith.from_grammar() | hypothesmith.from_node())
def test_generated_programs(program: str) -> None:
    # hypothesmith programs rarely say "Sequential": append a model so the extractor always runs
    data = checked(program + TAIL)
    touched = re.search(r"\b(nn|torch|probe_model|Sequential|Linear)\b", program)
    if not touched and "Sequential" not in program:
        probes = [m for m in data["models"] if m["name"] == "probe_model"]
        limited = any(n["code"] == "PRM304" for n in data["notes"]) or data["errors"]
        if probes and probes[0]["complete"]:
            assert probes[0]["total"] == 10
        elif not limited and not _raises(program):  # a raise may end the module before the appended model, as in Python
            assert probes, f"the appended model vanished:\n{program}"


# -- mutations of real model files -------------------------------------------------------

NUMBERS = ["0", "-1", "-64", "10**100", "2**2**2**2**2", "1e308", "float('nan')", "True", "None", "'64'", "[64]", "3.5",
           "(1, 2)", "range(10**12)", "9" * 400, "0x7fffffffffffffff", "len(range(2**100))"]
JUNK = ["(", ")", "[", "]", ",", ":", "*", "**", "lambda", "\\", "'", '"""', "\t", "\x0c", "\x00", "\r", "if", "yield",
        "Sequential(", "nn.Sequential(", "keras.Sequential([", "model.add(", "for _ in range(10**9):\n ", "\ufeff"]


def mutate(source: str, rng: random.Random) -> str:
    """One to four random edits: deleted tokens, swapped arguments, odd numbers, junk, duplicated lines."""
    for _ in range(rng.randint(1, 4)):
        kind = rng.randrange(6)
        tokens = re.split(r"(\W)", source)
        if kind == 0 and tokens:  # delete a token
            i = rng.randrange(len(tokens))
            tokens[i] = ""
            source = "".join(tokens)
        elif kind == 1:  # replace a number by something hostile
            spots = list(re.finditer(r"\b\d+\b", source))
            if spots:
                m = rng.choice(spots)
                source = source[:m.start()] + rng.choice(NUMBERS) + source[m.end():]
        elif kind == 2:  # swap two call arguments
            calls = list(re.finditer(r"\(([^()]*,[^()]*)\)", source))
            if calls:
                m = rng.choice(calls)
                args = m.group(1).split(",")
                rng.shuffle(args)
                source = source[:m.start(1)] + ",".join(args) + source[m.end(1):]
        elif kind == 3:  # insert junk
            i = rng.randrange(len(source) + 1)
            source = source[:i] + rng.choice(JUNK) + source[i:]
        elif kind == 4:  # duplicate or drop a line
            lines = source.splitlines(keepends=True)
            if lines:
                i = rng.randrange(len(lines))
                lines.insert(i, lines[i]) if rng.random() < 0.5 else lines.pop(i)
                source = "".join(lines)
        else:  # a wrong type for a keyword
            source = re.sub(r"(\w+)=([\w.]+)", lambda m: f"{m.group(1)}={rng.choice(NUMBERS)}" if rng.random() < 0.3 else m.group(0), source)
    return source


@pytest.mark.skipif(not MODEL_FILES, reason="no model fixtures")
def test_mutated_model_files() -> None:
    rng = random.Random(int(os.environ.get("PARAMLINT_FUZZ_SEED", "20261122")))
    originals = [p.read_text(encoding="utf-8") for p in MODEL_FILES]
    for i in range(MUTANTS):
        source = mutate(rng.choice(originals), rng)
        try:
            checked(source)
        except AssertionError as exc:
            raise AssertionError(f"mutant {i} (seed {rng}):\n{source}") from exc


@pytest.mark.skipif(not MODEL_FILES, reason="no model fixtures")
def test_mutated_model_files_through_the_cli(tmp_path: Path) -> None:
    """The same mutants as bytes on disk, through the CLI's reading and rendering, in one bounded child."""
    rng = random.Random(7)
    originals = [p.read_bytes() for p in MODEL_FILES]
    count = 2000 if LONG else 200
    for i in range(count):
        data = mutate(rng.choice(originals).decode("utf-8"), rng).encode("utf-8", "surrogatepass")
        if rng.random() < 0.2:
            data = data.replace(b"\n", rng.choice([b"\r\n", b"\r"]))
        (tmp_path / f"mutant_{i:04d}.py").write_bytes(data)
    result = harness.run([harness.sys.executable, "-m", "paramlint", "--format", "json", "."], cwd=tmp_path)
    assert not result.hung and not result.crashed, result.stderr[-3000:]
    assert result.data is not None and harness.model_problems(result.data) == []
    assert "PRM000" not in result.codes()
    assert len({e["path"] for e in result.data["errors"]} | {m["path"] for m in result.data["models"]}) <= count
