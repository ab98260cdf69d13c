"""Test-wide setup: Keras runs on the torch backend (its numpy backend needs jax); every message is scanned."""
import os
from typing import Any

import pytest

os.environ.setdefault("KERAS_BACKEND", "torch")

from paramlint.lint import codes  # noqa: E402

from tests.messages import internal  # noqa: E402

# Every diagnostic message built in this process, whatever test built it (issue 11: no internal repr reaches a user).
LEAKED: set[str] = set()
_message = codes.Code.message


def _scanned(self: codes.Code, fields: Any) -> str:
    text = _message(self, fields)
    if internal(text):
        LEAKED.add(f"{self.code} {text}")
    return text


codes.Code.message = _scanned  # type: ignore[method-assign]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if LEAKED:
        print("\nmessages that show paramlint's internals to the user:\n" + "\n".join(sorted(LEAKED)[:30]))
        session.exitstatus = 1
