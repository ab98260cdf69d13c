"""Every builder ``torchvision.models.list_models()`` returns, counted by paramlint from torchvision's installed
source (read, never imported), equals torch building it (meta device, ``weights=None``; a default that would
download a backbone's weights builds the structure it builds, and downloads nothing).

A user file per torchvision module builds each of its builders the way users write it; the usual fine-tuning
recipes are checked the same way. A builder listed in ``INCOMPLETE`` must be reported incomplete with a reason,
never with a number torch would not give; one not listed must be exact.
"""
from __future__ import annotations

import importlib
import importlib.util
from pathlib import Path
from typing import Any

import pytest


from .torch_oracle import counts, import_torchvision
from .user_file import analyze_user_file

pytest.importorskip("torch")
if importlib.util.find_spec("torchvision") is None:
    pytest.skip("torchvision is not installed", allow_module_level=True)
pytestmark = pytest.mark.oracle

torchvision = import_torchvision()
_PUBLIC = ("models", "models.quantization", "models.detection", "models.segmentation", "models.optical_flow", "models.video")


def _builders() -> dict[str, tuple[str, str, str]]:
    """name -> (the public module users import it from, the function's name, the module that defines it)."""
    out: dict[str, tuple[str, str, str]] = {}
    for public in _PUBLIC:
        module = importlib.import_module(f"torchvision.{public}")
        for name in torchvision.models.list_models(module=module):
            fn = torchvision.models.get_model_builder(name)
            out.setdefault(name, (module.__name__, fn.__name__, fn.__module__))
    return out


BUILDERS = _builders()
# a user file per builder: one analysis has one step budget, and a freeze it cannot place makes every split of the
# file unknown, so builders sharing a file would answer for each other
GROUPS = {name: [name] for name in sorted(BUILDERS)}

# Builders paramlint reports incomplete, and why (grouped by cause); never counted wrong. None today: a builder that
# becomes incomplete must be listed here with its cause.
INCOMPLETE: dict[str, str] = {}


def test_every_builder_is_checked() -> None:
    assert len(BUILDERS) >= 100 and sorted(n for names in GROUPS.values() for n in names) == sorted(BUILDERS)
    assert set(INCOMPLETE) <= set(BUILDERS), sorted(set(INCOMPLETE) - set(BUILDERS))


@pytest.mark.parametrize("group", GROUPS)
def test_builders_count_like_torch(group: str, tmp_path: Path) -> None:
    names = GROUPS[group]
    imports = sorted({BUILDERS[n][0] for n in names})
    lines = [f"import {m}" for m in imports] + [""]
    line_of: dict[int, str] = {}
    for name in names:
        public, fn, _ = BUILDERS[name]
        lines.append(f"model_{name} = {public}.{fn}(weights=None)")
        line_of[len(lines)] = name
    report = analyze_user_file(tmp_path, "\n".join(lines) + "\n")
    # each under the name it is bound to (a builder's working models, a backbone it took apart, have their own)
    reported = {(m.line, m.name): m for m in report.models if m.outermost}
    wrong = []
    for line, name in line_of.items():
        public, fn, _ = BUILDERS[name]
        want = counts(lambda: getattr(importlib.import_module(public), fn)(weights=None))
        model = reported.get((line, f"model_{name}"))
        if model is None:
            wrong.append(f"{name}: not reported")
        elif name in INCOMPLETE:
            if model.complete or not model.problems or model.total not in (None, want[0]):
                wrong.append(f"{name}: expected incomplete ({INCOMPLETE[name]}), got {model.total}/{model.trainable} complete={model.complete}")
        elif not model.complete:
            wrong.append(f"{name}: incomplete: {[p.message for p in model.problems][:2]}")
        elif (model.total, model.trainable) != want:
            wrong.append(f"{name}: WRONG {model.total}/{model.trainable}, torch {want[0]}/{want[1]}")
    assert not wrong, "\n".join(wrong)


RECIPES = [
    pytest.param("import torch.nn as nn\nfrom torchvision.models import resnet18\n\n"
                 "model = resnet18(weights=None)\nmodel.fc = nn.Linear(model.fc.in_features, 10)\n", id="replace the head"),
    pytest.param("import torch.nn as nn\nimport torchvision\n\nmodel = torchvision.models.resnet50(weights=None)\n"
                 "for p in model.parameters():\n    p.requires_grad = False\nmodel.fc = nn.Linear(model.fc.in_features, 3)\n",
                 id="freeze the backbone, train a new head"),
    pytest.param("import torch.nn as nn\nfrom torchvision import models\n\n"
                 "model = models.mobilenet_v2(weights=None)\nmodel.classifier[1] = nn.Linear(model.last_channel, 5)\n",
                 id="replace an item of the classifier"),
    pytest.param("from torchvision.models import vgg11_bn\n\nmodel = vgg11_bn(pretrained=False, num_classes=4)\n",
                 id="the legacy pretrained= keyword"),
    pytest.param("from torchvision.models import get_model\n\nmodel = get_model(\"resnet34\", weights=None, num_classes=7)\n",
                 id="by name, through the registry"),
]


@pytest.mark.parametrize("source", RECIPES)
def test_recipe_counts_like_torch(source: str, tmp_path: Path) -> None:
    report = analyze_user_file(tmp_path, source)

    def build() -> Any:
        namespace: dict[str, Any] = {}
        exec(compile(source, "train.py", "exec"), namespace)  # noqa: S102 - our own recipe
        return namespace["model"]

    models = [m for m in report.models if m.outermost and m.name == "model"]
    assert len(models) == 1, [(m.name, m.line) for m in report.models]
    assert models[0].complete, [p.message for p in models[0].problems]
    assert (models[0].total, models[0].trainable) == counts(build)
