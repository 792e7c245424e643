"""``obsolete-reference``: mentions of a defunct legal framework, law or body.

One detector, one ``framework`` parameter per rule (the check file gives each rule the
message saying what replaced the framework and since when). Every mention is reported,
headings and contents entries included, except:

* historical mentions in the same sentence ("formerly TRUSTe", "before Privacy Shield was
  invalidated", "the GDPR replaced the Data Protection Directive");
* for "safe harbor", the other senses of the phrase: the COPPA safe-harbor programmes, the
  HIPAA de-identification safe harbor, the DMCA and Section 230 safe harbors, securities
  law. A mention is read in the light of its sentence, then its paragraph, then (for a
  heading or contents entry) the paragraphs that follow; a mention nothing explains takes
  the sense of the document's other mentions, and EU-US by default.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from policylint.detectors import Context, DetectorError, Finding
from policylint.detectors._web import inside, ref_spans, text_refs
from policylint.model import Document
from policylint.prefilter import candidate_starts, caseless, matches_at
from policylint.regexcode import compiled


@dataclass(frozen=True, slots=True)
class Framework:
    """How to recognise one obsolete framework or body.

    ``needs`` and ``starts`` (lower-case literals) only make the search faster: a text in
    whose caseless copy none of ``needs`` occurs has no match, and every match starts at
    one of ``starts`` in the caseless copy. Most policies name no obsolete framework, so
    this usually settles a document with a few ``str`` searches instead of a regex scan.
    """

    pattern: re.Pattern[str]
    domains: frozenset[str] = frozenset()  # its web sites: a link to one names it too
    ambiguous: bool = False  # "safe harbor": needs the EU-US sense
    unless: re.Pattern[str] | None = None  # a sentence that cites it legitimately
    needs: tuple[str, ...] = ()
    starts: tuple[str, ...] = ()

    def matches(self, text: str) -> Iterator[re.Match[str]]:
        """``pattern.finditer(text)``, searched only where a match can be."""
        folded = caseless(text)
        if self.needs and not any(word in folded for word in self.needs):
            return iter(())
        if self.starts:
            return matches_at(self.pattern, text, candidate_starts(folded, self.starts))
        return self.pattern.finditer(text)


def _ci(pattern: str) -> re.Pattern[str]:
    return compiled(pattern, re.IGNORECASE)


FRAMEWORKS: Mapping[str, Framework] = {
    "safe-harbor": Framework(_ci(r"\bsafe[\s-]*harbou?rs?\b"), ambiguous=True, starts=("safe",)),
    "privacy-shield": Framework(
        _ci(r"\bprivacy[\s-]*shield\b"), frozenset({"privacyshield.gov"}), needs=("shield",), starts=("privacy",)
    ),
    "directive-95-46": Framework(
        _ci(
            r"\b95/46(?:/EC)?\b|\bdata\s+protection\s+directive\b|\bdirective\s+on\s+data\s+protection\b"
            r"|\bdirective\s+on\s+the\s+protection\s+of\s+individuals\s+with\s+regard\s+to\s+the\s+processing"
        ),
        needs=("95/46", "directive"),
        starts=("95/46", "data", "directive"),
    ),
    "truste": Framework(
        _ci(r"\btruste(?:\b|(?=watchdog|seal))"),
        frozenset({"truste.com", "truste.org"}),
        unless=_ci(r"\btrustarc\b"),
        starts=("truste",),
    ),
    "casro": Framework(
        _ci(r"\bCASRO\b|\bCouncil\s+of\s+American\s+Survey\s+Research\s+Organi[sz]ations?\b"),
        frozenset({"casro.org"}),
        starts=("casro", "council"),
    ),
    "article-29-working-party": Framework(
        _ci(r"\bArticle\s+29\s+(?:Data\s+Protection\s+)?Working\s+Party\b|\bWP\s?29\b|\bArt\.\s*29\s+WP\b"),
        unless=_ci(r"\bguidelines?\b|\bopinions?\b|\brecommendations?\b|\bendorsed\b|\bWP\s?\d{2,3}\b(?<!29)"),
        needs=("29",),
        starts=("article", "wp", "art."),
    ),
    "old-sccs": Framework(
        _ci(
            r"\b(?:2010/87/EU|2001/497/EC|2004/915/EC)\b"
            r"|\bC\s*\(\s*(?:2010\s*\)\s*593|2004\s*\)\s*5271|2001\s*\)\s*1539)\b"
        ),
        needs=("2010", "2004", "2001"),
    ),
    "uk-dpa-1998": Framework(
        _ci(r"\bData\s+Protection\s+Act\s+(?:of\s+)?1998\b|\bDPA\s+1998\b"), needs=("1998",), starts=("data", "dpa")
    ),
    "swiss-fadp-1992": Framework(
        _ci(r"\bFederal\s+Act\s+on\s+Data\s+Protection\s+of\s+19\s+June\s+1992\b|\bFADP\s+(?:of\s+)?1992\b"),
        needs=("1992",),
        starts=("federal", "fadp"),
    ),
    "ttdsg": Framework(
        compiled(
            r"\bTTDSG\b|\bTelekommunikation-Telemedien-Datenschutz-Gesetz\b|\bTelemediengesetz(?:es)?\b|§+\s*1[1-5]a?\s+TMG\b"
        ),
        needs=("ttdsg", "telekommunikation-telemedien", "telemediengesetz", "tmg"),
        starts=("ttdsg", "telekommunikation-telemedien", "telemediengesetz", "§"),
    ),
    "ccpa-999-regulations": Framework(
        _ci(
            r"§+\s*999\.3\d\d\b|\b11\s+CCR\s+(?:§+\s*)?999(?:\.\d+)?\b|\bCal(?:ifornia|\.)?\s+Code\s+(?:of\s+)?Regs?\.?,?\s+tit(?:le|\.)?\s*11,?\s+§+\s*999"
        ),
        needs=("999",),
        starts=("§", "11", "cal"),
    ),
}

_HISTORICAL = _ci(
    r"\b(?:previously|formerly|former|no\s+longer|used\s+to|invalidated|invalidation|struck\s+down"
    r"|annulled|replaced|replaces|repealed|superseded|supersedes|succeeded|successor|predecessor"
    r"|historically|was\s+renamed|renamed|before\s+it\s+was|expired|defunct|ceased"
    r"|(?:ruled|declared|held|found)\s+(?:to\s+be\s+)?invalid|(?:does|do|is|are)\s+not\s+(?:currently\s+)?rely(?:ing)?)\b"
)
# What a mention of "safe harbor" refers to, from the words around it: strong clues first.
_EU_STRONG = compiled(
    r"\b(?:EU|E\.U\.|EEA|European|Europe|Switzerland|Swiss|Department\s+of\s+Commerce|Dept\.?\s+of\s+Commerce"
    r"|Commerce\s+Department|export\.gov|Privacy\s+Principles|Safe\s+Harbou?r\s+(?:Privacy\s+)?(?:Principles|Framework))\b",
    re.IGNORECASE,
)
_OTHER_STRONG = compiled(
    r"\b(?:COPPA|Children['’]s\s+Online\s+Privacy|FTC[-\s]approved|kidSAFE|PRIVO|ESRB|CARU|iKeepSafe|DMCA"
    r"|Digital\s+Millennium|HIPAA|Section\s+230|Communications\s+Decency|Private\s+Securities)\b",
    re.IGNORECASE,
)
_EU_WEAK = compiled(
    r"\b(?:onward\s+transfers?|transfers?\s+of\s+(?:personal\s+)?(?:data|information)|adequa(?:te|cy))\b",
    re.IGNORECASE,
)
_OTHER_WEAK = compiled(
    r"\b(?:children|child|kids|parental|parents?|copyright|infring\w*|de-?identif\w*|protected\s+health\s+information"
    r"|securities|forward-looking|tax)\b",
    re.IGNORECASE,
)
_CLUES = ((_EU_STRONG, "obsolete"), (_OTHER_STRONG, "other"), (_OTHER_WEAK, "other"), (_EU_WEAK, "obsolete"))
_DOTTED_END = compiled(r"\b(?:[A-Za-z]\.){2,}$")  # "U.S.", "E.U."
_REACH = 300  # characters either side of a mention read for its context
_SHORT_BLOCK_WORDS = 15  # a heading or contents entry: read the paragraphs after it
_FOLLOWING_BLOCKS = 3


class Sense(Enum):
    """What a mention of an ambiguous name refers to."""

    OBSOLETE = "obsolete"
    OTHER = "other"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Mention:
    """One occurrence of a framework's name."""

    start: int
    end: int
    sense: Sense
    in_source: bool = False


def obsolete_reference(doc: Document, params: Mapping[str, Any], _ctx: Context) -> Iterator[Finding]:
    """Yield every current (non-historical) mention of the framework named by ``framework``."""
    name = params.get("framework")
    framework = FRAMEWORKS.get(str(name))
    if framework is None:
        known = ", ".join(sorted(FRAMEWORKS))
        raise DetectorError(f"obsolete-reference: unknown framework {name!r} (known: {known})")
    mentions = list(find_mentions(doc, framework))
    senses = {mention.sense for mention in mentions}
    # A mention nothing explains takes the sense of the others; EU-US when there are none.
    unknown_is_obsolete = Sense.OBSOLETE in senses or Sense.OTHER not in senses
    for mention in mentions:
        if mention.sense is Sense.OBSOLETE or (mention.sense is Sense.UNKNOWN and unknown_is_obsolete):
            yield Finding(mention.start, mention.end, in_source=mention.in_source)


def find_mentions(doc: Document, framework: Framework) -> Iterator[Mention]:
    """Yield the framework's mentions that are not historical, each with its sense."""
    spans = ref_spans(doc.text)
    for match in framework.matches(doc.text):
        if inside(spans, match.start(), match.end()):
            continue
        sentence = _sentence(doc, match.start(), match.end())
        if _HISTORICAL.search(sentence) or (framework.unless and framework.unless.search(sentence)):
            continue
        sense = _sense(doc, match.start(), match.end()) if framework.ambiguous else Sense.OBSOLETE
        yield Mention(match.start(), match.end(), sense)
    for ref in text_refs(doc.text):
        if ref.registrable in framework.domains and not _HISTORICAL.search(_sentence(doc, ref.start, ref.end)):
            yield Mention(ref.start, ref.end, Sense.OBSOLETE)


def _sentence(doc: Document, start: int, end: int) -> str:
    """The sentence around ``[start, end)``, joined with a neighbour across a dotted
    abbreviation ("... in the EU-U.S. Privacy Shield"), which sentence splitting breaks;
    at most ``_REACH`` characters either side."""
    if not doc.sentences:
        return _clip(doc, 0, len(doc.text), start, end)
    first = last = doc.sentence_index(start)
    if first > 0 and _continues(doc, first - 1, first):
        first -= 1
    if last + 1 < len(doc.sentences) and _continues(doc, last, last + 1):
        last += 1
    return _clip(doc, doc.sentences[first].start, doc.sentences[last].end, start, end)


def _clip(doc: Document, low: int, high: int, start: int, end: int) -> str:
    """The text of ``[low, high)`` within ``_REACH`` characters of ``[start, end)``."""
    return doc.text[max(low, start - _REACH) : min(high, end + _REACH)]


def _continues(doc: Document, before: int, after: int) -> bool:
    left, right = doc.sentences[before], doc.sentences[after]
    return left.block == right.block and bool(_DOTTED_END.search(doc.text, left.start, left.end))


def _sense(doc: Document, start: int, end: int) -> Sense:
    """Read an ambiguous mention in its sentence, paragraph and (for a heading) what follows."""
    contexts = [_sentence(doc, start, end)]
    if doc.blocks:
        index = doc.block_index(start)
        block = doc.blocks[index]
        contexts.append(_clip(doc, block.start, block.end, start, end))
        if len(contexts[-1].split()) <= _SHORT_BLOCK_WORDS:
            following = doc.blocks[index + 1 : index + 1 + _FOLLOWING_BLOCKS]
            contexts += [doc.text[b.start : min(b.end, b.start + _REACH)] for b in following]
    for context in contexts:
        for clue, sense in _CLUES:
            if clue.search(context):
                return Sense(sense)
    return Sense.UNKNOWN
