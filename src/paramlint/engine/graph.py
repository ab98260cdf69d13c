"""A Keras functional graph: which layers lie between a model's inputs and outputs, in Keras's order.

Every call of a layer (or of an operation such as ``x + y``) on symbolic tensors is one ``Node``; the
tensors it was called on point back to the nodes that produced them. ``keras.Model(inputs, outputs)``
holds the operations reached walking back from the outputs until the inputs, and lists its layers by
depth (the longest path to an output), the deepest first, ties broken by the order the walk met them:
``model.layers`` in Keras 3. The counting itself is the stack counter's, one layer at a time, each
sized by the tensors it was first called on (``Layer.seen_input``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from .findings import InvalidConfig
from .values import Unknown


@dataclass(eq=False)
class Node:
    """One call: ``op`` (a ``Layer``, a model used as a layer, or an operation marker), the nodes that
    produced its tensor arguments (positional, then keyword), and what was not known about them."""

    op: Any
    parents: list["Node"] = field(default_factory=list)
    is_input: bool = False
    unknown: list[Unknown] = field(default_factory=list)  # arguments that may be tensors of the graph, not followed


@dataclass
class Graph:
    operations: list[Any]  # in Keras's order; InputLayers included
    unknown: list[Unknown]  # why the graph may hold more than was followed
    problem: Optional[InvalidConfig] = None  # Keras refuses this graph (a cycle, a disconnected input)


def operations(inputs: list[Node], outputs: list[Node]) -> Graph:
    """The operations between ``inputs`` and ``outputs`` (nodes of the model's input and output tensors)."""
    input_ids = {id(n) for n in inputs}
    order: list[Node] = []  # nodes, inputs first
    index: dict[int, int] = {}  # id(op) -> first time the walk met it
    ops: dict[int, Any] = {}
    finished: set[int] = set()
    unknown: list[Unknown] = []
    for out in outputs:
        stack: list[tuple[Node, bool]] = [(out, False)]
        in_progress: set[int] = set()
        while stack:
            node, done = stack.pop()
            if done:
                in_progress.discard(id(node))
                finished.add(id(node))
                order.append(node)
                continue
            if id(node) in finished:
                continue
            if id(node) in input_ids and not node.is_input:  # a model on intermediate tensors: stop there
                finished.add(id(node))
                continue
            if id(node) in in_progress:
                return Graph([], unknown, InvalidConfig(layer="keras.Model", reason="a tensor is part of a cycle"))
            index.setdefault(id(node.op), len(index))
            ops[id(node.op)] = node.op
            in_progress.add(id(node))
            stack.append((node, True))
            if not node.is_input:
                unknown.extend(u for u in node.unknown if u not in unknown)
                stack.extend((p, False) for p in reversed(node.parents))
    # depth: the longest path from a node to an output; an operation takes its deepest node's
    in_graph = {id(n) for n in order}
    node_depth: dict[int, int] = {}
    op_depth: dict[int, int] = {}
    for node in reversed(order):
        depth = max(node_depth.setdefault(id(node), 0), op_depth.get(id(node.op), 0))
        op_depth[id(node.op)] = depth
        node_depth[id(node)] = depth
        for parent in node.parents:
            if id(parent) in in_graph:
                node_depth[id(parent)] = max(depth + 1, node_depth.get(id(parent), 0))
    for node in inputs:  # inputs not connected to any output are still the model's
        if node.is_input and id(node.op) not in op_depth:
            op_depth[id(node.op)] = 0
            index[id(node.op)] = -1
            ops[id(node.op)] = node.op
    computable = {id(n) for n in inputs}
    for node in sorted(order, key=lambda n: -node_depth[id(n)]):
        if id(node) in computable:
            continue
        if node.is_input or any(id(p) not in computable for p in node.parents):
            reason = "graph disconnected: an output needs a tensor that is not computed from the inputs given"
            return Graph([], unknown, InvalidConfig(layer="keras.Model", reason=reason))
        computable.add(id(node))
    ranked = sorted(ops, key=lambda k: (-op_depth[k], index[k]))
    return Graph([ops[k] for k in ranked], unknown)
