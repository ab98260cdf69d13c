"""Where each library's behaviour is looked up: handlers registered by qualified name, and by method.

A handler for a call is ``fn(it, args, kwargs, node) -> value``; a method handler also takes the object:
``fn(it, obj, args, kwargs, node)``. The modules in ``libs/`` register them (one module per library).
"""
from __future__ import annotations

from typing import Any, Callable, Optional

Handler = Callable[..., Any]

FUNCTIONS: dict[str, Handler] = {}  # qualified name (canonical) -> handler
BUILTINS: dict[str, Handler] = {}  # Python builtin name -> handler
METHODS: dict[tuple[str, str], Handler] = {}  # (value kind, method name) -> handler


def function(*qualnames: str) -> Callable[[Handler], Handler]:
    def deco(fn: Handler) -> Handler:
        for name in qualnames:
            assert name not in FUNCTIONS, f"handler registered twice: {name}"
            FUNCTIONS[name] = fn
        return fn

    return deco


def builtin(*names: str) -> Callable[[Handler], Handler]:
    def deco(fn: Handler) -> Handler:
        for name in names:
            BUILTINS[name] = fn
        return fn

    return deco


def method(kind: str, *names: str) -> Callable[[Handler], Handler]:
    """``kind`` names the value: list, dict, str, parser, sequential, module, layer, tensor."""

    def deco(fn: Handler) -> Handler:
        for name in names:
            METHODS[(kind, name)] = fn
        return fn

    return deco


def find_method(kind: str, name: str) -> Optional[Handler]:
    return METHODS.get((kind, name)) or METHODS.get((kind, "*"))


def load() -> None:
    """Register every library's handlers (imported for their side effect)."""
    from .libs import keras, keras_backend, keras_graph, python, stdlib, torch, torch_data, torch_forward  # noqa: F401
