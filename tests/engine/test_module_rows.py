"""User-defined modules (Layer kind "module"): submodules counted each on its own, shared ones once."""
from __future__ import annotations

from paramlint.engine import Layer, Unknown, count_stack


def test_a_module_sums_its_submodules_and_hides_no_shape() -> None:
    block = Layer("Block", kind="module", children=[("fc", Layer("torch.nn.Linear", (4, 8))), ("act", Layer("torch.nn.ReLU"))])
    counted = count_stack("torch", [(None, block)], (4,))
    [row] = counted.rows
    assert (row.type, row.params, row.output_shape) == ("Block", 40, None)
    assert [c.params for c in row.children] == [40, 0]


def test_a_submodule_shared_with_the_stack_is_counted_once() -> None:
    fc = Layer("torch.nn.Linear", (4, 4))
    block = Layer("Block", kind="module", children=[("fc", fc)])
    counted = count_stack("torch", [(None, fc), (None, block)], None)
    assert counted.total == 20 and [r.params for r in counted.rows] == [20, 0]


def test_an_unknown_attribute_keeps_the_module_incomplete() -> None:
    block = Layer("Block", kind="module", children=[("fc", Layer("torch.nn.Linear", (4, 4))), ("x", Unknown("self.x is not known"))])
    counted = count_stack("torch", [(None, block)], None)
    assert not counted.complete and counted.total is None and counted.problems


def test_a_parameter_counts_its_elements_and_its_grad_flag() -> None:
    block = Layer("Stem", kind="module", children=[
        ("token", Layer("torch.nn.Parameter", ((1, 1, 8),), {"requires_grad": True})),
        ("scale", Layer("torch.nn.Parameter", ((8,),), {"requires_grad": False})),
        ("bias", Layer("torch.nn.Parameter", ((),), {})),
    ])
    counted = count_stack("torch", [(None, block)], None)
    assert (counted.total, counted.trainable, counted.non_trainable) == (17, 9, 8)
