"""Issue 11: directives are found on the lines ast numbers (U+2028 is not a line break), by the CLI and flake8."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.cli_runner import run_cli

# two U+2028 in an earlier comment: str.splitlines() would shift every later line by two
SOURCE = "import torch.nn as nn\n# a comment \u2028 with \u2028 separators\n# paramlint: budget=1k\nmodel = nn.Sequential(nn.Linear(100, 100))\n"


def test_cli_applies_the_budget_on_the_line_above(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text(SOURCE, encoding="utf-8")
    done = run_cli("m.py", "--format=json", cwd=tmp_path)
    (model,) = json.loads(done.stdout)["models"]
    assert (model["line"], model["budget"], done.returncode) == (4, 1000, 1)
    assert [p["code"] for p in model["problems"]] == ["PRM101"]


def test_flake8_applies_the_budget_on_the_line_above(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text(SOURCE, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "flake8", "--isolated", "--select=PRM1", "m.py"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert done.stdout.startswith("m.py:4:9: PRM101 model 'model' has 10,100 parameters (> budget 1,000)"), done.stdout + done.stderr
