"""paramlint diff on a real temporary git repository: grown, renamed, removed and uncountable models."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.cli_runner import run_cli

LINEAR = "import torch.nn as nn\n{pad}{name} = nn.Sequential(nn.Linear({a}, {b}), nn.ReLU(), nn.Linear({b}, 10))\n"
ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
       "GIT_COMMITTER_EMAIL": "t@example.com", "GIT_AUTHOR_DATE": "2024-01-01T00:00:00Z",
       "GIT_COMMITTER_DATE": "2024-01-01T00:00:00Z", "GIT_CONFIG_NOSYSTEM": "1", "HOME": "/nonexistent"}


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, env={**os.environ, **ENV}, check=True,
                          capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("repo")
    git(root, "init", "-q", "-b", "main")
    files = {
        "grow.py": LINEAR.format(pad="", name="encoder", a=100, b=50),
        "old_name.py": LINEAR.format(pad="", name="head", a=10, b=4),
        "gone.py": LINEAR.format(pad="", name="tiny", a=4, b=4),
        "dynamic.py": LINEAR.format(pad="", name="clf", a=8, b=3),
    }
    for name, text in files.items():
        (root / name).write_text(text)
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "base")
    git(root, "checkout", "-q", "-b", "feature")
    (root / "grow.py").write_text(LINEAR.format(pad="\n\n", name="encoder", a=100, b=200))  # moved down and grown
    git(root, "mv", "old_name.py", "new_name.py")
    git(root, "rm", "-q", "gone.py")
    (root / "dynamic.py").write_text("import os\n" + LINEAR.format(pad="", name="clf", a='int(os.environ["N"])', b=3))
    git(root, "commit", "-q", "-am", "feature")
    (root / "fresh.py").write_text(LINEAR.format(pad="", name="fresh", a=2, b=2))  # untracked, in the working tree only
    return root


def by_name(output: str) -> dict[str, dict]:
    return {m["name"]: m for m in json.loads(output)["models"]}


def test_between_commits(repo: Path) -> None:
    done = run_cli("diff", "main", "HEAD", "--format=json", cwd=repo)
    assert done.returncode == 0, done.stderr
    models = by_name(done.stdout)
    assert set(models) == {"encoder", "head", "tiny", "clf"}
    enc = models["encoder"]
    assert enc["status"] == "grew" and (enc["before"]["total"], enc["after"]["total"]) == (5560, 22210)
    assert enc["change"] == 16650 and round(enc["relative"], 4) == 2.9946
    assert (enc["before"]["line"], enc["after"]["line"]) == (2, 4)
    head = models["head"]
    assert (head["status"], head["path"], head["old_path"], head["change"]) == ("unchanged", "new_name.py", "old_name.py", 0)
    assert models["tiny"]["status"] == "disappeared" and models["tiny"]["after"] is None and models["tiny"]["change"] == -70
    clf = models["clf"]
    assert clf["status"] == "uncountable" and clf["after"]["total"] is None and "PRM30" in clf["reason"]


def test_working_tree_against_merge_base_is_read_only(repo: Path) -> None:
    status_before = git(repo, "status", "--porcelain")
    done = run_cli("diff", cwd=repo)
    assert done.returncode == 0, done.stderr
    assert "merge-base with main" in done.stdout and "working tree" in done.stdout
    assert "appeared" in done.stdout and "fresh" in done.stdout and "+16,650 (+299.5%)" in done.stdout
    assert git(repo, "status", "--porcelain") == status_before


def test_markdown_and_fail_on_growth(repo: Path) -> None:
    done = run_cli("diff", "main", "HEAD", "--format=markdown", "--fail-on-growth=10%", cwd=repo)
    assert done.returncode == 1
    assert "| `encoder` |" in done.stdout and "Growth over the limit" in done.stdout
    assert run_cli("diff", "main", "HEAD", "--fail-on-growth=1M", cwd=repo).returncode == 1  # clf became uncountable
    bad = run_cli("diff", "no-such-branch", cwd=repo)
    assert bad.returncode == 2 and "Received: no-such-branch" in bad.stderr
