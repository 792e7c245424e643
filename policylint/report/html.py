"""The HTML report: one self-contained page with checklists and highlighted policy text.

The page has no external resources (inline CSS and a few lines of inline JavaScript,
allowed by a hash-based Content-Security-Policy), works offline and without
JavaScript, prints cleanly, and is deterministic (no timestamps). Everything that comes
from a policy (its text, paths, evidence and messages) is escaped by Jinja2's
autoescaping; the template never marks policy content as safe.

The page is built in two steps: :func:`_view` turns the run into plain view objects
(all layout decisions live here, in Python), and ``templates/report.html.j2`` renders
them.
"""

from __future__ import annotations

import base64
import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from itertools import pairwise
from typing import TYPE_CHECKING

from policylint.checks import Check, CheckKind
from policylint.model import Evidence, FileReport, Result, Severity, Status
from policylint.report import Run, summary, summary_text

if TYPE_CHECKING:
    import jinja2

TEMPLATE = "report.html.j2"
STYLESHEET = "report.css"
SCRIPT = "report.js"
CORE_PROFILE = "recommended"
CORE_LABEL = "Core"  # the group of checks that belong to no regime profile, only to recommended
EVIDENCE_SHOWN = 5  # evidence items listed before the rest fold into a <details>

# Regimes in the order the README names them; other profiles follow alphabetically.
PROFILE_LABELS: Mapping[str, str] = {
    CORE_PROFILE: "Recommended",
    "coppa": "COPPA",
    "can-spam": "CAN-SPAM",
    "caloppa": "CalOPPA",
    "ccpa": "CCPA",
    "us-states": "US states",
    "gdpr": "GDPR",
}
_PROFILE_ORDER = {name: index for index, name in enumerate(PROFILE_LABELS)}
_STATUS_ORDER = {Status.FAIL: 0, Status.PASS: 1, Status.NOT_APPLICABLE: 2}
_STATUS_LABELS = {Status.PASS: "Pass", Status.FAIL: "Fail", Status.NOT_APPLICABLE: "Not applicable"}
_STATUS_SYMBOLS = {Status.PASS: "✓", Status.FAIL: "✗", Status.NOT_APPLICABLE: "–"}
_KIND_SYMBOLS = {CheckKind.DISCLOSURE.value: "✓", CheckKind.ANOMALY.value: "⚠"}
_KIND_LABELS = {CheckKind.DISCLOSURE.value: "Disclosure", CheckKind.ANOMALY.value: "Anomaly"}


def format_html(run: Run) -> str:
    """Render the run as one self-contained HTML page."""
    environment = _environment()
    style = _resource(STYLESHEET)
    script = _resource(SCRIPT)
    from markupsafe import Markup

    page = environment.get_template(TEMPLATE).render(
        report=_view(run),
        # Trusted package files, inlined verbatim; their hashes go into the CSP.
        style=Markup(style),  # noqa: S704 - package data, not user input
        script=Markup(script),  # noqa: S704 - package data, not user input
        style_hash=_csp_hash(style),
        script_hash=_csp_hash(script),
    )
    return page.rstrip("\n") + "\n"


# --- Jinja ---------------------------------------------------------------------------


def _resource(name: str) -> str:
    return (files("policylint.report") / "templates" / name).read_text(encoding="utf-8")


def _environment() -> jinja2.Environment:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FunctionLoader(_resource),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _csp_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


# --- view objects --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Counts:
    """Verdict counts for a document, group or profile; a waived failure is not ``failed``."""

    passed: int = 0
    failed: int = 0
    not_applicable: int = 0
    waived: int = 0

    @classmethod
    def of(cls, results: Iterable[Result]) -> Counts:
        """Count the given results."""
        counter = Counter("waived" if result.suppressed else result.status.value for result in results)
        return cls(
            counter[Status.PASS.value],
            counter[Status.FAIL.value],
            counter[Status.NOT_APPLICABLE.value],
            counter["waived"],
        )

    @property
    def text(self) -> str:
        """``3 passed, 1 failed, 0 not applicable`` (and ``, 1 waived`` when there are any)."""
        text = f"{self.passed} passed, {self.failed} failed, {self.not_applicable} not applicable"
        return text + (f", {self.waived} waived" if self.waived else "")


@dataclass(frozen=True, slots=True)
class EvidenceView:
    """One evidence item in the checklist, linking to its line in the policy text."""

    href: str  # "#f0-L12", or "" when the policy text is not shown
    lines: str  # "Line 12" or "Lines 12–13"
    line: int
    end_line: int
    text: str
    message: str


@dataclass(frozen=True, slots=True)
class CheckView:
    """One checklist item."""

    anchor: str
    id: str
    title: str
    status: str  # pass | fail | not-applicable
    status_label: str
    status_symbol: str
    severity: str
    kind: str  # disclosure | anomaly
    message: str
    waived: str  # why a failure does not count, or ""
    remediation: str
    description: str
    references: tuple[tuple[str, str], ...]  # (citation, http(s) url or "")
    profiles: tuple[str, ...]
    evidence: tuple[EvidenceView, ...]
    more_evidence: tuple[EvidenceView, ...]
    href: str  # first evidence line, or ""


@dataclass(frozen=True, slots=True)
class GroupView:
    """The checks listed under one regime."""

    anchor: str
    label: str
    counts: Counts
    checks: tuple[CheckView, ...]


@dataclass(frozen=True, slots=True)
class ProfileRow:
    """One profile (a column) of a document's by-profile table."""

    label: str
    counts: Counts


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of one source line with the same highlighting."""

    text: str
    kinds: tuple[str, ...] = ()  # "disclosure" and/or "anomaly"
    checks: tuple[str, ...] = ()

    @property
    def css(self) -> str:
        """The ``mark`` element's classes."""
        return " ".join(["hl", *(f"hl-{kind}" for kind in self.kinds)])


@dataclass(frozen=True, slots=True)
class Note:
    """A labelled finding, shown after the run of highlighted lines where its evidence ends."""

    kind: str
    kind_label: str
    symbol: str
    check: str
    href: str
    text: str


@dataclass(frozen=True, slots=True)
class LineView:
    """One line of the policy's original source."""

    number: int
    anchor: str
    segments: tuple[Segment, ...]
    notes: tuple[Note, ...]
    kinds: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DocumentView:
    """Everything shown for one file."""

    anchor: str
    path: str
    error: str
    counts: Counts
    failed_by_severity: str
    groups: tuple[GroupView, ...]
    profiles: tuple[ProfileRow, ...]
    lines: tuple[LineView, ...]


@dataclass(frozen=True, slots=True)
class ReportView:
    """The whole page."""

    title: str
    summary: str
    documents: tuple[DocumentView, ...]
    counts: Counts
    errors: int


def _view(run: Run) -> ReportView:
    checks = {check.id: check for check in run.checks}
    documents = tuple(_document(index, report, checks) for index, report in enumerate(run.reports))
    totals = summary(run.reports)
    title = "policylint report" + (f": {run.reports[0].path}" if len(run.reports) == 1 else "")
    return ReportView(
        title=title,
        summary=summary_text(run.reports),
        documents=documents,
        counts=Counts(totals["pass"], totals["fail"], totals["not-applicable"], totals["suppressed"]),
        errors=totals["errors"],
    )


def _severity_breakdown(results: Iterable[Result]) -> str:
    counts = Counter(result.severity for result in results if result.status is Status.FAIL and not result.suppressed)
    return ", ".join(
        f"{counts[severity]} {severity.label}{'s' if counts[severity] != 1 else ''}"
        for severity in sorted(Severity, reverse=True)
        if counts[severity]
    )


def _document(index: int, report: FileReport, checks: Mapping[str, Check]) -> DocumentView:
    anchor = f"f{index}"
    source_lines = report.source.split("\n") if report.source else []
    views = [_check_view(anchor, result, checks.get(result.check), len(source_lines)) for result in report.results]
    return DocumentView(
        anchor=anchor,
        path=report.path,
        error=report.error,
        counts=Counts.of(report.results),
        failed_by_severity=_severity_breakdown(report.results),
        groups=_groups(anchor, report.results, views, checks),
        profiles=_profile_rows(report.results, checks),
        lines=_lines(anchor, source_lines, report.results, checks),
    )


# --- checklist -----------------------------------------------------------------------


def _kind(result: Result, check: Check | None) -> str:
    """The check's kind; for a result of an unknown check, guessed from its verdict."""
    if check is not None:
        return check.kind.value
    anomaly = result.status is Status.FAIL and result.evidence
    return CheckKind.ANOMALY.value if anomaly else CheckKind.DISCLOSURE.value


def _waived(result: Result) -> str:
    """Why a failure does not count, or ""."""
    suppression = result.suppression
    if suppression is None:
        return ""
    how = "by the baseline" if suppression.kind == "baseline" else "by an inline comment"
    return f"Waived {how}" + (f": {suppression.reason}" if suppression.reason else "")


def _check_view(anchor: str, result: Result, check: Check | None, line_count: int) -> CheckView:
    kind = _kind(result, check)
    evidence = tuple(_evidence_view(anchor, item, line_count) for item in result.evidence)
    return CheckView(
        anchor=f"{anchor}-check-{result.check}",
        id=result.check,
        title=check.title if check else result.check,
        status=result.status.value,
        status_label=_STATUS_LABELS[result.status],
        status_symbol=_STATUS_SYMBOLS[result.status],
        severity=result.severity.label,
        kind=kind,
        message=result.message,
        waived=_waived(result),
        remediation=check.remediation if check and result.status is Status.FAIL else "",
        description=check.description if check else "",
        references=tuple((ref.citation, _safe_url(ref.url)) for ref in check.references) if check else (),
        profiles=tuple(_profile_label(p) for p in _ordered_profiles(check.profiles)) if check else (),
        evidence=evidence[:EVIDENCE_SHOWN],
        more_evidence=evidence[EVIDENCE_SHOWN:],
        href=next((item.href for item in evidence if item.href), ""),
    )


def _evidence_view(anchor: str, evidence: Evidence, line_count: int) -> EvidenceView:
    location = evidence.location
    line, end_line = location.line, max(location.line, location.end_line)
    return EvidenceView(
        href=f"#{anchor}-L{line}" if 1 <= line <= line_count else "",
        lines=f"Line {line}" if end_line == line else f"Lines {line}–{end_line}",
        line=line,
        end_line=min(end_line, line_count) if line_count else end_line,
        text=evidence.text,
        message=evidence.message,
    )


def _safe_url(url: str) -> str:
    """Only http(s) links are rendered (check files are validated, but be strict)."""
    return url if url.lower().startswith(("https://", "http://")) else ""


def _ordered_profiles(profiles: Iterable[str]) -> list[str]:
    return sorted(set(profiles), key=lambda name: (_PROFILE_ORDER.get(name, len(_PROFILE_ORDER)), name))


def _profile_label(profile: str) -> str:
    return PROFILE_LABELS.get(profile, profile)


def _group_profile(check: Check | None) -> str:
    """A check is listed once: under its first regime other than ``recommended``."""
    if check is None:
        return ""
    return next((p for p in check.profiles if p != CORE_PROFILE), CORE_PROFILE)


def _groups(
    anchor: str, results: Sequence[Result], views: Sequence[CheckView], checks: Mapping[str, Check]
) -> tuple[GroupView, ...]:
    grouped: dict[str, list[tuple[Result, CheckView]]] = {}
    for result, view in zip(results, views, strict=True):
        grouped.setdefault(_group_profile(checks.get(result.check)), []).append((result, view))
    groups = []
    for profile in _ordered_profiles(grouped):
        members = sorted(grouped[profile], key=lambda rv: _checklist_order(rv[0]))
        label = CORE_LABEL if profile == CORE_PROFILE else _profile_label(profile) if profile else "Other"
        groups.append(
            GroupView(
                anchor=f"{anchor}-group-{profile or 'other'}",
                label=label,
                counts=Counts.of(result for result, _ in members),
                checks=tuple(view for _, view in members),
            )
        )
    return tuple(groups)


def _checklist_order(result: Result) -> tuple[int, bool, int, str]:
    """Failures first (waived ones last among them), then by severity and id."""
    return _STATUS_ORDER[result.status], result.suppressed, -result.severity, result.check


def _profile_rows(results: Sequence[Result], checks: Mapping[str, Check]) -> tuple[ProfileRow, ...]:
    by_profile: dict[str, list[Result]] = {}
    for result in results:
        check = checks.get(result.check)
        for profile in check.profiles if check else ():
            by_profile.setdefault(profile, []).append(result)
    return tuple(ProfileRow(_profile_label(p), Counts.of(by_profile[p])) for p in _ordered_profiles(by_profile))


# --- policy text ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Span:
    start: int  # 0-based column, inclusive
    end: int  # 0-based column, exclusive
    kind: str
    check: str


@dataclass
class _LineMarks:
    spans: list[_Span] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)


def _highlighted(result: Result, check: Check | None) -> str:
    """The highlight kind of a result's evidence, or "" when it is not highlighted."""
    if not result.evidence:
        return ""
    kind = _kind(result, check)
    if kind == CheckKind.ANOMALY.value:
        return kind if result.status is Status.FAIL else ""
    return kind if result.status is Status.PASS else ""


def _lines(
    anchor: str, source_lines: Sequence[str], results: Sequence[Result], checks: Mapping[str, Check]
) -> tuple[LineView, ...]:
    texts = [line.removesuffix("\r") for line in source_lines]
    marks: dict[int, _LineMarks] = {}
    for result in results:
        check = checks.get(result.check)
        kind = _highlighted(result, check)
        for evidence in result.evidence if kind else ():
            _mark(marks, texts, evidence, _note(anchor, kind, result.check, check, evidence))
    views = []
    pending: list[Note] = []  # notes wait for the end of a run of highlighted lines
    for number, text in enumerate(texts, start=1):
        line_marks = marks.get(number, _LineMarks())
        segments = _segments(text, line_marks.spans)
        pending.extend(note for note in line_marks.notes if note not in pending)
        following = marks.get(number + 1)
        flush = not (following and following.spans) or number == len(texts)
        views.append(
            LineView(
                number=number,
                anchor=f"{anchor}-L{number}",
                segments=segments,
                notes=tuple(pending) if flush else (),
                kinds=tuple(sorted({kind for segment in segments for kind in segment.kinds})),
            )
        )
        if flush:
            pending = []
    return tuple(views)


def _note(anchor: str, kind: str, check_id: str, check: Check | None, evidence: Evidence) -> Note:
    anomaly = kind == CheckKind.ANOMALY.value
    return Note(
        kind=kind,
        kind_label=_KIND_LABELS[kind],
        symbol=_KIND_SYMBOLS[kind],
        check=check_id,
        href=f"#{anchor}-check-{check_id}",
        text=evidence.message if anomaly and evidence.message else (check.title if check else ""),
    )


def _mark(marks: dict[int, _LineMarks], texts: Sequence[str], evidence: Evidence, note: Note) -> None:
    """Highlight the evidence on each of its lines; note it at its last line."""
    location = evidence.location
    first, last = location.line, max(location.line, location.end_line)
    if not 1 <= first <= len(texts):
        return
    last = min(last, len(texts))
    for number in range(first, last + 1):
        text = texts[number - 1]
        start = location.column - 1 if number == first else 0
        end = location.end_column if number == location.end_line else len(text)
        start, end = max(start, 0), min(end, len(text))
        if end > start:
            marks.setdefault(number, _LineMarks()).spans.append(_Span(start, end, note.kind, note.check))
    notes = marks.setdefault(last, _LineMarks()).notes
    if note not in notes:
        notes.append(note)


def _segments(text: str, spans: Sequence[_Span]) -> tuple[Segment, ...]:
    """Split a line at every span boundary; each piece knows which spans cover it."""
    if not spans:
        return (Segment(text),) if text else ()
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    segments: list[Segment] = []
    for start, end in pairwise(cuts):
        covering = [s for s in spans if s.start <= start and s.end >= end]
        kinds = tuple(sorted({s.kind for s in covering}))
        checks = tuple(sorted({s.check for s in covering}))
        if segments and (segments[-1].kinds, segments[-1].checks) == (kinds, checks):
            segments[-1] = Segment(segments[-1].text + text[start:end], kinds, checks)
        else:
            segments.append(Segment(text[start:end], kinds, checks))
    return tuple(segments)
