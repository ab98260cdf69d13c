"""The named parameters paramlint knows for torch layers are torch's own: same names, order and sizes."""
from __future__ import annotations

from typing import Any

import pytest

from paramlint.engine.stack import Counter
from paramlint.engine.torch.slots import slot_sizes
from paramlint.engine.values import Layer

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.oracle

CASES: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = [
    ("Linear", (3, 4), {}), ("Linear", (3, 4), {"bias": False}), ("Conv2d", (3, 4, 3), {}),
    ("ConvTranspose1d", (3, 4, 3), {"bias": False}), ("Bilinear", (2, 3, 4), {}), ("Embedding", (5, 3), {}),
    ("PReLU", (), {"num_parameters": 3}), ("LSTM", (4, 5, 2), {"bidirectional": True, "proj_size": 2}),
    ("GRU", (4, 5), {"bias": False}), ("RNN", (4, 5, 3), {}), ("LSTMCell", (3, 4), {}), ("GRUCell", (3, 4), {"bias": False}),
    ("MultiheadAttention", (8, 2), {"kdim": 3, "vdim": 5, "add_bias_kv": True}), ("MultiheadAttention", (8, 2), {}),
    ("TransformerEncoderLayer", (8, 2, 16), {}), ("TransformerDecoderLayer", (8, 2, 16), {"bias": False}),
    ("LayerNorm", (6,), {"bias": False}), ("BatchNorm2d", (4,), {}), ("GroupNorm", (2, 4), {}), ("RMSNorm", (4,), {}),
    ("ReLU", (), {}), ("Transformer", (8, 2, 1, 2, 16), {}),
    ("Transformer", (), {"d_model": 4, "nhead": 1, "bias": False, "num_encoder_layers": 1, "num_decoder_layers": 1}),
]


ENCODER = Layer("torch.nn.TransformerEncoderLayer", (8, 2, 16))


def test_stacked_layers_are_named_as_torch_names_them() -> None:
    with torch.device("meta"):
        module = torch.nn.TransformerEncoder(torch.nn.TransformerEncoderLayer(8, 2, 16), 2, torch.nn.LayerNorm(8))
    layer = Layer("torch.nn.TransformerEncoder", (ENCODER, 2), {"norm": Layer("torch.nn.LayerNorm", (8,))})
    sizes = slot_sizes(layer, Counter("torch").run(layer, None))
    assert sizes is not None and list(sizes.items()) == [(n, p.numel()) for n, p in module.named_parameters()]


@pytest.mark.parametrize(("cls", "args", "kwargs"), CASES, ids=[f"{c}-{i}" for i, (c, _, _) in enumerate(CASES)])
def test_slots_are_torchs_named_parameters(cls: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    with torch.device("meta"):
        module = getattr(torch.nn, cls)(*args, **kwargs)
    want = [(name, p.numel()) for name, p in module.named_parameters()]
    layer = Layer(f"torch.nn.{cls}", args, kwargs)
    sizes = slot_sizes(layer, Counter("torch").run(layer, None))
    assert sizes is not None and list(sizes.items()) == want
