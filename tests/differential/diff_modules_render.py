"""Render a ``FileDesc`` as Python source, in the styles real model code is written in.

Every choice is drawn: import form (``import torch.nn as nn``, ``from torch import nn``, ``torch.nn.X``, layer
names imported), how a container is built (arguments, comprehension, ``append`` / ``extend`` loops, a local
list, ``zip`` over a size list, a ``prev`` variable, ``OrderedDict``, ``add_module``, item assignment), where a
module is built (``__init__``, a local, a helper method, a module-level function, ``add_module``,
``setattr``), ``functools.partial`` at module level or as a constructor default, classes passed as values,
``super()`` / ``super(Net, self)`` / ``Base.__init__(self)``, dataclass configs required or defaulted,
positional or keyword arguments, type hints, docstrings, a ``forward``, factories, and freezes after
construction spelled four ways.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from hypothesis import strategies as st

from diff_model import LayerDesc
from diff_modules_model import (
    Alias,
    Assign,
    AttrRef,
    Buffer,
    Call,
    Chain,
    ClassDesc,
    Container,
    FileDesc,
    FreezeSelf,
    Instance,
    Items,
    Layer,
    Loop,
    Maker,
    Op,
    Param,
    PostOp,
    Ref,
    Repeat,
    SameN,
    SetAttrLoop,
    Stmt,
    Tensor,
    Tie,
    maker_refs,
    walk_makers,
)
from diff_modules_oracle import Builder, apply_post
from diff_render import Values

IMPORTS = ["nn_alias", "from_torch", "torch", "names"]


@dataclass
class RenderedFile:
    source: str
    style: str
    needs_args: set[str]  # classes a call without arguments cannot build (a required dataclass config)


class Scope:
    """Where an expression is written: which names it can read and what it may add to the signature."""

    def __init__(self, cls: Optional[ClassDesc], has_self: bool, in_init: bool, cfg: str = "cfg") -> None:
        self.cls = cls
        self.has_self = has_self
        self.in_init = in_init
        self.cfg = cfg
        self.extra_params: list[tuple[str, str]] = []  # (name, default source): partials and classes as values
        self.locals = 0

    def fresh(self, stem: str) -> str:
        self.locals += 1
        return stem if self.locals == 1 else f"{stem}{self.locals}"


class Renderer:
    def __init__(self, draw: Any, file: FileDesc, built: dict[str, Any]) -> None:
        self.draw = draw
        self.file = file
        self.built = built
        self.imp = self.pick(IMPORTS)
        self.values = Values(draw, self.flag())
        self.nn = "torch.nn." if self.imp == "torch" else "nn."
        self.leaf_names: set[str] = set()
        self.partial_style = self.pick(["functools", "from"])
        self.dataclass_style = self.pick(["from", "module"])
        self.const_style = self.pick(["names", "dict"])
        self.hints = self.flag()
        self.needs: set[str] = set()
        self.head_defs: list[str] = []  # module level, after the constants: partials of torch layers, helper functions
        self.class_partials: list[str] = []  # partials of the file's classes: after the class that first uses them
        self.partials: dict[str, str] = {}
        self.functions = 0
        self.cfg_style: dict[str, str] = {}
        self.registry = False
        self.lists = 0

    # ---------------------------------------------------------------- draws
    def pick(self, seq: Any) -> Any:
        return self.draw(st.sampled_from(list(seq)))

    def flag(self) -> bool:
        return bool(self.draw(st.booleans()))

    # ---------------------------------------------------------------- values
    def partial_fn(self) -> str:
        self.needs.add(f"partial:{self.partial_style}")
        return "functools.partial" if self.partial_style == "functools" else "partial"

    def leaf_prefix(self, cls: str) -> str:
        if self.imp == "names":
            self.leaf_names.add(cls)
            return ""
        return self.nn

    def expr(self, e: Any, sc: Scope) -> str:
        if isinstance(e, bool) or e is None or isinstance(e, (float, str)):
            return repr(e)
        if isinstance(e, int):
            return self.values.int(e)
        if isinstance(e, tuple):
            inner = ", ".join(self.expr(x, sc) for x in e)
            return f"({inner},)" if len(e) == 1 else f"({inner})"
        if isinstance(e, list):
            return "[" + ", ".join(self.expr(x, sc) for x in e) + "]"
        if isinstance(e, LayerDesc):
            parts = [self.expr(a, sc) for a in e.args] + [f"{k}={self.expr(v, sc)}" for k, v in e.kwargs.items()]
            return f"{self.leaf_prefix(e.cls)}{e.cls}({', '.join(parts)})"
        if isinstance(e, Ref):
            if e.kind in ("param", "loop"):
                return e.name
            if e.kind == "field":
                return f"{sc.cfg}.{e.name}"
            if e.kind == "const":
                return e.name if self.const_style == "names" else f'CONFIG["{e.name.lower()}"]'
            if e.via == "self":
                assert sc.has_self
                return f"self.{e.name}"
            return f"{e.owner}.{e.name}"
        if isinstance(e, Op):
            a, b = self.operand(e.a, sc), self.operand(e.b, sc)
            if e.op == "*":
                return f"{a} * {b}" if self.flag() else f"{b} * {a}"
            if e.op == "+":
                return f"{a} + {b}"
            if e.op == "//":
                return f"{a} // {b}" if self.flag() else f"int({a} / {b})"
            self.needs.add("math")
            return f"math.ceil({a} / 2)"
        raise TypeError(f"cannot render {e!r}")

    def operand(self, e: Any, sc: Scope) -> str:
        text = self.expr(e, sc)
        atom = not (isinstance(e, Op) and e.op in ("+", "//")) and " " not in text
        return text if atom else f"({text})"

    # ---------------------------------------------------------------- makers
    def layer(self, m: Layer, sc: Scope) -> str:
        if m.partial:
            bound = {k: m.kwargs[k] for k in m.partial}
            key = f"{m.cls}:{sorted(bound.items())!r}"
            args = [self.expr(a, sc) for a in m.args]
            args += [f"{k}={self.expr(v, sc)}" for k, v in m.kwargs.items() if k not in m.partial]
            definition = (
                f"{self.partial_fn()}({self.leaf_prefix(m.cls)}{m.cls}, "
                + ", ".join(f"{k}={v!r}" for k, v in bound.items())
                + ")"
            )
            if sc.in_init and self.flag():
                name = f"{m.cls.lower()}_layer"
                if name not in [p for p, _ in sc.extra_params]:
                    sc.extra_params.append((name, definition))
                    return f"{name}({', '.join(args)})"
                if dict(sc.extra_params)[name] == definition:
                    return f"{name}({', '.join(args)})"
            if key not in self.partials:
                self.partials[key] = f"{m.cls}{len(self.partials)}"
                self.head_defs.append(f"{self.partials[key]} = {definition}")
            return f"{self.partials[key]}({', '.join(args)})"
        positional = [self.expr(a, sc) for a in m.args]
        keywords = [f"{k}={self.expr(v, sc)}" for k, v in m.kwargs.items()]
        if not positional and not keywords and self.pick([False] * 5 + [True]):
            return f'getattr({self.nn[:-1]}, "{m.cls}")()'  # a layer named by a string (cfg.activation)
        return f"{self.leaf_prefix(m.cls)}{m.cls}({', '.join(positional + keywords)})"

    def call_args(self, cls: ClassDesc, args: dict[str, Any], sc: Optional[Scope], keyword_only: bool = False) -> str:
        """Arguments of a call to one of the file's classes (literal ints at module level, expressions inside)."""
        text = (lambda v: self.expr(v, sc)) if sc is not None else (lambda v: self.values.int(v))  # noqa: E731
        if cls.config is not None:
            style = self.cfg_style[cls.name]
            fields = ", ".join(f"{k}={text(v)}" for k, v in args.items())
            if not args and style != "required" and self.flag():
                return ""
            cfg = f"{cls.config.name}({fields})"
            return f"cfg={cfg}" if self.flag() else cfg
        parts: list[str] = []
        positional = not keyword_only and self.flag()
        for p in cls.params:
            if p.name not in args:
                positional = False
                continue
            if positional and not p.kwonly:
                parts.append(text(args[p.name]))
            else:
                positional = False
                parts.append(f"{p.name}={text(args[p.name])}")
        parts += [f"{k}={text(v)}" for k, v in args.items() if k not in cls.param_names()]  # to the base, via **kwargs
        return ", ".join(parts)

    def call(self, m: Call, sc: Scope) -> str:
        cls = m.cls
        if m.partial and cls.config is None:
            bound = {k: m.args[k] for k in m.partial}
            rest = {k: v for k, v in m.args.items() if k not in m.partial}
            definition = f"{self.partial_fn()}({cls.name}, " + ", ".join(f"{k}={v!r}" for k, v in bound.items()) + ")"
            if sc.in_init and self.flag():
                name = f"{cls.name.lower()}_fn"
                if name not in dict(sc.extra_params) or dict(sc.extra_params)[name] == definition:
                    if name not in dict(sc.extra_params):
                        sc.extra_params.append((name, definition))
                    return f"{name}({self.call_args(cls, rest, sc, keyword_only=True)})"
            key = f"{cls.name}:{sorted(bound.items())!r}"
            if key not in self.partials:
                self.partials[key] = f"make_{cls.name.lower()}{len(self.partials)}"
                self.class_partials.append(f"{self.partials[key]} = {definition}")
            return f"{self.partials[key]}({self.call_args(cls, rest, sc, keyword_only=True)})"
        callee = cls.name
        if sc.in_init and self.pick([False, False, True]):
            name = f"{cls.name.lower()}_cls"
            if name not in dict(sc.extra_params):
                sc.extra_params.append((name, cls.name))
            callee = name  # a class passed as a value: block=Block
        return f"{callee}({self.call_args(cls, m.args, sc)})"

    def item(self, m: Maker, sc: Scope) -> str:
        """A maker as one expression (inside comprehensions and argument lists)."""
        if isinstance(m, Layer):
            return self.layer(m, sc)
        if isinstance(m, Call):
            return self.call(m, sc)
        if isinstance(m, AttrRef):
            return f"self.{m.attr}"
        lines, expr = self.container(m, sc, None, expr_only=True)
        assert not lines and expr is not None
        return expr

    def wrap(self, kind: str, items: str) -> str:
        """A container around a list expression ("list": a helper returns the plain list, its caller wraps it)."""
        if kind == "list":
            return items
        if kind == "ModuleList":
            return f"{self.nn}ModuleList({items})"
        return f"{self.nn}Sequential(*{items})"

    def empty(self, kind: str) -> str:
        return "[]" if kind == "list" else f"{self.nn}ModuleList()"

    def loop_var(self) -> str:
        return self.pick(["_", "i", "_i"])

    def container(
        self, m: Container, sc: Scope, target: Optional[str], expr_only: bool
    ) -> tuple[list[str], Optional[str]]:
        """(lines, expression); with expression None the lines assign ``target`` themselves."""
        c, kind, nn = m.content, m.kind, self.nn
        if isinstance(c, Repeat):
            n = self.expr(c.n, sc)
            style = "comp" if expr_only else self.pick(["comp", "append", "local", "extend", "local_iadd"])
            if style in ("append", "extend") and (kind not in ("ModuleList", "list") or target is None):
                style = "local"
            v = self.loop_var()
            item = self.item(c.item, sc)
            if style == "comp":
                if kind == "Sequential" and self.flag():
                    return [], f"{nn}Sequential(*({item} for {v} in range({n})))"
                return [], self.wrap(kind, f"[{item} for {v} in range({n})]")
            if style == "append":
                return [
                    f"{target} = {self.empty(kind)}",
                    f"for {v} in range({n}):",
                    f"    {target}.append({item})",
                ], None
            if style == "extend":
                return [f"{target} = {self.empty(kind)}", f"{target}.extend([{item} for {v} in range({n})])"], None
            local = sc.fresh("layers")
            add = f"{local}.append({item})" if style == "local" else f"{local} += [{item}]"
            return [f"{local} = []", f"for {v} in range({n}):", f"    {add}"], self.wrap(kind, local)
        if isinstance(c, Chain):
            sizes = "[" + ", ".join(self.expr(s, sc) for s in c.sizes) + "]"
            bias = "" if c.bias and self.flag() else f", bias={c.bias}"
            act = f"{self.leaf_prefix(c.act)}{c.act}()" if c.act else None
            style = "comp" if expr_only else self.pick(["comp", "zip", "range", "prev"])
            linear = f"{self.leaf_prefix('Linear')}Linear"
            if style == "comp":
                if act is None:
                    return [], self.wrap(kind, f"[{linear}(a, b{bias}) for a, b in zip({sizes}[:-1], {sizes}[1:])]")
                return [], self.wrap(
                    kind, f"[m for a, b in zip({sizes}, {sizes}[1:]) for m in ({linear}(a, b{bias}), {act})]"
                )
            local = sc.fresh("layers")
            lines = [f"{local} = []"]
            if style == "zip":
                lines += [f"for a, b in zip({sizes}[:-1], {sizes}[1:]):", f"    {local}.append({linear}(a, b{bias}))"]
                if act:
                    lines.append(f"    {local}.append({act})")
            elif style == "range":
                sv = sc.fresh("sizes")
                lines = [f"{sv} = {sizes}"] + lines
                lines += [
                    f"for i in range(len({sv}) - 1):",
                    f"    {local}.append({linear}({sv}[i], {sv}[i + 1]{bias}))",
                ]
                if act:
                    lines.append(f"    {local}.append({act})")
            else:
                prev = sc.fresh("prev")
                first = self.expr(c.sizes[0], sc)
                rest = "[" + ", ".join(self.expr(s, sc) for s in c.sizes[1:]) + "]"
                lines = [f"{prev} = {first}"] + lines
                lines.append(f"for h in {rest}:")
                lines.append(f"    {local} += [{linear}({prev}, h{bias}){', ' + act if act else ''}]")
                lines.append(f"    {prev} = h")
            return lines, self.wrap(kind, local)
        if isinstance(c, Loop):
            values = "[" + ", ".join(self.expr(v, sc) for v in c.values) + "]"
            if all(type(v) is int for v in c.values) and self.flag():
                self.lists += 1
                name = f"STAGES_{self.lists}"  # a module-level config list
                self.head_defs.append(f"{name} = {values}")
                values = name
            item = self.item(c.item, sc)
            if c.keys is not None:
                return self.dict_loop(c, sc, target, expr_only, item)
            style = "comp" if expr_only else self.pick(["comp", "append", "local", "enumerate"])
            if style == "append" and (kind not in ("ModuleList", "list") or target is None):
                style = "local"
            if style == "comp":
                return [], self.wrap(kind, f"[{item} for {c.var} in {values}]")
            if style == "append":
                return [
                    f"{target} = {self.empty(kind)}",
                    f"for {c.var} in {values}:",
                    f"    {target}.append({item})",
                ], None
            local = sc.fresh("layers")
            head = f"for i, {c.var} in enumerate({values}):" if style == "enumerate" else f"for {c.var} in {values}:"
            return [f"{local} = []", head, f"    {local}.append({item})"], self.wrap(kind, local)
        if isinstance(c, SameN):
            item = self.item(c.item, sc)
            if kind == "list":
                return [], f"[{item}] * {c.n}"
            if expr_only or self.flag():
                if kind == "ModuleList":
                    return [], f"{nn}ModuleList([{item}] * {c.n})"
                return [], f"{nn}Sequential(*[{item}] * {c.n})"
            local = sc.fresh("shared")
            if kind == "ModuleList":
                rendered = (
                    f"{nn}ModuleList([{local} for {self.loop_var()} in range({c.n})])"
                    if self.flag()
                    else f"{nn}ModuleList([{', '.join([local] * c.n)}])"
                )
            else:
                rendered = f"{nn}Sequential({', '.join([local] * c.n)})"
            return [f"{local} = {item}"], rendered
        assert isinstance(c, Items)
        items = [self.item(x, sc) for x in c.items]
        style = "args" if expr_only or target is None else self.pick(["args", "args", "append", "extend"])
        if kind == "ModuleDict":
            assert c.keys is not None
            if style == "append":
                return [f"{target} = {nn}ModuleDict()"] + [
                    f'{target}["{k}"] = {x}' for k, x in zip(c.keys, items)
                ], None
            form = self.pick(["dict", "call", "pairs"])
            if form == "dict":
                return [], f"{nn}ModuleDict({{{', '.join(f'{k!r}: {x}' for k, x in zip(c.keys, items))}}})"
            if form == "call":
                return [], f"{nn}ModuleDict(dict({', '.join(f'{k}={x}' for k, x in zip(c.keys, items))}))"
            return [], f"{nn}ModuleDict([{', '.join(f'({k!r}, {x})' for k, x in zip(c.keys, items))}])"
        if kind == "Sequential":
            if c.keys is not None:
                if style == "append":
                    return [f"{target} = {nn}Sequential()"] + [
                        f'{target}.add_module("{k}", {x})' for k, x in zip(c.keys, items)
                    ], None
                self.needs.add("OrderedDict")
                pairs = ", ".join(f"({k!r}, {x})" for k, x in zip(c.keys, items))
                return [], f"{nn}Sequential(OrderedDict([{pairs}]))"
            return [], f"{nn}Sequential({', '.join(items)})"
        if style == "append":
            return [f"{target} = {self.empty(kind)}"] + [f"{target}.append({x})" for x in items], None
        if style == "extend" and items:
            first = f"[{items[0]}]" if kind == "list" else f"{nn}ModuleList([{items[0]}])"
            return [f"{target} = {first}", f"{target}.extend([{', '.join(items[1:])}])"], None
        if kind == "list":
            return [], f"[{', '.join(items)}]"
        return [], f"{nn}ModuleList([{', '.join(items)}])"

    def dict_loop(
        self, c: Loop, sc: Scope, target: Optional[str], expr_only: bool, item: str
    ) -> tuple[list[str], Optional[str]]:
        """A ModuleDict from a dict comprehension (or a loop of item assignments) over keys and values."""
        assert c.keys is not None
        values = [self.expr(v, sc) for v in c.values]
        if all(type(v) is int for v in c.values) and self.flag():
            self.lists += 1
            name = f"HEADS_{self.lists}"  # a module-level config dict
            self.head_defs.append(f"{name} = {{" + ", ".join(f"{k!r}: {v}" for k, v in zip(c.keys, values)) + "}")
            pairs = f"{name}.items()"
        else:
            pairs = f"zip({c.keys!r}, [{', '.join(values)}])"
        if expr_only or target is None or self.flag():
            return [], f"{self.nn}ModuleDict({{key: {item} for key, {c.var} in {pairs}}})"
        return [
            f"{target} = {self.nn}ModuleDict()",
            f"for key, {c.var} in {pairs}:",
            f"    {target}[key] = {item}",
        ], None

    def maker(self, m: Maker, sc: Scope, target: str) -> tuple[list[str], Optional[str]]:
        if isinstance(m, Container):
            return self.container(m, sc, target, expr_only=False)
        return [], self.item(m, sc)

    # ---------------------------------------------------------------- statements
    def tensor(self, init: str, shape: tuple[Any, ...], sc: Scope) -> str:
        dims = [self.expr(s, sc) for s in shape]
        if self.flag():
            return f"torch.{init}({', '.join(dims)})"
        return f"torch.{init}(({', '.join(dims)}{',' if len(dims) == 1 else ''}))"

    def helper_params(self, m: Maker, cls: ClassDesc) -> list[str]:
        names: list[str] = []
        for r in maker_refs(m):
            name = r.name if r.kind == "param" else "cfg" if r.kind == "field" else None
            if name is not None and name not in names:
                names.append(name)
        return names

    def stmt(self, s: Stmt, sc: Scope, cls: ClassDesc, methods: list[list[str]]) -> list[str]:
        if isinstance(s, Assign):
            how = s.how
            uses_self = any(r.kind == "cattr" and r.via == "self" for r in maker_refs(s.value)) or any(
                isinstance(x, AttrRef) for x in _walk(s.value)
            )
            if how == "function" and uses_self:
                how = "helper"
            if how in ("helper", "function"):
                params = self.helper_params(s.value, cls)
                inner = Scope(cls, has_self=how == "helper", in_init=False, cfg=sc.cfg)
                local = inner.fresh("block") if self.flag() else "layers"
                value, wrap = s.value, "{}"
                if isinstance(value, Container) and value.kind != "ModuleDict" and _unkeyed(value) and self.flag():
                    # the helper returns a plain list; the caller puts it in the container
                    wrap = self.wrap(value.kind, "{}")
                    value = Container("list", value.content)
                lines, expr = self.maker(value, inner, local)
                body = lines + ([f"return {expr}"] if expr is not None else [f"return {local}"])
                hint = f" -> {self.nn}Module" if self.hints else ""
                args = ", ".join(params)
                if how == "helper":
                    name = f"_make_{s.attr}"
                    methods.append(
                        [f"def {name}(self{', ' if params else ''}{args}){hint}:"] + ["    " + b for b in body]
                    )
                    call = (
                        f"self.{name}({args})"
                        if self.flag()
                        else f"self.{name}({', '.join(f'{p}={p}' for p in params)})"
                    )
                else:
                    self.functions += 1
                    name = f"make_{s.attr}{self.functions}"
                    self.head_defs.append("\n".join([f"def {name}({args}){hint}:"] + ["    " + b for b in body]) + "\n")
                    call = f"{name}({args})"
                return [f"self.{s.attr} = {wrap.replace('{}', call)}"]
            if how in ("local", "add_module", "setattr"):
                local = s.attr if how == "local" else sc.fresh("module")
                lines, expr = self.maker(s.value, sc, local)
                if expr is not None:
                    lines = lines + [f"{local} = {expr}"]
                if how == "local":
                    return lines + [f"self.{s.attr} = {local}"]
                if how == "add_module":
                    return lines + [f'self.add_module("{s.attr}", {local})']
                return lines + [f'setattr(self, "{s.attr}", {local})']
            lines, expr = self.maker(s.value, sc, f"self.{s.attr}")
            return lines + ([f"self.{s.attr} = {expr}"] if expr is not None else [])
        if isinstance(s, Alias):
            return [f"self.{s.attr} = self.{s.src}"]
        if isinstance(s, SetAttrLoop):
            item = self.item(s.item, sc)
            n = self.values.int(s.n)
            if self.flag():
                return [f"for i in range({n}):", f'    setattr(self, f"{s.prefix}{{i}}", {item})']
            return [f"for i in range({n}):", f'    self.add_module(f"{s.prefix}{{i}}", {item})']
        if isinstance(s, Param):
            rg = "" if s.requires_grad else ", requires_grad=False"
            value = f"{self.nn}Parameter({self.tensor(s.init, s.shape, sc)}{rg})"
            if s.how == "register":
                return [f'self.register_parameter("{s.attr}", {value})']
            return [f"self.{s.attr} = {value}"]
        if isinstance(s, Buffer):
            persistent = "" if s.persistent else ", persistent=False"
            return [f'self.register_buffer("{s.name}", {self.tensor("zeros", s.shape, sc)}{persistent})']
        if isinstance(s, Tensor):
            return [f"self.{s.attr} = {self.tensor('ones', s.shape, sc)}"]
        if isinstance(s, Tie):
            return [f"self.{s.dst}.weight = self.{s.src}.weight"]
        if isinstance(s, FreezeSelf):
            if s.how == "weight":
                return [f"self.{s.attr}.weight.requires_grad = False"]
            if s.how == "requires_grad_":
                return [f"self.{s.attr}.requires_grad_(False)"]
            return [f"for p in self.{s.attr}.parameters():", "    p.requires_grad = False"]
        raise TypeError(s)

    # ---------------------------------------------------------------- classes
    def config_class(self, cls: ClassDesc) -> list[str]:
        assert cls.config is not None
        deco = "@dataclass" if self.dataclass_style == "from" else "@dataclasses.dataclass"
        self.needs.add(f"dataclass:{self.dataclass_style}")
        lines = [deco, f"class {cls.config.name}:"]
        lines += [f"    {f.name}: int = {f.default}" for f in cls.config.fields]
        return lines + ["", ""]

    def super_call(self, cls: ClassDesc) -> str:
        style = self.pick(["super", "super_explicit", "direct"])
        if cls.base is None:
            if style == "super":
                return "super().__init__()"
            if style == "super_explicit":
                return f"super({cls.name}, self).__init__()"
            return f"{self.nn}Module.__init__(self)"
        if cls.kwargs_to_base:
            args = "**kwargs"
        else:
            sc = Scope(cls, True, False)
            base_pos = [p.name for p in cls.base.params if not p.kwonly]
            keys = list(cls.base_args)
            if keys == base_pos[: len(keys)] and self.flag():
                args = ", ".join(self.expr(cls.base_args[k], sc) for k in keys)
            else:
                args = ", ".join(f"{k}={self.expr(v, sc)}" for k, v in cls.base_args.items())
        if style == "super":
            return f"super().__init__({args})"
        if style == "super_explicit":
            return f"super({cls.name}, self).__init__({args})"
        return f"{cls.base.name}.__init__(self{', ' if args else ''}{args})"

    def signature(self, cls: ClassDesc, sc: Scope) -> str:
        parts = ["self"]
        if cls.config is not None:
            style = self.cfg_style[cls.name]
            hint = f": {cls.config.name}" if self.hints else ""
            if style == "required":
                parts.append(f"cfg{hint}")
            elif style == "default_instance":
                parts.append(f"cfg{hint} = {cls.config.name}()" if hint else f"cfg={cls.config.name}()")
            else:
                parts.append("cfg=None")
        else:
            star = False
            for p in cls.params:
                if p.kwonly and not star:
                    parts.append("*")
                    star = True
                default = self.values.int(p.default)
                parts.append(f"{p.name}: int = {default}" if self.hints else f"{p.name}={default}")
        parts += [f"{name}={default}" for name, default in sc.extra_params]
        if cls.kwargs_to_base:
            parts.append("**kwargs")
        return ", ".join(parts)

    def forward(self, cls: ClassDesc) -> list[str]:
        style = self.pick(["none", "none", "identity", "calls"])
        if style == "none":
            return []
        lines = ["def forward(self, x):"]
        if style == "calls":
            for s in cls.stmts:
                if isinstance(s, Assign) and isinstance(s.value, (Layer, Call)):
                    lines.append(f"    x = self.{s.attr}(x)")
                elif isinstance(s, Assign) and isinstance(s.value, Container) and s.value.kind == "ModuleList":
                    lines += [f"    for m in self.{s.attr}:", "        x = m(x)"]
        return lines + ["    return x"]

    def klass(self, cls: ClassDesc) -> list[str]:
        if cls.config is not None:
            self.cfg_style[cls.name] = self.pick(["required", "default_instance", "none_or"])
        out = self.config_class(cls) if cls.config is not None else []
        base = cls.base.name if cls.base is not None else f"{self.nn}Module"
        sc = Scope(cls, has_self=True, in_init=True)
        methods: list[list[str]] = []
        body: list[str] = []
        if cls.config is not None and self.cfg_style[cls.name] == "none_or":
            body += (
                [f"cfg = cfg or {cls.config.name}()"]
                if self.flag()
                else ["if cfg is None:", f"    cfg = {cls.config.name}()"]
            )
        for s in cls.stmts:
            body += self.stmt(s, sc, cls, methods)
        head = [self.super_call(cls)]
        lines = [f"class {cls.name}({base}):"]
        if self.flag():
            lines.append(f'    """A generated {cls.name.lower()}."""')
        for name, value in cls.class_attrs.items():
            lines.append(f"    {name} = {value}")
        if len(lines) > 1:
            lines.append("")
        lines.append(f"    def __init__({self.signature(cls, sc)}):")
        lines += ["        " + b for b in head + body]
        for method in methods + ([self.forward(cls)] if True else []):
            if method:
                lines.append("")
                lines += ["    " + m for m in method]
        out += lines + ["", ""]
        if self.class_partials:  # read when an instance is built, so after the class that uses them is fine
            out += self.class_partials + ["", ""]
            self.class_partials = []
        return out

    # ---------------------------------------------------------------- module level
    def access(self, var: str, path: str) -> str:
        """``var`` followed by the attribute / index / key steps that reach the torch dotted ``path``."""
        module = self.built[var]
        text = var
        for part in path.split(".") if path else []:
            kind = type(module).__name__
            if kind in ("ModuleList", "Sequential") and part.isdigit():
                text += f"[{part}]"
            elif kind == "ModuleDict":
                text += f'["{part}"]'
            else:
                text += f".{part}"
            module = getattr(module, part) if not part.isdigit() else module[int(part)]
        return text

    def post(self, op: PostOp) -> list[str]:
        v = op.value
        if op.how in ("replace", "delete"):
            owner, _, leaf = op.path.rpartition(".")
            target = f"{self.access(op.var, owner)}.{leaf}"
            if op.how == "delete":
                return [f"del {target}"]
            assert op.layer is not None
            return [f"{target} = {self.layer(op.layer, Scope(None, has_self=False, in_init=False))}"]
        if op.how == "param":
            owner, _, leaf = op.path.rpartition(".")
            target = f"{self.access(op.var, owner)}.{leaf}"
            return [f"{target}.requires_grad = {v}"] if self.flag() else [f"{target}.requires_grad_({v})"]
        if op.how == "named_prefix":
            return [
                f"for name, p in {op.var}.named_parameters():",
                f'    if name.startswith("{op.path}."):',
                f"        p.requires_grad = {v}",
            ]
        target = self.access(op.var, op.path)
        if op.how == "requires_grad_":
            return [f"{target}.requires_grad_({v})"]
        return [f"for p in {target}.parameters():", f"    p.requires_grad = {v}"]

    def instance(self, inst: Instance) -> list[str]:
        args = self.call_args(inst.cls, inst.args, None)
        if inst.how == "factory":
            name = f"build_{inst.var}"
            deco: list[str] = []
            if self.flag():
                # a registry decorator that returns the function unchanged (timm's @register_model)
                if not self.registry:
                    self.registry = True
                    self.head_defs.append(
                        "MODELS = {}\n\n\ndef register_model(fn):\n    MODELS[fn.__name__] = fn\n    return fn\n"
                    )
                deco = ["@register_model"]
            if self.flag():
                return deco + [
                    f"def {name}():",
                    f"    return {inst.cls.name}({args})",
                    "",
                    "",
                    f"{inst.var} = {name}()",
                ]
            if inst.cls.config is None:
                kw = self.call_args(inst.cls, inst.args, None, keyword_only=True)
                return deco + [
                    f"def {name}(**kwargs):",
                    f"    return {inst.cls.name}(**kwargs)",
                    "",
                    "",
                    f"{inst.var} = {name}({kw})",
                ]
        return [f"{inst.var} = {inst.cls.name}({args})"]

    def render(self) -> RenderedFile:
        classes: list[str] = []
        for cls in self.file.classes:
            classes += self.klass(cls)
        tail: list[str] = []
        for inst in self.file.instances:
            tail += self.instance(inst)
        # paths are spelled from the model as it stands when each change runs (a replaced child may differ)
        f = self.file
        self.built = Builder(FileDesc(f.classes, f.consts, f.instances, [])).instances()
        for op in self.file.post:
            tail += self.post(op)
            apply_post(self.built[op.var], op)
        header = ["import torch"]
        if self.imp == "nn_alias":
            header.append("import torch.nn as nn")
        elif self.imp in ("from_torch", "names"):
            header.append("from torch import nn")
        if self.leaf_names:
            header.append(f"from torch.nn import {', '.join(sorted(self.leaf_names))}")
        if "math" in self.needs:
            header.insert(0, "import math")
        if "partial:functools" in self.needs:
            header.insert(0, "import functools")
        if "partial:from" in self.needs:
            header.insert(0, "from functools import partial")
        if "dataclass:from" in self.needs:
            header.insert(0, "from dataclasses import dataclass")
        if "dataclass:module" in self.needs:
            header.insert(0, "import dataclasses")
        if "OrderedDict" in self.needs:
            header.insert(0, "from collections import OrderedDict")
        consts: list[str] = []
        if self.file.consts:
            if self.const_style == "names":
                consts = [f"{k} = {v}" for k, v in self.file.consts.items()]
            else:
                consts = ["CONFIG = {" + ", ".join(f'"{k.lower()}": {v}' for k, v in self.file.consts.items()) + "}"]
        parts = header + [""] + self.values.lines + consts + [""] + self.head_defs + ["", ""] + classes + tail
        source = "\n".join(parts) + "\n"
        style = f"imports={self.imp} consts={self.values.enabled}/{self.const_style} partial={self.partial_style}"
        style += f" hints={self.hints}"
        needs_args = {name for name, how in self.cfg_style.items() if how == "required"}
        return RenderedFile(source, style, needs_args)


def _unkeyed(m: Container) -> bool:
    return not (isinstance(m.content, Items) and m.content.keys is not None)


def _walk(m: Maker) -> list[Maker]:
    return walk_makers(m)


@st.composite
def render_file(draw: Any, file: FileDesc, built: dict[str, Any]) -> RenderedFile:
    return Renderer(draw, file, built).render()
