"""email-domain-typo: near-miss domains of the organisation's own, configured or inferred."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from policylint.detectors import Context
from policylint.detectors._web import registrable_domain
from policylint.detectors.domains import email_domain_typo, is_near_miss

Detect = Callable[..., list[Any]]  # the ``detect`` fixture of conftest.py

ACME = Context(org_domains=("acme.com",))


@pytest.mark.parametrize(
    ("text", "context", "expected"),
    [
        pytest.param(
            "CustomerThink.com values your privacy.\n"
            "Unsubscribe by writing to service@cusotmerthink.com.\n"
            "Questions: service@customerthink.com\n",
            Context(),
            ("service@cusotmerthink.com", (2, 27), "customerthink.com"),
            id="transposition-inferred-from-brand-and-address",
        ),
        pytest.param(
            "Write to privacy@acmee.com.\n", ACME, ("privacy@acmee.com", (1, 10), "acme.com"), id="doubled-configured"
        ),
        pytest.param(
            "GameStop.com is run by GameStop. Write to GSContentRequests@gamestopp.com.\n",
            Context(),
            ("GSContentRequests@gamestopp.com", (1, 43), "gamestop.com"),
            id="doubled-last-letter",
        ),
        pytest.param(
            "See NewsBusters.org and NewsBusters.org/about.\nMore: http://newsbuster.org/privacy-policy\n",
            Context(),
            ("http://newsbuster.org/privacy-policy", (2, 7), "newsbusters.org"),
            id="dropped-last-letter-url",
        ),
        pytest.param(
            "Visit corporate.hknda.com/careers for jobs at honda.com and owners.honda.com.\n",
            Context(),
            ("corporate.hknda.com/careers", (1, 7), "honda.com"),
            id="keyboard-neighbour-bare-domain",
        ),
        pytest.param(
            "TGI Fridays respects your privacy.\nTGI Fridays guests can write via http://www.tgifrdiays.com/contact.\n",
            Context(),
            ("http://www.tgifrdiays.com/contact", (2, 34), "tgifridays.com"),
            id="brand-in-prose-only",
        ),
        pytest.param(
            "Visit www.barnexandnoble.com today.\n",
            Context(org_domains=("https://www.barnesandnoble.com/",)),
            ("www.barnexandnoble.com", (1, 7), "barnesandnoble.com"),
            id="configured-as-url",
        ),
        pytest.param(
            "Mail privacy@acme.cmo or privacy@acme.com.\n", ACME, ("privacy@acme.cmo", (1, 6), "acme.com"), id="tld-typo"
        ),
        pytest.param(
            "Write to help@amazom.co.uk.\n",
            Context(org_domains=("amazon.co.uk",)),
            ("help@amazom.co.uk", (1, 10), "amazon.co.uk"),
            id="second-level-suffix",
        ),
    ],
)
def test_flags_the_misspelt_token(
    detect: Detect, text: str, context: Context, expected: tuple[str, tuple[int, int], str]
) -> None:
    token, where, original = expected
    found = detect(email_domain_typo, text, context=context)
    assert [(f.token, (f.line, f.column)) for f in found] == [(token, where)]
    assert found[0].message == f"`{token}`: domain looks like a misspelling of {original}"


@pytest.mark.parametrize(
    ("text", "context"),
    [
        pytest.param(
            "Allstate runs allstate.com and customerprivacy@allstate.com; "
            "its Spanish site is http://www.miallstate.com and m.miallstate.com.\n",
            Context(org_domains=("allstate.com",)),
            id="prefix-sister-site-miallstate",
        ),
        pytest.param(
            "We use Google Analytics (google.com) and Gmail (gmail.com). Our site is goggle.com.\n",
            Context(org_domains=("goggle.com",)),
            id="well-known-third-party",
        ),
        pytest.param(
            "CustomerThink (customerthink.com) partners with customerhub.net and customersat.com.\n",
            Context(org_domains=("customerthink.com",)),
            id="shared-prefix-unrelated",
        ),
        pytest.param(
            "This copy of customersat3.com was archived. CustomerSat runs customersat.com and customersat.com/help.\n",
            Context(),
            id="numbered-variant",
        ),
        pytest.param(
            "Thomas Daily collects data. Thomas Daily is reachable at Thomas-daily.de.\n",
            Context(),
            id="hyphenated-brand",
        ),
        pytest.param("Books at bn.com, music at bm.com and bn.com/music.\n", Context(), id="short-names"),
        pytest.param(
            "Your Choice\nYou have a choice about your data. Your Choice matters: see yourchoices.com.\n",
            Context(),
            id="capitalised-common-words-are-no-brand",
        ),
        pytest.param(
            "Data is kept in Oracles Taleo service. Read Oracles privacy policies at www.oracle.com.\n",
            Context(),
            id="possessive-without-apostrophe",
        ),
        pytest.param(
            "Write to privacy@acme.com or visit https://www.acme.com/privacy and acme.com/help.\n",
            ACME,
            id="own-domain",
        ),
        pytest.param("Follow @acme and email us at acme [at] example [dot] com.\n", ACME, id="no-address"),
    ],
)
def test_does_not_flag(detect: Detect, text: str, context: Context) -> None:
    assert detect(email_domain_typo, text, context=context) == []


def test_hidden_link_target_is_located_in_the_source(detect: Detect) -> None:
    text = "Acme values privacy.\n\nPlease [contact us](mailto:privacy@acmme.com) with questions.\n"
    found = detect(email_domain_typo, text, "markdown", ACME)
    assert [(f.token, f.line, f.column, f.in_source) for f in found] == [("privacy@acmme.com", 3, 28, True)]


def test_visible_link_text_is_reported_once(detect: Detect) -> None:
    text = "[service@cusotmerthink.com](mailto:service@cusotmerthink.com)\n"
    found = detect(email_domain_typo, text, "markdown", Context(org_domains=("customerthink.com",)))
    assert [(f.token, f.line, f.column, f.in_source) for f in found] == [("service@cusotmerthink.com", 1, 2, False)]


def test_equal_use_reports_both_near_misses(detect: Detect) -> None:
    text = "Write to webmaster@research.stlouisfed.org.\nOr to webmaster@research.stlouisfe.org.\n"
    found = detect(email_domain_typo, text)
    assert [(f.token, f.line) for f in found] == [
        ("webmaster@research.stlouisfed.org", 1),
        ("webmaster@research.stlouisfe.org", 2),
    ]
    assert "one of them is misspelt" in found[1].message


def test_www_slip_on_own_host(detect: Detect) -> None:
    found = detect(email_domain_typo, "Visit wwww.acme.com or www.acme.com.\n", context=ACME)
    assert [(f.token, f.message) for f in found] == [
        ("wwww.acme.com", "`wwww.acme.com`: host looks like a misspelling of www.acme.com")
    ]


def test_org_name_and_params(detect: Detect) -> None:
    named = Context(org_names=("Customer Think",))
    assert [f.token for f in detect(email_domain_typo, "Mail a@customerthnik.com or customerthink.com.\n", context=named)] == [
        "a@customerthnik.com"
    ]
    params = {"own_domains": ["acme.com"], "ignore_domains": ["acmee.com"]}
    assert detect(email_domain_typo, "Mail a@acmee.com or a@acne.com.\n", params=params)[0].token == "a@acne.com"


@pytest.mark.parametrize(
    ("candidate", "original", "expected"),
    [
        ("cusotmerthink.com", "customerthink.com", True),  # transposition = one edit
        ("tgifrdiays.com", "tgifridays.com", True),
        ("kaleeidahealth.org", "kaleidahealth.org", True),
        ("aita.com", "abita.com", True),
        ("barnexandnobel.com", "barnesandnoble.com", True),  # two edits in a long name
        ("lidz.com", "lids.com", True),
        ("miallstate.com", "allstate.com", False),  # a new first letter
        ("xustomerthink.com", "customerthink.com", False),
        ("abc.com", "abd.com", False),  # too short to judge
        ("acme.com", "acme.com", False),
        ("acme.co", "acme.com", False),  # a real TLD: another site
        ("acme.con", "acme.com", True),
        ("vox.com", "voxmedia.com", False),
        ("liqour.com", "liquor.com", True),
        ("custmerthnik.com", "customerthink.com", True),
        ("custmrthnik.com", "customerthink.com", False),  # three edits
    ],
)
def test_near_miss(candidate: str, original: str, expected: bool) -> None:
    assert is_near_miss(candidate, original) is expected


@pytest.mark.parametrize(
    ("host", "expected"),
    [("www.news.bbc.co.uk", "bbc.co.uk"), ("research.stlouisfed.org", "stlouisfed.org"), ("acme.com", "acme.com")],
)
def test_registrable_domain(host: str, expected: str) -> None:
    assert registrable_domain(host) == expected
