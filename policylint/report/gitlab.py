"""GitLab Code Quality JSON (``artifacts: reports: codequality:``).

One issue per failure; waived and baselined failures are left out. Fingerprints hash the
check id, path and evidence text (never the line), so an issue keeps its identity when
the file is edited elsewhere, and identical occurrences stay distinct.
"""

from __future__ import annotations

import json
from typing import Any

from policylint.model import Severity
from policylint.report import Finding, Run, findings

SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def format_gitlab(run: Run) -> str:
    """Render the run as a GitLab Code Quality report."""
    return json.dumps([_issue(f) for f in findings(run)], indent=2, ensure_ascii=False) + "\n"


def _issue(finding: Finding) -> dict[str, Any]:
    description = finding.message
    if finding.evidence is None and finding.check is not None:
        description += f". Fix: {finding.check.remediation}"
    return {
        "type": "issue",
        "description": description,
        "check_name": finding.result.check,
        "fingerprint": finding.fingerprint,
        "severity": SEVERITIES[finding.severity],
        "location": {"path": finding.path, "lines": {"begin": finding.line}},
    }
