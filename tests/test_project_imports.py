"""Imports followed into other files: the fixture project through the CLI, real flake8 (also -j 2 and stdin) and
``paramlint diff`` in a real git repository; cycles, missing modules, python-path and environments found on disk.

The fixture project's counts are proved by the oracle (test_fixture_oracles runs its files as their modules with
torch); here a changed copy is counted by torch too."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from paramlint.finder import Finder, environment_site_packages
from paramlint.lint.analyze import analyze
from paramlint.lint.settings import Settings

from .fixture_expectations import FIXTURES, ROOT, read_expectations

PROJECT = FIXTURES / "project"
SRC = str(ROOT / "src")


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": SRC, "NO_COLOR": "1"}


def _expected_totals(folder: Path) -> dict[tuple[str, int], int]:
    """(file name, line) -> total, for every complete outermost expectation under ``folder``."""
    out = {}
    for path in sorted(folder.rglob("*.py")):
        for exp in read_expectations(path):
            if exp.outermost and exp.complete:
                out[(path.name, exp.line)] = exp.total
    return out


def test_the_fixture_project_through_the_cli() -> None:
    out = subprocess.run([sys.executable, "-m", "paramlint", "--format", "json", str(PROJECT)],
                         capture_output=True, text=True, env=_env(), check=False)
    assert out.returncode == 0, out.stdout + out.stderr
    data = json.loads(out.stdout)
    got = {(Path(m["path"]).name, m["line"]): m["total"] for m in data["models"] if m.get("part_of") is None}
    assert got == _expected_totals(PROJECT)
    assert all(m["complete"] for m in data["models"])


def _flake8(*args: str, stdin: str | None = None, cwd: Path = ROOT) -> list[str]:
    out = subprocess.run([sys.executable, "-m", "flake8", "--isolated", "--select=PRM", "--extend-select=PRM9", *args],
                         capture_output=True, text=True, env=_env(), input=stdin, cwd=cwd, check=False)
    assert "PRM000" not in out.stdout and not out.stderr.strip(), out.stdout + out.stderr
    return sorted(out.stdout.splitlines())


def _counts(lines: list[str]) -> dict[tuple[str, int], int]:
    """PRM901 lines -> (file name, line): the largest total there (a model's parts built on its line are smaller)."""
    out: dict[tuple[str, int], int] = {}
    for line in lines:
        if " PRM901 " in line:
            where, _, message = line.partition(" PRM901 ")
            path, number = where.split(":")[:2]
            key = (Path(path).name, int(number))
            out[key] = max(out.get(key, 0), int(message.split(" has ")[1].split(" ")[0].replace(",", "")))
    return out


def test_the_fixture_project_through_flake8_also_in_parallel() -> None:
    serial = _flake8(str(PROJECT))
    parallel = _flake8("-j", "2", str(PROJECT))
    assert serial == parallel
    expected = _expected_totals(PROJECT)
    counts = _counts(serial)
    assert {k: v for k, v in counts.items() if k in expected} == expected


def test_flake8_stdin_resolves_imports_from_the_name_it_is_given() -> None:
    path = PROJECT / "scripts" / "train.py"
    lines = _flake8(f"--stdin-display-name={path}", "-", stdin=path.read_text())
    expected = {k: v for k, v in _expected_totals(PROJECT).items() if k[0] == "train.py"}
    assert {k: v for k, v in _counts(lines).items() if k in expected} == expected


def _torch_total(project: Path, module: str, attr: str) -> int:
    """The total torch gives for ``module.attr``, importing the project with sys.path set (in a subprocess)."""
    code = (f"import sys; sys.path[:0] = [{str(project)!r}, {str(project / 'src')!r}]; import importlib; "
            f"m = getattr(importlib.import_module({module!r}), {attr!r}); print(sum(p.numel() for p in m.parameters()))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return int(out.stdout.strip())


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True).stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    pytest.importorskip("torch")
    root = tmp_path / "repo"
    shutil.copytree(PROJECT, root, ignore=shutil.ignore_patterns("__pycache__"))
    _git(root, "init", "-q", "-b", "main")
    _git(root, "-c", "user.email=t@t", "-c", "user.name=t", "add", "-A")
    _git(root, "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "base")
    return root


def _diff(repo: Path, *args: str) -> dict[str, Any]:
    out = subprocess.run([sys.executable, "-m", "paramlint", "diff", *args, "--format", "json", "--all"],
                         capture_output=True, text=True, cwd=repo, env=_env(), check=False)
    assert out.returncode == 0, out.stdout + out.stderr
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def _totals(data: dict[str, Any]) -> dict[tuple[str, str], tuple[Any, Any]]:
    return {(c["path"], c["name"]): (c["before"]["total"] if c["before"] else None, c["after"]["total"] if c["after"] else None)
            for c in data["models"]}


def test_a_change_to_an_imported_module_shows_in_the_diff_of_its_importers(repo: Path) -> None:
    base_net = _torch_total(repo, "app.models.net", "model")
    blocks = repo / "app" / "models" / "blocks.py"
    blocks.write_text(blocks.read_text().replace("WIDTH = 32", "WIDTH = 48"))
    head_net = _torch_total(repo, "app.models.net", "model")
    assert head_net != base_net
    worktree = _totals(_diff(repo, "HEAD"))  # base read through git, head from the working tree
    assert worktree[("app/models/net.py", "model")] == (base_net, head_net)
    _git(repo, "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qam", "wider")
    blocks.write_text(blocks.read_text().replace("WIDTH = 48", "WIDTH = 8"))  # the working tree must not be read
    committed = _totals(_diff(repo, "HEAD~1", "HEAD"))
    assert committed[("app/models/net.py", "model")] == (base_net, head_net)
    assert committed[("scripts/train.py", "net")][0] != committed[("scripts/train.py", "net")][1]


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


def _report(path: Path, **settings: Any) -> Any:
    return analyze(path.read_text(), Settings(budget=10**9, **settings), path=str(path))


def test_an_import_cycle_python_refuses_ends_in_prm306_naming_it(tmp_path: Path) -> None:
    _write(tmp_path, {
        "pyproject.toml": "",
        "pkg/__init__.py": "",
        "pkg/a.py": "import torch.nn as nn\nfrom .b import Wide\nWIDTH = 4\nmodel = nn.Sequential(Wide())\n",
        "pkg/b.py": "import torch.nn as nn\nfrom .a import WIDTH\n\n\nclass Wide(nn.Linear):\n"
                    "    def __init__(self):\n        super().__init__(WIDTH, WIDTH)\n\n\nlayer = nn.Linear(WIDTH, 1)\n",
    })
    done = subprocess.run([sys.executable, "-c", "import pkg.a"], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert "ImportError" in done.stderr  # Python refuses it too
    report = _report(tmp_path / "pkg" / "b.py")
    codes = [(p.code, p.fields.get("reason", "")) for m in report.models for p in m.problems]
    assert any(code == "PRM306" and "import cycle" in reason and "pkg.a" in reason for code, reason in codes), codes
    assert all(m.total is None for m in report.models)


def test_a_module_not_found_names_it_and_python_path_finds_it(tmp_path: Path) -> None:
    _write(tmp_path, {
        "proj/pyproject.toml": "",
        "proj/net.py": "import torch.nn as nn\nfrom extlib.blocks import Block\nmodel = nn.Sequential(Block(), nn.Linear(4, 2))\n",
        "env/lib/python3.11/site-packages/extlib/__init__.py": "",
        "env/lib/python3.11/site-packages/extlib/blocks.py":
            "import torch.nn as nn\n\n\nclass Block(nn.Module):\n    def __init__(self):\n"
            "        super().__init__()\n        self.fc = nn.Linear(3, 4)\n",
    })
    net = tmp_path / "proj" / "net.py"
    missing = _report(net)
    (problem,) = [p for p in missing.models[0].problems if p.code == "PRM306"]
    assert "extlib" in problem.message and "python-path" in problem.message and "additional_dependencies" in problem.message
    found = _report(net, python_path=(str(tmp_path / "env"),))
    assert found.models[0].total == 3 * 4 + 4 + 4 * 2 + 2


def test_a_venv_at_the_project_root_and_a_src_layout_are_found(tmp_path: Path) -> None:
    _write(tmp_path, {
        "setup.cfg": "",
        "src/mylib/__init__.py": "from .core import Core\n",
        "src/mylib/core.py": "import torch.nn as nn\n\n\nclass Core(nn.Module):\n    def __init__(self, a, b):\n"
                             "        super().__init__()\n        self.fc = nn.Linear(a, b)\n",
        ".venv/lib/python3.12/site-packages/venvlib.py": "import torch.nn as nn\n\n\ndef head():\n    return nn.Linear(2, 2)\n",
        "tools/run.py": "import torch.nn as nn\nimport mylib\nimport venvlib\nmodel = nn.Sequential(mylib.Core(5, 2), venvlib.head())\n",
    })
    report = _report(tmp_path / "tools" / "run.py")
    assert [m.total for m in report.models if m.part_of is None] == [5 * 2 + 2 + 2 * 2 + 2]
    assert environment_site_packages(tmp_path / ".venv") == [tmp_path / ".venv/lib/python3.12/site-packages"]


def test_packages_modules_and_namespace_packages_are_told_apart(tmp_path: Path) -> None:
    _write(tmp_path, {"a/__init__.py": "", "a/m.py": "", "ns/x/y.py": "", "c.py": "", "c/__init__.py": "",
                      "ext.cpython-311-x86_64-linux-gnu.so": ""})
    finder = Finder(environ={})
    here = tmp_path / "main.py"
    package, module, namespace = finder.find("a", here), finder.find("a.m", here), finder.find("ns.x", here)
    assert package is not None and package.is_package and package.file == tmp_path / "a" / "__init__.py"
    assert module is not None and not module.is_package and module.file == tmp_path / "a" / "m.py"
    assert namespace is not None and namespace.file is None and namespace.locations == (tmp_path / "ns" / "x",)
    first = finder.find("c", here)
    assert first is not None and first.file == tmp_path / "c" / "__init__.py"  # a package wins over a module, as in Python
    compiled = finder.find("ext", here)
    assert compiled is not None and compiled.compiled is not None and compiled.file is None
    assert finder.find("nothere", here) is None


def test_names_from_an_imported_module_behave_as_the_files_own(tmp_path: Path) -> None:
    """A function runs in its own module's globals; `from pkg import *` honours __all__; models an imported module
    builds at its top level are not the importer's."""
    _write(tmp_path, {
        "pyproject.toml": "",
        "pkg/__init__.py": "from .parts import *\n",
        "pkg/parts.py": "import torch.nn as nn\n__all__ = ['make']\nSIZE = 3\nTOP = nn.Sequential(nn.Linear(9, 9))\n"
                        "_hidden = 1\n\n\ndef make():\n    return nn.Linear(SIZE, SIZE)\n",
        "main.py": "import torch.nn as nn\nfrom pkg import *\nSIZE = 100\nmodel = nn.Sequential(make())\n"
                   "try:\n    other = nn.Sequential(nn.Linear(SIZE, 1), _hidden)\nexcept NameError:\n    pass\n",
    })
    report = _report(tmp_path / "main.py")
    totals = {m.name: m.total for m in report.models}
    assert totals["model"] == 12  # SIZE of parts.py, not of main.py
    assert totals["other"] is None  # _hidden is not exported
    assert "TOP" not in totals


UNREAD = {  # case -> source; the model is reported where the package's function is called
    "torch": "import torch.nn as nn\nimport fakevision\n\nmodel = fakevision.models.resnet18(weights=None)\n"
             "model.fc = nn.Linear(model.fc.in_features, 10)\n",
    "torch, in a builder": "import torch\nimport fakevision\n\n\ndef build(n):\n    net = fakevision.get_model('r18', num_classes=n)\n"
                           "    return net\n\n\nmodel = build(3)\nmodel = model.to('cpu')\n"
                           "for p in model.parameters():\n    p.requires_grad = False\n",
    "keras": "import keras\nfrom fakeapps import EfficientNet\n\nbase = EfficientNet(include_top=False)\n"
             "base.trainable = False\nbase.summary()\n",
}


@pytest.mark.parametrize("case", UNREAD)
def test_a_model_from_a_package_not_installed_is_reported_not_counted(case: str, tmp_path: Path) -> None:
    source = UNREAD[case]
    path = tmp_path / "train.py"
    path.write_text(source)
    report = _report(path)
    (model,) = report.models
    line = {"torch": 4, "torch, in a builder": 6, "keras": 4}[case]
    assert (model.name, model.line, model.complete, model.total) == ("base" if "base" in source else "model", line, False, None)
    assert [p.code for p in model.problems][:1] == ["PRM306"] and {p.code for p in model.problems} <= {"PRM306", "PRM302"}
    assert "'fake" in model.problems[0].message and "additional_dependencies" in model.problems[0].message
    done = subprocess.run([sys.executable, "-m", "flake8", "--select=PRM", "--param-budget=1000", str(path)],
                          capture_output=True, text=True, env=_env(), check=False)
    assert f"train.py:{line}:" in done.stdout and "PRM306" in done.stdout, done.stdout + done.stderr


def test_other_values_of_a_package_not_installed_are_no_models(tmp_path: Path) -> None:
    path = tmp_path / "train.py"
    path.write_text("import torch.nn as nn\nimport wandb\nimport fakeplot\n\nrun = wandb.init(project='p')\n"
                    "run.log({'loss': 1.0})\nfig = fakeplot.figure()\nfig.save('a.png')\nmodel = nn.Linear(3, 4)\n")
    assert [(m.name, m.total) for m in _report(path).models] == [("model", 16)]


def test_a_file_naming_no_framework_is_analysed_through_parenthesised_imports(tmp_path: Path) -> None:
    """timm's ``__init__`` imports its models as ``from .models import (\\n    create_model as create_model, ...)``."""
    _write(tmp_path, {
        "pyproject.toml": "",
        "zoo/__init__.py": "from .version import __version__\nfrom .models import (\n    build as build,\n)\n",
        "zoo/version.py": "__version__ = '1'\n",
        "zoo/models.py": "import torch.nn as nn\n\n\ndef build(n):\n    return nn.Sequential(nn.Linear(n, 2))\n",
        "train.py": "import zoo\n\nmodel = zoo.build(3)\n",
    })
    assert [(m.name, m.total) for m in _report(tmp_path / "train.py").models] == [("model", 8)]


def test_a_model_from_a_library_read_only_in_part_is_reported_not_counted(tmp_path: Path) -> None:
    """A library whose top level outgrows the imported modules' share of the step budget: what its functions make,
    bound at module level, is a model not counted (PRM304 naming the module and the setting), never silence."""
    _write(tmp_path, {
        "pyproject.toml": "[tool.paramlint.limits]\nsteps = 4000\n",
        "zoo/__init__.py": "from .models import create_model\n",
        "zoo/models.py": "import torch.nn as nn\nTABLE = {}\nfor i in range(5000):\n    TABLE[i] = i\n\n\n"
                         "def create_model(n):\n    return nn.Sequential(nn.Linear(n, 2))\n",
        "train.py": "import torch\nimport zoo\n\nmodel = zoo.create_model(3)\n",
    })
    path = tmp_path / "train.py"
    done = subprocess.run([sys.executable, "-m", "paramlint", "--format", "json", str(path)], capture_output=True, text=True,
                          env=_env(), cwd=tmp_path, check=False)
    (model,) = json.loads(done.stdout)["models"]
    assert (model["name"], model["line"], model["complete"]) == ("model", 4, False)
    assert [p["code"] for p in model["problems"]] == ["PRM304"] and "zoo.models" in model["problems"][0]["message"]


def test_a_backbone_a_library_builder_takes_apart_is_not_a_model_of_the_file(tmp_path: Path) -> None:
    """torchvision's detection builders make a classification network and keep only its children (as
    IntermediateLayerGetter does): that network is the builder's working value, not a second model of the file."""
    _write(tmp_path, {
        "proj/pyproject.toml": "",
        "env/lib/python3.11/site-packages/zoo/__init__.py": "from .detection import detector\n",
        "env/lib/python3.11/site-packages/zoo/detection.py":
            "import torch.nn as nn\n\n\ndef backbone():\n    return nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU(), nn.Linear(8, 1000))\n\n\n"
            "def detector(classes):\n    net = backbone()\n    body = nn.Sequential(*list(net.children())[:-1])\n"
            "    return nn.Sequential(body, nn.Conv2d(8, classes, 1))\n",
        "proj/train.py": "import torch\nimport zoo\n\nmodel = zoo.detector(4)\nparts = zoo.detection.backbone()\n",
    })
    report = _report(tmp_path / "proj" / "train.py", python_path=(str(tmp_path / "env"),))
    assert [(m.name, m.line, m.total) for m in report.models if m.part_of is None] == [("model", 4, 224 + 36), ("parts", 5, 224 + 9000)]
