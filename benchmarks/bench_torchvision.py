"""paramlint reading torchvision's source vs torch building the model; prints the figures, asserts nothing.

Whole process, median of N rounds, each a fresh process (nothing cached in memory between rounds):
  A. ``paramlint --format json`` on a file that builds ``torchvision.models.resnet50()`` (its source read from the
     installed package, never imported);
  B. ``python -c`` that imports torch and torchvision and builds resnet50 on the meta device, counting parameters.
Also: the part of A spent parsing torchvision's files (the candidate for a persistent cache), in process.

Run: python benchmarks/bench_torchvision.py [--rounds N]   (torchvision must be installed in this environment)
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
USER_FILE = "import torchvision\n\nmodel = torchvision.models.resnet50()\n"
TORCH_BUILD = f"""
import sys
sys.path.insert(0, {str(ROOT / 'tests' / 'libraries')!r})
from torch_oracle import counts, import_torchvision
tv = import_torchvision()
print(counts(lambda: tv.models.resnet50()))
"""
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
    rounds = parser.parse_args().rounds
    with tempfile.TemporaryDirectory() as tmp:
        user = Path(tmp) / "train.py"
        user.write_text(USER_FILE)
        ours, theirs = [], []
        for _ in range(rounds):
            seconds, out = _run([sys.executable, "-m", "paramlint.cli", "--format", "json", str(user)])
            ours.append(seconds)
            seconds, torch_out = _run([sys.executable, "-c", TORCH_BUILD])
            theirs.append(seconds)
        report = json.loads(out)
        model = report["models"][0]
        print(f"paramlint: {model.get('total')} parameters (complete: {model.get('complete')}); torch: {torch_out.strip()}")
        a, b = statistics.median(ours), statistics.median(theirs)
        print(f"A. paramlint on the resnet50 file      {a:6.2f} s  (median of {rounds})")
        print(f"B. import torch, torchvision + build   {b:6.2f} s  (median of {rounds})")
        print(f"   ratio B/A: {b / a:.2f}x  (target >= 5x)")

        sys.path.insert(0, str(ROOT / "src"))
        from paramlint.lint.analyze import analyze

        profile = cProfile.Profile()
        start = time.perf_counter()
        profile.enable()
        analyze(USER_FILE, path=str(user))
        profile.disable()
        total = time.perf_counter() - start
        stats = pstats.Stats(profile)
        parse = sum(v[3] for k, v in stats.stats.items() if k[2] in ("<built-in method builtins.compile>",))  # type: ignore[attr-defined]
        print(f"   in process: {total:.2f} s, of which parsing torchvision's files {parse:.2f} s ({100 * parse / total:.0f}%)")


if __name__ == "__main__":
    main()
