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
    """The known discrepancy this model would hit, or None. (K2/K3, the wrappers', RNN's and ConvLSTM's
    trainable=False, are no longer masked: paramlint reports Keras's model-level split.)"""
    return None
