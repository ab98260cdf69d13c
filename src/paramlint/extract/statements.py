"""Statements: assignments, imports, branches and loops, definitions of functions and classes."""
from __future__ import annotations

import ast
from typing import Any, Sequence

from ..engine.findings import UnknownValue
from ..engine.values import Layer, Unknown

from .core import _MISSING, OPS, TRY_STATEMENTS, Core, Env, _Break, _Continue, _hashable, _Raised, _Return
from .libs import stdlib
from .libs import torch as torch_lib
from .names import SEQUENTIALS, canonical, framework_of
from .objects import (
    Ambiguous, BoundMethod, Builtin, ClassV, DictV, Func, ListV, Model, ModuleInstance, ModuleV, NotModule, ParamGroup, Params, Partial,
    RangeV, Ref,
)

METHOD_DECORATORS = ("staticmethod", "classmethod", "property")
# A loop over more items than this that constructs no layer or model is run once, not unrolled (deterministic).
DATA_LOOP = 100


class Statements(Core):
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
            self.exec_import(stmt, env)
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
            self.exec_def(stmt, env)
        elif isinstance(stmt, ast.ClassDef):
            self.exec_class(stmt, env)
        elif isinstance(stmt, ast.Delete):
            for target in stmt.targets:
                if isinstance(target, ast.Attribute):
                    self.delete_attribute(self.eval(target.value, env), target.attr, target)
                elif isinstance(target, ast.Subscript):
                    self.delete_item(target, env)
        elif isinstance(stmt, (ast.With, ast.AsyncWith)):
            for item in stmt.items:
                value = self.eval(item.context_expr, env)
                if item.optional_vars is not None:
                    bound = value if isinstance(value, Unknown) else self.unknown(item, "bound by 'with'")
                    self.bind(item.optional_vars, bound, env)
            self.exec_block(stmt.body, env)
        elif isinstance(stmt, TRY_STATEMENTS):
            tried: Any = stmt  # ast.Try or ast.TryStar (3.11+): handlers are not followed
            try:
                self.exec_block(tried.body, env)
                self.exec_block(tried.orelse, env)
            except _Raised:
                pass  # caught (or not): what follows the try is still the file's code
            self.exec_block(tried.finalbody, env)
        elif isinstance(stmt, ast.Match):
            cond = self.unknown(stmt, f"'match' at line {stmt.lineno}")
            self.exec_unknown_branches([c.body for c in stmt.cases], env, cond)
        elif isinstance(stmt, ast.Break):
            raise _Break()
        elif isinstance(stmt, ast.Continue):
            raise _Continue()
        elif isinstance(stmt, ast.Raise):
            raise _Raised(self.unknown(stmt, "the code raises here"))
        # pass, global, nonlocal, assert: nothing to track

    def delete_item(self, target: ast.Subscript, env: Env) -> None:
        """``del layers[name]``: the item goes, as in Python; where the key or the state is not known, the container
        is marked, and any other container's items changed by ``del`` are not followed."""
        obj = self.eval(target.value, env)
        key = None if isinstance(target.slice, ast.Slice) else self.eval(target.slice, env)
        if isinstance(obj, DictV) and _hashable(key) and key in obj.items and not self.conditions:
            del obj.items[key]
        elif isinstance(obj, ListV) and isinstance(key, int) and not isinstance(key, bool) and -len(obj.items) <= key < len(obj.items) \
                and not self.conditions:
            del obj.items[key]
        elif isinstance(obj, (ListV, DictV)):
            obj.taint.append(UnknownValue(*self.pos(target), what="the layers", reason="an item is deleted where it is not known statically"))
        elif isinstance(obj, Layer) and (obj.children is not None or isinstance(obj, ModuleInstance)):
            torch_lib.setitem(self, obj, object(), None, target)  # an entry not known: the count is incomplete

    def exec_def(self, stmt: Any, env: Env, owner: "ClassV | None" = None) -> Func:
        """Decorators are taken to return the function (``@register_model``); methods keep the three
        that change how they bind."""
        names = tuple(d.id for d in stmt.decorator_list if isinstance(d, ast.Name) and d.id in METHOD_DECORATORS)
        func = Func(f"{owner.name}.{stmt.name}" if owner else stmt.name, stmt, env, owner=owner, decorators=names)
        if owner is None:
            env.vars[stmt.name] = self.decorate(func, stmt, env)
            self.funcs.append(func)
        return func

    def decorate(self, func: Func, stmt: Any, env: Env) -> Any:
        """A decorator written in Python (the file's, or a followed module's) runs as Python runs it, innermost
        first: a registry it fills is filled, the wrapper it returns is what the name calls. A library's decorator,
        or one whose result is not a function, is taken to return the function."""
        decorators = [self.eval(d, env) for d in stmt.decorator_list]
        value: Any = func
        for decorator in reversed(decorators):
            if isinstance(decorator, (Func, BoundMethod, Partial, Builtin)):  # Builtin: functools.wraps(fn)
                result = self.call(decorator, [value], {}, stmt)
                if isinstance(result, (Func, BoundMethod, Partial)):
                    value = result
        return value

    def exec_class(self, stmt: ast.ClassDef, env: Env) -> None:
        """The body runs once, in a scope of its own: its names become the class's attributes."""
        cls = ClassV(stmt.name, stmt, env, bases=tuple(self.eval(b, env) for b in stmt.bases))
        decorators = [self.eval(d, env) for d in stmt.decorator_list]  # evaluated once, before the body, as Python does
        cls.dataclass = any(_decorator_name(d) == "dataclasses.dataclass" for d in decorators) \
            or any(isinstance(b, Ref) and b.qualname == "typing.NamedTuple" for b in cls.bases)  # fields, as a dataclass's
        body = Env(env)
        fields: list[str] = []
        for item in stmt.body:
            if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                body.vars[item.name] = self.exec_def(item, env, owner=cls)
            elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                fields.append(item.target.id)
                if item.value is not None:
                    body.vars[item.target.id] = self.eval(item.value, body)
            else:
                self.exec_stmt(item, body)
        cls.attrs = dict(body.vars)
        if stdlib.is_enum(cls):
            stdlib.enum_members(cls)
        if cls.dataclass:
            cls.attrs["__fields__"] = tuple(fields)
        env.vars[stmt.name] = cls
        self.classes.append(cls)
        env.vars[stmt.name] = self.decorate_class(cls, decorators, stmt)

    def decorate_class(self, cls: ClassV, decorators: list[Any], stmt: ast.ClassDef) -> Any:
        """A class decorator written in Python runs as Python runs it (``@MODELS.register("resnet")`` fills its
        registry); what it returns is the name's value when a class, else the class itself."""
        value: Any = cls
        for decorator in reversed(decorators):
            if isinstance(decorator, (Func, BoundMethod, Partial)):
                result = self.call(decorator, [value], {}, stmt)
                if isinstance(result, ClassV):
                    value = result
        return value

    def exec_augassign(self, stmt: ast.AugAssign, env: Env) -> None:
        current = self.eval(stmt.target, env)
        value = self.eval(stmt.value, env)
        op = OPS.get(type(stmt.op), "?")
        if isinstance(current, ListV) and op == "Add":
            self.taint(current)
            self.extend(current, value, stmt)
            return
        if isinstance(current, Layer) and current.qualname == "torch.nn.ModuleList" and current.children is not None and op == "Add":
            torch_lib.container_mutation(self, current, "extend", [value], stmt)  # layers += [...]: ModuleList.extend, in place
            return
        self.bind(stmt.target, self.binop(op, current, value, stmt), env)

    def exec_import(self, stmt: ast.Import, env: Env) -> None:
        """Imports not followed to a file bind qualified names (see ``modules.py`` for those that are)."""
        for alias in stmt.names:
            if alias.asname is not None:
                env.vars[alias.asname] = Ref(alias.name)
            else:
                top = alias.name.split(".")[0]
                env.vars[top] = Ref(top)

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
        for name in {bound for path in paths for bound in path}:
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
        if isinstance(iterable, Params):
            self.exec_for_parameters(stmt, iterable, env)
            return
        items = self.iterate(iterable)
        if items is None or len(items) * max(1, len(stmt.body)) > self.limits.items:
            if items is None and not isinstance(iterable, RangeV):
                cond = self.unknown(stmt, f"the 'for' loop at line {stmt.lineno} iterates over a value not known statically")
            else:  # a range too long to unroll is a limit, not an unknown value
                count = iterable.size if items is None else len(items)
                cond = Unknown(f"{count:,} iterations", *self.pos(stmt), limit="loop iterations")
            module = iterable.module if isinstance(iterable, Unknown) else ""  # the items of what an unread package made
            self.bind(stmt.target, Unknown(cond.reason, cond.line, cond.column, cond.limit, module), env)
            self.exec_unknown_branches([stmt.body], env, cond)
            return
        if len(items) > DATA_LOOP and _calls_something(stmt) and not self.constructs(stmt.body, env, set()):
            # data generation, training, simulation: run once, as a branch whose outcome is not known, so what it
            # assigns becomes unknown and what it changes is marked, and the file's cost follows its model code
            cond = self.unknown(stmt, f"the loop at line {stmt.lineno} ({len(items):,} iterations), which builds no model, is not unrolled")
            self.bind(stmt.target, Unknown(cond.reason, cond.line, cond.column), env)
            self.exec_unknown_branches([stmt.body], env, cond)
            return
        if self.unroll(stmt, items, env):
            self.exec_block(stmt.orelse, env)

    def constructs(self, body: Sequence[Any], env: Env, visiting: set[int]) -> bool:
        """Can running ``body`` construct a layer or a model? Read from its calls: a framework layer or model class,
        a module class of the file, or a function or method of the file that can (followed, each once)."""
        for sub in self.calls_in(body):
            chain, root = [], sub.func
            while isinstance(root, ast.Attribute):
                chain.append(root.attr)
                root = root.value
            target: Any = None
            if isinstance(root, ast.Name):
                try:
                    target = env.lookup(root.id)
                except KeyError:
                    target = None
            target = self.static_value(target)
            if isinstance(target, ModuleV):  # blocks.ConvBlock(...): through the modules read
                target, rest = self.static_member(target, chain[::-1])
                chain = rest[::-1]
                target = self.static_value(target)
            if isinstance(target, Ref):
                qual = canonical(".".join([target.qualname, *reversed(chain)]))
                if framework_of(qual) is not None or qual in SEQUENTIALS:
                    return True
            elif isinstance(target, ClassV) and not chain:
                init, _ = target.lookup("__init__")
                if target.is_torch_module or isinstance(init, Func) and self._function_constructs(init, visiting):
                    return True
            elif isinstance(target, Func) and not chain:
                if self._function_constructs(target, visiting):
                    return True
            elif chain and self._method_constructs(chain[0], visiting):  # self.build(), model.make_head()
                return True
        return False

    def static_member(self, value: Any, names: list[str]) -> tuple[Any, list[str]]:
        return value, names

    def static_value(self, value: Any) -> Any:
        return value

    def calls_in(self, body: Sequence[Any]) -> list[ast.Call]:
        """Every call in ``body``, found by one walk per body and analysis (the entry points and the data-loop
        rule ask about the same bodies again)."""
        found = self.call_cache.get(id(body))
        if found is None:
            found = self.call_cache[id(body)] = [n for stmt in body for n in ast.walk(stmt) if isinstance(n, ast.Call)]
        return found

    def _function_constructs(self, func: Func, visiting: set[int]) -> bool:
        if id(func) in visiting:
            return False
        visiting.add(id(func))
        return self.constructs(func.node.body, func.scope, visiting)

    def _method_constructs(self, name: str, visiting: set[int]) -> bool:
        return any(isinstance(f, Func) and self._function_constructs(f, visiting)
                   for cls in self.classes for attr, f in cls.attrs.items() if attr == name)

    def unroll(self, stmt: Any, items: Sequence[Any], env: Env) -> bool:
        """Run a loop's body once per item; False when it ended in ``break``."""
        for item in items:
            self.bind(stmt.target, item, env)
            try:
                self.exec_block(stmt.body, env)
            except _Break:
                return False
            except _Continue:
                continue
        return True

    def exec_for_parameters(self, stmt: Any, params: Params, env: Env) -> None:
        """``for p in m.parameters():`` runs once with ``p`` standing for every parameter of ``m``;
        ``named_parameters()`` runs per parameter where torch's names for them are known."""
        pairs = torch_lib.named_parameters(self, params) if params.named else None
        if pairs is None or len(pairs) > self.limits.items:
            group = ParamGroup(params.owner)
            why = self.unknown(stmt, "the parameters' names are not known statically")
            item: Any = (Unknown(why.reason, why.line, why.column), group) if params.named else group
            if any(isinstance(n, (ast.Break, ast.Return)) for n in ast.walk(stmt)):  # it stops after some of them
                self.bind(stmt.target, item, env)
                self.exec_unknown_branches([stmt.body], env, self.unknown(stmt, f"the loop at line {stmt.lineno} may stop early"))
                return
            self.unroll(stmt, [item], env)
            return
        self.unroll(stmt, pairs, env)

    # -- binding ----------------------------------------------------------
    def bind(self, target: ast.expr, value: Any, env: Env) -> None:
        if isinstance(target, ast.Name):
            env.vars[target.id] = value
            if isinstance(value, Model) and (value.name is None or value.named_by == "function" and env is self.globals and value.returned_by):
                # the first variable names it; a builder's model bound at module level takes the name it gets there
                value.name, value.named_by = target.id, "module" if env is self.globals else "function"
            elif env is self.globals and type(value) is Layer and value.qualname.startswith("torch.") and value.children is None:
                self.loose_layers.append((target.id, value))  # model = nn.Linear(1, 1): a module too
            elif env is self.globals and isinstance(value, Unknown) and not isinstance(value, NotModule):
                self.uncounted_bound.append((target.id, value))  # model = missinglib.build(): a model if used as one
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
            self.set_on(self.eval(target.value, env), target.attr, value, target)
        elif isinstance(target, ast.Subscript):
            obj = self.eval(target.value, env)
            key = None if isinstance(target.slice, ast.Slice) else self.eval(target.slice, env)
            if isinstance(obj, DictV) and _hashable(key):
                self.taint(obj)
                obj.items[key] = value
            elif isinstance(obj, ListV) and isinstance(key, int) and -len(obj.items) <= key < len(obj.items):
                self.taint(obj)
                obj.items[key] = value
            elif isinstance(obj, Layer) and obj.qualname.startswith("torch.") and (obj.children is not None or isinstance(obj, ModuleInstance)):
                torch_lib.setitem(self, obj, key, value, target)
            elif isinstance(obj, (ListV, DictV)):
                obj.taint.append(UnknownValue(*self.pos(target), what="the layers", reason="an item is set with an index not known statically"))


def _calls_something(loop: Any) -> bool:
    """Pure arithmetic is cheap to unroll and may size a model; only loops that call things are data loops."""
    return any(isinstance(sub, ast.Call) for stmt in loop.body for sub in ast.walk(stmt))


def _decorator_name(value: Any) -> str:
    return value.qualname if isinstance(value, Ref) else ""
