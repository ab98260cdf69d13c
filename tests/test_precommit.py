"""The `paramlint` pre-commit hook of this checkout, run for real by pre-commit in a scratch git repository.

pre-commit clones the checkout (at HEAD: the hook definition must be committed) and installs it
into its own virtualenv with pip; that works offline here because pip reads a local package
index. Where pre-commit, git or that install is unavailable, the test skips and says why.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CHECKOUT = Path(__file__).resolve().parents[1]
OVER = "import torch.nn as nn\n\nmodel = nn.Sequential(nn.Linear(1000, 1000))\n"  # 1,001,000
FIXED = "import torch.nn as nn\n\nmodel = nn.Sequential(nn.Linear(100, 100))\n"  # 10,100


def run(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, check=False, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture
def scratch_repo(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    pytest.importorskip("pre_commit", reason="pre-commit is not installed (pip install -e '.[test]')")
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    head = subprocess.run(["git", "rev-parse", "HEAD"], check=False, cwd=CHECKOUT, capture_output=True, text=True)
    if head.returncode != 0:
        pytest.skip("this checkout is not a git repository")
    repo = tmp_path / "project"
    repo.mkdir()
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
        "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
    }
    (repo / ".pre-commit-config.yaml").write_text(
        "repos:\n"
        f"-   repo: {CHECKOUT}\n"
        f"    rev: {head.stdout.strip()}\n"
        "    hooks:\n"
        "    -   id: paramlint\n"
        "        args: [--param-budget=100k]\n"
    )
    assert run("git", "init", "-q", cwd=repo, env=env).returncode == 0
    pre_commit = [sys.executable, "-m", "pre_commit"]
    installed = run(*pre_commit, "install-hooks", cwd=repo, env=env)
    if installed.returncode != 0:
        why = (installed.stdout + installed.stderr)[-600:]
        pytest.skip(f"pre-commit could not install the hook offline: {why}")
    assert run(*pre_commit, "install", cwd=repo, env=env).returncode == 0
    return repo, env


def commit(repo: Path, env: dict[str, str], text: str) -> subprocess.CompletedProcess[str]:
    (repo / "model.py").write_text(text)
    run("git", "add", "model.py", ".pre-commit-config.yaml", cwd=repo, env=env)
    return run("git", "commit", "-q", "-m", "change the model", cwd=repo, env=env)


def test_hook_refuses_a_model_over_budget_then_accepts_the_fix(scratch_repo: tuple[Path, dict[str, str]]) -> None:
    repo, env = scratch_repo
    refused = commit(repo, env, OVER)
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0, output
    assert "Failed" in output and "1,001,000" in output
    accepted = commit(repo, env, FIXED)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert run("git", "log", "--oneline", cwd=repo, env=env).stdout.count("\n") == 1
