"""Golden before/after files for both commands, run as users run them: ``python -m paramlint`` over a folder.

``golden/before/`` holds the inputs; ``golden/after/<command>/`` what ``--write`` makes of them.
Regenerate with ``PARAMLINT_REGEN_GOLDEN=1`` and read the diff before committing it.
"""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from .helpers import run_cli, snapshot, strip_own

GOLDEN = Path(__file__).parent / "golden"
BEFORE = GOLDEN / "before"
# a directive on a line of its own, in a .py file or a notebook's JSON
INSERTED = re.compile(rb'^[ \t]*"?# paramlint: budget=[\w.]+(\\n",)?\s*$')


@pytest.mark.parametrize("command", ["annotate", "baseline"])
def test_write_gives_the_golden_files_and_a_second_run_changes_nothing(command: str, tmp_path: Path) -> None:
    work = tmp_path / "project"
    shutil.copytree(BEFORE, work)
    result = run_cli(command, "--write", ".", cwd=work)
    assert result.returncode == 0, result.stderr
    after = GOLDEN / "after" / command
    if os.environ.get("PARAMLINT_REGEN_GOLDEN"):
        shutil.rmtree(after, ignore_errors=True)
        shutil.copytree(work, after)
    assert snapshot(work) == snapshot(after)
    check = run_cli(command, "--check", ".", cwd=work)
    assert check.returncode == 0, check.stdout + check.stderr
    assert snapshot(work) == snapshot(after)


def test_golden_annotations_come_off_to_the_original_bytes() -> None:
    after = snapshot(GOLDEN / "after" / "annotate")
    before = snapshot(BEFORE)  # faithful_crlf.py comes with annotations of its own, one stale, one misplaced
    assert {name: strip_own(data) for name, data in after.items()} == {name: strip_own(d) for name, d in before.items()}


def test_golden_baseline_only_adds_directives() -> None:
    """Each change is a directive line of its own, or a budget put into a directive already there."""
    before, after = snapshot(BEFORE), snapshot(GOLDEN / "after" / "baseline")
    for name, data in after.items():
        data = data.replace(b"budget=120k, ", b"")  # the one directive that gained a budget
        kept = [line for line in data.splitlines(keepends=True) if not INSERTED.match(line)]
        assert b"".join(kept) == before[name], name
