"""A small, safe, bounded abstract interpreter over a Python syntax tree.

It runs the file's statements in order without executing anything real: imports bind
qualified names, constants fold, lists and Sequentials are built as values, helper
functions are called with known arguments. Whatever it cannot know becomes ``Unknown``
with a reason and a line; whatever it cannot bound raises ``LimitReached``.
"""
from __future__ import annotations

import ast
import re
from typing import Any, Iterator, Optional, Sequence

from ..engine.findings import LimitReached, UnknownValue
from ..engine.values import Layer, Unknown
from .calls import Calls
from .core import _MISSING, OPS, TRY_STATEMENTS, Env, _Break, _Continue, _hashable, _Return
from .objects import Ambiguous, ClassV, DictV, Func, ListV, Model, ObjV, RangeV, Ref


class Interpreter(Calls):
    """Runs a module: its statements in order, then the functions and classes it never calls."""

    def run_module(self) -> None:
        try:
            self.exec_block(self.module.body, self.globals)
        except (_Return, _Break, _Continue):
            pass  # 'return' outside a function parses (ast does not check it); like Python, nothing runs after it
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
            cls = ClassV(stmt.name, stmt, env, bases=tuple(self.eval(b, env) for b in stmt.bases))
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
    def bind_trainable(self, target: ast.Attribute, obj: Any, value: Any) -> None:
        """``layer.trainable = False`` on a Keras layer the file holds is exact; any other change of what is
        trainable (``p.requires_grad = False`` in a loop, ``model.trainable = ...``) makes every split unknown."""
        exact = isinstance(obj, Layer) and not isinstance(obj, Model) and obj.qualname.startswith("keras.")
        if exact and target.attr == "trainable" and isinstance(value, bool) and not self.conditions:
            obj.kwargs["trainable"] = value
            return
        framework = "keras" if target.attr == "trainable" else "torch"
        self.freezes.append((framework, self.unknown(target, f"'.{target.attr} = ...' changes which parameters are trainable")))

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
            if target.attr in ("trainable", "requires_grad"):
                self.bind_trainable(target, obj, value)
            if isinstance(obj, ObjV):
                self.set_attribute(obj, target.attr, value)
            elif isinstance(obj, Layer) and obj.kind == "module" and obj.children is not None and isinstance(value, (Layer, Unknown)):
                # m.extra = nn.Linear(...) after construction: torch registers it too
                obj.children.append((target.attr, value if not self.conditions else self.unknown(target, "set under a condition")))
        elif isinstance(target, ast.Subscript):
            obj = self.eval(target.value, env)
            key = None if isinstance(target.slice, ast.Slice) else self.eval(target.slice, env)
            if isinstance(obj, DictV) and _hashable(key):
                self.taint(obj)
                obj.items[key] = value
            elif isinstance(obj, ListV) and isinstance(key, int) and -len(obj.items) <= key < len(obj.items):
                self.taint(obj)
                obj.items[key] = value
            elif isinstance(obj, Layer) and obj.kind == "module" and obj.children is not None:
                obj.children.append((None, self.unknown(target, f"an item of {obj.type_name} is replaced")))
            elif isinstance(obj, (ListV, DictV)):
                obj.taint.append(UnknownValue(*self.pos(target), what="the layers", reason="an item is set with an index not known statically"))


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
