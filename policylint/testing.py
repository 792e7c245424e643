"""Testing checks: their embedded examples, and annotated fixture documents.

Every example of a check is parsed as Markdown and must produce its stated status
(``pass``, ``fail`` or ``not_applicable``; for an anomaly check pass means clean and fail
means flagged). A *fixture* is a policy document named ``<anything>.fixture.md`` (or
``.html``, ``.txt``) beside the check files, annotated Semgrep-style: a comment line
names the check ids that must (``ruleid``) or must not (``ok``) produce evidence on the
next line of text::

    <!-- ruleid: acme.dpo -->
    Our Data Protection Officer is Jane Doe (dpo@example.com).
    <!-- ok: acme.dpo -->
    We protect your data.

The same comment form works in all three formats; annotation lines are blanked before
the document is parsed, so they never match anything (in a ``.txt`` file an annotation
line therefore also ends a paragraph). ``todoruleid`` and ``todook`` mark known gaps:
they never fail. Evidence of an annotated check on a line with no annotation fails.

:func:`run_check_tests` is pure apart from reading the fixture files; it returns one
:class:`CaseResult` per case and never prints.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from policylint.checks import Check, CheckError, CheckKind, builtin_check_files, load_checks
from policylint.detectors import Context, DetectorError
from policylint.document import EXTENSIONS, DocumentError, decode, parse_document
from policylint.engine import evaluate_check
from policylint.model import Format, Result, Status
from policylint.resources import data_dir

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

FIXTURE_STEM = ".fixture"
EXAMPLE_FORMAT: Format = "markdown"
_ALL_EVIDENCE = 10_000
_ANNOTATION = re.compile(
    r"^[ \t]*<!--[ \t]*(?P<kind>ruleid|ok|todoruleid|todook)[ \t]*:[ \t]*(?P<ids>[^>]*?)[ \t]*-->[ \t]*\r?$"
)
_EXAMPLE_KEYS: tuple[tuple[str, Status], ...] = (
    ("pass", Status.PASS),
    ("fail", Status.FAIL),
    ("not_applicable", Status.NOT_APPLICABLE),
)


class Expect(StrEnum):
    """What an annotation asks of the next line."""

    RULEID = "ruleid"  # must produce evidence
    OK = "ok"  # must not produce evidence
    TODO_RULEID = "todoruleid"  # should, but does not yet: never fails
    TODO_OK = "todook"  # should not, but does yet: never fails


@dataclass(frozen=True, slots=True)
class Annotation:
    """One ``<!-- kind: id -->`` of a fixture, and the line of text it refers to."""

    expect: Expect
    check: str
    line: int  # the annotation's own line (1-based)
    target: int  # the next line of text, or 0 when there is none


@dataclass(frozen=True, slots=True)
class Fixture:
    """A fixture document and the name to report it by."""

    file: Path | Traversable
    name: str


@dataclass(frozen=True, slots=True)
class CaseResult:
    """The outcome of one test case.

    ``where`` is ``file:line`` of the example in its check file or of the annotated
    line in its fixture; ``lines`` are the lines on which the check produced evidence.
    """

    check: str
    case: str  # "examples.fail[0]", "ruleid", "ok", "unannotated evidence", "fixture"
    where: str
    passed: bool
    expected: str
    actual: str
    lines: tuple[int, ...] = ()
    text: str = ""


@dataclass(frozen=True, slots=True)
class Suite:
    """The checks to test and the fixtures to run them on."""

    checks: tuple[Check, ...]
    fixtures: tuple[Fixture, ...]


# --- running -----------------------------------------------------------------------------


def run_check_tests(
    checks: Sequence[Check], fixture_paths: Iterable[Path | Fixture] = (), *, context: Context | None = None
) -> list[CaseResult]:
    """Run every check's examples, then every fixture's annotations (ids among ``checks``)."""
    ctx = context or Context()
    results = [case for check in checks for case in example_cases(check, ctx)]
    by_id = {check.id: check for check in checks}
    for fixture in fixture_paths:
        results.extend(fixture_cases(_as_fixture(fixture), by_id, ctx))
    return results


def example_cases(check: Check, context: Context) -> Iterator[CaseResult]:
    """One case per embedded example of ``check``."""
    lists = {"pass": check.examples.passing, "fail": check.examples.failing}
    lists["not_applicable"] = check.examples.not_applicable
    for key, status in _EXAMPLE_KEYS:
        for index, text in enumerate(lists[key]):
            line = check.examples.lines.get(f"{key}[{index}]", 0)
            where = f"{check.source}:{line}" if line else check.source
            yield _example_case(check, text, status, case=f"examples.{key}[{index}]", where=where, context=context)


def _example_case(check: Check, text: str, wanted: Status, *, case: str, where: str, context: Context) -> CaseResult:
    doc = parse_document(text, EXAMPLE_FORMAT, f"{where} ({case})")
    try:
        result = evaluate_check(doc, replace(check, evidence_limit=_ALL_EVIDENCE), context)
    except DetectorError as exc:
        return CaseResult(check.id, case, where, False, status_label(check, wanted), f"error: {exc}", text=text)
    return CaseResult(
        check.id,
        case,
        where,
        result.status is wanted,
        status_label(check, wanted),
        status_label(check, result.status),
        evidence_lines(result),
        text,
    )


def fixture_cases(fixture: Fixture, checks: Mapping[str, Check], context: Context) -> list[CaseResult]:
    """Cases for every annotation of one fixture, plus one per unannotated evidence line."""
    try:
        fmt = EXTENSIONS[Path(fixture.name).suffix.lower()]
        source = decode(fixture.file.read_bytes(), fmt)
    except (OSError, DocumentError, KeyError) as exc:
        return [_fixture_error(fixture.name, f"cannot read the fixture: {exc}")]
    annotations = parse_annotations(source)
    if not annotations:
        return [_fixture_error(fixture.name, "no ruleid/ok annotations (see 'policylint test --help')")]
    doc = parse_document(blank_annotations(source), fmt, fixture.name)
    lines = source.split("\n")
    results = [_dangling(fixture.name, a) for a in annotations if not a.target]
    for check_id in sorted({a.check for a in annotations}):
        mine = [a for a in annotations if a.check == check_id and a.target]
        check = checks.get(check_id)
        if check is None:
            where = f"{fixture.name}:{mine[0].line if mine else 1}"
            results.append(CaseResult(check_id, "fixture", where, False, "a check under test", "unknown check id"))
            continue
        try:
            result = evaluate_check(doc, replace(check, evidence_limit=_ALL_EVIDENCE), context)
        except DetectorError as exc:
            results.append(_fixture_error(fixture.name, f"error: {exc}", check_id))
            continue
        results.extend(_annotation_cases(fixture.name, check, result, mine, lines))
    return results


def _annotation_cases(
    name: str, check: Check, result: Result, annotations: Sequence[Annotation], lines: Sequence[str]
) -> Iterator[CaseResult]:
    found = evidence_lines(result)
    status = status_label(check, result.status)
    for annotation in annotations:
        if annotation.expect not in (Expect.RULEID, Expect.OK):
            continue
        wanted = annotation.expect is Expect.RULEID
        hit = annotation.target in found
        yield CaseResult(
            check.id,
            annotation.expect.value,
            f"{name}:{annotation.target}",
            hit is wanted,
            f"{'' if wanted else 'no '}evidence on line {annotation.target}",
            f"{_evidence_phrase(found)} ({status})",
            found,
            _line_text(lines, annotation.target),
        )
    annotated = {a.target for a in annotations}
    for line in found:
        if line not in annotated:
            yield CaseResult(
                check.id,
                "unannotated evidence",
                f"{name}:{line}",
                False,
                f"no evidence on a line without annotation (if it is right, add '<!-- ruleid: {check.id} -->' above)",
                f"evidence on line {line}",
                found,
                _line_text(lines, line),
            )


def _dangling(name: str, annotation: Annotation) -> CaseResult:
    return CaseResult(
        annotation.check,
        annotation.expect.value,
        f"{name}:{annotation.line}",
        False,
        "a line of text right after the annotation",
        "a blank line or the end of the file",
    )


def _fixture_error(name: str, message: str, check_id: str = "") -> CaseResult:
    return CaseResult(check_id, "fixture", f"{name}:1" if check_id else name, False, "a usable fixture", message)


# --- annotations -------------------------------------------------------------------------


def parse_annotations(source: str) -> list[Annotation]:
    """Find the annotation lines of a fixture and the line of text each refers to.

    >>> parse_annotations("<!-- ruleid: a.b, a.c -->\\nText.\\n")[1]
    Annotation(expect=<Expect.RULEID: 'ruleid'>, check='a.c', line=1, target=2)
    """
    lines = source.split("\n")
    found: list[Annotation] = []
    pending: list[tuple[Expect, str, int]] = []
    for number, line in enumerate(lines, start=1):
        match = _ANNOTATION.match(line)
        if match:
            ids = [part.strip() for part in match["ids"].split(",") if part.strip()]
            pending.extend((Expect(match["kind"]), check_id, number) for check_id in ids)
            continue
        target = number if line.strip() else 0
        found.extend(Annotation(expect, check_id, at, target) for expect, check_id, at in pending)
        pending = []
    found.extend(Annotation(expect, check_id, at, 0) for expect, check_id, at in pending)
    return found


def blank_annotations(source: str) -> str:
    """Replace every annotation line by spaces, keeping offsets and line numbers."""
    return "\n".join(re.sub(r"[^\r]", " ", line) if _ANNOTATION.match(line) else line for line in source.split("\n"))


# --- discovery ---------------------------------------------------------------------------


def is_fixture_name(name: str) -> bool:
    """Whether a file name is a fixture's: ``<anything>.fixture.<md|html|txt...>``."""
    stem, dot, suffix = name.rpartition(".")
    return bool(dot) and f".{suffix.lower()}" in EXTENSIONS and stem.endswith(FIXTURE_STEM) and stem != FIXTURE_STEM


def fixture_files(paths: Iterable[Path]) -> list[Path]:
    """Fixtures under check directories, and ``<stem>.fixture.*`` beside check files."""
    found: dict[Path, None] = {}
    for path in paths:
        if path.is_dir():
            candidates = sorted(path.rglob("*"))
        else:
            candidates = sorted(path.parent.glob(f"{path.stem}{FIXTURE_STEM}.*"))
        found.update((p, None) for p in candidates if p.is_file() and is_fixture_name(p.name))
    return list(found)


def builtin_fixtures() -> list[Fixture]:
    """The fixtures that ship beside the built-in checks."""
    return sorted(_builtin_fixtures(data_dir("checks"), "checks"), key=lambda f: f.name)


def _builtin_fixtures(folder: Traversable, prefix: str) -> Iterator[Fixture]:
    for entry in folder.iterdir():
        name = f"{prefix}/{entry.name}"
        if entry.is_dir():
            yield from _builtin_fixtures(entry, name)
        elif is_fixture_name(entry.name):
            yield Fixture(entry, name)


def load_suite(paths: Sequence[Path]) -> Suite:
    """The checks and fixtures that ``policylint test PATH...`` runs.

    With no paths: the built-in catalogue. Otherwise the checks in ``paths`` (loaded like
    ``--checks``, so a built-in id needs ``overrides: true``) and the fixtures beside them.
    Raises :class:`~policylint.checks.CheckError` for an invalid check file.
    """
    if not paths:
        return Suite(load_checks(), tuple(builtin_fixtures()))
    checks = load_checks(paths, builtin=False)
    builtin = builtin_index()
    for check in checks:
        if check.id in builtin and not check.overrides and not is_builtin_copy(builtin[check.id], Path(check.source)):
            raise CheckError(
                check.source, 0, ("id",), f"{check.id!r} is a built-in check; set 'overrides: true' to replace it"
            )
    return Suite(checks, tuple(Fixture(path, path.as_posix()) for path in fixture_files(paths)))


def builtin_index() -> dict[str, Path]:
    """Map each built-in check id to its file (read cheaply: only the ``id`` is needed).

    A built-in file that cannot be read is skipped; loading or linting it reports why.
    """
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    index: dict[str, Path] = {}
    for file in builtin_check_files():
        try:
            raw = yaml.load(file.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - a safe loader
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
        if isinstance(raw, dict) and isinstance(raw.get("id"), str):
            index[raw["id"]] = Path(str(file)).resolve()
    return index


def is_builtin_copy(home: Path, file: Path) -> bool:
    """Whether ``file`` is the built-in check file ``home``: the same file, or the same bytes.

    The source tree's ``checks/`` are copies of an installed package's built-in files:
    linting or testing them is not an attempt to replace a built-in check.
    """
    try:
        return home == file.resolve() or home.read_bytes() == file.read_bytes()
    except OSError:
        return False


def _as_fixture(item: Path | Fixture) -> Fixture:
    return item if isinstance(item, Fixture) else Fixture(item, item.as_posix())


# --- reporting ---------------------------------------------------------------------------


def status_label(check: Check, status: Status) -> str:
    """``pass``/``fail``/``not-applicable``, with clean/flagged for anomaly checks."""
    if check.kind is CheckKind.ANOMALY and status is not Status.NOT_APPLICABLE:
        return f"{status.value} ({'clean' if status is Status.PASS else 'flagged'})"
    return status.value


def evidence_lines(result: Result) -> tuple[int, ...]:
    """The distinct first lines of a result's evidence, in order."""
    return tuple(sorted({evidence.location.line for evidence in result.evidence}))


def format_case(case: CaseResult) -> str:
    """One failing (or passing) case as ``where: check: case: expected ..., got ...`` plus the text."""
    mark = "ok" if case.passed else "FAIL"
    head = f"{mark} {case.where}: {case.check or '-'}: {case.case}: expected {case.expected}, got {case.actual}"
    if case.case.startswith("examples.") and case.lines:
        head += f" (evidence on line{'s' if len(case.lines) > 1 else ''} {_joined(case.lines)})"
    if not case.text:
        return head
    quoted = "\n".join(f"    | {line}".rstrip() for line in case.text.strip("\n").split("\n"))
    return f"{head}\n{quoted}"


def format_results(results: Sequence[CaseResult], *, verbose: bool = False) -> str:
    """Failing cases (every case with ``verbose``) and the summary line."""
    shown = [format_case(case) for case in results if verbose or not case.passed]
    return "".join(f"{block}\n" for block in shown) + summary(results) + "\n"


def summary(results: Sequence[CaseResult]) -> str:
    """``N passed, M failed``."""
    failed = sum(not case.passed for case in results)
    return f"{len(results) - failed} passed, {failed} failed"


def _evidence_phrase(lines: Sequence[int]) -> str:
    if not lines:
        return "no evidence"
    return f"evidence on line{'s' if len(lines) > 1 else ''} {_joined(lines)}"


def _joined(lines: Sequence[int]) -> str:
    return ", ".join(str(line) for line in lines)


def _line_text(lines: Sequence[str], number: int) -> str:
    return lines[number - 1].strip() if 0 < number <= len(lines) else ""
