"""The hostile corpus: one file per threat, its expected outcome in its own header, one runner.

Each file runs through the CLI in a bounded child process (``harness.run``): it must end in a
clear diagnostic or a correct count, never a crash, never a hang, within the time and memory a
file is allowed, and every model in the report must be exact or explicitly incomplete.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from . import harness

HOSTILE = Path(__file__).parent / "hostile"
CASES = sorted(HOSTILE.glob("*.py.txt"))
# what the "side_effects" case would leave behind if anything of it ran
SIDE_EFFECTS = ("pwned.txt", "pwned_shell.txt", "pwned_sub.txt", "pwned_dir", "pwned_exec.txt")


def materialize(case: Path, into: Path) -> Path:
    """The case as the file paramlint reads: built from its template when it says how."""
    data = case.read_bytes()
    for recipe in harness.header(data).get("build", []):
        data = harness.build(data, recipe)
    target = into / "case.py"
    target.write_bytes(data)
    return target


@pytest.mark.parametrize("case", CASES, ids=[c.name.removesuffix(".py.txt") for c in CASES])
def test_hostile_case(case: Path, tmp_path: Path) -> None:
    head = harness.header(case.read_bytes())
    assert head.get("expect") and head.get("why"), f"{case.name} must state '# why:' and '# expect:'"
    path = materialize(case, tmp_path)
    result = harness.cli(path)
    context = f"{case.name} ({head['why'][0]}): rc={result.returncode} {result.seconds:.2f}s {result.peak_rss_kib // 1024} MiB\n{result.stderr[-2000:]}"
    assert not result.hung, f"hang: {context}"
    assert not result.crashed, f"crash: {context}"
    assert result.data is not None, f"no JSON report: {context}\n{result.stdout[:500]}"
    assert result.seconds < harness.SECONDS_PER_FILE, f"too slow: {context}"
    assert result.peak_rss_kib < harness.PEAK_RSS_KIB, f"too much memory: {context}"
    assert harness.model_problems(result.data) == [], context
    assert "PRM000" not in result.codes(), f"internal error: {context}\n{result.stdout[:2000]}"
    assert harness.check_expectations(head["expect"], result) == [], f"{context}\n{result.stdout[:3000]}"
    assert not [name for name in SIDE_EFFECTS if (tmp_path / name).exists()], "the analysed code ran"
