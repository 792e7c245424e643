"""``malformed-email``: e-mail-like tokens that are not valid addresses.

Reported: two dots in a row (``privacy@acme..com``), a dot at either end of the user name,
text glued onto the top-level domain (``info@gmail.comif``), a misspelt or one-letter
top-level domain (``acme.cmo``, ``acme.c``), a missing top-level domain (``privacy@acme``),
a comma for a dot (``privacy@acme,com``), a space on one side of the @, two @ signs, and
characters no host name may contain. ``mailto:`` link targets are checked the same way.

Not reported: deliberate obfuscations (``legal [at] gawker [dot] com``,
``membership{at}aaas.org``, ``legal[@]acme[.]com``), social media handles (``@acme``),
role-address stems in prose ("such as sales@ or admin@"), host names used in technical
text (``user@localhost``), package versions (``lodash@4.17.21``) and a sentence glued on
after the address (``privacy@acme.com.Please``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from policylint.detectors import Context, Finding
from policylint.detectors._web import (
    TLDS,
    RefKind,
    edit_distance,
    inside,
    link_target_refs,
    ref_spans,
    trim_glued_labels,
    words,
)
from policylint.model import Document
from policylint.regexcode import compiled

_LOCAL = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-'")
_HOST_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
_MAX_LOCAL = 64  # RFC 5321 limits
_MAX_DOMAIN = 255
_COMMON_TLDS = ("com", "org", "net", "edu", "gov", "info", "biz")
_COMMA_TLD = compiled(r",(?:com|org|net|edu|gov)(?![\w.])", re.IGNORECASE)
_TECHNICAL_HOSTS = words("localhost localdomain local example domain yourdomain host hostname server machine computer")
_ROLE_MAILBOXES = words(
    """admin administrator privacy info information support contact contactus help legal dpo
    webmaster service services feedback hello sales press media compliance security abuse
    marketing unsubscribe optout customerservice customercare customersupport office mail
    team jobs careers billing accounts enquiries inquiries questions member members
    membership editor editors news noreply postmaster hostmaster gdpr dataprotection
    datenschutz ccpa requests privacyofficer"""
)
_LOCAL_PART = compiled(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+")  # RFC 5322 dot-atom characters
_NAME = compiled(r"[A-Za-z][A-Za-z-]+[A-Za-z]")  # a word-like host name without a TLD
_HOST_LABEL = compiled(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class EmailToken:
    """An e-mail-like token around one ``@``: its parts and its span in the text."""

    text: str  # as written, spaces around the @ included
    local: str
    domain: str
    start: int
    end: int
    at_signs: int = 1
    space_before: bool = False
    space_after: bool = False


def malformed_email(doc: Document, _params: Mapping[str, Any], _ctx: Context) -> Iterator[Finding]:
    """Yield every e-mail-like token in the text or in a ``mailto:`` link that is invalid."""
    for token in email_tokens(doc.text):
        problem = address_problem(token)
        if problem:
            yield Finding(token.start, token.end, f"`{token.text}`: not a valid e-mail address ({problem})")
    for ref in link_target_refs(doc):
        if ref.kind is not RefKind.EMAIL:
            continue
        local, at, domain = ref.text.partition("@")
        if not ref.text:
            problem = "the mailto: link has no address"
        else:
            problem = address_problem(EmailToken(ref.text, local, domain, 0, 0)) if at else "no @ in the address"
        if problem:
            yield Finding(ref.start, ref.end, f"`mailto:{ref.text}`: not a valid e-mail address ({problem})", True)


def email_tokens(text: str) -> Iterator[EmailToken]:
    """Yield the e-mail-like tokens of ``text``: a user name, one or more @, a domain.

    @ signs inside URLs (``https://medium.com/@acme``) are skipped. Runs linearly: each
    character is looked at a bounded number of times.
    """
    urls = ref_spans(text, frozenset({RefKind.URL, RefKind.DOMAIN}))
    position = 0
    for match in re.finditer("@+", text):
        at_start, at_end = match.span()
        if at_start < position or inside(urls, at_start, at_end):
            continue
        token = _token_at(text, at_start, at_end)
        if token is not None:
            position = token.end
            yield token


def _token_at(text: str, at_start: int, at_end: int) -> EmailToken | None:
    space_before = at_start > 1 and text[at_start - 1] in " \t" and text[at_start - 2] in _LOCAL
    space_after = at_end + 1 < len(text) and text[at_end] in " \t" and text[at_end + 1] in _HOST_CHARS
    left = at_start - (1 if space_before else 0)
    start = left
    while start > 0 and text[start - 1] in _LOCAL and left - start < _MAX_LOCAL:
        start -= 1
    right = at_end + (1 if space_after else 0)
    end = right
    while end < len(text) and text[end] in _HOST_CHARS and end - right < _MAX_DOMAIN:
        end += 1
    comma = _COMMA_TLD.match(text, end)
    if comma:
        end = comma.end()
    at_signs = at_end - at_start
    if end < len(text) and text[end] == "@":  # a@b@c.com
        at_signs += 1
        end += 1
        while end < len(text) and text[end] in _HOST_CHARS and end - right < _MAX_DOMAIN:
            end += 1
    local = text[start:left].lstrip("'.")
    start = left - len(local)
    domain = text[right:end].rstrip("._-")
    if not local or not domain or (space_before and space_after):
        return None
    end = right + len(domain)
    return EmailToken(text[start:end], local, domain, start, end, at_signs, space_before, space_after)


def address_problem(token: EmailToken) -> str:
    """Describe what makes the token an invalid address, or return ``""`` if it is fine
    (or is not meant as an address at all)."""
    local, domain = token.local, token.domain
    if re.fullmatch(r"[\d.]+", domain) or local.isdigit():
        return ""  # a version number or an IP-like token, not an address
    if token.space_before or token.space_after:
        return _spacing_problem(token)
    for broken, problem in (
        (token.at_signs > 1, "more than one @"),
        (not _LOCAL_PART.fullmatch(local), "invalid character in the user name"),
        (".." in local or local.startswith(".") or local.endswith("."), "misplaced dot in the user name"),
        ("," in domain, "comma instead of a dot"),
        (".." in domain, "two dots in a row"),
    ):
        if broken:
            return problem
    return _domain_problem(trim_glued_labels(domain))


def _spacing_problem(token: EmailToken) -> str:
    if token.space_before and not _mailbox_like(token.local):
        return ""  # "addresses ending in @acme.com": a domain, not a broken address
    return "space next to the @" if "." in token.domain and _known_tld(token.domain) else ""


def _domain_problem(domain: str) -> str:
    labels = domain.split(".")
    if len(labels) == 1:
        return "" if _technical_host(domain) else "no top-level domain"
    bad = next((label for label in labels if not _HOST_LABEL.fullmatch(label)), None)
    if bad is not None:
        return f"invalid host name part {bad!r}"
    return _tld_problem(labels[-1])


def _technical_host(domain: str) -> bool:
    """``user@localhost``, ``root@server1``: host names of technical text, not addresses."""
    return domain.lower() in _TECHNICAL_HOSTS or not _NAME.fullmatch(domain)


def _mailbox_like(local: str) -> bool:
    """Whether a word before a detached ``@domain`` reads as a mailbox name."""
    return local.lower() in _ROLE_MAILBOXES or bool(re.search(r"[\d._+-]", local))


def _known_tld(domain: str) -> bool:
    return domain.rpartition(".")[2].lower() in TLDS


def _tld_problem(tld: str) -> str:
    lowered = tld.lower()
    if lowered in TLDS:
        return ""
    if not lowered.isalpha():
        return f"top-level domain .{tld} contains digits"
    if len(lowered) == 1:
        return "one-letter top-level domain"
    for common in _COMMON_TLDS:
        if lowered.startswith(common) and lowered[len(common) :].isalpha():
            return f"text glued onto .{common}"
    for common in _COMMON_TLDS:
        if edit_distance(lowered, common, 1) <= 1:
            return f"unknown top-level domain .{tld}; .{common}?"
    return ""
