"""The human checklist: one block per file, a mark per check, a summary line."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from policylint.checks import Check, CheckKind
from policylint.model import FileReport, Result, Severity, Status
from policylint.report import Run, summary

Style = Callable[[str], str]

_ESC = "\x1b["
_RESET = "\x1b[0m"
_CODES: Mapping[str, str] = {"green": "32", "red": "31", "yellow": "33", "cyan": "36", "dim": "2", "bold": "1"}
_MARKS: Mapping[Status, tuple[str, str]] = {
    Status.PASS: ("✓", "green"),
    Status.FAIL: ("✗", "red"),
    Status.NOT_APPLICABLE: ("–", "dim"),
}
_SEVERITY_COLOURS: Mapping[Severity, str] = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
_MAX_EVIDENCE_SHOWN = 3
_SUPPRESSED = "⊘"


def _styler(color: bool) -> Callable[[str, str], str]:
    def style(name: str, text: str) -> str:
        return f"{_ESC}{_CODES[name]}m{text}{_RESET}" if color else text

    return style


def format_text(run: Run, *, color: bool = False, verbose: bool = False) -> str:
    """Render the checklist. ``verbose`` also lists every pass's evidence lines."""
    style = _styler(color)
    checks = {check.id: check for check in run.checks}
    blocks = [_file_block(report, checks, style, verbose=verbose) for report in run.reports]
    return "\n".join([*blocks, _summary_line(run, style)]) + "\n"


def _file_block(
    report: FileReport, checks: Mapping[str, Check], style: Callable[[str, str], str], *, verbose: bool
) -> str:
    lines = [style("bold", report.path)]
    if report.error:
        lines.append(f"  {style('red', 'error')}: {report.error}")
        return "\n".join(lines) + "\n"
    width = max((len(r.check) for r in report.results), default=0)
    for result in report.results:
        lines.extend(_result_lines(report.path, result, checks.get(result.check), width, style, verbose=verbose))
    return "\n".join(lines) + "\n"


def _result_lines(
    path: str,
    result: Result,
    check: Check | None,
    width: int,
    style: Callable[[str, str], str],
    *,
    verbose: bool,
) -> list[str]:
    mark, colour = _MARKS[result.status]
    title = check.title if check else result.check
    head = f"  {style(colour, mark)} {result.check.ljust(width)}  {title}"
    anomaly = check is not None and check.kind is CheckKind.ANOMALY
    if result.status is Status.PASS:
        if anomaly or not result.evidence:
            return [head]
        shown = result.evidence if verbose else result.evidence[:1]
        return [head + style("dim", "  " + ", ".join(f"{path}:{e.location.line}" for e in shown))]
    if result.status is Status.NOT_APPLICABLE:
        return [style("dim", f"  {mark} {result.check.ljust(width)}  {title} (not applicable)")]
    if result.suppression is not None:
        return [style("dim", f"  {_SUPPRESSED} {result.check.ljust(width)}  {title} ({_waiver(result)})")]
    severity = style(_SEVERITY_COLOURS[result.severity], result.severity.label)
    out = [f"{head}  [{severity}]"]
    if anomaly:
        out.extend(
            f"      {path}:{e.location.line}:{e.location.column}: {e.message or e.text}"
            for e in result.evidence[: _MAX_EVIDENCE_SHOWN if not verbose else None]
        )
        hidden = len(result.evidence) - _MAX_EVIDENCE_SHOWN
        if hidden > 0 and not verbose:
            out.append(style("dim", f"      … and {hidden} more"))
    else:
        out.append(f"      {result.message}")
    if check is not None:
        out.append(style("dim", f"      fix: {check.remediation}"))
    return out


def _waiver(result: Result) -> str:
    assert result.suppression is not None
    kind = "suppressed" if result.suppression.kind == "inline" else "known"
    return f"{kind}: {result.suppression.reason}" if result.suppression.reason else kind


def _summary_line(run: Run, style: Callable[[str, str], str]) -> str:
    counts = summary(run.reports)
    failed = [r for report in run.reports for r in report.results if r.status is Status.FAIL and not r.suppressed]
    by_severity = ", ".join(
        f"{n} {severity.label}{'s' if n != 1 else ''}"
        for severity in sorted(Severity, reverse=True)
        if (n := sum(1 for r in failed if r.severity is severity))
    )
    files = counts["files"]
    parts = [
        style("green", f"{counts['pass']} passed"),
        style("red" if counts["fail"] else "green", f"{counts['fail']} failed")
        + (f" ({by_severity})" if by_severity else ""),
        f"{counts['not-applicable']} not applicable",
    ]
    if counts["suppressed"]:
        parts.append(style("dim", f"{counts['suppressed']} suppressed"))
    if counts["errors"]:
        parts.append(style("red", f"{counts['errors']} unreadable"))
    return ", ".join(parts) + f" in {files} file{'s' if files != 1 else ''}"
