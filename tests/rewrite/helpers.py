"""What the rewrite tests share: the command in-process or as a child, and paramlint's comments removed by a regex."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import paramlint
from paramlint.cli import main

# the paramlint this test process imported, for the child processes too (whatever their working folder)
SOURCE_ROOT = str(Path(paramlint.__file__).resolve().parents[1])

# paramlint's part of a line, in a .py file or inside a notebook's JSON string (no quote or backslash in it)
OWN = re.compile(rb"  # \[paramlint\] [^\r\n\"\\]*")


def strip_own(data: bytes) -> bytes:
    return OWN.sub(b"", data)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``paramlint ARGS`` in this process (the same code path as the console script); (exit code, stdout, stderr)."""
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def run_cli(*args: str, cwd: Path, timeout: float = 120, env_path: str = "") -> subprocess.CompletedProcess[str]:
    """``python -m paramlint ARGS`` in a child process, as users run it (``env_path``: put first on sys.path)."""
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [env_path, SOURCE_ROOT, env.get("PYTHONPATH")]))
    env["PYTHONIOENCODING"] = "utf-8"
    return subprocess.run([sys.executable, "-m", "paramlint", *args], check=False, cwd=cwd, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=timeout)
