"""malformed-email: e-mail-like tokens that are not valid addresses."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from policylint.detectors.emails import EmailToken, address_problem, email_tokens, malformed_email

Detect = Callable[..., list[Any]]  # the ``detect`` fixture of conftest.py


@pytest.mark.parametrize(
    ("text", "token", "column", "problem"),
    [
        ("Contact privacy@acme..com with questions.", "privacy@acme..com", 9, "two dots in a row"),
        ("Please write to info@gmail.comif you have questions.", "info@gmail.comif", 17, "text glued onto .com"),
        ("Questions: privacy@acme.cmo", "privacy@acme.cmo", 12, "unknown top-level domain .cmo; .com?"),
        ("Questions: privacy@acme.c", "privacy@acme.c", 12, "one-letter top-level domain"),
        ("Questions: privacy@acme.c0m", "privacy@acme.c0m", 12, "top-level domain .c0m contains digits"),
        ("E-mail privacy@acme,com today.", "privacy@acme,com", 8, "comma instead of a dot"),
        ("E-mail privacy@@acme.com today.", "privacy@@acme.com", 8, "more than one @"),
        ("E-mail privacy@team@acme.com today.", "privacy@team@acme.com", 8, "more than one @"),
        ("E-mail privacy.@acme.com today.", "privacy.@acme.com", 8, "misplaced dot in the user name"),
        ("E-mail privacy..team@acme.com today.", "privacy..team@acme.com", 8, "misplaced dot in the user name"),
        ("To opt out, contact privacy@acme for help.", "privacy@acme", 21, "no top-level domain"),
        ("Contact us at: administrator @mrc.org or by mail.", "administrator @mrc.org", 16, "space next to the @"),
        ("Contact us at: privacy@ acme.com or by mail.", "privacy@ acme.com", 16, "space next to the @"),
        ("Write to privacy@acme_corp.com.", "privacy@acme_corp.com", 10, "invalid host name part 'acme_corp'"),
        ("Write to privacy@-acme.com.", "privacy@-acme.com", 10, "invalid host name part '-acme'"),
    ],
)
def test_flags_malformed_addresses(detect: Detect, text: str, token: str, column: int, problem: str) -> None:
    found = detect(malformed_email, "Our policy.\n" + text + "\n")
    assert [(f.token, f.line, f.column) for f in found] == [(token, 2, column)]
    assert found[0].message == f"`{token}`: not a valid e-mail address ({problem})"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Write to legal [at] gawker [dot] com.", id="obfuscation-words"),
        pytest.param("Write to membership{at}aaas.org.", id="obfuscation-braces"),
        pytest.param("Write to legal[@]zerodha[.]com.", id="obfuscation-brackets"),
        pytest.param("Follow @acme and @AcmeSupport on Twitter.", id="handles"),
        pytest.param("A role address (such as sales@ or admin@) is rejected.", id="role-stems"),
        pytest.param("The development server answers at user@localhost and root@server1.", id="technical-hosts"),
        pytest.param("We bundle lodash@4.17.21 and react@16.14.0.", id="package-versions"),
        pytest.param("Write to privacy@acme.com.Please include your name.", id="glued-sentence"),
        pytest.param("Relay addresses end in @indeedmail.com or an @indeedemail.com ending.", id="domain-mentions"),
        pytest.param("Read https://medium.com/@acme/privacy and https://user@example.com/x.", id="at-in-urls"),
        pytest.param("Write to privacy@acme.co.uk, dpo@acme.community or privacy@acme.com.", id="valid"),
        pytest.param("Write to first.last+tag@sub.acme.io.", id="valid-plus-tag"),
        pytest.param("Meet us @ 10am in the lobby.", id="spaced-at"),
    ],
)
def test_does_not_flag(detect: Detect, text: str) -> None:
    assert detect(malformed_email, text + "\n") == []


def test_mailto_target_is_checked_in_the_source(detect: Detect) -> None:
    text = "Our policy.\n\n[E-mail us](mailto:mailto:privacy@acme.com) or [write](mailto:help@acme.com).\n"
    found = detect(malformed_email, text, "markdown")
    assert [(f.token, f.line, f.column, f.in_source) for f in found] == [
        ("mailto:privacy@acme.com", 3, 20, True)
    ]
    assert "invalid character in the user name" in found[0].message


def test_empty_mailto(detect: Detect) -> None:
    found = detect(malformed_email, "[E-mail us](mailto:) today.\n", "markdown")
    assert [(f.line, f.in_source) for f in found] == [(1, True)]
    assert "has no address" in found[0].message


def test_tokens_span_the_whole_address() -> None:
    tokens = list(email_tokens("a@b@c.com and x @y.org, then z@ w.net"))
    assert [(t.text, t.at_signs, t.space_before, t.space_after) for t in tokens] == [
        ("a@b@c.com", 2, False, False),
        ("x @y.org", 1, True, False),
        ("z@ w.net", 1, False, True),
    ]


def test_problem_of_a_valid_token_is_empty() -> None:
    assert address_problem(EmailToken("privacy@acme.com", "privacy", "acme.com", 0, 16)) == ""
