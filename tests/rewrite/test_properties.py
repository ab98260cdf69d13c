"""Properties over every fixture and the hostile corpus: annotate then strip paramlint's comments gives back the
original bytes; running either command twice equals running it once; a file it refuses is left byte for byte."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ..robustness.test_hostile import CASES, materialize
from .helpers import run, snapshot, strip_own

ROOT = Path(__file__).resolve().parents[2]
# Slow by design (the analysis runs into its time limit, ten thousand lines go through libcst, a file past the
# size limit is read again on every pass): left out to keep this suite fast. benchmarks/rewrite_cost.py measures
# the 10,000-line case.
SLOW = {"steps_exhausted", "keras_add_10k_lines", "size_50mb", "million_layers_literal"}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every fixture and hostile case in one folder, as the .py files paramlint reads."""
    folder = tmp_path_factory.mktemp("corpus")
    for path in sorted((ROOT / "fixtures").rglob("*.py")):
        shutil.copyfile(path, folder / path.relative_to(ROOT / "fixtures").as_posix().replace("/", "__"))
    scratch = tmp_path_factory.mktemp("scratch")
    for case in CASES:
        name = case.name.removesuffix(".py.txt")
        if name not in SLOW:
            shutil.copyfile(materialize(case, scratch), folder / f"hostile__{name}.py")
    return folder


def fresh(corpus: Path, tmp_path: Path) -> Path:
    work = tmp_path / "work"
    shutil.copytree(corpus, work)
    return work


def test_annotate_comes_off_to_the_original_bytes_and_is_idempotent(
        corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    work = fresh(corpus, tmp_path)
    original = snapshot(work)
    run(capsys, "annotate", "--write", str(work))
    once = snapshot(work)
    assert sum(once[name] != original[name] for name in once) >= 40  # it did annotate most model files
    assert {name: strip_own(data) for name, data in once.items()} == original
    run(capsys, "annotate", "--write", str(work))
    assert snapshot(work) == once
    _, out, _ = run(capsys, "annotate", "--check", str(work))
    assert out == ""
    run(capsys, "annotate", "--write", "--explain", str(work))
    assert {name: strip_own(data) for name, data in snapshot(work).items()} == original


def test_baseline_twice_is_once_and_only_adds_directives(
        corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    work = fresh(corpus, tmp_path)
    original = snapshot(work)
    run(capsys, "baseline", "--write", str(work))
    once = snapshot(work)
    assert sum(once[name] != original[name] for name in once) >= 40
    for name, data in once.items():
        assert len(data) >= len(original[name]) and data.count(b"paramlint: ") >= original[name].count(b"paramlint: ")
    run(capsys, "baseline", "--write", str(work))
    assert snapshot(work) == once
    _, out, _ = run(capsys, "baseline", "--check", str(work))
    assert out == ""
    run(capsys, "baseline", "--write", "--update", str(work))
    assert snapshot(work) == once  # the budgets it wrote are already the current count plus margin


ENDINGS = st.sampled_from(["\n", "\r\n", "\r"])
TRAILING = st.sampled_from(["", " ", "\t", "  \t", "\x0c"])
COMMENT = st.sampled_from(["", "  # note", "\t# [x] 5 params", "  # paramlint is great", "  #"])
LAYERS = [
    "nn.Linear(4, 8),", "nn.ReLU(),", "nn.Linear(8,\n{i}  8),",
    "nn.Dropout(0.1),", "nn.Linear(8, 2, bias=False),",
]


# capsys is read after each run, so one fixture for all examples is right
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_formatting_survives_both_commands(tmp_path_factory: pytest.TempPathFactory, data: st.DataObject,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    indent = data.draw(st.sampled_from(["    ", "\t", "  "]))
    body = [data.draw(st.sampled_from(LAYERS)).format(i=indent) for _ in range(data.draw(st.integers(1, 5)))]
    lines = ["import torch.nn as nn", "", "model = nn.Sequential(", *[indent + b for b in body], ")"]
    text = ""
    for line in "\n".join(lines).split("\n"):
        text += line + data.draw(TRAILING) + data.draw(COMMENT) + data.draw(ENDINGS)
    raw = (b"\xef\xbb\xbf" if data.draw(st.booleans()) else b"") + text.encode()
    folder = tmp_path_factory.mktemp("formatting")
    path = folder / "model.py"
    path.write_bytes(raw)
    run(capsys, "annotate", "--write", str(path))
    annotated = path.read_bytes()
    assert strip_own(annotated) == raw
    assert annotated.count(b"# [paramlint] ") >= 2, annotated
    run(capsys, "annotate", "--write", str(path))
    assert path.read_bytes() == annotated
    code, _, err = run(capsys, "baseline", "--write", str(path))
    budgeted = path.read_bytes()
    if b"\x0c" in raw and code:  # see test_form_feeds_shift_directive_lines_so_baseline_refuses
        assert "left untouched" in err and budgeted == annotated
    else:
        assert budgeted.count(b"# paramlint: budget=") == 1, err
    run(capsys, "baseline", "--write", str(path))
    assert path.read_bytes() == budgeted


def test_form_feeds_do_not_shift_directive_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A form feed ends no line for Python, nor for the analysis (lines are numbered as ``ast`` numbers them):
    the budget baseline writes above the model is read back on the model."""
    path = tmp_path / "ff.py"
    path.write_bytes(b"import torch.nn as nn\x0c\n\x0c\nmodel = nn.Sequential(nn.Linear(2, 2))\n")
    code, _, err = run(capsys, "baseline", "--write", str(path))
    assert code == 0, err
    assert b"# paramlint: budget=" in path.read_bytes()
    code, _, err = run(capsys, "baseline", "--check", str(path))
    assert code == 0, err
