"""The engine: (document, checks, context) -> one result per check. Pure, no I/O."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from policylint.checks import Check, CheckKind, Rule, Scope
from policylint.detectors import Context, get_detector
from policylint.model import BlockKind, Document, Evidence, Result, Status

EXCERPT_CHARS = 240
_MAX_CHARS_PER_WORD = 40


@dataclass(frozen=True, slots=True)
class Hit:
    """A match of one rule: a span of the normalised text (or of the source)."""

    start: int
    end: int
    rule: int = 0
    message: str = ""
    in_source: bool = False


def evaluate(doc: Document, checks: Sequence[Check], context: Context | None = None) -> tuple[Result, ...]:
    """Evaluate every check against the document, in the order given."""
    ctx = context or Context()
    return tuple(evaluate_check(doc, check, ctx) for check in checks)


def evaluate_check(doc: Document, check: Check, context: Context) -> Result:
    """Evaluate one check: pass, fail or not-applicable, with evidence."""
    if check.when and not any(_first(rule_hits(doc, rule, context)) for rule in check.when):
        return Result(
            check.id,
            Status.NOT_APPLICABLE,
            check.severity,
            "Not applicable: the condition for this check does not hold",
        )
    hits = [
        Hit(hit.start, hit.end, index, hit.message, hit.in_source)
        for index, rule in enumerate(check.rules)
        for hit in rule_hits(doc, rule, context)
    ]
    if check.kind is CheckKind.ANOMALY:
        if not hits:
            return Result(check.id, Status.PASS, check.severity, f"No {check.title[0].lower()}{check.title[1:]}")
        evidence = tuple(_anomaly_evidence(doc, check, hit) for hit in _ordered_anomalies(hits))
        return Result(check.id, Status.FAIL, check.severity, check.message, evidence)
    if not hits:
        return Result(check.id, Status.FAIL, check.severity, check.message)
    return Result(
        check.id, Status.PASS, check.severity, check.title, _disclosure_evidence(doc, hits, check.evidence_limit)
    )


def _first(hits: Iterable[Hit]) -> bool:
    return next(iter(hits), None) is not None


# --- rules ---------------------------------------------------------------------------


def rule_hits(doc: Document, rule: Rule, context: Context) -> Iterator[Hit]:
    """Yield the hits of one rule, after its section, exclude and unless filters."""
    if not doc.blocks and rule.kind != "detector":
        return
    for hit in _RAW_MATCHERS[rule.kind](doc, rule, context):
        if hit.in_source or _keeps(doc, rule, hit):
            yield hit


def _phrases(doc: Document, rule: Rule, _context: Context) -> Iterator[Hit]:
    for pattern in rule.patterns:
        for match in pattern.finditer(doc.text):
            if match.end() > match.start():
                yield Hit(match.start(), match.end())


def _all(doc: Document, rule: Rule, _context: Context) -> Iterator[Hit]:
    first, *others = rule.patterns
    if isinstance(rule.within, int):
        yield from _all_within_words(doc, first, others, rule.within)
        return
    unit = _UNITS[rule.within]
    found = [{unit(doc, m.start()) for m in pattern.finditer(doc.text)} for pattern in others]
    for match in first.finditer(doc.text):
        key = unit(doc, match.start())
        if all(key in units for units in found):
            yield Hit(match.start(), match.end())


def _all_within_words(
    doc: Document, first: re.Pattern[str], others: Sequence[re.Pattern[str]], words: int
) -> Iterator[Hit]:
    reach = words * _MAX_CHARS_PER_WORD
    for match in first.finditer(doc.text):
        block = doc.blocks[doc.block_index(match.start())]
        low, high = max(block.start, match.start() - reach), min(block.end, match.end() + reach)
        if all(_near(doc.text, match, other, (low, high), words) for other in others):
            yield Hit(match.start(), match.end())


def _near(text: str, anchor: re.Match[str], pattern: re.Pattern[str], window: tuple[int, int], words: int) -> bool:
    low, high = window
    for other in pattern.finditer(text, low, high):
        left, right = sorted(((anchor.start(), anchor.end()), (other.start(), other.end())))
        gap = text[left[1] : right[0]]
        if right[0] <= left[1] or len(gap.split()) <= words:
            return True
    return False


def _section(doc: Document, rule: Rule, _context: Context) -> Iterator[Hit]:
    pattern = rule.patterns[0]
    for index, section in enumerate(doc.sections):
        if not pattern.search(doc.heading_text(index)):
            continue
        heading = doc.blocks[section.heading]
        body = doc.sentence_index(heading.end + 1)
        if body < len(doc.sentences) and section.start <= doc.sentences[body].start < section.end:
            sentence = doc.sentences[body]
            if doc.blocks[sentence.block].kind is not BlockKind.HEADING:
                yield Hit(sentence.start, sentence.end)


def _detector(doc: Document, rule: Rule, context: Context) -> Iterator[Hit]:
    for finding in get_detector(rule.detector)(doc, rule.params, context):
        yield Hit(finding.start, finding.end, 0, finding.message or rule.message, finding.in_source)


def _regex(doc: Document, rule: Rule, context: Context) -> Iterator[Hit]:
    return _phrases(doc, rule, context)


_RAW_MATCHERS: Mapping[str, Callable[[Document, Rule, Context], Iterator[Hit]]] = {
    "phrases": _phrases,
    "regex": _regex,
    "all": _all,
    "section": _section,
    "detector": _detector,
}

_UNITS: Mapping[Scope, Callable[[Document, int], int]] = {
    Scope.SENTENCE: lambda doc, offset: doc.sentence_index(offset),
    Scope.PARAGRAPH: lambda doc, offset: doc.block_index(offset),
    Scope.SECTION: lambda doc, offset: doc.blocks[doc.block_index(offset)].section,
}


def _keeps(doc: Document, rule: Rule, hit: Hit) -> bool:
    """Apply a rule's filters to a hit in the normalised text."""
    if rule.in_section or rule.not_in_section:
        headings = [doc.heading_text(s) for s in doc.section_chain(doc.block_index(hit.start))]
        if rule.in_section and not any(rule.in_section.search(h) for h in headings):
            return False
        if rule.not_in_section and any(rule.not_in_section.search(h) for h in headings):
            return False
    if rule.exclude or rule.unless:
        sentence = doc.sentences[doc.sentence_index(hit.start)] if doc.sentences else None
        low, high = (sentence.start, sentence.end) if sentence else (hit.start, hit.end)
        if rule.unless and rule.unless.search(doc.text, low, high):
            return False
        if rule.exclude and any(
            m.start() < hit.end and hit.start < m.end() for m in rule.exclude.finditer(doc.text, low, high)
        ):
            return False
    return True


# --- evidence ------------------------------------------------------------------------


def _disclosure_evidence(doc: Document, hits: Sequence[Hit], limit: int) -> tuple[Evidence, ...]:
    """The sentences that make the disclosure: strongest rule first, then in order."""
    chosen: dict[tuple[int, int], None] = {}
    for hit in sorted(hits, key=lambda h: (h.rule, h.start)):
        chosen.setdefault(_sentence_span(doc, hit), None)
        if len(chosen) >= limit:
            break
    return tuple(Evidence(doc.locate(start, end), _excerpt(doc.text[start:end])) for start, end in chosen)


def _sentence_span(doc: Document, hit: Hit) -> tuple[int, int]:
    """The sentence around a hit; a heading extends to the first sentence under it."""
    if not doc.sentences:
        return hit.start, hit.end
    index = doc.sentence_index(hit.start)
    sentence = doc.sentences[index]
    end = max(sentence.end, hit.end)
    if doc.blocks[sentence.block].kind is BlockKind.HEADING and index + 1 < len(doc.sentences):
        following = doc.sentences[index + 1]
        if doc.blocks[following.block].kind is not BlockKind.HEADING:
            end = max(end, following.end)
    return min(sentence.start, hit.start), end


def _ordered_anomalies(hits: Sequence[Hit]) -> list[Hit]:
    unique = {(hit.in_source, hit.start, hit.end): hit for hit in hits}
    return sorted(unique.values(), key=lambda h: (h.start, h.end))


def _anomaly_evidence(doc: Document, check: Check, hit: Hit) -> Evidence:
    if hit.in_source:
        location, text = doc.locate_source(hit.start, hit.end), doc.source[hit.start : hit.end]
    else:
        location, text = doc.locate(hit.start, hit.end), doc.text[hit.start : hit.end]
    return Evidence(location, _excerpt(text), hit.message or check.message)


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1].rstrip() + "…"
