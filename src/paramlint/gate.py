"""The cheap test run on a file's text before anything is parsed: can this file create a model at all?

Kept free of the extractor and the engine, so that flake8 loads neither for a file without models.
"""
from __future__ import annotations

import re

# A Sequential by name, or a class with bases in a file that mentions a framework (an nn.Module subclass).
_SEQUENTIAL = "Sequential"
_FRAMEWORK = re.compile(r"\b(?:torch|keras)\b")
_CLASS_WITH_BASES = re.compile(r"^[ \t]*class[ \t]+\w+[ \t]*\([ \t]*[\w.]", re.M)


def may_define_models(source: str) -> bool:
    """False only when the file certainly creates no model; cheap enough for every file flake8 sees."""
    if _SEQUENTIAL in source:
        return True
    return _FRAMEWORK.search(source) is not None and _CLASS_WITH_BASES.search(source) is not None
