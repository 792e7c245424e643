"""obsolete-reference: defunct frameworks and bodies, not the other senses of their names."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from policylint.detectors import DetectorError
from policylint.detectors.obsolete import FRAMEWORKS, obsolete_reference

Detect = Callable[..., list[Any]]  # the ``detect`` fixture of conftest.py


def mentions(detect: Detect, framework: str, text: str, fmt: str = "text") -> list[tuple[str, int, int]]:
    found = detect(obsolete_reference, text, fmt, params={"framework": framework})
    return [(f.token, f.line, f.column) for f in found]


@pytest.mark.parametrize(
    ("framework", "text", "expected"),
    [
        (
            "safe-harbor",
            "Acme complies with the U.S.-EU Safe Harbor Framework as set forth by the U.S. Department of Commerce.",
            [("Safe Harbor", 1, 32)],
        ),
        ("safe-harbor", "We participate in the Swiss-US Safe Harbour programme.", [("Safe Harbour", 1, 32)]),
        (
            "privacy-shield",
            "We participate in the EU-U.S. Privacy Shield Framework; see https://www.privacyshield.gov/list.",
            [("Privacy Shield", 1, 31), ("https://www.privacyshield.gov/list", 1, 61)],
        ),
        (
            "directive-95-46",
            "Transfers comply with the European Commission Data Protection Directive (95/46/EC).",
            [("Data Protection Directive", 1, 47), ("95/46/EC", 1, 74)],
        ),
        ("truste", "Acme has been awarded TRUSTe's Privacy Seal.", [("TRUSTe", 1, 23)]),
        ("truste", "Opt out at http://preferences.truste.com/preference.html.", [("http://preferences.truste.com/preference.html", 1, 12)]),
        ("casro", "Acme is a member of the Council of American Survey Research Organizations (CASRO).", [("Council of American Survey Research Organizations", 1, 25), ("CASRO", 1, 76)]),
        ("article-29-working-party", "You may complain to the Article 29 Working Party.", [("Article 29 Working Party", 1, 25)]),
        ("old-sccs", "We use the standard contractual clauses of Decision 2010/87/EU.", [("2010/87/EU", 1, 53)]),
        ("old-sccs", "Transfers rely on Commission Decision C(2010) 593.", [("C(2010) 593", 1, 39)]),
        ("uk-dpa-1998", "We are registered under the Data Protection Act 1998.", [("Data Protection Act 1998", 1, 29)]),
        ("swiss-fadp-1992", "We comply with the Federal Act on Data Protection of 19 June 1992.", [("Federal Act on Data Protection of 19 June 1992", 1, 20)]),
        ("ttdsg", "Cookies are set under § 25 TTDSG.", [("TTDSG", 1, 28)]),
        ("ccpa-999-regulations", "As required by 11 CCR § 999.308, we list the categories.", [("11 CCR § 999.308", 1, 16)]),
    ],
)
def test_flags_every_mention(detect: Detect, framework: str, text: str, expected: list[tuple[str, int, int]]) -> None:
    assert mentions(detect, framework, text + "\n") == expected


@pytest.mark.parametrize(
    ("framework", "text"),
    [
        pytest.param("safe-harbor", "Our children's site is certified by an FTC-approved COPPA safe harbor program run by kidSAFE.", id="coppa"),
        pytest.param("safe-harbor", "Our DMCA safe harbor agent receives notices of copyright infringement.", id="dmca"),
        pytest.param(
            "safe-harbor", "Transfers of data from kids are covered by our COPPA safe harbor certification.", id="coppa-transfer"
        ),
        pytest.param("safe-harbor", "Health data is de-identified under the HIPAA safe harbor method.", id="hipaa"),
        pytest.param("safe-harbor", "Forward-looking statements fall under the safe harbor of the Private Securities Litigation Reform Act.", id="securities"),
        pytest.param("safe-harbor", "We formerly relied on the EU-US Safe Harbor framework, which was invalidated in 2015.", id="historical"),
        pytest.param("privacy-shield", "We previously participated in the EU-U.S. Privacy Shield.", id="previously"),
        pytest.param("privacy-shield", "Although the Privacy Shield has been ruled invalid, we keep its safeguards.", id="ruled-invalid"),
        pytest.param("privacy-shield", "We do not rely on the Privacy Shield for transfers.", id="does-not-rely"),
        pytest.param("directive-95-46", "The ePrivacy Directive 2002/58/EC governs cookies.", id="eprivacy"),
        pytest.param("directive-95-46", "The GDPR replaced the Data Protection Directive in 2018.", id="replaced"),
        pytest.param("truste", "TrustArc (formerly TRUSTe) reviewed this policy.", id="formerly"),
        pytest.param("truste", "TrustArc, the company once called TRUSTe, certifies us.", id="trustarc-named"),
        pytest.param("truste", "Our trustees and trusted partners protect your data.", id="trustee"),
        pytest.param("truste", "See http://www.verisign.com/truste for the certificate.", id="path-of-other-site"),
        pytest.param("article-29-working-party", "We follow the Article 29 Working Party guidelines on transparency (WP260).", id="wp29-guidelines"),
        pytest.param("casro", "We follow the Insights Association Code.", id="successor"),
    ],
)
def test_does_not_flag(detect: Detect, framework: str, text: str) -> None:
    assert mentions(detect, framework, text + "\n") == []


def test_headings_take_the_sense_of_the_section_or_document(detect: Detect) -> None:
    text = (
        "Contents\n\nU.S. Governing Law; Safe Harbor.\n\n"
        "2. U.S. Governing Law; Safe Harbor.\n"
        "The Site is designed for U.S. audiences and governed by U.S. law.\n\n"
        "If you are located in the European Economic Area, you consent to the transfer of your data.\n\n"
        "Safe Harbor Privacy Contact\n\nLegal Department, 1 Main Street, Dallas\n"
    )
    assert [line for _, line, _ in mentions(detect, "safe-harbor", text)] == [3, 5, 10]


def test_coppa_document_heading_is_not_flagged(detect: Detect) -> None:
    text = (
        "COPPA Safe Harbor\n\n"
        "Acme is a member of the PRIVO Kids Privacy Assured COPPA Safe Harbor Certification Program.\n"
    )
    assert mentions(detect, "safe-harbor", text) == []


def test_unexplained_mention_defaults_to_the_eu_us_framework(detect: Detect) -> None:
    assert mentions(detect, "safe-harbor", "Safe Harbor\n\nWe participate in the Safe Harbor program.\n") == [
        ("Safe Harbor", 1, 1),
        ("Safe Harbor", 3, 23),
    ]


def test_markdown_heading_location(detect: Detect) -> None:
    text = "# Policy\n\n## Privacy Shield\n\nWe adhere to the Privacy Shield Principles.\n"
    assert mentions(detect, "privacy-shield", text, "markdown") == [("Privacy Shield", 3, 4), ("Privacy Shield", 5, 18)]


def test_unknown_framework_is_an_error(detect: Detect) -> None:
    with pytest.raises(DetectorError, match="unknown framework 'p3p'"):
        detect(obsolete_reference, "text\n", params={"framework": "p3p"})


def test_every_framework_is_used_by_the_check_file() -> None:
    from pathlib import Path

    check = (Path(__file__).resolve().parents[2] / "checks" / "anomaly" / "obsolete-reference.yaml").read_text()
    assert all(f"framework: {name}" in check for name in FRAMEWORKS)
