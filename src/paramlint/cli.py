"""The paramlint command: walk files, analyse each, render in the chosen format, exit 0/1/2."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Iterator, Optional, Sequence

from . import __version__
from .lint.analyze import analyze
from .lint.report import FileReport
from .lint.settings import SettingError, Settings, parse_count
from .output import json_format, table

SKIP_DIRS = frozenset({".git", ".hg", ".svn", ".venv", "venv", "env", "__pycache__", "build", "dist", "node_modules", ".tox", ".nox", ".mypy_cache", ".pytest_cache", "site-packages", ".eggs"})
RENDERERS = {"table": table.render, "json": json_format.render}


def iter_files(paths: Sequence[str]) -> Iterator[Path]:
    for name in paths:
        path = Path(name)
        if path.is_dir():
            for child in sorted(path.rglob("*.py")):
                if not SKIP_DIRS.intersection(child.relative_to(path).parts[:-1]):
                    yield child
        else:
            yield path


def read_source(path: Path) -> str:
    """Decode as Python does: a BOM or a coding cookie, else UTF-8."""
    import io
    import tokenize

    data = path.read_bytes()
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    return data.decode(encoding)


def analyze_path(path: Path, settings: Settings) -> FileReport:
    try:
        source = read_source(path)
    except (OSError, UnicodeDecodeError, SyntaxError, LookupError) as exc:
        return FileReport(str(path), error=f"cannot read: {exc}")
    return analyze(source, settings, str(path))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="paramlint", description="Count the parameters of Keras and PyTorch models from source.")
    parser.add_argument("paths", nargs="*", default=["."], help="files or folders (default: .)")
    parser.add_argument("--format", choices=sorted(RENDERERS), default="table")
    parser.add_argument("--param-budget", metavar="N", help="budget for each model's total parameters (100000, 100k, 1.5M)")
    parser.add_argument("--param-budget-trainable", metavar="N", help="budget for each model's trainable parameters")
    parser.add_argument("--version", action="version", version=f"paramlint {__version__}")
    return parser


def settings_from(args: argparse.Namespace) -> Settings:
    budget = parse_count(args.param_budget, "param-budget") if args.param_budget is not None else None
    trainable = parse_count(args.param_budget_trainable, "param-budget-trainable") if args.param_budget_trainable is not None else None
    return Settings(budget=budget, budget_trainable=trainable)


def exit_code(reports: Sequence[FileReport]) -> int:
    for report in reports:
        if any(n.code == "PRM000" for n in report.notes):
            return 2
        for model in report.models:
            if any(p.code.startswith(("PRM1", "PRM2")) for p in model.problems):
                return 1
        if any(n.code == "PRM305" for n in report.notes):
            return 1
    return 0


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = settings_from(args)
    except SettingError as exc:
        parser.error(str(exc))
    reports = [analyze_path(p, settings) for p in iter_files(args.paths)]
    sys.stdout.write(RENDERERS[args.format](reports))
    return exit_code(reports)


if __name__ == "__main__":
    sys.exit(main())
