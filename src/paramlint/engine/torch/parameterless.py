"""torch.nn modules that hold no parameters and are not layers of a stack: losses and distances.

Their ``weight`` / ``pos_weight`` arguments are buffers, not parameters, so a module that keeps one as an
attribute (``self.criterion = nn.CrossEntropyLoss()``) gains nothing from it.
"""
from __future__ import annotations

from ..spec import Call, Out, register

LOSSES = (
    "BCELoss", "BCEWithLogitsLoss", "CTCLoss", "CosineEmbeddingLoss", "CrossEntropyLoss", "GaussianNLLLoss",
    "HingeEmbeddingLoss", "HuberLoss", "KLDivLoss", "L1Loss", "MSELoss", "MarginRankingLoss",
    "MultiLabelMarginLoss", "MultiLabelSoftMarginLoss", "MultiMarginLoss", "NLLLoss", "PoissonNLLLoss",
    "SmoothL1Loss", "SoftMarginLoss", "TripletMarginLoss", "TripletMarginWithDistanceLoss",
)
DISTANCES = ("CosineSimilarity", "PairwiseDistance")


def _none(c: Call) -> Out:
    """No parameters; the output (a loss, a distance) takes two inputs, so its shape is not followed."""
    return Out(None)


for _name in (*LOSSES, *DISTANCES):
    register(f"torch.nn.{_name}")(_none)


# Quantization stubs and the module that holds quantized arithmetic: no parameters (observers hold buffers);
# a float model (not converted) passes its input through. The canonical names, and where torch defines each.
QUANTIZATION = {
    "torch.ao.quantization.QuantStub": "torch.ao.quantization.QuantStub",
    "torch.ao.quantization.DeQuantStub": "torch.ao.quantization.DeQuantStub",
    "torch.quantization.QuantStub": "torch.ao.quantization.QuantStub",
    "torch.quantization.DeQuantStub": "torch.ao.quantization.DeQuantStub",
    "torch.nn.FloatFunctional": "torch.ao.nn.quantized.FloatFunctional",  # torch.nn.quantized.FloatFunctional
    "torch.ao.nn.quantized.FloatFunctional": "torch.ao.nn.quantized.FloatFunctional",
}


def _stub(c: Call) -> Out:
    """No parameters; a stub of a float model returns its input (FloatFunctional is not called on one)."""
    return Out(c.input)


for _name in QUANTIZATION:
    register(_name)(_stub)
