"""Self-check: paramlint over the installed standard library and site-packages, zero crashes.

CI checks a fixed random sample (``PARAMLINT_SELFCHECK_SAMPLE``, 400 files by default; every
file that mentions ``Sequential`` is always in it); ``PARAMLINT_SELFCHECK_ALL=1`` checks every
file. The CLI runs them in one bounded child, flake8 with the plugin in another; the time it
took and the slowest file are printed (``pytest -s``) for the robustness figures.
"""
from __future__ import annotations

import os
import random
import sys
import sysconfig
import time
from pathlib import Path

import pytest

from paramlint import walk
from paramlint.lint import analyze as analyze_module

from . import harness

ALL = os.environ.get("PARAMLINT_SELFCHECK_ALL") == "1"
SAMPLE = int(os.environ.get("PARAMLINT_SELFCHECK_SAMPLE", "400"))


def installed_files() -> list[Path]:
    """Every .py file of the standard library and of site-packages, each once."""
    roots = {Path(sysconfig.get_paths()[key]) for key in ("stdlib", "purelib", "platlib")}
    files: set[Path] = set()
    for root in roots:
        if root.is_dir():
            files.update(p for p in root.rglob("*.py") if p.is_file())
    return sorted(files)


def selection() -> list[Path]:
    files = installed_files()
    if ALL:
        return files
    models = [p for p in files if b"Sequential" in p.read_bytes()]
    rest = [p for p in files if p not in set(models)]
    rng = random.Random(5)
    return sorted(models + rng.sample(rest, max(0, min(len(rest), SAMPLE - len(models)))))


FILES = selection()


def write_list(tmp_path: Path) -> Path:
    listing = tmp_path / "files.txt"
    listing.write_text("\n".join(map(str, FILES)))
    return listing


# In a child: analyse each listed file, print one JSON line of figures. Slowest file and peak
# memory (tracemalloc) per file come from here; a crash kills only the child.
PROBE = r"""
import json, sys, time, tracemalloc
from pathlib import Path
from paramlint.walk import analyze_file
from paramlint.lint.settings import Settings
paths = Path(sys.argv[1]).read_text().split("\n")
worst = (0.0, ""); peak = (0, ""); internal = []; models = errors = 0
settings = Settings()
for name in paths:
    tracemalloc.start()
    start = time.monotonic()
    report, _ = analyze_file(Path(name), settings)
    took = time.monotonic() - start
    used = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    worst = max(worst, (took, name)); peak = max(peak, (used, name))
    internal += [f"{name}: {n.message}" for n in report.notes if n.code == "PRM000"]
    models += len(report.models); errors += report.error is not None
print(json.dumps({"files": len(paths), "worst": worst, "peak": peak, "internal": internal, "models": models, "errors": errors}))
"""


def test_cli_over_installed_python(tmp_path: Path) -> None:
    import json

    start = time.monotonic()
    result = harness.run([sys.executable, "-c", PROBE, str(write_list(tmp_path))], timeout=3600 if ALL else 600)
    assert not result.hung and result.returncode == 0, result.stderr[-3000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    print(f"\nself-check: {figures['files']} files in {time.monotonic() - start:.1f} s, {figures['models']} models, "
          f"{figures['errors']} unparsable; slowest {figures['worst'][0]:.2f} s ({figures['worst'][1]}); "
          f"peak traced memory {figures['peak'][0] / 2**20:.1f} MiB ({figures['peak'][1]}); child max RSS {result.peak_rss_kib // 1024} MiB")
    assert figures["internal"] == [], figures["internal"][:20]
    # the slowest file is printed above, not asserted: elapsed time depends on the machine (the step budget
    # bounds each analysis deterministically; benchmarks/ measures speed)


def test_the_cli_itself_over_the_sample(tmp_path: Path) -> None:
    """The real command line (reading, walking, rendering), not just analyze(), on the same files."""
    links = tmp_path / "tree"
    for i, path in enumerate(FILES[:300]):
        (links / f"{i // 100}").mkdir(parents=True, exist_ok=True)
        (links / f"{i // 100}" / f"{i}_{path.name}").symlink_to(path)
    result = harness.run([sys.executable, "-m", "paramlint", "--format", "json", "-j", "2", "."], cwd=links, timeout=600)
    assert not result.hung and not result.crashed, result.stderr[-3000:]
    assert result.data is not None and harness.model_problems(result.data) == []
    assert "PRM000" not in result.codes()


@pytest.mark.skipif(not harness.flake8_available(), reason="flake8 or paramlint.flake8_plugin not installed")
def test_flake8_with_the_plugin_over_installed_python(tmp_path: Path) -> None:
    chosen = FILES if ALL else FILES[: min(len(FILES), 300)]
    start = time.monotonic()
    lines: list[str] = []
    rss = 0
    for at in range(0, len(chosen), 1000):  # the command line has a length limit
        result = harness.run([sys.executable, "-m", "flake8", "--isolated", "--select=PRM", "--extend-select=PRM9",
                              "--param-budget=1", "-j", "2", *map(str, chosen[at:at + 1000])], timeout=3600 if ALL else 600)
        assert not result.hung and result.returncode in (0, 1), result.stderr[-3000:]
        assert "Traceback" not in result.stderr, result.stderr[-3000:]
        lines += result.stdout.splitlines()
        rss = max(rss, result.peak_rss_kib)
    took = time.monotonic() - start
    print(f"\nflake8 self-check: {len(chosen)} files in {took:.1f} s, {len(lines)} PRM lines, child max RSS {rss // 1024} MiB")
    internal = [line for line in lines if " PRM000 " in line and "syntax error" not in line]
    assert internal == [], internal[:20]


def test_no_file_is_analysed_in_this_process_by_mistake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Choosing and listing the files happens here; analysing them only in the bounded children."""
    calls: list[str] = []
    monkeypatch.setattr(analyze_module, "find_models", lambda *a, **k: calls.append("find_models"))
    monkeypatch.setattr(walk, "analyze_file", lambda *a, **k: calls.append("analyze_file"))
    chosen = selection()
    write_list(tmp_path)
    assert chosen == FILES and len(FILES) >= min(SAMPLE, 100) and calls == []
