"""A model the file uses but paramlint cannot follow (loaded from a file, made by a call not evaluated, by a package
not installed) is reported, not counted, with the reason and the line; it never passes in silence. A value used as
no model (a loop's layers, a run logger) is no model."""
from __future__ import annotations

import json
from pathlib import Path

from tests.cli_runner import run_cli

LOADED = """\
import torch
import torch.nn as nn

model = torch.load("model.pt", weights_only=False)
model.eval()
for p in model.parameters():
    p.requires_grad = False
model.fc = nn.Linear(512, 3)
"""


def test_a_model_loaded_from_a_file_is_reported_not_counted(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text(LOADED)
    done = run_cli("m.py", "--format=json", cwd=tmp_path)
    (model,) = json.loads(done.stdout)["models"]
    assert (model["name"], model["line"], model["complete"], model["total"]) == ("model", 4, False, None)
    assert any(p["code"] == "PRM302" and p["line"] == 4 and "loaded at run time" in p["message"] for p in model["problems"])


def test_a_declared_count_completes_it_unless_the_file_changes_it(tmp_path: Path) -> None:
    declared = 'model = torch.load("model.pt")  # paramlint: params=11.2M\n'
    (tmp_path / "m.py").write_text("import torch\n\n" + declared + "optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)\n")
    done = run_cli("m.py", "--format=json", "--param-budget=10M", cwd=tmp_path)
    (model,) = json.loads(done.stdout)["models"]
    assert (model["complete"], model["total"], [p["code"] for p in model["problems"]]) == (True, 11_200_000, ["PRM101"])
    (tmp_path / "m.py").write_text(LOADED.replace('model = torch.load("model.pt", weights_only=False)\n', declared))
    (model,) = json.loads(run_cli("m.py", "--format=json", cwd=tmp_path).stdout)["models"]
    assert model["total"] is None and any(p["line"] == 8 and "'.fc' is set" in p["message"] for p in model["problems"])


def test_values_used_as_no_model_are_no_models(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text(
        "import keras\nimport torch\n\nbase = keras.models.load_model('base.keras')\n"
        "for layer in base.layers[:10]:\n    layer.trainable = False\n"
        "state = torch.load('ckpt.pt')\nnet = torch.nn.Linear(3, 4)\nnet.load_state_dict(state['net'])\n")
    done = run_cli("m.py", "--format=json", cwd=tmp_path)
    assert [m["name"] for m in json.loads(done.stdout)["models"]] == ["net"]
