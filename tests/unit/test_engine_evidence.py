"""Disclosure evidence: section rules, contents entries and overlapping spans."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policylint import engine
from policylint.checks import Check, Rule, parse_check
from policylint.detectors import Context
from policylint.document import parse_document
from policylint.engine import evaluate_check
from policylint.model import Document, Status


def _check(rules: list[dict[str, Any]], limit: int = 3) -> Check:
    raw = {
        "id": "test.cookies",
        "title": "Cookies",
        "description": "A test check about cookies.",
        "severity": "error",
        "kind": "disclosure",
        "profiles": ["recommended"],
        "references": [{"citation": "none"}],
        "remediation": "Say whether cookies are used.",
        "evidence_limit": limit,
        "require": rules,
        "examples": {"pass": ["We use cookies."], "fail": ["Nothing."]},
    }
    return parse_check(raw, "<test>")


def _lines(text: str, check: Check) -> list[tuple[int, int]]:
    result = evaluate_check(parse_document(text, "text"), check, Context())
    assert result.status is Status.PASS
    return [(e.location.line, e.location.end_line) for e in result.evidence]


def test_section_rule_gives_the_heading_and_the_first_sentence_under_it() -> None:
    check = _check([{"section": ["cookies"]}])
    assert _lines("Intro line.\n\n## Cookies\n\nWe set two cookies. They expire in a day.\n", check) == [(3, 5)]


def test_section_rule_ignores_a_heading_with_nothing_under_it() -> None:
    check = _check([{"section": ["cookies"]}])
    result = evaluate_check(parse_document("## Cookies\n\n## Contact\n\nWrite to us.\n", "text"), check, Context())
    assert result.status is Status.FAIL


def test_contents_entry_comes_after_the_body() -> None:
    text = "## Contents\n## How we use cookies\n## Contact us\n\nIntro text here.\n\n## Cookies\n\nWe use cookies daily.\n"
    check = _check([{"phrases": ["cookie*"]}])
    lines = _lines(text, check)
    # The real heading (line 7, extended to the sentence under it) comes first; the contents
    # entry on line 2 comes last; the body sentence overlaps the first span and is not repeated.
    assert lines == [(7, 9), (2, 2)]


def test_overlapping_spans_are_reported_once() -> None:
    # The heading hit extends to the sentence under it, which the second rule also finds.
    check = _check([{"phrases": ["cookies"]}, {"phrases": ["daily"]}])
    assert _lines("## Cookies\n\nWe use them daily.\n", check) == [(1, 3)]


def test_builtin_cookie_check_prefers_the_cookie_section_over_earlier_mentions() -> None:
    from policylint.checks import load_checks

    check = next(c for c in load_checks() if c.id == "cookies.disclosed")
    text = (
        "# Privacy\n\nWe collect data automatically, including through the use of cookies (see below).\n\n"
        "## Sharing\n\nWe share data with processors.\n\n"
        "## Cookies\n\nA cookie is a small text file that we place on your device.\n"
    )
    assert _lines(text, check)[0] == (11, 11)


def test_later_rules_are_not_evaluated_once_the_evidence_is_complete(monkeypatch: pytest.MonkeyPatch) -> None:
    evaluated: list[Rule] = []
    original = engine.rule_hits

    def spy(doc: Document, rule: Rule, context: Context, scan: engine.Scan | None = None) -> Iterator[engine.Hit]:
        evaluated.append(rule)
        return original(doc, rule, context, scan)

    monkeypatch.setattr(engine, "rule_hits", spy)
    check = _check([{"phrases": ["cookies"]}, {"phrases": ["daily"]}], limit=1)
    assert _lines("We use cookies.\n\nWe run daily.\n", check) == [(1, 1)]
    assert evaluated == [check.rules[0]]
    evaluated.clear()
    assert _lines("## Cookies\n\n## Other\n\nWe run daily.\n", check) == [(5, 5)]  # a contents entry is not enough
    assert evaluated == list(check.rules)


def test_a_rule_stops_filtering_its_hits_once_the_evidence_is_complete(monkeypatch: pytest.MonkeyPatch) -> None:
    kept: list[int] = []
    original = engine._keeps

    def spy(scan: engine.Scan, rule: Rule, hit: engine.Hit) -> bool:
        kept.append(hit.start)
        return original(scan, rule, hit)

    monkeypatch.setattr(engine, "_keeps", spy)
    check = _check([{"regex": ["daily", "cookies"], "unless": ["never"]}], limit=2)
    text = "We use cookies daily. Cookies run daily.\n\nMore cookies, daily.\n\nCookies again."
    assert _lines(text, check) == [(1, 1), (1, 1)]  # two sentences of line 1
    assert len(kept) == 3  # "cookies", "daily" (same sentence), "Cookies": the second sentence; no more


SENTENCES = ["We use cookies.", "## Cookies", "They run daily.", "Cookies and beacons run daily.", "Nothing here.",
             "We share data.", "## Sharing", "Beacons too."]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(SENTENCES), max_size=12).map("\n\n".join), st.integers(min_value=1, max_value=4))
def test_evidence_from_the_rules_needed_equals_evidence_from_all_rules(text: str, limit: int) -> None:
    check = _check(
        [
            {"phrases": ["beacons"]},
            {"regex": ["daily", r"\bcookies?\b", "run"], "unless": ["share"]},  # three patterns, merged in order
            {"phrases": ["cookie*"]},
            {"phrases": ["daily", "share"]},
        ],
        limit=limit,
    )
    doc = parse_document(text, "text")
    scan = engine.Scan(doc, Context())
    every = engine._check_hits(doc, check, scan, None)
    result = evaluate_check(doc, check, Context())
    assert result.evidence == (engine._disclosure_evidence(doc, every, limit) if every else ())
