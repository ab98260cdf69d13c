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
    return Out(None, 0, 0, "no parameters")


for _name in (*LOSSES, *DISTANCES):
    register(f"torch.nn.{_name}")(_none)
