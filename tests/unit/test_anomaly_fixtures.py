"""The anomaly checks on a Markdown and an HTML policy: evidence at the right line and column.

Lines and columns are those of the original file (1-based), for the visible text of a
finding, or for the markup of a link target that is not visible.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from policylint.checks import Check, load_check_file
from policylint.detectors import Context
from policylint.document import load_document
from policylint.engine import evaluate
from policylint.model import Status

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
CONTEXT = Context(today=date(2026, 6, 1))

Evidence = set[tuple[int, int, str]]


@pytest.fixture(scope="module")
def checks() -> list[Check]:
    return [load_check_file(path) for path in sorted((ROOT / "checks" / "anomaly").glob("*.yaml"))]


MARKDOWN: dict[str, Evidence] = {
    "anomaly.email-domain-typo": {(20, 1, "privacy@acme-widgtes.com")},
    "anomaly.empty-link": {(20, 64, "[](https://acme-widgets.com/opt-out)")},
    "anomaly.link-text-mismatch": {(19, 11, "privacy@acme-widgets.com")},
    "anomaly.malformed-email": {(20, 32, "help@acme-widgets..com")},
    "anomaly.obsolete-reference": {(15, 32, "Safe Harbor")},
    "anomaly.stale-date": {(3, 15, "March 3, 2014")},
    "anomaly.template-artifact": {(11, 5, "layout-u-3-4")},
}

HTML: dict[str, Evidence] = {
    "anomaly.email-domain-typo": {(19, 26, "privacy@acme-widgtes.com")},  # the hidden mailto: target
    "anomaly.empty-link": {(20, 27, '<a href="https://acme-widgets.com/opt-out"></a>')},
    "anomaly.link-text-mismatch": {(18, 58, "privacy@acme-widgets.com")},
    "anomaly.malformed-email": {(19, 79, "info@acme-widgets.comif")},  # not the one in the <script>
    "anomaly.obsolete-reference": {(15, 9, "Privacy Shield"), (16, 38, "Privacy Shield")},
    "anomaly.stale-date": {(11, 33, "1 January 2010")},
    "anomaly.template-artifact": {(13, 44, "[COMPANY NAME]")},  # not the <!-- wp: --> comment
}


@pytest.mark.parametrize(("name", "expected"), [("anomalies.md", MARKDOWN), ("anomalies.html", HTML)])
def test_evidence_locations(checks: list[Check], name: str, expected: dict[str, Evidence]) -> None:
    doc = load_document(FIXTURES / name)
    results = {result.check: result for result in evaluate(doc, checks, CONTEXT)}
    assert {check for check, result in results.items() if result.status is Status.FAIL} == set(expected)
    for check, evidence in expected.items():
        found = {(e.location.line, e.location.column, e.text) for e in results[check].evidence}
        assert found == evidence, check
