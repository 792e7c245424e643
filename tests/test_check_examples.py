"""Every built-in check's embedded examples produce the status they claim.

A check file carries ``examples``: texts that must pass, fail or be not applicable. For a
disclosure check, ``pass`` means the disclosure is found; for an anomaly check, ``pass``
means the text is clean (status ``pass``) and ``fail`` means the anomaly is flagged (status
``fail``). Each example is parsed as plain text and evaluated on its own.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from policylint.checks import Check, load_checks
from policylint.detectors import Context
from policylint.document import parse_document
from policylint.engine import evaluate_check
from policylint.model import Status

CHECKS = load_checks()

# The core disclosures of shared/CHECKS.md: each documents its hard cases with examples.
CORE_IDS = (
    "children.policy",
    "contact.address",
    "email.unsubscribe",
    "cookies.disclosed",
    "cookies.persistence",
    "collection.categories",
    "sharing.third-parties",
    "tracking.third-party",
    "rights.access",
    "changes.notice",
    "policy.effective-date",
    "dnt.response",
    "security.measures",
    "retention.period",
)
CONDITIONAL_IDS = ("email.unsubscribe", "cookies.persistence")
MIN_EXAMPLES = 3


def _examples(check: Check) -> Iterator[tuple[str, int, str, Status]]:
    groups = (
        ("pass", check.examples.passing, Status.PASS),
        ("fail", check.examples.failing, Status.FAIL),
        ("not_applicable", check.examples.not_applicable, Status.NOT_APPLICABLE),
    )
    for kind, texts, status in groups:
        for index, text in enumerate(texts):
            yield kind, index, text, status


def _cases() -> Iterator[object]:
    for check in CHECKS:
        for kind, index, text, status in _examples(check):
            yield pytest.param(check, text, status, id=f"{check.id}::{kind}[{index}]")


@pytest.mark.parametrize(("check", "text", "expected"), list(_cases()))
def test_example(check: Check, text: str, expected: Status) -> None:
    doc = parse_document(text, "text")
    result = evaluate_check(doc, check, Context())
    evidence = "; ".join(f"line {e.location.line}: {e.text}" for e in result.evidence)
    assert result.status is expected, (
        f"{check.id} ({check.source}): expected {expected.value}, got {result.status.value}"
        f" for {text!r}" + (f" [evidence: {evidence}]" if evidence else "")
    )


@pytest.mark.parametrize("check_id", CORE_IDS)
def test_core_check_is_documented(check_id: str) -> None:
    by_id = {check.id: check for check in CHECKS}
    assert check_id in by_id, f"core check {check_id} is missing"
    check = by_id[check_id]
    assert len(check.examples.passing) >= MIN_EXAMPLES, f"{check_id}: fewer than {MIN_EXAMPLES} pass examples"
    assert len(check.examples.failing) >= MIN_EXAMPLES, f"{check_id}: fewer than {MIN_EXAMPLES} fail examples"
    assert check.references, f"{check_id}: no references"
    if check_id in CONDITIONAL_IDS:
        assert check.when, f"{check_id}: a conditional check needs a `when` condition"
        assert check.examples.not_applicable, f"{check_id}: no not_applicable examples"
