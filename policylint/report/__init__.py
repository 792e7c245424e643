"""Output formats. Each formatter turns file reports into a string; none prints."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from policylint.checks import Check
from policylint.model import FileReport, Status


@dataclass(frozen=True, slots=True)
class Run:
    """Everything a formatter needs: the per-file reports and the checks that ran."""

    reports: tuple[FileReport, ...]
    checks: tuple[Check, ...]


def summary(reports: Sequence[FileReport]) -> dict[str, int]:
    """Count statuses and unreadable files."""
    counts = Counter(result.status for report in reports for result in report.results)
    return {
        "files": len(reports),
        "errors": sum(1 for report in reports if report.error),
        "pass": counts[Status.PASS],
        "fail": counts[Status.FAIL],
        "not-applicable": counts[Status.NOT_APPLICABLE],
    }
