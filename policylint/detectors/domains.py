"""``email-domain-typo``: addresses and URLs whose domain is a near miss of the organisation's own.

The own domains are the configured ones (``Context.org_domains``, ``org_emails``, ``site``,
``org_names``) plus those inferred from the document. Every domain of the document gets a
strength: how often it is used, plus how often its name is written as a brand in the prose
("Caribou Coffee" for ``cariboucoffee.com``); configured ones are strongest. Of two domains
that are near misses of each other, the weaker is reported as a misspelling of the
stronger; when they are used equally, both are reported. A domain that is a near miss of a
brand the prose names repeatedly (two or more capitalised words, one of them a proper noun:
"TGI Fridays") is reported even when the brand's own domain never appears.

A near miss keeps the first letter and the digits and differs by one edit (two for names of
nine letters or more), counting a swap of adjacent letters as one edit. Keeping the first
letter is what separates typing slips (``cusotmerthink``, ``gamestopp``, ``newsbuster``)
from real sister sites built by adding a prefix (``miallstate.com`` next to
``allstate.com``); keeping the digits spares numbered variants (``customersat3.com``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import compress
from operator import itemgetter, not_
from typing import Any

from policylint.detectors import Context, Finding
from policylint.detectors._web import (
    SECOND_LEVEL_SUFFIXES,
    TLDS,
    RefKind,
    WebRef,
    edit_distance,
    registrable_domain,
    split_domain,
    url_host,
    web_refs,
    words,
)
from policylint.model import Document
from policylint.regexcode import compiled

# Well-known third parties: never reported as a misspelling of the organisation's domain.
WELL_KNOWN_DOMAINS = words(
    """gmail.com googlemail.com google.com youtube.com blogger.com blogspot.com android.com
    yahoo.com ymail.com aol.com hotmail.com outlook.com live.com msn.com microsoft.com bing.com
    skype.com apple.com icloud.com me.com mac.com amazon.com amazonaws.com audible.com
    facebook.com fb.com instagram.com whatsapp.com messenger.com meta.com twitter.com x.com
    t.co linkedin.com pinterest.com tumblr.com reddit.com snapchat.com tiktok.com vimeo.com
    flickr.com yelp.com foursquare.com spotify.com soundcloud.com wordpress.com wordpress.org
    github.com paypal.com ebay.com stripe.com shopify.com squarespace.com wix.com mailchimp.com
    salesforce.com hubspot.com zendesk.com intercom.io adobe.com macromedia.com mozilla.org
    opera.com netscape.com w3.org cloudflare.com akamai.com verisign.com yandex.com baidu.com
    duckduckgo.com doubleclick.net googleadservices.com googlesyndication.com
    google-analytics.com googletagmanager.com gstatic.com scorecardresearch.com quantcast.com
    comscore.com nielsen.com omniture.com demdex.net chartbeat.com addthis.com sharethis.com
    disqus.com criteo.com taboola.com outbrain.com rubiconproject.com pubmatic.com openx.com
    appnexus.com adnxs.com bluekai.com krxd.net exelate.com mediamath.com tapad.com
    optimizely.com hotjar.com mixpanel.com segment.com newrelic.com adsrvr.org advertising.com
    atdmt.com 2mdn.net moatads.com doubleverify.com integralads.com networkadvertising.org
    aboutads.info youradchoices.com youronlinechoices.eu youronlinechoices.com
    allaboutcookies.org truste.com trustarc.com bbb.org ftc.gov export.gov commerce.gov
    privacyshield.gov dataprivacyframework.gov usa.gov ca.gov oag.ca.gov ico.org.uk
    edpb.europa.eu europa.eu archive.org"""
)

_CONFIGURED = 1_000_000  # the strength of a configured domain: always the original
_OWN_STRENGTH = 2  # used twice, or used once and written as a brand: the document's own
_MIN_NAME = 4  # shorter names have too many real neighbours to call anything a typo
_LONG_NAME = 9  # from this length on, two edits still make a near miss
_MAX_EDITS = 2
_WORD = compiled(r"[A-Za-z0-9]+|&")
_CAPITAL_STARTS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789&")
_first_character = itemgetter(slice(0, 1))
_TRUE_RUN = re.compile(rb"\x01+")  # bytes: compiled in a blink, not cached
_NON_DIGITS = compiled(r"\D")
_BRAND_WORDS = 4  # a brand is written as up to this many words ("High Gear Media")
_WWW_SLIPS = frozenset({"ww", "wwww", "wwwww"})
_ORIGINALS = 50  # a misspelt domain is compared with the document's most used domains


def email_domain_typo(doc: Document, params: Mapping[str, Any], ctx: Context) -> Iterator[Finding]:
    """Yield every e-mail address or URL whose domain is a near miss of an own domain."""
    refs = web_refs(doc)
    if not refs:
        return
    ignored = WELL_KNOWN_DOMAINS | frozenset(str(d).lower() for d in params.get("ignore_domains", ()))
    configured = configured_domains(ctx, params.get("own_domains", ()))
    names = BrandNames.of(doc.text, refs)
    strengths = domain_strengths(refs, configured, names, ctx.org_names)
    originals = tuple(strengths.most_common(_ORIGINALS))
    judge = _Judge(strengths, originals, _brands(names.proper_names()), configured | ignored)
    for ref in refs:
        message = judge.www_slip(ref) or judge.misspelling(ref.registrable)
        if message:
            yield Finding(ref.start, ref.end, f"`{ref.text}`: {message}", in_source=ref.in_source)


def configured_domains(ctx: Context, extra: Iterable[str] = ()) -> frozenset[str]:
    """The registrable domains named by the context (and by a check's ``own_domains``)."""
    hosts = [*ctx.org_domains, *extra, *(email.rpartition("@")[2] for email in ctx.org_emails)]
    if ctx.site:
        hosts.append(ctx.site)
    return frozenset(registrable_domain(url_host(str(host))) for host in hosts if "." in str(host))


@dataclass(frozen=True, slots=True)
class BrandNames:
    """The words of the prose outside web references, lower-cased, for matching names.

    A domain name is written as one to four words: ``cariboucoffee`` as "Caribou Coffee",
    ``barnesandnoble`` as "Barnes & Noble". An empty word marks where a reference was cut
    out, so that no name spans one.
    """

    words: tuple[str, ...]
    capitalised: tuple[bool, ...]
    lower_case: frozenset[str]  # words also written in lower case: common words, not names

    @classmethod
    def of(cls, text: str, refs: Sequence[WebRef]) -> BrandNames:
        """Collect the words of ``text`` outside the references."""
        found: list[str] = []  # as written, "" after each stretch between references
        position = 0
        for ref in sorted((r for r in refs if not r.in_source), key=lambda r: r.start):
            found += _WORD.findall(text[position : ref.start])
            found.append("")
            position = max(position, ref.end)
        found += _WORD.findall(text[position:])
        found.append("")
        # The words are ASCII, so lower-casing them all at once keeps them apart.
        tokens = " ".join(found).lower().replace("&", "and").split(" ")
        # map() with C functions: these run once per word of the policy
        capitalised = tuple(map(_CAPITAL_STARTS.__contains__, map(_first_character, found)))
        lower_case = frozenset(compress(tokens, map(not_, capitalised)))
        return cls(tuple(tokens), capitalised, lower_case)

    def count(self, names: Iterable[str]) -> Counter[str]:
        """How often each of ``names`` is written as one to four consecutive words."""
        wanted = frozenset(names)
        prefixes = frozenset(name[:length] for name in wanted for length in range(1, len(name) + 1))
        tokens = self.words
        keys: list[str] = []  # in the order found, so that the counter's order is too
        for index in compress(range(len(tokens)), map(prefixes.__contains__, tokens)):
            key = ""
            for word in tokens[index : index + _BRAND_WORDS]:
                key += word
                if not word or key not in prefixes:
                    break  # a cut, or no name goes on like this
                if key in wanted:
                    keys.append(key)
        return Counter(keys)

    def proper_names(self) -> Counter[str]:
        """Runs of one to four capitalised words with a proper noun among them ("Meredith",
        "TGI Fridays", "Vox Media"), squashed.

        A proper noun is a word never written in lower case: runs of common words that are
        merely capitalised in a heading ("Your Choices") are left out.
        """
        tokens, lower_case = self.words, self.lower_case
        keys: list[str] = []  # in the order found, so that the counter's order is too
        for start, end in _runs(self.capitalised):
            run = tokens[start:end]
            proper = [word not in lower_case for word in run]
            if not any(proper):
                continue  # the usual case: "The", "Your Choices"
            for index in range(len(run)):
                key, named = "", False
                for offset in range(index, min(index + _BRAND_WORDS, len(run))):
                    key += run[offset]
                    named = named or proper[offset]
                    if named:
                        keys.append(key)
        return Counter(keys)


def _runs(flags: Sequence[bool]) -> Iterator[tuple[int, int]]:
    """The ``[start, end)`` spans of consecutive true ``flags`` (found by a regex on the
    flags as bytes, which is much faster than a loop over every word)."""
    return (run.span() for run in _TRUE_RUN.finditer(bytes(flags)))


def domain_strengths(
    refs: Sequence[WebRef], configured: frozenset[str], names: BrandNames, org_names: Sequence[str] = ()
) -> Counter[str]:
    """How strongly the document uses each domain: references plus brand mentions.

    Configured domains (and domains named like a configured organisation) are strongest.
    """
    strengths: Counter[str] = Counter(ref.registrable for ref in refs)
    domains = strengths.keys() | configured
    mentions = names.count(split_domain(domain)[0] for domain in domains)
    organisations = {_squash(name) for name in org_names}
    for domain in domains:
        name = split_domain(domain)[0]
        strengths[domain] += mentions[name]
        if domain in configured or name in organisations:
            strengths[domain] += _CONFIGURED
    return strengths


def _squash(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower().replace("&", "and"))


@dataclass(frozen=True, slots=True)
class _Judge:
    """Decides, once per domain, whether it misspells another one of the document."""

    strengths: Counter[str]
    originals: tuple[tuple[str, int], ...]  # the most used domains, most used first
    brands: Mapping[tuple[str, int], Sequence[tuple[str, int]]]  # see _brands()
    trusted: frozenset[str]  # configured and well-known domains: never a misspelling
    verdicts: dict[str, str] = field(default_factory=dict)

    def www_slip(self, ref: WebRef) -> str:
        """``wwww.acme.com`` or ``ww.acme.com`` on the document's own domain."""
        first_label, _, rest = ref.host.partition(".")
        own = ref.registrable in self.trusted or self.strengths[ref.registrable] >= _OWN_STRENGTH
        if first_label in _WWW_SLIPS and ref.kind is not RefKind.EMAIL and own:
            return f"host looks like a misspelling of www.{rest}"
        return ""

    def misspelling(self, domain: str) -> str:
        """Say which domain of the document ``domain`` misspells, or return ``""``."""
        if domain not in self.verdicts:
            self.verdicts[domain] = "" if domain in self.trusted else self._judge(domain)
        return self.verdicts[domain]

    def _judge(self, domain: str) -> str:
        strength = self.strengths[domain]
        for other, other_strength in self.originals:
            if other_strength < strength:
                break
            if other != domain and is_near_miss(domain, other):
                if other_strength == strength:
                    return f"domain is a near miss of {other}, also used here: one of them is misspelt"
                return f"domain looks like a misspelling of {other}"
        brand = _misspelt_brand(domain, strength, self.brands)
        return f"domain looks like a misspelling of {brand}" if brand else ""


def _brands(proper_names: Counter[str]) -> dict[tuple[str, int], list[tuple[str, int]]]:
    """Names written more than once, by first letter and length, for quick lookup."""
    brands: dict[tuple[str, int], list[tuple[str, int]]] = {}
    for key, mentions in proper_names.items():
        if mentions > 1:
            brands.setdefault((key[0], len(key)), []).append((key, mentions))
    return brands


def _misspelt_brand(domain: str, strength: int, brands: Mapping[tuple[str, int], Sequence[tuple[str, int]]]) -> str:
    """The domain named like a brand of the prose that ``domain`` misspells, or ``""``.

    This finds the original when the document never writes its own domain correctly, e.g.
    ``tgifrdiays.com`` in a policy that says "TGI Fridays" throughout. Only one edit away:
    the name was never written as a domain, so the evidence is weaker.
    """
    name, suffix = split_domain(domain)
    best, count = "", max(strength, 1)
    for length in (len(name) - 1, len(name), len(name) + 1):
        for key, mentions in brands.get((name[:1], length), ()):
            candidate = f"{key}.{suffix}"
            if key == name + "s":
                continue  # "Oracles privacy policies": a plural or a possessive that lost its apostrophe
            if mentions > count and is_near_miss(domain, candidate) and edit_distance(name, key, 1) <= 1:
                best, count = candidate, mentions
    return best


def is_near_miss(candidate: str, original: str) -> bool:
    """Whether the registrable domain ``candidate`` looks like a misspelling of ``original``.

    >>> is_near_miss("cusotmerthink.com", "customerthink.com")
    True
    >>> is_near_miss("miallstate.com", "allstate.com")
    False
    """
    name, suffix = split_domain(candidate)
    own_name, own_suffix = split_domain(original)
    if name == own_name:
        return suffix != own_suffix and _unknown_suffix(suffix) and edit_distance(suffix, own_suffix) <= 1
    if name.startswith("www") and name[3:] == own_name:
        return True
    if len(own_name) < _MIN_NAME or name[:1] != own_name[:1] or abs(len(name) - len(own_name)) > _MAX_EDITS:
        return False  # a new first letter is a different name ("miallstate")
    if name.replace("-", "") == own_name.replace("-", "") or _unknown_suffix(suffix) or _unknown_suffix(own_suffix):
        return False  # "thomas-daily" and "thomasdaily" are the same words; "acme.comif" is malformed
    if _NON_DIGITS.sub("", name) != _NON_DIGITS.sub("", own_name):
        return False  # a number makes a different name ("customersat3")
    limit = _MAX_EDITS if len(own_name) >= _LONG_NAME else 1
    return edit_distance(name, own_name, limit) <= limit


def _unknown_suffix(suffix: str) -> bool:
    return suffix not in TLDS and suffix not in SECOND_LEVEL_SUFFIXES
