"""Builds a library's models with the real torch, without downloading or allocating weights: the oracle the
library tests compare paramlint with.

Parameters are made on the meta device (torch's factories are sent there), while the plain tensor arithmetic
some builders size their layers with (``torch.arange(...).tolist()``) still runs for real. A default that would
load pretrained weights builds the structure it builds, and loads nothing.
"""
from __future__ import annotations

import contextlib
import sys
from typing import Any, Callable, Iterator

import torch
from torch.overrides import TorchFunctionMode

_FACTORIES = frozenset({torch.empty, torch.zeros, torch.ones, torch.randn, torch.rand, torch.full, torch.empty_strided})


class _ParametersOnMeta(TorchFunctionMode):
    """torch's tensor factories, when no device is asked for, allocate on the meta device."""

    def __torch_function__(self, func: Any, types: Any, args: Any = (), kwargs: Any = None) -> Any:
        kwargs = dict(kwargs or {})
        if func in _FACTORIES and kwargs.get("device") is None:
            kwargs["device"] = "meta"
        return func(*args, **kwargs)


@contextlib.contextmanager
def _no_downloads() -> Iterator[None]:
    """Loading a state dict is a no-op and fetching one returns nothing: what is built is the structure only."""
    import torch.hub

    patched: list[tuple[Any, str, Any]] = [(torch.nn.Module, "load_state_dict", lambda self, *args, **kwargs: None)]
    for module in list(sys.modules.values()):  # every module that imported the download function by name
        if getattr(module, "load_state_dict_from_url", None) is torch.hub.load_state_dict_from_url:
            patched.append((module, "load_state_dict_from_url", lambda *args, **kwargs: {}))
    saved = [(owner, name, getattr(owner, name)) for owner, name, _ in patched]
    for owner, name, value in patched:
        setattr(owner, name, value)
    try:
        yield
    finally:
        for owner, name, value in saved:
            setattr(owner, name, value)


def counts(build: Callable[[], Any]) -> tuple[int, int]:
    """(total, trainable) of the module ``build()`` returns, counted as torch counts them."""
    with _no_downloads(), _ParametersOnMeta():
        model = build()
    params = list(model.parameters())
    return sum(p.numel() for p in params), sum(p.numel() for p in params if p.requires_grad)


def import_torchvision() -> Any:
    """``import torchvision`` with a CPU-only torch: the wheel registers fake kernels for its C++ operators
    (nms, roi_align), which fails where the operators were not loaded; those registrations are skipped."""
    import torch.library

    register_fake = torch.library.register_fake

    def register_existing(op: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(op, str) and "::" in op:
            try:
                torch._C._dispatch_find_schema_or_throw(op, "")
            except RuntimeError:
                return lambda fn: fn
        return register_fake(op, *args, **kwargs)

    torch.library.register_fake = register_existing
    try:
        import torchvision
    finally:
        torch.library.register_fake = register_fake
    return torchvision
