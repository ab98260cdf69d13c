"""The comparison: paramlint's report for the rendered source against the oracle's facts."""
from __future__ import annotations

import os
from typing import Any, Optional

from hypothesis import HealthCheck, Phase, settings

from diff_oracle import ModelFacts, RowFacts
from diff_render import Rendered

EXAMPLES = int(os.environ.get("PARAMLINT_DIFF_EXAMPLES", "500"))
PER_LAYER = max(3, EXAMPLES // 60)  # models per catalog name in test_every_*_layer

# Shrinking a failure can take minutes on these nested draws: off by default so a CI run stays
# bounded (the failing model and its source are printed anyway); PARAMLINT_DIFF_SHRINK=1 turns it on.
SHRINK = os.environ.get("PARAMLINT_DIFF_SHRINK", "") not in ("", "0")


def diff_settings(max_examples: int) -> Any:
    return settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=True,
        database=None,
        print_blob=False,
        phases=[Phase.explicit, Phase.reuse, Phase.generate] + ([Phase.shrink] if SHRINK else []),
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
    )


def _rows(got: list[Any], want: list[RowFacts], shapes: bool, where: str, out: list[str]) -> None:
    if len(got) != len(want):
        out.append(f"{where}: {len(got)} rows, oracle has {len(want)} ({[r.type for r in got]} vs {[r.type for r in want]})")
        return
    for i, (g, w) in enumerate(zip(got, want)):
        at = f"{where}[{i}] {w.type}"
        if g.type != w.type:
            out.append(f"{at}: type {g.type!r}, oracle {w.type!r}")
        for key in ("params", "trainable", "non_trainable"):
            if getattr(g, key) != getattr(w, key):
                out.append(f"{at}: {key} {getattr(g, key)}, oracle {getattr(w, key)}")
        if shapes and w.shape is not None and g.output_shape != w.shape:
            out.append(f"{at}: output shape {g.output_shape}, oracle {w.shape}")
        if w.children:
            _rows(g.children, w.children, shapes, at, out)


def compare(rendered: Rendered, facts: ModelFacts, sharing: bool = False) -> list[str]:
    """Every disagreement between paramlint and the oracle, as readable lines (empty: exact)."""
    from paramlint.lint.analyze import analyze
    from paramlint.lint.settings import Settings

    report = analyze(rendered.source, Settings(), "gen.py")
    if report.error is not None:
        return [f"analysis error: {report.error}"]
    found = [m for m in report.models if m.name == rendered.var]
    if len(found) != 1:
        return [f"expected one model {rendered.var!r}, found {[m.name for m in report.models]}"]
    m = found[0]
    if rendered.expect != "exact":
        return _not_built(rendered.expect, m, facts)
    out: list[str] = []
    if m.problems:
        out.append("problems: " + "; ".join(f"{p.code} line {p.line}: {p.message}" for p in m.problems))
    if not m.complete:
        out.append("model is incomplete")
    for key in ("total", "trainable", "non_trainable"):
        if getattr(m, key) != getattr(facts, key):
            out.append(f"model {key} {getattr(m, key)}, oracle {getattr(facts, key)}")
    if not sharing:  # with a shared instance, rows are a presentation choice; totals must still be exact
        _rows(m.rows, facts.rows, rendered.shapes_known, "row", out)
    if rendered.shapes_known and facts.output_shape is not None and all(r.shape is not None for r in facts.rows):
        if m.output_shape != facts.output_shape:
            out.append(f"model output shape {m.output_shape}, oracle {facts.output_shape}")
    return out


def _not_built(expect: str, m: Any, facts: ModelFacts) -> list[str]:
    """Keras cannot count the source as written: paramlint must say why, or give the one count every shape gives."""
    codes = {p.code for p in m.problems}
    if expect == "refused":
        return [] if "PRM202" in codes and not m.complete else [f"Keras refuses this source; paramlint: complete={m.complete}, {sorted(codes)}"]
    if m.complete and (m.total, m.trainable, m.non_trainable) == (facts.total, facts.trainable, facts.non_trainable):
        return []  # the count does not depend on the input shape (an Embedding alone)
    if not m.complete and "PRM303" in codes:
        return []
    return [f"Keras cannot count this model (no input shape); paramlint: complete={m.complete}, total={m.total}, {sorted(codes)}"]


def explain(rendered: Rendered, problems: list[str], model: Optional[Any] = None) -> str:
    return "\n".join(["paramlint disagrees with the oracle:", *problems, f"style {rendered.style}", "source:", rendered.source, f"desc: {model!r}"])
