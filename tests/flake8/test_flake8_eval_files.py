"""Each file in eval_files/ is linted by the real flake8 and must produce exactly the PRM diagnostics it declares.

A fixture's first line is ``# options: <flake8 arguments>``. A trailing comment
``# PRM101: 8, model='over', total=10100`` expects that code on that line at that (1-based, as
flake8 prints) column. The keyword values are the message's fields: the expected text is the
registry template filled with them, any field not given matching anything. Fixtures hold values,
not rendered text, so rewording a message never touches them. Several expectations may share a line.
Only PRM codes are compared; pycodestyle and pyflakes findings in the fixtures are ignored.
"""
from __future__ import annotations

import ast
import re
import shlex
import string
from pathlib import Path
from typing import Any

import pytest

from paramlint.lint.codes import BY_CODE

from .conftest import Flake8, prm

EVAL_FILES = sorted((Path(__file__).parent / "eval_files").glob("*.py"))
EXPECTATION = re.compile(r"#\s*(?P<code>PRM\d{3}):\s*(?P<spec>[^#]*)")


def message_pattern(code: str, fields: dict[str, Any]) -> re.Pattern[str]:
    parts = []
    for literal, name, spec, _conversion in string.Formatter().parse(BY_CODE[code].template):
        parts.append(re.escape(literal))
        if name is not None:
            parts.append(re.escape(format(fields[name], spec or "")) if name in fields else ".+?")
    return re.compile("".join(parts))


def expectations(path: Path) -> tuple[list[str], list[tuple[int, int, str, dict[str, Any]]]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines and lines[0].startswith("# options:"), f"{path.name}: first line must be '# options: ...'"
    options = shlex.split(lines[0].partition(":")[2])
    expected = []
    for number, line in enumerate(lines[1:], start=2):
        for m in EXPECTATION.finditer(line):
            call = ast.parse(f"_({m.group('spec').strip()})", mode="eval").body
            assert isinstance(call, ast.Call) and len(call.args) == 1, f"{path.name}:{number}: '# CODE: col, k=v'"
            column = ast.literal_eval(call.args[0])
            fields = {k.arg: ast.literal_eval(k.value) for k in call.keywords if k.arg}
            expected.append((number, column, m.group("code"), fields))
    return options, expected


@pytest.mark.parametrize("path", EVAL_FILES, ids=[p.stem for p in EVAL_FILES])
def test_eval_file(path: Path, flake8: Flake8) -> None:
    options, expected = expectations(path)
    result = flake8("--isolated", *options, str(path))
    assert result.returncode in (0, 1), result.stderr
    actual = sorted((row, col, code, text) for _, row, col, code, text in prm(result))
    expected.sort(key=lambda e: (e[0], e[1], e[2]))
    assert [a[:3] for a in actual] == [e[:3] for e in expected], result.stdout
    for (row, _, code, text), (_, _, _, fields) in zip(actual, expected):
        assert message_pattern(code, fields).fullmatch(text), f"line {row}: {code} {text!r} does not match {fields}"
    assert result.returncode == (1 if result.stdout.strip() else 0)


def test_every_code_appears_in_some_eval_file() -> None:
    seen = {code for path in EVAL_FILES for _, _, code, _ in expectations(path)[1]}
    missing = set(BY_CODE) - seen - {"PRM000", "PRM304"}  # PRM000: see test_flake8_robustness; PRM304 needs a huge file
    assert not missing, f"no eval file expects {sorted(missing)}"
