"""Markdown for pull-request comments and job summaries: a checklist table per file."""

from __future__ import annotations

from collections.abc import Mapping

from policylint.checks import Check, CheckKind
from policylint.model import FileReport, Result, Status
from policylint.report import Run, occurrence, summary, summary_text

MARKS = {Status.PASS: "✅", Status.FAIL: "❌", Status.NOT_APPLICABLE: "➖"}
SUPPRESSED = "⊘"
MAX_OCCURRENCES = 10


def cell(text: str) -> str:
    """Make text safe inside a GitHub-flavoured Markdown table cell.

    >>> cell("a | b <br>\\nc & d")
    'a \\\\| b &lt;br&gt; c &amp; d'
    """
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return " ".join(text.replace("|", "\\|").split())


def format_markdown(run: Run) -> str:
    """Render the run as Markdown: a summary line, then one table per file."""
    checks = {check.id: check for check in run.checks}
    parts = ["## policylint", "", f"**{summary_text(run.reports)}**", ""]
    for report in run.reports:
        parts += _file(report, checks)
    return "\n".join(parts).rstrip("\n") + "\n"


def _file(report: FileReport, checks: Mapping[str, Check]) -> list[str]:
    lines = [f"### {cell(report.path)}", ""]
    if report.error:
        return [*lines, f"⚠️ Could not be read: {cell(report.error)}", ""]
    counts = summary([report])
    tally = f"{counts['pass']} passed, {counts['fail']} failed, {counts['not-applicable']} not applicable"
    lines += [tally + (f", {counts['suppressed']} suppressed" if counts["suppressed"] else ""), ""]
    lines += ["| | Check | Severity | Details |", "|:-:|---|---|---|"]
    lines += [_row(report.path, result, checks.get(result.check)) for result in report.results]
    return [*lines, ""]


def _row(path: str, result: Result, check: Check | None) -> str:
    title = check.title if check else result.check
    mark = SUPPRESSED if result.suppressed else MARKS[result.status]
    name = f"`{result.check}` {cell(title)}"
    return f"| {mark} | {name} | {result.severity.label} | {_details(path, result, check)} |"


def _details(path: str, result: Result, check: Check | None) -> str:
    if result.status is Status.NOT_APPLICABLE:
        return "not applicable"
    if result.suppression is not None:
        what = "suppressed" if result.suppression.kind == "inline" else "in the baseline"
        return cell(f"{what}: {result.suppression.reason}" if result.suppression.reason else what)
    anomaly = check is not None and check.kind is CheckKind.ANOMALY
    if result.status is Status.PASS:
        return "" if anomaly or not result.evidence else f"line {result.evidence[0].location.line}"
    if not result.evidence:
        fix = f"<br>**Fix:** {cell(check.remediation)}" if check else ""
        return cell(result.message) + fix
    shown = [f"line {e.location.line}: {cell(occurrence(e, result))}" for e in result.evidence[:MAX_OCCURRENCES]]
    hidden = len(result.evidence) - MAX_OCCURRENCES
    return "<br>".join(shown) + (f"<br>… and {hidden} more" if hidden > 0 else "")
