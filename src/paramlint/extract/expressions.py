"""Expressions: names, attributes, operators, containers, subscripts and comprehensions."""
from __future__ import annotations

import ast
import re
from typing import Any, Optional, Sequence

from ..engine.findings import LimitReached
from ..engine.values import Layer, Unknown
from . import handlers
from .core import COMPARISONS, OPS, Core, Env, _hashable, _number
from .libs import keras_graph
from .libs import python as py
from .libs import stdlib
from .libs import torch as torch_lib
from .libs import torch_data, torch_forward
from .names import canonical, framework_of, is_known
from .objects import Builtin, ClassV, DataTensor, DictV, Func, KTensor, ListV, ModuleInstance, NotModule, ParamSlot, RangeV, Ref, TensorV


# the expressions not evaluated, as a user names them
_UNEVALUATED = {"Starred": "'*' unpacking", "GeneratorExp": "a generator expression", "SetComp": "a set comprehension",
                "Await": "'await'", "Yield": "'yield'", "YieldFrom": "'yield from'", "Slice": "a slice here"}


class Expressions(Core):
    def eval(self, node: ast.expr, env: Env) -> Any:
        self.tick(node)
        if isinstance(node, ast.Constant):
            return node.value if not isinstance(node.value, (bytes, complex)) and node.value is not Ellipsis else self.unknown(node, "not a number")
        method = getattr(self, "eval_" + type(node).__name__, None)
        if method is None:
            return self.unknown(node, f"{_UNEVALUATED.get(type(node).__name__, 'this expression')} is not evaluated")
        return method(node, env)

    def eval_JoinedStr(self, node: ast.JoinedStr, env: Env) -> Any:
        out = []
        for part in node.values:
            if isinstance(part, ast.Constant):
                out.append(str(part.value))
                continue
            assert isinstance(part, ast.FormattedValue)
            value = self.eval(part.value, env)
            spec = "" if part.format_spec is None else self.eval(part.format_spec, env)
            if not isinstance(value, (str, int, float)) or isinstance(value, bool) or not isinstance(spec, str):
                return self.unknown(node, "f-string not known statically")
            text = _formatted(value, part.conversion, spec)
            if text is None:
                return self.unknown(node, "f-string not known statically")
            out.append(text)
        return "".join(out)

    def eval_Name(self, node: ast.Name, env: Env) -> Any:
        name = node.id
        try:
            return env.lookup(name)
        except KeyError:
            pass
        if name in handlers.BUILTINS:
            return Builtin(name, handlers.BUILTINS[name])
        candidates = [canonical(f"{module}.{name}") for module in self.star_modules]
        for qual in sorted(candidates, key=lambda q: not is_known(q)):  # a registered name wins over a plausible one
            if framework_of(qual) is not None or qual in handlers.FUNCTIONS:
                return Ref(qual)
        return self.unknown(node, f"name '{name}' is not known statically")

    def eval_Attribute(self, node: ast.Attribute, env: Env) -> Any:
        return self.attribute(self.eval(node.value, env), node.attr, node)

    def eval_UnaryOp(self, node: ast.UnaryOp, env: Env) -> Any:
        value = self.eval(node.operand, env)
        if isinstance(node.op, ast.Not):
            truth = self.truth(value)
            return self.unknown(node, "condition not known statically") if truth is None else not truth
        if isinstance(value, DataTensor) and isinstance(node.op, (ast.USub, ast.UAdd)):
            return torch_data.negate(value) if isinstance(node.op, ast.USub) else value
        if not _number(value):
            return value if isinstance(value, Unknown) else self.unknown(node, "operand is not a number")
        if isinstance(node.op, ast.USub):
            return -value
        if isinstance(node.op, ast.UAdd):
            return +value
        return ~value if isinstance(value, int) else self.unknown(node, "~ of a non-integer")

    def eval_BinOp(self, node: ast.BinOp, env: Env) -> Any:
        left = self.eval(node.left, env)
        right = self.eval(node.right, env)
        return self.binop(OPS.get(type(node.op), "?"), left, right, node)

    def binop(self, op: str, left: Any, right: Any, node: ast.AST) -> Any:
        if isinstance(left, KTensor) or isinstance(right, KTensor):  # an operation of a Keras graph
            return keras_graph.binop(op, left, right)
        if isinstance(left, DataTensor) or isinstance(right, DataTensor):  # arithmetic on a small tensor of known numbers
            out = torch_data.binop(op, left, right)
            return out if out is not None else NotModule(f"'{ast.unparse(node)[:60]}' on a tensor is not evaluated", *self.pos(node))
        if isinstance(left, Layer) or isinstance(right, Layer):  # modules combined (Sequential + Sequential): may be a module
            return self.unknown(node, f"'{ast.unparse(node)[:60]}' on a module is not followed")
        for side in (left, right):
            if isinstance(side, Unknown):  # arithmetic never makes a module: an attribute holding it registers nothing
                return side if isinstance(side, NotModule) else NotModule(side.reason, side.line, side.column, side.limit)
        if isinstance(left, ListV) and isinstance(right, ListV) and op == "Add":
            self.check_size(len(left.items) + len(right.items), node)
            return ListV(left.items + right.items, left.taint + right.taint)
        if isinstance(left, tuple) and isinstance(right, tuple) and op == "Add":
            self.check_size(len(left) + len(right), node)
            return left + right
        if isinstance(left, str) and isinstance(right, str) and op == "Add":
            self.check_size(len(left) + len(right), node)
            return left + right
        if op == "Multiply" and isinstance(right, int) and isinstance(left, (ListV, tuple, str)):
            left, right = right, left
        if op == "Multiply" and isinstance(left, int) and not isinstance(left, bool) and isinstance(right, (ListV, tuple, str)):
            seq = right.items if isinstance(right, ListV) else right
            self.check_size(len(seq) * max(left, 0), node)
            if isinstance(right, ListV):
                return ListV(right.items * left, list(right.taint))
            return right * left
        if isinstance(left, TensorV) or isinstance(right, TensorV):  # scaling a new tensor keeps its shape
            tensor = left if isinstance(left, TensorV) else right
            other = right if tensor is left else left
            if _number(other) or other == tensor:
                return tensor
            shape = torch_forward.broadcast(left.shape, right.shape) if isinstance(other, TensorV) else None
            return TensorV(shape) if shape is not None else self.unknown(node, "tensor arithmetic not followed")
        if op == "Modulo" and isinstance(left, str):
            return py.percent_format(left, right, lambda why: self.unknown(node, why))
        if not (_number(left) and _number(right)):
            return NotModule(f"'{ast.unparse(node)[:60]}' is not arithmetic on known numbers", *self.pos(node))
        try:
            return py.arith(op, left, right, self.limits.int_bits,
                            lambda lim, val: LimitReached(*self.pos(node), limit=lim, value=val), lambda why: self.unknown(node, why))
        except LimitReached as exc:  # an oversized number poisons its own expression, not the rest of the file
            return Unknown(str(exc.fields['value']), *self.pos(node), limit=exc.fields["limit"])

    def eval_BoolOp(self, node: ast.BoolOp, env: Env) -> Any:
        is_and = isinstance(node.op, ast.And)
        value: Any = None
        for operand in node.values:
            value = self.eval(operand, env)
            truth = self.truth(value)
            if truth is None:
                return self.unknown(node, "condition not known statically")
            if truth is not is_and:
                return value
        return value

    def eval_Compare(self, node: ast.Compare, env: Env) -> Any:
        left = self.eval(node.left, env)
        for op, comparator in zip(node.ops, node.comparators):
            right = self.eval(comparator, env)
            result = py.compare(COMPARISONS[type(op)], left, right)
            if result is None:
                return NotModule("comparison not known statically", *self.pos(node))
            if not result:
                return False
            left = right
        return True

    def eval_IfExp(self, node: ast.IfExp, env: Env) -> Any:
        truth = self.truth(self.eval(node.test, env))
        if truth is None:
            return self.unknown(node, f"the condition at line {node.lineno} is not known statically")
        return self.eval(node.body if truth else node.orelse, env)

    def eval_NamedExpr(self, node: ast.NamedExpr, env: Env) -> Any:
        value = self.eval(node.value, env)
        self.bind(node.target, value, env)
        return value

    def eval_Tuple(self, node: ast.Tuple, env: Env) -> Any:
        items = self.elements(node.elts, env, node)
        return tuple(items.items) if not items.taint else self.unknown(node, "tuple not known statically")

    def eval_List(self, node: ast.List, env: Env) -> Any:
        return self.elements(node.elts, env, node)

    def eval_Set(self, node: ast.Set, env: Env) -> Any:
        return self.elements(node.elts, env, node)

    def elements(self, elements: Sequence[ast.expr], env: Env, node: ast.AST) -> ListV:
        out = ListV([])
        for e in elements:
            if isinstance(e, ast.Starred):
                self.extend(out, self.eval(e.value, env), e)
            else:
                out.items.append(self.eval(e, env))
        self.check_size(len(out.items), node)
        return out

    def eval_Dict(self, node: ast.Dict, env: Env) -> Any:
        out = DictV({})
        for key_node, value_node in zip(node.keys, node.values):
            if key_node is None:  # **other
                value = self.eval(value_node, env)
                if not isinstance(value, DictV):
                    return self.unknown(node, "dict not known statically")
                out.items.update(value.items)
                continue
            key = self.eval(key_node, env)
            if not _hashable(key):
                return self.unknown(node, "dict key not known statically")
            out.items[key] = self.eval(value_node, env)
        return out

    def _index(self, node: ast.expr, env: Env) -> Any:
        """A tensor index as Python writes it: ints, slices, None, Ellipsis, or a tuple of them (else Unknown)."""
        if isinstance(node, ast.Tuple):
            return tuple(self._index(e, env) for e in node.elts)
        if isinstance(node, ast.Slice):
            parts = [None if p is None else self.eval(p, env) for p in (node.lower, node.upper, node.step)]
            if all(p is None or type(p) is int for p in parts):
                return slice(*parts)
            return self.unknown(node, "slice bounds not known statically")
        if isinstance(node, ast.Constant) and node.value is Ellipsis:
            return Ellipsis
        return self.eval(node, env)

    def eval_Subscript(self, node: ast.Subscript, env: Env) -> Any:
        base = self.eval(node.value, env)
        if isinstance(base, Unknown):
            return base
        if isinstance(base, Ref):
            return base  # typing generics such as List[int]
        if isinstance(base, KTensor):
            return keras_graph.subscript(base, self._index(node.slice, env))
        if isinstance(node.slice, ast.Slice):
            parts = [None if p is None else self.eval(p, env) for p in (node.slice.lower, node.slice.upper, node.slice.step)]
            if isinstance(base, Layer) and base.qualname in (torch_lib.TORCH_SEQUENTIAL, "torch.nn.ModuleList") \
                    and base.children is not None and not isinstance(base, ModuleInstance):
                return torch_lib.slice_modules(self, base, parts, node)
            return py.slice_of(base, parts, lambda why: self.unknown(node, why))
        key = self.eval(node.slice, env)
        if isinstance(base, ClassV):  # Weights["V1"]: an Enum's member; typing generics of the file's classes
            member = stdlib.enum_member(base, key)
            return member if member is not None else self.unknown(node, f"'{base.name}[...]' is not known statically")
        if isinstance(base, ParamSlot) and base.name and isinstance(key, (int, str)) and not isinstance(key, bool):
            return ParamSlot(base.owner, f"{base.name}.{key}")  # transformer.decoder.layers[0]: inside a torch layer
        if isinstance(base, Layer) and base.qualname.startswith("torch.") and (base.children is not None or isinstance(base, ModuleInstance)):
            return torch_lib.getitem(self, base, key, node)
        if isinstance(base, DictV) and not base.taint and _hashable(key) and key not in base.items:
            self.read_pending_imports(node)  # MODELS[cfg["type"]]: a registry the project's imports fill
        return py.index(base, key, lambda why: self.unknown(node, why))

    def eval_Lambda(self, node: ast.Lambda, env: Env) -> Any:
        return Func("<lambda>", node, env)

    def eval_ListComp(self, node: Any, env: Env) -> Any:
        return self.comprehension(node, env, lambda e: self.eval(node.elt, e))

    eval_GeneratorExp = eval_ListComp
    eval_SetComp = eval_ListComp

    def eval_DictComp(self, node: ast.DictComp, env: Env) -> Any:
        pairs = self.comprehension(node, env, lambda e: (self.eval(node.key, e), self.eval(node.value, e)))
        if isinstance(pairs, Unknown):
            return pairs
        out = DictV({})
        for key, value in pairs.items:
            if not _hashable(key):
                return self.unknown(node, "dict key not known statically")
            out.items[key] = value
        return out

    def comprehension(self, node: Any, env: Env, produce: Any) -> Any:
        local = Env(env)
        out: list[Any] = []

        def loop(generators: list[ast.comprehension]) -> Optional[Unknown]:
            comp = generators[0]
            iterable = self.eval(comp.iter, local)
            items = self.iterate(iterable)
            if items is None and isinstance(iterable, RangeV):
                return Unknown(f"{iterable.size:,} items > {self.limits.items:,}", *self.pos(comp.iter), limit="list size")
            if items is None:
                return self.unknown(comp.iter, "a comprehension iterates over a value not known statically")
            for item in items:
                self.bind(comp.target, item, local)
                keep = True
                for cond in comp.ifs:
                    truth = self.truth(self.eval(cond, local))
                    if truth is None:
                        return self.unknown(cond, "a comprehension filter is not known statically")
                    keep = keep and truth
                if not keep:
                    continue
                if len(generators) > 1:
                    failed = loop(generators[1:])
                    if failed is not None:
                        return failed
                else:
                    out.append(produce(local))
                    self.check_size(len(out), node)
            return None

        failed = loop(node.generators)
        return failed if failed is not None else ListV(out)


def _formatted(value: Any, conversion: int, spec: str) -> Optional[str]:
    """One ``{value!conversion:spec}`` of an f-string (``{alpha:0.2f}``), as Python formats it; None when the spec
    is not one Python accepts or asks for more than a name needs (every number in it at most 3 digits)."""
    if conversion != -1:
        value = repr(value) if conversion == ord("r") else ascii(value) if conversion == ord("a") else str(value)
    if any(len(run) > 3 for run in re.findall(r"[0-9]+", spec)):
        return None
    try:
        return format(value, spec)
    except (ValueError, TypeError):
        return None
