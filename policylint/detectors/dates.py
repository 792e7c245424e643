"""The policy's own date: ``policy-date`` (where it is) and ``stale-date`` (too old or future).

A date counts as the policy's own when a label introduces it ("Last updated:", "Effective
Date:", "Revised", "was most recently updated on", "(Last modified January, 2015)") or when
it stands in the policy's title line ("Caribou Coffee Privacy Statement June 3, 2003").
Dates of laws ("Section 22575(b) (as amended effective January 1, 2014)"), copyright years
and archive notes ("archived on 2007-12-26") are not. A labelled date on a line of its own
beats one inside a sentence, which beats a date in the title; among dates of the best kind
the most recent one that is not in the future wins: "Effective date: July 1, 2004, Updated:
December 23, 2013" is a 2013 policy.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from enum import IntEnum
from functools import lru_cache
from heapq import merge
from typing import Any

from policylint.detectors import Context, DetectorError, Finding
from policylint.model import Document
from policylint.prefilter import candidate_starts, caseless, matches_at
from policylint.regexcode import compiled

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|wednes|thu|thur|thurs|fri|sat|satur|sun)(?:day)?\.?,?\s+)?"
_ORDINAL = r"(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d{2}"
_DATE = compiled(
    rf"(?<![\w/.-])(?:"
    rf"{_WEEKDAY}(?P<m1>{_MONTH})\s*(?P<d1>[0-3]?\d){_ORDINAL}(?:,?\s+|/)(?P<y1>{_YEAR})"
    rf"|{_WEEKDAY}(?P<d2>[0-3]?\d){_ORDINAL}(?:\s+of)?[\s-]+(?P<m2>{_MONTH}),?[\s-]+(?P<y2>{_YEAR})"
    rf"|(?P<m3>{_MONTH}),?\s+(?P<y3>{_YEAR})"
    rf"|(?P<y4>{_YEAR})[-/](?P<m4>[01]?\d)[-/](?P<d4>[0-3]?\d)"
    rf"|(?P<a5>[0-3]?\d)/(?P<b5>[0-3]?\d)/(?P<y5>{_YEAR}|\d{{2}})"
    rf"|(?P<a6>[0-3]?\d)[.-](?P<b6>[0-3]?\d)[.-](?P<y6>{_YEAR})"
    rf"|(?P<y7>{_YEAR})"
    rf")(?![\w/-]|\.\d)",
    re.IGNORECASE,
)
# Every date starts a word (see the lookbehind) with a digit or with the first three
# letters of a weekday or month name: the only places where _DATE is tried.
_DATE_WORDS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun", *_MONTHS)
_DIGITS = compiled(r"\d+")
_LABEL_TAIL = r"(?>\s+(?:date|on|as\s+of|of|from|since|in))*\s*[:\-–—(,]?\s*(?:the\s+)?$"
# A label right before a date that makes it the policy's date, in a sentence or on its own
# line: "This Privacy Policy was last updated on", "Effective Date:".
_LABEL = compiled(
    r"(?:\b(?:last(?:ly)?|most\s+recently|recently)?\s*(?:updated|modified|revised)|\beffective(?:\s+date)?"
    r"|\bdate\s+of\s+(?:last\s+)?(?:revision|update|modification)|\b(?:version|revision)\s+date"
    r"|\bdate\s+(?:last\s+)?(?:updated|modified|revised))" + _LABEL_TAIL,
    re.IGNORECASE,
)
# Labels that name the policy's date only on a line of their own ("Posted: May 1, 2012").
_LINE_LABEL = compiled(
    r"\b(?:(?:last\s+)?(?:reviewed|amended|changed)|posted|released|published|dated|in\s+effect)" + _LABEL_TAIL,
    re.IGNORECASE,
)
_NOT_THE_POLICY = compiled(
    r"\b(?:archived|copyright|captured|crawled|retrieved|accessed)\b|©|\(c\)\s*$"
    r"|\bamended\s+effective\b",
    re.IGNORECASE,
)
# Sentences about a law, unless they also speak of this policy.
_LAW = compiled(
    r"\b(?:section|act|code|law|statute|regulations?|directive|rule|ordinance|bill"
    r"|CCPA|CPRA|GDPR|COPPA|CalOPPA|HIPAA|CAN-SPAM|VCDPA|CDPA|CTDPA|UCPA|PIPEDA|LGPD"
    # US states whose privacy laws took effect on dates that policies quote
    r"|California|Colorado|Connecticut|Delaware|Indiana|Iowa|Kentucky|Montana|Nevada|New\s+Hampshire"
    r"|New\s+Jersey|Oregon|Rhode\s+Island|Tennessee|Texas|Utah|Virginia|Vermont|Maryland|Minnesota|Nebraska)\b",
    re.IGNORECASE,
)
_THIS_POLICY = compiled(
    r"\b(?:this|our|the)\s+(?:online\s+)?(?:privacy\s+)?(?:policy|statement|notice|page)\b",
    re.IGNORECASE,
)
_TITLE_WORDS = compiled(r"\b(?:privacy|policy|statement|notice|terms)\b", re.IGNORECASE)
_LABEL_WINDOW = 60  # characters before a date searched for its label
_TITLE_MAX_WORDS = 15
_TITLE_MAX_CHARS = 200  # longer blocks are never a title or a date line
_NEARBY = 200  # characters around a date read for what the sentence is about
_EDGE_BLOCKS = 4  # a bare date line counts near the top or the bottom of the document
_CENTURY = 2000  # "1/1/09" is 2009
_SHORT_YEAR = 2
_MONTHS_IN_YEAR = 12
_DAYS_IN_YEAR = 365


class Precision(IntEnum):
    """How much of a date the text gives."""

    YEAR = 1
    MONTH = 2
    DAY = 3


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date written in the document: its span, value and precision."""

    start: int
    end: int
    value: date
    precision: Precision

    @property
    def latest(self) -> date:
        """The last day the mention can mean ("May 2014" → 31 May 2014)."""
        if self.precision is Precision.DAY:
            return self.value
        month = 12 if self.precision is Precision.YEAR else self.value.month
        return date(self.value.year, month, calendar.monthrange(self.value.year, month)[1])


def find_policy_date(doc: Document, today: date | None = None) -> tuple[int, int, date] | None:
    """Return the policy's own effective / last-updated date as ``(start, end, date)``.

    Offsets are into ``doc.text``. A month-only date gives the first of the month. With
    ``today``, dates after it are passed over while an earlier one exists.
    """
    found = policy_date_mention(doc, today)
    return (found.start, found.end, found.value) if found else None


def policy_date_mention(doc: Document, today: date | None = None) -> DateMention | None:
    """The :class:`DateMention` behind :func:`find_policy_date`.

    Candidates are ranked: a labelled date standing on its own line ("Last updated: May 1,
    2024", "Privacy Policy - Effective January 14, 2015"), then a labelled date inside a
    sentence ("This Privacy Policy, last modified on May 28, 2015, ..."), then a date in the
    title line. The most recent date of the best rank wins.
    """
    ranked: dict[Rank, list[DateMention]] = {}
    for mention in date_mentions(doc.text):
        rank = _rank(doc, mention)
        if rank is not None:
            ranked.setdefault(rank, []).append(mention)
    return _most_recent(ranked[min(ranked)], today) if ranked else None


def date_mentions(text: str) -> Iterator[DateMention]:
    """Yield every calendar date written in ``text`` (year-only mentions included)."""
    yield from _date_mentions(text)


@lru_cache(maxsize=4)
def _date_mentions(text: str) -> tuple[DateMention, ...]:
    """The dates of ``text``, kept for the last few texts: ``policy-date`` and ``stale-date``
    (often several rules of each) read the same document."""
    digit_starts = (match.start() for match in _DIGITS.finditer(text))
    starts = merge(digit_starts, candidate_starts(caseless(text), _DATE_WORDS))
    mentions = (_mention(match) for match in matches_at(_DATE, text, starts))
    return tuple(mention for mention in mentions if mention is not None)


def _mention(match: re.Match[str]) -> DateMention | None:
    groups = {key: value for key, value in match.groupdict().items() if value is not None}
    year_text = next(groups[key] for key in groups if key.startswith("y"))
    year = int(year_text) + (_CENTURY if len(year_text) == _SHORT_YEAR else 0)
    precision, month, day = Precision.YEAR, 1, 1
    if "m1" in groups or "m2" in groups or "m3" in groups:
        name = groups.get("m1") or groups.get("m2") or groups["m3"]
        found = _MONTHS.get(name[:3].lower())  # "ſep" matches the pattern case-insensitively but is no key
        if found is None:
            return None
        month = found
        day_text = groups.get("d1") or groups.get("d2")
        precision = Precision.DAY if day_text else Precision.MONTH
        day = int(day_text) if day_text else 1
    elif "m4" in groups:
        precision, month, day = Precision.DAY, int(groups["m4"]), int(groups["d4"])
    elif "a5" in groups:  # US order unless the first number cannot be a month
        first, second = int(groups["a5"]), int(groups["b5"])
        month, day = (second, first) if first > _MONTHS_IN_YEAR else (first, second)
        precision = Precision.DAY
    elif "a6" in groups:  # 01.02.2009: day first
        precision, day, month = Precision.DAY, int(groups["a6"]), int(groups["b6"])
    try:
        value = date(year, month, day)
    except ValueError:
        return None
    return DateMention(match.start(), match.end(), value, precision)


class Rank(IntEnum):
    """How surely a date is the policy's own (lower is surer)."""

    LABEL_LINE = 1
    LABEL_IN_SENTENCE = 2
    TITLE = 3


def _rank(doc: Document, mention: DateMention) -> Rank | None:
    """Whether the mention is the policy's date, and how surely; ``None`` if it is not."""
    if not doc.sentences:
        return None
    index = doc.block_index(mention.start)
    block = doc.blocks[index]
    start = block.start
    if index > 0 and mention.start - block.start < _LABEL_WINDOW and not doc.text[block.start : mention.start].strip():
        start = doc.blocks[index - 1].start  # "Last Modified:" on the line before the date
    before = doc.text[max(start, mention.start - _LABEL_WINDOW) : mention.start]
    sentence = doc.sentences[doc.sentence_index(mention.start)]
    nearby = doc.text[max(sentence.start, mention.start - _NEARBY) : min(sentence.end, mention.end + _NEARBY)]
    if _NOT_THE_POLICY.search(before) or (_LAW.search(nearby) and not _THIS_POLICY.search(nearby)):
        return None
    short = _short_block_text(doc, index) is not None
    # "Published: March 23, 2021 WP Company LLC ...": a form label opening a block with glued text
    leads = mention.start - block.start <= _LABEL_WINDOW and before.rstrip().endswith(":")
    year_only = mention.precision is Precision.YEAR and not before.rstrip().endswith(":")
    if (short or leads) and not year_only and (_LABEL.search(before) or _LINE_LABEL.search(before)):
        return Rank.LABEL_LINE
    if mention.precision is Precision.YEAR:
        return None  # "updated in 2019" says too little unless a form label gives it
    if _LABEL.search(before):
        return Rank.LABEL_IN_SENTENCE
    return Rank.TITLE if short and _in_title(doc, index, mention) else None


def _short_block_text(doc: Document, index: int) -> str | None:
    """The text of a block of at most ``_TITLE_MAX_WORDS`` words, else ``None``."""
    block = doc.blocks[index]
    if block.end - block.start > _TITLE_MAX_CHARS:
        return None
    text = doc.text[block.start : block.end]
    return text if len(text.split()) <= _TITLE_MAX_WORDS else None


def _in_title(doc: Document, index: int, mention: DateMention) -> bool:
    """A date in a short block near the top that names the policy ("Privacy Statement June 3,
    2003"), or alone on a line near the top or the bottom."""
    block = doc.blocks[index]
    block_text = doc.text[block.start : block.end]
    if _NOT_THE_POLICY.search(block_text):
        return False
    if _TITLE_WORDS.search(block_text) and index < _EDGE_BLOCKS * 2:
        return True
    rest = doc.text[block.start : mention.start] + doc.text[mention.end : block.end]
    near_edge = index < _EDGE_BLOCKS or index >= len(doc.blocks) - _EDGE_BLOCKS
    return near_edge and not re.search(r"[A-Za-z]", rest)


def _most_recent(mentions: list[DateMention], today: date | None) -> DateMention | None:
    if not mentions:
        return None
    past = [m for m in mentions if today is None or m.value <= today]
    if past:
        return max(past, key=lambda m: (m.value, -m.start))
    return min(mentions, key=lambda m: (m.value, m.start))


# --- detectors ---------------------------------------------------------------------------------


def policy_date(doc: Document, _params: Mapping[str, Any], ctx: Context) -> Iterator[Finding]:
    """Yield the policy's own date, if it states one."""
    found = policy_date_mention(doc, ctx.today)
    if found is not None:
        yield Finding(found.start, found.end, f"policy date: {found.value.isoformat()}")


def stale_date(doc: Document, params: Mapping[str, Any], ctx: Context) -> Iterator[Finding]:
    """Yield the policy's date when it is older than ``max_age_days`` or in the future."""
    max_age = params.get("max_age_days", ctx.max_age_days)
    if not isinstance(max_age, int) or isinstance(max_age, bool) or max_age < 1:
        raise DetectorError(f"stale-date: max_age_days must be a positive integer, not {max_age!r}")
    found = policy_date_mention(doc, ctx.today)
    if found is None:
        return
    written = " ".join(doc.text[found.start : found.end].split())
    if found.value > ctx.today:
        message = f"policy date {written} is in the future (today is {ctx.today.isoformat()})"
        yield Finding(found.start, found.end, message)
        return
    age = (ctx.today - found.latest).days
    if age > max_age:
        yield Finding(
            found.start,
            found.end,
            f"policy date {written} is {_age_text(age)} old; review and re-date the policy at least "
            f"every {max_age} days",
        )


def _age_text(days: int) -> str:
    years = days // _DAYS_IN_YEAR
    if years > 1:
        return f"over {years} years"
    if years == 1:
        return f"over a year ({days} days)"
    return f"{days} days"
