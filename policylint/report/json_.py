"""The JSON report: the public contract described by ``schemas/report.schema.json``."""

from __future__ import annotations

import json
from typing import Any

from policylint.model import Evidence, FileReport, Result
from policylint.report import Run, summary

REPORT_VERSION = 1


def format_json(run: Run) -> str:
    """Render the run as the versioned JSON report."""
    titles = {check.id: check.title for check in run.checks}
    document = {
        "version": REPORT_VERSION,
        "files": [_file(report, titles) for report in run.reports],
        "summary": summary(run.reports),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _file(report: FileReport, titles: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {"path": report.path, "results": [_result(r, titles) for r in report.results]}
    if report.error:
        out["error"] = report.error
    return out


def _result(result: Result, titles: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "check": result.check,
        "title": titles.get(result.check, result.check),
        "status": result.status.value,
        "severity": result.severity.label,
        "message": result.message,
        "evidence": [_evidence(e) for e in result.evidence],
    }
    if result.suppression is not None:
        out["suppressed"] = True
        out["suppression"] = {"kind": result.suppression.kind, "reason": result.suppression.reason}
    return out


def _evidence(evidence: Evidence) -> dict[str, Any]:
    location = evidence.location
    out: dict[str, Any] = {
        "line": location.line,
        "end_line": location.end_line,
        "column": location.column,
        "end_column": location.end_column,
        "text": evidence.text,
    }
    if evidence.message:
        out["message"] = evidence.message
    return out
