"""Minimal files where the random module suite caught paramlint disagreeing with torch, kept as fast regressions.

Each source is executed with torch; every module model paramlint reports at the top level under a variable of
the file must be complete, without problems, and have torch's total, split and rows (test_diff_modules.py's
contract). No expected number is written here: torch is the oracle. A case paramlint gets wrong stays red
until it is fixed; none of them is a torch quirk or a count that cannot be known statically.
"""

from __future__ import annotations

import textwrap

import pytest

torch = pytest.importorskip("torch")

from diff_modules_oracle import exec_module_source, facts  # noqa: E402

pytestmark = [pytest.mark.oracle, pytest.mark.filterwarnings("ignore")]

CASES = {
    # a parameter tied across two children belongs to the row where named_parameters() meets it first
    # a tie to a parameter inside a composite torch layer (attn.out_proj.weight) is counted once
    "tie_to_a_parameter_inside_a_torch_layer": """
        from torch import nn
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.proj = nn.Linear(8, 8)
                self.attn = nn.MultiheadAttention(8, 2)
                self.proj.weight = self.attn.out_proj.weight
        net = Net()
    """,
    "tie_row_is_the_first_registered": """
        from torch import nn
        class Block(nn.Module):
            def __init__(self):
                super().__init__()
                self.emb = nn.Embedding(3, 8)
                self.proj = nn.Linear(8, 3)
                self.emb.weight = self.proj.weight
        block = Block()
    """,
    # a freeze through the module a tied parameter was assigned to freezes it in both holders
    "freeze_through_the_tied_receiver": """
        from torch import nn
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.emb = nn.Embedding(11, 4)
                self.out = nn.Linear(4, 11)
                self.emb.weight = self.out.weight
        net = Net()
        for p in net.emb.parameters():
            p.requires_grad = False
    """,
    # freezing parts of a torch layer by the names torch gives them
    "freeze_parameter_of_a_torch_layer": """
        from torch import nn
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.attn = nn.MultiheadAttention(8, 1)
        net = Net()
        net.attn.in_proj_bias.requires_grad_(False)
    """,
    "freeze_submodule_of_a_torch_layer": """
        from torch import nn
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.attn = nn.MultiheadAttention(8, 1)
        net = Net()
        net.attn.out_proj.requires_grad_(False)
    """,
    "freeze_rnn_bias_in_a_sequential": """
        from torch import nn
        model = nn.Sequential(nn.LSTM(4, 4))
        model[0].bias_hh_l0.requires_grad_(False)
    """,
    # the module holding a tied parameter is replaced or deleted: the other holder keeps it (knowable, refused)
    "tied_module_replaced": """
        from torch import nn
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.emb = nn.Embedding(11, 4)
                self.out = nn.Linear(4, 11, bias=False)
                self.emb.weight = self.out.weight
        net = Net()
        net.out = nn.Linear(4, 2)
    """,
    "tied_module_deleted": """
        from torch import nn
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.emb = nn.Embedding(11, 4)
                self.out = nn.Linear(4, 11, bias=False)
                self.emb.weight = self.out.weight
        net = Net()
        del net.out
    """,
    # statically knowable, counted as incomplete
    "named_parameters_freeze_over_a_composite_layer": """
        from torch import nn
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.body = nn.TransformerEncoderLayer(8, 1, 4)
                self.head = nn.Linear(4, 2)
        net = Net()
        for name, p in net.named_parameters():
            if name.startswith("body."):
                p.requires_grad = False
    """,
    "named_parameters_freeze_beside_a_prelu": """
        from torch import nn
        model = nn.Sequential(nn.PReLU(4), nn.Linear(4, 4))
        for name, p in model.named_parameters():
            if name.startswith("1."):
                p.requires_grad = False
    """,
    "config_or_default": """
        from dataclasses import dataclass
        import torch.nn as nn
        @dataclass
        class Config:
            d: int = 12
        class Model(nn.Module):
            def __init__(self, cfg=None):
                super().__init__()
                cfg = cfg or Config()
                self.norm = nn.LayerNorm(cfg.d)
        model = Model()
        other = Model(Config(d=4))
    """,
    "module_dict_from_pairs": """
        from torch import nn
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.heads = nn.ModuleDict([("a", nn.Linear(4, 2)), ("b", nn.Linear(4, 3))])
        net = Net()
    """,
    # a module registered under two names: the second row says which it shares, even with nothing to count
    "alias_of_an_empty_container": """
        from torch import nn
        class Block(nn.Module):
            def __init__(self):
                super().__init__()
                self.body = nn.Sequential()
                self.again = self.body
        block = Block()
    """,
}


def disagreements(source: str) -> list[str]:
    from paramlint.lint.analyze import analyze

    namespace = exec_module_source(source)
    report = analyze(source, path="gen.py")
    out: list[str] = []
    checked = 0
    for m in report.models:
        net = namespace.get(m.name)
        if m.part_of is not None or not isinstance(net, torch.nn.Module):
            continue
        checked += 1
        want = facts(net)
        if not m.complete or m.problems:
            out.append(f"{m.name}: complete={m.complete} " + "; ".join(f"{p.code} {p.message}" for p in m.problems))
        for key in ("total", "trainable", "non_trainable"):
            if getattr(m, key) != getattr(want, key):
                out.append(f"{m.name}: {key} {getattr(m, key)}, torch {getattr(want, key)}")
        rows = {r.name: r for r in m.rows}
        if sorted(rows) != sorted(w.name for w in want.rows):
            out.append(f"{m.name}: rows {sorted(rows)}, torch {sorted(w.name for w in want.rows)}")
            continue
        for w in want.rows:
            g = rows[w.name]
            got = (g.params, g.trainable, g.non_trainable)
            if got != (w.params, w.trainable, w.non_trainable):
                out.append(f"{m.name}.{w.name}: {got}, torch {(w.params, w.trainable, w.non_trainable)}")
            if w.alias_of is not None and g.shared_with is None:
                out.append(f"{m.name}.{w.name}: the same module as {w.alias_of!r}, shared_with not set")
    if not checked:
        out.append(f"no model reported for the file's variables: {[m.name for m in report.models]}")
    return out


@pytest.mark.parametrize("name", sorted(CASES))
def test_module_regression(name: str) -> None:
    source = textwrap.dedent(CASES[name])
    problems = disagreements(source)
    assert not problems, "\n".join([*problems, source])
