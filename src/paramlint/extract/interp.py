"""A small, safe, bounded abstract interpreter over a Python syntax tree.

It runs the file's statements in order without executing anything real: imports bind
qualified names, constants fold, lists and Sequentials are built as values, helper
functions are called with known arguments. Whatever it cannot know becomes ``Unknown``
with a reason and a line; whatever it cannot bound raises ``LimitReached``.
"""
from __future__ import annotations

import ast
import re
import time
from typing import Any, Iterator, Optional, Sequence

from ..engine.findings import Finding, InvalidConfig, LimitReached, UnknownValue
from ..engine.values import Layer, Symbol, Unknown
from ..lint.settings import Limits
from . import builtins as bi
from .names import SEQUENTIALS, canonical, framework_of, is_known
from .objects import Ambiguous, Builtin, ClassV, DictV, Func, ListV, Model, ObjV, RangeV, Ref

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


TRY_STATEMENTS = tuple(getattr(ast, name) for name in ("Try", "TryStar") if hasattr(ast, name))
SELF_RETURNING = frozenset({"to", "cuda", "cpu", "float", "double", "half", "bfloat16", "train", "eval", "type"})
MODEL_READERS = frozenset({
    "compile", "summary", "fit", "evaluate", "predict", "save", "load_weights", "count_params", "parameters",
    "named_parameters", "state_dict", "load_state_dict", "zero_grad", "apply", "forward", "modules", "children",
})
OPS = {
    ast.Add: "Add", ast.Sub: "Subtract", ast.Mult: "Multiply", ast.Div: "Divide", ast.FloorDiv: "FloorDivide",
    ast.Mod: "Modulo", ast.Pow: "Power", ast.LShift: "LeftShift", ast.RShift: "RightShift", ast.BitOr: "BitOr",
    ast.BitAnd: "BitAnd", ast.BitXor: "BitXor", ast.MatMult: "MatrixMultiply",
}
COMPARISONS = {
    ast.Eq: "Equal", ast.NotEq: "NotEqual", ast.Lt: "LessThan", ast.LtE: "LessThanEqual", ast.Gt: "GreaterThan",
    ast.GtE: "GreaterThanEqual", ast.In: "In", ast.NotIn: "NotIn", ast.Is: "Is", ast.IsNot: "IsNot",
}


class Interpreter:
    def __init__(self, module: ast.Module, source: str, limits: Limits) -> None:
        self.module = module
        self.source = source
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
        self.classes: list[ClassV] = []

    # -- bookkeeping ------------------------------------------------------
    @staticmethod
    def pos(node: Any) -> Pos:
        return (getattr(node, "lineno", 0), getattr(node, "col_offset", -1) + 1)

    def tick(self, node: ast.AST) -> None:
        self.steps += 1
        if self.steps > self.limits.steps:
            raise LimitReached(*self.pos(node), limit="evaluation steps", value=self.limits.steps)
        if not self.steps & 255 and time.monotonic() > self.deadline:
            raise LimitReached(*self.pos(node), limit="time", value=f"{self.limits.seconds:g} s")

    def unknown(self, node: Any, reason: str) -> Unknown:
        return Unknown(reason, *self.pos(node))

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
        for cls in list(self.classes):  # classes never instantiated: __init__ with its defaults
            init = cls.method("__init__")
            if not cls.instantiated and init is not None:
                cls.instantiated = True
                self._call_with_defaults(Func(f"{cls.name}.__init__", init, cls.scope), ObjV("instance", {}, cls))

    def _referenced(self, name: str, before: str) -> bool:
        """Is the function called somewhere in the file (then its callers build its models)?"""
        pattern = before + re.escape(name) + r"\s*\("
        return len(re.findall(pattern, self.source)) > (1 if before == r"\b" else 0)

    def _call_with_defaults(self, func: Func, self_obj: Optional[ObjV]) -> None:
        node = func.node
        if not _builds_models(node):
            return
        args: list[Any] = [self_obj] if self_obj is not None else []
        self.assumptions = [f"{func.name}() called with its default arguments"]
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
    def exec_block(self, body: Sequence[ast.stmt], env: Env) -> None:
        for stmt in body:
            self.exec_stmt(stmt, env)

    def exec_stmt(self, stmt: ast.stmt, env: Env) -> None:
        self.tick(stmt)
        if isinstance(stmt, ast.Expr):
            self.eval(stmt.value, env)
        elif isinstance(stmt, ast.Assign):
            value = self.eval(stmt.value, env)
            for target in stmt.targets:
                self.bind(target, value, env)
        elif isinstance(stmt, ast.AnnAssign):
            if stmt.value is not None:
                self.bind(stmt.target, self.eval(stmt.value, env), env)
        elif isinstance(stmt, ast.AugAssign):
            self.exec_augassign(stmt, env)
        elif isinstance(stmt, ast.Return):
            raise _Return(None if stmt.value is None else self.eval(stmt.value, env))
        elif isinstance(stmt, ast.Import):
            for alias in stmt.names:
                if alias.asname is not None:
                    env.vars[alias.asname] = Ref(alias.name)
                else:
                    top = alias.name.split(".")[0]
                    env.vars[top] = Ref(top)
        elif isinstance(stmt, ast.ImportFrom):
            self.exec_import_from(stmt, env)
        elif isinstance(stmt, ast.If):
            self.exec_if(stmt, env)
        elif isinstance(stmt, (ast.For, ast.AsyncFor)):
            self.exec_for(stmt, env)
        elif isinstance(stmt, ast.While):
            cond = self.unknown(stmt, f"'while' loop at line {stmt.lineno}")
            self.exec_unknown_branches([stmt.body], env, cond)
        elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            func = Func(stmt.name, stmt, env)
            env.vars[stmt.name] = func
            self.funcs.append(func)
        elif isinstance(stmt, ast.ClassDef):
            cls = ClassV(stmt.name, stmt, env)
            env.vars[stmt.name] = cls
            self.classes.append(cls)
        elif isinstance(stmt, (ast.With, ast.AsyncWith)):
            for item in stmt.items:
                value = self.eval(item.context_expr, env)
                if item.optional_vars is not None:
                    bound = value if isinstance(value, Unknown) else self.unknown(item, "bound by 'with'")
                    self.bind(item.optional_vars, bound, env)
            self.exec_block(stmt.body, env)
        elif isinstance(stmt, TRY_STATEMENTS):
            tried: Any = stmt  # ast.Try or ast.TryStar (3.11+): handlers are not followed
            for block in (tried.body, tried.orelse, tried.finalbody):
                self.exec_block(block, env)
        elif isinstance(stmt, ast.Match):
            cond = self.unknown(stmt, f"'match' at line {stmt.lineno}")
            self.exec_unknown_branches([c.body for c in stmt.cases], env, cond)
        elif isinstance(stmt, ast.Break):
            raise _Break()
        elif isinstance(stmt, ast.Continue):
            raise _Continue()
        elif isinstance(stmt, ast.Raise):
            raise _Return(self.unknown(stmt, "the code raises here"))
        # pass, global, nonlocal, del, assert: nothing to track

    def exec_augassign(self, stmt: ast.AugAssign, env: Env) -> None:
        current = self.eval(stmt.target, env)
        value = self.eval(stmt.value, env)
        op = OPS.get(type(stmt.op), "?")
        if isinstance(current, ListV) and op == "Add":
            self.taint(current)
            self.extend(current, value, stmt)
            return
        self.bind(stmt.target, self.binop(op, current, value, stmt), env)

    def exec_import_from(self, node: ast.ImportFrom, env: Env) -> None:
        if node.level or node.module is None:
            for alias in node.names:
                if alias.name != "*":
                    env.vars[alias.asname or alias.name] = self.unknown(node, "imported from a relative module")
            return
        for alias in node.names:
            if alias.name == "*":
                self.star_modules.append(node.module)
            else:
                env.vars[alias.asname or alias.name] = Ref(f"{node.module}.{alias.name}")

    def exec_if(self, stmt: ast.If, env: Env) -> None:
        test = self.truth(self.eval(stmt.test, env))
        if test is True:
            self.exec_block(stmt.body, env)
        elif test is False:
            self.exec_block(stmt.orelse, env)
        else:
            cond = self.unknown(stmt, f"the condition at line {stmt.lineno} is not known statically")
            self.exec_unknown_branches([stmt.body, stmt.orelse], env, cond, exhaustive=True)

    def exec_unknown_branches(self, branches: list[Sequence[ast.stmt]], env: Env, cond: Unknown, exhaustive: bool = False) -> None:
        """Run each branch from the same state, under a taint: what they mutate is marked, and a name the
        paths leave bound to different values becomes unknown. Unless ``exhaustive``, one path runs no branch."""
        before = dict(env.vars)
        paths: list[dict[str, Any]] = [] if exhaustive else [before]
        self.conditions.append(cond)
        try:
            for body in branches:
                env.vars = dict(before)
                try:
                    self.exec_block(body, env)
                except (_Break, _Continue):
                    pass
                except _Return as ret:
                    self.taint(ret.value)
                paths.append(env.vars)
        finally:
            self.conditions.pop()
        merged: dict[str, Any] = {}
        for name in {name for path in paths for name in path}:
            values = [path.get(name, _MISSING) for path in paths]
            if all(v is values[0] for v in values):
                if values[0] is not _MISSING:
                    merged[name] = values[0]
                continue
            self.conditions.append(cond)
            for value in values:
                self.taint(value)
            self.conditions.pop()
            defined = [v for v in values if isinstance(v, Func)]
            if defined and len(defined) == len([v for v in values if v is not _MISSING]):
                merged[name] = defined[-1]  # a function defined under a condition: still an entry point
            else:
                kind = Ambiguous if any(isinstance(v, Ref) for v in values) else Unknown
                merged[name] = kind(f"'{name}' is bound where {cond.reason}", cond.line, cond.column, cond.limit)
        env.vars = merged

    def exec_for(self, stmt: Any, env: Env) -> None:
        iterable = self.eval(stmt.iter, env)
        items = self.iterate(iterable)
        if items is None or len(items) * max(1, len(stmt.body)) > self.limits.items:
            if items is None and not isinstance(iterable, RangeV):
                cond = self.unknown(stmt, f"the 'for' loop at line {stmt.lineno} iterates over a value not known statically")
            else:  # a range too long to unroll is a limit, not an unknown value
                count = iterable.size if items is None else len(items)
                cond = Unknown(f"{count:,} iterations", *self.pos(stmt), limit="loop iterations")
            self.bind(stmt.target, Unknown(cond.reason, cond.line, cond.column, cond.limit), env)
            self.exec_unknown_branches([stmt.body], env, cond)
            return
        for item in items:
            self.bind(stmt.target, item, env)
            try:
                self.exec_block(stmt.body, env)
            except _Break:
                return
            except _Continue:
                continue
        self.exec_block(stmt.orelse, env)

    # -- binding ----------------------------------------------------------
    def bind(self, target: ast.expr, value: Any, env: Env) -> None:
        if isinstance(target, ast.Name):
            env.vars[target.id] = value
            if isinstance(value, Model) and value.name is None:
                value.name = target.id
        elif isinstance(target, (ast.Tuple, ast.List)):
            items = self.iterate(value)
            if items is None or len(items) != len(target.elts) or any(isinstance(e, ast.Starred) for e in target.elts):
                reason = value.reason if isinstance(value, Unknown) else "unpacking not known statically"
                for e in target.elts:
                    self.bind(e.value if isinstance(e, ast.Starred) else e, Unknown(reason, *self.pos(e)), env)
                return
            for e, item in zip(target.elts, items):
                self.bind(e, item, env)
        elif isinstance(target, ast.Attribute):
            obj = self.eval(target.value, env)
            if isinstance(obj, ObjV):
                obj.attrs[target.attr] = value
                if isinstance(value, Model) and value.name is None:
                    value.name = f"{obj.cls.name}.{target.attr}" if obj.cls is not None else target.attr
        elif isinstance(target, ast.Subscript):
            obj = self.eval(target.value, env)
            key = None if isinstance(target.slice, ast.Slice) else self.eval(target.slice, env)
            if isinstance(obj, DictV) and _hashable(key):
                self.taint(obj)
                obj.items[key] = value
            elif isinstance(obj, ListV) and isinstance(key, int) and -len(obj.items) <= key < len(obj.items):
                self.taint(obj)
                obj.items[key] = value
            elif isinstance(obj, (ListV, DictV)):
                obj.taint.append(UnknownValue(*self.pos(target), what="the layers", reason="an item is set with an index not known statically"))

    # -- expressions ------------------------------------------------------
    def eval(self, node: ast.expr, env: Env) -> Any:
        self.tick(node)
        if isinstance(node, ast.Constant):
            return node.value if not isinstance(node.value, (bytes, complex)) and node.value is not Ellipsis else self.unknown(node, "not a number")
        method = getattr(self, "eval_" + type(node).__name__, None)
        if method is None:
            return self.unknown(node, f"{type(node).__name__} expressions are not evaluated")
        return method(node, env)

    def eval_JoinedStr(self, node: ast.JoinedStr, env: Env) -> Any:
        out = []
        for part in node.values:
            if isinstance(part, ast.Constant):
                out.append(str(part.value))
                continue
            assert isinstance(part, ast.FormattedValue)
            value = self.eval(part.value, env)
            if part.format_spec is not None or part.conversion != -1 or not isinstance(value, (str, int, float)) or isinstance(value, bool):
                return self.unknown(node, "f-string not known statically")
            out.append(str(value))
        return "".join(out)

    def eval_Name(self, node: ast.Name, env: Env) -> Any:
        name = node.id
        try:
            return env.lookup(name)
        except KeyError:
            pass
        if name in bi.BUILTINS:
            return Builtin(name, bi.BUILTINS[name])
        candidates = [canonical(f"{module}.{name}") for module in self.star_modules]
        for qual in sorted(candidates, key=lambda q: not is_known(q)):  # a registered name wins over a plausible one
            if framework_of(qual) is not None or qual in bi.QUALIFIED:
                return Ref(qual)
        return self.unknown(node, f"name '{name}' is not known statically")

    def eval_Attribute(self, node: ast.Attribute, env: Env) -> Any:
        base = self.eval(node.value, env)
        attr = node.attr
        if isinstance(base, Ref):
            return Ref(f"{base.qualname}.{attr}")
        if isinstance(base, ObjV) and base.kind == "parser":
            return _Method(base, attr)
        if isinstance(base, ObjV) and attr not in base.attrs and base.cls is not None:
            method = base.cls.method(attr)
            if method is not None:
                return _BoundMethod(Func(f"{base.cls.name}.{attr}", method, base.cls.scope), base)
        if isinstance(base, ObjV):
            if attr in base.attrs:
                value = base.attrs[attr]
                if base.kind == "namespace" and not isinstance(value, Unknown):
                    flag = base.attrs.get("__flags__", {}).get(attr, f"--{attr}")
                    note = f"argparse default {flag}={value!r}"
                    if note not in self.assumptions:
                        self.assumptions.append(note)
                return value
            return self.unknown(node, f"'{attr}' is not known statically")
        if isinstance(base, Unknown):
            return base
        if isinstance(base, (ListV, Model, DictV, Layer, str)):
            return _Method(base, attr)
        return self.unknown(node, f"attribute '{attr}' is not known statically")

    def eval_UnaryOp(self, node: ast.UnaryOp, env: Env) -> Any:
        value = self.eval(node.operand, env)
        if isinstance(node.op, ast.Not):
            truth = self.truth(value)
            return self.unknown(node, "condition not known statically") if truth is None else not truth
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
        try:
            return bi.arith(op, left, right, self.limits.int_bits, lambda lim, val: LimitReached(*self.pos(node), limit=lim, value=val), lambda why: self.unknown(node, why))
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
            result = bi.compare(COMPARISONS[type(op)], left, right)
            if result is None:
                return self.unknown(node, "comparison not known statically")
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

    def eval_Subscript(self, node: ast.Subscript, env: Env) -> Any:
        base = self.eval(node.value, env)
        if isinstance(base, Unknown):
            return base
        if isinstance(base, Ref):
            return base  # typing generics such as List[int]
        if isinstance(node.slice, ast.Slice):
            parts = [None if p is None else self.eval(p, env) for p in (node.slice.lower, node.slice.upper, node.slice.step)]
            return bi.slice_of(base, parts, lambda why: self.unknown(node, why))
        key = self.eval(node.slice, env)
        return bi.index(base, key, lambda why: self.unknown(node, why))

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

    # -- calls ------------------------------------------------------------
    def eval_Call(self, node: ast.Call, env: Env) -> Any:
        callee = self.eval(node.func, env)
        args: list[Any] = []
        kwargs: dict[str, Any] = {}
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                value = self.eval(arg.value, env)
                items = self.iterate(value)
                if items is None:
                    args.append(value if isinstance(value, Unknown) else self.unknown(arg, "*-argument not known statically"))
                else:
                    args.extend(items)
                    if isinstance(value, ListV) and value.taint:
                        args.append(_Tainted(value.taint))
            else:
                args.append(self.eval(arg, env))
        for kw in node.keywords:
            value = self.eval(kw.value, env)
            if kw.arg is not None:
                kwargs[kw.arg] = value
            elif isinstance(value, DictV) and all(isinstance(k, str) for k in value.items):
                kwargs.update(value.items)
            else:
                kwargs["**"] = self.unknown(kw, "**-argument not known statically")
        return self.call(callee, args, kwargs, node)

    def call(self, callee: Any, args: list[Any], kwargs: dict[str, Any], node: ast.AST) -> Any:
        if isinstance(callee, Ref):
            return self.construct(callee.qualname, args, kwargs, node)
        if isinstance(callee, Func):
            callee.called = True
            return self.call_func(callee, args, kwargs, node)
        if isinstance(callee, ClassV):
            return self.instantiate(callee, args, kwargs, node)
        if isinstance(callee, _BoundMethod):
            return self.call_func(callee.func, [callee.obj, *args], kwargs, node)
        if isinstance(callee, Builtin):
            return callee.fn(self, args, kwargs, node)
        if isinstance(callee, _Method):
            return self.call_method(callee, args, kwargs, node)
        if isinstance(callee, Unknown):
            name = _callee_name(node)
            if name == "Sequential" and isinstance(callee, Ambiguous):  # nn is torch.nn on one path: say so
                return self.unresolved_model(callee, node)
            if name[:1].isupper():  # an unknown class (MyBlock(3)): an unknown layer if used as one
                return Layer(name, tuple(args), kwargs, *self.pos(node))
            return callee
        return self.unknown(node, "call not known statically")

    def instantiate(self, cls: ClassV, args: list[Any], kwargs: dict[str, Any], node: ast.AST) -> Any:
        """Run the class's ``__init__`` (models built there are found); as a value it is a layer paramlint
        cannot count (an nn.Module / keras Layer subclass), which is what it is when put in a Sequential."""
        cls.instantiated = True
        obj = ObjV("instance", {}, cls)
        init = cls.method("__init__")
        if init is not None:
            self.call_func(Func(f"{cls.name}.__init__", init, cls.scope), [obj, *args], kwargs, node)
        line, col = self.pos(node)
        return Layer(cls.name, tuple(_plain(a) for a in args), {k: _plain(v) for k, v in kwargs.items()}, line, col)

    def unresolved_model(self, callee: Unknown, node: ast.AST) -> Model:
        """A ``Sequential(...)`` call whose callee is not known: reported incomplete, never dropped, so that
        binding ``nn`` under a condition cannot escape a budget."""
        line, col = self.pos(node)
        model = Model("Sequential", (), {}, line, col, children=[], framework="unknown")
        model.taint.append(UnknownValue(line, col, what="the model", reason=f"which Sequential this is: {callee.reason}"))
        self.touch(model)
        self.models.append(model)
        return model

    def construct(self, qualname: str, args: list[Any], kwargs: dict[str, Any], node: ast.AST) -> Any:
        qual = canonical(qualname)
        line, col = self.pos(node)
        tainted = [a for a in args if isinstance(a, _Tainted)]
        args = [a for a in args if not isinstance(a, _Tainted)]
        if qual in SEQUENTIALS:
            model = Model(qual, (), {}, line, col, children=[], framework=SEQUENTIALS[qual])
            for t in tainted:
                model.taint.extend(t.findings)
            self.fill_sequential(model, args, kwargs, node)
            self.taint(model)  # built under a condition not known statically: which model later code extends is not known
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

    def fill_sequential(self, model: Model, args: list[Any], kwargs: dict[str, Any], node: ast.AST) -> None:
        assert model.children is not None
        if model.framework == "keras":
            name = kwargs.get("name")
            if isinstance(name, str):
                model.name = name
            layers = kwargs.get("layers", args[0] if args else None)
            if layers is None:
                return
            items = self.iterate(layers)
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

    def as_layer(self, item: Any, node: ast.AST) -> Any:
        if isinstance(item, (Layer, Unknown)):
            return item
        return self.unknown(node, f"{_describe(item)} is not a layer")

    def call_method(self, method: "_Method", args: list[Any], kwargs: dict[str, Any], node: ast.AST) -> Any:
        obj, name = method.obj, method.name
        if isinstance(obj, Model):
            return self.model_method(obj, name, args, kwargs, node)
        if isinstance(obj, ListV):
            return self.list_method(obj, name, args, node)
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

    def list_method(self, obj: ListV, name: str, args: list[Any], node: ast.AST) -> Any:
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
        return self.unknown(node, f"list.{name}() is not evaluated")

    def model_method(self, model: Model, name: str, args: list[Any], kwargs: dict[str, Any], node: ast.AST) -> Any:
        assert model.children is not None
        self.taint(model)
        self.touch(model)
        if name in SELF_RETURNING:
            return model
        keras, torch = model.framework == "keras", model.framework == "torch"
        if (keras and name == "add" or torch and name == "append") and len(args) == 1:
            model.children.append((None, self.as_layer(args[0], node)))
        elif keras and name == "build":
            shape = args[0] if args else kwargs.get("input_shape")
            if isinstance(shape, ListV):
                shape = tuple(shape.items)
            dims = shape[1:] if isinstance(shape, tuple) and len(shape) >= 1 else None
            if dims is not None and all(d is None or (type(d) is int and d > 0) for d in dims):
                model.build_shape = tuple(dims)
            elif dims is not None and not any(isinstance(d, Unknown) for d in dims):  # 3.5, True, -4: a count from them would be wrong
                model.taint.append(InvalidConfig(*self.pos(node), layer="model.build()", reason=f"expected a shape of positive integers or None. Received: {shape!r}"))
            else:
                model.taint.append(UnknownValue(*self.pos(node), what="the input shape", reason="model.build() argument not known statically"))
        elif keras and name == "pop" and model.children:
            model.children.pop()
        elif torch and name == "add_module" and len(args) == 2:
            key = args[0] if isinstance(args[0], str) else None
            if key is None:
                model.taint.append(UnknownValue(*self.pos(node), what="the layers", reason="add_module() name not known statically"))
            model.children.append((key, self.as_layer(args[1], node)))
        elif torch and name == "extend" and len(args) == 1:
            for item in self.iterate(args[0]) or [self.unknown(node, "extend() argument not known statically")]:
                model.children.append((None, self.as_layer(item, node)))
        elif torch and name == "insert" and len(args) == 2 and isinstance(args[0], int):
            model.children.insert(args[0], (None, self.as_layer(args[1], node)))
        elif name in MODEL_READERS:
            return self.unknown(node, f"{name}() result is not evaluated")
        else:
            model.taint.append(UnknownValue(*self.pos(node), what="the layers", reason=f"{name}() on the model is not followed"))
        return None

    def extend(self, target: ListV, value: Any, node: ast.AST) -> None:
        items = self.iterate(value)
        if items is None:
            target.items.append(value if isinstance(value, Unknown) else self.unknown(node, "items not known statically"))
            return
        if isinstance(value, ListV):
            target.taint.extend(value.taint)
        target.items.extend(items)
        self.check_size(len(target.items), node)

    def call_func(self, func: Func, args: list[Any], kwargs: dict[str, Any], node: ast.AST, defaults_only: bool = False) -> Any:
        if self.depth >= self.limits.depth:  # deep recursion: this call's result is unknown, the file goes on
            return Unknown(f"{func.name}() nested {self.limits.depth} calls deep", *self.pos(node), limit="call depth")
        local = Env(func.scope)
        spec: ast.arguments = func.node.args
        ordered = list(spec.posonlyargs) + list(spec.args)
        defaults: list[Optional[ast.expr]] = [None] * (len(ordered) - len(spec.defaults)) + list(spec.defaults)
        args = [a for a in args if not isinstance(a, _Tainted)]
        kwargs = dict(kwargs)
        why = "has no default" if defaults_only else "is not given"
        for i, (param, default) in enumerate(zip(ordered, defaults)):
            if i < len(args):
                local.vars[param.arg] = args[i]
            elif param.arg in kwargs:
                local.vars[param.arg] = kwargs.pop(param.arg)
            elif default is not None:
                local.vars[param.arg] = self.eval(default, func.scope)
            else:
                local.vars[param.arg] = Unknown(f"parameter '{param.arg}' of {func.name}() {why}", *self.pos(param))
        for param, kw_default in zip(spec.kwonlyargs, spec.kw_defaults):
            if param.arg in kwargs:
                local.vars[param.arg] = kwargs.pop(param.arg)
            elif kw_default is not None:
                local.vars[param.arg] = self.eval(kw_default, func.scope)
            else:
                local.vars[param.arg] = Unknown(f"parameter '{param.arg}' of {func.name}() {why}", *self.pos(param))
        if spec.vararg is not None:
            local.vars[spec.vararg.arg] = tuple(args[len(ordered):])
        if spec.kwarg is not None:
            local.vars[spec.kwarg.arg] = DictV(dict(kwargs))
        self.depth += 1
        try:
            if isinstance(func.node, ast.Lambda):
                return self.eval(func.node.body, local)
            self.exec_block(func.node.body, local)
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
        if isinstance(value, (Layer, Func, Ref, ClassV)):
            return True
        return None

    def iterate(self, value: Any) -> Optional[list[Any]]:
        """The items of a known iterable, or None (unknown, or a range longer than the items limit)."""
        if isinstance(value, RangeV):
            return list(range(value.start, value.stop, value.step)) if value.size <= self.limits.items else None
        if isinstance(value, ListV):
            return list(value.items)
        if isinstance(value, (tuple, str)):
            return list(value)
        if isinstance(value, DictV):
            return list(value.items)
        return None

    def check_size(self, n: int, node: Optional[ast.AST]) -> None:
        if n > self.limits.items:
            line, col = self.pos(node) if node is not None else (0, 0)
            raise LimitReached(line, col, limit="list size", value=f"{n:,} items > {self.limits.items:,}")


class _Method:
    """A bound method of a tracked value, resolved when called."""

    def __init__(self, obj: Any, name: str) -> None:
        self.obj = obj
        self.name = name


class _BoundMethod:
    """A method of an instance of a class of the file."""

    def __init__(self, func: Func, obj: ObjV) -> None:
        self.func = func
        self.obj = obj


class _Tainted:
    """Carries a starred list's taint into the call that receives its items."""

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = findings


_MISSING = object()


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
    if isinstance(value, ClassV):
        return Symbol(f"<local>.{value.name}")
    if isinstance(value, (Builtin, ObjV, DictV, RangeV, _Method, _BoundMethod)):
        return Unknown(f"{_describe(value)} is not a plain value")
    return value


def _callee_name(node: ast.AST) -> str:
    func = getattr(node, "func", None)
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _number(value: Any) -> bool:
    return isinstance(value, (int, float))


def _hashable(value: Any) -> bool:
    return isinstance(value, (str, int, float, bool, tuple)) or value is None


def _describe(value: Any) -> str:
    if isinstance(value, (ListV, tuple)):
        return "a list"
    if isinstance(value, (int, float, str, bool)) or value is None:
        return repr(value)
    return type(value).__name__


def _builds_models(node: Any) -> bool:
    """Cheap test before running an uncalled function: does it call a Sequential, add() or append()?"""
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call):
            func = sub.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if name in ("Sequential", "add", "append", "extend", "add_module"):
                return True
    return False


def iter_models(interp: Interpreter) -> Iterator[Model]:
    """The outermost models: Sequentials that are not a child of another Sequential."""
    nested: set[int] = set()
    for model in interp.models:
        for _, child in model.children or []:
            nested.add(id(child))
    seen: set[tuple[int, int, Optional[str]]] = set()
    for model in interp.models:
        key = (model.line, model.column, model.name)
        if id(model) not in nested and key not in seen:
            seen.add(key)
            yield model
