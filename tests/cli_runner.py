"""Run paramlint the way users do: ``python -m paramlint`` in a subprocess."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Optional


def run_cli(*args: str, cwd: Path, env: Optional[dict[str, str]] = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS")}
    base["PYTHONIOENCODING"] = "utf-8"
    base.update(env or {})
    return subprocess.run([sys.executable, "-m", "paramlint", *args], cwd=cwd, env=base,
                          capture_output=True, text=True, encoding="utf-8", timeout=60)
