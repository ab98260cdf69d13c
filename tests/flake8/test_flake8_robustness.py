"""flake8 with the plugin never goes down: stdin, -j 2, E999 files, odd inputs, and our own bugs (PRM000)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from paramlint import extract, flake8_plugin

from .conftest import Flake8, prm

OVER = "import torch.nn as nn\n\nmodel = nn.Sequential(nn.Linear(100, 100))\n"  # 10,100


def test_stdin_with_display_name(flake8: Flake8) -> None:
    result = flake8("--isolated", "--param-budget=1k", "--stdin-display-name=models/encoder.py", "-", stdin=OVER)
    assert [(p, r, c, code) for p, r, c, code, _ in prm(result)] == [("models/encoder.py", 3, 9, "PRM101")]


def test_parallel_jobs_match_serial(tmp_path: Path, flake8: Flake8) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.paramlint]\nparam-budget-trainable = 1000\n")
    for i in range(6):
        (tmp_path / f"m{i}.py").write_text(OVER if i % 2 else f"x = {i}\n")
    serial = sorted(prm(flake8("-j", "1", "--param-budget=5k", ".")))
    parallel = sorted(prm(flake8("-j", "2", "--param-budget=5k", ".")))
    assert parallel == serial
    assert [code for *_, code, _ in serial] == ["PRM101", "PRM102"] * 3


def test_syntax_error_is_flake8s_e999_and_the_run_goes_on(tmp_path: Path, flake8: Flake8) -> None:
    (tmp_path / "broken.py").write_text("import torch.nn as nn\nm = nn.Sequential(nn.Linear(1, 1)\n")
    (tmp_path / "fine.py").write_text(OVER)
    result = flake8("--isolated", "--param-budget=1k", ".")
    found = sorted((Path(p).name, code) for p, _, _, code, _ in prm(result, ""))
    assert ("broken.py", "E999") in found and ("fine.py", "PRM101") in found
    assert not any(code == "PRM000" for _, code in found) and "Traceback" not in result.stderr


def test_odd_inputs_never_crash(tmp_path: Path, flake8: Flake8) -> None:
    files = {
        "only_word.py": "Sequential\n",
        "empty.py": "",
        "bom.py": "\ufeff" + OVER,
        "deep_parens.py": "import torch.nn as nn\nx = " + "(" * 90 + "1" + ")" * 90 + "\nm = nn.Sequential()\n",
        "deep_models.py": "import torch.nn as nn\nm = " + "nn.Sequential(" * 80 + "nn.Linear(2, 2)" + ")" * 80,
        "huge_repeat.py": "import torch.nn as nn\nm = nn.Sequential(*[nn.Linear(1, 1)] * 10**9)\n",
        "endless.py": "from keras import Sequential, layers\nm = Sequential()\nwhile 1:\n    m.add(layers.Dense(1))\n",
        "latin1.py": "# -*- coding: latin-1 -*-\nimport torch.nn as nn\ns = '\xe9'\nm = nn.Sequential(nn.ReLU())\n",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="latin-1" if name == "latin1.py" else "utf-8")
    result = flake8("--isolated", "--param-budget=1k", "--extend-select=PRM9", ".")
    assert result.returncode in (0, 1) and "Traceback" not in result.stderr, result.stderr
    assert not any(code == "PRM000" for *_, code, _ in prm(result)), result.stdout
    assert ("./bom.py", 3, 9, "PRM101") in [row[:4] for row in prm(result)]


INJECT = """
import sys
import paramlint.lint.analyze as analyze_module

real = analyze_module.analyze

def analyze(source, settings, path, tree=None):
    if "boom" in path:
        raise RuntimeError("injected failure")
    return real(source, settings, path, tree)

analyze_module.analyze = analyze
from flake8.main.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_internal_failure_is_one_prm000_and_flake8_goes_on(tmp_path: Path) -> None:
    (tmp_path / "boom.py").write_text(OVER)
    (tmp_path / "fine.py").write_text(OVER)
    result = subprocess.run(
        [sys.executable, "-c", INJECT, "--isolated", "-j", "1", "--param-budget=1k", "--select=PRM0,PRM1", "."],
        check=False, cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    lines = sorted(result.stdout.splitlines())
    assert lines[0] == (
        "./boom.py:1:1: PRM000 paramlint could not analyse this file (RuntimeError: injected failure, in ./boom.py);"
        " please report it"
    )
    assert lines[1:] == ["./fine.py:3:9: PRM101 model 'model' has 10,100 parameters (> budget 1,000)"]


def test_run_never_raises(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import paramlint.lint.analyze as analyze_module

    def broken(*args: object) -> None:
        raise MemoryError

    monkeypatch.setattr(analyze_module, "analyze", broken)
    plugin = flake8_plugin.Plugin(tree=None, lines=OVER.splitlines(True), filename="x.py")  # type: ignore[arg-type]
    results = list(plugin.run())
    assert [(row, col, text.split()[0]) for row, col, text, _ in results] == [(1, 0, "PRM000")]


LOADED = """
import sys
from flake8.main.application import Application
app = Application()
app.run(["--isolated", "-j", "1", "--param-budget=1k", *sys.argv[1:]])
print("libcst" in sys.modules, "paramlint.extract" in sys.modules)
"""


@pytest.mark.parametrize(
    ("text", "args"),
    [("import os\n\n\ndef f():\n    return os.sep\n", []), (OVER, ["--select=E,W,F"])],
    ids=["no-model", "PRM-not-selected"],
)
def test_cheap_files_never_load_the_analysis(tmp_path: Path, text: str, args: list[str]) -> None:
    (tmp_path / "file.py").write_text(text)
    result = subprocess.run(
        [sys.executable, "-c", LOADED, *args, "file.py"],
        check=False, cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )
    assert result.stdout.split()[-2:] == ["False", "False"], result.stdout + result.stderr


def test_the_plugin_and_the_analysis_share_one_gate() -> None:
    assert flake8_plugin.may_define_models is extract.may_define_models


def test_diagnostics_are_one_line(tmp_path: Path, flake8: Flake8) -> None:
    """A U+2028 inside a directive reaches the plugin (flake8 splits lines at newlines only) and not its output."""
    (tmp_path / "x.py").write_text("import torch.nn as nn\nm = nn.Sequential(nn.Linear(2, 2))  # paramlint: budget=\u2028lots\n",
                                   encoding="utf-8")
    result = flake8("--isolated", "--select=PRM3", "x.py")
    lines = result.stdout.split("\n")
    assert lines[-1] == "" and len(lines) == 2, result.stdout + result.stderr
    path, row, _, code, text = lines[0].split("\t")
    assert (path, row, code) == ("x.py", "2", "PRM305") and "\u2028" not in text and "lots" in text
