"""Compiled regular expressions that survive pickling without being compiled again.

``re.compile`` parses a pattern in pure Python and then hands a list of integers (the
pattern's byte code) to the C function ``_sre.compile``. Parsing is the slow part: for the
built-in catalogue (hundreds of long phrase alternations) it costs more than linting a
policy. :func:`compile_with_code` keeps the arguments of that last call, so a pickled
catalogue (see :mod:`policylint.cache`) can rebuild each pattern with :func:`from_code`
at C speed.

This uses CPython internals (``re._parser``, ``re._compiler``, ``_sre``). Every step
falls back to plain ``re.compile`` when they do not behave as expected, and the cache
is keyed by the exact Python version, so byte code never crosses interpreter versions.
"""

from __future__ import annotations

import re
from array import array
from typing import Any

Code = tuple[Any, ...]
_WORD = "I" if array("I").itemsize >= 4 else "L"  # noqa: PLR2004 - SRE code words are 32-bit


def compile_with_code(source: str, flags: int = 0) -> tuple[re.Pattern[str], Code | None]:
    """Compile ``source``; also return the byte-code arguments when they can be kept.

    Raises ``re.error`` (and ``OverflowError``/``RecursionError``) like ``re.compile``.
    """
    try:
        code = _code(source, flags)
        pattern = _sre_compile(code)
    except (re.error, OverflowError, RecursionError):
        raise
    except Exception:  # the internals changed: compile the plain way, keep no byte code
        return re.compile(source, flags), None
    return pattern, code


def from_code(source: str, flags: int, code: Code | None) -> re.Pattern[str]:
    """Rebuild a pattern from :func:`compile_with_code`'s byte code (or compile it)."""
    if code is not None:
        try:
            return _sre_compile(code)
        except Exception:  # noqa: S110 - fall back to compiling
            pass
    return re.compile(source, flags)


# The byte code of every pattern compiled through `compiled` in this process, by (source, flags).
# The catalogue cache saves it and gives it back (`learn_codes`) before the detectors and
# formats are imported, so their module-level patterns are not parsed again in each run.
_KNOWN: dict[tuple[str, int], Code] = {}


def compiled(source: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile`` for module-level patterns: rebuilt from known byte code when there is some."""
    code = _KNOWN.get((source, flags))
    if code is not None:
        try:
            return _sre_compile(code)
        except Exception:  # noqa: S110 - compile it the plain way
            pass
    pattern, code = compile_with_code(source, flags)
    if code is not None:
        _KNOWN[source, flags] = code
    return pattern


def known_codes() -> dict[tuple[str, int], Code]:
    """The byte code :func:`compiled` has seen so far in this process."""
    return dict(_KNOWN)


def learn_codes(codes: dict[tuple[str, int], Code]) -> None:
    """Give :func:`compiled` byte code saved by an earlier run of the same build (see :mod:`policylint.cache`)."""
    _KNOWN.update(codes)


def _sre_compile(code: Code) -> re.Pattern[str]:
    import _sre  # type: ignore[import-not-found]

    source, flags, words, *rest = code
    pattern: re.Pattern[str] = _sre.compile(source, flags, words.tolist(), *rest)
    return pattern


def _code(source: str, flags: int) -> Code:
    from re import _compiler, _parser  # type: ignore[attr-defined]

    parsed = _parser.parse(source, flags)
    state = parsed.state
    groupindex = dict(state.groupdict)
    indexgroup: list[str | None] = [None] * state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    # An array of 32-bit words pickles as one bytes object: loads far faster than a list of ints.
    code = array(_WORD, _compiler._code(parsed, flags))
    return (source, flags | state.flags, code, state.groups - 1, groupindex, tuple(indexgroup))
