"""Random files of nn.Module classes, rendered in varied styles: paramlint must count every instance as torch does.

The facts come from torch twice: from the description (diff_modules_oracle.Builder registers real modules and
parameters as each ``__init__`` would) and from executing the rendered source; the two must agree (the
renderer check) before paramlint is compared with them. Totals, the trainable split, and each row (registered
children in registration order, direct ``nn.Parameter`` attributes) are compared; nothing is computed by hand.
"""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")

from hypothesis import given, strategies as st  # noqa: E402

from diff_check import EXAMPLES, diff_settings  # noqa: E402
from diff_modules_check import class_facts, compare_file, explain  # noqa: E402
from diff_modules_gen import module_files  # noqa: E402
from diff_modules_oracle import Builder, exec_module_source, facts  # noqa: E402
from diff_modules_render import render_file  # noqa: E402

pytestmark = [pytest.mark.oracle, pytest.mark.filterwarnings("ignore")]

# as many files per CI run as the other suites draw models (PARAMLINT_DIFF_EXAMPLES, default 500: about
# 15 s on 2 cores); PARAMLINT_DIFF_EXAMPLES=5000 asks for a longer run
MODULE_EXAMPLES = EXAMPLES


def check(data: st.DataObject) -> None:
    file = data.draw(module_files(), label="file")
    builder = Builder(file)
    built = builder.instances()
    want = {var: facts(module) for var, module in built.items()}
    rendered = data.draw(render_file(file, built), label="rendering")
    namespace = exec_module_source(rendered.source)
    executed = {inst.var: facts(namespace[inst.var]) for inst in file.instances}
    assert executed == want, (
        f"renderer check: the source does not build the description\n{rendered.source}\n{executed}\n{want}"
    )
    defaults = class_facts(builder, file, rendered.needs_args)
    problems = compare_file(rendered.source, file, want, defaults)
    assert not problems, explain(rendered.source, problems, rendered.style)


@diff_settings(MODULE_EXAMPLES)
@given(st.data())
def test_random_module_files(data: st.DataObject) -> None:
    check(data)


@diff_settings(60)
@given(st.data())
def test_rendered_source_builds_the_description(data: st.DataObject) -> None:
    """The renderer check on its own, so the suite's own correctness is proven even while paramlint fails."""
    file = data.draw(module_files(), label="file")
    built = Builder(file).instances()
    rendered = data.draw(render_file(file, built), label="rendering")
    namespace = exec_module_source(rendered.source)
    executed = {inst.var: facts(namespace[inst.var]) for inst in file.instances}
    assert executed == {var: facts(module) for var, module in built.items()}, rendered.source
