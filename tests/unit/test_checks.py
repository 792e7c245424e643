"""Loading and validating check files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from policylint.checks import CheckError, CheckKind, compile_terms, load_check_file, load_checks

VALID = """\
id: acme.dpo
title: Names a Data Protection Officer
description: The policy names a data protection officer and how to reach them.
severity: warning
kind: disclosure
profiles: [acme]
references:
  - citation: GDPR Art. 37-39
remediation: Add "Our Data Protection Officer can be reached at dpo@example.com."
require:
  - phrases: [data protection officer, DPO]
examples:
  pass: ["Contact our Data Protection Officer."]
  fail: ["Contact us."]
"""


def write(tmp_path: Path, text: str, name: str = "check.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_valid_check_loads(tmp_path: Path) -> None:
    check = load_check_file(write(tmp_path, VALID))
    assert (check.id, check.kind, check.severity.label, check.profiles) == (
        "acme.dpo",
        CheckKind.DISCLOSURE,
        "warning",
        ("acme",),
    )


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("severity: warning", "severity: fatal"), r"check.yaml:4: \$\.severity: 'fatal' is not one of"),
        (("id: acme.dpo", "id: Acme DPO"), r"check.yaml:1: \$\.id: 'Acme DPO' does not match"),
        (
            ("  - phrases: [data protection officer, DPO]", "  - phrases: []"),
            r"check.yaml:11: \$\.require\[0\]\.phrases: \[\] should be non-empty",
        ),
        (
            ("  - phrases: [data protection officer, DPO]", "  - regex: '(unclosed'"),
            r"check.yaml:11: \$\.require\[0\]\.regex\[0\]: invalid regular expression",
        ),
        (
            ("profiles: [acme]\n", "profiles: [acme]\nunknown: 1\n"),
            r"check.yaml:1: \$: Additional properties are not allowed \('unknown' was unexpected\)",
        ),
        (("title: Names", "title: [Names"), r"check.yaml:\d+: \$: invalid YAML"),
    ],
)
def test_invalid_check_reports_file_line_and_json_path(tmp_path: Path, edit: tuple[str, str], message: str) -> None:
    path = write(tmp_path, VALID.replace(*edit))
    with pytest.raises(CheckError) as info:
        load_check_file(path, "check.yaml")
    assert re.match(message, str(info.value)), str(info.value)


def test_yaml_aliases_are_refused(tmp_path: Path) -> None:
    bomb = VALID + "x: &a [1, 2]\ny: [*a, *a]\n"
    with pytest.raises(CheckError, match="aliases"):
        load_check_file(write(tmp_path, bomb))


def test_custom_check_cannot_silently_replace_a_builtin(tmp_path: Path) -> None:
    text = VALID.replace("id: acme.dpo", "id: children.policy")
    path = write(tmp_path, text)
    with pytest.raises(CheckError, match="overrides: true"):
        load_checks([path])
    write(tmp_path, text + "overrides: true\n")
    assert next(c for c in load_checks([path]) if c.id == "children.policy").title == "Names a Data Protection Officer"


@pytest.mark.parametrize(
    ("phrase", "text", "found"),
    [
        ("opt-out", "you may opt out at any time", True),
        ("opt-out", "you may optout", True),
        ("cookie*", "we set Cookies", True),
        ("child", "childcare", False),
        ("do not track", "Do  Not\tTrack", True),
        ("children's", "children’s data", True),
        ("do not track", "do not\n\ntrack", False),
    ],
)
def test_phrases_are_word_bounded_and_tolerant(phrase: str, text: str, found: bool) -> None:
    assert bool(compile_terms([phrase]).search(text)) is found


def test_builtin_catalogue_loads_and_ids_are_unique() -> None:
    checks = load_checks()
    assert len({c.id for c in checks}) == len(checks) > 0


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Example Ltd, 1 High Street, London", True),
        ("10 DOWNING STREET", True),
        ("Pexels GmbH Franz-Schubert-Str. 20, 34277 Fuldabrück", True),
        ("GmbHDufourstrasse 101, 8008 Zurich", True),  # words run together by the extraction
        ("Hauptstraße 5", True),
        ("PO Box 42", True),
        ("In 2018 we put in place new safeguards.", False),
        ("During 2023 we updated this policy.", False),
        ("Spring 2024 release notes", False),
        ("users over 13 in a way that suits them", False),
    ],
)
def test_controller_postal_address_wants_capitalised_street_names(text: str, found: bool) -> None:
    check = next(c for c in load_checks() if c.id == "gdpr.controller-contact")
    addresses = [terms for terms in check.rules[0].patterns if "Street" in terms.source or "stra" in terms.source]
    assert len(addresses) == 2  # streets and PO boxes; German streets (scanned in full) apart
    assert any(address.search(text) for address in addresses) is found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Example AG, registered in Munich, operates this site.", True),
        ("Zerodha is a member of NSE and BSE, registered with SEBI.", False),  # "SE" inside "BSE" is no company
        ("Acme OÜ, registered in Tallinn", True),
    ],
)
def test_controller_company_suffix_starts_a_word(text: str, found: bool) -> None:
    check = next(c for c in load_checks() if c.id == "gdpr.controller-identity")
    suffix = next(terms for rule in check.rules for terms in rule.patterns if terms.source.startswith(r"\b(?:Inc") and
                  "registered" in terms.source)
    assert bool(suffix.search(text)) is found
