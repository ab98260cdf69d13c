"""paramlint reading a library's source vs the framework building the model; prints the figures, asserts nothing.

Whole process, median of N rounds, each a fresh process (nothing cached in memory between rounds):
  A. ``paramlint --format json`` on a file that builds the library's model (its source read from the installed
     package, never imported): ``torchvision.models.resnet50()``, or ``keras.applications.ResNet50(weights=None)``;
  B. ``python -c`` that imports the framework and the library and builds the same model (torch: on the meta
     device), counting parameters.
Also: the part of A spent parsing the library's files (the candidate for a persistent cache), in process.

Run: python benchmarks/bench_libraries.py [--library torchvision|keras] [--rounds N]   (the library installed here)
"""
from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIBRARIES = {  # library -> (the user file, the framework building its model)
    "torchvision": ("import torchvision\n\nmodel = torchvision.models.resnet50()\n", f"""
import sys
sys.path.insert(0, {str(ROOT / 'tests' / 'libraries')!r})
from torch_oracle import counts, import_torchvision
tv = import_torchvision()
print(counts(lambda: tv.models.resnet50()))
"""),
    "keras": ("import keras\n\nmodel = keras.applications.ResNet50(weights=None)\n", """
import os
os.environ.setdefault("KERAS_BACKEND", "torch")
import keras
model = keras.applications.ResNet50(weights=None)
print(model.count_params())
"""),
}
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}


def _run(cmd: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env=ENV, check=False)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"{cmd[:3]} failed ({done.returncode}): {done.stderr[-2000:]}")
    return seconds, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--library", choices=sorted(LIBRARIES), default="torchvision")
    options = parser.parse_args()
    rounds, (user_file, build) = options.rounds, LIBRARIES[options.library]
    with tempfile.TemporaryDirectory() as tmp:
        user = Path(tmp) / "train.py"
        user.write_text(user_file)
        ours, theirs = [], []
        for _ in range(rounds):
            seconds, out = _run([sys.executable, "-m", "paramlint.cli", "--format", "json", str(user)])
            ours.append(seconds)
            seconds, torch_out = _run([sys.executable, "-c", build])
            theirs.append(seconds)
        report = json.loads(out)
        model = report["models"][0]
        print(f"paramlint: {model.get('total')} parameters (complete: {model.get('complete')}); {options.library}: {torch_out.strip()}")
        a, b = statistics.median(ours), statistics.median(theirs)
        print(f"A. paramlint on the {options.library} resnet50 file  {a:6.2f} s  (median of {rounds})")
        print(f"B. import the framework and {options.library} + build  {b:6.2f} s  (median of {rounds})")
        print(f"   ratio B/A: {b / a:.2f}x  (target >= 5x)")

        sys.path.insert(0, str(ROOT / "src"))
        from paramlint.lint.analyze import analyze

        profile = cProfile.Profile()
        start = time.perf_counter()
        profile.enable()
        analyze(user_file, path=str(user))
        profile.disable()
        total = time.perf_counter() - start
        stats = pstats.Stats(profile)
        parse = sum(v[3] for k, v in stats.stats.items() if k[2] in ("<built-in method builtins.compile>",))  # type: ignore[attr-defined]
        print(f"   in process: {total:.2f} s, of which parsing the library's files {parse:.2f} s ({100 * parse / total:.0f}%)")


if __name__ == "__main__":
    main()
