"""Cost per file of ``paramlint baseline`` and ``paramlint annotate``, against the lint command's own analysis.

Usage: python benchmarks/rewrite_cost.py [--files N] [--rounds N]

Corpora, generated or copied into a temporary folder:
(a) model files: N generated files of 1-3 Keras / PyTorch Sequentials of 5-30 layers (the flake8 benchmark's);
(b) no models: the .py files of the installed flake8, pycodestyle, libcst and pip;
(c) one 10,000-layer ``model.add`` file (the hostile corpus' largest countable model).

Each command runs in this process (``paramlint.cli.main``, output discarded), once to warm up and then
``--rounds`` times; the median CPU time divided by the number of files is printed. ``--check`` reads and
plans but writes nothing; ``--write`` also renders, re-analyses the result (the safety net) and writes,
each time on a fresh copy. Timings are printed, never asserted.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from flake8_overhead import NO_MODEL_PACKAGES, copy_no_model_corpus, generate_model_corpus  # noqa: E402

from paramlint.cli import main as paramlint  # noqa: E402


def cpu(args: list[str]) -> float:
    start = time.process_time()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        paramlint(args)
    return time.process_time() - start


def per_file(label: str, corpus: Path, files: int, rounds: int) -> None:
    runs = {
        "lint (paramlint --format json)": lambda folder: ["--format", "json", str(folder)],
        "baseline --check": lambda folder: ["baseline", "--check", str(folder)],
        "annotate --check": lambda folder: ["annotate", "--check", str(folder)],
        "baseline --write": lambda folder: ["baseline", "--write", str(folder)],
        "annotate --write": lambda folder: ["annotate", "--write", str(folder)],
    }
    print(f"{label} ({files} files)")
    for name, args in runs.items():
        times = []
        for _ in range(rounds + 1):
            work = Path(tempfile.mkdtemp(dir=corpus.parent))
            shutil.copytree(corpus, work, dirs_exist_ok=True)
            times.append(cpu(args(work)))
            shutil.rmtree(work)
        median = statistics.median(times[1:])
        print(f"  {name:32} {median * 1000 / files:8.2f} ms per file  ({median:.2f} s in all)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        models = root / "models"
        models.mkdir()
        per_file("(a) model files", models, generate_model_corpus(models, args.files), args.rounds)
        plain = root / "plain"
        plain.mkdir()
        count = copy_no_model_corpus(plain)
        per_file(f"(b) no models: {', '.join(NO_MODEL_PACKAGES)}", plain, count, args.rounds)
        big = root / "big"
        big.mkdir()
        layers = "".join("model.add(keras.layers.Dense(4))\n" for _ in range(9_999))
        (big / "big.py").write_text("import keras\nmodel = keras.Sequential([keras.Input(shape=(4,))])\n" + layers)
        per_file("(c) one 10,000-layer file", big, 1, 1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
