"""The code registry is the one source: the README's table is generated from it."""
from __future__ import annotations

import os
import re

from paramlint.lint.codes import BY_CODE, CODES, FINDING_CODES, markdown_table

from .fixture_expectations import ROOT

README = ROOT / "README.md"
_BLOCK = re.compile(r"(<!-- codes:start -->\n)(.*?)(<!-- codes:end -->)", re.DOTALL)


def test_readme_code_table_is_generated_from_the_registry() -> None:
    text = README.read_text(encoding="utf-8")
    wanted = _BLOCK.sub(lambda m: m.group(1) + markdown_table() + "\n" + m.group(3), text)
    if os.environ.get("PARAMLINT_REGEN_README") and wanted != text:
        README.write_text(wanted, encoding="utf-8")
        text = wanted
    assert text == wanted, "README code table is stale: run PARAMLINT_REGEN_README=1 python -m pytest tests/test_codes.py"


def test_codes_are_unique_and_well_formed() -> None:
    assert len(BY_CODE) == len(CODES)
    for code in CODES:
        assert re.fullmatch(r"PRM\d{3}", code.code)
        assert code.when in ("always", "budget", "opt-in")
        assert "\n" not in code.template
    assert set(FINDING_CODES.values()) <= set(BY_CODE)


def test_engine_is_pure() -> None:
    """The engine imports no syntax tree, flake8 or argparse: checked in a fresh interpreter."""
    import subprocess
    import sys

    code = ("import sys, paramlint.engine; "
            "bad = [m for m in ('libcst', 'flake8', 'argparse', 'paramlint.extract', 'paramlint.lint') if m in sys.modules]; "
            "print(bad); sys.exit(bool(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stdout + out.stderr


def test_engine_sources_import_no_syntax_tree() -> None:
    """The stdlib loads ast for its own reasons; the engine's modules must not import it."""
    engine = ROOT / "src" / "paramlint" / "engine"
    for path in engine.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(import|from)\s+(ast|libcst|flake8|argparse)\b", text, re.MULTILINE), path
