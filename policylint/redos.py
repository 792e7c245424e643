"""Regular expressions that can take super-linear time (ReDoS), found before they run.

Python's :mod:`re` backtracks and cannot be interrupted or given a time limit, so one
check whose regex backtracks catastrophically would hang the linter on some policy.
:func:`slow_regex_reason` inspects the parsed pattern for the shapes that cause it:

* a repeated group containing a variable-length part that can match the same text
  as the rest of the group (nested quantifiers: ``(a+)+``, ``(\\w+\\s?)+``, ``(.*a){9}``);
* a repeated alternation with two alternatives that can match the same text
  (``(a|a)*``, ``(\\d\\w|\\w\\d)+``);
* an unbounded repeat of "any character" (``[\\s\\S]*``, DOTALL ``.*``), which rescans
  the rest of the document from every position (quadratic time).

The analysis is approximate (character classes are compared on a sample alphabet) and
errs towards reporting; possessive repeats and atomic groups, which never backtrack,
are the documented way out besides rewriting.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache
from importlib import import_module
from typing import Any

Charset = frozenset[str]
Item = tuple[Any, Any]  # one (opcode, argument) node of re's parse tree

NESTED = (
    "can take exponential time: a repeated group contains a part that can match the same text in several "
    "ways (a nested quantifier like '(a+)+' or '(\\w+\\s?)+'); make each repetition consume a separator the "
    "inner part cannot match, e.g. '\\w+(?:\\s+\\w+)*'"
)
OVERLAP = (
    "can take exponential time: two alternatives of a repeated alternation can match the same text "
    "(like '(a|a)*' or '(\\d\\w|\\w\\d)+'); make the alternatives mutually exclusive"
)
ANYTHING = (
    "can take quadratic time: an unbounded repeat of any character ('[\\s\\S]*', DOTALL '.*') rescans "
    "the rest of the document from every position; bound it, e.g. '[\\s\\S]{0,200}?'"
)

_EXTRA_SAMPLE = "\u00a0\u00e9\u00df\u03a9\u0663\u2013\u2019\u200b\u3000\u4e2d\U0001f600"


@dataclass(frozen=True, slots=True)
class _Mode:
    """The inline flags in force at a node."""

    ignorecase: bool
    dotall: bool


def slow_regex_reason(pattern: str, flags: int = re.IGNORECASE) -> str | None:
    """Return why ``pattern`` can take super-linear time, or ``None`` if it looks safe.

    >>> slow_regex_reason(r"(\\w+\\s?)+") is not None
    True
    >>> slow_regex_reason(r"\\w+(?:\\s+\\w+)*") is None
    True
    """
    try:
        tree = _parser().parse(pattern, flags)
    except (re.error, RecursionError, OverflowError):
        return None  # an invalid pattern is reported when it is compiled
    state = tree.state.flags
    mode = _Mode(bool(state & re.IGNORECASE), bool(state & re.DOTALL))
    try:
        return next(_problems(list(tree), mode), None)
    except RecursionError:  # nested deeper than re itself can compile: reported as invalid
        return None


@cache
def _parser() -> Any:  # noqa: ANN401 - re's private parser module has no type stubs
    return import_module("re._parser")


@cache
def _op() -> Any:  # noqa: ANN401 - re's private constants module has no type stubs
    return import_module("re._constants")


@cache
def _alphabet() -> Charset:
    return frozenset(chr(code) for code in range(128)) | frozenset(_EXTRA_SAMPLE)


# --- the walk --------------------------------------------------------------------------


def _problems(items: Sequence[Item], mode: _Mode) -> Iterator[str]:
    op = _op()
    for code, arg in items:
        if code in (op.MAX_REPEAT, op.MIN_REPEAT):
            low, high, body = arg
            yield from _repeat_problems(low, high, list(body), mode)
            yield from _problems(list(body), mode)
        elif code is op.POSSESSIVE_REPEAT:
            yield from _problems(list(arg[2]), mode)
        else:
            for child, child_mode in _children(code, arg, mode):
                yield from _problems(child, child_mode)


def _repeat_problems(low: int, high: int, body: Sequence[Item], mode: _Mode) -> Iterator[str]:
    op = _op()
    if high == op.MAXREPEAT and len(body) == 1 and _single_chars(body[0], mode) >= _alphabet():
        yield ANYTHING
    if high < 2:  # noqa: PLR2004 - only a repeat that can iterate twice can split text two ways
        return
    if any(_fits(body, chars, mode) for chars in _variable_parts(body, mode)):
        yield NESTED
    for alternatives in _alternations(body):
        if _overlapping(alternatives, mode):
            yield OVERLAP
            return


def _children(code: Any, arg: Any, mode: _Mode) -> Iterator[tuple[list[Item], _Mode]]:  # noqa: ANN401
    """The sub-sequences of a non-repeat node, with the flags in force inside them."""
    op = _op()
    if code is op.SUBPATTERN:
        yield list(arg[3]), _flags(mode, arg[1], arg[2])
    elif code is op.BRANCH:
        yield from ((list(alternative), mode) for alternative in arg[1])
    elif code is op.ATOMIC_GROUP:
        yield list(arg), mode
    elif code in (op.ASSERT, op.ASSERT_NOT):
        yield list(arg[1]), mode
    elif code is op.GROUPREF_EXISTS:
        yield from ((list(branch), mode) for branch in arg[1:] if branch is not None)


def _flags(mode: _Mode, add: int, remove: int) -> _Mode:
    ignorecase = (mode.ignorecase or bool(add & re.IGNORECASE)) and not remove & re.IGNORECASE
    dotall = (mode.dotall or bool(add & re.DOTALL)) and not remove & re.DOTALL
    return replace(mode, ignorecase=ignorecase, dotall=dotall)


# --- nested quantifiers ----------------------------------------------------------------


def _variable_parts(items: Sequence[Item], mode: _Mode) -> Iterator[Charset]:
    """The characters of each backtracking variable-length part (not inside atomic groups)."""
    op = _op()
    for code, arg in items:
        if code in (op.MAX_REPEAT, op.MIN_REPEAT):
            low, high, body = arg
            if high > low:
                yield _chars(list(body), mode)
            yield from _variable_parts(list(body), mode)
        elif code is op.SUBPATTERN:
            yield from _variable_parts(list(arg[3]), _flags(mode, arg[1], arg[2]))
        elif code is op.BRANCH:
            widths = {alternative.getwidth() for alternative in arg[1]}
            if len(widths) > 1 or any(low != high for low, high in widths):
                yield frozenset().union(*(_chars(list(alternative), mode) for alternative in arg[1]))
            for alternative in arg[1]:
                yield from _variable_parts(list(alternative), mode)


def _fits(items: Sequence[Item], chars: Charset, mode: _Mode) -> bool:
    """Whether the sequence can match some text made only of ``chars`` (approximately)."""
    return all(_item_fits(item, chars, mode) for item in items)


def _item_fits(item: Item, chars: Charset, mode: _Mode) -> bool:
    op = _op()
    code, arg = item
    if code in _single_char_ops():
        return bool(_single_chars(item, mode) & chars)
    if code in (op.MAX_REPEAT, op.MIN_REPEAT, op.POSSESSIVE_REPEAT):
        return arg[0] == 0 or _fits(list(arg[2]), chars, mode)
    if code is op.GROUPREF_EXISTS:
        return any(branch is None or _fits(list(branch), chars, mode) for branch in arg[1:])
    if code in (op.SUBPATTERN, op.ATOMIC_GROUP, op.BRANCH):
        return any(_fits(child, chars, child_mode) for child, child_mode in _children(code, arg, mode))
    return True  # anchors, lookarounds and back-references consume nothing of their own


def _chars(items: Sequence[Item], mode: _Mode) -> Charset:
    """Every character the sequence can consume."""
    op = _op()
    found: set[str] = set()
    for code, arg in items:
        if code in _single_char_ops():
            found |= _single_chars((code, arg), mode)
        elif code in (op.MAX_REPEAT, op.MIN_REPEAT, op.POSSESSIVE_REPEAT):
            found |= _chars(list(arg[2]), mode)
        elif code is op.SUBPATTERN:
            found |= _chars(list(arg[3]), _flags(mode, arg[1], arg[2]))
        elif code is op.ATOMIC_GROUP:
            found |= _chars(list(arg), mode)
        elif code is op.BRANCH:
            found = found.union(*(_chars(list(alternative), mode) for alternative in arg[1]))
    return frozenset(found)


# --- overlapping alternatives ------------------------------------------------------------


def _alternations(items: Sequence[Item]) -> Iterator[list[list[Item]]]:
    """The alternations chosen afresh in every iteration of a repeat body."""
    op = _op()
    for code, arg in items:
        if code is op.BRANCH:
            yield [list(alternative) for alternative in arg[1]]
        elif code is op.SUBPATTERN:
            yield from _alternations(list(arg[3]))


def _overlapping(alternatives: Sequence[Sequence[Item]], mode: _Mode) -> bool:
    """Whether two fixed-length alternatives can match the same text.

    Positions that hold one letter (in either case) intersect only when equal, so such
    "literal" shapes are compared by hashing; the others pairwise (there are few).
    """
    shapes = [shape for alternative in alternatives if (shape := _fixed_shape(alternative, mode)) is not None]
    literal: set[tuple[Charset, ...]] = set()
    classes: list[tuple[Charset, ...]] = []
    for shape in shapes:
        if all(len({ch.casefold() for ch in chars}) == 1 for chars in shape):
            if shape in literal:
                return True
            literal.add(shape)
        else:
            classes.append(shape)
    return any(
        len(first) == len(second) and all(a & b for a, b in zip(first, second, strict=True))
        for index, first in enumerate(classes)
        for second in (*classes[index + 1 :], *literal)
    )


def _fixed_shape(items: Sequence[Item], mode: _Mode) -> tuple[Charset, ...] | None:
    """The character set of each position, for a sequence of single characters."""
    op = _op()
    shape: list[Charset] = []
    for code, arg in items:
        if code in _single_char_ops():
            shape.append(_single_chars((code, arg), mode))
        elif code is op.SUBPATTERN and (inner := _fixed_shape(list(arg[3]), _flags(mode, arg[1], arg[2]))) is not None:
            shape.extend(inner)
        else:
            return None
    return tuple(shape)


# --- character sets ----------------------------------------------------------------------


@cache
def _single_char_ops() -> frozenset[Any]:
    op = _op()
    return frozenset({op.LITERAL, op.NOT_LITERAL, op.ANY, op.IN})


def _single_chars(item: Item, mode: _Mode) -> Charset:
    """The characters (of the sample alphabet) one single-character node matches."""
    op = _op()
    code, arg = item
    alphabet = _alphabet()
    if code is op.LITERAL:
        return _cased(frozenset({chr(arg)}), mode)
    if code is op.NOT_LITERAL:
        return alphabet - _cased(frozenset({chr(arg)}), mode)
    if code is op.ANY:
        return alphabet if mode.dotall else alphabet - {"\n"}
    if code is op.IN:
        return _class_chars(tuple(arg), mode)
    return frozenset()


@cache
def _class_chars(members: tuple[Item, ...], mode: _Mode) -> Charset:
    op = _op()
    alphabet = _alphabet()
    negate = any(code is op.NEGATE for code, _ in members)
    found: set[str] = set()
    for code, arg in members:
        if code is op.LITERAL:
            found.add(chr(arg))
        elif code is op.RANGE:
            found |= {ch for ch in alphabet if arg[0] <= ord(ch) <= arg[1]}
        elif code is op.CATEGORY:
            found |= _category(arg)
    chars = _cased(frozenset(found), mode)
    return alphabet - chars if negate else chars


@cache
def _category(category: Any) -> Charset:  # noqa: ANN401
    op = _op()
    tests: dict[Any, Callable[[str], bool]] = {
        op.CATEGORY_DIGIT: str.isdecimal,
        op.CATEGORY_SPACE: str.isspace,
        op.CATEGORY_WORD: lambda ch: ch.isalnum() or ch == "_",
        op.CATEGORY_LINEBREAK: lambda ch: ch == "\n",
    }
    inverse = {
        op.CATEGORY_NOT_DIGIT: op.CATEGORY_DIGIT,
        op.CATEGORY_NOT_SPACE: op.CATEGORY_SPACE,
        op.CATEGORY_NOT_WORD: op.CATEGORY_WORD,
        op.CATEGORY_NOT_LINEBREAK: op.CATEGORY_LINEBREAK,
    }
    alphabet = _alphabet()
    if category in inverse:
        return alphabet - _category(inverse[category])
    test = tests.get(category)
    return frozenset(ch for ch in alphabet if test(ch)) if test else alphabet


@cache
def _cased(chars: Charset, mode: _Mode) -> Charset:
    if not mode.ignorecase:
        return chars
    return (
        chars
        | {ch.lower() for ch in chars if len(ch.lower()) == 1}
        | {ch.upper() for ch in chars if len(ch.upper()) == 1}
    )
