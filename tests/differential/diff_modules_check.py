"""The comparison for module files: paramlint's report against torch's facts for every instance the file creates."""

from __future__ import annotations

from typing import Any, Optional

from diff_modules_model import ClassDesc, FileDesc, unused_classes
from diff_modules_oracle import ModFacts, ModRow, facts


def _rows(got: list[Any], want: tuple[ModRow, ...], at: str, out: list[str]) -> None:
    names = [r.name for r in got]
    if sorted(names) != sorted(w.name for w in want):
        out.append(f"{at}: rows {names}, torch {[w.name for w in want]}")
        return
    modules = [w.name for w in want if w.type != "Parameter"]
    if [n for n in names if n in modules] != modules:
        out.append(f"{at}: module rows in order {[n for n in names if n in modules]}, torch registers {modules}")
    by_name = {r.name: r for r in got}
    for w in want:
        g = by_name[w.name]
        where = f"{at}.{w.name}"
        if w.type != "Parameter" and g.type != w.type:
            out.append(f"{where}: type {g.type!r}, torch {w.type!r}")
        for key in ("params", "trainable", "non_trainable"):
            if getattr(g, key) != getattr(w, key):
                out.append(f"{where}: {key} {getattr(g, key)}, torch {getattr(w, key)}")
        if w.alias_of is not None and getattr(g, "shared_with", None) is None:
            out.append(f"{where}: the same module as row {w.alias_of!r}, but shared_with is not set")


def _model(m: Any, want: ModFacts, at: str, out: list[str], rows: bool = True, chained: bool = False) -> None:
    if m.kind != "module":
        out.append(f"{at}: kind {m.kind!r}, expected 'module'")
    # PRM201 (a layer's declared input size against the previous layer's output) is a true finding on the random
    # nn.Sequential attributes these files hold, whose layers are not drawn to chain; anywhere else it is wrong
    problems = [p for p in m.problems if not (chained and p.code == "PRM201")]
    if problems:
        out.append(f"{at}: problems: " + "; ".join(f"{p.code} line {p.line}: {p.message}" for p in problems))
    if not m.complete:
        out.append(f"{at}: incomplete")
    for key in ("total", "trainable", "non_trainable"):
        if getattr(m, key) != getattr(want, key):
            out.append(f"{at}: {key} {getattr(m, key)}, torch {getattr(want, key)}")
    if rows:
        _rows(m.rows, want.rows, at, out)


def _try_facts(builder: Any, cls: ClassDesc, args: dict[str, int]) -> Optional[ModFacts]:
    try:
        return facts(builder.call(cls, args))
    except Exception:  # torch refuses these sizes (only some instances of the class are valid)
        return None


def class_facts(builder: Any, file: FileDesc, needs_args: set[str]) -> dict[str, Optional[ModFacts]]:
    """torch's facts for each class called without arguments, where torch can build it that way.

    A class whose dataclass config is required has no ``Cls()``: it is built with the config's defaults and with
    other sizes; where the counts agree, paramlint may count it (with that number); where they differ (None here)
    no number is right and paramlint must call it incomplete. Classes torch refuses to build are left out.
    """
    out: dict[str, Optional[ModFacts]] = {}
    for cls in file.classes:
        first = _try_facts(builder, cls, {})
        if first is None:
            continue
        if cls.name in needs_args:
            assert cls.config is not None
            other = {f.name: f.default + (1 if f.name in ("n", "depth") else 2) for f in cls.config.fields}
            second = _try_facts(builder, cls, other)
            if second is None:
                continue
            out[cls.name] = first if (first.total, first.trainable) == (second.total, second.trainable) else None
        else:
            out[cls.name] = first
    return out


def compare_file(
    source: str, file: FileDesc, want: dict[str, ModFacts], defaults: dict[str, Optional[ModFacts]]
) -> list[str]:
    """Every disagreement between paramlint and torch, as readable lines (empty: exact).

    ``want``: torch's facts for each instance, by variable. ``defaults``: ``class_facts``: a model paramlint
    reports under a class's name (a class it counted with its defaults) must have torch's numbers too, if it
    claims to be complete.
    """
    from paramlint.lint.analyze import analyze

    report = analyze(source, path="gen.py")
    if report.error is not None:
        return [f"analysis error: {report.error}"]
    out: list[str] = [f"file note {n.code} line {n.line}: {n.message}" for n in report.notes]
    chained = "Sequential(" in source
    for inst in file.instances:
        found = [m for m in report.models if m.name == inst.var and m.part_of is None]
        if len(found) != 1:
            names = [(m.name, m.kind, m.part_of) for m in report.models]
            out.append(f"expected one outermost model {inst.var!r}, found {len(found)} among {names}")
            continue
        _model(found[0], want[inst.var], inst.var, out, chained=chained)
    unused = {cls.name for cls in unused_classes(file)}
    for name in sorted(unused):
        found = [m for m in report.models if m.name == name and m.part_of is None]
        if len(found) != 1:
            out.append(f"class {name} is never instantiated: expected one model {name!r}, found {len(found)}")
        elif name in defaults and defaults[name] is not None:
            _model(found[0], defaults[name], f"{name} (never instantiated, with its defaults)", out, chained=chained)
        elif name in defaults and found[0].complete:
            out.append(f"{name}: complete with {found[0].total}, but its count depends on its required config")
    for m in report.models:
        known = defaults.get(m.name)
        if m.part_of is None and m.complete and known is not None and m.name not in want and m.name not in unused:
            _model(m, known, f"{m.name} (with its defaults)", out, rows=False, chained=chained)
    return out


def explain(source: str, problems: list[str], style: str) -> str:
    return "\n".join(["paramlint disagrees with torch:", *problems, f"style {style}", "source:", source])
