"""The cheap test run on a file's text before anything is parsed: can this file create a model at all?

Kept free of the extractor and the engine, so that flake8 loads neither for a file without models.
"""
from __future__ import annotations

import re

# A Sequential by name, or, in a file that mentions a framework, something that constructs a layer or a model.
_SEQUENTIAL = "Sequential"
_FRAMEWORK = re.compile(r"\b(?:torch|keras)\b")
# That is: a Module/Model base, a call of a capitalised attribute (nn.Linear(,
# layers.Dense(), or a layer imported by name from the frameworks' layer modules. A file of Dataset classes has none.
_CONSTRUCTS = re.compile(r"Module|Model|\w\.[A-Z]\w*\s*\(|^\s*from\s+(?:torch|torch\.nn|keras|keras\.layers|keras\.models|"
                         r"tensorflow\.keras|tensorflow\.keras\.layers|tensorflow\.keras\.models|tf_keras)\s+import", re.M)


def may_define_models(source: str) -> bool:
    """False only when the file certainly creates no model; cheap enough for every file flake8 sees."""
    if _SEQUENTIAL in source:
        return True
    return _FRAMEWORK.search(source) is not None and _CONSTRUCTS.search(source) is not None
