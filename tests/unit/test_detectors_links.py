"""link-text-mismatch and empty-link."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from policylint.detectors.links import empty_link, link_text_mismatch

Detect = Callable[..., list[Any]]  # the ``detect`` fixture of conftest.py


@pytest.mark.parametrize(
    ("text", "token", "column", "message"),
    [
        (
            "Write to [help@acme.com](mailto:help@acme.co).",
            "help@acme.com",
            11,
            "the link shows help@acme.com but writes to help@acme.co",
        ),
        (
            "Visit [www.acme.com](https://www.evil-example.net/login) now.",
            "www.acme.com",
            8,
            "the link shows www.acme.com but opens https://www.evil-example.net/login",
        ),
        (
            "Questions? [privacy@acme.com](https://forms.example.org/contact).",
            "privacy@acme.com",
            13,
            "the link shows privacy@acme.com but opens https://forms.example.org/contact",
        ),
        (
            "See [https://acme.com/privacy](mailto:privacy@acme.com).",
            "https://acme.com/privacy",
            6,
            "the link shows https://acme.com/privacy but opens an e-mail to privacy@acme.com",
        ),
        (
            "Opt out at [networkadvertising.org/choices](https://thenai.org/opt-out/).",
            "networkadvertising.org/choices",
            13,
            "the link shows networkadvertising.org/choices but opens https://thenai.org/opt-out/",
        ),
    ],
)
def test_flags_mismatched_links(detect: Detect, text: str, token: str, column: int, message: str) -> None:
    found = detect(link_text_mismatch, "# Contact\n\n" + text + "\n", "markdown")
    assert [(f.token, f.line, f.column, f.message) for f in found] == [(token, 3, column, message)]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("[privacy@acme.com](mailto:Privacy@Acme.com?subject=Privacy)", id="same-address"),
        pytest.param("[www.acme.com](https://www.acme.com/?ref=policy)", id="shortened-display"),
        pytest.param("[www.aboutads.info/choices](http://optout.aboutads.info/?c=2)", id="same-site-other-page"),
        pytest.param("[att.com/PrivacyChoices](https://www.att.com/acctmgmt/PRIVACYCHOICES)", id="vanity-path"),
        pytest.param("[contact us](mailto:privacy@acme.com)", id="descriptive-text"),
        pytest.param("[www.acme.com](/privacy)", id="relative-target"),
        pytest.param("[www.acme.com](#top)", id="fragment"),
        pytest.param(
            "[https://www.dpocentre.com/contact-us/](https://linkprotect.cudasvc.com/url?a=https%3a%2f%2fwww.dpocentre.com%2fcontact-us%2f)",
            id="link-protection-wrapper",
        ),
        pytest.param(
            "[privacy@acme.com](https://web.archive.org/web/2021/mailto:privacy@acme.com)", id="archived-copy"
        ),
        pytest.param("<https://www.acme.com/privacy>", id="autolink"),
    ],
)
def test_does_not_flag_matching_links(detect: Detect, text: str) -> None:
    assert detect(link_text_mismatch, text + "\n", "markdown") == []


def test_html_mismatch_is_located_on_the_visible_text(detect: Detect) -> None:
    html = (
        "<html><body><main>\n<h1>Privacy</h1>\n<p>Contact our privacy team by e-mail at\n"
        '<a href="mailto:privacy@sterlingstrategies.co">privacy@sterlingdatacompany.com</a>.</p>\n'
        "</main></body></html>\n"
    )
    found = detect(link_text_mismatch, html, "html")
    assert [(f.token, f.line, f.column) for f in found] == [("privacy@sterlingdatacompany.com", 4, 48)]


@pytest.mark.parametrize(
    ("text", "fmt", "token", "where"),
    [
        ("Opt out here: [](https://example.com/opt-out).", "markdown", "[](https://example.com/opt-out)", (1, 15)),
        ("Intro.\n\n[ ](mailto:privacy@acme.com) is our address.", "markdown", "[ ](mailto:privacy@acme.com)", (3, 1)),
        (
            '<html><body><main><p>Write to us.</p>\n<p><a href="mailto:privacy@tapad.com"></a></p></main></body></html>',
            "html",
            '<a href="mailto:privacy@tapad.com"></a>',
            (2, 4),
        ),
        (
            '<html><body><main><p>We use data<a href="https://acme.com/p#info"> </a>to serve ads.</p></main></body></html>',
            "html",
            '<a href="https://acme.com/p#info"> </a>',
            (1, 33),
        ),
        (
            '<html><body><main><p>See <a href="https://acme.com/x"><br></a> this.</p></main></body></html>',
            "html",
            '<a href="https://acme.com/x"><br></a>',
            (1, 26),
        ),
    ],
)
def test_flags_empty_links(detect: Detect, text: str, fmt: str, token: str, where: tuple[int, int]) -> None:
    found = detect(empty_link, text + "\n", fmt)
    assert [(f.token, (f.line, f.column), f.in_source) for f in found] == [(token, where, True)]


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        pytest.param("Opt out at [our preferences page](https://example.com/opt-out).", "markdown", id="text"),
        pytest.param("[](#top) Back to the top.", "markdown", id="in-page-anchor"),
        pytest.param(
            '<html><body><main><p>Follow us <a href="https://facebook.com/acme"><img src="f.png" alt=""></a></p>'
            "</main></body></html>",
            "html",
            id="image-link",
        ),
        pytest.param(
            '<html><body><main><p>Follow us <a class="social-facebook" href="https://facebook.com/acme"></a></p>'
            "</main></body></html>",
            "html",
            id="css-icon-link",
        ),
        pytest.param(
            '<html><body><main><p>Menu <a href="https://acme.com" aria-label="Home"></a></p></main></body></html>',
            "html",
            id="labelled-link",
        ),
        pytest.param(
            '<html><body><main><p>Close <a href="https://acme.com"><svg viewBox="0 0 1 1"></svg></a></p>'
            "</main></body></html>",
            "html",
            id="svg-icon",
        ),
    ],
)
def test_does_not_flag_links_with_content(detect: Detect, text: str, fmt: str) -> None:
    assert detect(empty_link, text + "\n", fmt) == []
