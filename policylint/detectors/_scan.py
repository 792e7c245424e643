"""Candidate starts for the detectors: runs and tokens found from a cheap mark.

The literal search (``candidate_starts``), the caseless copy and ``matches_at`` live in
:mod:`policylint.prefilter`, shared with the engine; this module adds the run-based
candidates some detectors need.

Python's regex engine scans quickly only for patterns that open with a literal. A pattern
that opens with ``\\b``, a lookbehind, a long alternation or ``re.IGNORECASE`` is tried at
every position of the text, which on a whole policy costs far more than the matching
itself. Here the candidate starts come from something cheap (``str.find`` on a caseless
copy, a one-character regex and a run read backwards) and the real pattern is tried only
there, with ``match`` at each candidate (lookbehinds and ``\\b`` still see the text before
it). The matches are exactly those of ``pattern.finditer(text)`` provided that
every match of the pattern starts at one of the candidates and the pattern never matches
the empty string.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from policylint.regexcode import compiled

_NON_SPACE = compiled(r"\S*")


def run_end(run: re.Pattern[str], text: str, position: int) -> int:
    r"""Where a run of ``run`` (a pattern like ``[\w-]*``) starting at ``position`` ends."""
    match = run.match(text, position)
    return match.end() if match is not None else position


def run_start(run: re.Pattern[str], text: str, reverse: str, position: int) -> int:
    """Where the run of ``run`` (a single-character class with ``*``) that ends at
    ``position`` starts; ``reverse`` is ``text[::-1]``, so that a regex can read backwards."""
    return len(text) - run_end(run, reverse, len(text) - position)


def token_spans(text: str, anchors: re.Pattern[str]) -> Iterator[tuple[int, int]]:
    """The whitespace-delimited tokens of ``text`` that contain a match of ``anchors``.

    A pattern that cannot match whitespace and whose every match contains an anchor
    matches only inside these tokens. Token starts are found by matching on the reversed
    text, so each token is read a bounded number of times.
    """
    reverse = text[::-1]
    end = 0
    for anchor in anchors.finditer(text):
        if anchor.start() < end:
            continue
        end = run_end(_NON_SPACE, text, anchor.start())
        yield run_start(_NON_SPACE, text, reverse, anchor.start()), end


def run_starts(text: str, marks: re.Pattern[str], run: re.Pattern[str]) -> Iterator[int]:
    """The starts of the maximal runs of ``run`` (a pattern like ``[\\w-]*`` that may match
    empty) which contain a match of ``marks``, in order."""
    reverse = text[::-1]
    end = 0
    for mark in marks.finditer(text):
        if mark.start() < end:
            continue
        yield run_start(run, text, reverse, mark.start())
        end = run_end(run, text, mark.start())


