"""Hypothesis strategies: random files of ``nn.Module`` classes, as ``FileDesc`` descriptions.

A file has up to three levels of classes (a block, a stage repeating blocks, a network, which may derive from
a base class of the file), module-level constants, one or two instances of the network (defaults and
explicit arguments), sometimes a block instantiated on its own, and freezes after construction. Sizes are
drawn as expressions over the class's parameters, so the same class body builds different instances.

Validity is torch's call, not ours: every instance is built with torch (diff_modules_oracle.Builder) before
the description is returned, and a description torch refuses is rejected. Freezes after construction are
drawn from the built instance's real module and parameter names.
"""

from __future__ import annotations

from typing import Any, Optional

from hypothesis import assume
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
    ConfigDesc,
    Container,
    Expr,
    FileDesc,
    FreezeSelf,
    Instance,
    Items,
    Layer,
    Loop,
    Maker,
    Op,
    Param,
    ParamSpec,
    PostOp,
    Ref,
    Repeat,
    SameN,
    SetAttrLoop,
    Tensor,
    Tie,
)
from diff_recipes import TORCH, TORCH_STARTS, D, Recipe

WIDTHS = [4, 6, 8, 12, 16]  # even: heads / groups of 2 divide every width an instance can take
ATTRS = [
    "fc",
    "proj",
    "norm",
    "conv",
    "emb",
    "head",
    "act",
    "drop",
    "mlp",
    "layers",
    "gate",
    "attn",
    "rnn",
    "out",
    "stem",
    "body",
    "neck",
    "embed",
    "classifier",
    "encoder",
    "decoder",
    "bn",
    "pool",
    "ff",
    "mix",
    "lin",
    "query",
    "key",
    "value",
    "fuse",
    "down",
    "up",
    "adapter",
    "router",
    "expert",
    "readout",
]
ACTS = ["ReLU", "GELU", "Tanh", "SiLU", "Sigmoid", "Identity"]
# catalog layers drawn with literal arguments inside classes: all of TORCH but the lazy ones (their
# parameters exist only after a forward pass, which a class without one never gets)
CATALOG: list[Recipe] = [r for r in TORCH if not any(n.rsplit(".", 1)[1].startswith("Lazy") for n in r.names)]


class Scope:
    """Names a class body can use for sizes: its width expressions and the counts it may repeat by."""

    def __init__(self, widths: list[Expr], counts: list[Expr]) -> None:
        self.widths = widths
        self.counts = counts


class Gen:
    def __init__(self, draw: Any) -> None:
        self.d = D(draw)
        self.draw = draw
        self.consts: dict[str, int] = {}
        self.classes: list[ClassDesc] = []

    # ---------------------------------------------------------------- sizes
    def lit_width(self) -> int:
        return int(self.d.pick(WIDTHS))

    def width(self, scope: Scope) -> Expr:
        if scope.widths and self.d.int(0, 4) > 0:
            return self.d.pick(scope.widths)
        return self.lit_width()

    def out_size(self, scope: Scope, w: Expr) -> Expr:
        how = self.d.int(0, 5)
        if how == 0:
            return Op("*", w, 2)
        if how == 1:
            return Op("ceil2", w) if self.d.flag() else Op("//", w, 2)
        if how == 2:
            return Op("+", w, 1)
        if how == 3 and scope.widths:
            return self.d.pick(scope.widths)
        return self.d.int(1, 12)

    def const(self, name: str, value: int) -> Ref:
        self.consts.setdefault(name, value)
        return Ref("const", name)

    # ---------------------------------------------------------------- layers
    def sized_leaf(self, scope: Scope) -> Layer:
        d = self.d
        w = self.width(scope)
        kind = d.pick(
            [
                "Linear",
                "Linear",
                "Linear",
                "Conv1d",
                "Conv2d",
                "ConvTranspose2d",
                "BatchNorm1d",
                "BatchNorm2d",
                "LayerNorm",
                "LayerNorm",
                "GroupNorm",
                "Embedding",
                "LSTM",
                "GRU",
                "RNN",
                "MultiheadAttention",
                "PReLU",
                "TransformerEncoderLayer",
                "RMSNorm",
                "Bilinear",
                "EmbeddingBag",
            ]
        )
        kw: dict[str, Any] = {}
        if kind == "Linear":
            d.opt(kw, "bias", d.flag)
            out = self.out_size(scope, w)
            if d.flag():
                return Layer(kind, (w, out), kw, self.partial_keys(kw))
            return Layer(kind, (), {"in_features": w, "out_features": out, **kw})
        if kind in ("Conv1d", "Conv2d", "ConvTranspose2d"):
            out = d.pick([w, Op("*", w, 2), 2 * d.int(1, 4)])
            k = d.int(1, 3)
            d.opt(kw, "bias", d.flag)
            d.opt(kw, "groups", lambda: d.pick([1, 2]))
            d.opt(kw, "padding", lambda: d.int(0, 1))
            return Layer(kind, (w, out, k), kw, self.partial_keys(kw))
        if kind in ("BatchNorm1d", "BatchNorm2d"):
            d.opt(kw, "affine", d.flag)
            d.opt(kw, "track_running_stats", d.flag)
            d.opt(kw, "eps", lambda: 1e-3)
            d.opt(kw, "momentum", lambda: 0.01)
            return Layer(kind, (w,), kw, self.partial_keys(kw))
        if kind == "LayerNorm":
            d.opt(kw, "elementwise_affine", d.flag)
            d.opt(kw, "bias", d.flag)
            d.opt(kw, "eps", lambda: 1e-6)
            return Layer(kind, (w,), kw, self.partial_keys(kw))
        if kind == "GroupNorm":
            d.opt(kw, "affine", d.flag)
            return Layer(kind, (d.pick([1, 2]), w), kw, self.partial_keys(kw))
        if kind in ("Embedding", "EmbeddingBag"):
            return Layer(kind, (d.int(2, 20), w), kw)
        if kind in ("LSTM", "GRU", "RNN"):
            d.opt(kw, "num_layers", lambda: d.int(1, 2))
            d.opt(kw, "bidirectional", d.flag)
            d.opt(kw, "bias", d.flag)
            kw["batch_first"] = True
            hidden = d.pick([w, d.int(1, 8)])
            return Layer(kind, (w, hidden), kw, self.partial_keys(kw))
        if kind == "MultiheadAttention":
            d.opt(kw, "bias", d.flag)
            d.opt(kw, "add_bias_kv", d.flag)
            d.opt(kw, "kdim", lambda: d.int(1, 8))
            kw["batch_first"] = True
            return Layer(kind, (w, d.pick([1, 2])), kw)
        if kind == "PReLU":
            return Layer(kind, (), {"num_parameters": w})
        if kind == "TransformerEncoderLayer":
            kw = {
                "d_model": w,
                "nhead": d.pick([1, 2]),
                "dim_feedforward": d.int(1, 8),
                "dropout": 0.0,
                "batch_first": True,
            }
            d.opt(kw, "bias", d.flag)
            return Layer(kind, (), kw)
        if kind == "RMSNorm":
            d.opt(kw, "elementwise_affine", d.flag)
            return Layer(kind, (w,), kw)
        return Layer("Bilinear", (w, w, d.int(1, 6)), {"bias": d.flag()})

    def partial_keys(self, kw: dict[str, Any]) -> tuple[str, ...]:
        """Sometimes the literal keyword arguments are bound through functools.partial instead."""
        literal = tuple(k for k, v in kw.items() if isinstance(v, (bool, float, int)) and not isinstance(v, Ref))
        if literal and self.d.int(0, 3) == 0:
            return literal
        return ()

    def catalog_leaf(self) -> Layer:
        """Any catalog layer (literal arguments), as the Sequential suite draws them; torch must accept it."""
        for _ in range(4):
            r: Recipe = self.d.pick(CATALOG)
            starts = [s for k, s in TORCH_STARTS if (k == "int") == r.int_input and (not r.ranks or len(s) in r.ranks)]
            if not starts:
                continue
            made = r.make(self.d, self.d.pick(starts))
            if made is None:
                continue
            args, kwargs = made
            name = self.d.pick(r.names).rsplit(".", 1)[1]
            if _torch_accepts(LayerDesc(f"torch.nn.{name}", tuple(args), dict(kwargs))):
                return Layer(name, tuple(args), dict(kwargs))
        return Layer(self.d.pick(ACTS))

    def leaf(self, scope: Scope) -> Layer:
        how = self.d.int(0, 9)
        if how < 6:
            return self.sized_leaf(scope)
        if how < 8:
            return self.catalog_leaf()
        return Layer(self.d.pick(ACTS))

    def count(self, scope: Scope) -> Expr:
        if scope.counts and self.d.flag():
            return self.d.pick(scope.counts)
        return self.d.int(0 if self.d.int(0, 9) == 0 else 1, 3)

    def container(
        self, scope: Scope, item: Optional[Any] = None, depth: int = 0, blocks: Optional[list[ClassDesc]] = None
    ) -> Container:
        d = self.d
        make_item = item or (lambda: self.maker(scope, depth + 1, blocks))
        content: Any
        how = d.int(0, 11)
        if how < 4:
            content = Repeat(self.count(scope), make_item())
        elif how < 6:
            w = self.width(scope)
            sizes = [w] + [self.out_size(scope, w) if d.flag() else self.lit_width() for _ in range(d.int(1, 3))]
            content = Chain(sizes, bias=d.pick([True, True, False]), act=d.pick([None, None, *ACTS]))
        elif how < 8:
            content = Items([make_item() for _ in range(d.int(0, 3))])
        elif how < 10 and item is None:
            # one item per value of a list, the value read through the loop variable (stage widths, VGG's cfg)
            var = d.pick(["c", "width", "ch", "planes"])
            inner = Scope([Ref("loop", var)], scope.counts)
            values = [self.width(scope) for _ in range(d.int(1, 3))]
            content = Loop(var, values, self.maker(inner, depth + 1, blocks))
        else:
            content = SameN(make_item(), d.int(2, 3))
        kinds = ["ModuleList", "Sequential"] + (["ModuleDict"] if isinstance(content, (Items, Loop)) else [])
        kind = d.pick(kinds)
        if isinstance(content, Loop) and kind == "ModuleDict":
            n = len(content.values)
            content.keys = d.draw(st.lists(st.sampled_from(ATTRS), min_size=n, max_size=n, unique=True))
        if isinstance(content, Items) and (kind == "ModuleDict" or (kind == "Sequential" and d.int(0, 3) == 0)):
            keys = d.draw(
                st.lists(st.sampled_from(ATTRS), min_size=len(content.items), max_size=len(content.items), unique=True)
            )
            content.keys = keys
        return Container(kind, content)

    def maker(self, scope: Scope, depth: int = 0, blocks: Optional[list[ClassDesc]] = None) -> Maker:
        how = self.d.int(0, 19)
        if blocks and how < 8:
            return self.call(self.d.pick(blocks), scope)
        if depth < 1 and how >= 13:
            return self.container(scope, depth=depth, blocks=blocks)
        return self.leaf(scope)

    def call(self, cls: ClassDesc, scope: Scope) -> Call:
        args: dict[str, Expr] = {}
        partial: list[str] = []
        for name in cls.all_defaults():
            how = self.d.int(0, 3)
            if how == 0:
                continue  # the default
            if how == 1 and name in ("n", "depth"):
                args[name] = self.count(scope)
            elif how == 1 or how == 2:
                args[name] = self.width(scope)
            else:
                args[name] = self.lit_width() if name not in ("n", "depth") else self.d.int(1, 2)
                if self.d.int(0, 2) == 0:
                    partial.append(name)
        return Call(cls, args, tuple(partial))

    # ---------------------------------------------------------------- classes
    def params(self, kinds: list[str]) -> list[ParamSpec]:
        out = []
        for name in kinds:
            default = self.d.int(1, 3) if name in ("n", "depth") else self.lit_width()
            out.append(ParamSpec(name, default, kwonly=False))
        if len(out) > 1 and self.d.int(0, 3) == 0:
            out[-1].kwonly = True  # def __init__(self, d=8, *, n=2)
        return out

    def scope_of(self, cls: ClassDesc) -> Scope:
        specs = cls.config.fields if cls.config else cls.params
        kind = "field" if cls.config else "param"
        widths: list[Expr] = [Ref(kind, p.name) for p in specs if p.name not in ("n", "depth")]
        counts: list[Expr] = [Ref(kind, p.name) for p in specs if p.name in ("n", "depth")]
        if cls.base is not None and not cls.kwargs_to_base:
            pass  # explicitly forwarded base parameters are among cls.params already
        for name in cls.class_attrs:
            widths = widths + [
                Op("*", w, Ref("cattr", name, cls.name, self.d.pick(["self", "cls"]))) for w in widths[:1]
            ]
        if self.consts and self.d.flag():
            widths.append(self.d.pick([Ref("const", n) for n in self.consts]))
        return Scope(widths, counts)

    def body(self, cls: ClassDesc, scope: Scope, n: int, blocks: list[ClassDesc], taken: set[str]) -> None:
        d = self.d
        modules: list[str] = [s.attr for s in cls.stmts if isinstance(s, Assign)]

        def fresh() -> str:
            free = [a for a in ATTRS if a not in taken]
            name = d.pick(free) if free else f"m{len(taken)}"
            taken.add(name)
            return name

        for _ in range(n):
            kind = d.int(0, 19)
            if kind < 10 or not modules:
                attr = fresh()
                value = self.maker(scope, blocks=blocks)
                how = d.pick(["direct", "direct", "direct", "local", "helper", "function", "add_module", "setattr"])
                cls.stmts.append(Assign(attr, value, how))
                modules.append(attr)
            elif kind == 10:
                cls.stmts.append(Alias(fresh(), d.pick(modules)))
            elif kind == 11:
                cls.stmts.append(SetAttrLoop(fresh(), d.int(1, 3), self.maker(scope, blocks=blocks)))
            elif kind == 12:
                w = self.width(scope)
                shape = d.pick([(1, w), (w,), (1, d.int(1, 5), w)])
                cls.stmts.append(
                    Param(
                        fresh(),
                        shape,
                        d.pick(["zeros", "ones", "randn", "empty"]),
                        requires_grad=d.int(0, 3) > 0,
                        how=d.pick(["attr", "attr", "register"]),
                    )
                )
            elif kind == 13:
                cls.stmts.append(Buffer(fresh(), (d.int(1, 6), self.width(scope)), persistent=d.flag()))
            elif kind == 14:
                cls.stmts.append(Tensor(fresh(), (d.int(1, 4),)))
            elif kind == 15:
                cls.stmts.append(FreezeSelf(d.pick(modules), d.pick(["params_loop", "requires_grad_", "weight"])))
            elif kind == 16:
                self.tie(cls, scope, fresh)
                modules = [s.attr for s in cls.stmts if isinstance(s, Assign)]
            elif kind == 17:
                attr = fresh()
                cls.stmts.append(
                    Assign(attr, self.container(scope, item=lambda: self.leaf(scope)), d.pick(["direct", "helper"]))
                )
                modules.append(attr)
            elif kind == 18 and any(isinstance(s, Assign) and isinstance(s.value, (Layer, Call)) for s in cls.stmts):
                src = d.pick(
                    [s.attr for s in cls.stmts if isinstance(s, Assign) and isinstance(s.value, (Layer, Call))]
                )
                attr = fresh()
                cls.stmts.append(
                    Assign(attr, Container(d.pick(["ModuleList", "Sequential"]), Items([AttrRef(src)] * d.int(1, 2))))
                )
                modules.append(attr)
            else:
                attr = fresh()
                cls.stmts.append(Assign(attr, self.leaf(scope)))
                modules.append(attr)
        # a FreezeSelf on a module without a .weight, or a freeze by weight of a container: refused by torch, and the
        # whole description is rejected then; keep them to what has one
        cls.stmts = [
            s
            for s in cls.stmts
            if not (isinstance(s, FreezeSelf) and s.how == "weight" and not _has_weight(cls, s.attr))
        ]

    def tie(self, cls: ClassDesc, scope: Scope, fresh: Any) -> None:
        d = self.d
        w = self.width(scope)
        vocab: Expr = d.pick([d.int(3, 20), self.const("VOCAB", d.int(3, 20))])
        emb, out = fresh(), fresh()
        cls.stmts.append(Assign(emb, Layer("Embedding", (vocab, w))))
        cls.stmts.append(Assign(out, Layer("Linear", (w, vocab), {"bias": d.flag()})))
        cls.stmts.append(Tie(out, emb) if d.int(0, 3) else Tie(emb, out))

    def new_class(
        self,
        name: str,
        kinds: list[str],
        blocks: list[ClassDesc],
        n: int,
        base: Optional[ClassDesc] = None,
        config_ok: bool = True,
    ) -> ClassDesc:
        d = self.d
        cls = ClassDesc(name)
        if base is None and config_ok and d.int(0, 4) == 0:
            cls.config = ConfigDesc(f"{name}Config", self.params(kinds))
            for f in cls.config.fields:
                f.kwonly = False
        else:
            cls.params = self.params(kinds)
        if d.int(0, 3) == 0:
            cls.class_attrs["expansion"] = d.pick([1, 2, 4])
        taken: set[str] = set()
        if base is not None:
            cls.base = base
            taken |= _attrs(base)
            if d.flag():
                cls.kwargs_to_base = True
                own = set(cls.param_names())
                cls.params = [p for p in cls.params if p.name not in base.all_defaults()] or [
                    ParamSpec("extra", self.lit_width())
                ]
                own = set(cls.param_names())
                assert not own & set(base.all_defaults())
            else:
                # explicitly forwarded: the subclass declares the base's parameters again (its own defaults)
                names = set(cls.param_names())
                for p in base.params:
                    if p.name not in names:
                        cls.params.append(
                            ParamSpec(
                                p.name,
                                p.default if d.flag() else self.lit_width() if p.name not in ("n", "depth") else 1,
                            )
                        )
                cls.params = sorted(cls.params, key=lambda p: p.kwonly)
                for p in base.params:
                    if d.int(0, 3) > 0:
                        cls.base_args[p.name] = Ref("param", p.name)
            if d.int(0, 3) == 0 and base.stmts:
                # a subclass replacing one of its base's modules keeps the base's registration order
                replaced = [s for s in base.stmts if isinstance(s, Assign) and isinstance(s.value, Layer)]
                if replaced:
                    cls.stmts.append(Assign(d.pick(replaced).attr, self.leaf(self.scope_of(cls))))
        self.body(cls, self.scope_of(cls), n, blocks, taken)
        self.classes.append(cls)
        return cls


def _attrs(cls: ClassDesc) -> set[str]:
    out: set[str] = set()
    c: Optional[ClassDesc] = cls
    while c is not None:
        for s in c.stmts:
            for key in ("attr", "name", "prefix"):
                if hasattr(s, key):
                    out.add(getattr(s, key))
        c = c.base
    return out


def _has_weight(cls: ClassDesc, attr: str) -> bool:
    for s in cls.stmts:
        if isinstance(s, Assign) and s.attr == attr:
            return (
                isinstance(s.value, Layer)
                and s.value.cls not in ACTS
                and not s.value.cls.startswith(
                    ("Dropout", "RNN", "LSTM", "GRU", "Multihead", "Transformer", "Bilinear")
                )
            )
    return False


def _torch_accepts(desc: LayerDesc) -> bool:
    import warnings

    from diff_oracle import build_torch_module

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            build_torch_module(desc)
    except Exception:
        return False
    return True


def _instance_args(g: Gen, cls: ClassDesc) -> dict[str, int]:
    args: dict[str, int] = {}
    for name in cls.all_defaults():
        if g.d.flag():
            args[name] = g.d.int(0, 3) if name in ("n", "depth") else g.lit_width()
    return args


@st.composite
def module_files(draw: Any) -> FileDesc:
    g = Gen(draw)
    d = g.d
    if d.flag():
        g.const(d.pick(["HIDDEN", "WIDTH", "DIM"]), g.lit_width())
    block = g.new_class(
        d.pick(["Block", "Layer", "Cell", "Unit"]), d.pick([["d"], ["d", "k"], ["dim", "n"]]), [], d.int(1, 4)
    )
    blocks = [block]
    if d.flag():
        blocks.append(
            g.new_class(d.pick(["Stage", "Group", "Tower"]), d.pick([["d", "n"], ["d", "depth"]]), [block], d.int(1, 3))
        )
    base = None
    if d.int(0, 2) == 0:
        base = g.new_class("Base", d.pick([["d"], ["d", "n"]]), blocks, d.int(1, 2), config_ok=False)
    net = g.new_class(
        d.pick(["Net", "Model", "Encoder", "Classifier"]),
        d.pick([["d"], ["d", "n"], ["hidden", "depth"]]),
        blocks,
        d.int(1, 5),
        base=base,
    )
    instances = [
        Instance(d.pick(["net", "model"]), net, _instance_args(g, net), d.pick(["direct", "direct", "factory"]))
    ]
    if d.flag():
        instances.append(Instance(d.pick(["large", "small", "other"]), net, _instance_args(g, net)))
    if d.int(0, 3) == 0:
        instances.append(Instance("single", block, _instance_args(g, block)))
    file = FileDesc(g.classes, g.consts, instances)

    from diff_modules_oracle import Builder

    try:
        built = Builder(file).instances()
    except Exception:
        assume(False)
        raise
    for _ in range(d.pick([0, 0, 1, 1, 2])):
        inst = d.pick(instances)
        net_built = built[inst.var]
        how = d.pick(["params_loop", "requires_grad_", "param", "named_prefix"])
        value = d.int(0, 4) > 0 or not any(op.var == inst.var for op in file.post)
        if how == "param":
            names = [n for n, _ in net_built.named_parameters()]
            if not names:
                continue
            file.post.append(PostOp(inst.var, d.pick(names), how, not value))
        else:
            paths = [n for n, _ in net_built.named_modules() if n or how != "named_prefix"]
            if not paths:
                continue
            file.post.append(PostOp(inst.var, d.pick(paths), how, not value))
    if d.int(0, 3) == 0:
        # a change after construction: a child replaced (keeps its place) or deleted; last, so freezes drawn above
        # still name what exists, and a freeze of the replaced child does not carry over to the new one
        inst = d.pick(instances)
        children = [name for name, m in built[inst.var]._modules.items() if m is not None]
        if children:
            how = d.pick(["replace", "replace", "delete"])
            layer = g.leaf(Scope([], [])) if how == "replace" else None
            file.post.append(PostOp(inst.var, d.pick(children), how, layer=layer))
            try:
                Builder(file).instances()
            except Exception:
                assume(False)
    return file
