"""analyze(source, settings) -> FileReport: the one entry point both adapters call. Never raises on user code."""
from __future__ import annotations

import ast
from typing import Any, Optional

from ..engine import Row, count_stack
from ..engine.stack import count_module
from ..engine.findings import Finding
from ..engine.values import Shape
from ..extract import FoundModel, find_models, may_define_models
from .codes import FINDING_CODES
from .declared import apply as apply_declared
from .declared import declared_counts
from .directives import read_directive, source_lines
from .report import Diagnostic, FileReport, ModelReport
from .settings import Settings


DEFAULT_SETTINGS = Settings()


def analyze(source: str, settings: Settings = DEFAULT_SETTINGS, path: str = "<stdin>", tree: Optional[ast.Module] = None) -> FileReport:
    """Count every model in ``source``. User code problems become diagnostics; our bugs become PRM000.

    ``tree`` is the module's ``ast`` when the caller already has it (flake8 does), saving a parse.
    """
    report = FileReport(path)
    if not may_define_models(source) or not _may_import_models(source, path, settings):
        return report
    if len(source) > settings.limits.characters:  # before parsing: the syntax tree alone would take gigabytes
        value = f"{len(source):,} characters > {settings.limits.characters:,}"
        report.notes.append(Diagnostic("PRM304", 1, 1, {"limit": "file size", "value": value}))
        return report
    try:
        extraction = find_models(source, settings.limits, tree, _directive_shapes(source), path=_place(path),
                                 python_path=settings.python_path, fs=_file_system(settings))
    except SyntaxError as exc:
        report.error = f"syntax error: {exc.msg}"
        report.error_line = exc.lineno
        return report
    except (RecursionError, MemoryError, ValueError) as exc:  # ValueError: null bytes in the source
        report.error = f"analysis limit: {type(exc).__name__} while parsing (file too deeply nested or too large)"
        return report
    except Exception as exc:  # noqa: BLE001 - our own bug must not take the host down
        report.notes.append(Diagnostic("PRM000", 1, 1, {"error": _describe(exc)}))
        return report
    stop = extraction.problem
    if stop is not None and not extraction.models:  # no model carries it: the models after it must not vanish silently
        report.notes.append(Diagnostic(FINDING_CODES[stop.kind], max(stop.line, 1), max(stop.column, 1), dict(stop.fields)))
    lines = source_lines(source)  # numbered as ast numbers them
    declarations, unreadable = declared_counts(lines)
    built: dict[int, Shape] = {}  # the input shapes the models counted so far gave their nested Keras Sequentials
    for found in extraction.models:
        try:
            report.models.append(_model_report(found, lines, settings, report, declarations, built))
        except Exception as exc:  # noqa: BLE001
            report.notes.append(Diagnostic("PRM000", found.line, found.column, {"error": _describe(exc)}))
    shown = {n.line for n in report.notes if n.code == "PRM305"}
    report.notes += [Diagnostic("PRM305", number, 1, {"directive": text, "reason": reason})
                     for number, text, reason in unreadable if number not in shown]
    return report


def _may_import_models(source: str, path: str, settings: Settings) -> bool:
    """A file that names no framework passed the gate for its imports: it can build a model only through a module
    that does (read from the imported modules' text, bounded)."""
    from ..gate import _CONSTRUCTS, _FRAMEWORK

    if "Sequential" in source or _FRAMEWORK.search(source) and _CONSTRUCTS.search(source):
        return True
    place = _place(path)
    if place is None:
        return True
    from pathlib import Path

    from ..finder import DISK, Finder, reaches_a_framework

    fs = _file_system(settings) or DISK
    file = Path(place)
    if not file.is_absolute():
        file = Path(getattr(fs, "root", None) or Path.cwd()) / file
    return reaches_a_framework(source, file.absolute(), Finder(settings.python_path, fs=fs), _builds)


def _builds(text: str) -> bool:
    from ..gate import _CONSTRUCTS, _FRAMEWORK

    return "Sequential" in text or _FRAMEWORK.search(text) is not None and _CONSTRUCTS.search(text) is not None


def _place(path: str) -> Optional[str]:
    """The file's place on disk, from which its imports are followed; None for a buffer of unknown place."""
    return None if path in ("<stdin>", "-", "stdin", "") else path


def _file_system(settings: Settings) -> Any:
    """How imported modules are read: the disk, or the git revision ``paramlint diff`` analyses."""
    if settings.revision is None:
        return None
    from ..diff import revision_files

    return revision_files(*settings.revision)


def _directive_shapes(source: str) -> dict[int, Shape]:
    """The input shapes directives give, by the line of the model they stand on or above (cheap: most files
    have no directive)."""
    if "paramlint" not in source:
        return {}
    lines = source_lines(source)  # numbered as ast numbers them
    shapes: dict[int, Shape] = {}
    for number, text in enumerate(lines, start=1):
        if "paramlint" in text:
            for line in (number, number + 1):
                shape = read_directive(lines, line)[0].input_shape
                if shape is not None:
                    shapes.setdefault(line, shape)
    return shapes


def _describe(exc: BaseException) -> str:
    import traceback  # only on our own failures

    frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    where = f" at {frame.filename.rsplit('/', 1)[-1]}:{frame.lineno}" if frame else ""
    return f"{type(exc).__name__}: {exc}{where}"


def _diagnostic(finding: Finding, found: FoundModel, layer_hint: Optional[str] = None) -> Diagnostic:
    fields = dict(finding.fields)
    fields.setdefault("model", found.name)
    if layer_hint is not None:
        fields.setdefault("layer", layer_hint)
    line, column = (finding.line, finding.column) if finding.line else (found.line, found.column)
    return Diagnostic(FINDING_CODES[finding.kind], line, column, fields)


def _forget_split(rows: list[Row]) -> None:
    for row in rows:
        row.trainable = row.non_trainable = None
        _forget_split(row.children)


def _model_report(found: FoundModel, lines: list[str], settings: Settings, report: FileReport,
                  declarations: Optional[dict[int, tuple[int, str]]] = None,
                  built: Optional[dict[int, Shape]] = None) -> ModelReport:
    directive, error = read_directive(lines, found.line)
    if error is not None:
        number, text, reason = error
        report.notes.append(Diagnostic("PRM305", number, 1, {"directive": text, "reason": reason}))
    input_shape = directive.input_shape or found.build_shape or found.input_shape
    built = built if built is not None else {}
    if input_shape is None and found.part_of is not None and found.framework == "keras" and found.kind == "sequential":
        input_shape = built.get(found.ident)  # Keras built it inside the model around it
    if found.kind in ("module", "functional", "subclass"):
        counted = count_module(found.framework, found.entries, found.input_shape, found.output_shape)
    else:
        counted = count_stack(found.framework, found.entries, input_shape, built)
    found_problems = list(found.problems)
    declared = apply_declared(counted, declarations or {}, found_problems)  # params=N stands for what is not counted
    problems = [_diagnostic(f, found) for f in found_problems]
    problems += [_diagnostic(f, found) for f in counted.problems]
    problems = list({(p.code, p.line, p.column): p for p in reversed(problems)}.values())[::-1]  # one per place and code
    exact_total = counted.complete and not found_problems
    split_problems = found.split_problems + counted.split_problems[:1]
    complete = exact_total and not split_problems
    total = counted.total if exact_total else None  # a split changed elsewhere leaves the total exact
    trainable = counted.trainable if complete else None
    non_trainable = counted.non_trainable if complete else None
    if split_problems:
        problems += [_diagnostic(f, found) for f in split_problems]
        _forget_split(counted.rows)
    # budgets from the command line and config apply to outermost models; a directive to the model it is on
    outermost = found.part_of is None
    budget = directive.budget if directive.budget is not None else settings.budget if outermost else None
    budget_trainable = directive.budget_trainable if directive.budget_trainable is not None else settings.budget_trainable if outermost else None
    model = ModelReport(
        framework=found.framework, name=found.name, line=found.line, column=found.column, complete=complete,
        total=total, trainable=trainable, non_trainable=non_trainable, budget=budget, budget_trainable=budget_trainable,
        input_shape=counted.input_shape, output_shape=counted.output_shape, rows=counted.rows,
        problems=problems, assumptions=list(found.assumptions) + declared, kind=found.kind, part_of=found.part_of,
    )
    at = {"model": found.name, "total": total, "trainable": trainable}
    if budget is not None and total is not None and total > budget:
        model.problems.append(Diagnostic("PRM101", found.line, found.column, {**at, "budget": budget}))
    if budget_trainable is not None and trainable is not None and trainable > budget_trainable:
        model.problems.append(Diagnostic("PRM102", found.line, found.column, {**at, "budget": budget_trainable}))
    return model
