"""Issue 11, item 5: '# paramlint: params=N' on the line of a layer paramlint cannot count declares its count."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.cli_runner import run_cli

SOURCE = """\
import torch.nn as nn
from transformers import AutoModel
custom = nn.Sequential(
    nn.Linear(4, 4),
    Foo(3),  # paramlint: params=1.5k
    nn.Linear(4, 2),
)
# paramlint: budget=100M
bert = nn.Sequential(AutoModel.from_pretrained("bert"), nn.Linear(768, 2))  # paramlint: params=110M
undeclared = nn.Sequential(Foo(1))
"""


def test_a_declared_count_completes_the_model_and_is_marked(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text(SOURCE)
    done = run_cli("m.py", "--format=json", cwd=tmp_path)
    custom, bert, undeclared = json.loads(done.stdout)["models"]
    assert (custom["complete"], custom["total"], custom["problems"]) == (True, 20 + 1500 + 10, [])
    assert [layer.get("declared", False) for layer in custom["layers"]] == [False, True, False]
    assert custom["layers"][1]["formula"] == "declared: params=1.5k" and "declared as 1,500" in custom["assumptions"][0]
    assert (bert["complete"], bert["total"]) == (True, 110_000_000 + 1538)
    assert [p["code"] for p in bert["problems"]] == ["PRM101"] and done.returncode == 1  # the budget is checked now
    assert (undeclared["complete"], undeclared["total"]) == (False, None)


def test_flake8_says_a_declared_count_was_used(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text(SOURCE)
    done = subprocess.run([sys.executable, "-m", "flake8", "--isolated", "--select=PRM902", "m.py"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert [line.split(" ", 2)[1] for line in done.stdout.splitlines()] == ["PRM902", "PRM902"], done.stdout
    assert "Foo at line 5 declared as 1,500 parameters (params=1.5k)" in done.stdout


def test_an_unreadable_declared_count_is_a_bad_directive(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text("import torch.nn as nn\nm = nn.Sequential(\n    Foo(1),  # paramlint: params=lots\n)\n")
    done = run_cli("m.py", cwd=tmp_path)
    assert done.returncode == 1 and "m.py:3: PRM305 cannot read directive 'params=lots'" in done.stderr
