"""Link detectors: ``link-text-mismatch`` and ``empty-link``.

A mismatch is a link that shows one address and goes to another: the visible text is itself
an e-mail address or URL, and the target is a different e-mail address or a page on a
different site. Showing a shorter form of the target ("www.acme.com" for
"https://www.acme.com/?ref=policy"), another page of the same site (a vanity path that
redirects) or a wrapper that carries the shown address (link protection, an archived copy)
is not a mismatch.

An empty link has no visible text and shows no image, icon or accessible label. In-page
anchors (``#section``) and styled ``<a>`` elements (a class or style attribute: social icons
and buttons drawn by CSS) are not reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import unquote

from policylint.detectors import Context, Finding
from policylint.detectors._web import (
    RefKind,
    WebRef,
    link_target_ref,
    normalise_address,
    registrable_domain,
    scan_refs,
    url_host,
)
from policylint.model import Document, Link
from policylint.regexcode import compiled

# Markup that shows something clickable without text: an image, an icon, a labelled control.
_NON_TEXT_CONTENT = compiled(
    r"<(?:img|svg|picture|i|input|button|object|video|canvas)\b|\baria-label(?:ledby)?\s*=|\btitle\s*=\s*[\"'][^\"']",
    re.IGNORECASE,
)
_NON_NAVIGATING = ("#", "javascript:", "tel:", "sms:", "data:")  # in-page anchors and scripts
# A styled <a> (class or style attribute) usually shows an icon or a button through CSS.
_STYLED = compiled(r"<a\b[^>]*\b(?:class|style)\s*=", re.IGNORECASE)


def link_text_mismatch(doc: Document, _params: Mapping[str, Any], _ctx: Context) -> Iterator[Finding]:
    """Yield links whose visible text is an address or URL that differs from the target."""
    for link in doc.links:
        message = mismatch(link)
        if message:
            yield Finding(link.start, link.end, message)


def mismatch(link: Link) -> str:
    """Describe how the link's visible address differs from its target, or return ``""``."""
    shown = _shown_ref(link.text)
    target = link.target.strip()
    if shown is None or not target or target.lower().startswith(_NON_NAVIGATING) or _wraps(target, shown.text):
        return ""
    if shown.kind is RefKind.EMAIL:
        return _email_mismatch(shown.text, target)
    if target.lower().startswith("mailto:"):
        return f"the link shows {shown.text} but opens an e-mail to {normalise_address(target)}"
    if not re.match(r"(?:https?:)?//|www\.", target, re.IGNORECASE):
        return ""  # a relative link stays on the site the text names, or cannot be judged
    return _url_mismatch(shown.text, target)


def _shown_ref(text: str) -> WebRef | None:
    """The address or URL that makes up the whole visible text, if it does."""
    stripped = text.strip().strip("<>()[]").rstrip(".,;:")
    refs = list(scan_refs(stripped))
    if len(refs) == 1 and refs[0].start == 0 and refs[0].end == len(stripped):
        return refs[0]
    return None


def _email_mismatch(address: str, target: str) -> str:
    if target.lower().startswith("mailto:"):
        sent_to = normalise_address(target)
        if sent_to != address.lower():
            return f"the link shows {address} but writes to {sent_to or '(no address)'}"
        return ""
    host = url_host(target)
    if host and registrable_domain(host) != registrable_domain(address.rpartition("@")[2]):
        return f"the link shows {address} but opens {target}"
    return ""


def _url_mismatch(shown: str, target: str) -> str:
    """A different site: pages of the same site are left alone (vanity paths redirect)."""
    if registrable_domain(url_host(shown)) != registrable_domain(url_host(target)):
        return f"the link shows {shown} but opens {target}"
    return ""


def _wraps(target: str, shown: str) -> bool:
    """Whether the target carries the shown address itself: a redirect or link-protection
    wrapper (``linkprotect.cudasvc.com/url?a=https%3a%2f%2facme.com``), an archived copy
    (``web.archive.org/web/2021/mailto:a@acme.com``), a doubled ``mailto:mailto:``."""
    return normalise_address(shown) in unquote(target).lower()


def empty_link(doc: Document, _params: Mapping[str, Any], _ctx: Context) -> Iterator[Finding]:
    """Yield links that show nothing to click on: no text, no image, no label."""
    for link in doc.links:
        target = link.target.strip()
        if link.text.strip() or not target or target.lower().startswith(_NON_NAVIGATING):
            continue
        markup = doc.source[link.source_start : link.source_end]
        if _NON_TEXT_CONTENT.search(markup) or _STYLED.match(markup):
            continue
        described = link_target_ref(doc, link)
        shown = described.text if described else link.target.strip()
        yield Finding(link.source_start, link.source_end, f"link to {shown} has no visible text", in_source=True)
