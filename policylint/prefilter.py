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
prefix there, so the candidates are a superset of the real match starts and
:func:`matches_at` gives exactly what a full scan gives. When a pattern's start cannot be
pinned to literals (a character class, an unknown construct) there are no prefixes and the
caller scans the whole text. The detectors use the same pieces.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from functools import cache, lru_cache
from typing import Any

from policylint.model import fold

MIN_PREFIX = 2  # one-letter prefixes would make every word a candidate
MAX_PREFIXES = 64
MAX_CLASS_CHARS = 12  # expand [Qq], \d or [\d+(] but not [a-z]
MAX_RANGE = 10  # [0-9] and [2-9], not [a-z]


@cache
def literal_prefixes(source: str, flags: int = 0) -> tuple[str, ...] | None:
    """Lower-cased strings one of which starts every match of the pattern, or ``None``."""
    try:
        from re import _parser  # type: ignore[attr-defined]  # private, but stable since 3.11

        parsed = _parser.parse(source, flags)
        found, _ = _sequence(list(parsed))
    except Exception:  # any surprise from a private API means: no prefilter
        return None
    if found is None or not found or any(_too_common(prefix) for prefix in found):
        return None
    return tuple(shortest_prefixes(found))


def _too_common(prefix: str) -> bool:
    """Shorter than two characters, unless it is one rare non-letter ("@", "(", "+", a digit)."""
    return len(prefix) < MIN_PREFIX and not (prefix and not prefix.isalpha() and not prefix.isspace())


def _class_chars(items: Sequence[tuple[Any, Any]]) -> str | None:
    """The characters a small positive class matches (``[Qq]``, ``\\d``, ``[2-9]``), lower-cased, or ``None``.

    ``\\d`` stands for the ASCII digits: :func:`caseless` maps every other decimal digit to ``0``.
    """
    from re import _constants as c  # type: ignore[attr-defined]

    chars = ""
    for kind, value in items:
        if kind is c.LITERAL:
            chars += chr(value).lower()
        elif kind is c.RANGE and value[1] - value[0] < MAX_RANGE:
            chars += "".join(chr(code).lower() for code in range(value[0], value[1] + 1))
        elif kind is c.CATEGORY and value is c.CATEGORY_DIGIT:
            chars += "0123456789"
        else:
            return None
    return chars if len(chars) <= MAX_CLASS_CHARS else None


def _sequence(items: Sequence[tuple[Any, Any]]) -> tuple[set[str] | None, bool]:
    """Prefixes of a sequence of parsed items, and whether the whole sequence is literal."""
    from re import _constants as c  # type: ignore[attr-defined]

    current = {""}
    for position, (op, arg) in enumerate(items):
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            continue  # zero-width
        if op is c.LITERAL:
            current = {prefix + chr(arg).lower() for prefix in current}
            continue
        if op is c.IN and (chars := _class_chars(arg)) is not None:
            if len(current) * len(chars) > MAX_PREFIXES:
                return (current, False) if all(current) else (None, False)
            current = {prefix + char for prefix in current for char in chars}
            continue
        following: set[str] | None = None
        complete = False
        if op is c.SUBPATTERN:
            following, complete = _sequence(list(arg[-1]))
        elif op is c.BRANCH:
            following = _branches(arg[1])
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and arg[0] >= 1:
            following = _sequence(list(arg[2]))[0]
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):  # optional: the item, or what follows
            following = _either(_sequence(list(arg[2]))[0], _sequence(items[position + 1 :])[0])
        joined = _join(current, following)
        if joined is not None and len(joined) > MAX_PREFIXES and all(current):
            return current, False  # the shorter prefixes found so far start every match too
        if joined is None or len(joined) > MAX_PREFIXES:
            return None, False
        if not complete:
            return joined, False
        current = joined
    return current, True


def _either(first: set[str] | None, second: set[str] | None) -> set[str] | None:
    return None if first is None or second is None else first | second


def _branches(branches: Iterable[Any]) -> set[str] | None:
    found: set[str] = set()
    for branch in branches:
        inner, _ = _sequence(list(branch))
        if inner is None:
            return None
        found |= inner
    return found


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
    return _OTHER_DIGIT.sub("0", folded)


_OTHER_DIGIT = re.compile(r"[^\D0-9]")  # what ``\d`` matches besides 0-9 (Arabic-Indic, Devanagari...)
