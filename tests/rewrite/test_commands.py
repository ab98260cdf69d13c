"""The two commands as a user meets them: modes, exit codes, messages, and the files they must leave alone."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from paramlint.rewrite import command

from .helpers import run, run_cli

Capture = pytest.CaptureFixture[str]

MLP = (
    "import torch.nn as nn\n\nmlp = nn.Sequential(\n    nn.Linear(4, 8),  # hidden\n"
    "    nn.ReLU(),\n    nn.Linear(8, 2),\n)\n"
)


@pytest.fixture
def mlp(tmp_path: Path) -> Path:
    path = tmp_path / "mlp.py"
    path.write_text(MLP)
    return path


def test_check_names_missing_then_stale_lines_and_passes_once_written(mlp: Path, capsys: Capture) -> None:
    code, out, err = run(capsys, "annotate", "--check", str(mlp))
    assert code == 1 and f"{mlp}:4: annotation missing: '40 params'" in out
    assert "paramlint annotate --write" in err and mlp.read_text() == MLP
    assert run(capsys, "annotate", "--write", str(mlp))[0] == 0
    assert mlp.read_text().splitlines()[3] == "    nn.Linear(4, 8),  # hidden  # [paramlint] 40 params"
    assert run(capsys, "annotate", "--check", str(mlp))[:2] == (0, "")
    mlp.write_text(mlp.read_text().replace("nn.Linear(8, 2)", "nn.Linear(8, 3)"))
    code, out, _ = run(capsys, "annotate", "--check", str(mlp))
    assert code == 1
    assert f"{mlp}:6: stale annotation: '18 params', now '27 params'" in out
    assert f"{mlp}:3: stale annotation: 'total 58 params (all trainable)', now 'total 67 params (all trainable)'" in out


def test_a_removed_layer_loses_its_annotation_and_the_user_keeps_every_comment(mlp: Path, capsys: Capture) -> None:
    run(capsys, "annotate", "--write", str(mlp))
    mlp.write_text(mlp.read_text().replace("nn.Sequential(", "[").replace("\n)\n", "\n]\n"))  # no longer a model
    run(capsys, "annotate", "--write", str(mlp))
    assert mlp.read_text() == MLP.replace("nn.Sequential(", "[").replace("\n)\n", "\n]\n")


def test_diff_is_the_default_and_changes_nothing(mlp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "annotate", str(mlp))
    assert code == 0 and mlp.read_text() == MLP
    assert "+    nn.ReLU(),  # [paramlint] 0 params" in out and "-    nn.ReLU()," in out
    code, out, err = run(capsys, "baseline", "--diff", str(mlp))
    assert "+# paramlint: budget=64" in out and "1 directive(s) in 1 file(s) would change" in err
    assert mlp.read_text() == MLP


def test_explain_adds_the_formula(mlp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "annotate", "--write", "--explain", str(mlp))
    assert "# [paramlint] 40 params, 4 * 8 + 8 = 40" in mlp.read_text()
    assert run(capsys, "annotate", "--check", str(mlp))[0] == 1  # the hook compares with the form it is given
    assert run(capsys, "annotate", "--check", "--explain", str(mlp))[0] == 0


def test_a_file_python_cannot_parse_is_left_untouched(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.py"
    broken.write_bytes(b"import torch.nn as nn\r\nmodel = nn.Sequential(nn.Linear(2, 2)\r\n")
    for name in ("annotate", "baseline"):
        code, _, err = run(capsys, name, "--write", str(broken))
        assert code == 1 and f"{broken}: left untouched: cannot analyse it: syntax error" in err
    assert broken.read_bytes() == b"import torch.nn as nn\r\nmodel = nn.Sequential(nn.Linear(2, 2)\r\n"


def test_a_file_changed_while_paramlint_works_is_left_as_the_user_made_it(
        mlp: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    vetted = command.same_counts

    def edit_meanwhile(*args: object, **kwargs: object) -> None:
        mlp.write_text(MLP + "# the user typed this meanwhile\n")
        vetted(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(command, "same_counts", edit_meanwhile)
    code, _, err = run(capsys, "annotate", "--write", str(mlp))
    assert code == 1 and "left untouched: it changed on disk while paramlint worked on it; run again" in err
    assert mlp.read_text() == MLP + "# the user typed this meanwhile\n"
    assert [p.name for p in mlp.parent.iterdir()] == ["mlp.py"]  # no temporary file left behind


def test_ast_refuses_before_libcst_sees_a_file(monkeypatch: pytest.MonkeyPatch) -> None:
    import libcst

    from paramlint.rewrite.slots import find_slots
    from paramlint.rewrite.text import Refused

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("libcst was handed a file Python refuses")

    monkeypatch.setattr(libcst, "parse_module", never)
    with pytest.raises(Refused, match="not valid Python"):
        find_slots("x = " + "(" * 1500 + "1" + ")" * 1500 + "\n")  # segfaults libcst 1.9's native parser


def test_baseline_lists_incomplete_models_and_writes_rounded_budgets(tmp_path: Path, capsys: Capture) -> None:
    path = tmp_path / "models.py"
    path.write_text(
        "import os\nimport torch.nn as nn\n\n"
        "big = nn.Sequential(nn.Linear(1000, 1000))\n"
        "width = 16 if os.environ.get('WIDE') else 8\n"
        "head = nn.Sequential(nn.Linear(4, width))\n"
    )
    code, _, err = run(capsys, "baseline", "--write", "--margin", "25%", "--round", "3", str(path))
    assert code == 0
    assert f"{path}:6: model 'head' is not countable exactly (PRM302 on line 6" in err
    lines = path.read_text().splitlines()
    assert lines[3:5] == ["# paramlint: budget=1.26M", "big = nn.Sequential(nn.Linear(1000, 1000))"]  # 1,001,000 * 1.25
    assert "budget" not in lines[-1] and "budget" not in lines[-2]


def test_update_is_a_ratchet_both_ways(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "m.py"
    path.write_text("import torch.nn as nn\n# paramlint: budget=5M, input-shape=(4,)\n"
                    "m = nn.Sequential(nn.Linear(4, 4))\n")
    assert run(capsys, "baseline", "--write", str(path))[0] == 0
    assert "budget=5M" in path.read_text()  # existing directives are kept without --update
    run(capsys, "baseline", "--write", "--update", str(path))
    assert path.read_text().splitlines()[1] == "# paramlint: budget=22, input-shape=(4,)"
    path.write_text(path.read_text().replace("Linear(4, 4)", "Linear(4, 400)"))
    run(capsys, "baseline", "--write", "--update", "--margin", "0%", str(path))
    assert path.read_text().splitlines()[1] == "# paramlint: budget=2k, input-shape=(4,)"


def test_bad_options_are_refused_with_the_value(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        run(capsys, "baseline", "--margin", "ten", str(tmp_path))
    assert stop.value.code == 2 and "Received: --margin=ten" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        run(capsys, "baseline", "--round", "0", str(tmp_path))
    assert "Received: --round=0" in capsys.readouterr().err


def test_a_notebook_json_paramlint_cannot_reproduce_is_left_untouched(tmp_path: Path, capsys: Capture) -> None:
    cells = [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
              "source": ["import torch.nn as nn\n", "m = nn.Sequential(nn.Linear(2, 2))"]}]
    text = json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=3)
    path = tmp_path / "odd.ipynb"
    path.write_text(text)
    code, _, err = run(capsys, "annotate", "--write", str(path))
    assert code == 1 and "cannot write back byte for byte" in err and path.read_text() == text


def test_missing_libcst_says_how_to_install_it(mlp: Path) -> None:
    blocker = mlp.parent / "sitecustomize.py"  # makes `import libcst` fail in the child, as if not installed
    blocker.write_text("import sys\nsys.modules['libcst'] = None\n")
    result = run_cli("annotate", "--write", str(mlp), cwd=mlp.parent, env_path=str(mlp.parent))
    assert result.returncode == 2, result.stderr
    assert "need libcst: pip install 'paramlint[rewrite]'" in result.stderr and mlp.read_text() == MLP


LINT_WITHOUT_LIBCST = """
import sys
from flake8.main.application import Application
app = Application()
app.run(["--extend-select=PRM9", "--param-budget=10", {path!r}])
assert app.result_count > 0, "the plugin did not run"
from paramlint.cli import main
main([{path!r}])
print("libcst" in sys.modules, "paramlint.rewrite.slots" in sys.modules)
"""


def test_flake8_and_the_lint_command_never_import_libcst(mlp: Path) -> None:
    pytest.importorskip("flake8")
    import subprocess

    from .helpers import SOURCE_ROOT

    result = subprocess.run([sys.executable, "-c", LINT_WITHOUT_LIBCST.format(path=str(mlp))], check=False,
                            capture_output=True, text=True, timeout=120,
                            env={"PYTHONPATH": SOURCE_ROOT, "PATH": "/usr/bin:/bin"})
    assert result.stdout.strip().splitlines()[-1] == "False False", result.stdout + result.stderr


def test_check_names_notebook_lines_by_cell(tmp_path: Path, capsys: Capture) -> None:
    cells = [{"cell_type": "markdown", "metadata": {}, "source": ["# title"]},
             {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
              "source": ["import torch.nn as nn\n", "m = nn.Sequential(\n", "    nn.Linear(2, 2),\n", ")"]}]
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1) + "\n")
    code, out, _ = run(capsys, "annotate", "--check", str(path))
    assert code == 1 and f"{path}:cell 2:line 3: annotation missing: '6 params'" in out


def test_write_goes_through_a_symlink_and_keeps_the_file_mode(mlp: Path, capsys: Capture) -> None:
    mlp.chmod(0o640)
    link = mlp.parent / "link.py"
    link.symlink_to(mlp.name)
    assert run(capsys, "annotate", "--write", str(link))[0] == 0
    assert link.is_symlink() and "# [paramlint] 40 params" in mlp.read_text()
    assert mlp.stat().st_mode & 0o777 == 0o640
