"""Literal prefixes of a regular expression: where a match can start, found with ``str.find``.

Python's regex engine tries a pattern at every offset of the text. For the long
alternations check authors write (``\\b(?:you\\s+have|right\\s+to|...)...``) that is the
dominant cost of linting. Most such patterns can only match where one of a few literal
strings begins (``you``, ``right``, ...): :func:`literal_prefixes` derives those strings
from the parsed pattern, and :func:`candidate_starts` finds them with ``str.find`` (a
C-speed scan), so the regex runs only at those offsets.

Prefixes are lower-cased and looked up in the :func:`caseless` copy of the text (lower-cased,
same length, with the few characters ``re.IGNORECASE`` equates with an ASCII letter mapped
to it): a case-sensitive or case-insensitive match always starts with the lower-cased
prefix there (a letter that ``re.IGNORECASE`` equates beyond lower-casing, as ``μ`` and the
micro sign ``µ``, ends a prefix), so the candidates are a superset of the real match starts and
:func:`matches_at` gives exactly what a full scan gives. When a pattern's start cannot be
pinned to literals (a character class, an unknown construct) there are no prefixes and the
caller scans the whole text. The detectors use the same pieces.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from policylint.model import fold

MIN_PREFIX = 2  # one-letter prefixes would make every word a candidate
MAX_PREFIXES = 64
MAX_CLASS_CHARS = 12  # expand [Qq], \d or [\d+(] but not [a-z]
MAX_RANGE = 10  # [0-9] and [2-9], not [a-z]


@lru_cache(maxsize=8)
def _parsed(source: str, flags: int) -> Any:  # noqa: ANN401 - re._parser.SubPattern, a private type
    """The parse tree of a pattern, shared by the analyses below (each pattern is asked about in a row)."""
    from re import _parser  # type: ignore[attr-defined]  # private, but stable since 3.11

    return _parser.parse(source, flags)


@cache
def literal_prefixes(
    source: str, flags: int = 0, *, spaces: str = "", cased: bool = False, collapse: bool = False
) -> tuple[str, ...] | None:
    """Strings one of which starts every match of the pattern, or ``None``.

    The strings are lower-cased, for the :func:`caseless` copy of the text, unless
    ``cased`` (sound only for a pattern that ignores case nowhere, see :func:`ignores_case`):
    then they keep the pattern's case, for :func:`plain_digits` of the text. ``spaces`` is
    every whitespace character the text can hold (``" \\n"`` for a document's normalised
    text): ``\\s`` then stands for those and need not end a prefix. With ``collapse``, a run
    of whitespace (``\\s+``, ``[^\\S\\n]+``) stands for one space and the prefix goes on
    after it: no longer strings of the text, but the words a match begins with, for
    :func:`word_heads`.
    """
    try:
        found, _ = _sequence(list(_parsed(source, flags)), _Mode(not cased, spaces, collapse))
    except Exception:  # any surprise from a private API means: no prefilter
        return None
    if found is None or not found or any(_too_common(prefix) for prefix in found):
        return None
    return tuple(shortest_prefixes(found))


@cache
def run_before_literal(source: str, flags: int = 0) -> tuple[str, str] | None:
    """``(class, literal)`` when every match is a run of one character class, then a literal
    character the class does not hold, e.g. ``[\\w.+-]+@`` (an e-mail address), else ``None``.

    Such a match can only start where that run starts before an occurrence of the literal
    (or where the previous match ended inside the run), and trying the pattern there alone
    finds what a full scan finds: see :func:`matches_before_literal`. The class comes back
    as regex source (``[\\w.+\\-]``) to compile with the pattern's flags.
    """
    try:
        shape = _run_shape(list(_parsed(source, flags)))
        if shape is None:
            return None
        chars, literal = _class_source(shape[0]), chr(shape[1])
        if chars is None or re.fullmatch(chars, literal, flags & (re.IGNORECASE | re.ASCII)):
            return None
    except Exception:  # any surprise from a private API means: no prefilter
        return None
    return chars, literal


def _run_shape(items: Sequence[tuple[Any, Any]]) -> tuple[Sequence[tuple[Any, Any]], int] | None:
    """The class items and the literal of ``[...]+L...`` (optionally after ``(?<![...])`` of the same class)."""
    from re import _constants as c  # type: ignore[attr-defined]

    lookbehind = None
    if items and items[0][0] is c.ASSERT_NOT and items[0][1][0] == -1:
        lookbehind, items = items[0][1][1], items[1:]  # (?<![\w.+-]): fails inside a run, as a full scan does
    if len(items) < len("C@") or items[0][0] not in (c.MAX_REPEAT, c.POSSESSIVE_REPEAT):
        return None
    (_, (low, high, repeated)), (second, code) = items[:2]
    shaped = second is c.LITERAL and low >= 1 and high == c.MAXREPEAT and len(repeated) == 1
    if not shaped or repeated[0][0] is not c.IN or (lookbehind is not None and list(lookbehind) != list(repeated)):
        return None
    return repeated[0][1], code


def _class_source(items: Sequence[tuple[Any, Any]]) -> str | None:
    from re import _constants as c  # type: ignore[attr-defined]

    categories = {
        c.CATEGORY_WORD: r"\w", c.CATEGORY_NOT_WORD: r"\W", c.CATEGORY_DIGIT: r"\d",
        c.CATEGORY_NOT_DIGIT: r"\D", c.CATEGORY_SPACE: r"\s", c.CATEGORY_NOT_SPACE: r"\S",
    }
    parts = []
    for kind, value in items:
        if kind is c.LITERAL:
            parts.append(re.escape(chr(value)) if chr(value) not in "-]^\\" else "\\" + chr(value))
        elif kind is c.RANGE:
            parts.append(f"{re.escape(chr(value[0]))}-{re.escape(chr(value[1]))}")
        elif kind is c.CATEGORY and value in categories:
            parts.append(categories[value])
        elif kind is c.NEGATE and not parts:
            parts.append("^")
        else:
            return None
    return f"[{''.join(parts)}]"


def matches_before_literal(
    pattern: re.Pattern[str], text: str, run: re.Pattern[str], literal: str
) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)`` for a pattern :func:`run_before_literal` describes.

    For each occurrence of ``literal``, the pattern is tried once: where the run of ``run``
    characters before it starts (or where the previous match ended, inside that run). A
    failure there is a failure at every later start in the run, which meets the same literal
    and the same rest. Exact when the pattern matches no empty string.
    """
    end = 0
    at = text.find(literal)
    while at >= 0:
        start = at
        while start > end and run.match(text, start - 1):
            start -= 1
        if start < at:
            match = pattern.match(text, start)
            if match is not None:
                yield match
                end = match.end()
        at = text.find(literal, max(at + 1, end))


@cache
def starts_lines(source: str, flags: int = 0) -> bool:
    """Whether every match starts at the beginning of a line (``(?m)^...``)."""
    try:
        from re import _constants as c  # type: ignore[attr-defined]

        parsed = _parsed(source, flags)
        items = list(parsed)
    except Exception:
        return False
    multiline = bool(parsed.state.flags & c.SRE_FLAG_MULTILINE)
    return multiline and bool(items) and items[0] == (c.AT, c.AT_BEGINNING)


@cache
def starts_at_words(source: str, flags: int = 0) -> bool:
    """Whether every match begins with ``\\b`` or ``(?<!\\w)`` (Unicode word characters).

    With prefixes that begin with a word character (see :func:`word_heads`), every match then
    starts where a word starts, so a word index finds the candidates instead of ``str.find``.
    """
    if flags & re.ASCII or "(?a" in source:  # \b would then mean ASCII words, not the index's words
        return False
    try:
        return _bounded(list(_parsed(source, flags)))
    except Exception:  # any surprise from a private API means: no
        return False


def _bounded(items: Sequence[tuple[Any, Any]]) -> bool:
    from re import _constants as c  # type: ignore[attr-defined]

    if not items:
        return False
    op, arg = items[0]
    if op is c.AT:
        return bool(arg is c.AT_BOUNDARY or arg is c.AT_UNI_BOUNDARY)
    if op is c.ASSERT_NOT:  # (?<!\w)
        direction, inner = arg
        return direction == -1 and list(inner) == [(c.IN, [(c.CATEGORY, c.CATEGORY_WORD)])]
    if op is c.SUBPATTERN:
        return not arg[1] & c.SRE_FLAG_ASCII and _bounded(list(arg[-1]))
    if op is c.BRANCH:
        return all(_bounded(list(branch)) for branch in arg[1])
    return False


def word_heads(prefixes: Iterable[str], *, cased: bool = False) -> tuple[tuple[str, bool, tuple[str, ...]], ...] | None:
    """The prefixes as word leads ``(word, exact, next)`` for :meth:`policylint.engine.WordIndex.lead_starts`.

    A prefix ``"the "`` becomes the word ``the`` (exact: a non-word character ends it), ``"effective"``
    every word beginning with ``effective``, ``"the p"`` and ``"the n"`` the word ``the`` where the
    next word begins with ``p`` or ``n`` (the prefixes of :func:`literal_prefixes` with ``collapse``
    go on past a whitespace run); lower-cased, for the folded text's index. ``None`` when a
    prefix does not begin with a word character, or with a non-ASCII one, unless the pattern is
    ``cased`` and the word :func:`lowers_alone` (``re.IGNORECASE`` also equates letters that
    ``str.lower`` keeps apart, such as ``µ`` and ``μ``).
    """
    usable = lowers_alone if cased else str.isascii
    nexts: dict[tuple[str, bool], set[str] | None] = {}
    for prefix in prefixes:
        run = _WORD_RUN.match(prefix)
        if run is None or not usable(run.group()):
            return None
        head = (run.group().lower(), run.end() < len(prefix))
        after = _NEXT_WORD.match(prefix, run.end())  # non-word characters, then the next word's beginning
        word = after.group(1).lower() if after is not None and usable(after.group(1)) else None
        words = nexts.get(head, set())  # None: any next word
        nexts[head] = None if words is None or word is None else {*words, word}
    found = {(*head, tuple(sorted(words)) if words else ()) for head, words in nexts.items()}
    return tuple(sorted(found)) if found else None


def lowers_alone(text: str) -> bool:
    """Whether ``text`` lower-cases the same alone as inside any text folded by :func:`policylint.model.fold`.

    True unless a character's lower case is longer than one character (``İ``: ``fold`` then
    keeps it as it is) or it is a sigma (``str.lower`` writes ``ς`` or ``σ`` by what follows).
    """
    return text.isascii() or not any(len(char.lower()) > 1 or char in _SIGMAS for char in text)


_SIGMAS = frozenset("Σσς")
_WORD_RUN = re.compile(r"\w+")
_NEXT_WORD = re.compile(r"\W+(\w+)")


@lru_cache(maxsize=4)
def line_starts(text: str) -> list[int]:
    """Where the lines of ``text`` begin: 0 and after each newline."""
    starts = [0]
    at = text.find("\n")
    while at >= 0:
        starts.append(at + 1)
        at = text.find("\n", at + 1)
    return starts


@cache
def ignores_case(source: str, flags: int = 0) -> bool:
    """Whether the pattern, or a group of it (``(?i:...)``), matches regardless of case (``True`` when unsure)."""
    try:
        from re import _constants as c  # type: ignore[attr-defined]

        parsed = _parsed(source, flags)
    except Exception:
        return True
    if parsed.state.flags & c.SRE_FLAG_IGNORECASE:
        return True
    pending = [list(parsed)]
    while pending:
        for op, arg in pending.pop():
            if op is c.SUBPATTERN:
                if arg[1] & c.SRE_FLAG_IGNORECASE:
                    return True
                pending.append(list(arg[-1]))
            elif op is c.BRANCH:
                pending.extend(list(branch) for branch in arg[1])
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT, c.ATOMIC_GROUP):
                pending.append(list(arg[-1]))
            elif op in (c.ASSERT, c.ASSERT_NOT):
                pending.append(list(arg[1]))
            elif op is c.GROUPREF_EXISTS:
                pending.extend(list(branch) for branch in arg[1:] if branch is not None)
    return False


@dataclass(frozen=True, slots=True)
class _Mode:
    fold: bool  # lower-case the prefixes
    spaces: str  # what \s can match in the text ("": anything, so it ends a prefix)
    collapse: bool = False  # a whitespace run is one space (prefixes for word leads, not for str.find)


def _too_common(prefix: str) -> bool:
    """Shorter than two characters, unless it is one rare non-letter ("@", "(", "+", a digit)."""
    return len(prefix) < MIN_PREFIX and not (prefix and not prefix.isalpha() and not prefix.isspace())


def _class_chars(items: Sequence[tuple[Any, Any]], mode: _Mode) -> str | None:
    """The characters a small positive class matches (``[Qq]``, ``\\d``, ``[2-9]``, ``\\s``), or ``None``.

    ``\\d`` stands for the ASCII digits: :func:`caseless` and :func:`plain_digits` map every
    other decimal digit to ``0``.
    """
    from re import _constants as c  # type: ignore[attr-defined]

    chars = ""
    for kind, value in items:
        if kind is c.LITERAL:
            chars += chr(value)
        elif kind is c.RANGE and value[1] - value[0] < MAX_RANGE:
            chars += "".join(chr(code) for code in range(value[0], value[1] + 1))
        elif kind is c.CATEGORY and value is c.CATEGORY_DIGIT:
            chars += "0123456789"
        elif kind is c.CATEGORY and value is c.CATEGORY_SPACE and mode.spaces:
            chars += mode.spaces
        else:
            return None
    if mode.fold:
        if any(map(_folds_apart, chars)):
            return None
        chars = "".join(sorted(set(chars.lower())))
    return chars if len(chars) <= MAX_CLASS_CHARS else None


def _folds_apart(char: str) -> bool:
    """Whether ``re.IGNORECASE`` matches ``char`` with a character whose lower case differs from its own.

    ``μ`` matches ``µ`` (the micro sign, its own lower case), ``в`` matches ``ᲀ``: a lower-cased
    prefix would miss those. The ASCII cases (``ı``, ``ſ``, ``İ``) are mapped by :func:`caseless`.
    """
    if char.isascii():
        return False
    extras = _ignorecase_extras()
    return extras is None or char in extras or char.lower() in extras


@cache
def _ignorecase_extras() -> frozenset[str] | None:
    """The characters ``re.IGNORECASE`` equates beyond simple lower-casing (``None``: unknown, assume any)."""
    try:
        from re._casefix import _EXTRA_CASES  # type: ignore[import-not-found]  # private, stable since 3.11
    except ImportError:
        return None
    codes = {*_EXTRA_CASES, *(code for equals in _EXTRA_CASES.values() for code in equals)}
    return frozenset(map(chr, codes))


def _sequence(items: Sequence[tuple[Any, Any]], mode: _Mode) -> tuple[set[str] | None, bool]:
    """Prefixes of a sequence of parsed items, and whether the whole sequence is literal."""
    from re import _constants as c  # type: ignore[attr-defined]

    current = {""}
    for position, (op, arg) in enumerate(items):
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            continue  # zero-width
        if op is c.LITERAL and not (mode.fold and _folds_apart(chr(arg))):
            char = chr(arg).lower() if mode.fold else chr(arg)
            current = {prefix + char for prefix in current}
            continue
        if op is c.LITERAL:  # a letter ignoring case matches with no single lower case: the prefix ends
            return (current, False) if all(current) else (None, False)
        if op is c.IN and (chars := _class_chars(arg, mode)) is not None:
            if len(current) * len(chars) > MAX_PREFIXES:
                return (current, False) if all(current) else (None, False)
            current = {prefix + char for prefix in current for char in chars}
            continue
        following, complete = _item((op, arg), items[position + 1 :], mode)
        joined = _join(current, following)
        if joined is not None and len(joined) > MAX_PREFIXES and following:  # too many: shorten what follows
            joined = _shortened(current, following)
            complete = False
        if joined is not None and len(joined) > MAX_PREFIXES and all(current):
            return current, False  # the shorter prefixes found so far start every match too
        if joined is None or len(joined) > MAX_PREFIXES:
            return None, False
        if not complete:
            return joined, False
        current = joined
    return current, True


def _item(item: tuple[Any, Any], rest: Sequence[tuple[Any, Any]], mode: _Mode) -> tuple[set[str] | None, bool]:
    """Prefixes of a group, alternation or repeat (``rest``: the items after it), and whether it is literal."""
    from re import _constants as c  # type: ignore[attr-defined]

    op, arg = item
    if mode.collapse and _whitespace_run(item):
        return {" "}, True
    if op is c.SUBPATTERN:
        return _sequence(list(arg[-1]), mode)
    if op is c.BRANCH:
        return _branches(arg[1], mode)
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and arg[0] >= 1:
        return _sequence(list(arg[2]), mode)[0], False
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):  # optional: the item, or what follows
        return _either(_sequence(list(arg[2]), mode)[0], _sequence(rest, mode)[0]), False
    return None, False


def _whitespace_run(item: tuple[Any, Any]) -> bool:
    """Whether the item is ``\\s+``, ``[^\\S\\n]+`` or `` +`` (at least one whitespace character, nothing else)."""
    from re import _constants as c  # type: ignore[attr-defined]

    op, arg = item
    if op not in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) or arg[0] < 1:
        return False
    body = list(arg[2])
    return body in (
        [(c.IN, [(c.CATEGORY, c.CATEGORY_SPACE)])],
        [(c.IN, [(c.NEGATE, None), (c.CATEGORY, c.CATEGORY_NOT_SPACE), (c.LITERAL, ord("\n"))])],
        [(c.LITERAL, ord(" "))],
    )


def _shortened(current: set[str], following: set[str]) -> set[str]:
    """``current`` joined with the longest beginnings of ``following`` that stay few enough."""
    joined = current
    for length in range(1, max(map(len, following))):
        longer = {prefix + more[:length] for prefix in current for more in following}
        if len(longer) > MAX_PREFIXES:
            break
        joined = longer
    return joined


def _either(first: set[str] | None, second: set[str] | None) -> set[str] | None:
    return None if first is None or second is None else first | second


def _branches(branches: Iterable[Any], mode: _Mode) -> tuple[set[str] | None, bool]:
    """Prefixes of an alternation, and whether every alternative is literal (what follows extends them)."""
    found: set[str] = set()
    complete = True
    for branch in branches:
        inner, literal = _sequence(list(branch), mode)
        if inner is None:
            return None, False
        found |= inner
        complete = complete and literal
    return found, complete


def _join(current: set[str], following: set[str] | None) -> set[str] | None:
    if following is None:
        return current if all(current) else None
    return {prefix + more for prefix in current for more in following}


def shortest_prefixes(prefixes: Iterable[str]) -> list[str]:
    """Sorted, without the prefixes another prefix already covers ("right" covers "rights")."""
    kept: list[str] = []
    for prefix in sorted(set(prefixes)):  # sorted: a prefix comes right before the words it covers
        if not kept or not prefix.startswith(kept[-1]):
            kept.append(prefix)
    return kept


def candidate_starts(text: str, literals: Iterable[str]) -> list[int]:
    """The sorted, distinct offsets of ``text`` where one of ``literals`` begins."""
    found: set[int] = set()
    for literal in literals:
        at = text.find(literal)
        while at >= 0:
            found.add(at)
            at = text.find(literal, at + 1)
    return sorted(found)


def matches_at(pattern: re.Pattern[str], text: str, starts: Iterable[int]) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)``, trying the pattern only at the sorted candidate ``starts``.

    Exact when every match of ``pattern`` starts at a candidate and none is empty.
    """
    end = 0
    for start in starts:
        if start < end:
            continue
        match = pattern.match(text, start)
        if match is not None:
            yield match
            end = match.end()


def match_spans(pattern: re.Pattern[str], text: str, starts: Iterable[int]) -> tuple[tuple[int, int], ...]:
    """The spans of the non-empty matches :func:`matches_at` finds, in one plain loop (the engine's hot path)."""
    found = []
    end = 0
    match = pattern.match
    for start in starts:
        if start >= end and (hit := match(text, start)) is not None:
            span = hit.span()
            end = span[1]
            if span[1] > span[0]:
                found.append(span)
    return tuple(found)


# Characters that ``re.IGNORECASE`` matches to an ASCII letter but that ``str.lower()``
# does not turn into it (computed over all of Unicode with Python 3.11).
_IGNORECASE_ODDITIES = (("\u0130", "i"), ("\u0131", "i"), ("\u017f", "s"))


@lru_cache(maxsize=4)
def caseless(text: str) -> str:
    """``text`` lower-cased, same length, each character that ``re.IGNORECASE`` equates
    with an ASCII letter replaced by that letter and each decimal digit other than 0-9
    (which ``\\d`` matches) replaced by ``0``.

    A lower-case ASCII literal found here is where a case-insensitive pattern spelling it
    can match, so literals searched here are sound prefilters for ``re.IGNORECASE``
    patterns. The engine and several detectors ask for the same text, so the last few
    results are kept.
    """
    folded = fold(text)
    if folded.isascii():
        return folded
    for odd, letter in _IGNORECASE_ODDITIES:
        if odd in folded:
            folded = folded.replace(odd, letter)
    return _zero_digits(folded)


@lru_cache(maxsize=4)
def plain_digits(text: str) -> str:
    """``text`` with each decimal digit other than 0-9 replaced by ``0`` (where case-sensitive prefixes are found)."""
    return _zero_digits(text)


def _zero_digits(text: str) -> str:
    return text if text.isascii() else _OTHER_DIGIT.sub("0", text)


_OTHER_DIGIT = re.compile(r"[^\D0-9]")  # what ``\d`` matches besides 0-9 (Arabic-Indic, Devanagari...)
