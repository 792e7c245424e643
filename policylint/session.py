"""A lint session: configuration → checks per file → engine → suppression comments → a Run.

Reads the policy files (through :mod:`policylint.document`) but never prints or exits.
Per-path settings mean that files may run different checks; the plan for each distinct
set of settings is computed once.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import partial
from pathlib import Path

from policylint.checks import Check
from policylint.config import Config, Settings, id_matches, severity_for
from policylint.detectors import Context
from policylint.directives import UNUSED_ID, UNUSED_SUPPRESSION, DirectiveError
from policylint.directives import apply as apply_directives
from policylint.document import DocumentError, discover, load_bytes, load_document
from policylint.engine import evaluate
from policylint.model import BlockKind, Document, FileReport, Format
from policylint.report import Run
from policylint.runner import DEFAULT_PROFILE, Selection, select_checks

DEFAULT_MAX_AGE_DAYS = 365
STDIN = "<stdin>"


@dataclass(frozen=True, slots=True)
class Plan:
    """How files with one set of settings are linted."""

    checks: tuple[Check, ...]
    context: Context
    unused: Check | None  # the unused-suppression check, or None when it is ignored


@dataclass
class Session:
    """The checks, configuration and command-line overrides of one run."""

    catalogue: tuple[Check, ...]
    config: Config = field(default_factory=Config)
    overrides: Settings = field(default_factory=Settings)
    today: date = field(default_factory=date.today)
    _plans: dict[Settings, Plan] = field(default_factory=dict, repr=False)

    @property
    def known_ids(self) -> frozenset[str]:
        """Every check id that exists (for validating ids in comments)."""
        return frozenset({check.id for check in self.catalogue} | {UNUSED_ID})

    def plan(self, file: Path | None) -> Plan:
        """Return the plan for ``file`` (``None``: stdin, which only gets top-level settings)."""
        settings = self.config.settings_for(file).over(self.overrides)
        if settings not in self._plans:
            self._plans[settings] = make_plan(self.catalogue, settings, self.today)
        return self._plans[settings]

    def lint(self, paths: Sequence[Path], stdin: bytes | None = None, stdin_format: Format | None = None) -> Run:
        """Lint ``stdin`` (if given, as ``<stdin>``) and every policy file under ``paths``."""
        reports: list[FileReport] = []
        anchors: dict[str, int] = {}
        if stdin is not None:
            reports.append(self._lint(partial(load_bytes, stdin, stdin_format, STDIN), STDIN, None, anchors))
        for path in discover(paths):
            display = path.as_posix()
            if not path.exists():
                reports.append(FileReport(display, error="no such file or directory"))
                continue
            reports.append(self._lint(partial(load_document, path, display=display), display, path, anchors))
        return Run(tuple(reports), self._checks_run(reports), anchors)

    def _lint(
        self, load: Callable[[], Document], display: str, file: Path | None, anchors: dict[str, int]
    ) -> FileReport:
        try:
            doc = load()
        except DocumentError as exc:
            return FileReport(display, error=str(exc))
        anchors[display] = anchor_line(doc)
        return lint_document(doc, self.plan(file), self.known_ids)

    def _checks_run(self, reports: Iterable[FileReport]) -> tuple[Check, ...]:
        ran = {check.id: check for plan in self._plans.values() for check in plan.checks}
        unused = next((plan.unused for plan in self._plans.values() if plan.unused is not None), None)
        if unused is not None and any(r.check == UNUSED_ID for report in reports for r in report.results):
            ran[UNUSED_ID] = unused
        return tuple(ran[key] for key in sorted(ran))


def make_plan(catalogue: Sequence[Check], settings: Settings, today: date) -> Plan:
    """Select the checks for ``settings``, apply severity overrides, and build the detector context."""
    selection = Selection(settings.profiles or (DEFAULT_PROFILE,), settings.select or (), settings.ignore)
    checks = tuple(_with_severity(check, settings) for check in select_checks(catalogue, selection))
    ignored = any(id_matches(UNUSED_ID, pattern) for pattern in settings.ignore)
    org = settings.organization
    context = Context(
        org_domains=org.domains,
        org_names=(org.name,) if org.name else (),
        org_emails=org.emails,
        today=today,
        max_age_days=settings.max_age_days or DEFAULT_MAX_AGE_DAYS,
    )
    return Plan(checks, context, None if ignored else _with_severity(UNUSED_SUPPRESSION, settings))


def _with_severity(check: Check, settings: Settings) -> Check:
    severity = severity_for(check.id, settings.severity, check.severity)
    return check if severity is check.severity else replace(check, severity=severity)


def lint_document(doc: Document, plan: Plan, known: Collection[str]) -> FileReport:
    """Evaluate a plan's checks on a document, then apply its suppression comments."""
    results = evaluate(doc, plan.checks, plan.context)
    try:
        results = apply_directives(results, doc.source, known, plan.unused)
    except DirectiveError as exc:
        return FileReport(doc.path, error=str(exc), source=doc.source)
    return FileReport(doc.path, results, source=doc.source)


def anchor_line(doc: Document) -> int:
    """The line where findings without a line are pinned: the first heading, else line 1."""
    heading = next((block for block in doc.blocks if block.kind is BlockKind.HEADING), None)
    return doc.locate(heading.start, heading.end).line if heading is not None else 1
