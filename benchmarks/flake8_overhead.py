"""CPU-time overhead of the paramlint flake8 plugin, on code without models and on code full of them.

Usage: python benchmarks/flake8_overhead.py [--rounds N] [--jobs J] [--models N] [--corpus a|b|both] [--keep DIR]

Two corpora, each copied or generated into a temporary folder (so that flake8's default
excludes and any config of this checkout play no part):

(a) no models: the .py files of the installed flake8, pycodestyle, libcst and pip;
(b) model-dense: generated files, each defining 1-3 Keras or PyTorch Sequentials of 5-30 layers.

"Without the plugin" is the same interpreter running the same driver (flake8's own ``main``),
with the one difference that the ``paramlint`` distribution's entry point is filtered out of
flake8's plugin discovery: flake8 then neither imports the plugin, nor registers its options,
nor runs it. Every other plugin (pycodestyle, pyflakes, mccabe) runs in both. "With" always
sets a budget, so that every model is counted and checked. The model-dense corpus is measured
twice: (b) with a budget no model exceeds (10M: the everyday case of a repository whose models
are within budget) and (b') with 100k, which about a quarter of the files exceed. (b') also
pays flake8's own price of a finding: for any file with a result, flake8 tokenizes the file again
to map ``# noqa`` comments, which costs about as much as counting the models. The runs alternate, with then
without, for several rounds, so that drift on a shared machine hits both alike.

Bytecode: the children write and reuse .pyc files (in a cache folder inside the temporary
folder, via PYTHONPYCACHEPREFIX, so the checkout stays clean), even where PYTHONDONTWRITEBYTECODE
is set: an installed paramlint has its .pyc files, and compiling its modules on every run would
be charged to the plugin.

CPU time is user + sys of the child processes (``resource.getrusage(RUSAGE_CHILDREN)`` deltas;
with ``--jobs`` > 1 this includes flake8's worker processes). The ratio printed is the median of
"with" over the median of "without". Targets: (a) <= 1.02x, (b) <= 1.25x. Timings are printed,
never asserted: no test depends on them.
"""
from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

NO_MODEL_PACKAGES = ("flake8", "pycodestyle", "libcst", "pip")

DRIVER = """
import sys
from flake8.main import cli
from flake8.plugins import finder

if sys.argv[1] == "without":
    found = finder.find_plugins

    def find_plugins(*args, **kwargs):
        return [p for p in found(*args, **kwargs) if p.package != "paramlint"]

    finder.find_plugins = find_plugins
sys.exit(cli.main(sys.argv[2:]))
"""


def copy_no_model_corpus(dest: Path) -> int:
    import importlib.util

    count = 0
    for name in NO_MODEL_PACKAGES:
        spec = importlib.util.find_spec(name)
        if spec is None or spec.origin is None:
            print(f"  (skipping {name}: not installed)")
            continue
        origin = Path(spec.origin)
        if origin.name == "__init__.py":
            for path in origin.parent.rglob("*.py"):
                target = dest / name / path.relative_to(origin.parent)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
                count += 1
        else:
            shutil.copyfile(origin, dest / origin.name)
            count += 1
    return count


TORCH_LAYERS = ("nn.Linear({a}, {b})", "nn.ReLU()", "nn.Dropout(0.1)", "nn.LayerNorm({a})", "nn.GELU()")
KERAS_LAYERS = (
    "layers.Dense({b})", "layers.ReLU()", "layers.Dropout(0.1)",
    "layers.BatchNormalization()", "layers.LayerNormalization()",
)


def torch_model(rng: random.Random, name: str) -> str:
    width = rng.choice((16, 64, 128, 512))
    rows = []
    for _ in range(rng.randint(5, 30)):
        template = rng.choice(TORCH_LAYERS)
        out = rng.choice((16, 64, 128, 512)) if "Linear" in template else width
        rows.append("    " + template.format(a=width, b=out) + ",")
        width = out
    return f"{name} = nn.Sequential(\n" + "\n".join(rows) + "\n)\n"


def keras_model(rng: random.Random, name: str) -> str:
    rows = [f"    keras.Input(shape=({rng.choice((16, 32, 64))},)),"]
    for _ in range(rng.randint(5, 30)):
        rows.append("    " + rng.choice(KERAS_LAYERS).format(b=rng.choice((16, 32, 64, 128))) + ",")
    return f"{name} = keras.Sequential([\n" + "\n".join(rows) + "\n])\n"


def generate_model_corpus(dest: Path, files: int, seed: int = 3) -> int:
    rng = random.Random(seed)
    for i in range(files):
        keras_file = i % 2 == 1
        header = "import keras\nfrom keras import layers\n" if keras_file else "import torch.nn as nn\n"
        models = [(keras_model if keras_file else torch_model)(rng, f"model_{j}") for j in range(rng.randint(1, 3))]
        (dest / f"models_{i:03d}.py").write_text(header + "\n\n" + "\n\n".join(models))
    return files


def cpu_seconds(args: list[str], cwd: Path, env: dict[str, str]) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run(
        args, check=False, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode not in (0, 1):
        raise SystemExit(f"flake8 failed ({result.returncode}): {result.stderr[-2000:]}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def measure(label: str, corpus: Path, rounds: int, jobs: int, target: float, budget: str) -> float:
    base = [sys.executable, "-c", DRIVER]
    common = ["--isolated", f"-j{jobs}", "."]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(corpus.parent / "pycache")
    with_plugin, without = [], []
    for warm in ("with", "without"):  # the page cache and the .pyc files
        cpu_seconds([*base, warm, *([f"--param-budget={budget}"] if warm == "with" else []), *common], corpus, env)
    for n in range(rounds):
        with_plugin.append(cpu_seconds([*base, "with", f"--param-budget={budget}", *common], corpus, env))
        without.append(cpu_seconds([*base, "without", *common], corpus, env))
        print(f"  round {n + 1}: with {with_plugin[-1]:.2f}s  without {without[-1]:.2f}s", flush=True)
    ratio = statistics.median(with_plugin) / statistics.median(without)
    verdict = "meets" if ratio <= target else "MISSES"
    print(f"{label}: median CPU with {statistics.median(with_plugin):.2f}s, without {statistics.median(without):.2f}s"
          f" -> overhead {ratio:.3f}x ({verdict} the target <= {target:.2f}x)")
    return ratio


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=1, help="flake8 -j (default 1: steadier on a shared machine)")
    parser.add_argument("--models", type=int, default=200, help="files in the model-dense corpus")
    parser.add_argument("--keep", type=Path, help="build the corpora here and keep them")
    parser.add_argument("--corpus", choices=("a", "b", "both"), default="both")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="paramlint-bench-"))
    try:
        plain, dense = root / "no_models", root / "models"
        plain.mkdir(parents=True, exist_ok=True)
        dense.mkdir(parents=True, exist_ok=True)
        if args.corpus in ("a", "both"):
            print(f"(a) {copy_no_model_corpus(plain)} files without models, from {', '.join(NO_MODEL_PACKAGES)}")
            measure("(a) no models", plain, args.rounds, args.jobs, 1.02, "100k")
        if args.corpus in ("b", "both"):
            print(f"(b) {generate_model_corpus(dense, args.models)} generated files with 1-3 models each")
            measure("(b) model-dense, every model within budget", dense, args.rounds, args.jobs, 1.25, "10M")
            measure("(b') model-dense, a quarter of files over budget", dense, args.rounds, args.jobs, 1.25, "100k")
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
