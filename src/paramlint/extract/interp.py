"""A small, safe, bounded abstract interpreter over a libcst module.

It runs the file's statements in order without executing anything real: imports bind
qualified names, constants fold, lists and Sequentials are built as values, helper
functions are called with known arguments. Whatever it cannot know becomes ``Unknown``
with a reason and a line; whatever it cannot bound raises ``LimitReached``.
"""
from __future__ import annotations

import re
import time
from typing import Any, Iterator, Optional, Sequence

import libcst as cst

from ..engine.findings import Finding, LimitReached, UnknownValue
from ..engine.values import Layer, Symbol, Unknown
from ..lint.settings import Limits
from . import builtins as bi
from .names import SEQUENTIALS, canonical, framework_of, is_known
from .objects import Builtin, DictV, Func, ListV, Model, ObjV, RangeV, Ref

Pos = tuple[int, int]


class _Return(Exception):
    def __init__(self, value: Any) -> None:
        self.value = value


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


class Env:
    """A scope: a dict of bindings and the enclosing scope (the module's, for functions)."""

    def __init__(self, parent: Optional["Env"] = None) -> None:
        self.vars: dict[str, Any] = {}
        self.parent = parent

    def lookup(self, name: str) -> Any:
        env: Optional[Env] = self
        while env is not None:
            if name in env.vars:
                return env.vars[name]
            env = env.parent
        raise KeyError(name)


MUTATORS = frozenset({"add", "append", "extend", "insert", "add_module", "pop", "build", "__setitem__", "update", "register_module"})
SELF_RETURNING = frozenset({"to", "cuda", "cpu", "float", "double", "half", "bfloat16", "train", "eval", "type"})


class Interpreter:
    def __init__(self, module: cst.Module, source: str, positions: Any, limits: Limits) -> None:
        self.module = module
        self.source = source
        self.positions = positions
        self.limits = limits
        self.steps = 0
        self.deadline = time.monotonic() + limits.seconds
        self.depth = 0
        self.conditions: list[Unknown] = []  # enclosing branches/loops whose outcome is not known
        self.assumptions: list[str] = []  # defaults in force for what is being built now
        self.models: list[Model] = []
        self.star_modules: list[str] = []
        self.globals = Env()
        self.globals.vars["__name__"] = "__main__"
        self.funcs: list[Func] = []
        self.classes: list[tuple[str, cst.ClassDef]] = []

    # -- bookkeeping ------------------------------------------------------
    def pos(self, node: cst.CSTNode) -> Pos:
        rng = self.positions.get(node)
        return (rng.start.line, rng.start.column + 1) if rng is not None else (0, 0)

    def tick(self, node: cst.CSTNode) -> None:
        self.steps += 1
        if self.steps > self.limits.steps:
            raise LimitReached(*self.pos(node), limit="evaluation steps", value=self.limits.steps)
        if not self.steps & 255 and time.monotonic() > self.deadline:
            raise LimitReached(*self.pos(node), limit="time", value=f"{self.limits.seconds:g} s")

    def unknown(self, node: cst.CSTNode, reason: str) -> Unknown:
        line, col = self.pos(node)
        return Unknown(reason, line, col)

    def taint(self, target: Any) -> None:
        """Record on a list or model that it was changed under a condition not known statically."""
        if not self.conditions or not isinstance(target, (ListV, DictV, Model)):
            return
        cond = self.conditions[-1]
        finding: Finding
        if cond.limit:
            finding = LimitReached(cond.line, cond.column, limit=cond.limit, value=cond.reason)
        else:
            finding = UnknownValue(cond.line, cond.column, what="the layers", reason=cond.reason)
        if not any(f.line == finding.line and f.kind == finding.kind for f in target.taint):
            target.taint.append(finding)

    def touch(self, model: Model) -> None:
        for a in self.assumptions:
            if a not in model.assumptions:
                model.assumptions.append(a)

    # -- entry ------------------------------------------------------------
    def run_module(self) -> None:
        self.exec_block(self.module.body, self.globals)
        self._run_entry_points()

    def _run_entry_points(self) -> None:
        """Functions and methods never called by the file are run once with their default arguments."""
        for func in list(self.funcs):
            if func.called or func.scope is not self.globals or self._referenced(func.name, r"\b"):
                continue
            self._call_with_defaults(func, None)
        for func in list(self.funcs):  # referenced only by text (comments, cycles): still never silently skipped
            if not func.called and func.scope is self.globals:
                self._call_with_defaults(func, None)
        for cls_name, cls in self.classes:
            for stmt in _block(cls.body):
                if isinstance(stmt, cst.FunctionDef) and not self._referenced(stmt.name.value, r"\."):
                    func = Func(f"{cls_name}.{stmt.name.value}", stmt, self.globals)
                    self._call_with_defaults(func, ObjV("self", {}))

    def _referenced(self, name: str, before: str) -> bool:
        """Is the function called somewhere in the file (then its callers build its models)?"""
        pattern = before + re.escape(name) + r"\s*\("
        return len(re.findall(pattern, self.source)) > (1 if before == r"\b" else 0)

    def _call_with_defaults(self, func: Func, self_obj: Optional[ObjV]) -> None:
        node = func.node
        if not _builds_models(node):
            return
        args: list[Any] = [self_obj] if self_obj is not None else []
        note = f"{func.name}() called with its default arguments"
        self.assumptions = [note]
        func.called = True
        first_new = len(self.models)
        try:
            self.call_func(func, args, {}, node, defaults_only=True)
        except LimitReached as exc:
            for model in self.models[first_new:]:
                model.taint.append(exc)
            raise
        finally:
            self.assumptions = []

    # -- statements -------------------------------------------------------
    def exec_block(self, body: Sequence[cst.CSTNode], env: Env) -> None:
        for stmt in body:
            self.exec_stmt(stmt, env)

    def exec_stmt(self, stmt: cst.CSTNode, env: Env) -> None:
        self.tick(stmt)
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                self.exec_small(small, env)
        elif isinstance(stmt, cst.If):
            self.exec_if(stmt, env)
        elif isinstance(stmt, cst.For):
            self.exec_for(stmt, env)
        elif isinstance(stmt, cst.While):
            cond = self.unknown(stmt, f"'while' loop at line {self.pos(stmt)[0]}")
            self.exec_unknown_branches([_block(stmt.body)], env, cond)
        elif isinstance(stmt, cst.FunctionDef):
            func = Func(stmt.name.value, stmt, env)
            env.vars[stmt.name.value] = func
            self.funcs.append(func)
        elif isinstance(stmt, cst.ClassDef):
            env.vars[stmt.name.value] = Ref("<local>." + stmt.name.value)
            if env is self.globals:
                self.classes.append((stmt.name.value, stmt))
        elif isinstance(stmt, cst.With):
            for item in stmt.items:
                value = self.eval(item.item, env)
                if item.asname is not None:
                    self.bind(item.asname.name, Unknown("bound by 'with'", *self.pos(item)) if not isinstance(value, Unknown) else value, env)
            self.exec_block(_block(stmt.body), env)
        elif isinstance(stmt, (cst.Try, cst.TryStar)):
            self.exec_block(_block(stmt.body), env)
            if stmt.orelse is not None:
                self.exec_block(_block(stmt.orelse.body), env)
            if stmt.finalbody is not None:
                self.exec_block(_block(stmt.finalbody.body), env)
        elif isinstance(stmt, cst.Match):
            cond = self.unknown(stmt, f"'match' at line {self.pos(stmt)[0]}")
            self.exec_unknown_branches([_block(c.body) for c in stmt.cases], env, cond)
        # anything else (decorators alone, etc.) binds nothing we track

    def exec_small(self, small: cst.CSTNode, env: Env) -> None:
        if isinstance(small, cst.Expr):
            self.eval(small.value, env)
        elif isinstance(small, cst.Assign):
            value = self.eval(small.value, env)
            for target in small.targets:
                self.bind(target.target, value, env)
        elif isinstance(small, cst.AnnAssign):
            if small.value is not None:
                self.bind(small.target, self.eval(small.value, env), env)
        elif isinstance(small, cst.AugAssign):
            current = self.eval(small.target, env)
            value = self.eval(small.value, env)
            op = type(small.operator).__name__.replace("Assign", "")
            if isinstance(current, ListV) and op == "Add":
                self.extend(current, value, small)
                return
            self.bind(small.target, self.binop(op, current, value, small), env)
        elif isinstance(small, cst.Return):
            raise _Return(None if small.value is None else self.eval(small.value, env))
        elif isinstance(small, cst.Import):
            for alias in small.names:
                dotted = _dotted(alias.name)
                if alias.asname is not None:
                    self.bind(alias.asname.name, Ref(dotted), env)
                else:
                    top = dotted.split(".")[0]
                    env.vars[top] = Ref(top)
        elif isinstance(small, cst.ImportFrom):
            self.exec_import_from(small, env)
        elif isinstance(small, cst.Break):
            raise _Break()
        elif isinstance(small, cst.Continue):
            raise _Continue()
        elif isinstance(small, cst.Raise):
            raise _Return(Unknown("the code raises here", *self.pos(small)))
        # pass, global, nonlocal, del, assert: nothing to track

    def exec_import_from(self, node: cst.ImportFrom, env: Env) -> None:
        if node.relative or node.module is None:
            names = [] if isinstance(node.names, cst.ImportStar) else node.names
            for alias in names:
                target = alias.asname.name if alias.asname else alias.name
                self.bind(target, self.unknown(node, "imported from a relative module"), env)
            return
        module = _dotted(node.module)
        if isinstance(node.names, cst.ImportStar):
            self.star_modules.append(module)
            return
        for alias in node.names:
            name = _dotted(alias.name)
            target = alias.asname.name if alias.asname else alias.name
            self.bind(target, Ref(f"{module}.{name}"), env)

    def exec_if(self, stmt: cst.If, env: Env) -> None:
        test = self.truth(self.eval(stmt.test, env))
        orelse = stmt.orelse
        if test is True:
            self.exec_block(_block(stmt.body), env)
        elif test is False:
            if isinstance(orelse, cst.If):
                self.exec_if(orelse, env)
            elif orelse is not None:
                self.exec_block(_block(orelse.body), env)
        else:
            cond = self.unknown(stmt, f"the condition at line {self.pos(stmt)[0]} is not known statically")
            branches = [_block(stmt.body)]
            if isinstance(orelse, cst.If):
                branches.append([orelse])
            elif orelse is not None:
                branches.append(_block(orelse.body))
            self.exec_unknown_branches(branches, env, cond)

    def exec_unknown_branches(self, branches: list[Sequence[cst.CSTNode]], env: Env, cond: Unknown) -> None:
        """Run every branch under a taint: what they mutate is marked, what they bind becomes unknown."""
        before = dict(env.vars)
        self.conditions.append(cond)
        try:
            for body in branches:
                try:
                    self.exec_block(body, env)
                except (_Break, _Continue):
                    pass
                except _Return as ret:
                    if isinstance(ret.value, (Model, ListV)):
                        self.taint(ret.value)
        finally:
            self.conditions.pop()
        for name, value in env.vars.items():
            if before.get(name, _MISSING) is not value:
                if isinstance(value, (Model, ListV, DictV)):
                    self.conditions.append(cond)
                    self.taint(value)
                    self.conditions.pop()
                elif not isinstance(value, (Func, Ref)):
                    env.vars[name] = Unknown(f"'{name}' depends on {cond.reason.removeprefix('the ')}", cond.line, cond.column, cond.limit)

    def exec_for(self, stmt: cst.For, env: Env) -> None:
        iterable = self.eval(stmt.iter, env)
        items = self.iterate(iterable, stmt.iter, allow_unknown=True)
        body = _block(stmt.body)
        line = self.pos(stmt)[0]
        if items is None or len(items) * max(1, len(body)) > self.limits.items:
            if items is None:
                cond = self.unknown(stmt, f"the 'for' loop at line {line} iterates over a value not known statically")
            else:
                cond = Unknown(f"{len(items):,} iterations", *self.pos(stmt), limit="loop iterations")
            self.bind(stmt.target, Unknown(cond.reason, cond.line, cond.column, cond.limit), env)
            self.exec_unknown_branches([body], env, cond)
            return
        for item in items:
            self.bind(stmt.target, item, env)
            try:
                self.exec_block(body, env)
            except _Break:
                return
            except _Continue:
                continue
        if stmt.orelse is not None:
            self.exec_block(_block(stmt.orelse.body), env)

    # -- binding ----------------------------------------------------------
    def bind(self, target: cst.CSTNode, value: Any, env: Env) -> None:
        if isinstance(target, cst.Name):
            env.vars[target.value] = value
            if isinstance(value, Model) and value.name is None:
                value.name = target.value
        elif isinstance(target, (cst.Tuple, cst.List)):
            elements = target.elements
            items = self.iterate(value, target, allow_unknown=True)
            if items is None or len(items) != len(elements) or any(isinstance(e, cst.StarredElement) for e in elements):
                reason = value.reason if isinstance(value, Unknown) else "unpacking not known statically"
                for e in elements:
                    self.bind(e.value, Unknown(reason, *self.pos(e)), env)
                return
            for e, item in zip(elements, items):
                self.bind(e.value, item, env)
        elif isinstance(target, cst.Attribute):
            obj = self.eval(target.value, env)
            if isinstance(obj, ObjV):
                obj.attrs[target.attr.value] = value
                if isinstance(value, Model) and value.name is None:
                    value.name = target.attr.value
        elif isinstance(target, cst.Subscript):
            obj = self.eval(target.value, env)
            key = self.eval(target.slice[0].slice.value, env) if isinstance(target.slice[0].slice, cst.Index) else None
            if isinstance(obj, DictV) and _hashable(key):
                self.taint(obj)
                obj.items[key] = value
            elif isinstance(obj, ListV) and isinstance(key, int) and -len(obj.items) <= key < len(obj.items):
                self.taint(obj)
                obj.items[key] = value
            elif isinstance(obj, (ListV, DictV)):
                obj.taint.append(UnknownValue(*self.pos(target), what="the layers", reason="an item is set with an index not known statically"))

    # -- expressions ------------------------------------------------------
    def eval(self, node: cst.CSTNode, env: Env) -> Any:
        self.tick(node)
        if isinstance(node, (cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString)):
            return node.evaluated_value
        method = getattr(self, "eval_" + type(node).__name__, None)
        if method is None:
            return self.unknown(node, f"{type(node).__name__} expressions are not evaluated")
        return method(node, env)

    def eval_ConcatenatedString(self, node: cst.ConcatenatedString, env: Env) -> Any:
        left, right = self.eval(node.left, env), self.eval(node.right, env)
        if isinstance(left, str) and isinstance(right, str):
            return left + right
        return self.unknown(node, "string not known statically")

    def eval_FormattedString(self, node: cst.FormattedString, env: Env) -> Any:
        out = []
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                out.append(part.value)
                continue
            value = self.eval(part.expression, env)
            if part.format_spec or part.conversion or not isinstance(value, (str, int, float)) or isinstance(value, bool):
                return self.unknown(node, "f-string not known statically")
            out.append(str(value))
        return "".join(out)

    def eval_Name(self, node: cst.Name, env: Env) -> Any:
        name = node.value
        try:
            return env.lookup(name)
        except KeyError:
            pass
        if name in bi.BUILTINS:
            return Builtin(name, bi.BUILTINS[name])
        if name in bi.CONSTANTS:
            return bi.CONSTANTS[name]
        candidates = [canonical(f"{module}.{name}") for module in self.star_modules]
        for qual in sorted(candidates, key=lambda q: not is_known(q)):  # a registered name wins over a plausible one
            if framework_of(qual) is not None or qual in bi.QUALIFIED:
                return Ref(qual)
        return self.unknown(node, f"name '{name}' is not known statically")

    def eval_Attribute(self, node: cst.Attribute, env: Env) -> Any:
        base = self.eval(node.value, env)
        attr = node.attr.value
        if isinstance(base, Ref):
            return Ref(f"{base.qualname}.{attr}")
        if isinstance(base, ObjV) and base.kind == "parser":
            return _Method(base, attr)
        if isinstance(base, ObjV):
            if attr in base.attrs:
                value = base.attrs[attr]
                if base.kind == "namespace" and not isinstance(value, Unknown):
                    note = f"argparse default --{attr.replace('_', '-')}={value!r}"
                    if note not in self.assumptions:
                        self.assumptions.append(note)
                return value
            return self.unknown(node, f"'{attr}' is not known statically")
        if isinstance(base, Unknown):
            return base
        if isinstance(base, (ListV, Model, DictV, Layer, str)):
            return _Method(base, attr)
        return self.unknown(node, f"attribute '{attr}' is not known statically")

    def eval_UnaryOperation(self, node: cst.UnaryOperation, env: Env) -> Any:
        value = self.eval(node.expression, env)
        op = type(node.operator).__name__
        if op == "Not":
            truth = self.truth(value)
            return self.unknown(node, "condition not known statically") if truth is None else not truth
        if not _number(value):
            return value if isinstance(value, Unknown) else self.unknown(node, "operand is not a number")
        if op == "Minus":
            return -value
        if op == "Plus":
            return +value
        return ~value if isinstance(value, int) else self.unknown(node, "~ of a non-integer")

    def eval_BinaryOperation(self, node: cst.BinaryOperation, env: Env) -> Any:
        left = self.eval(node.left, env)
        right = self.eval(node.right, env)
        return self.binop(type(node.operator).__name__, left, right, node)

    def binop(self, op: str, left: Any, right: Any, node: cst.CSTNode) -> Any:
        if isinstance(left, Unknown):
            return left
        if isinstance(right, Unknown):
            return right
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
        if op == "Modulo" and isinstance(left, str):
            return self.unknown(node, "%-formatting is not evaluated")
        if not (_number(left) and _number(right)):
            return self.unknown(node, f"operands of {op} are not numbers")
        return bi.arith(op, left, right, self.limits.int_bits, lambda lim, val: LimitReached(*self.pos(node), limit=lim, value=val), lambda why: self.unknown(node, why))

    def eval_BooleanOperation(self, node: cst.BooleanOperation, env: Env) -> Any:
        left = self.eval(node.left, env)
        truth = self.truth(left)
        if truth is None:
            return self.unknown(node, "condition not known statically")
        is_and = isinstance(node.operator, cst.And)
        if truth is not is_and:
            return left
        return self.eval(node.right, env)

    def eval_Comparison(self, node: cst.Comparison, env: Env) -> Any:
        left = self.eval(node.left, env)
        for target in node.comparisons:
            right = self.eval(target.comparator, env)
            result = bi.compare(type(target.operator).__name__, left, right)
            if result is None:
                return self.unknown(node, "comparison not known statically")
            if not result:
                return False
            left = right
        return True

    def eval_IfExp(self, node: cst.IfExp, env: Env) -> Any:
        truth = self.truth(self.eval(node.test, env))
        if truth is None:
            return self.unknown(node, f"the condition at line {self.pos(node)[0]} is not known statically")
        return self.eval(node.body if truth else node.orelse, env)

    def eval_NamedExpr(self, node: cst.NamedExpr, env: Env) -> Any:
        value = self.eval(node.value, env)
        self.bind(node.target, value, env)
        return value

    def eval_Tuple(self, node: cst.Tuple, env: Env) -> Any:
        items = self.elements(node.elements, env)
        return tuple(items.items) if not items.taint else self.unknown(node, "tuple not known statically")

    def eval_List(self, node: cst.List, env: Env) -> Any:
        return self.elements(node.elements, env)

    def eval_Set(self, node: cst.Set, env: Env) -> Any:
        return self.elements(node.elements, env)

    def elements(self, elements: Sequence[cst.BaseElement], env: Env) -> ListV:
        out = ListV([])
        for e in elements:
            value = self.eval(e.value, env)
            if isinstance(e, cst.StarredElement):
                self.extend(out, value, e, taint_only_self=True)
            else:
                out.items.append(value)
        self.check_size(len(out.items), elements[0] if elements else None)
        return out

    def eval_Dict(self, node: cst.Dict, env: Env) -> Any:
        out = DictV({})
        for e in node.elements:
            if isinstance(e, cst.StarredDictElement):
                value = self.eval(e.value, env)
                if isinstance(value, DictV):
                    out.items.update(value.items)
                else:
                    return self.unknown(node, "dict not known statically")
                continue
            key = self.eval(e.key, env)
            if not _hashable(key):
                return self.unknown(node, "dict key not known statically")
            out.items[key] = self.eval(e.value, env)
        return out

    def eval_Subscript(self, node: cst.Subscript, env: Env) -> Any:
        base = self.eval(node.value, env)
        if len(node.slice) != 1:
            return self.unknown(node, "subscript not known statically")
        sl = node.slice[0].slice
        if isinstance(base, Unknown):
            return base
        if isinstance(base, Ref):
            return base  # typing generics such as List[int]
        if isinstance(sl, cst.Index):
            key = self.eval(sl.value, env)
            return bi.index(base, key, lambda why: self.unknown(node, why))
        parts = [None if p is None else self.eval(p, env) for p in (sl.lower, sl.upper, sl.step)]
        return bi.slice_of(base, parts, lambda why: self.unknown(node, why))

    def eval_Lambda(self, node: cst.Lambda, env: Env) -> Any:
        return Func("<lambda>", node, env)

    def eval_ListComp(self, node: cst.ListComp, env: Env) -> Any:
        return self.comprehension(node, env, lambda e: self.eval(node.elt, e))

    eval_GeneratorExp = eval_ListComp
    eval_SetComp = eval_ListComp

    def eval_DictComp(self, node: cst.DictComp, env: Env) -> Any:
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

        def loop(comp: cst.CompFor) -> Optional[Unknown]:
            items = self.iterate(self.eval(comp.iter, local), comp.iter, allow_unknown=True)
            if items is None:
                return self.unknown(comp, "a comprehension iterates over a value not known statically")
            for item in items:
                self.bind(comp.target, item, local)
                keep = True
                for cond in comp.ifs:
                    truth = self.truth(self.eval(cond.test, local))
                    if truth is None:
                        return self.unknown(cond, "a comprehension filter is not known statically")
                    keep = keep and truth
                if not keep:
                    continue
                if comp.inner_for_in is not None:
                    failed = loop(comp.inner_for_in)
                    if failed is not None:
                        return failed
                else:
                    out.append(produce(local))
                    self.check_size(len(out), comp)
            return None

        failed = loop(node.for_in)
        return failed if failed is not None else ListV(out)

    # -- calls ------------------------------------------------------------
    def eval_Call(self, node: cst.Call, env: Env) -> Any:
        callee = self.eval(node.func, env)
        args: list[Any] = []
        kwargs: dict[str, Any] = {}
        for arg in node.args:
            value = self.eval(arg.value, env)
            if arg.star == "*":
                items = self.iterate(value, arg.value, allow_unknown=True)
                if items is None:
                    args.append(value if isinstance(value, Unknown) else self.unknown(arg, "*-argument not known statically"))
                else:
                    args.extend(items)
                    if isinstance(value, ListV) and value.taint:
                        args.append(_Tainted(value.taint))
            elif arg.star == "**":
                if isinstance(value, DictV) and all(isinstance(k, str) for k in value.items):
                    kwargs.update(value.items)
                else:
                    kwargs["**"] = self.unknown(arg, "**-argument not known statically")
            elif arg.keyword is not None:
                kwargs[arg.keyword.value] = value
            else:
                args.append(value)
        return self.call(callee, args, kwargs, node)

    def call(self, callee: Any, args: list[Any], kwargs: dict[str, Any], node: cst.CSTNode) -> Any:
        if isinstance(callee, Ref):
            return self.construct(callee.qualname, args, kwargs, node)
        if isinstance(callee, Func):
            callee.called = True
            return self.call_func(callee, args, kwargs, node)
        if isinstance(callee, Builtin):
            return callee.fn(self, args, kwargs, node)
        if isinstance(callee, _Method):
            return self.call_method(callee, args, kwargs, node)
        if isinstance(callee, Model) and callee.framework == "keras":
            return self.unknown(node, "a model applied to a tensor")
        if isinstance(callee, Unknown):
            return callee
        return self.unknown(node, "call not known statically")

    def construct(self, qualname: str, args: list[Any], kwargs: dict[str, Any], node: cst.CSTNode) -> Any:
        qual = canonical(qualname)
        line, col = self.pos(node)
        tainted = [a for a in args if isinstance(a, _Tainted)]
        args = [a for a in args if not isinstance(a, _Tainted)]
        if qual in SEQUENTIALS:
            model = Model(qual, (), {}, line, col, children=[], framework=SEQUENTIALS[qual])
            for t in tainted:
                model.taint.extend(t.findings)
            self.fill_sequential(model, args, kwargs, node)
            self.touch(model)
            self.models.append(model)
            return model
        if framework_of(qual) is not None:
            return Layer(qual, tuple(_plain(a) for a in args), {k: _plain(v) for k, v in kwargs.items()}, line, col)
        special = bi.QUALIFIED.get(qual)
        if special is not None:
            return special(self, args, kwargs, node)
        if qual.rsplit(".", 1)[-1][:1].isupper():  # a class paramlint does not know: an unknown layer if used as one
            return Layer(qual.removeprefix("<local>."), tuple(args), kwargs, line, col)
        return self.unknown(node, f"'{qual}(...)' is not evaluated")

    def fill_sequential(self, model: Model, args: list[Any], kwargs: dict[str, Any], node: cst.CSTNode) -> None:
        assert model.children is not None
        if model.framework == "keras":
            name = kwargs.get("name")
            if isinstance(name, str):
                model.name = name
            layers = kwargs.get("layers", args[0] if args else None)
            if layers is None:
                return
            items = self.iterate(layers, node, allow_unknown=True)
            if items is None:
                model.children.append((None, layers if isinstance(layers, Unknown) else self.unknown(node, "the layer list is not known statically")))
                return
            if isinstance(layers, ListV):
                model.taint.extend(layers.taint)
            for item in items:
                model.children.append((None, self.as_layer(item, node)))
            return
        if len(args) == 1 and isinstance(args[0], DictV):
            model.taint.extend(args[0].taint)
            for key, item in args[0].items.items():
                model.children.append((str(key), self.as_layer(item, node)))
            return
        for item in args:
            model.children.append((None, self.as_layer(item, node)))

    def as_layer(self, item: Any, node: cst.CSTNode) -> Any:
        if isinstance(item, (Layer, Unknown)):
            return item
        return self.unknown(node, f"{_describe(item)} is not a layer")

    def call_method(self, method: "_Method", args: list[Any], kwargs: dict[str, Any], node: cst.CSTNode) -> Any:
        obj, name = method.obj, method.name
        if isinstance(obj, Model):
            return self.model_method(obj, name, args, kwargs, node)
        if isinstance(obj, ListV):
            if name in ("append", "extend", "insert"):
                self.taint(obj)
            if name == "append" and len(args) == 1:
                obj.items.append(args[0])
                self.check_size(len(obj.items), node)
                return None
            if name == "extend" and len(args) == 1:
                self.extend(obj, args[0], node)
                return None
            if name == "insert" and len(args) == 2 and isinstance(args[0], int):
                obj.items.insert(args[0], args[1])
                return None
            if name == "copy":
                return ListV(list(obj.items), list(obj.taint))
            if name in ("pop", "remove", "clear", "reverse", "sort"):
                obj.taint.append(UnknownValue(*self.pos(node), what="the layers", reason=f"list.{name}() is not followed"))
                return self.unknown(node, f"list.{name}() is not followed")
            return self.unknown(node, f"list.{name}() is not evaluated")
        if isinstance(obj, DictV):
            return bi.dict_method(self, obj, name, args, kwargs, node)
        if isinstance(obj, ObjV) and obj.kind == "parser":
            return obj if name == "add_argument_group" else bi.parser_method(self, obj, name, args, kwargs, node)
        if isinstance(obj, str):
            return bi.str_method(self, obj, name, args, kwargs, node)
        if isinstance(obj, Layer):
            if name in SELF_RETURNING:
                return obj
            return self.unknown(node, f"{obj.type_name}.{name}() is not evaluated")
        return self.unknown(node, f".{name}() is not evaluated")

    def model_method(self, model: Model, name: str, args: list[Any], kwargs: dict[str, Any], node: cst.CSTNode) -> Any:
        assert model.children is not None
        self.taint(model)
        self.touch(model)
        if name in SELF_RETURNING:
            return model
        if model.framework == "keras" and name == "add" and len(args) == 1:
            model.children.append((None, self.as_layer(args[0], node)))
        elif model.framework == "keras" and name == "build":
            shape = args[0] if args else kwargs.get("input_shape")
            if isinstance(shape, ListV):
                shape = tuple(shape.items)
            if isinstance(shape, tuple) and len(shape) >= 1:
                model.build_shape = tuple(shape[1:])
            else:
                model.taint.append(UnknownValue(*self.pos(node), what="the input shape", reason="model.build() argument not known statically"))
        elif model.framework == "keras" and name == "pop":
            if model.children:
                model.children.pop()
        elif model.framework == "torch" and name == "append" and len(args) == 1:
            model.children.append((None, self.as_layer(args[0], node)))
        elif model.framework == "torch" and name == "add_module" and len(args) == 2:
            key = args[0] if isinstance(args[0], str) else None
            if key is None:
                model.taint.append(UnknownValue(*self.pos(node), what="the layers", reason="add_module() name not known statically"))
            model.children.append((key, self.as_layer(args[1], node)))
        elif model.framework == "torch" and name == "extend" and len(args) == 1:
            for item in self.iterate(args[0], node, allow_unknown=True) or [self.unknown(node, "extend() argument not known statically")]:
                model.children.append((None, self.as_layer(item, node)))
        elif model.framework == "torch" and name == "insert" and len(args) == 2 and isinstance(args[0], int):
            model.children.insert(args[0], (None, self.as_layer(args[1], node)))
        elif name in ("compile", "summary", "fit", "evaluate", "predict", "save", "load_weights", "count_params", "parameters", "named_parameters", "state_dict", "load_state_dict", "zero_grad", "apply", "forward", "modules", "children"):
            return self.unknown(node, f"{name}() result is not evaluated")
        else:
            model.taint.append(UnknownValue(*self.pos(node), what="the layers", reason=f"{name}() on the model is not followed"))
        return None

    def extend(self, target: ListV, value: Any, node: cst.CSTNode, taint_only_self: bool = False) -> None:
        items = self.iterate(value, node, allow_unknown=True)
        if items is None:
            target.items.append(value if isinstance(value, Unknown) else self.unknown(node, "items not known statically"))
            return
        if isinstance(value, ListV):
            target.taint.extend(value.taint)
        target.items.extend(items)
        self.check_size(len(target.items), node)

    def call_func(self, func: Func, args: list[Any], kwargs: dict[str, Any], node: cst.CSTNode, defaults_only: bool = False) -> Any:
        if self.depth >= self.limits.depth:
            raise LimitReached(*self.pos(node), limit="call depth", value=self.limits.depth)
        local = Env(func.scope)
        params = func.node.params
        ordered = list(params.posonly_params) + list(params.params)
        args = [a for a in args if not isinstance(a, _Tainted)]
        for i, param in enumerate(ordered):
            pname = param.name.value
            if i < len(args):
                local.vars[pname] = args[i]
            elif pname in kwargs:
                local.vars[pname] = kwargs.pop(pname)
            elif param.default is not None:
                local.vars[pname] = self.eval(param.default, func.scope)
            else:
                why = "has no default" if defaults_only else "is not given"
                local.vars[pname] = Unknown(f"parameter '{pname}' of {func.name}() {why}", *self.pos(param))
        for param in params.kwonly_params:
            pname = param.name.value
            if pname in kwargs:
                local.vars[pname] = kwargs.pop(pname)
            elif param.default is not None:
                local.vars[pname] = self.eval(param.default, func.scope)
            else:
                local.vars[pname] = Unknown(f"parameter '{pname}' of {func.name}() has no default", *self.pos(param))
        if isinstance(params.star_arg, cst.Param):
            local.vars[params.star_arg.name.value] = tuple(args[len(ordered):])
        if params.star_kwarg is not None:
            local.vars[params.star_kwarg.name.value] = DictV(dict(kwargs))
        self.depth += 1
        try:
            if isinstance(func.node, cst.Lambda):
                return self.eval(func.node.body, local)
            self.exec_block(_block(func.node.body), local)
        except _Return as ret:
            value = ret.value
            if isinstance(value, Model) and value.returned_by is None:
                value.returned_by = f"{func.name}()"
            return value
        except (_Break, _Continue):
            pass
        finally:
            self.depth -= 1
        return None

    # -- helpers ----------------------------------------------------------
    def truth(self, value: Any) -> Optional[bool]:
        if isinstance(value, (bool, int, float, str, tuple)) or value is None:
            return bool(value)
        if isinstance(value, (ListV, DictV)):
            return bool(value.items) if not value.taint else None
        if isinstance(value, (Layer, Func, Ref)):
            return True
        return None

    def iterate(self, value: Any, node: Optional[cst.CSTNode], allow_unknown: bool = False) -> Optional[list[Any]]:
        if isinstance(value, RangeV):
            if len(value) > self.limits.items:
                return None if allow_unknown else []
            return list(range(value.start, value.stop, value.step))
        if isinstance(value, ListV):
            return list(value.items)
        if isinstance(value, (tuple, str)):
            return list(value)
        if isinstance(value, DictV):
            return list(value.items)
        return None

    def check_size(self, n: int, node: Optional[cst.CSTNode]) -> None:
        if n > self.limits.items:
            line, col = self.pos(node) if node is not None else (0, 0)
            raise LimitReached(line, col, limit="list size", value=f"{n:,} items > {self.limits.items:,}")


class _Method:
    """A bound method of a tracked value, resolved when called."""

    def __init__(self, obj: Any, name: str) -> None:
        self.obj = obj
        self.name = name


class _Tainted:
    """Carries a starred list's taint into the call that receives its items."""

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = findings


_MISSING = object()


def _block(body: Any) -> Sequence[cst.CSTNode]:
    return body.body if hasattr(body, "body") else []


def _dotted(node: cst.CSTNode) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{_dotted(node.value)}.{node.attr.value}"
    return "?"


def _plain(value: Any) -> Any:
    """Interpreter values as the engine takes them: lists as tuples, anything opaque as Unknown."""
    if isinstance(value, ListV):
        if value.taint:
            return Unknown("list not known statically", value.taint[0].line, value.taint[0].column)
        return tuple(_plain(v) for v in value.items)
    if isinstance(value, tuple):
        return tuple(_plain(v) for v in value)
    if isinstance(value, Ref):
        return Symbol(canonical(value.qualname))
    if isinstance(value, Func):
        return Symbol(f"<local>.{value.name}")
    if isinstance(value, (Builtin, ObjV, DictV, RangeV, _Method)):
        return Unknown(f"{_describe(value)} is not a plain value")
    return value


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) or isinstance(value, bool)


def _hashable(value: Any) -> bool:
    return isinstance(value, (str, int, float, bool, tuple)) or value is None


def _describe(value: Any) -> str:
    if isinstance(value, (ListV, tuple)):
        return "a list"
    if isinstance(value, (int, float, str, bool)) or value is None:
        return repr(value)
    return type(value).__name__


def _builds_models(node: cst.CSTNode) -> bool:
    """Cheap test before running an uncalled function: does its text mention a Sequential or add()?"""
    code = cst.Module(body=[]).code_for_node(node)
    return "Sequential" in code or ".add(" in code or "append(" in code


def iter_models(interp: Interpreter) -> Iterator[Model]:
    """The outermost models: Sequentials that are not a child of another Sequential."""
    nested: set[int] = set()
    for model in interp.models:
        for _, child in model.children or []:
            nested.add(id(child))
    for model in interp.models:
        if id(model) not in nested:
            yield model
