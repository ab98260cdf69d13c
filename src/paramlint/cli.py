"""The paramlint command: walk files, analyse each, render in the chosen format, exit 0/1/2; and ``paramlint diff``."""
from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path
from typing import Any, Optional, Sequence, TextIO

from . import __version__
from .lint import suppress
from .lint.report import FileReport
from .limits import Limits
from .lint.settings import SettingError, Settings, parse_count
from .output import json_format, markdown, sarif, table
from .output.common import findings
from .walk import DEFAULT_EXCLUDE, Excluder, analyze_all, iter_files, project_settings

FORMATS = ("table", "json", "sarif", "markdown")
DIFF_FORMATS = ("table", "json", "markdown")
EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="paramlint", description="Count the parameters of Keras and PyTorch models from source.",
        epilog="Compare two revisions with: paramlint diff [BASE [HEAD]] (see paramlint diff --help). "
               "Exit status: 0 nothing found, 1 findings, 2 usage or internal error.",
    )
    parser.add_argument("paths", nargs="*", default=["."], help="files or folders (default: .); folders are walked for .py and .ipynb")
    parser.add_argument("--format", choices=FORMATS, default="table")
    _common_options(parser)
    _code_options(parser)
    parser.add_argument("--explain", action="store_true", help="add each layer's formula to the table")
    parser.add_argument("--quiet", "-q", action="store_true",
                        help="table: only the models with findings, with their counts against the budget (the pre-commit hook's view)")
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                        help="colour the table (auto: only on a terminal; NO_COLOR always turns it off)")
    parser.add_argument("--version", action="version", version=f"paramlint {__version__}")
    return parser


def build_diff_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="paramlint diff", description="Compare every changed model's parameter count between two git revisions.",
        epilog="BASE defaults to the merge base of HEAD with the default branch; HEAD defaults to the working tree.",
    )
    parser.add_argument("base", nargs="?", metavar="BASE", help="a commit, branch or tag (default: merge base with the default branch)")
    parser.add_argument("head", nargs="?", metavar="HEAD", help="a commit, branch or tag (default: the working tree)")
    parser.add_argument("--format", choices=DIFF_FORMATS, default="table")
    parser.add_argument("--fail-on-growth", metavar="LIMIT",
                        help="exit 1 when a model grows by more than LIMIT: a share (10%%) or a count (100k)")
    parser.add_argument("--all", action="store_true", help="also list the models whose size did not change")
    _common_options(parser)
    return parser


def _common_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--param-budget", metavar="N", help="budget for each model's total parameters (100000, 100k, 1.5M)")
    parser.add_argument("--param-budget-trainable", metavar="N", help="budget for each model's trainable parameters")
    parser.add_argument("--exclude", metavar="PATTERN", action="append", default=[],
                        help="glob of files or folders to skip, added to the defaults and [tool.paramlint] exclude (repeatable)")
    parser.add_argument("--python-path", metavar="PATH", action="append", default=[],
                        help="an environment (venv, conda prefix) or folder where imported packages are looked for, before "
                             "[tool.paramlint] python-path, PYTHONPATH and the active environment (repeatable)")
    parser.add_argument("--jobs", "-j", metavar="N", type=_jobs, default=1, help="analyse files in N processes (0: one per CPU)")


def _code_options(parser: argparse.ArgumentParser) -> None:
    """flake8's three: a code is reported when its longest matching --select prefix beats its longest --ignore prefix."""
    parser.add_argument("--select", metavar="CODES", help="report only these codes or prefixes (PRM1,PRM201)")
    parser.add_argument("--ignore", metavar="CODES", help="never report these codes or prefixes (PRM3)")
    parser.add_argument("--extend-select", metavar="CODES", help="report these as well as the selected ones")


def selection(args: argparse.Namespace) -> suppress.Selection:
    """The codes the command line chooses. Raises SettingError on a value that is not a list of codes."""
    chosen = suppress.parse_codes(args.select, "select") if args.select is not None else None
    return suppress.Selection(chosen, suppress.parse_codes(args.ignore, "ignore"), suppress.parse_codes(args.extend_select, "extend-select"))


def missing_paths(paths: Sequence[str]) -> list[str]:
    return [p for p in paths if not os.path.lexists(p)]


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number of processes. Received: --jobs={text}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected 0 (one per CPU) or more. Received: --jobs={text}")
    return value or os.cpu_count() or 1


def configure(args: argparse.Namespace, start: Path) -> tuple[Settings, Excluder]:
    """Command-line options over ``[tool.paramlint]`` over defaults. Raises SettingError on a bad value."""
    config, found = project_settings(start)
    budget = config.get("param-budget")
    trainable = config.get("param-budget-trainable")
    if args.param_budget is not None:
        budget = parse_count(args.param_budget, "param-budget")
    if args.param_budget_trainable is not None:
        trainable = parse_count(args.param_budget_trainable, "param-budget-trainable")
    patterns = list(DEFAULT_EXCLUDE) + _exclude_list(config.get("exclude", []), found) + list(args.exclude)
    limits = config.get("limits", Limits())
    python_path = tuple(os.path.abspath(p) for entry in getattr(args, "python_path", None) or () for p in entry.split(os.pathsep) if p)
    python_path += tuple(config.get("python-path", ()))
    settings = Settings(budget=budget, budget_trainable=trainable, limits=limits, python_path=python_path)
    return settings, Excluder(tuple(patterns), found.parent if found else Path.cwd())


def _exclude_list(value: Any, found: Optional[Path]) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SettingError(f"{found}: exclude must be a list of glob patterns. Received: exclude={value!r}")
    return list(value)


def exit_code(reports: Sequence[FileReport]) -> int:
    """2 for our own failure (PRM000); 1 for findings: budgets, inconsistencies, bad directives,
    counts a budget cannot be checked against, and files that could not be read or parsed."""
    code = EXIT_OK
    for report in reports:
        shown = findings(report)
        if any(d.code == "PRM000" for _, d in shown):
            return EXIT_ERROR
        if report.error is not None or shown:
            code = EXIT_FINDINGS
    return code


def use_color(choice: str, stream: TextIO) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if choice != "auto":
        return choice == "always"
    return stream.isatty() and os.environ.get("TERM") != "dumb"


def table_style(args: argparse.Namespace, stream: TextIO) -> table.Style:
    encoding = getattr(stream, "encoding", None) or "ascii"
    try:
        "█▏…".encode(encoding)
        unicode = True
    except (LookupError, UnicodeEncodeError):
        unicode = False
    return table.Style(width=terminal_width(stream), color=use_color(args.color, stream), unicode=unicode, explain=args.explain)


def terminal_width(stream: TextIO) -> int:
    """COLUMNS if set, else the terminal's width, else 80 (piped); never under 60, where no table fits."""
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        return max(60, int(columns))
    if stream.isatty():
        return max(60, shutil.get_terminal_size((80, 24)).columns)
    return 80


def repo_root(cwd: Path) -> Path:
    from .diff import toplevel

    return toplevel(cwd) or cwd


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    missing = missing_paths(args.paths)
    if missing:
        parser.error(f"no such file or folder: {', '.join(missing)}")
    try:
        settings, excluded = configure(args, Path(args.paths[0]) if args.paths else Path.cwd())
        chosen = selection(args)
    except SettingError as exc:
        parser.error(str(exc))
    reports, cells = analyze_all(iter_files(args.paths, excluded), settings, args.jobs)
    for report in reports:
        suppress.apply(report, None, chosen)
    out = sys.stdout
    sys.stderr.write(table.render_errors(reports, table.Style(width=table_style(args, sys.stderr).width), cells))
    if args.format == "table" and args.quiet:
        text = table.render_quiet(reports, table_style(args, out), cells)
    elif args.format == "table":
        text = table.render(reports, table_style(args, out), cells, errors=False)
    elif args.format == "json":
        text = json_format.render(reports, cells)
    elif args.format == "markdown":
        text = markdown.render(reports, cells)
    else:
        text = sarif.render(reports, repo_root(Path.cwd()), cells)
    out.write(text)
    return exit_code(reports)


def run_diff(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from . import diff
    from .output import diff_format

    limit = None
    try:
        if args.fail_on_growth is not None:
            limit = growth_limit(args.fail_on_growth)
        root = diff.toplevel(Path.cwd())
        if root is None:
            raise diff.GitError("not inside a git repository")
        settings, excluded = configure(args, root)
        if args.base is None:
            branch = diff.default_branch(root)
            base_rev = diff.git(["merge-base", "HEAD", branch], root).decode().strip()
            base_label = f"merge-base with {branch} ({base_rev[:9]})"
        else:
            base_rev = diff.resolve(root, args.base)
            base_label = f"{args.base} ({base_rev[:9]})"
        head_rev = diff.resolve(root, args.head) if args.head else None
        head_label = f"{args.head} ({head_rev[:9]})" if head_rev else "working tree"
        result = diff.run_diff(root, base_rev, head_rev, settings, excluded, base_label, head_label, args.jobs)
    except SettingError as exc:
        parser.error(str(exc))
    except diff.GitError as exc:
        print(f"paramlint diff: {exc}", file=sys.stderr)
        return EXIT_ERROR
    failing = diff.over_growth(result.changes, limit) if limit else []
    if args.format == "json":
        text = diff_format.render_json(result, failing)
    elif args.format == "markdown":
        text = diff_format.render_markdown(result, failing, args.all)
    else:
        text = diff_format.render_table(result, failing, width=terminal_width(sys.stdout), show_all=args.all)
    sys.stdout.write(text)
    return EXIT_FINDINGS if failing else EXIT_OK


def growth_limit(text: str) -> tuple[str, float]:
    """``10%`` -> ("%", 0.10); ``100k`` -> ("n", 100000)."""
    stripped = text.strip()
    if stripped.endswith("%"):
        try:
            value = float(stripped[:-1])
        except ValueError:
            value = -1.0
        if value < 0:
            raise SettingError(f"expected a share such as 10% or a count such as 100k. Received: fail-on-growth={text}")
        return "%", value / 100
    return "n", float(parse_count(stripped, "fail-on-growth"))


def main(argv: Optional[Sequence[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in ("baseline", "annotate"):
        from .rewrite.command import main as rewrite_main  # libcst is imported there, only when needed

        return rewrite_main(argv)
    is_diff = bool(argv) and argv[0] == "diff"
    parser = build_diff_parser() if is_diff else build_parser()
    args = parser.parse_args(argv[1:] if is_diff else argv)
    try:
        return run_diff(args, parser) if is_diff else run(args, parser)
    except BrokenPipeError:
        sys.stderr.close()  # the reader (head, less) went away; not an error of ours
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - the adapter reports our own bug and exits 2, never a bare traceback
        print(f"paramlint: internal error: {type(exc).__name__}: {exc} (please report it)", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
