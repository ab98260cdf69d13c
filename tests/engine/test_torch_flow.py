"""Sizes flowing between PyTorch layers when no input shape is given (engine/torch/flow.py)."""
from __future__ import annotations

from paramlint.engine import Layer, Mismatch, count_stack


def _problems(*layers: Layer) -> list[tuple[str, int, int]]:
    counted = count_stack("torch", [(None, layer) for layer in layers], None)
    return [(p.fields["arg"], p.fields["declared"], p.fields["actual"]) for p in counted.problems if isinstance(p, Mismatch)]


def test_features_flow_through_elementwise_layers() -> None:
    layers = (Layer("torch.nn.Linear", (10, 20)), Layer("torch.nn.ReLU"), Layer("torch.nn.Dropout"), Layer("torch.nn.Linear", (30, 5)))
    assert _problems(*layers) == [("in_features", 30, 20)]


def test_channels_flow_through_norms_and_pools() -> None:
    layers = (Layer("torch.nn.Conv2d", (3, 16, 3)), Layer("torch.nn.BatchNorm2d", (16,)), Layer("torch.nn.MaxPool2d", (2,)),
              Layer("torch.nn.Conv2d", (8, 4, 3)))
    assert _problems(*layers) == [("in_channels", 8, 16)]


def test_a_layer_that_reshapes_stops_the_flow() -> None:
    assert _problems(Layer("torch.nn.Conv2d", (3, 16, 3)), Layer("torch.nn.Flatten"), Layer("torch.nn.Linear", (99, 2))) == []


def test_consistent_stacks_have_no_problem() -> None:
    layers = (Layer("torch.nn.Linear", (10, 20)), Layer("torch.nn.BatchNorm1d", (20,)), Layer("torch.nn.LayerNorm", (20,)), Layer("torch.nn.Linear", (20, 1)))
    assert _problems(*layers) == []


def test_batchnorm1d_checks_features_after_linear() -> None:
    assert _problems(Layer("torch.nn.Linear", (10, 20)), Layer("torch.nn.BatchNorm1d", (21,))) == [("num_features", 21, 20)]


def test_with_an_input_shape_the_shapes_decide_not_the_flow() -> None:
    counted = count_stack("torch", [(None, Layer("torch.nn.Linear", (10, 20))), (None, Layer("torch.nn.Linear", (30, 5)))], (10,))
    assert [p.fields["declared"] for p in counted.problems] == [30]  # one problem, not two
