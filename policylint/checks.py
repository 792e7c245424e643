"""Loading checks: YAML files → schema validation → compiled :class:`Check` objects."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from policylint.model import TEXT_WHITESPACE, Document, Reference, Severity
from policylint.prefilter import (
    ignores_case,
    literal_prefixes,
    lowers_alone,
    run_before_literal,
    shortest_prefixes,
    starts_at_words,
    starts_lines,
    word_heads,
)
from policylint.regexcode import Code, compile_with_code, from_code, known_codes, learn_codes
from policylint.resources import data_dir, schema
from policylint.yamlio import JsonPath, YamlError, line_of, load_yaml

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

CHECK_SUFFIXES = (".yaml", ".yml")
DEFAULT_EVIDENCE_LIMIT = 3
_WORD = re.compile(r"\w")
_WORD_START = r"(?<!\w)"
_LEADING_WORD = re.compile(r"\w+")
_SINGLE_WORD = re.compile(r"\w+\*?")
_LITERAL_END = re.compile(r"[\s\-'’*]")  # where a phrase stops being matched literally (see phrase_pattern)
_APOSTROPHES = "'’"  # phrase_pattern matches either for either

Lead = tuple[str, bool, tuple[str, ...]]
"""How a phrase begins: its first word's leading word characters, whether a text word must
equal them (else begin with them), and the prefixes one of which the next word starts with
(none: anything may follow). See :meth:`policylint.engine.WordIndex.lead_starts`."""


class CheckKind(StrEnum):
    """Disclosures pass when found; anomalies fail when found."""

    DISCLOSURE = "disclosure"
    ANOMALY = "anomaly"


class Scope(StrEnum):
    """The unit inside which every group of an ``all`` rule must match."""

    SENTENCE = "sentence"
    PARAGRAPH = "paragraph"
    SECTION = "section"


@dataclass(frozen=True, slots=True)
class Terms:
    """A matcher (regex source and flags, compiled on first use) and the text it runs on.

    Case-insensitive phrases are compiled lower-case and matched against the document's
    folded (lower-cased) text, which is several times faster than ``re.IGNORECASE``.
    ``anchors``, when known, describe the words every match starts with (:data:`Lead`, lower-cased
    and looked up in the folded text's words, also for a case-sensitive list): a match can only
    begin where such a word (and next word) begins, so a scan can look there only (see
    :class:`policylint.engine.Scan`); without anchors, ``prefixes`` are the literal strings
    one of which starts every match (``None``: the scan reads the whole text). ``code`` is the
    pattern's byte code, so that a pickled catalogue loads without parsing regexes again (see
    :mod:`policylint.regexcode`).
    """

    source: str
    flags: int = 0
    folded: bool = False
    anchors: tuple[Lead, ...] | None = None
    literals: tuple[str, ...] = ()  # with anchors: strings that start the matches not at a word start ("@")
    words: tuple[tuple[str, ...], tuple[str, ...]] | None = None  # single-word phrases: (exact, stems*)
    direct: tuple[tuple[str, ...], tuple[str, ...]] | None = None  # with anchors: words no other phrase starts at
    prefixes: tuple[str, ...] | None = None  # without anchors: literal_prefixes(...), found once
    heads: tuple[Lead, ...] | None = None  # the words (and next words) that begin matches starting a word or line
    cased: bool = False  # the prefixes keep their case: the pattern ignores case nowhere
    run: tuple[str, str] | None = None  # without prefixes: run_before_literal(source, flags) ("[\w.+-]", "@")
    at_lines: bool = False  # every match starts a line: (?m)^...
    compiled: re.Pattern[str] | None = field(default=None, compare=False, repr=False)
    code: Code | None = field(default=None, compare=False, repr=False)

    @property
    def pattern(self) -> re.Pattern[str]:
        """The compiled regex (a restored catalogue compiles each from its byte code on first use)."""
        if self.compiled is None:
            source, flags = self.source, self.flags
            pattern = from_code(source, flags, self.code) if self.code else compile_once(source, flags)
            object.__setattr__(self, "compiled", pattern)  # a memo, not a change of value
            return pattern
        return self.compiled

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle the byte code, not the pattern (which ``pickle`` would parse again on load)."""
        fields = (
            self.source,
            self.flags,
            self.folded,
            self.anchors,
            self.literals,
            self.words,
            self.direct,
            self.prefixes,
            self.heads,
            self.cased,
            self.run,
            self.at_lines,
            self.code,
        )
        return _restore_terms, (fields,)

    def search(self, text: str) -> re.Match[str] | None:
        """Search any string (e.g. a heading)."""
        return self.pattern.search(text.lower() if self.folded else text)

    def text_of(self, doc: Document) -> str:
        """The document text this matcher runs on (folded or as written)."""
        return doc.folded if self.folded and doc.folded else doc.text

    def finditer(self, doc: Document, pos: int = 0, endpos: int | None = None) -> Iterator[re.Match[str]]:
        """Iterate over the matches in a document's text between ``pos`` and ``endpos``."""
        text = self.text_of(doc)
        return self.pattern.finditer(text, pos, len(text) if endpos is None else endpos)

    @property
    def key(self) -> tuple[str, int, bool]:
        """Identity for memoising scans: equal keys find the same spans."""
        return self.source, self.flags, self.folded


def _restore_terms(fields: tuple[Any, ...]) -> Terms:
    source, flags, folded, anchors, literals, words, direct, prefixes, heads, cased, run, at_lines, code = fields
    compiled = None  # compiled from the byte code when first used
    return Terms(
        source, flags, folded, anchors, literals, words, direct, prefixes, heads, cased, run, at_lines, compiled, code
    )


def _terms(
    source: str,
    flags: int = 0,
    *,
    folded: bool = False,
    anchors: tuple[Lead, ...] | None = None,
    literals: tuple[str, ...] = (),
    words: tuple[tuple[str, ...], tuple[str, ...]] | None = None,
    direct: tuple[tuple[str, ...], tuple[str, ...]] | None = None,
) -> Terms:
    pattern, code = compile_with_code(source, flags)
    prefixes, heads, cased, run, at_lines = None, None, False, None, False
    if anchors is None:
        cased = not folded and not ignores_case(source, flags)  # a folded pattern runs on lower-cased text
        prefixes = literal_prefixes(source, flags, spaces=TEXT_WHITESPACE, cased=cased)
        at_lines = starts_lines(source, flags)
        if prefixes and (at_lines or starts_at_words(source, flags)):  # every match starts a word
            words_first = literal_prefixes(source, flags, spaces=TEXT_WHITESPACE, cased=cased, collapse=True)
            heads = word_heads(words_first or (), cased=cased)
        run = None if prefixes else run_before_literal(source, flags)
    return Terms(
        source, flags, folded, anchors, literals, words, direct, prefixes, heads, cased, run, at_lines, pattern, code
    )


@cache
def compile_once(source: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile`` memoised without the ``re`` module's 512-entry limit (a catalogue has more)."""
    return re.compile(source, flags)


@dataclass(frozen=True, slots=True)
class Rule:
    """One compiled matcher of a check (see ``schemas/check.schema.json``)."""

    kind: str  # phrases | regex | all | section | detector
    patterns: tuple[Terms, ...] = ()
    within: Scope | int = Scope.SENTENCE
    in_section: Terms | None = None
    not_in_section: Terms | None = None
    exclude: Terms | None = None
    unless: Terms | None = None
    detector: str = ""
    params: Mapping[str, Any] = field(default_factory=dict)
    message: str = ""


@dataclass(frozen=True, slots=True)
class Examples:
    """Example texts that must produce the named status.

    ``lines`` maps ``"pass[0]"``, ``"fail[1]"``, ``"not_applicable[0]"``... to the line of
    the example in its check file (when known), for test reports.
    """

    passing: tuple[str, ...] = ()
    failing: tuple[str, ...] = ()
    not_applicable: tuple[str, ...] = ()
    lines: Mapping[str, int] = field(default_factory=dict, compare=False)


@dataclass(frozen=True, slots=True)
class Check:
    """A loaded, validated and compiled check."""

    id: str
    title: str
    description: str
    severity: Severity
    kind: CheckKind
    profiles: tuple[str, ...]
    references: tuple[Reference, ...]
    remediation: str
    message: str
    rules: tuple[Rule, ...]
    when: tuple[Rule, ...] = ()
    excuse: tuple[Rule, ...] = ()  # a failure is not-applicable when one of these matches
    examples: Examples = Examples()
    evidence_limit: int = DEFAULT_EVIDENCE_LIMIT
    overrides: bool = False
    source: str = ""


class CheckError(YamlError):
    """A check file that cannot be loaded."""


# --- phrases -------------------------------------------------------------------------


def phrase_pattern(phrase: str) -> str:
    """Translate a phrase into a regex: word-bounded, whitespace- and hyphen-tolerant.

    >>> bool(re.search(phrase_pattern("opt-out"), "you may opt out", re.I))
    True
    """
    words = []
    for word in phrase.split():
        star = word.endswith("*") and len(word) > 1
        body = re.escape(word[:-1] if star else word)
        body = re.sub(r"\\-|['’]", _phrase_char, body)
        words.append(body + (r"\w*" if star else ""))
    pattern = r"[^\S\n]+".join(words)
    head = _WORD_START if _WORD.match(phrase.strip()[:1] or " ") else ""
    tail = r"(?!\w)" if _WORD.match(phrase.strip()[-1:] or " ") or phrase.strip().endswith("*") else ""
    return head + pattern + tail


def _phrase_char(match: re.Match[str]) -> str:
    return "['’]" if match.group() in "'’" else "[-‐‑–— ]?"


def compile_terms(terms: Sequence[str], *, case_sensitive: bool = False) -> Terms:
    """Compile a list of phrases into one alternation (longest first)."""
    if not case_sensitive:
        terms = [term.lower() for term in terms]
    ordered = [phrase_pattern(term) for term in sorted(set(terms), key=lambda term: (-len(term), term))]
    # One shared leading word-boundary check instead of one per branch: Python's regex engine
    # can then skip ahead on the branches' first characters (about 50x faster on long lists).
    bounded = [p.removeprefix(_WORD_START) for p in ordered if p.startswith(_WORD_START)]
    free = [f"(?:{p})" for p in ordered if not p.startswith(_WORD_START)]
    parts = ([f"{_WORD_START}(?:{'|'.join(bounded)})"] if bounded else []) + free
    literals = _free_literals(terms)
    # Leads are looked up in the folded text's word index: a case-sensitive list's lower-cased
    # leads find a superset of its starts there, when their case needs no context.
    indexed = literals is not None and (not case_sensitive or all(map(lowers_alone, terms)))
    words = _words(terms)
    alone = _direct_phrases(terms) if indexed and not case_sensitive and words is None else frozenset()
    direct = _words(sorted(alone)) if alone else None
    anchors = _anchors([term.lower() for term in terms if term.strip() not in alone]) if indexed else None
    return _terms(
        "|".join(parts),
        0,
        folded=not case_sensitive,
        anchors=anchors,
        literals=literals or (),
        words=words,
        direct=direct,
    )


def _words(terms: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """``(exact words, stems)`` when every phrase is one word (``use``) or one stem (``collect*``).

    Such a list matches exactly the whole words of the text that equal a word or begin with a
    stem, so a word index answers it without running the regex (see ``phrase_pattern``).
    """
    exact: set[str] = set()
    stems: set[str] = set()
    for term in terms:
        phrase = term.strip()
        if _SINGLE_WORD.fullmatch(phrase) is None:
            return None
        if phrase.endswith("*"):
            stems.add(phrase[:-1])
        else:
            exact.add(phrase)
    return tuple(sorted(exact)), tuple(sorted(stems))


def _direct_phrases(terms: Sequence[str]) -> frozenset[str]:
    """The one-word phrases (and stems) no longer phrase of the list can begin at.

    In the folded text such a phrase matches exactly the whole words equal to it (or, a stem,
    beginning with it); where no other phrase can start at such a word, the regex would match
    just that word there, so the word index gives those matches without trying it. ``data``
    next to ``data controller``, or ``cookie*`` next to ``cookie policy``, is not direct.
    """
    singles = {term.strip() for term in terms if _SINGLE_WORD.fullmatch(term.strip())}
    others = [lead[:2] for term in terms if term.strip() not in singles for lead in _phrase_leads(term.split())]
    return frozenset(single for single in singles if not any(_may_share_a_word(_lead_of(single), o) for o in others))


def _lead_of(single: str) -> tuple[str, bool]:
    return (single[:-1], False) if single.endswith("*") else (single, True)


def _may_share_a_word(first: tuple[str, bool], second: tuple[str, bool]) -> bool:
    """Whether some word of the text can begin both leads ``(word, exact)`` (exact: equal it; else: begin with it)."""
    (a, a_exact), (b, b_exact) = first, second
    if a_exact and b_exact:
        return a == b
    if a_exact:
        return a.startswith(b)
    if b_exact:
        return b.startswith(a)
    return a.startswith(b) or b.startswith(a)


def _free_literals(terms: Iterable[str]) -> tuple[str, ...] | None:
    """The literal start of each phrase that does not begin with a word character ("@", '"do').

    Such phrases match anywhere, not only at a word start; ``None`` when one has no literal start.
    """
    found: set[str] = set()
    for term in terms:
        phrase = term.strip()
        if not phrase or _WORD.match(phrase[:1]):
            continue
        if phrase[0] in _APOSTROPHES:  # either apostrophe (see phrase_pattern): both starts
            rest = _LITERAL_END.split(phrase[1:], maxsplit=1)[0]
            found.update(quote + rest for quote in _APOSTROPHES)
            continue
        head = _LITERAL_END.split(phrase, maxsplit=1)[0]
        if not head:
            return None
        found.add(head)
    return tuple(sorted(found))


def _anchors(terms: Iterable[str]) -> tuple[Lead, ...]:
    """How each phrase that starts with a word character begins, as :data:`Lead` s.

    ``opt-out`` -> ``("opt", False, ())``: some word starting with "opt"; ``we may`` ->
    ``("we", True, ("may",))``: the word "we" followed by a word starting with "may".
    """
    followers: dict[tuple[str, bool], set[str]] = {}
    open_ended: set[tuple[str, bool]] = set()  # a phrase of this lead says nothing of the next word
    for term in terms:
        words = term.split()
        for head, exact, following in _phrase_leads(words):
            followers.setdefault((head, exact), set())
            if following is None:
                open_ended.add((head, exact))
            else:
                followers[head, exact].add(following)
    return tuple(
        (head, exact, () if (head, exact) in open_ended else tuple(shortest_prefixes(after)))
        for (head, exact), after in sorted(followers.items())
    )


def _phrase_leads(words: Sequence[str]) -> Iterator[tuple[str, bool, str | None]]:
    """The leads a phrase (split in words) can begin with: ``(word, exact, next word's beginning or None)``.

    ``we may`` -> ``("we", True, "may")``; ``cookie*`` -> ``("cookie", False, None)``; ``u.s.`` ->
    ``("u", True, "s")``: punctuation ends a word of the text. A hyphen matches a separator or
    nothing (see :func:`phrase_pattern`), so ``e-mail`` -> ``("e", True, "mail")`` and
    ``("email", False, None)``.
    """
    head = _LEADING_WORD.match(words[0]) if words else None
    if head is None:
        return
    word, rest = head.group(), words[0][head.end() :]
    second = _LEADING_WORD.match(words[1]) if len(words) > 1 else None
    if rest in ("", "*"):  # a whole word or a stem, then the phrase's next word
        yield word, not rest, second.group() if second else None
        return
    inner = _LEADING_WORD.search(rest)  # the next part of this word ("mail" in "e-mail")
    gap = rest[: inner.start()] if inner else rest
    if "*" in gap or (inner is None and "-" in gap):
        yield word, False, None
    elif inner is None:  # "str.": the punctuation ends the text's word, the phrase's next word follows
        yield word, True, second.group() if second else None
    else:
        yield word, True, inner.group()
        if set(gap) == {"-"}:  # every hyphen may be nothing: the parts as one word
            yield word + inner.group(), False, None


# --- loading -------------------------------------------------------------------------


def builtin_check_files() -> list[Traversable]:
    """Return the check files that ship with policylint, sorted by path."""
    return sorted(_yaml_files(data_dir("checks")), key=str)


def _yaml_files(folder: Traversable) -> Iterator[Traversable]:
    for entry in folder.iterdir():
        if entry.is_dir():
            yield from _yaml_files(entry)
        elif entry.name.endswith(CHECK_SUFFIXES):
            yield entry


def check_files(paths: Iterable[Path]) -> list[Path]:
    """Expand files and directories into the sorted list of check files."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix in CHECK_SUFFIXES))
        else:
            found.append(path)
    return found


def load_check_file(file: Path | Traversable, display: str | None = None, *, strict: bool = False) -> Check:
    """Read, validate and compile one check file.

    ``strict`` also refuses regular expressions that can take super-linear time (see
    :mod:`policylint.redos`); :func:`load_checks` sets it for checks outside the catalogue.
    """
    source = display or str(file)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CheckError(source, 0, (), "no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CheckError(source, 0, (), f"cannot read: {exc}") from None
    try:
        raw, lines = load_yaml(text, source)
    except YamlError as exc:
        raise CheckError(exc.source, exc.line, exc.path, exc.message) from None
    return parse_check(raw, source, lines, strict=strict)


def validate_raw(raw: object, source: str, lines: Mapping[JsonPath, int]) -> None:
    """Validate a parsed check file against the schema; raise the best error."""
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import best_match

    validator = Draft202012Validator(schema("check.schema.json"))
    error = best_match(validator.iter_errors(raw))
    if error is not None:
        path = tuple(error.absolute_path)
        raise CheckError(source, line_of(lines, path), path, error.message)


def parse_check(
    raw: object, source: str, lines: Mapping[JsonPath, int] | None = None, *, strict: bool = False
) -> Check:
    """Validate and compile a parsed check (a mapping from YAML); ``strict``: see :func:`load_check_file`."""
    lines = lines or {}
    validate_raw(raw, source, lines)
    assert isinstance(raw, dict)
    kind = CheckKind(raw["kind"])
    rules_key = "require" if kind is CheckKind.DISCLOSURE else "detect"
    examples = raw["examples"]
    check = Check(
        id=raw["id"],
        title=raw["title"].strip(),
        description=raw["description"].strip(),
        severity=Severity.parse(raw["severity"]),
        kind=kind,
        profiles=tuple(raw["profiles"]),
        references=tuple(Reference(r["citation"], r.get("url", "")) for r in raw["references"]),
        remediation=raw["remediation"].strip(),
        message=raw.get("message", "").strip() or _default_message(kind, raw["title"]),
        rules=_rules(raw[rules_key], (rules_key,), source, lines),
        when=_rules(raw.get("when", []), ("when",), source, lines),
        excuse=_rules(raw.get("excuse", []), ("excuse",), source, lines),
        examples=Examples(
            tuple(examples["pass"]),
            tuple(examples["fail"]),
            tuple(examples.get("not_applicable", ())),
            _example_lines(examples, lines),
        ),
        evidence_limit=raw.get("evidence_limit", DEFAULT_EVIDENCE_LIMIT),
        overrides=bool(raw.get("overrides", False)),
        source=source,
    )
    if strict:
        refuse_slow_regexes(raw, source, lines)
    return check


def _example_lines(examples: Mapping[str, Sequence[str]], lines: Mapping[JsonPath, int]) -> dict[str, int]:
    return {
        f"{key}[{index}]": line_of(lines, ("examples", key, index))
        for key, texts in examples.items()
        for index in range(len(texts))
    }


def regex_fields(raw: Mapping[str, Any]) -> Iterator[tuple[JsonPath, str, int]]:
    """Yield (JSON path, pattern, flags) for every ``regex`` of a schema-valid raw check."""
    for key in ("when", "excuse", "require", "detect"):
        for index, rule in enumerate(raw.get(key, ())):
            if "regex" not in rule:
                continue
            flags = 0 if rule.get("case_sensitive") else re.IGNORECASE
            regexes = [rule["regex"]] if isinstance(rule["regex"], str) else rule["regex"]
            for position, regex in enumerate(regexes):
                yield (key, index, "regex", position), regex, flags


def refuse_slow_regexes(raw: Mapping[str, Any], source: str, lines: Mapping[JsonPath, int]) -> None:
    """Raise :class:`CheckError` for a regex that can take super-linear time.

    Python's ``re`` has no time limit, so such a pattern could hang a run on some policy.
    """
    from policylint.redos import slow_regex_reason

    for path, regex, flags in regex_fields(raw):
        reason = slow_regex_reason(regex, flags)
        if reason:
            raise CheckError(source, line_of(lines, path), path, f"regular expression {reason}")


def _default_message(kind: CheckKind, title: str) -> str:
    if kind is CheckKind.ANOMALY:
        return f"{title}: found"
    keep = len(title) > 1 and title[1].isupper()  # an acronym: "CCPA rights", not "cCPA rights"
    return f"Missing: {title if keep else title[0].lower() + title[1:]}"


def _rules(
    raw: Sequence[Mapping[str, Any]], path: JsonPath, source: str, lines: Mapping[JsonPath, int]
) -> tuple[Rule, ...]:
    return tuple(_rule(item, (*path, i), source, lines) for i, item in enumerate(raw))


def _rule(raw: Mapping[str, Any], path: JsonPath, source: str, lines: Mapping[JsonPath, int]) -> Rule:
    case = bool(raw.get("case_sensitive", False))

    def terms(key: str) -> Terms | None:
        return compile_terms(raw[key]) if key in raw else None

    kind, patterns = _rule_patterns(raw, path, source, lines, case=case)
    within = raw.get("within", "sentence")
    return Rule(
        kind=kind,
        patterns=patterns,
        within=within if isinstance(within, int) else Scope(within),
        in_section=terms("in_section"),
        not_in_section=terms("not_in_section"),
        exclude=terms("exclude"),
        unless=terms("unless"),
        detector=raw.get("detector", ""),
        params=dict(raw.get("params", {})),
        message=raw.get("message", ""),
    )


def _rule_patterns(
    raw: Mapping[str, Any],
    path: JsonPath,
    source: str,
    lines: Mapping[JsonPath, int],
    *,
    case: bool,
) -> tuple[str, tuple[Terms, ...]]:
    if "phrases" in raw:
        return "phrases", (compile_terms(raw["phrases"], case_sensitive=case),)
    if "all" in raw:
        return "all", tuple(compile_terms(group, case_sensitive=case) for group in raw["all"])
    if "section" in raw:
        return "section", (compile_terms(raw["section"]),)
    if "regex" in raw:
        regexes = [raw["regex"]] if isinstance(raw["regex"], str) else list(raw["regex"])
        return "regex", tuple(
            _compile_regex(rx, (*path, "regex", i), source, lines, case=case) for i, rx in enumerate(regexes)
        )
    return "detector", ()


def _compile_regex(regex: str, path: JsonPath, source: str, lines: Mapping[JsonPath, int], *, case: bool) -> Terms:
    try:
        return _terms(regex, 0 if case else re.IGNORECASE)
    except (re.error, OverflowError) as exc:  # OverflowError: "the repetition number is too large"
        raise CheckError(source, line_of(lines, path), path, f"invalid regular expression: {exc}") from None
    except RecursionError:
        raise CheckError(source, line_of(lines, path), path, "invalid regular expression: too deeply nested") from None


def load_checks(extra: Iterable[Path] = (), *, builtin: bool = True, cache: Path | None = None) -> tuple[Check, ...]:
    """Load the built-in checks and any extra check files/directories, sorted by id.

    A check from ``extra`` may replace a built-in id only when it sets ``overrides: true``.
    With ``cache`` (a folder), the compiled built-in catalogue is kept there between runs
    (see :mod:`policylint.cache`).
    """
    by_id: dict[str, Check] = {}
    if builtin:
        by_id.update((check.id, check) for check in _builtin_catalogue(cache))
    builtin_ids = set(by_id)
    seen_extra: dict[str, str] = {}
    for path in check_files(extra):
        check = load_check_file(path, path.as_posix(), strict=True)
        if check.id in seen_extra:
            raise CheckError(
                check.source, 0, ("id",), f"duplicate check id {check.id!r} (also in {seen_extra[check.id]})"
            )
        if check.id in builtin_ids and not check.overrides:
            raise CheckError(
                check.source, 0, ("id",), f"{check.id!r} is a built-in check; set 'overrides: true' to replace it"
            )
        seen_extra[check.id] = check.source
        by_id[check.id] = check
    return tuple(by_id[key] for key in sorted(by_id))


def _builtin_catalogue(cache: Path | None) -> tuple[Check, ...]:
    files = builtin_check_files()

    def build() -> tuple[Check, ...]:
        return tuple(load_check_file(file, f"checks/{_relative_name(file)}") for file in files)

    if cache is None:
        return build()
    from policylint.cache import cached, catalogue_key

    def build_with_codes() -> tuple[tuple[Check, ...], dict[tuple[str, int], Code]]:
        """The catalogue, and the byte code of the detectors' and formats' own patterns."""
        from policylint.detectors import import_all
        from policylint.document import import_formats

        checks = build()
        import_all()
        import_formats()
        return checks, known_codes()

    key = catalogue_key([*files, data_dir("schemas") / "check.schema.json"])
    checks, codes = cached(cache, key, build_with_codes)
    learn_codes(codes)
    return checks


def _relative_name(file: Traversable) -> str:
    parts = str(file).replace("\\", "/").split("/")
    return "/".join(parts[parts.index("checks") + 1 :]) if "checks" in parts else file.name
