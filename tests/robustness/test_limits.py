"""Each analysis limit ends in a named PRM304, never in silence, a wrong cause or an internal error.

In-process and fast: these inputs are bounded by the limits themselves (the hostile corpus
runs the unbounded ones in child processes).
"""
from __future__ import annotations

from paramlint.lint.analyze import analyze
from paramlint.lint.report import FileReport

TORCH = "from torch import nn\n"


def codes(report: FileReport) -> list[str]:
    return [n.code for n in report.notes] + [p.code for m in report.models for p in m.problems]


def test_a_limit_hit_before_any_model_is_reported_not_silent() -> None:
    source = TORCH + "def block(n):\n    return [nn.Linear(2, 2)] + block(n - 1)\nmodel = nn.Sequential(*block(3))\n"
    report = analyze(source)
    [model] = report.models  # unbounded recursion makes the call's result unknown; the model is still reported
    assert not model.complete and codes(report) == ["PRM304"]
    problem = model.problems[0]
    assert problem.fields["limit"] == "call depth" and "limit reached" in problem.message


def test_c_a_range_longer_than_sys_maxsize_is_a_limit_not_an_overflow() -> None:
    for body in ("for _ in range(2**100):\n    layers.append(nn.Linear(2, 2))\n",
                 "layers = [nn.Linear(2, 2) for _ in range(2**100)]\n"):
        report = analyze(TORCH + "layers = []\n" + body + "model = nn.Sequential(*layers)\n")
        assert [(m.complete, m.total) for m in report.models] == [(False, None)], (body, report.notes)
        assert codes(report) == ["PRM304"], (body, report.notes)


def test_c_len_of_a_huge_range_is_exact() -> None:
    report = analyze(TORCH + "n = len(range(3, 2**70, 2**3))\nmodel = nn.Sequential(nn.Linear(n, 1))\n")
    assert [(m.complete, m.total) for m in report.models] == [(True, (2**70 - 3 + 7) // 8 + 1)]


def test_d_a_loop_or_comprehension_over_a_too_long_range_names_the_limit() -> None:
    loop = "model = keras.Sequential([keras.Input((4,))])\nfor _ in range(10**12):\n    model.add(keras.layers.Dense(1))\n"
    comp = "model = keras.Sequential([keras.Input((4,))] + [keras.layers.Dense(1) for _ in range(10**6)])\n"
    for body in (loop, comp):
        report = analyze("import keras\n" + body)
        assert [m.complete for m in report.models] == [False]
        assert codes(report) == ["PRM304"], [p.message for p in report.models[0].problems]


def test_b_an_oversized_integer_makes_its_layer_incomplete_and_the_rest_of_the_file_goes_on() -> None:
    source = ("import keras\nHUGE = 9**9**9\nbig = keras.Sequential([keras.Input((4,)), keras.layers.Dense(10**100)])\n"
              "small = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])\n")
    report = analyze(source)
    assert [(m.name, m.complete, m.total) for m in report.models] == [("big", False, None), ("small", True, 10)]
    (problem,) = report.models[0].problems
    assert problem.line == 3 and "integer size" in problem.message, problem.message


def test_powers_within_the_integer_limit_are_computed_exactly() -> None:
    report = analyze(TORCH + "model = nn.Sequential(nn.Linear(2**200, 1), nn.Linear(1, 3**100))\n")
    assert [(m.complete, m.total) for m in report.models] == [(True, 2**200 + 1 + 3**100 + 3**100)]


def test_str_format_refuses_huge_widths_before_allocating() -> None:
    import resource

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for spec in ("{:>2000000000}", "{:.2000000000f}", "{:>{}}"):
        report = analyze(TORCH + f"name = '{spec}'.format('x', 2000000000)\nmodel = nn.Sequential(nn.Linear(2, 2))\n")
        assert [(m.complete, m.total) for m in report.models] == [(True, 6)]
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100 * 1024  # KiB
    report = analyze(TORCH + "n = int('{:03d}'.format(7))\nmodel = nn.Sequential(nn.Linear(n, 2))\n")
    assert [m.total for m in report.models] == [16]


def test_e_a_file_past_the_size_limit_is_refused_before_it_is_parsed() -> None:
    from paramlint.lint.settings import Limits, Settings

    source = TORCH + "model = nn.Sequential(nn.Linear(2, 2))\n" + "x = 1\n" * 200
    report = analyze(source, Settings(limits=Limits(characters=1000)))
    assert report.models == [] and [(n.code, n.line, n.fields["limit"]) for n in report.notes] == [("PRM304", 1, "file size")]
    assert f"{len(source):,} characters > 1,000" in report.notes[0].message
    assert [m.total for m in analyze(source).models] == [6]


def test_prod_and_round_refuse_results_they_cannot_bound() -> None:
    import time

    start = time.monotonic()
    for expr in ("math.prod([2**255] * 199_999)", "round(5, -10**8)", "round(5.0, 10**8)"):
        report = analyze("import math\n" + TORCH + f"n = {expr}\nmodel = nn.Sequential(nn.Linear(n, 2))\n")
        assert [m.complete for m in report.models] == [False], expr
    assert time.monotonic() - start < 2
    report = analyze("import math\n" + TORCH + "n = math.prod([2, 3, 4]) + round(7.6) + round(1234, -2)\nmodel = nn.Sequential(nn.Linear(n, 1))\n")
    assert [m.total for m in report.models] == [24 + 8 + 1200 + 1]


def test_model_build_with_a_shape_that_is_not_integers_is_refused_not_counted() -> None:
    for shape, code in (("(None, 3.5)", "PRM202"), ("(None, True)", "PRM202"), ("(None, -4)", "PRM202"), ("(None, '4')", "PRM202"),
                        ("(None, int(input()))", "PRM302")):
        report = analyze(f"import keras\nm = keras.Sequential([keras.layers.Dense(5)])\nm.build({shape})\n")
        assert [(m.complete, m.total) for m in report.models] == [(False, None)], shape
        assert code in codes(report), (shape, codes(report))
    report = analyze("import keras\nm = keras.Sequential([keras.layers.Dense(5)])\nm.build((None, 10))\n")
    assert [m.total for m in report.models] == [55]


def test_return_or_break_outside_a_function_does_not_escape() -> None:
    """ast.parse accepts them (the compiler would refuse); the analysis must not crash on them."""
    for stray in ("return m\n", "break\n", "continue\n"):
        report = analyze(TORCH + "m = nn.Sequential(nn.Linear(2, 2))\n" + stray)
        assert [m.total for m in report.models] == [6] and not report.notes, stray
