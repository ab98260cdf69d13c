"""Where paramlint stands on random module files: ``python tests/differential/diff_modules_survey.py [N]``.

Runs N generated files (default 300) without stopping at the first failure, groups the disagreements by kind
(numbers and names masked) and prints, for each kind, how many files hit it and the shortest source that
does: a to-do list for whoever works on module support. Not collected by pytest.
"""

from __future__ import annotations

import os
import re
import sys
from collections import defaultdict
from typing import Any

sys.path.insert(0, os.path.dirname(__file__))
os.environ.setdefault("KERAS_BACKEND", "torch")

from hypothesis import HealthCheck, Phase, given, settings, strategies as st  # noqa: E402

from diff_modules_check import class_facts, compare_file  # noqa: E402
from diff_modules_gen import module_files  # noqa: E402
from diff_modules_oracle import Builder, exec_module_source, facts  # noqa: E402
from diff_modules_render import render_file  # noqa: E402


def kinds_of(problem: str) -> list[str]:
    """The kinds a disagreement line stands for: its causes (PRM problems) and wrong numbers, not consequences."""
    text = re.sub(r"^\w+ \((never instantiated|with its defaults)[^)]*\)", "X", problem)
    text = re.sub(r"^[A-Za-z_]\w*(?=[.:])", "X", text)
    text = re.sub(r"^X\.\w+", "X.row", text)
    if re.search(r": (incomplete|\w+ None, torch \d+)$", text):
        return []  # a consequence of a cause listed on its own line
    if ": problems: " in text:
        causes = text.split(": problems: ", 1)[1].split("; ")
        return [_mask("problem " + c) for c in causes]
    return [_mask(text)]


def _mask(text: str) -> str:
    text = re.sub(r"'[^']*'", "'…'", text)
    return re.sub(r"\b\d[\d,]*\b", "N", text)[:160]


def survey(n: int) -> tuple[int, int, dict[str, list[str]]]:
    found: dict[str, list[str]] = defaultdict(list)
    runs = [0, 0]  # files compared, files with a disagreement

    @settings(
        max_examples=n,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def run(data: Any) -> None:
        file = data.draw(module_files())
        builder = Builder(file)
        built = builder.instances()
        want = {var: facts(m) for var, m in built.items()}
        rendered = data.draw(render_file(file, built))
        namespace = exec_module_source(rendered.source)
        assert {i.var: facts(namespace[i.var]) for i in file.instances} == want, rendered.source
        defaults = class_facts(builder, file, rendered.needs_args)
        runs[0] += 1
        try:
            problems = compare_file(rendered.source, file, want, defaults)
        except Exception as exc:  # paramlint itself raised: analyze() must never do that
            problems = [f"analyze raised {type(exc).__name__}: {exc}"]
        runs[1] += bool(problems)
        for kind in {k for p in problems for k in kinds_of(p)}:
            found[kind].append(rendered.source)

    run()
    return runs[0], runs[1], found


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    runs, failing, found = survey(n)
    print(f"{runs} files, {failing} with a disagreement; {len(found)} kinds\n")
    for kind, sources in sorted(found.items(), key=lambda kv: -len(kv[1])):
        print(f"=== {len(sources)} x {kind}")
        print(min(sources, key=len))


if __name__ == "__main__":
    main()
