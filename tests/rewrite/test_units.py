"""The small pure pieces: budget arithmetic and spelling, line splitting, paramlint's own comment form, and the
model contract (outermost models get budgets; parts do not) on reports built by hand."""
from __future__ import annotations

from fractions import Fraction

import pytest

from paramlint.engine.stack import Row
from paramlint.lint.report import FileReport, ModelReport
from paramlint.lint.settings import SettingError, parse_count
from paramlint.rewrite import annotate, baseline
from paramlint.rewrite.own import own_text, with_annotation
from paramlint.rewrite.slots import find_slots
from paramlint.rewrite.text import join_lines, split_lines


@pytest.mark.parametrize(("count", "margin", "digits", "budget", "text"), [
    (62_958, "10%", 2, 70_000, "70k"),
    (62_958, "10%", 3, 69_300, "69.3k"),
    (1_001_000, "0%", 2, 1_100_000, "1.1M"),
    (100, "0%", 2, 100, "100"),
    (0, "10%", 2, 0, "0"),
    (7, "10%", 2, 8, "8"),
    (1_234_567_891, "5%", 4, 1_297_000_000, "1.297B"),
])
def test_budget_is_count_plus_margin_rounded_up(count: int, margin: str, digits: int, budget: int, text: str) -> None:
    value = baseline.budget_for(count, baseline.parse_margin(margin), digits)
    assert value == budget and value >= count
    assert baseline.budget_text(value) == text and parse_count(text) == value


def test_margin_needs_a_share() -> None:
    assert baseline.parse_margin("12.5%") == Fraction(1, 8)
    for bad in ("10", "-5%", "ten%"):
        with pytest.raises(SettingError, match="Received: --margin="):
            baseline.parse_margin(bad)


@pytest.mark.parametrize("text", ["", "a", "a\n", "a\r\nb\rc\n\nd", "x\x0cy\u2028z\r", "\n\n"])
def test_lines_keep_their_own_endings(text: str) -> None:
    lines = split_lines(text)
    assert join_lines(lines) == text
    assert all(ending in ("\n", "\r\n", "\r", "") for _, ending in lines)


@pytest.mark.parametrize(("tail", "comment"), [("", ""), ("   ", ""), ("\t# mine", "# mine"), ("  # a # b", "# a # b")])
def test_own_comment_round_trips_beside_the_users(tail: str, comment: str) -> None:
    ours = with_annotation(tail, comment, "6 params")
    assert ours.startswith(tail) and ours.endswith("  # [paramlint] 6 params")
    new_comment = ours[len(ours) - len(ours.lstrip(" \t")):]
    assert own_text(ours, new_comment) == "6 params"
    assert with_annotation(ours, new_comment, None) == tail
    assert with_annotation(ours, new_comment, "7 params") == with_annotation(tail, comment, "7 params")


def test_slots_skip_lines_that_end_inside_a_string_or_after_a_backslash() -> None:
    slots = find_slots('x = f(  # c\n  """s\n""", a \\\n  , b)\n')
    assert sorted(slots) == [1, 4] and slots[1].comment == "# c"


def _row(line: int, params: int | None, children: list[Row] | None = None) -> Row:
    return Row(0, "l", "Linear", line, 5, None, params, params, 0, children=children or [])


def _model(line: int, total: int | None, rows: list[Row], part_of: int | None = None,
           kind: str = "module") -> ModelReport:
    return ModelReport("torch", f"m{line}", line, 1, total is not None, total, total, 0 if total is not None else None,
                       None, None, None, None, rows, kind=kind, part_of=part_of)


def test_budgets_go_on_outermost_models_only() -> None:
    source = "class Net:\n    def __init__(self):\n        self.body = S()\n"
    report = FileReport("x.py", models=[_model(1, 100, []), _model(3, 40, [], part_of=0, kind="sequential")])
    lines = split_lines(source)
    plan = baseline.plan(report, source, lines, find_slots(source), Fraction(0), 2, update=False)
    assert plan.budgets == {0: 100} and [e.line for e in plan.edits] == [1]


def test_incomplete_models_are_annotated_only_before_their_first_problem() -> None:
    from paramlint.lint.report import Diagnostic

    model = _model(3, None, [_row(4, 60), _row(6, 220), _row(7, 63)])
    model.problems.append(Diagnostic("PRM302", 5, 1, {}))
    assert annotate.wanted(FileReport("x.py", models=[model])) == {4: "60 params"}


def test_a_line_counted_differently_by_two_calls_gets_no_number() -> None:
    helper_rows = [_row(2, 40), _row(2, 80)]  # a helper's layer, built twice with different sizes
    models = [_model(5, 120, helper_rows[:1] + helper_rows[1:]), _model(9, 40, [_row(9, 40)])]
    want = annotate.wanted(FileReport("x.py", models=models))
    assert 2 not in want and want[5] == "total 120 params (all trainable)" and want[9].startswith("total 40")
