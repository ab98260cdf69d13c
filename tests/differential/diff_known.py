"""Known discrepancies between paramlint and the frameworks, masked from the random tests.

Each has a minimal ``xfail(strict=True)`` test in test_known_discrepancies.py: when paramlint is
fixed, that test passes, strict xfail turns it into a failure, and whoever fixed it deletes the
xfail *and* the mask here, so the random tests cover the case again.
"""
from __future__ import annotations

from typing import Optional

from diff_model import ModelDesc

# K1 (alias row type) is masked in diff_check.known_alias_type: it only affects the row's type name.


def known_issue(model: ModelDesc) -> Optional[str]:
<<<<<<< HEAD
    """The known discrepancy this model would hit, or None. (K2/K3, the wrappers' and ConvLSTM's
    trainable=False, are no longer masked: paramlint reports Keras's model-level split.)"""
=======
    """The known discrepancy this model would hit, or None."""
    for desc in model.all_layers():
        frozen = desc.kwargs.get("trainable") is False
        if frozen and desc.cls in ("ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D"):
            return "K2: ConvLSTM*(trainable=False) split"
        if frozen and desc.cls in ("Bidirectional", "TimeDistributed", "RNN", "SpectralNormalization"):
            return "K3: wrapper(trainable=False) left uncounted"
>>>>>>> h-kcat
    return None
