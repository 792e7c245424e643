"""GitHub Actions workflow commands, plus the Markdown job summary.

Every finding is listed in a folded log group; then come annotations, errors first.
GitHub shows at most 10 error, 10 warning and 10 notice annotations per step (and
drops the rest silently), so policylint stops at that limit and says how many were not
annotated. The job summary (``$GITHUB_STEP_SUMMARY``) carries the full checklist.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from policylint.model import Severity
from policylint.report import Finding, Run, findings, summary_text

ANNOTATIONS_PER_LEVEL = 10
SUMMARY_LIMIT = 1024 * 1024  # GitHub rejects a step summary above 1 MiB
COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """Escape a workflow command's message.

    >>> escape_data("50% done\\nnext")
    '50%25 done%0Anext'
    """
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command's property value (also ``:`` and ``,``).

    >>> escape_property("a,b: c")
    'a%2Cb%3A c'
    """
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(run: Run) -> str:
    """Render the run as GitHub Actions workflow commands."""
    found = findings(run)
    lines = [f"::group::policylint: {len(found)} finding{'s' if len(found) != 1 else ''}"]
    lines += [_log_line(f) for f in found]
    lines += [f"{report.path}: error: {report.error}" for report in run.reports if report.error]
    lines.append("::endgroup::")
    unreadable = [report for report in run.reports if report.error]
    lines += [f"::error file={escape_property(r.path)},title=policylint::{escape_data(r.error)}" for r in unreadable]
    annotations, dropped = _annotations(found)
    lines += annotations
    if dropped:
        lines.append(
            f"policylint: {dropped} more finding{'s' if dropped != 1 else ''} not annotated "
            f"(GitHub shows at most {ANNOTATIONS_PER_LEVEL} annotations of each level per step); "
            "the log group above and the job summary list them all"
        )
    lines.append(summary_text(run.reports))
    return "\n".join(lines) + "\n"


def _log_line(finding: Finding) -> str:
    location = finding.location
    where = f"{finding.path}:{finding.line}" + (f":{location.column}" if location else "")
    return f"{where}: {finding.severity.label} {finding.result.check}: {finding.message}"


def _annotations(found: Sequence[Finding]) -> tuple[list[str], int]:
    out: list[str] = []
    dropped = 0
    for severity in sorted(Severity, reverse=True):
        at_level = [f for f in found if f.severity is severity]
        out.extend(_annotation(f) for f in at_level[:ANNOTATIONS_PER_LEVEL])
        dropped += max(len(at_level) - ANNOTATIONS_PER_LEVEL, 0)
    return out, dropped


def _annotation(finding: Finding) -> str:
    properties = ",".join(f"{key}={escape_property(str(value))}" for key, value in _properties(finding))
    message = finding.message
    if finding.evidence is None and finding.check is not None:
        message += f"\nFix: {finding.check.remediation}"
    return f"::{COMMANDS[finding.severity]} {properties}::{escape_data(message)}"


def _properties(finding: Finding) -> Iterator[tuple[str, object]]:
    yield "file", finding.path
    yield "line", finding.line
    location = finding.location
    if location is not None:
        yield "endLine", location.end_line
        if location.line == location.end_line:  # GitHub ignores columns on multi-line annotations
            yield "col", location.column
            yield "endColumn", location.end_column
    yield "title", f"{finding.result.check}: {finding.title}"


def job_summary(run: Run, limit: int = SUMMARY_LIMIT) -> str:
    """The Markdown job summary: the full checklist, cut to GitHub's size limit."""
    from policylint.report.markdown import format_markdown

    text = format_markdown(run)
    if len(text.encode("utf-8")) <= limit:
        return text
    note = "\n\n_(cut: the summary is larger than GitHub's 1 MiB limit; see the log)_\n"
    budget = limit - len(note.encode("utf-8"))
    return text.encode("utf-8")[:budget].decode("utf-8", "ignore").rsplit("\n", 1)[0] + note
