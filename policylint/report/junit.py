"""JUnit XML: one test suite per file, one test case per check, so that CI test tabs
show the whole checklist. Failures carry the message and where (or how to fix);
not-applicable and waived checks are skipped; an unreadable file is an error.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping

from policylint.checks import Check
from policylint.model import FileReport, Result, Status
from policylint.report import Run, occurrence, summary

# Characters XML 1.0 cannot carry at all (escaping does not help).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def format_junit(run: Run) -> str:
    """Render the run as a JUnit XML report."""
    checks = {check.id: check for check in run.checks}
    counts = summary(run.reports)
    tests = sum(max(len(report.results), 1) for report in run.reports)
    root = ET.Element(
        "testsuites",
        name="policylint",
        tests=str(tests),
        failures=str(counts["fail"]),
        errors=str(counts["errors"]),
        skipped=str(counts["not-applicable"] + counts["suppressed"]),
    )
    for report in run.reports:
        root.append(_suite(report, checks))
    for element in root.iter():
        element.attrib = {key: _NOT_XML.sub("", value) for key, value in element.attrib.items()}
        element.text = _NOT_XML.sub("", element.text) if element.text else element.text
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _suite(report: FileReport, checks: Mapping[str, Check]) -> ET.Element:
    counts = summary([report])
    suite = ET.Element(
        "testsuite",
        name=report.path,
        tests=str(max(len(report.results), 1)),
        failures=str(counts["fail"]),
        errors=str(counts["errors"]),
        skipped=str(counts["not-applicable"] + counts["suppressed"]),
    )
    if report.error:
        case = ET.SubElement(suite, "testcase", classname=report.path, name="read", file=report.path)
        ET.SubElement(case, "error", message=report.error, type="unreadable")
        return suite
    for result in report.results:
        suite.append(_case(report.path, result, checks.get(result.check)))
    return suite


def _case(path: str, result: Result, check: Check | None) -> ET.Element:
    title = check.title if check else result.check
    case = ET.Element("testcase", classname=path, name=f"{result.check}: {title}", file=path)
    if result.evidence:
        case.set("line", str(result.evidence[0].location.line))
    if result.status is Status.NOT_APPLICABLE:
        ET.SubElement(case, "skipped", message=result.message)
    elif result.suppression is not None:
        reason = result.suppression.reason
        what = "suppressed" if result.suppression.kind == "inline" else "in the baseline"
        ET.SubElement(case, "skipped", message=f"{what}: {reason}" if reason else what)
    elif result.status is Status.FAIL:
        failure = ET.SubElement(case, "failure", message=result.message, type=result.severity.label)
        failure.text = _details(path, result, check)
    return case


def _details(path: str, result: Result, check: Check | None) -> str:
    lines = [f"{path}:{e.location.line}:{e.location.column}: {occurrence(e, result)}" for e in result.evidence]
    if not result.evidence:
        lines.append(result.message)
    if check is not None:
        lines.append(f"How to fix: {check.remediation}")
        lines.extend(f"Reference: {ref.citation}" + (f" <{ref.url}>" if ref.url else "") for ref in check.references)
    return "\n".join(lines)
