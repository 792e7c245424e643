"""`excuse`: a check that would fail is not-applicable when the policy says why it does not apply."""

from __future__ import annotations

from typing import Any

from policylint.checks import parse_check
from policylint.detectors import Context
from policylint.document import parse_document
from policylint.engine import evaluate_check
from policylint.model import Status


def _check(kind: str = "disclosure", **extra: Any) -> dict[str, Any]:
    raw: dict[str, Any] = {
        "id": "demo.limit",
        "title": "Right to limit",
        "description": "Describes the right to limit sensitive data.",
        "severity": "error",
        "kind": kind,
        "profiles": ["demo"],
        "references": [{"citation": "Cal. Civ. Code 1798.121"}],
        "remediation": "Describe the right to limit.",
        "when": [{"phrases": ["sensitive"]}],
        "excuse": [{"phrases": ["only for permitted purposes"]}],
        "examples": {"pass": ["x"], "fail": ["y"]},
    }
    raw["detect" if kind == "anomaly" else "require"] = [{"phrases": ["right to limit"]}]
    raw.update(extra)
    return raw


def _status(text: str, kind: str = "disclosure") -> Status:
    check = parse_check(_check(kind), "demo.yaml")
    return evaluate_check(parse_document(text, "text"), check, Context()).status


def test_excuse_turns_a_failure_into_not_applicable() -> None:
    assert _status("We use sensitive data only for permitted purposes.") is Status.NOT_APPLICABLE


def test_without_the_excuse_the_check_fails() -> None:
    assert _status("We collect sensitive data.") is Status.FAIL


def test_a_disclosure_that_is_found_still_passes() -> None:
    text = "We use sensitive data only for permitted purposes. You also have the right to limit its use."
    assert _status(text) is Status.PASS


def test_when_is_checked_first() -> None:
    assert _status("We use your data only for permitted purposes.") is Status.NOT_APPLICABLE


def test_an_excused_anomaly_is_not_applicable() -> None:
    assert _status("Sensitive data: right to limit. Only for permitted purposes.", "anomaly") is Status.NOT_APPLICABLE
    assert _status("Sensitive data: right to limit.", "anomaly") is Status.FAIL
    assert _status("Sensitive data only for permitted purposes.", "anomaly") is Status.PASS
