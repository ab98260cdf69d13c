"""Runs the real flake8 in a subprocess, from a scratch folder, so no config of this checkout leaks in."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Callable, Optional, Sequence

import pytest

# tab-separated so that messages (which may hold ':') split cleanly
FORMAT = "%(path)s\t%(row)d\t%(col)d\t%(code)s\t%(text)s"

Flake8 = Callable[..., "subprocess.CompletedProcess[str]"]


@pytest.fixture
def flake8(tmp_path: Path) -> Flake8:
    def run(*args: str, cwd: Optional[Path] = None, stdin: Optional[str] = None,
            default_format: bool = False) -> subprocess.CompletedProcess[str]:
        formatting = [] if default_format else [f"--format={FORMAT}"]
        command: Sequence[str] = [sys.executable, "-m", "flake8", *formatting, *args]
        return subprocess.run(
            command, check=False, cwd=cwd or tmp_path, input=stdin, capture_output=True, text=True, timeout=120,
        )

    return run


def prm(result: subprocess.CompletedProcess[str], prefix: str = "PRM") -> list[tuple[str, int, int, str, str]]:
    """(path, line, column, code, text) of each diagnostic whose code starts with ``prefix``."""
    rows = []
    for line in result.stdout.splitlines():
        path, row, col, code, text = line.split("\t", 4)
        if code.startswith(prefix):
            rows.append((path, int(row), int(col), code, text))
    return rows
