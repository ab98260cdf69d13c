"""The cheap test run on a file's text before anything is parsed: can this file create a model at all?

Kept free of the extractor and the engine, so that flake8 loads neither for a file without models. A file
that imports another module it may read (the project's own, an installed package) and calls something passes:
what it calls may build a model.
"""
from __future__ import annotations

import re

# A Sequential by name, or, in a file that mentions a framework, something that constructs a layer or a model.
_SEQUENTIAL = "Sequential"
_FRAMEWORK = re.compile(r"\b(?:torch|keras|tf_keras)\b")
# That is: a Module/Model base, a call of a capitalised attribute (nn.Linear(, layers.Dense(), or
# layers imported by name from the frameworks' layer modules, under any of their names
# (keras.layers.core, tensorflow.compat.v1.keras.layers, tf_keras.layers), or applications (keras.applications.resnet50,
# keras.src.applications.mobilenet_v2). A file of Dataset classes has none.
_CONSTRUCTS = re.compile(r"Module|Model|\w\.[A-Z]\w*\s*\(|^\s*from\s+(?:torch|torch\.nn|(?:tensorflow(?:\.\w+)*\.|tf_)?keras"
                         r"(?:\.(?:src|api|_v[12]|layers|models|engine|core|convolutional|recurrent|pooling|normalization|applications(?:\.\w+)?))*)"
                         r"\s+import", re.M)


# An import paramlint may follow into another file (the project's modules, installed packages), and a call.
_IMPORT = re.compile(r"^[ \t]*(?:from[ \t]+(\.+[\w.]*|[\w.]+)[ \t]+import\b|import[ \t]+([\w., \t]+))", re.M)
_CALL = re.compile(r"\w\s*\(")


def may_define_models(source: str) -> bool:
    """False only when the file certainly creates no model; cheap enough for every file flake8 sees."""
    if _SEQUENTIAL in source:
        return True
    if _FRAMEWORK.search(source) is not None and _CONSTRUCTS.search(source) is not None:
        return True
    return _CALL.search(source) is not None and any(_followed(m) for m in _IMPORT.finditer(source))


def _followed(match: "re.Match[str]") -> bool:
    """An import of a module whose source may be read: relative, or not a framework nor the standard library."""
    from .finder import FRAMEWORK_ROOTS, STDLIB_ROOTS  # small and pure: no extractor, no engine

    names = [match.group(1)] if match.group(1) else [n.split(" as ")[0] for n in match.group(2).split(",")]
    for name in names:
        name = name.strip()
        if name.startswith(".") or name and name.split(".")[0] not in FRAMEWORK_ROOTS | STDLIB_ROOTS:
            return True
    return False
