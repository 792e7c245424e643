"""Selecting checks and linting files: the glue between loading and the engine."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from policylint.checks import Check
from policylint.detectors import Context
from policylint.document import DocumentError, discover, load_bytes, load_document
from policylint.engine import evaluate
from policylint.model import FileReport, Format, Result, Severity, Status

DEFAULT_PROFILE = "recommended"
ALL_PROFILE = "all"


@dataclass(frozen=True, slots=True)
class Selection:
    """Which checks to run."""

    profiles: tuple[str, ...] = (DEFAULT_PROFILE,)
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()


def matches_id(check_id: str, patterns: Iterable[str]) -> bool:
    """Return whether ``check_id`` equals or lies under one of the dotted prefixes."""
    return any(check_id == p or check_id.startswith(p.rstrip(".") + ".") for p in patterns)


def known_profiles(checks: Iterable[Check]) -> set[str]:
    """Return every profile named by a check, plus ``all``."""
    return {profile for check in checks for profile in check.profiles} | {ALL_PROFILE}


def select_checks(checks: Sequence[Check], selection: Selection) -> tuple[Check, ...]:
    """Apply profiles, then ``select`` (which picks from every check), then ``ignore``."""
    if selection.select:
        chosen = [c for c in checks if matches_id(c.id, selection.select)]
    elif ALL_PROFILE in selection.profiles:
        chosen = list(checks)
    else:
        chosen = [c for c in checks if set(c.profiles) & set(selection.profiles)]
    return tuple(c for c in chosen if not matches_id(c.id, selection.ignore))


def lint_file(path: Path, checks: Sequence[Check], context: Context, fmt: Format | None = None) -> FileReport:
    """Lint one file; an unreadable file becomes a report with an error."""
    display = path.as_posix()
    try:
        doc = load_document(path, fmt, display=display)
    except DocumentError as exc:
        return FileReport(display, error=str(exc))
    return FileReport(display, evaluate(doc, checks, context), source=doc.source)


def lint_bytes(data: bytes, display: str, checks: Sequence[Check], context: Context, fmt: Format | None) -> FileReport:
    """Lint content read from stdin."""
    try:
        doc = load_bytes(data, fmt, display)
    except DocumentError as exc:
        return FileReport(display, error=str(exc))
    return FileReport(display, evaluate(doc, checks, context), source=doc.source)


def lint_paths(paths: Iterable[Path], checks: Sequence[Check], context: Context) -> list[FileReport]:
    """Lint every policy file under ``paths`` (directories are walked)."""
    reports = []
    for path in discover(paths):
        if not path.exists():
            reports.append(FileReport(path.as_posix(), error="no such file or directory"))
            continue
        reports.append(lint_file(path, checks, context))
    return reports


def is_failure(result: Result, threshold: Severity | None) -> bool:
    """Return whether a result counts against the exit code at ``threshold``."""
    return (
        threshold is not None
        and result.status is Status.FAIL
        and not result.suppressed
        and result.severity >= threshold
    )
