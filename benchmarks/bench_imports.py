"""Imports followed into the project's modules: what flake8 pays for them. Prints figures, asserts nothing.

A project of 50 model files that all import one shared module (``pkg/shared.py``, 40 block classes), against the
same 50 files building the same kind of model without the import (the baseline, measured in the same run):

1. In one process (flake8 -j 1, run in this process): how many times the shared module was read and parsed
   (target: once per process), and the time against the baseline.
2. Whole process, flake8 -j 1 and -j 2: time against the baseline.

Run: python benchmarks/bench_imports.py [--rounds N]
"""
from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FILES = 50

SHARED_BLOCK = '''
class Block{i}(nn.Module):
    def __init__(self, width={w}):
        super().__init__()
        self.fc = nn.Linear(width, width)
        self.norm = nn.LayerNorm(width)

    def forward(self, x):
        return self.norm(self.fc(x))
'''


def write_project(root: Path, imported: bool) -> list[Path]:
    pkg = root / "pkg"
    pkg.mkdir(parents=True)
    (root / "pyproject.toml").write_text("")
    (pkg / "__init__.py").write_text("")
    (pkg / "shared.py").write_text("import torch.nn as nn\n" + "".join(SHARED_BLOCK.format(i=i, w=8 + i) for i in range(40)))
    files = []
    for n in range(FILES):
        path = pkg / f"model_{n}.py"
        if imported:
            body = f"import torch.nn as nn\nfrom .shared import Block{n % 40}\n\nmodel = nn.Sequential(Block{n % 40}(), nn.Linear({8 + n % 40}, 2))\n"
        else:
            body = f"import torch.nn as nn\n\nmodel = nn.Sequential(nn.Linear({8 + n % 40}, {8 + n % 40}), nn.Linear({8 + n % 40}, 2))\n"
        path.write_text(body)
        files.append(path)
    return files


def flake8_args(files: list[Path], jobs: int) -> list[str]:
    return ["--isolated", "--select=PRM", "--extend-select=PRM9", f"-j{jobs}", *map(str, files)]


def in_process(files: list[Path]) -> tuple[float, dict[str, int]]:
    from flake8.main.cli import main as flake8_main  # type: ignore[import-untyped]

    from paramlint.extract import modules

    modules.READS.clear()
    modules._TREES.clear()
    start = time.perf_counter()
    with contextlib.suppress(SystemExit):
        flake8_main(["--output-file", os.devnull, *flake8_args(files, 1)])
    return time.perf_counter() - start, dict(modules.READS)


def whole_process(files: list[Path], jobs: int) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "flake8", *flake8_args(files, jobs)], capture_output=True, env=env, check=False)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    rounds = parser.parse_args().rounds
    sys.path.insert(0, str(ROOT / "src"))
    with tempfile.TemporaryDirectory() as tmp:
        with_import = write_project(Path(tmp) / "imports", imported=True)
        baseline = write_project(Path(tmp) / "plain", imported=False)
        shared = str((Path(tmp) / "imports" / "pkg" / "shared.py").resolve())
        runs = [in_process(with_import) for _ in range(rounds)]
        base = [in_process(baseline)[0] for _ in range(rounds)]
        reads = runs[-1][1].get(shared, 0)
        t_imp, t_base = statistics.median(r[0] for r in runs), statistics.median(base)
        print(f"flake8 -j1 in one process over {FILES} files importing pkg/shared.py:")
        print(f"  shared module read and parsed {reads} time(s) in the process (target: 1)")
        print(f"  {t_imp:.3f} s vs {t_base:.3f} s without the import: ratio {t_imp / t_base:.2f}x")
        for jobs in (1, 2):
            imp = statistics.median(whole_process(with_import, jobs) for _ in range(rounds))
            plain = statistics.median(whole_process(baseline, jobs) for _ in range(rounds))
            print(f"flake8 -j{jobs}, whole process: {imp:.3f} s vs {plain:.3f} s without the import: ratio {imp / plain:.2f}x")


if __name__ == "__main__":
    main()
