"""The robustness figures: programs fuzzed, hostile cases, installed files checked, crashes, hangs,
worst time and peak memory per file. Every measurement runs in a child process.

    python benchmarks/robustness_figures.py [--programs 300] [--mutants 3000] [--all]

Peak memory per file is tracemalloc's peak for that one analysis (Python allocations), and the
child's maximum resident set size (``getrusage``) for the hostile cases, each run alone.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.robustness import harness  # noqa: E402
from tests.robustness.test_fuzz import MODEL_FILES, TAIL, mutate  # noqa: E402
from tests.robustness.test_hostile import CASES, materialize  # noqa: E402
from tests.robustness.test_selfcheck import PROBE, installed_files  # noqa: E402

# In a child: analyse every source of a JSON list; report crashes (PRM000), worst time, peak memory.
BATCH = r"""
import json, sys, time, tracemalloc
from paramlint.lint.analyze import analyze
sources = json.load(open(sys.argv[1]))
worst = peak = 0.0; internal = 0
for source in sources:
    tracemalloc.start(); start = time.monotonic()
    report = analyze(source)
    worst = max(worst, time.monotonic() - start); peak = max(peak, tracemalloc.get_traced_memory()[1]); tracemalloc.stop()
    internal += any(n.code == "PRM000" for n in report.notes)
print(json.dumps({"count": len(sources), "worst": worst, "peak": peak, "internal": internal}))
"""


def batch(sources: list[str], tmp: Path) -> dict:  # type: ignore[type-arg]
    listing = tmp / f"batch{time.monotonic_ns()}.json"
    listing.write_text(json.dumps(sources))
    result = harness.run([sys.executable, "-c", BATCH, str(listing)], timeout=3600)
    if result.hung or result.returncode != 0:
        return {"count": len(sources), "worst": result.seconds, "peak": 0, "internal": 0, "crash": not result.hung, "hang": result.hung}
    return {**json.loads(result.stdout.strip().splitlines()[-1]), "crash": False, "hang": False}


def programs(count: int) -> list[str]:
    import hypothesmith
    from hypothesis.errors import NonInteractiveExampleWarning

    strategy = hypothesmith.from_grammar()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NonInteractiveExampleWarning)
        return [strategy.example() + TAIL for _ in range(count)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programs", type=int, default=300, help="hypothesmith programs")
    parser.add_argument("--mutants", type=int, default=3000, help="mutated fixture files")
    parser.add_argument("--all", action="store_true", help="every installed .py file (default: a 1,000-file sample)")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        generated = batch(programs(args.programs), tmp)
        rng = random.Random(1)
        originals = [p.read_text(encoding="utf-8") for p in MODEL_FILES]
        mutated = batch([mutate(rng.choice(originals), rng) for _ in range(args.mutants)], tmp)
        for label, fig in (("hypothesmith programs", generated), ("mutated model files", mutated)):
            rows.append((label, fig["count"], int(fig["crash"]) + fig["internal"], int(fig["hang"]), fig["worst"], fig["peak"] / 2**20))

        crashes = hangs = 0
        worst = rss = 0.0
        for case in CASES:
            work = tmp / case.name
            work.mkdir()
            result = harness.cli(materialize(case, work))
            crashes += result.crashed or "PRM000" in result.codes()
            hangs += result.hung
            worst, rss = max(worst, result.seconds), max(rss, result.peak_rss_kib / 1024)
        rows.append(("hostile cases (CLI, own process)", len(CASES), crashes, hangs, worst, rss))

        files = installed_files()
        chosen = files if args.all else sorted(random.Random(5).sample(files, min(1000, len(files))))
        listing = tmp / "files.txt"
        listing.write_text("\n".join(map(str, chosen)))
        result = harness.run([sys.executable, "-c", PROBE, str(listing)], timeout=7200)
        failed = {"worst": (result.seconds, "?"), "peak": (0, "?"), "internal": ["crash"]}
        figures = json.loads(result.stdout.strip().splitlines()[-1]) if result.returncode == 0 else failed
        rows.append(("stdlib + site-packages files", len(chosen), len(figures["internal"]) + (result.returncode != 0), int(result.hung),
                     figures["worst"][0], figures["peak"][0] / 2**20))

    print(f"{'input':<34} {'count':>7} {'crashes':>8} {'hangs':>6} {'worst s/file':>13} {'peak MiB/file':>14}")
    for label, count, crash, hang, seconds, mib in rows:
        print(f"{label:<34} {count:>7,} {crash:>8} {hang:>6} {seconds:>13.2f} {mib:>14.1f}")
    print("peak memory: tracemalloc peak per analysis; for hostile cases, the child's max RSS (whole interpreter).")
    print(f"slowest installed file: {figures['worst'][1]}")


if __name__ == "__main__":
    main()
