"""flake8 adapter: options in, one ``analyze()`` per file, ``(line, column, message)`` tuples out."""
from __future__ import annotations

import argparse
import ast
import os
import sys
from pathlib import Path
from typing import Any, Callable, ClassVar, Iterator, Optional, Sequence

from . import __version__
from .lint.codes import BY_CODE, CODES
from .gate import may_define_models  # imports neither the extractor nor the engine
from .limits import Limits
from .lint.settings import SettingError, Settings, parse_count

OPTIONS = (("param-budget", "budget"), ("param-budget-trainable", "budget_trainable"))

Result = tuple[int, int, str, type]


def _count_type(option: str) -> Callable[[str], int]:
    """argparse ``type=``: a count, or an error that echoes the value (argparse prints and exits 2)."""

    def parse(text: str) -> int:
        try:
            return parse_count(text, option)
        except SettingError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    parse.__name__ = option
    return parse


class Plugin:
    """Reports PRM codes on each model a file defines. ``run()`` never raises."""

    name = "paramlint"
    version = __version__
    settings: ClassVar[Settings] = Settings()
    # The codes flake8 would show (set from its select/ignore options in parse_options). Codes it
    # would drop are not produced at all: any result makes flake8 re-tokenize the file for noqa.
    reported: ClassVar[frozenset[str]] = frozenset(c.code for c in CODES if c.when != "opt-in")

    def __init__(self, tree: ast.AST, lines: Sequence[str], filename: str) -> None:
        self.tree = tree  # flake8's own parse: the analysis reuses it instead of parsing again
        self.lines = lines
        self.filename = filename

    @classmethod
    def add_options(cls, manager: Any) -> None:
        for option, _ in OPTIONS:
            what = "trainable parameters" if option.endswith("trainable") else "parameters"
            manager.add_option(
                f"--{option}",
                metavar="N",
                type=_count_type(option),
                default=None,
                parse_from_config=True,
                help=f"budget for each model's {what}: 100000, 100_000, 100k, 1.5M, 2B. "
                "Falls back to [tool.paramlint] in pyproject.toml. (Default: no budget)",
            )
        manager.extend_default_ignore(["PRM9"])

    @classmethod
    def parse_options(cls, manager: Any, options: argparse.Namespace, args: Sequence[str]) -> None:
        # flake8 retries a parse_options that raises TypeError with one argument: let none escape.
        try:
            cls.settings = resolve_settings(options)
            cls.reported = reported_codes(options)
        except SettingError as exc:
            manager.parser.error(str(exc))
        except TypeError as exc:  # pragma: no cover - defensive, see above
            manager.parser.error(f"paramlint: {exc}")

    def run(self) -> Iterator[Result]:
        try:
            results = self._results()
        except Exception as exc:  # noqa: BLE001 - our bug must never take flake8 down
            results = [_internal_error(exc, self.filename)]
        yield from results

    def _results(self) -> list[Result]:
        if not self.reported:
            return []
        source = "".join(self.lines)
        if not may_define_models(source):
            return []
        from .lint.analyze import analyze  # the extractor and engine load only for files that may define models

        tree = self.tree if isinstance(self.tree, ast.Module) else None
        report = analyze(source, self.settings, self.filename, tree)
        results = []
        if report.error is not None:
            results.append(_result(report.error_line or 1, 1, "PRM000", {"error": report.error}))
        # a file-level limit (no model reached) matters only where a budget could be escaped by it
        budgeted = self.settings.budget is not None or self.settings.budget_trainable is not None
        results += [_result(d.line, d.column, d.code, d.fields) for d in report.notes if _reported(d.code, budgeted)]
        for model in report.models:
            for problem in model.problems:
                if _reported(problem.code, model.budget_applies):
                    results.append(_result(problem.line, problem.column, problem.code, problem.fields))
            named = {"model": model.name, "total": model.total, "trainable": model.trainable}
            if "PRM901" in self.reported and model.total is not None and model.trainable is not None:
                results.append(_result(model.line, model.column, "PRM901", named))
            if "PRM902" in self.reported:
                for assumption in model.assumptions:
                    results.append(_result(model.line, model.column, "PRM902", {**named, "assumption": assumption}))
        return [r for r in results if r[2][:6] in self.reported or r[2][:6] == "PRM000"]


def _internal_error(exc: Exception, filename: str) -> Result:
    # flake8 prefixes the path, but a custom --format may not: the message names the file too
    error = f"{type(exc).__name__}: {exc}, in {filename}"
    try:
        return _result(1, 1, "PRM000", {"error": error})
    except Exception:  # noqa: BLE001 - the registry itself may be what failed
        return 1, 0, " ".join(f"PRM000 paramlint could not analyse this file ({error})".split()), Plugin


def reported_codes(options: argparse.Namespace) -> frozenset[str]:
    """The registry's codes that flake8's select / ignore options let through (PRM9 is off by default)."""
    try:
        from flake8.style_guide import Decision, DecisionEngine  # type: ignore[import-untyped]

        engine = DecisionEngine(options)
        return frozenset(c.code for c in CODES if engine.decision_for(c.code) is Decision.Selected)
    except Exception:  # noqa: BLE001 - flake8 internals moved: produce everything, let flake8 decide
        return frozenset(c.code for c in CODES)


def _reported(code: str, budget_applies: bool) -> bool:
    """PRM3xx ("budget" codes) only matter when a budget applies: without one nothing is checked."""
    entry = BY_CODE.get(code)
    return entry is None or entry.when != "budget" or budget_applies


def _result(line: int, column: int, code: str, fields: dict[str, Any]) -> Result:
    """Our diagnostics are 1-based; flake8 wants 0-based columns from plugins. One line of text."""
    message = " ".join(BY_CODE[code].message(fields).split())
    return max(line, 1), max(column - 1, 0), f"{code} {message}", Plugin


def _isolated(options: argparse.Namespace) -> bool:
    """``--isolated`` (ignore every config file) also turns the pyproject fallback off.

    flake8's preliminary parser consumes ``--isolated`` before plugins see the options, so the
    namespace says False; the command line is the only place left to look.
    """
    return bool(getattr(options, "isolated", False)) or "--isolated" in sys.argv[1:]


def resolve_settings(options: argparse.Namespace, start: Optional[Path] = None) -> Settings:
    """flake8's options (command line, then [flake8] config) win; ``[tool.paramlint]`` fills what they leave unset.

    Config-file values reach us as raw strings (flake8 applies ``type=`` to the command line
    only), so they are parsed here, with the same echoing error.
    """
    values: dict[str, Optional[int]] = {}
    for option, field in OPTIONS:
        value = getattr(options, option.replace("-", "_"), None)
        values[field] = parse_count(value, option) if isinstance(value, str) else value
    limits = Limits()
    python_path: tuple[str, ...] = ()
    if not _isolated(options):  # pyproject: budgets flake8 leaves unset, and the analysis limits
        from .config import find_pyproject, load_config

        pyproject = find_pyproject(start or Path(os.getcwd()))
        if pyproject is not None:
            fallback = load_config(pyproject)
            for option, field in OPTIONS:
                if values[field] is None:
                    values[field] = fallback.get(option)
            limits = fallback.get("limits", limits)
            python_path = fallback.get("python-path", ())
    return Settings(budget=values["budget"], budget_trainable=values["budget_trainable"], limits=limits, python_path=python_path)
