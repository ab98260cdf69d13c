"""The cheap test run on a file's text before anything is parsed: can this file create a model at all?

Kept free of the extractor and the engine, so that flake8 loads neither for a file without models.
"""
from __future__ import annotations

import re

# A Sequential by name, or, in a file that mentions a framework, something that constructs a layer or a model.
_SEQUENTIAL = "Sequential"
_FRAMEWORK = re.compile(r"\b(?:torch|keras|tf_keras)\b")
# That is: a Module/Model base, a call of a capitalised attribute (nn.Linear(, layers.Dense(), or
# layers imported by name from the frameworks' layer modules, under any of their names
# (keras.layers.core, tensorflow.compat.v1.keras.layers, tf_keras.layers). A file of Dataset classes has none.
_CONSTRUCTS = re.compile(r"Module|Model|\w\.[A-Z]\w*\s*\(|^\s*from\s+(?:torch|torch\.nn|(?:tensorflow(?:\.\w+)*\.|tf_)?keras"
                         r"(?:\.(?:src|api|_v[12]|layers|models|engine|core|convolutional|recurrent|pooling|normalization))*)\s+import", re.M)


def may_define_models(source: str) -> bool:
    """False only when the file certainly creates no model; cheap enough for every file flake8 sees."""
    if _SEQUENTIAL in source:
        return True
    return _FRAMEWORK.search(source) is not None and _CONSTRUCTS.search(source) is not None
