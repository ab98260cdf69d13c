"""Renderers for ``paramlint diff``: a terminal table, Markdown for a pull-request bot, and JSON."""
from __future__ import annotations

import json
import textwrap
from typing import TYPE_CHECKING, Any, Optional, Sequence

from ..lint.report import ModelReport
from .common import number, where
from .markdown import cell, code

if TYPE_CHECKING:
    from ..diff import DiffResult, ModelChange

ORDER = ("grew", "shrank", "appeared", "disappeared", "uncountable", "countable", "still-uncountable", "unchanged")
VERBS = {
    "grew": "grew", "shrank": "shrank", "appeared": "appeared", "disappeared": "disappeared",
    "uncountable": "became uncountable", "countable": "became countable", "still-uncountable": "still uncountable",
    "unchanged": "unchanged",
}
MARKS = {"grew": "📈", "shrank": "📉", "appeared": "🆕", "disappeared": "🗑️", "uncountable": "⚠️", "countable": "✅",
         "still-uncountable": "⚠️", "unchanged": "➖"}


def change_text(mc: "ModelChange") -> str:
    """``+3,600,000 (+300.0%)``; ``--`` when there is nothing to subtract."""
    if mc.delta is None:
        return "--"
    text = f"{mc.delta:+,}"
    if mc.relative is not None:
        text += f" ({mc.relative:+.1%})"
    return text


def headline(result: "DiffResult") -> str:
    counts = {s: sum(1 for mc in result.changes if mc.status == s) for s in ORDER}
    parts = [f"{n} {VERBS[s]}" for s, n in counts.items() if n and s != "unchanged"]
    return ", ".join(parts) if parts else "no model changed its size"


def _location(mc: "ModelChange", result: "DiffResult") -> str:
    model = mc.new or mc.old
    side = result.head if mc.new is not None else result.base
    text = where(mc.path, model.line if model else None, side.cells)
    return f"{text} (was {mc.old_path})" if mc.old_path else text


def _total(m: Optional[ModelReport]) -> str:
    return "--" if m is None else number(m.total)


def render_table(result: "DiffResult", failing: Sequence["ModelChange"] = (), width: int = 80, show_all: bool = False) -> str:
    shown = [mc for mc in result.changes if show_all or mc.status != "unchanged"]
    lines = [f"paramlint diff: {result.base.label} -> {result.head.label}: {headline(result)}"]
    if shown:
        rows = [(VERBS[mc.status], f"{mc.name} {_location(mc, result)}", _total(mc.old), _total(mc.new), change_text(mc)) for mc in shown]
        header = ("Status", "Model", "Before", "After", "Change")
        w = [max(len(r[i]) for r in [header, *rows]) for i in range(5)]
        w[1] = max(16, min(w[1], width - (w[0] + w[2] + w[3] + w[4] + 8)))
        rule = "-" * (sum(w) + 8)
        lines += [rule, *_row(header, w), rule]
        for mc, r in zip(shown, rows):
            lines += _row(r, w)
            if mc.reason:  # wrapped, never cut: the reason is what the reader acts on
                lines += textwrap.wrap(f"because {mc.reason}", max(width - 4, 20), initial_indent="    ",
                                       subsequent_indent="      ", break_long_words=False, break_on_hyphens=False)
        lines.append(rule)
    unchanged = sum(1 for mc in result.changes if mc.status == "unchanged")
    if unchanged and not show_all:
        lines.append(f"{unchanged} model{'s' * (unchanged != 1)} in changed files kept {'their' if unchanged != 1 else 'its'} size.")
    for path, reason in result.errors:
        lines.append(f"{path}: error: {reason}")
    if failing:
        lines.append(f"Growth over the limit: {', '.join(mc.name for mc in failing)}")
    return "\n".join(lines) + "\n"


def _row(r: Sequence[str], w: Sequence[int]) -> list[str]:
    """One change; a long model cell wraps within its column at spaces, and a path longer than the column is kept whole."""
    names = textwrap.wrap(r[1], w[1], break_long_words=False, break_on_hyphens=False) or [""]
    first = f"{r[0]:<{w[0]}}  {names[0]:<{w[1]}}  {r[2]:>{w[2]}}  {r[3]:>{w[3]}}  {r[4]:>{w[4]}}".rstrip()
    return [first] + [f"{'':<{w[0]}}  {more}" for more in names[1:]]


def render_markdown(result: "DiffResult", failing: Sequence["ModelChange"] = (), show_all: bool = False) -> str:
    shown = [mc for mc in result.changes if show_all or mc.status != "unchanged"]
    lines = [f"### paramlint diff: {headline(result)}", "",
             f"Comparing {code(result.base.label)} with {code(result.head.label)}.", ""]
    if shown:
        lines += ["| Model | File | Before | After | Change | Status |", "| --- | --- | ---: | ---: | ---: | --- |"]
        for mc in shown:
            status = f"{MARKS[mc.status]} {VERBS[mc.status]}"
            if mc.reason:
                status += f": {cell(mc.reason)}"
            lines.append(f"| {code(mc.name)} | {code(_location(mc, result))} | {_total(mc.old)} | {_total(mc.new)} | "
                         f"{change_text(mc)} | {status} |")
        lines.append("")
    unchanged = sum(1 for mc in result.changes if mc.status == "unchanged")
    if unchanged and not show_all:
        lines += [f"{unchanged} other model{'s' * (unchanged != 1)} in the changed files kept {'their' if unchanged != 1 else 'its'} size.", ""]
    if result.errors:
        lines += ["**Files not analysed**", ""] + [f"- {code(p)}: {cell(e)}" for p, e in result.errors] + [""]
    if failing:
        lines += [f"**Growth over the limit**: {', '.join(code(mc.name) for mc in failing)}", ""]
    return "\n".join(lines)


def _side(m: Optional[ModelReport], path: Optional[str]) -> Optional[dict[str, Any]]:
    if m is None:
        return None
    return {"path": path, "line": m.line, "complete": m.complete, "total": m.total, "trainable": m.trainable,
            "non_trainable": m.non_trainable, "budget": m.budget}


def to_data(result: "DiffResult", failing: Sequence["ModelChange"] = ()) -> dict[str, Any]:
    failed = {id(mc) for mc in failing}
    return {
        "version": 1,
        "kind": "diff",
        "base": {"label": result.base.label, "rev": result.base.rev},
        "head": {"label": result.head.label, "rev": result.head.rev},
        "models": [
            {"status": mc.status, "name": mc.name, "framework": mc.framework, "path": mc.path, "old_path": mc.old_path,
             "before": _side(mc.old, mc.old_path or mc.path), "after": _side(mc.new, mc.path), "change": mc.delta,
             "relative": mc.relative, "reason": mc.reason or None, "over_limit": id(mc) in failed}
            for mc in result.changes
        ],
        "errors": [{"path": p, "message": e} for p, e in result.errors],
    }


def render_json(result: "DiffResult", failing: Sequence["ModelChange"] = ()) -> str:
    return json.dumps(to_data(result, failing), indent=2) + "\n"
