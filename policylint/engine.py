"""The engine: (document, checks, context) -> one result per check. Pure, no I/O."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from heapq import merge
from itertools import accumulate, chain, repeat
from operator import add, itemgetter, sub

from policylint.checks import Check, CheckKind, Lead, Rule, Scope, Terms, compile_once
from policylint.detectors import Context, get_detector
from policylint.model import BlockKind, Document, Evidence, Result, Status, fold
from policylint.prefilter import (
    candidate_starts,
    caseless,
    line_starts,
    match_spans,
    matches_before_literal,
    plain_digits,
)

EXCERPT_CHARS = 240
_WORD_SPLIT = re.compile(r"(\w+)")
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
    scan = Scan(doc, context or Context())
    return tuple(evaluate_check(doc, check, scan.context, scan) for check in checks)


@dataclass(frozen=True, slots=True)
class Scan:
    """One document being evaluated, with the spans each phrase list found memoised.

    Checks share many term lists (``personal information``, ``cookie*``...); each is
    scanned once per document, however many rules use it, and so are the sentences (or
    paragraphs, sections) its matches fall in, its matches inside one sentence (for the
    ``exclude``/``unless`` filters) and whether it matches a section's headings.
    """

    doc: Document
    context: Context
    cache: dict[tuple[str, int, bool], tuple[tuple[int, int], ...]] = field(default_factory=dict)
    indexes: dict[bool, WordIndex] = field(default_factory=dict)
    units: dict[tuple[tuple[str, int, bool], Scope], tuple[int, ...]] = field(default_factory=dict)
    unit_sets: dict[tuple[tuple[str, int, bool], Scope], frozenset[int]] = field(default_factory=dict)
    headings: dict[tuple[tuple[str, int, bool], int], bool] = field(default_factory=dict)
    sentences: dict[tuple[tuple[str, int, bool], int], tuple[tuple[int, int], ...]] = field(default_factory=dict)
    prefixes: dict[tuple[str, bool], list[int]] = field(default_factory=dict)
    serves: dict[bool, bool] = field(default_factory=dict)

    def under_heading(self, terms: Terms, section: int) -> bool:
        """Whether the heading of ``section`` or of a section enclosing it matches ``terms`` (memoised)."""
        key = (terms.key, section)
        found = self.headings.get(key)
        if found is None:
            doc = self.doc
            chain = doc.section_chain_of(section)
            found = self.headings[key] = any(terms.search(doc.heading_text(index)) for index in chain)
        return found

    def within(self, terms: Terms, sentence: int) -> tuple[tuple[int, int], ...]:
        """The spans of the matches of ``terms`` inside one sentence, searched alone (memoised)."""
        key = (terms.key, sentence)
        found = self.sentences.get(key)
        if found is None:
            bounds = self.doc.sentences[sentence]
            found = self.sentences[key] = tuple(m.span() for m in terms.finditer(self.doc, bounds.start, bounds.end))
        return found

    def in_sentence(self, terms: Terms, sentence: int) -> bool:
        """Whether ``terms`` match (possibly empty) inside one sentence."""
        return bool(self.within(terms, sentence))

    def unit_of(self, terms: Terms, scope: Scope) -> tuple[int, ...]:
        """The sentence, paragraph or section of each of ``spans(terms)``, memoised like the spans."""
        key = (terms.key, scope)
        found = self.units.get(key)
        if found is None:
            starts = [start for start, _ in self.spans(terms)]
            found = self.units[key] = _UNITS[scope](self.doc, starts)
        return found

    def unit_set(self, terms: Terms, scope: Scope) -> frozenset[int]:
        """The distinct units of :meth:`unit_of` (memoised)."""
        key = (terms.key, scope)
        found = self.unit_sets.get(key)
        if found is None:
            found = self.unit_sets[key] = frozenset(self.unit_of(terms, scope))
        return found

    def spans(self, terms: Terms) -> tuple[tuple[int, int], ...]:
        """Every non-empty match of ``terms`` in the document, in order."""
        found = self.cache.get(terms.key)
        if found is None:
            found = self._scan(terms)
            self.cache[terms.key] = found
        return found

    def word_index(self, folded: bool) -> WordIndex:
        """The index of the words of the folded text (or, not ``folded``, of the text as written)."""
        index = self.indexes.get(folded)
        if index is None:
            doc = self.doc
            index = self.indexes[folded] = WordIndex.of((doc.folded or fold(doc.text)) if folded else doc.text)
        return index

    def _prefixed(self, terms: Terms) -> list[int]:
        """Where one of ``terms.prefixes`` begins in the caseless (or, ``cased``, the plain) copy of the text.

        When every match starts a word (``terms.heads``) and the folded text's words are that
        copy's words, the word index answers; otherwise ``str.find`` does. The offsets of each
        prefix are memoised: phrase lists and regexes share many (``you``, ``the``, ``right``...).
        """
        if terms.heads is not None and self._words_serve(terms.cased):
            return self.word_index(True).lead_starts(terms.heads)
        text = self.doc.text
        copy = plain_digits(text) if terms.cased else caseless(text)
        found: set[int] = set()
        for prefix in terms.prefixes or ():
            key = (prefix, terms.cased)
            starts = self.prefixes.get(key)
            if starts is None:
                starts = self.prefixes[key] = candidate_starts(copy, (prefix,))
            found.update(starts)
        return sorted(found)

    def _words_serve(self, cased: bool) -> bool:
        """Whether the folded text's word index finds the prefixes :meth:`_prefixed` looks for.

        It does when the copy they are looked up in differs from the folded text only in case
        (``cased``: no digits of other scripts, which the plain copy maps to ``0``) or not at
        all (the caseless copy: no characters that only ``re.IGNORECASE`` equates with ASCII letters).
        """
        serves = self.serves.get(cased)
        if serves is None:
            text = self.doc.text
            copy, folded = (plain_digits(text), text) if cased else (caseless(text), self.doc.folded or fold(text))
            serves = self.serves[cased] = copy == folded
        return serves

    def _scan(self, terms: Terms) -> tuple[tuple[int, int], ...]:
        text = terms.text_of(self.doc)
        if terms.anchors is not None:
            if terms.words is not None:  # one-word phrases: the index of the text they run on holds the answer
                return self.word_index(terms.folded and bool(self.doc.folded)).word_spans(*terms.words)
            return self._anchored(terms, text)
        if terms.at_lines:  # (?m)^...: the text's lines are its blocks, a few hundred starts at most
            starts = line_starts(self.doc.text)
            if terms.heads is not None and self._words_serve(terms.cased):  # and of those, the right words
                starts = sorted(set(starts).intersection(self.word_index(True).lead_starts(terms.heads)))
            return match_spans(terms.pattern, text, starts)
        if terms.prefixes:  # these copies have the text's offsets; every match starts with a prefix there
            return match_spans(terms.pattern, text, self._prefixed(terms))
        if terms.run is not None:  # "[\w.+-]+@...": tried once per "@", where the run before it starts
            chars, literal = terms.run
            run = compile_once(chars, terms.flags & (re.IGNORECASE | re.ASCII))
            found = matches_before_literal(terms.pattern, text, run, literal)
            return tuple((m.start(), m.end()) for m in found if m.end() > m.start())
        return tuple((m.start(), m.end()) for m in terms.finditer(self.doc) if m.end() > m.start())

    def _anchored(self, terms: Terms, text: str) -> tuple[tuple[int, int], ...]:
        """A phrase list's matches: tried where its leads (or literals) start, its direct words read off the index."""
        index = self.word_index(True)
        starts = index.lead_starts(terms.anchors or ())  # anchors are lower-case
        if terms.literals:  # phrases that can start inside a word ("@")
            starts = sorted({*starts, *candidate_starts(text, terms.literals)})
        spans = match_spans(terms.pattern, text, starts)
        if terms.direct:  # one-word phrases no other phrase starts at: the words are the matches
            return _merged(spans, index.word_spans(*terms.direct))
        return spans


def _merged(first: Sequence[tuple[int, int]], second: Sequence[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """Two sorted runs of spans as one scan would find them: in order, none starting inside the one before."""
    if not first or not second:
        return tuple(first or second)  # a run by itself: no span of it starts inside another
    found = []
    end = 0
    for span in sorted((*first, *second)):
        if span[0] >= end:
            found.append(span)
            end = span[1]
    return tuple(found)


@dataclass(frozen=True, slots=True)
class WordIndex:
    """Where each word of a text starts: one pass over the text serves every phrase list.

    A phrase list can only match where a word it starts with (see :data:`Lead`) starts,
    so instead of running its regex over the whole text, the scan tries it at those
    offsets only: a cost that follows the words found, not the text's length times the
    number of phrase lists. ``tokens`` are the text's maximal runs of word characters,
    ``offsets`` where they start, ``ordinals`` where each distinct word occurs in ``tokens``.
    """

    vocabulary: tuple[str, ...]  # sorted, distinct
    tokens: Sequence[str]
    offsets: Sequence[int]
    ordinals: Mapping[str, Sequence[int]]
    successors: Sequence[str]  # the token after each token ("" after the last)
    leads: dict[Lead, tuple[int, ...]] = field(default_factory=dict)  # lead_starts' memo
    spans: dict[str, tuple[tuple[int, int], ...]] = field(default_factory=dict)  # _spans_of's memo
    followers: dict[str, tuple[tuple[str, ...], dict[str, tuple[int, ...]]]] = field(default_factory=dict)  # memo

    @classmethod
    def of(cls, text: str) -> WordIndex:
        """Index every maximal run of word characters."""
        parts = _WORD_SPLIT.split(text)  # gap, word, gap, word, ..., gap
        tokens = tuple(parts[1::2])
        offsets = tuple(accumulate(map(len, parts[:-1])))[::2]  # each word starts where the text before it ends
        found: dict[str, list[int]] = {}
        for ordinal, word in enumerate(tokens):
            found.setdefault(word, []).append(ordinal)
        # Tuples of strings and ints, unlike lists, drop out of the garbage collector's passes:
        # for a large document those passes would otherwise walk every word again and again.
        ordinals = {word: tuple(where) for word, where in found.items()}
        return cls(tuple(sorted(found)), tokens, offsets, ordinals, (*tokens[1:], ""))

    def word_spans(self, exact: Sequence[str], stems: Sequence[str]) -> tuple[tuple[int, int], ...]:
        """The spans of the whole words equal to one of ``exact`` or beginning with one of ``stems``."""
        words = dict.fromkeys(word for word in exact if word in self.ordinals)  # distinct: no span twice
        words.update(dict.fromkeys(self._beginning(stems)))
        if len(words) == 1:
            return tuple(self._spans_of(next(iter(words))))
        return tuple(sorted(chain.from_iterable(map(self._spans_of, words))))  # sorted runs: timsort merges them

    def _spans_of(self, word: str) -> tuple[tuple[int, int], ...]:
        """The spans of the occurrences of ``word`` (a word of the text), in order (memoised: lists share words)."""
        found = self.spans.get(word)
        if found is None:
            starts = list(map(self.offsets.__getitem__, self.ordinals[word]))
            found = self.spans[word] = tuple(zip(starts, map(add, starts, repeat(len(word))), strict=True))
        return found

    def starts(self, prefixes: Sequence[str]) -> list[int]:
        """The sorted start offsets of the words that begin with one of ``prefixes`` (no prefix of another)."""
        offsets = self.offsets
        return sorted(offsets[i] for word in self._beginning(prefixes) for i in self.ordinals[word])

    def lead_starts(self, leads: Iterable[Lead]) -> list[int]:
        """The sorted, distinct start offsets of the words that begin a phrase as one of ``leads`` says.

        ``("we", True, ("may", "will"))``: each "we" whose next word starts with "may" or
        "will". The next word is the next run of word characters, whatever separates them,
        so this finds every start of a match (and some more, which the regex then rejects).
        """
        memo = self.leads
        runs: list[tuple[int, ...]] = []
        ordinals = self.ordinals
        for lead in leads:
            offsets = memo.get(lead)
            if offsets is None:
                head, exact, following = lead
                absent = exact and head not in ordinals  # most leads of a catalogue: no call for them
                found = [] if absent else self._lead_offsets(head, exact, following)
                offsets = memo[lead] = tuple(sorted(set(found) if len(following) > 1 else found))  # may overlap
            if offsets:
                runs.append(offsets)
        if len(runs) == 1:
            return list(runs[0])
        return list(dict.fromkeys(sorted(chain.from_iterable(runs))))  # sorted runs merge; duplicates drop in C

    def _lead_offsets(self, head: str, exact: bool, following: tuple[str, ...]) -> list[int]:
        """The start offsets of the words that begin a phrase as the lead ``(head, exact, following)`` says."""
        ordinals = self.ordinals
        found: list[int] = []
        for word in ((head,) if head in ordinals else ()) if exact else self._beginning((head,)):
            if not following:
                found.extend(map(self.offsets.__getitem__, ordinals[word]))
                continue
            nexts, groups = self._followers(word)
            for prefix in following:  # the words after ``word`` that begin with ``prefix``: a sorted run
                at = bisect_left(nexts, prefix)
                while at < len(nexts) and nexts[at].startswith(prefix):
                    found.extend(groups[nexts[at]])
                    at += 1
        return found

    def _followers(self, word: str) -> tuple[tuple[str, ...], dict[str, tuple[int, ...]]]:
        """The distinct words that follow ``word``, sorted, and where ``word`` starts before each (memoised).

        Built once per word: the many leads that share a head ("we", "you", "your"...) then
        each look up their few next words instead of passing over every occurrence of the head.
        """
        found = self.followers.get(word)
        if found is None:
            offsets, successors = self.offsets, self.successors
            groups: dict[str, list[int]] = {}
            for ordinal in self.ordinals[word]:
                groups.setdefault(successors[ordinal], []).append(offsets[ordinal])
            found = self.followers[word] = (tuple(sorted(groups)), {after: tuple(at) for after, at in groups.items()})
        return found

    def _beginning(self, prefixes: Sequence[str]) -> Iterator[str]:
        """The distinct words of the vocabulary that begin with one of ``prefixes``."""
        vocabulary = self.vocabulary
        for prefix in prefixes:
            at = bisect_left(vocabulary, prefix)
            while at < len(vocabulary) and vocabulary[at].startswith(prefix):
                yield vocabulary[at]
                at += 1


def evaluate_check(doc: Document, check: Check, context: Context, scan: Scan | None = None) -> Result:
    """Evaluate one check: pass, fail or not-applicable, with evidence."""
    scan = scan if scan is not None and scan.doc is doc else Scan(doc, context)
    if check.when and not any(_first(rule_hits(doc, rule, context, scan)) for rule in check.when):
        return Result(
            check.id,
            Status.NOT_APPLICABLE,
            check.severity,
            "Not applicable: the condition for this check does not hold",
        )
    anomaly = check.kind is CheckKind.ANOMALY
    hits = _check_hits(doc, check, scan, None if anomaly else check.evidence_limit)
    if anomaly and not hits:
        return Result(check.id, Status.PASS, check.severity, f"No {check.title[0].lower()}{check.title[1:]}")
    if not anomaly and hits:
        return Result(
            check.id, Status.PASS, check.severity, check.title, _disclosure_evidence(doc, hits, check.evidence_limit)
        )
    if _excused(doc, check, context, scan):  # the check would fail, but the policy says why it does not apply
        return Result(check.id, Status.NOT_APPLICABLE, check.severity, _EXCUSED)
    evidence = tuple(_anomaly_evidence(doc, check, hit) for hit in _ordered_anomalies(doc, hits)) if anomaly else ()
    return Result(check.id, Status.FAIL, check.severity, check.message, evidence)


_EXCUSED = "Not applicable: the policy states why this check does not apply"


def _check_hits(doc: Document, check: Check, scan: Scan, limit: int | None) -> list[Hit]:
    """The hits of the check's rules, in rule order; with a ``limit``, only the hits the evidence needs.

    :func:`_disclosure_evidence` takes the first ``limit`` distinct sentences of the strong
    hits (not in an empty heading) rule by rule, each rule's in order: once the hits so far
    give that many, a later hit (of this rule or a later one) could only come after them,
    so it is neither filtered nor kept, and later rules are not evaluated.
    """
    hits: list[Hit] = []
    chosen: list[tuple[int, int]] = []
    for index, rule in enumerate(check.rules):
        found = rule_hits(doc, rule, scan.context, scan)
        if limit is not None and rule.kind == "detector":  # findings come in any order
            found = iter(sorted(found, key=lambda h: h.start))
        for hit in found:
            hits.append(Hit(hit.start, hit.end, index, hit.message or rule.message, hit.in_source))
            if limit is None or _in_empty_heading(doc, hit.start):
                continue
            span = _sentence_span(doc, hit)
            if not any(span[0] < end and start < span[1] for start, end in chosen):
                chosen.append(span)
                if len(chosen) >= limit:
                    return hits
    return hits


def _excused(doc: Document, check: Check, context: Context, scan: Scan) -> bool:
    """Whether one of the check's ``excuse`` rules matches (a failure then becomes not-applicable)."""
    return any(_first(rule_hits(doc, rule, context, scan)) for rule in check.excuse)


def _first(hits: Iterable[Hit]) -> bool:
    return next(iter(hits), None) is not None


# --- rules ---------------------------------------------------------------------------


def rule_hits(doc: Document, rule: Rule, context: Context, scan: Scan | None = None) -> Iterator[Hit]:
    """Yield the hits of one rule, after its section, exclude and unless filters."""
    if not doc.blocks and rule.kind != "detector":
        return
    scan = scan if scan is not None and scan.doc is doc else Scan(doc, context)
    for hit in _RAW_MATCHERS[rule.kind](scan, rule):
        if hit.in_source or _keeps(scan, rule, hit):
            yield hit


def _phrases(scan: Scan, rule: Rule) -> Iterator[Hit]:
    """The matches of every pattern of the rule, in order of start (a tie: in pattern order)."""
    spans = [scan.spans(terms) for terms in rule.patterns]
    for start, end in merge(*spans, key=itemgetter(0)) if len(spans) > 1 else chain.from_iterable(spans):
        yield Hit(start, end)


def _all(scan: Scan, rule: Rule) -> Iterator[Hit]:
    first, *others = rule.patterns
    if not scan.spans(first):
        return
    if isinstance(rule.within, int):
        yield from _all_within_words(scan, first, others, rule.within)
        return
    common: frozenset[int] | None = None  # the units where every other group matches
    for terms in others:  # group by group: once no unit is common, the remaining groups are not scanned
        units = scan.unit_set(terms, rule.within)
        common = units if common is None else common & units
        if not common:
            return
    for (start, end), key in zip(scan.spans(first), scan.unit_of(first, rule.within), strict=True):
        if common is None or key in common:
            yield Hit(start, end)


def _all_within_words(scan: Scan, first: Terms, others: Sequence[Terms], words: int) -> Iterator[Hit]:
    doc = scan.doc
    other_spans = []
    for terms in others:  # a group without matches ends the rule before the next is scanned
        spans = scan.spans(terms)
        if not spans:
            return
        other_spans.append(spans)
    reach = words * _MAX_CHARS_PER_WORD
    for start, end in scan.spans(first):
        block = doc.blocks[doc.block_index(start)]
        window = (max(block.start, start - reach), min(block.end, end + reach))
        if all(_near(doc.text, (start, end), spans, window, words) for spans in other_spans):
            yield Hit(start, end)


def _near(
    text: str, anchor: tuple[int, int], spans: Sequence[tuple[int, int]], window: tuple[int, int], words: int
) -> bool:
    """Return whether some span inside ``window`` lies within ``words`` words of ``anchor``."""
    low, high = window
    for index in range(bisect_left(spans, (low, low)), len(spans)):
        start, end = spans[index]
        if start >= high:
            return False
        if end > high:
            continue
        left, right = sorted((anchor, (start, end)))
        if right[0] <= left[1] or len(text[left[1] : right[0]].split()) <= words:
            return True
    return False


def _section(scan: Scan, rule: Rule) -> Iterator[Hit]:
    doc = scan.doc
    terms = rule.patterns[0]
    for index, section in enumerate(doc.sections):
        if not terms.search(doc.heading_text(index)):
            continue
        heading = doc.blocks[section.heading]
        body = bisect_left(doc.sentence_starts, heading.end)  # the first sentence after the heading
        if body < len(doc.sentences) and section.start <= doc.sentences[body].start < section.end:
            sentence = doc.sentences[body]
            if doc.blocks[sentence.block].kind is not BlockKind.HEADING:
                yield Hit(heading.start, heading.end)  # evidence: the heading and the sentence under it


def _detector(scan: Scan, rule: Rule) -> Iterator[Hit]:
    for finding in get_detector(rule.detector)(scan.doc, rule.params, scan.context):
        yield Hit(finding.start, finding.end, 0, finding.message or rule.message, finding.in_source)


_RAW_MATCHERS: Mapping[str, Callable[[Scan, Rule], Iterator[Hit]]] = {
    "phrases": _phrases,
    "regex": _phrases,
    "all": _all,
    "section": _section,
    "detector": _detector,
}

def _sentences(doc: Document, offsets: Sequence[int]) -> tuple[int, ...]:
    return _indexes(doc.sentence_starts, offsets)


def _paragraphs(doc: Document, offsets: Sequence[int]) -> tuple[int, ...]:
    return _indexes(doc.block_starts, offsets)


def _indexes(starts: Sequence[int], offsets: Sequence[int]) -> tuple[int, ...]:
    """``Document.sentence_index`` (or ``block_index``) of each offset, as C-level maps over the offsets."""
    return tuple(map(max, map(sub, map(partial(bisect_right, starts), offsets), repeat(1)), repeat(0)))


def _sections(doc: Document, offsets: Sequence[int]) -> tuple[int, ...]:
    return tuple(doc.blocks[block].section for block in _paragraphs(doc, offsets))


_UNITS: Mapping[Scope, Callable[[Document, Sequence[int]], tuple[int, ...]]] = {
    Scope.SENTENCE: _sentences,
    Scope.PARAGRAPH: _paragraphs,
    Scope.SECTION: _sections,
}


def _keeps(scan: Scan, rule: Rule, hit: Hit) -> bool:
    """Apply a rule's filters to a hit in the normalised text."""
    doc = scan.doc
    if rule.in_section or rule.not_in_section:
        section = doc.blocks[doc.block_index(hit.start)].section if doc.blocks else -1
        if rule.in_section and not scan.under_heading(rule.in_section, section):
            return False
        if rule.not_in_section and scan.under_heading(rule.not_in_section, section):
            return False
    if rule.exclude or rule.unless:
        if not doc.sentences:
            return not _filtered(doc, rule, hit, hit.start, hit.end)
        index = doc.sentence_index(hit.start)
        if rule.unless and scan.in_sentence(rule.unless, index):
            return False
        if rule.exclude and any(start < hit.end and hit.start < end for start, end in scan.within(rule.exclude, index)):
            return False
    return True


def _filtered(doc: Document, rule: Rule, hit: Hit, low: int, high: int) -> bool:
    """Whether ``unless`` matches in ``low:high`` or ``exclude`` overlaps the hit there."""
    if rule.unless and next(rule.unless.finditer(doc, low, high), None) is not None:
        return True
    return rule.exclude is not None and any(
        m.start() < hit.end and hit.start < m.end() for m in rule.exclude.finditer(doc, low, high)
    )


# --- evidence ------------------------------------------------------------------------


def _disclosure_evidence(doc: Document, hits: Sequence[Hit], limit: int) -> tuple[Evidence, ...]:
    """The sentences that make the disclosure: strongest rule first, then in order.

    A hit in a heading with nothing under it (a table-of-contents entry) is weak evidence
    and comes after every other hit; a span overlapping one already chosen is skipped.
    """
    chosen: list[tuple[int, int]] = []
    for hit in sorted(hits, key=lambda h: (_in_empty_heading(doc, h.start), h.rule, h.start)):
        span = _sentence_span(doc, hit)
        if any(span[0] < end and start < span[1] for start, end in chosen):
            continue
        chosen.append(span)
        if len(chosen) >= limit:
            break
    return tuple(Evidence(doc.locate(start, end), _excerpt(doc.text[start:end])) for start, end in chosen)


def _in_empty_heading(doc: Document, offset: int) -> bool:
    """Whether ``offset`` lies in a heading whose section holds nothing else (a contents entry)."""
    if not doc.blocks:
        return False
    block = doc.blocks[doc.block_index(offset)]
    if block.kind is not BlockKind.HEADING or block.section < 0:
        return False
    return doc.sections[block.section].end <= block.end


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


def _ordered_anomalies(doc: Document, hits: Sequence[Hit]) -> list[Hit]:
    """Distinct hits in source order (hits in the source and in the folded text interleave)."""
    unique = {(hit.in_source, hit.start, hit.end): hit for hit in hits}
    return sorted(unique.values(), key=lambda h: (_source_offset(doc, h), h.end))


def _source_offset(doc: Document, hit: Hit) -> int:
    return hit.start if hit.in_source else doc.source_map.to_source(hit.start)


def _anomaly_evidence(doc: Document, check: Check, hit: Hit) -> Evidence:
    if hit.in_source:
        location, text = doc.locate_source(hit.start, hit.end), doc.source[hit.start : hit.end]
    else:
        location, text = doc.locate(hit.start, hit.end), doc.text[hit.start : hit.end]
    return Evidence(location, _excerpt(text), hit.message or check.message)


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1].rstrip() + "…"
