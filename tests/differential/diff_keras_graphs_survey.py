"""Where paramlint stands on random Keras graphs and subclasses: ``python diff_keras_graphs_survey.py [N]``.

Runs N generated cases (default 300, the same seed as the test) without stopping at the first disagreement,
groups the disagreements by kind (numbers and names masked), and prints for each kind how many cases hit it and
the shortest reduced source that shows it. Not collected by pytest.
"""
from __future__ import annotations

import os
import sys
import warnings
from collections import Counter, defaultdict

sys.path.insert(0, os.path.dirname(__file__))
os.environ.setdefault("KERAS_BACKEND", "torch")

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402

from diff_keras_graphs_check import category, causes, compare, keras_facts, reduce  # noqa: E402
from diff_keras_graphs_gen import Case, cases  # noqa: E402


def survey(n: int) -> tuple[int, int, dict[str, list[Case]], Counter[str], list[Case]]:
    found: dict[str, list[Case]] = defaultdict(list)
    categories: Counter[str] = Counter()
    wrong: list[Case] = []
    runs = [0, 0]  # cases compared, cases with a disagreement

    @settings(max_examples=n, deadline=None, derandomize=True, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(cases())
    def run(case: Case) -> None:
        runs[0] += 1
        problems = compare(case, keras_facts(case))
        if problems:
            runs[1] += 1
            categories[category(problems)] += 1
            if category(problems) == "wrong count":
                wrong.append(case)
        for kind in causes(problems):
            found[kind].append(case)

    run()
    return runs[0], runs[1], found, categories, wrong


def main(argv: list[str]) -> None:
    warnings.filterwarnings("ignore")
    n = int(argv[1]) if len(argv) > 1 else 300
    total, bad, found, categories, wrong = survey(n)
    print(f"{bad} of {total} cases disagree: " + ", ".join(f"{c} {k}" for k, c in categories.most_common()))
    for case in wrong[:3]:
        problems = compare(case, keras_facts(case))
        want = causes([next(p for p in problems if category([p]) == "wrong count")])[0]
        smaller = reduce(case, want) or case
        print(f"\n== a wrong count: {want}\n{smaller.source}")
    for kind, hits in sorted(found.items(), key=lambda kv: -len(kv[1])):
        shortest = min(hits, key=lambda c: len(c.source))
        smaller = reduce(shortest, kind) or shortest
        print(f"\n== {len(hits)} cases: {kind}\n{smaller.source}")


if __name__ == "__main__":
    main(sys.argv)
