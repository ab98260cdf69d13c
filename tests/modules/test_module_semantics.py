"""nn.Module classes written the way real projects write them, each counted by paramlint and by torch.

Every module-level ``nn.Module`` value of a case is a model paramlint must report under that name, with
torch's exact total and trainable split; the names listed on the case's ``# incomplete:`` line must be
reported incomplete instead (never a number torch would not give).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from paramlint.lint.analyze import analyze

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.oracle

CASES = sorted((Path(__file__).parent / "cases").glob("*.py"))


def _torch_counts(path: Path) -> dict[str, tuple[int, int]]:
    code = compile(path.read_text(), str(path), "exec")
    namespace: dict[str, Any] = {"__name__": "__main__"}
    try:
        with torch.device("meta"):  # counts without allocating
            exec(code, namespace)  # noqa: S102 - our own test cases
    except NotImplementedError:  # .to(device) cannot copy out of meta tensors
        namespace = {"__name__": "__main__"}
        exec(code, namespace)  # noqa: S102
    out = {}
    for name, value in namespace.items():
        if isinstance(value, torch.nn.Module) and not name.startswith("_"):
            params = list(value.parameters())
            out[name] = (sum(p.numel() for p in params), sum(p.numel() for p in params if p.requires_grad))
    return out


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_every_module_matches_torch(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.argv", [path.name])  # argparse in a case reads its defaults, not pytest's arguments
    source = path.read_text()
    listed = re.search(r"^# incomplete: (.*)$", source, re.M)
    incomplete = {n.strip() for n in listed.group(1).split(",")} if listed else set()
    report = analyze(source, path=str(path))
    assert report.error is None and not report.notes, (report.error, report.notes)
    models = {m.name: m for m in report.models if m.outermost}
    for name, (total, trainable) in _torch_counts(path).items():
        if name in {"shared_emb"}:
            continue
        assert name in models, f"{name} is not reported; got {sorted(models)}"
        model = models[name]
        assert model.kind == "module" or model.kind == "sequential"
        if name in incomplete:
            assert not model.complete and model.problems, name
            assert model.total in (None, total), name
            continue
        assert model.complete, (name, [p.message for p in model.problems])
        assert (model.total, model.trainable) == (total, trainable), name
        assert sum(r.params or 0 for r in model.rows) == model.total, f"{name}: the rows add up to the total"


def _recorder(seen: dict[str, tuple[int, ...]], name: str) -> Any:
    def hook(module: Any, inputs: Any, output: Any) -> None:
        seen.setdefault(name, tuple(output.shape))

    return hook


SHAPED = [p for p in CASES if "input-shape=" in p.read_text()]


@pytest.mark.parametrize("path", SHAPED, ids=lambda p: p.stem)
def test_output_shapes_match_torch(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where paramlint gives a child's output shape (its forward() followed), torch's forward gives the same."""
    monkeypatch.setattr("sys.argv", [path.name])
    report = analyze(path.read_text(), path=str(path))
    shaped = [m for m in report.models if m.outermost and m.kind == "module" and m.input_shape is not None]
    assert shaped, "the case gives a module an input shape"
    namespace: dict[str, Any] = {"__name__": "__main__"}
    with torch.device("meta"):
        exec(compile(path.read_text(), str(path), "exec"), namespace)  # noqa: S102 - our own test cases
        for model in shaped:
            net = namespace[model.name]
            seen: dict[str, tuple[int, ...]] = {}
            for name, child in net.named_children():
                child.register_forward_hook(_recorder(seen, name))
            out = net(torch.zeros(2, *model.input_shape))
            assert model.output_shape == tuple(out.shape[1:]), model.name
            for row in model.rows:
                assert row.output_shape is not None, f"{model.name}.{row.name}: shape not followed"
                if row.name in seen:
                    assert row.output_shape == seen[row.name][1:], f"{model.name}.{row.name}"
