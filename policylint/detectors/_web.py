"""E-mail addresses, URLs and domain names: finding them in a document and taking them apart.

Shared by the domain-typo, malformed-e-mail and link detectors. Everything here is pure;
the tables are constants and the regexes are compiled once at import.
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from urllib.parse import unquote

from policylint.detectors._scan import token_spans
from policylint.model import Document, Link
from policylint.regexcode import compiled

# --- top-level domains -----------------------------------------------------------------


def words(text: str) -> frozenset[str]:
    """A constant set of words written as one whitespace-separated string."""
    return frozenset(text.split())


COUNTRY_TLDS = words(
    """ac ad ae af ag ai al am ao aq ar as at au aw ax az ba bb bd be bf bg bh bi bj bm bn bo br
    bs bt bv bw by bz ca cc cd cf cg ch ci ck cl cm cn co cr cu cv cw cx cy cz de dj dk dm do dz
    ec ee eg er es et eu fi fj fk fm fo fr ga gb gd ge gf gg gh gi gl gm gn gp gq gr gs gt gu gw
    gy hk hm hn hr ht hu id ie il im in io iq ir is it je jm jo jp ke kg kh ki km kn kp kr kw ky
    kz la lb lc li lk lr ls lt lu lv ly ma mc md me mg mh mk ml mm mn mo mp mq mr ms mt mu mv mw
    mx my mz na nc ne nf ng ni nl no np nr nu nz om pa pe pf pg ph pk pl pm pn pr ps pt pw py qa
    re ro rs ru rw sa sb sc sd se sg sh si sj sk sl sm sn so sr ss st su sv sx sy sz tc td tf tg
    th tj tk tl tm tn to tr tt tv tw tz ua ug uk us uy uz va vc ve vg vi vn vu wf ws ye yt za zm
    zw"""
)
GENERIC_TLDS = words(
    """com org net edu gov mil int arpa info biz name pro mobi travel jobs museum aero coop asia
    tel cat post xxx app dev io ai online site store shop tech blog cloud digital media news live
    world today global club life xyz space website email link click top vip agency company
    community computer compare comsec commbank network netbank netflix organic education
    government solutions services group studio design health care law legal bank insurance
    finance capital money games game fun social family art center academy school college
    university foundation charity ngo church tours events press tv radio music video photo
    photography pics gallery page host hosting systems software codes technology consulting
    partners ventures holdings enterprises industries international inc llc ltd marketing
    support help guide wiki forum chat zone one plus pay market markets exchange
    trade trading auto cars fit fitness beauty fashion clothing shoes jewelry watch wine beer
    pizza restaurant cafe coffee kitchen recipes farm garden house homes realestate properties
    rentals apartments hotel hotels flights cruises vacations tickets sport football soccer golf
    tennis poker casino bet bingo lotto dating singles love baby kids toys pet pets dog vet
    dental doctor clinic hospital pharmacy healthcare science energy solar eco green city town
    london nyc paris berlin tokyo amsterdam brussels vegas miami boston africa"""
)
TLDS = COUNTRY_TLDS | GENERIC_TLDS

# Top-level domains recognised in a bare ``name.tld`` written in prose. Two-letter codes that
# are everyday words ("word.it", "word.in") and word-like generic TLDs ("word.live") are left
# out: in prose they are more often two sentences glued together than a domain, so they need
# "www." or a scheme to count.
_WORDLIKE_TLDS = words("am as at be by do go if in is it me my no of on or so to up us we")
BARE_TLDS = (COUNTRY_TLDS - _WORDLIKE_TLDS) | words("com org net edu gov mil int info biz mobi io ai app dev xyz")

# Second-level registration suffixes under which the registrable name is three labels deep.
SECOND_LEVEL_SUFFIXES = words(
    """co.uk org.uk ac.uk gov.uk me.uk ltd.uk plc.uk net.uk sch.uk nhs.uk police.uk
    com.au net.au org.au edu.au gov.au asn.au id.au co.nz org.nz net.nz govt.nz ac.nz
    co.jp ne.jp or.jp ac.jp go.jp com.br net.br org.br gov.br co.in net.in org.in gov.in ac.in
    com.mx org.mx gob.mx co.za org.za gov.za com.cn net.cn org.cn gov.cn com.hk org.hk com.sg
    org.sg gov.sg com.tw org.tw co.kr or.kr go.kr com.ar com.co com.tr co.il org.il ac.il com.my
    com.ph com.pk com.sa com.ua co.id or.id go.id com.vn com.pe com.ng co.ke com.eg co.th ac.th
    com.pl co.at or.at com.es com.pt com.gr com.ru com.bd com.mt com.cy com.ec com.uy com.ve
    com.do com.gt com.py com.bo com.sv com.ni com.pa com.qa com.kw com.bh com.om com.lb com.jo
    co.ae"""
)

# --- patterns ----------------------------------------------------------------------------

_URL_CHARS = r"[^\s<>\"'`{}|\\^\[\]()]"
_HOST = r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*"
_BARE_TLD_ALTERNATION = "|".join(sorted(BARE_TLDS, key=lambda tld: (-len(tld), tld)))
_REF = compiled(
    # a URL with a scheme
    rf"(?P<url>\b(?:https?|ftp)://{_URL_CHARS}+)"
    # an e-mail address (before www., so that "www.info@x.com" stays one address)
    rf"|(?P<email>(?<![\w.@%+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)"
    # a www. host with an optional path
    rf"|(?P<www>(?<![\w.@/-])www\d?\.{_HOST}(?:[/?#]{_URL_CHARS}*)?)"
    # a bare domain name with a known top-level domain
    rf"|(?P<bare>(?<![\w.@/-])(?:[A-Za-z0-9][A-Za-z0-9-]*\.)+(?:{_BARE_TLD_ALTERNATION})"
    rf"(?![\w@-])(?:/{_URL_CHARS}*)?)",
    re.IGNORECASE,
)
# Every match of _REF contains one of these and no whitespace (see token_spans).
_REF_ANCHOR = compiled(r"@|://|\.\S")
_TRAILING = ".,;:!?'\"*_"
_GLUED_SENTENCE = compiled(r"(?<=[a-z0-9/])\.[A-Z][a-z]+$")  # "…/opt_out.asp.If", "acme.com.Please"
_SCHEME = compiled(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)


class RefKind(StrEnum):
    """What kind of web reference a token is."""

    EMAIL = "email"
    URL = "url"  # with a scheme or www.
    DOMAIN = "domain"  # a bare domain name, possibly with a path


@dataclass(frozen=True, slots=True)
class WebRef:
    """An e-mail address, URL or domain name and where it is.

    ``start``/``end`` are offsets in ``Document.text``, or in ``Document.source`` when
    ``in_source`` is true (a link target that is not visible in the text).
    """

    kind: RefKind
    text: str
    host: str
    start: int
    end: int
    in_source: bool = False

    @property
    def registrable(self) -> str:
        """The registrable domain of the host (``mail.acme.co.uk`` → ``acme.co.uk``)."""
        return registrable_domain(self.host)


def registrable_domain(host: str) -> str:
    """Return the registrable part of a host name: the last two labels, or three under a
    known second-level suffix such as ``co.uk``.

    >>> registrable_domain("www.news.bbc.co.uk")
    'bbc.co.uk'
    """
    labels = host.lower().strip(".").split(".")
    under_suffix = ".".join(labels[-2:]) in SECOND_LEVEL_SUFFIXES and len(labels) > 2  # noqa: PLR2004
    return ".".join(labels[-3:] if under_suffix else labels[-2:])


def split_domain(domain: str) -> tuple[str, str]:
    """Split a registrable domain into its name label and its suffix (``acme``, ``co.uk``)."""
    name, _, suffix = domain.partition(".")
    return name, suffix


def url_host(url: str) -> str:
    """Return the lower-case host of a URL with or without a scheme."""
    rest = _SCHEME.sub("", url, count=1)
    host = re.split(r"[/?#]", rest, maxsplit=1)[0]
    host = host.rpartition("@")[2].partition(":")[0]
    return host.lower().strip(".")


def trim_glued_labels(name: str) -> str:
    """Cut a domain written as ``example.com.Please`` where a sentence was glued on.

    A label that starts with a capital after a lower-case known TLD starts a new sentence.
    """
    labels = name.split(".")
    for index in range(1, len(labels) - 1):
        label, following = labels[index], labels[index + 1]
        if label.islower() and label in TLDS and following[:1].isupper() and not following.isupper():
            return ".".join(labels[: index + 1])
    return name


# --- finding references --------------------------------------------------------------------


@lru_cache(maxsize=8)
def text_refs(text: str) -> tuple[WebRef, ...]:
    """The e-mail addresses, URLs and domain names written in ``text``, in order.

    Several detectors need them for the same document, so the last few results are kept.
    """
    return tuple(scan_refs(text))


def scan_refs(text: str) -> Iterator[WebRef]:
    """Yield the e-mail addresses, URLs and domain names written in ``text``.

    Only the words with an ``@``, ``://`` or an inner dot are searched: trying the long
    pattern at every position of a policy is the slow part otherwise.
    """
    for start, end in token_spans(text, _REF_ANCHOR):
        yield from _scan_token(text, start, end)


def _scan_token(text: str, start: int, end: int) -> Iterator[WebRef]:
    """The references in ``text[start:end]``, a whitespace-delimited word."""
    for match in _REF.finditer(text, start, end):
        kind = match.lastgroup
        token = match.group().rstrip(_TRAILING)
        if kind == "email":
            token = trim_glued_labels(token)
            ref_kind, host = RefKind.EMAIL, token.rpartition("@")[2].lower()
        else:
            token = _GLUED_SENTENCE.sub("", token)
            if kind == "bare" and not _plausible_bare_host(re.split(r"[/?#]", token, maxsplit=1)[0]):
                continue
            ref_kind, host = (RefKind.DOMAIN if kind == "bare" else RefKind.URL), url_host(token)
        if "." in host:
            yield WebRef(ref_kind, token, host, match.start(), match.start() + len(token))


def _plausible_bare_host(host: str) -> bool:
    """A bare ``name.tld`` counts when its TLD is lower case or the whole name is upper case
    ("ABITA.COM"), but not when a capitalised word follows a full stop ("information.It")."""
    tld = host.rpartition(".")[2]
    return tld.islower() or host.isupper() or (tld.isupper() and tld.lower() not in _WORDLIKE_TLDS)


def link_target_ref(doc: Document, link: Link) -> WebRef | None:
    """Return the address or URL a link points to, located in the source markup.

    ``mailto:`` targets give the address; ``http(s)://``, ``//`` and ``www.`` targets give
    the URL. Other targets (relative paths, fragments, ``tel:``) give ``None``.
    """
    target = link.target.strip()
    lowered = target.lower()
    if lowered.startswith("mailto:"):
        offset = len("mailto:")
        address = unquote(target[offset:].split("?", 1)[0]).strip()
        kind, value, host = RefKind.EMAIL, address, address.rpartition("@")[2].lower()
    elif lowered.startswith(("http://", "https://", "//", "www.")):
        offset = 0
        kind, value, host = RefKind.URL, target, url_host(target)
    else:
        return None
    start, end = _source_span(doc, link, target, offset, value)
    return WebRef(kind, value, host, start, end, in_source=True)


def _source_span(doc: Document, link: Link, target: str, offset: int, value: str) -> tuple[int, int]:
    """Where ``value`` (at ``offset`` inside ``target``) sits in the link's source markup."""
    position = doc.source.find(target, link.source_start, link.source_end)
    if position < 0 or not value:
        return link.source_start, link.source_end
    start = position + offset
    return start, start + len(value)


def link_target_refs(doc: Document) -> Iterator[WebRef]:
    """Yield link targets whose address or URL is not already visible in the link text."""
    for link in doc.links:
        ref = link_target_ref(doc, link)
        if ref is not None and not _visible_in(ref, link.text):
            yield ref


def _visible_in(ref: WebRef, visible: str) -> bool:
    """Whether the link text already shows the target (so the text occurrence reports it)."""
    shown = normalise_address(visible)
    target = ref.text.lower() if ref.kind is RefKind.EMAIL else normalise_address(ref.text)
    return bool(shown and ref.text) and (shown == target or ref.text.lower() in visible.lower())


def normalise_address(value: str) -> str:
    """Normalise an address or URL for comparison: no ``mailto:``, scheme, ``www.``, query
    string for ``mailto``, trailing slash; lower case.

    >>> normalise_address("HTTPS://www.Example.com/Privacy/")
    'example.com/privacy'
    """
    text = value.strip().lower()
    if text.startswith("mailto:"):
        text = unquote(text[len("mailto:") :].split("?", 1)[0])
    text = _SCHEME.sub("", text, count=1)
    text = text.removeprefix("www.")
    return text.rstrip("/")


def ref_spans(text: str, kinds: frozenset[RefKind] = frozenset(RefKind)) -> list[tuple[int, int]]:
    """The sorted, disjoint spans of the references of ``text`` of the given kinds."""
    return [(ref.start, ref.end) for ref in text_refs(text) if ref.kind in kinds]


def inside(spans: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    """Whether ``[start, end)`` lies within one of the sorted, disjoint ``spans``."""
    index = bisect_right(spans, (start, sys.maxsize)) - 1
    return index >= 0 and spans[index][0] <= start and end <= spans[index][1]


def web_refs(doc: Document) -> list[WebRef]:
    """All web references of a document: those in its text, then hidden link targets."""
    return [*text_refs(doc.text), *link_target_refs(doc)]


def edit_distance(first: str, second: str, cutoff: int | None = None) -> int:
    """The optimal string alignment distance (rapidfuzz's OSA; ``cutoff + 1`` when larger than ``cutoff``).

    rapidfuzz is imported on the first call: its compiled modules take longer to load
    than most policies take to lint, and most policies never need a distance.
    """
    from rapidfuzz.distance import OSA

    return int(OSA.distance(first, second, score_cutoff=cutoff))
