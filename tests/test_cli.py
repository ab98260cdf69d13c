"""The CLI as users run it: walking a project, notebooks, config, --jobs, colour and exit codes."""
from __future__ import annotations

import json
from pathlib import Path

from tests.cli_runner import run_cli

MODEL = "import torch.nn as nn\n{name} = nn.Sequential(nn.Linear({n}, 10))\n"


def write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def project(root: Path) -> None:
    write(root, "pyproject.toml", '[tool.paramlint]\nparam-budget = "1k"\nexclude = ["generated", "scripts/skip_*.py"]\n')
    write(root, "src/b.py", MODEL.format(name="small", n=4))
    write(root, "src/a.py", MODEL.format(name="large", n=200))
    write(root, "src/broken.py", "model = nn.Sequential(\n")
    write(root, "scripts/skip_me.py", MODEL.format(name="skipped", n=1))
    write(root, "generated/g.py", MODEL.format(name="skipped", n=1))
    write(root, ".venv/lib/x.py", MODEL.format(name="skipped", n=1))
    write(root, "myenv/pyvenv.cfg", "home = /usr\n")
    write(root, "myenv/lib/y.py", MODEL.format(name="skipped", n=1))
    write(root, "build/z.py", MODEL.format(name="skipped", n=1))
    notebook = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "code", "source": ["import torch.nn as nn\n"], "metadata": {}, "outputs": [], "execution_count": None},
        {"cell_type": "markdown", "source": ["text"], "metadata": {}},
        {"cell_type": "code", "source": ["%time x = 1\n", "nb_model = nn.Sequential(nn.Linear(3, 3))\n"],
         "metadata": {}, "outputs": [], "execution_count": None},
    ]}
    write(root, "notebooks/n.ipynb", json.dumps(notebook))


def test_walk_config_excludes_notebooks_and_exit_code(tmp_path: Path) -> None:
    project(tmp_path)
    done = run_cli("--format=json", cwd=tmp_path)
    data = json.loads(done.stdout)
    assert done.returncode == 1  # 'large' is over the 1k budget from pyproject, and broken.py does not parse
    assert [(m["path"], m["name"]) for m in data["models"]] == [
        ("notebooks/n.ipynb", "nb_model"), ("src/a.py", "large"), ("src/b.py", "small")]
    nb = data["models"][0]
    assert (nb["cell"], nb["line"], nb["total"]) == (3, 2, 12)
    assert [p["code"] for p in data["models"][1]["problems"]] == ["PRM101"]
    assert data["models"][1]["budget"] == 1000
    assert [e["path"] for e in data["errors"]] == ["src/broken.py"]
    jobs = run_cli("--format=json", "--jobs=2", cwd=tmp_path)
    assert jobs.stdout == done.stdout


def test_exit_codes(tmp_path: Path) -> None:
    write(tmp_path, "ok.py", MODEL.format(name="m", n=4))
    assert run_cli("ok.py", cwd=tmp_path).returncode == 0
    over = run_cli("ok.py", "--param-budget=10", cwd=tmp_path)
    assert over.returncode == 1 and "PRM101" in over.stdout
    bad = run_cli("ok.py", "--param-budget=-5", cwd=tmp_path)
    assert bad.returncode == 2 and "Received: param-budget=-5" in bad.stderr
    missing = run_cli("nowhere.py", "ok.py", cwd=tmp_path)  # a usage error, not "over budget"
    assert missing.returncode == 2 and "no such file or folder: nowhere.py" in missing.stderr and not missing.stdout
    (tmp_path / "gone.py").symlink_to(tmp_path / "deleted.py")
    unreadable = run_cli("gone.py", "ok.py", cwd=tmp_path)
    assert unreadable.returncode == 1 and "gone.py: error: cannot read" in unreadable.stderr
    assert "gone.py" not in unreadable.stdout and 'Model: "m"' in unreadable.stdout


def test_colour_never_with_no_color_nor_off_a_terminal(tmp_path: Path) -> None:
    write(tmp_path, "ok.py", MODEL.format(name="m", n=4))
    assert "\x1b[" not in run_cli("ok.py", cwd=tmp_path).stdout
    assert "\x1b[" in run_cli("ok.py", "--color=always", cwd=tmp_path).stdout
    assert "\x1b[" not in run_cli("ok.py", "--color=always", cwd=tmp_path, env={"NO_COLOR": "1"}).stdout
