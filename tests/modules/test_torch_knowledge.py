"""What paramlint knows of torch's classes without importing torch, checked against the installed torch."""
from __future__ import annotations

import importlib

import pytest

import paramlint.engine.torch  # noqa: F401 - registers the torch specs
from paramlint.engine.spec import REGISTRY
from paramlint.extract.libs import torch as torch_lib

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.oracle


def _class(qualname: str) -> object:
    module, _, name = qualname.rpartition(".")
    return getattr(importlib.import_module(module), name, None)


def test_subclasses_among_the_layers_paramlint_knows() -> None:
    """``isinstance(layer, nn.X)`` between two torch.nn layers is decided by SUBCLASS_OF: torch's class tree."""
    classes = {q: c for q in REGISTRY if q.startswith("torch.nn.") and isinstance(c := _class(q), type)}
    derived = {(a, b) for a, ca in classes.items() for b, cb in classes.items() if a != b and issubclass(ca, cb)}  # type: ignore[arg-type]
    assert derived == set(torch_lib.SUBCLASS_OF.items())


def test_names_of_torch_modules() -> None:
    """A name (dunders aside) not in MODULE_ATTRIBUTES is one an nn.Module (or container) instance does not have."""
    names = set()
    for cls in (torch.nn.Module, torch.nn.Sequential, torch.nn.ModuleList, torch.nn.ModuleDict):
        names |= {n for n in dir(cls()) if not n.startswith("__")}
    assert names == set(torch_lib.MODULE_ATTRIBUTES)
