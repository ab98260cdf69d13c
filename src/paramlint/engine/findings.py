"""Typed outcomes of the engine: why a count is not exact, or why a model is inconsistent."""
from __future__ import annotations

from typing import Any


class Finding(Exception):
    """Base of every engine outcome that stops a layer from being counted exactly.

    ``kind`` is the stable key that ``lint.codes`` maps to a diagnostic code;
    ``fields`` holds the structured values the message template is built from.
    """

    kind = "finding"

    def __init__(self, line: int = 0, column: int = 0, **fields: Any) -> None:
        super().__init__(kind_and_fields(self.kind, fields))
        self.line = line
        self.column = column
        self.fields = fields

    def at(self, line: int, column: int) -> "Finding":
        """Attach a position if the finding does not carry one yet."""
        if not self.line:
            self.line, self.column = line, column
        return self


def kind_and_fields(kind: str, fields: dict[str, Any]) -> str:
    inner = ", ".join(f"{k}={v!r}" for k, v in fields.items())
    return f"{kind}({inner})"


class UnsupportedLayer(Finding):
    """The layer is not in the catalog: ``layer`` (qualified name)."""

    kind = "unsupported_layer"


class UnknownValue(Finding):
    """A value the count depends on is not known statically: ``what``, ``reason``."""

    kind = "unknown_value"


class NeedsInputShape(Finding):
    """A Keras layer needs the input shape, which the model does not give: ``layer``."""

    kind = "needs_input_shape"


class ImportNotFollowed(Finding):
    """A value comes from an import paramlint could not follow: ``what``, ``module``, ``reason``."""

    kind = "import_not_followed"


class LimitReached(Finding):
    """An analysis budget ran out: ``limit``, ``value``."""

    kind = "limit_reached"


class Mismatch(Finding):
    """A declared input size disagrees with the incoming shape: ``layer``, ``arg``, ``declared``, ``actual``."""

    kind = "mismatch"


class InvalidConfig(Finding):
    """An impossible configuration, as the framework would refuse it: ``layer``, ``reason``."""

    kind = "invalid_config"
