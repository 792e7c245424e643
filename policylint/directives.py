"""Inline suppression comments: parsed from a document's source, applied to its results.

The comments are invisible when Markdown or HTML is rendered, and the same syntax
works in plain text (there, put each comment on a line of its own; the text parser
skips them)::

    <!-- policylint-disable ID[, ID...] -- reason -->     until policylint-enable or the end of the file
    <!-- policylint-enable [ID...] -->                    closes those ranges (all, without ids)
    <!-- policylint-disable-next-line ID -- reason -->    the next non-blank line
    <!-- policylint-disable-line ID -- reason -->         the line(s) the comment is on
    <!-- policylint-disable-file ID -- reason -->         the whole file

An ID is a check id or a dotted prefix (``anomaly``). For an anomaly check, suppressed
occurrences are dropped, and the check passes when none is left. A missing disclosure
has no line, so only ``disable-file`` waives it: the result stays ``fail`` but is marked
suppressed and no longer counts. A suppression that waives nothing is reported as
``policylint.unused-suppression`` (like ruff's RUF100), unless its check did not run.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace

from policylint.checks import Check, CheckKind, Examples
from policylint.config import id_matches
from policylint.model import Evidence, Location, Result, Severity, Status, Suppression

UNUSED_ID = "policylint.unused-suppression"
UNUSED_SUPPRESSION = Check(
    id=UNUSED_ID,
    title="Unused suppression comment",
    description=(
        "A policylint-disable comment that waives nothing: the check passes there, is not applicable, "
        "or the comment names a range or line where the check found nothing. Stale suppressions hide "
        "future problems, so they are reported (like ruff's RUF100 and ESLint's unused disable directives)."
    ),
    severity=Severity.WARNING,
    kind=CheckKind.ANOMALY,
    profiles=(),
    references=(),
    remediation=(
        "Delete the comment, or correct its check id or position. A missing disclosure has no line: "
        "waive it with <!-- policylint-disable-file ID -- reason -->."
    ),
    message="Suppression comment that waives nothing",
    rules=(),
    examples=Examples(
        passing=("<!-- policylint-disable-next-line anomaly.template-artifact -- a sample letter -->\nDear {{name}},",),
        failing=("<!-- policylint-disable-file contact.address -->\nWrite to privacy@example.com.",),
    ),
    source="policylint/directives.py",
)
VERBS = ("disable", "enable", "disable-line", "disable-next-line", "disable-file")
_COMMENT = re.compile(r"<!--\s*policylint-(?P<verb>[A-Za-z]+(?:-[A-Za-z]+)*)(?P<body>.*?)-->", re.S)
_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*(?:\.[a-z0-9]+(?:-[a-z0-9]+)*)*")
_END = 1 << 62  # "to the end of the file"


class DirectiveError(Exception):
    """A suppression comment that cannot be understood; ``str()`` is ``line N: message``."""

    def __init__(self, line: int, message: str) -> None:
        """Record where the problem is."""
        super().__init__(message)
        self.line = line
        self.message = message

    def __str__(self) -> str:
        """Format as ``line N: message``."""
        return f"line {self.line}: {self.message}"


@dataclass(frozen=True, slots=True)
class Directive:
    """One ``<!-- policylint-... -->`` comment."""

    verb: str
    ids: tuple[str, ...]
    reason: str
    location: Location
    text: str


@dataclass(frozen=True, slots=True)
class Waiver:
    """One id of one disable comment, and the lines it covers (inclusive)."""

    check: str
    first: int
    last: int
    whole_file: bool
    directive: Directive


@dataclass(frozen=True, slots=True)
class Stray:
    """An enable comment (or one of its ids) that closes no open range."""

    check: str
    directive: Directive


# --- parsing -------------------------------------------------------------------------


def parse(source: str) -> tuple[Directive, ...]:
    """Return the suppression comments of a document, in order.

    >>> text = "a\\n<!-- policylint-disable-next-line gdpr, anomaly.stale-date -- legal said so -->\\nb"
    >>> [(d.verb, d.ids, d.reason, d.location.line) for d in parse(text)]
    [('disable-next-line', ('gdpr', 'anomaly.stale-date'), 'legal said so', 2)]
    """
    if "policylint-" not in source:
        return ()
    starts = _line_starts(source)
    return tuple(_directive(match, starts) for match in _COMMENT.finditer(source))


def _directive(match: re.Match[str], starts: Sequence[int]) -> Directive:
    line, column = _position(starts, match.start())
    end_line, end_column = _position(starts, match.end() - 1)
    verb = match.group("verb").lower()
    if verb not in VERBS:
        known = ", ".join(f"policylint-{name}" for name in VERBS)
        raise DirectiveError(line, f"unknown comment 'policylint-{verb}' (use {known})")
    names, _, reason = match.group("body").partition("--")
    ids = tuple(part for part in re.split(r"[\s,]+", names) if part)
    for name in ids:
        if not _ID.fullmatch(name):
            raise DirectiveError(line, f"{name!r} in 'policylint-{verb}' is not a check id")
    if not ids and verb != "enable":
        example = f"<!-- policylint-{verb} contact.address -- reason -->"
        raise DirectiveError(line, f"'policylint-{verb}' needs the check id(s) to suppress, e.g. {example}")
    return Directive(verb, ids, " ".join(reason.split()), Location(line, column, end_line, end_column), match.group())


def _line_starts(source: str) -> tuple[int, ...]:
    return (0, *(match.end() for match in re.finditer("\n", source)))


def _position(starts: Sequence[int], offset: int) -> tuple[int, int]:
    index = max(bisect_right(starts, offset) - 1, 0)
    return index + 1, offset - starts[index] + 1


# --- ranges --------------------------------------------------------------------------


def waivers(directives: Sequence[Directive], source: str) -> tuple[tuple[Waiver, ...], tuple[Stray, ...]]:
    """Turn comments into the line ranges they cover; also return enables that close nothing."""
    out: list[Waiver] = []
    strays: list[Stray] = []
    open_ranges: dict[str, list[Directive]] = {}
    for directive in directives:
        if directive.verb == "enable":
            strays.extend(_close(directive, open_ranges, out))
        elif directive.verb == "disable":
            for name in directive.ids:
                open_ranges.setdefault(name, []).append(directive)
        else:
            first, last = _covered_lines(directive, source)
            whole = directive.verb == "disable-file"
            out.extend(Waiver(name, first, last, whole, directive) for name in directive.ids)
    for name, opened in open_ranges.items():
        out.extend(Waiver(name, d.location.line, _END, False, d) for d in opened)
    return tuple(sorted(out, key=lambda w: (w.directive.location.line, w.check))), tuple(strays)


def _close(directive: Directive, open_ranges: dict[str, list[Directive]], out: list[Waiver]) -> Iterator[Stray]:
    names = directive.ids or tuple(name for name, opened in open_ranges.items() if opened)
    if not names:
        yield Stray("", directive)
    for name in names:
        opened = open_ranges.get(name)
        if not opened:
            yield Stray(name, directive)
            continue
        start = opened.pop()
        out.append(Waiver(name, start.location.line, directive.location.line, False, start))


def _covered_lines(directive: Directive, source: str) -> tuple[int, int]:
    location = directive.location
    if directive.verb == "disable-line":
        return location.line, location.end_line
    if directive.verb == "disable-file":
        return 1, _END
    lines = _COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), source).split("\n")
    for number in range(location.end_line + 1, len(lines) + 1):
        if lines[number - 1].strip():
            return number, number
    return _END, _END  # nothing follows


# --- applying ------------------------------------------------------------------------


def check_ids(directives: Sequence[Directive], known: Collection[str]) -> None:
    """Raise :class:`DirectiveError` for the first id that names no known check."""
    for directive in directives:
        for name in directive.ids:
            if not any(id_matches(check_id, name) for check_id in known):
                message = f"unknown check id {name!r} in 'policylint-{directive.verb}' (see 'policylint list-checks')"
                raise DirectiveError(directive.location.line, message)


def apply(
    results: Sequence[Result],
    source: str,
    known: Collection[str],
    unused: Check | None = UNUSED_SUPPRESSION,
) -> tuple[Result, ...]:
    """Apply a document's suppression comments to its results.

    ``known`` holds every check id that exists (an unknown id raises
    :class:`DirectiveError`). ``unused`` is the check that reports suppressions that waive
    nothing (``None`` when it is ignored); its result is added only when the document has
    suppression comments.
    """
    directives = parse(source)
    if not directives:
        return tuple(results)
    check_ids(directives, known)
    found, strays = waivers(directives, source)
    used: set[Waiver] = set()
    out = [_apply_one(result, found, used) for result in results]
    if unused is not None:
        out.append(_unused_result(unused, results, found, used, strays))
    return tuple(out)


def _apply_one(result: Result, found: Sequence[Waiver], used: set[Waiver]) -> Result:
    mine = [w for w in found if id_matches(result.check, w.check)]
    if result.status is not Status.FAIL or result.suppressed or not mine:
        return result
    if not result.evidence:
        whole = next((w for w in mine if w.whole_file), None)
        if whole is None:
            return result
        used.add(whole)
        return replace(result, suppression=Suppression("inline", whole.directive.reason))
    kept = tuple(e for e in result.evidence if not _waived(e, mine, used))
    if len(kept) == len(result.evidence):
        return result
    if kept:
        return replace(result, evidence=kept)
    count = len(result.evidence)
    message = f"{count} occurrence{'s' if count != 1 else ''} suppressed by comments"
    return replace(result, status=Status.PASS, message=message, evidence=())


def _waived(evidence: Evidence, mine: Sequence[Waiver], used: set[Waiver]) -> bool:
    covering = [w for w in mine if w.whole_file or w.first <= evidence.location.line <= w.last]
    used.update(covering)
    return bool(covering)


def _unused_result(
    check: Check, results: Sequence[Result], found: Sequence[Waiver], used: set[Waiver], strays: Sequence[Stray]
) -> Result:
    by_id: Mapping[str, Result] = {result.check: result for result in results}
    evidence = [
        _evidence(waiver.directive, _unused_message(waiver, by_id))
        for waiver in found
        if waiver not in used and any(id_matches(check_id, waiver.check) for check_id in by_id)
    ]
    evidence.extend(
        _evidence(s.directive, f"'policylint-enable{' ' + s.check if s.check else ''}' closes no open disable")
        for s in strays
    )
    if not evidence:
        return Result(check.id, Status.PASS, check.severity, "Every suppression comment waives something")
    ordered = sorted(evidence, key=lambda e: (e.location.line, e.location.column, e.message))
    return Result(check.id, Status.FAIL, check.severity, check.message, tuple(ordered))


def _unused_message(waiver: Waiver, by_id: Mapping[str, Result]) -> str:
    verb = f"policylint-{waiver.directive.verb}"
    missing = [r for check_id, r in by_id.items() if id_matches(check_id, waiver.check)]
    if any(r.status is Status.FAIL and not r.evidence for r in missing) and not waiver.whole_file:
        return f"'{verb} {waiver.check}' waives nothing: a missing disclosure has no line, use policylint-disable-file"
    where = "in this file" if waiver.whole_file else "on the lines it covers"
    return f"'{verb} {waiver.check}' waives nothing: {waiver.check} reports no failure {where}"


def _evidence(directive: Directive, message: str) -> Evidence:
    return Evidence(directive.location, " ".join(directive.text.split()), message)
