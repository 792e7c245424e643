"""SARIF 2.1.0, as GitHub code scanning accepts it.

One rule per check that ran; one result per failure: each anomaly occurrence, and each
missing disclosure (pinned to the file's first heading, or line 1, since code scanning
needs a line). Waived failures carry ``suppressions``; baselined ones are left out.
No timestamps or absolute paths, so the output is stable across runs.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote

from policylint import __version__
from policylint.checks import Check
from policylint.model import FileReport, Severity
from policylint.report import Finding, Run, findings

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "policylint/v1"
GITHUB_TEXT_LIMIT = 1024  # GitHub truncates rule descriptions and help text longer than this
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def format_sarif(run: Run) -> str:
    """Render the run as a SARIF 2.1.0 log."""
    shown = [f for f in findings(run, suppressed=True) if not _baselined(f)]
    rules = sorted({check.id: check for check in run.checks}.values(), key=lambda c: c.id)
    index = {check.id: i for i, check in enumerate(rules)}
    sarif_run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "policylint",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": [_rule(check) for check in rules],
            }
        },
        "columnKind": "unicodeCodePoints",
        "results": [_result(f, index) for f in shown],
    }
    errors = [report for report in run.reports if report.error]
    if errors:
        sarif_run["invocations"] = [_invocation(errors)]
    log = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [sarif_run]}
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _baselined(finding: Finding) -> bool:
    return finding.result.suppression is not None and finding.result.suppression.kind == "baseline"


def rule_name(check_id: str) -> str:
    """A CamelCase name for a check id.

    >>> rule_name("anomaly.email-domain-typo")
    'AnomalyEmailDomainTypo'
    """
    return "".join(part.capitalize() for part in re.split(r"[.\-_]", check_id) if part)


def _rule(check: Check) -> dict[str, Any]:
    rule: dict[str, Any] = {
        "id": check.id,
        "name": rule_name(check.id),
        "shortDescription": {"text": _clip(check.title)},
        "fullDescription": {"text": _clip(check.description)},
        "help": {"text": _clip(_help_text(check)), "markdown": _help_markdown(check)},
        "defaultConfiguration": {"level": LEVELS[check.severity]},
        "properties": {"tags": sorted({check.kind.value, check.id.split(".")[0], *check.profiles})},
    }
    url = next((ref.url for ref in check.references if ref.url), "")
    if url:
        rule["helpUri"] = url
    return rule


def _help_text(check: Check) -> str:
    """How to fix, then citations (the description is already the rule's fullDescription)."""
    refs = "; ".join(ref.citation for ref in check.references)
    return f"How to fix: {check.remediation}" + (f"\n\nReferences: {refs}" if refs else "")


def _help_markdown(check: Check) -> str:
    lines = [f"**{check.title}** (`{check.id}`)", "", check.description, "", f"**How to fix:** {check.remediation}"]
    if check.references:
        lines += ["", "**References:**", ""]
        lines += [f"- [{ref.citation}]({ref.url})" if ref.url else f"- {ref.citation}" for ref in check.references]
    return "\n".join(lines)


def _clip(text: str) -> str:
    text = text.strip()
    return text if len(text) <= GITHUB_TEXT_LIMIT else text[: GITHUB_TEXT_LIMIT - 1].rstrip() + "…"


def _result(finding: Finding, index: dict[str, int]) -> dict[str, Any]:
    check_id = finding.result.check
    out: dict[str, Any] = {"ruleId": check_id}
    if check_id in index:
        out["ruleIndex"] = index[check_id]
    out |= {
        "level": LEVELS[finding.severity],
        "message": {"text": _message(finding)},
        "locations": [
            {"physicalLocation": {"artifactLocation": {"uri": uri(finding.path)}, "region": _region(finding)}}
        ],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
    }
    if finding.result.suppression is not None:
        out["suppressions"] = [{"kind": "inSource", "justification": finding.result.suppression.reason}]
    return out


def _message(finding: Finding) -> str:
    if finding.evidence is None and finding.check is not None:
        return f"{finding.message}. Fix: {finding.check.remediation}"
    return finding.message


def _region(finding: Finding) -> dict[str, int]:
    location = finding.location
    if location is None:
        return {"startLine": finding.line}
    return {
        "startLine": location.line,
        "startColumn": location.column,
        "endLine": location.end_line,
        "endColumn": location.end_column + 1,  # SARIF's end column is exclusive
    }


def uri(path: str) -> str:
    """A relative URI reference for a POSIX path.

    >>> uri("legal/privacy policy.md")
    'legal/privacy%20policy.md'
    """
    return quote(path.replace("\\", "/"), safe="/-._~")


def _invocation(errors: list[FileReport]) -> dict[str, Any]:
    return {
        "executionSuccessful": False,
        "toolExecutionNotifications": [
            {
                "level": "error",
                "message": {"text": f"{report.path}: {report.error}"},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri(report.path)}}}],
            }
            for report in errors
        ],
    }
