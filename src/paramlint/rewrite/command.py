"""``paramlint baseline`` and ``paramlint annotate``: options, the walk over files, diff / check / write, exit codes."""
from __future__ import annotations

import argparse
import difflib
import sys
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Optional, Sequence

from ..lint.analyze import analyze
from ..lint.report import FileReport
from ..lint.settings import SettingError, Settings
from ..output.common import where
from . import annotate, baseline
from .document import Document, load, write
from .edits import Edit
from .slots import MissingLibcst, Slot, find_slots
from .text import Refused, split_lines
from .verify import same_counts

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
COMMANDS = ("baseline", "annotate")


def build_parser(command: str) -> argparse.ArgumentParser:
    if command == "baseline":
        parser = argparse.ArgumentParser(
            prog="paramlint baseline",
            description="Give each countable outermost model a '# paramlint: budget=N' directive: count plus margin.",
        )
        parser.add_argument("--margin", default="10%", help="headroom above the current count (default: 10%%)")
        parser.add_argument("--round", type=_digits, default=2, metavar="N",
                            help="round budgets up to N significant digits (default: 2)")
        parser.add_argument("--update", action="store_true",
                            help="also move existing budget directives to the current count plus margin (a ratchet)")
    else:
        parser = argparse.ArgumentParser(
            prog="paramlint annotate",
            description="Keep each layer's parameter count and output shape in a trailing '# [paramlint] ...' comment.")
        parser.add_argument("--explain", action="store_true", help="add each layer's formula")
    parser.add_argument("paths", nargs="*", default=["."], help="files or folders (default: .)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--diff", dest="mode", action="store_const", const="diff",
                      help="print a unified diff, change nothing (default)")
    mode.add_argument("--write", dest="mode", action="store_const", const="write", help="edit the files in place")
    mode.add_argument("--check", dest="mode", action="store_const", const="check",
                      help="change nothing; exit 1 and name the lines that are not up to date")
    parser.add_argument("--exclude", metavar="PATTERN", action="append", default=[],
                        help="glob of files or folders to skip (repeatable)")
    parser.set_defaults(mode="diff")
    return parser


def _digits(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of digits, 1 or more. Received: --round={text}")
    return int(text)


@dataclass
class Outcome:
    """What one file needs: the edits, the lines they touch (for --check), and notes for the user."""

    edits: list[Edit] = field(default_factory=list)
    stale: list[tuple[int, str]] = field(default_factory=list)  # (line, what is not up to date)
    notes: list[tuple[int, str]] = field(default_factory=list)
    budgets: Optional[dict[int, int]] = None
    report: Optional[FileReport] = None


def main(argv: Sequence[str]) -> int:
    """``argv[0]`` is the command's name."""
    command = argv[0]
    parser = build_parser(command)
    args = parser.parse_args(list(argv[1:]))
    margin = Fraction(0)
    try:
        if command == "baseline":
            margin = baseline.parse_margin(args.margin)
        settings, files = _files(args)
    except SettingError as exc:
        parser.error(str(exc))
    try:
        return _run(command, args, settings, files, margin)
    except MissingLibcst as exc:
        print(f"paramlint {command}: {exc}", file=sys.stderr)
        return EXIT_ERROR


def _files(args: argparse.Namespace) -> tuple[Settings, list[Path]]:
    from ..cli import configure
    from ..walk import iter_files

    options = argparse.Namespace(param_budget=None, param_budget_trainable=None, exclude=args.exclude)
    settings, excluded = configure(options, Path(args.paths[0]) if args.paths else Path.cwd())
    return Settings(limits=settings.limits), list(iter_files(args.paths, excluded))  # budgets: from directives only


def _run(command: str, args: argparse.Namespace, settings: Settings, files: list[Path], margin: Fraction) -> int:
    changed = refused = 0
    changes = 0
    for path in files:
        try:
            document = load(path)
            outcome = _plan(command, args, document, settings, margin)
            for line, note in outcome.notes:
                print(f"{_where(document, line)}: {note}", file=sys.stderr)
            if not outcome.edits:
                continue
            new = document.render(outcome.edits)
            assert outcome.report is not None
            same_counts(outcome.report, load(path, new).source, settings, path, outcome.budgets)
        except Refused as exc:
            print(f"{path}: left untouched: {exc}", file=sys.stderr)
            refused += 1
            continue
        changed += 1
        changes += len(outcome.edits)
        if args.mode == "check":
            for line, text in outcome.stale:
                print(f"{_where(document, line)}: {text}")
        elif args.mode == "diff":
            sys.stdout.write(_unified_diff(path, document, new))
        else:
            try:
                write(path, document.data, new)
            except Refused as exc:
                print(f"{path}: left untouched: {exc}", file=sys.stderr)
                refused += 1
    _summary(command, args.mode, changes, changed)
    if refused or (args.mode == "check" and changed):
        return EXIT_FINDINGS
    return EXIT_OK


def _plan(command: str, args: argparse.Namespace, document: Document, settings: Settings, margin: Fraction) -> Outcome:
    if len(document.source) > settings.limits.characters:
        raise Refused(f"larger than the analysis limit ({settings.limits.characters:,} characters)")
    report = analyze(document.source, settings, str(document.path))
    if report.error is not None:
        where = f" (line {report.error_line})" if report.error_line else ""
        raise Refused(f"cannot analyse it: {report.error}{where}")
    if any(note.code == "PRM000" for note in report.notes):
        raise Refused("paramlint failed on it (PRM000; please report it)")
    if command == "annotate":
        want = annotate.wanted(report, args.explain)
        if not annotate.needs_slots(document.source, want):
            return Outcome()
        edits, stale = annotate.plan(document.lines, _slots(document), want)
        return Outcome(edits, [_stale_line(entry) for entry in stale], report=report)
    needed = [m for m in report.models if m.outermost and (args.update or m.budget is None)]
    if not needed:
        return Outcome()
    found = baseline.plan(report, document.source, document.lines, _slots(document), margin, args.round, args.update)
    return Outcome(found.edits, found.changes, found.notes, found.budgets, report)


def _slots(document: Document) -> dict[int, Slot]:
    return find_slots(document.source)


def _stale_line(stale: annotate.Stale) -> tuple[int, str]:
    if stale.found is None:
        return stale.line, f"annotation missing: '{stale.wanted}'"
    if stale.wanted is None:
        return stale.line, f"annotation no longer true, nothing is counted here now: '{stale.found}'"
    return stale.line, f"stale annotation: '{stale.found}', now '{stale.wanted}'"


def _where(document: Document, line: int) -> str:
    """``path:line``, or ``path:cell 3:line 2`` in a notebook, as the other commands say it."""
    cells = {str(document.path): document.notebook.cells} if document.notebook is not None else {}
    return where(str(document.path), line, cells)


def _unified_diff(path: Path, document: Document, new: bytes) -> str:
    if document.notebook is None:  # the lines as Python counts them, whatever their endings
        old_lines = [content + "\n" for content, _ in document.lines]
        new_lines = [content + "\n" for content, _ in load(path, new).lines]
    else:
        old_lines, new_lines = _json_lines(document.data), _json_lines(new)
    name = path.as_posix()
    old_name, new_name = (name, name) if path.is_absolute() else (f"a/{name}", f"b/{name}")
    return "".join(difflib.unified_diff(old_lines, new_lines, old_name, new_name))


def _json_lines(data: bytes) -> list[str]:
    return [content + "\n" for content, _ in split_lines(data.decode("utf-8-sig"))]


def _summary(command: str, mode: str, changes: int, files: int) -> None:
    what = "directive" if command == "baseline" else "line"
    if mode == "write":
        text = f"{changes} {what}(s) written in {files} file(s)"
    elif mode == "check":
        hint = f" (run: paramlint {command} --write)" if changes else ""
        text = f"{changes} {what}(s) in {files} file(s) not up to date{hint}"
    else:
        text = f"{changes} {what}(s) in {files} file(s) would change" + (" (apply with --write)" if changes else "")
    print(f"paramlint {command}: {text}", file=sys.stderr)
