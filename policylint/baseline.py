"""Baselines: record today's failures, then report only the new ones.

A baseline (``schemas/baseline.schema.json``) lists failures by file, check id and
content: the evidence text of each anomaly occurrence, nothing more for a missing
disclosure. Line numbers are deliberately left out, so that an edit elsewhere in a file
does not bring an old finding back. Matching counts: if a baseline knows two
occurrences of the same text and the file now has three, one is new.

Paths are stored relative to the baseline file's directory, so a baseline works from
any working directory.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from policylint.model import FileReport, Result, Status, Suppression
from policylint.yamlio import JsonPath, YamlError, line_of

BASELINE_VERSION = 1


class BaselineError(YamlError):
    """A baseline file that cannot be used; ``str()`` is ``file:line: $.path: message``."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One known failure: a file, a check, and the evidence text (``None`` when it has none)."""

    path: str
    check: str
    text: str | None = None

    def sort_key(self) -> tuple[str, str, bool, str]:
        """Order by path, check, then text (entries without text first)."""
        return self.path, self.check, self.text is not None, self.text or ""


def relative_to(base: Path) -> Callable[[str], str]:
    """Return a function that turns a report path into a path relative to ``base``."""
    anchor = base.absolute()

    def relative(path: str) -> str:
        if path.startswith("<"):  # <stdin>
            return path
        try:
            return Path(os.path.relpath(Path(path).absolute(), anchor)).as_posix()
        except ValueError:  # another drive (Windows)
            return Path(path).as_posix()

    return relative


def entries(reports: Sequence[FileReport], relative: Callable[[str], str]) -> list[Entry]:
    """Return the failures of a run that a baseline records (inline-suppressed ones are not)."""
    return sorted(
        (entry for report in reports for result in report.results for entry in _entries(relative(report.path), result)),
        key=Entry.sort_key,
    )


def _entries(path: str, result: Result) -> Iterator[Entry]:
    if result.status is not Status.FAIL or (result.suppression and result.suppression.kind == "inline"):
        return
    if not result.evidence:
        yield Entry(path, result.check)
    for evidence in result.evidence:
        yield Entry(path, result.check, evidence.text)


def dumps(found: Sequence[Entry]) -> str:
    """Render a baseline file: sorted, one finding per object, stable for code review."""
    items = [
        {"path": e.path, "check": e.check, **({"text": e.text} if e.text is not None else {})}
        for e in sorted(found, key=Entry.sort_key)
    ]
    return json.dumps({"version": BASELINE_VERSION, "findings": items}, indent=2, ensure_ascii=False) + "\n"


def loads(text: str, source: str) -> Counter[Entry]:
    """Parse and validate a baseline file; raise :class:`BaselineError` with a location."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BaselineError(source, exc.lineno, (), f"invalid JSON: {exc.msg}") from None
    _validate(data, text, source)
    return Counter(Entry(item["path"], item["check"], item.get("text")) for item in data["findings"])


def load(path: Path, source: str) -> Counter[Entry]:
    """Read a baseline file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BaselineError(source, 0, (), "baseline file not found (create it with --write-baseline)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(source, 0, (), f"cannot read: {exc}") from None
    return loads(text, source)


def _validate(data: object, text: str, source: str) -> None:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import best_match

    from policylint.config import error_path
    from policylint.resources import schema

    error = best_match(Draft202012Validator(schema("baseline.schema.json")).iter_errors(data))
    if error is not None:
        path = error_path(error)
        raise BaselineError(source, _line(text, path, source), path, error.message)


def _line(text: str, path: JsonPath, source: str) -> int:
    """The line of ``path`` in JSON text (JSON is YAML, whose loader records lines)."""
    from policylint.yamlio import load_yaml

    try:
        return line_of(load_yaml(text, source)[1], path)
    except YamlError:
        return 0


def apply(
    reports: Sequence[FileReport], known: Counter[Entry], relative: Callable[[str], str], reason: str
) -> tuple[FileReport, ...]:
    """Mark failures that the baseline knows as suppressed; anomaly occurrences it knows are dropped.

    A result whose occurrences are all known stays ``fail`` with its evidence, marked
    suppressed (kind ``baseline``); one with new occurrences keeps only the new ones.
    """
    remaining = Counter(known)
    return tuple(
        report
        if report.error
        else replace(report, results=tuple(_apply(r, relative(report.path), remaining, reason) for r in report.results))
        for report in reports
    )


def _apply(result: Result, path: str, remaining: Counter[Entry], reason: str) -> Result:
    if result.status is not Status.FAIL or result.suppressed:
        return result
    if not result.evidence:
        return _known(result, Entry(path, result.check), remaining, reason)
    new = tuple(e for e in result.evidence if not _take(Entry(path, result.check, e.text), remaining))
    if not new:
        return replace(result, suppression=Suppression("baseline", reason))
    return result if len(new) == len(result.evidence) else replace(result, evidence=new)


def _known(result: Result, entry: Entry, remaining: Counter[Entry], reason: str) -> Result:
    return replace(result, suppression=Suppression("baseline", reason)) if _take(entry, remaining) else result


def _take(entry: Entry, remaining: Counter[Entry]) -> bool:
    if remaining[entry] <= 0:
        return False
    remaining[entry] -= 1
    return True
