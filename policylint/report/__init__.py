"""Output formats. Each formatter is a pure function of a :class:`Run` to a string; none prints.

:data:`FORMATTERS` is the dispatch table from ``--format`` names to formatters, which
are imported on first use.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import import_module

from policylint.checks import Check
from policylint.model import Evidence, FileReport, Location, Result, Severity, Status

Formatter = Callable[["Run"], str]

FORMATTERS: Mapping[str, tuple[str, str]] = {
    "text": ("policylint.report.text", "format_text"),
    "json": ("policylint.report.json_", "format_json"),
    "sarif": ("policylint.report.sarif", "format_sarif"),
    "junit": ("policylint.report.junit", "format_junit"),
    "github": ("policylint.report.github", "format_github"),
    "gitlab": ("policylint.report.gitlab", "format_gitlab"),
    "markdown": ("policylint.report.markdown", "format_markdown"),
    "html": ("policylint.report.html", "format_html"),
}


def formatter(name: str) -> Formatter:
    """Return the formatter registered under ``name`` (a key of :data:`FORMATTERS`)."""
    module, function = FORMATTERS[name]
    found: Formatter = getattr(import_module(module), function)
    return found


@dataclass(frozen=True, slots=True)
class Run:
    """Everything a formatter needs: the per-file reports and the checks that ran.

    ``anchors`` maps a path to the line where findings without a line (missing
    disclosures) are pinned in formats that need one: the first heading, else line 1.
    """

    reports: tuple[FileReport, ...]
    checks: tuple[Check, ...]
    anchors: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Finding:
    """One reportable failure: an anomaly occurrence, or a missing disclosure."""

    path: str
    result: Result
    check: Check | None
    evidence: Evidence | None  # None for a failure without a line
    line: int  # the evidence's line, or the file's anchor
    fingerprint: str

    @property
    def location(self) -> Location | None:
        """The evidence location, if the finding has one."""
        return self.evidence.location if self.evidence else None

    @property
    def severity(self) -> Severity:
        """The result's severity."""
        return self.result.severity

    @property
    def title(self) -> str:
        """The check's title (its id when the check is unknown)."""
        return self.check.title if self.check else self.result.check

    @property
    def message(self) -> str:
        """A one-line message: the occurrence's own message, else the result's, with the text."""
        return self.result.message if self.evidence is None else occurrence(self.evidence, self.result)


def occurrence(evidence: Evidence, result: Result) -> str:
    """One line for an evidence item: its own message (else the result's), then its text unless already there."""
    message = evidence.message or result.message
    return message if not evidence.text or evidence.text in message else f"{message}: {evidence.text}"


def summary(reports: Sequence[FileReport]) -> dict[str, int]:
    """Count statuses and unreadable files; waived failures count as ``suppressed``, not ``fail``."""
    results = [result for report in reports for result in report.results]
    counts = Counter(result.status for result in results if not result.suppressed)
    return {
        "files": len(reports),
        "errors": sum(1 for report in reports if report.error),
        "pass": counts[Status.PASS],
        "fail": counts[Status.FAIL],
        "not-applicable": counts[Status.NOT_APPLICABLE],
        "suppressed": sum(1 for result in results if result.suppressed),
    }


def fingerprint(check: str, path: str, text: str, ordinal: int = 0) -> str:
    """A stable id for a finding: check id, path and evidence text, never the line.

    ``ordinal`` tells apart identical occurrences in one file (the first is 0).

    >>> fingerprint("children.policy", "privacy.md", "")[:16]
    'bf5c511039bcc29e'
    """
    key = "\x1f".join((check, path, text)) + (f"\x1f{ordinal}" if ordinal else "")
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def findings(run: Run, *, suppressed: bool = False) -> list[Finding]:
    """Return the failures of a run, per file in line order (waived ones only if ``suppressed``)."""
    checks = {check.id: check for check in run.checks}
    out: list[Finding] = []
    for report in run.reports:
        seen: Counter[tuple[str, str]] = Counter()
        anchor = run.anchors.get(report.path, 1)
        items: list[Finding] = []
        for result in report.results:
            if result.status is not Status.FAIL or (result.suppressed and not suppressed):
                continue
            for evidence in result.evidence or (None,):
                text = evidence.text if evidence else ""
                ordinal = seen[(result.check, text)]
                seen[(result.check, text)] += 1
                line = evidence.location.line if evidence else anchor
                digest = fingerprint(result.check, report.path, text, ordinal)
                items.append(Finding(report.path, result, checks.get(result.check), evidence, line, digest))
        out.extend(sorted(items, key=_order))
    return out


def _order(finding: Finding) -> tuple[int, int, str]:
    column = finding.location.column if finding.location else 0
    return finding.line, column, finding.result.check


def summary_text(reports: Sequence[FileReport]) -> str:
    """The closing line of the checklist, without colour: ``N passed, M failed ... in K files``."""
    counts = summary(reports)
    failed = [r for report in reports for r in report.results if r.status is Status.FAIL and not r.suppressed]
    by_severity = ", ".join(
        f"{n} {severity.label}{'s' if n != 1 else ''}"
        for severity in sorted(Severity, reverse=True)
        if (n := sum(1 for r in failed if r.severity is severity))
    )
    parts = [
        f"{counts['pass']} passed",
        f"{counts['fail']} failed" + (f" ({by_severity})" if by_severity else ""),
        f"{counts['not-applicable']} not applicable",
    ]
    if counts["suppressed"]:
        parts.append(f"{counts['suppressed']} suppressed")
    if counts["errors"]:
        parts.append(f"{counts['errors']} unreadable")
    files = counts["files"]
    return ", ".join(parts) + f" in {files} file{'s' if files != 1 else ''}"
