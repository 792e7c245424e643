"""A lint session: configuration → checks per file → engine → suppression comments → a Run.

Reads the policy files (through :mod:`policylint.document`) but never prints or exits.
Per-path settings mean that files may run different checks; the plan for each distinct
set of settings is computed once.
"""

from __future__ import annotations

import os
import sys
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
from policylint.document import DocumentError, Limits, discover, load_bytes, load_document
from policylint.engine import evaluate
from policylint.model import BlockKind, Document, FileReport, Format
from policylint.report import Run
from policylint.runner import DEFAULT_PROFILE, Selection, select_checks

DEFAULT_MAX_AGE_DAYS = 365
PARALLEL_FROM = 8  # --jobs 0 uses a process pool from this many files
MAX_WORKERS = 61 if sys.platform == "win32" else 1024  # ProcessPoolExecutor refuses more than 61 on Windows
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
    limits: Limits = field(default_factory=Limits)  # a bigger file or longer line is one error
    _plans: dict[Settings, Plan] = field(default_factory=dict, repr=False)  # used, in order of first use
    _built: dict[Settings, Plan] = field(default_factory=dict, repr=False)  # built, not used yet

    @property
    def known_ids(self) -> frozenset[str]:
        """Every check id that exists (for validating ids in comments)."""
        return frozenset({check.id for check in self.catalogue} | {UNUSED_ID})

    def plan(self, file: Path | None) -> Plan:
        """Return the plan for ``file`` (``None``: stdin, which only gets top-level settings)."""
        settings = self._settings(file)
        plan = self._plan_for(settings)
        self._plans.setdefault(settings, plan)
        return plan

    def _settings(self, file: Path | None) -> Settings:
        return self.config.settings_for(file).over(self.overrides)

    def _plan_for(self, settings: Settings) -> Plan:
        """The plan for ``settings``, built once; :attr:`_plans` records only the plans used."""
        plan = self._plans.get(settings) or self._built.get(settings)
        if plan is None:
            plan = self._built[settings] = make_plan(self.catalogue, settings, self.today)
        return plan

    def lint(
        self,
        paths: Sequence[Path],
        stdin: bytes | None = None,
        stdin_format: Format | None = None,
        *,
        jobs: int = 1,
        on_done: Callable[[int], None] | None = None,
    ) -> Run:
        """Lint ``stdin`` (if given, as ``<stdin>``) and every policy file under ``paths``.

        ``jobs`` > 1 lints the files in that many worker processes (stdin always in this one);
        the reports are the same, in the same order, whatever ``jobs`` is. ``on_done`` is
        called with the number of files finished so far, after each file.
        """
        reports: list[FileReport] = []
        anchors: dict[str, int] = {}
        done = _Counter(on_done)
        if stdin is not None:
            limits = self.limits
            read = partial(
                load_bytes, stdin, stdin_format, STDIN,
                max_file_size=limits.max_file_size, max_line_length=limits.max_line_length,
            )
            reports.append(self._lint(read, STDIN, None, anchors))
            done()
        files = list(discover(paths))
        if min(jobs, len(files)) > 1:
            reports.extend(self._lint_parallel(files, jobs, anchors, done))
            return Run(tuple(reports), self._checks_run(reports), anchors)
        for path in files:
            display = path.as_posix()
            if not path.exists():
                reports.append(FileReport(display, error="no such file or directory"))
            else:
                load = partial(
                    load_document, path, display=display,
                    max_file_size=self.limits.max_file_size, max_line_length=self.limits.max_line_length,
                )
                reports.append(self._lint(load, display, path, anchors))
            done()
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

    def _lint_parallel(
        self, files: Sequence[Path], jobs: int, anchors: dict[str, int], done: Callable[[], None]
    ) -> list[FileReport]:
        """Lint ``files`` in a process pool; the reports, anchors and plans used are recorded
        in file order, as :meth:`lint` does serially."""
        from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
        from concurrent.futures.process import BrokenProcessPool

        settings = [self._settings(path) for path in files]
        keys = list(dict.fromkeys(settings))  # each distinct plan is sent once to each worker
        plans = tuple(self._plan_for(key) for key in keys)
        index = {key: number for number, key in enumerate(keys)}
        slots: list[tuple[FileReport, int | None] | None] = [None] * len(files)
        pending: dict[Future[tuple[FileReport, int | None]], int] = {}
        workers = min(jobs, len(files), MAX_WORKERS)
        setup = (plans, self.known_ids, self.limits)
        pool = ProcessPoolExecutor(workers, initializer=_init_worker, initargs=setup)
        try:
            for number, path in sorted(enumerate(files), key=lambda item: -_size(item[1])):  # biggest first
                if not path.exists():
                    slots[number] = (FileReport(path.as_posix(), error="no such file or directory"), None)
                    done()
                    continue
                try:  # a worker that died while files are still being handed out breaks the pool here
                    pending[pool.submit(_lint_in_worker, path, index[settings[number]])] = number
                except BrokenProcessPool:
                    slots[number] = (_dead_worker(path), None)
                    done()
            while pending:
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    number = pending.pop(future)
                    try:
                        slots[number] = future.result()
                    except BrokenProcessPool:
                        slots[number] = (_dead_worker(files[number]), None)
                    done()
        finally:
            pool.shutdown(wait=not pending, cancel_futures=True)
        reports = []
        for number, slot in enumerate(slots):
            assert slot is not None
            report, anchor = slot
            if anchor is not None:
                anchors[report.path] = anchor
                self._plans.setdefault(settings[number], plans[index[settings[number]]])
            reports.append(report)
        return reports

    def _checks_run(self, reports: Iterable[FileReport]) -> tuple[Check, ...]:
        ran = {check.id: check for plan in self._plans.values() for check in plan.checks}
        unused = next((plan.unused for plan in self._plans.values() if plan.unused is not None), None)
        if unused is not None and any(r.check == UNUSED_ID for report in reports for r in report.results):
            ran[UNUSED_ID] = unused
        return tuple(ran[key] for key in sorted(ran))


def _dead_worker(path: Path) -> FileReport:
    return FileReport(path.as_posix(), error="internal error: a worker process terminated abruptly")


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


def default_jobs(files: int) -> int:
    """``--jobs 0`` for ``files`` policy files (stdin not counted: it is linted in-process):
    one process per CPU from PARALLEL_FROM files, else 1 (starting a pool costs ~0.1 s)."""
    if files < PARALLEL_FROM:
        return 1
    count = getattr(os, "process_cpu_count", os.cpu_count)()
    return max(1, min(count or 1, files, MAX_WORKERS))


class _Counter:
    """Counts finished files and reports the count to an optional callback."""

    def __init__(self, callback: Callable[[int], None] | None) -> None:
        self.count = 0
        self.callback = callback

    def __call__(self) -> None:
        self.count += 1
        if self.callback is not None:
            self.callback(self.count)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


# --- worker processes (everything they receive is pickled when the start method is spawn) ----

_worker_plans: tuple[Plan, ...] = ()
_worker_known: frozenset[str] = frozenset()
_worker_limits: Limits = Limits()


def _init_worker(plans: tuple[Plan, ...], known: frozenset[str], limits: Limits) -> None:
    global _worker_plans, _worker_known, _worker_limits  # per-process state, set by the initializer
    _worker_plans, _worker_known, _worker_limits = plans, known, limits


def _lint_in_worker(path: Path, plan: int) -> tuple[FileReport, int | None]:
    """Lint one file with the ``plan``-th plan; the anchor line is ``None`` when it cannot be read."""
    display = path.as_posix()
    try:
        limits = _worker_limits
        doc = load_document(
            path, display=display, max_file_size=limits.max_file_size, max_line_length=limits.max_line_length
        )
    except DocumentError as exc:
        return FileReport(display, error=str(exc)), None
    return lint_document(doc, _worker_plans[plan], _worker_known), anchor_line(doc)
