"""The ``paramlint-annotate`` pre-commit hook, run for real by pre-commit in a scratch git repository: a commit
with a stale annotation is refused, and accepted once ``paramlint annotate --write`` has brought it up to date.

pre-commit clones this checkout at HEAD (the hook definition must be committed) and installs it, with
libcst, into its own virtualenv. Where pre-commit, git or that install is unavailable, the test skips and says why.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import run_cli

CHECKOUT = Path(__file__).resolve().parents[2]
MODEL = "import torch.nn as nn\n\nmodel = nn.Sequential(\n    nn.Linear(10, 10),\n    nn.ReLU(),\n)\n"


def git_env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
    }


def run(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, check=False, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def test_hook_refuses_a_stale_annotation_then_accepts_it_after_write(tmp_path: Path) -> None:
    pytest.importorskip("pre_commit", reason="pre-commit is not installed (pip install -e '.[test]')")
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    head = subprocess.run(["git", "rev-parse", "HEAD"], check=False, cwd=CHECKOUT, capture_output=True, text=True)
    if head.returncode != 0:
        pytest.skip("this checkout is not a git repository")
    repo, env = tmp_path / "project", git_env(tmp_path)
    repo.mkdir()
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n-   repo: {CHECKOUT}\n    rev: {head.stdout.strip()}\n    hooks:\n    -   id: paramlint-annotate\n")
    assert run("git", "init", "-q", cwd=repo, env=env).returncode == 0
    pre_commit = [sys.executable, "-m", "pre_commit"]
    installed = run(*pre_commit, "install-hooks", cwd=repo, env=env)
    if installed.returncode != 0:
        pytest.skip(f"pre-commit could not install the hook: {(installed.stdout + installed.stderr)[-600:]}")
    assert run(*pre_commit, "install", cwd=repo, env=env).returncode == 0

    model = repo / "model.py"
    model.write_text(MODEL)
    assert run_cli("annotate", "--write", "model.py", cwd=repo).returncode == 0
    model.write_text(model.read_text().replace("nn.Linear(10, 10)", "nn.Linear(10, 20)"))  # the comment is now stale
    run("git", "add", "model.py", ".pre-commit-config.yaml", cwd=repo, env=env)
    refused = run("git", "commit", "-q", "-m", "grow the model", cwd=repo, env=env)
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0, output
    assert "Failed" in output and "model.py:4: stale annotation: '110 params', now '220 params'" in output

    assert run_cli("annotate", "--write", "model.py", cwd=repo).returncode == 0
    run("git", "add", "model.py", cwd=repo, env=env)
    accepted = run("git", "commit", "-q", "-m", "grow the model", cwd=repo, env=env)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert "# [paramlint] 220 params" in model.read_text()
