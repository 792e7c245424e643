"""Linting check files: what the schema cannot see.

:func:`lint_check_files` returns every problem of a set of check files, each reported as
``file:line: $.path: message``:

* the file does not load (YAML, schema, a regex that does not compile);
* the same id in two files, or a built-in id replaced without ``overrides: true``
  (and ``overrides: true`` with nothing to override);
* a regex that can take super-linear time (:mod:`policylint.redos`);
* an unknown detector name;
* a reference whose citation is a placeholder or only a URL;
* the same example under two statuses, or an example that does not produce its status.

Nothing here prints or exits; the CLI does.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from policylint.checks import Check, parse_check, regex_fields
from policylint.detectors import DETECTORS, Context
from policylint.testing import builtin_index, example_cases, is_builtin_copy
from policylint.yamlio import JsonPath, YamlError, json_path, line_of, load_yaml

__all__ = ["Problem", "builtin_index", "lint_check_files", "lint_loaded_check", "summary"]

_PLACEHOLDER = re.compile(r"^\W*(?:todo|tbd|fixme|xxx|n/?a|none|citation|reference|\.\.\.|…)\W*$", re.IGNORECASE)
_URL_ONLY = re.compile(r"^\s*https?://\S+\s*$")


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem in a check file; ``str()`` is ``file:line: $.path: message``."""

    source: str
    line: int
    path: JsonPath
    message: str

    def __str__(self) -> str:
        """Format like :class:`~policylint.yamlio.YamlError`."""
        where = f"{self.source}:{self.line}" if self.line else self.source
        return f"{where}: {json_path(self.path)}: {self.message}"


@dataclass(frozen=True, slots=True)
class _Loaded:
    """A check file that loaded, with what its lints need."""

    check: Check
    raw: Mapping[str, Any]
    lines: Mapping[JsonPath, int]
    file: Path


def lint_check_files(
    files: Sequence[Path], *, builtin: Mapping[str, Path] | None = None, context: Context | None = None
) -> list[Problem]:
    """Every problem of ``files``, in file order; ``builtin`` maps built-in ids to their files."""
    problems: list[Problem] = []
    loaded: list[_Loaded] = []
    unique = list(dict.fromkeys(files))
    for file in unique:
        item = _load(file)
        if isinstance(item, Problem):
            problems.append(item)
            continue
        loaded.append(item)
        problems.extend(lint_loaded_check(item.check, item.raw, item.lines, context or Context()))
    problems.extend(_duplicate_ids(loaded))
    problems.extend(_builtin_clashes(loaded, builtin or {}))
    order = {file.as_posix(): index for index, file in enumerate(unique)}
    return sorted(problems, key=lambda p: (order.get(p.source, len(order)), p.line, json_path(p.path)))


def lint_loaded_check(
    check: Check, raw: Mapping[str, Any], lines: Mapping[JsonPath, int], context: Context
) -> list[Problem]:
    """The problems of one check that loaded (valid against the schema)."""
    blocking = [*_slow_regexes(check, raw, lines), *_unknown_detectors(check, raw, lines)]
    found = [*blocking, *_placeholder_citations(check, raw, lines), *_repeated_examples(check, raw, lines)]
    if blocking:  # running the examples could hang (slow regex) or fail only for that reason
        return found
    return [*found, *_failing_examples(check, context, lines)]


def summary(problems: Sequence[Problem], files: int) -> str:
    """``N problems in M of K check files`` or ``K check files valid``."""
    noun = "check file" if files == 1 else "check files"
    if not problems:
        return f"{files} {noun} valid"
    bad = len({problem.source for problem in problems})
    return f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in {bad} of {files} {noun}"


# --- per file ------------------------------------------------------------------------------


def _load(file: Path) -> _Loaded | Problem:
    source = file.as_posix()
    try:
        text = file.read_text(encoding="utf-8")
        raw, lines = load_yaml(text, source)
        check = parse_check(raw, source, lines)
    except FileNotFoundError:
        return Problem(source, 0, (), "no such file")
    except (OSError, UnicodeDecodeError) as exc:
        return Problem(source, 0, (), f"cannot read: {exc}")
    except YamlError as exc:  # CheckError too
        return Problem(exc.source, exc.line, exc.path, exc.message)
    return _Loaded(check, raw, lines, file)


def _problem(check: Check, lines: Mapping[JsonPath, int], path: JsonPath, message: str) -> Problem:
    return Problem(check.source, line_of(lines, path), path, message)


def _slow_regexes(check: Check, raw: Mapping[str, Any], lines: Mapping[JsonPath, int]) -> Iterator[Problem]:
    from policylint.redos import slow_regex_reason

    for path, regex, flags in regex_fields(raw):
        reason = slow_regex_reason(regex, flags)
        if reason:
            yield _problem(check, lines, path, f"regular expression {reason}")


def _unknown_detectors(check: Check, raw: Mapping[str, Any], lines: Mapping[JsonPath, int]) -> Iterator[Problem]:
    known = ", ".join(sorted(DETECTORS))
    for key in ("when", "excuse", "require", "detect"):
        for index, rule in enumerate(raw.get(key, ())):
            name = rule.get("detector")
            if name is not None and name not in DETECTORS:
                path = (key, index, "detector")
                yield _problem(check, lines, path, f"unknown detector {name!r} (known: {known})")


def _placeholder_citations(check: Check, raw: Mapping[str, Any], lines: Mapping[JsonPath, int]) -> Iterator[Problem]:
    for index, reference in enumerate(raw["references"]):
        citation = reference["citation"]
        if _PLACEHOLDER.match(citation) or _URL_ONLY.match(citation):
            path = ("references", index, "citation")
            yield _problem(
                check, lines, path, f"citation {citation!r} is not a citation: name the law, article or standard"
            )


def _repeated_examples(check: Check, raw: Mapping[str, Any], lines: Mapping[JsonPath, int]) -> Iterator[Problem]:
    seen: dict[str, JsonPath] = {}
    for key, texts in raw["examples"].items():
        for index, text in enumerate(texts):
            normal = " ".join(text.split()).casefold()
            path: JsonPath = ("examples", key, index)
            if normal in seen:
                other = seen[normal]
                detail = "a check cannot give one text two statuses" if other[1] != key else "remove one"
                yield _problem(check, lines, path, f"the same example is already at {json_path(other)}: {detail}")
            else:
                seen[normal] = path


def _failing_examples(check: Check, context: Context, lines: Mapping[JsonPath, int]) -> Iterator[Problem]:
    for case in example_cases(check, context):
        if case.passed:
            continue
        key, _, rest = case.case.removeprefix("examples.").partition("[")
        path: JsonPath = ("examples", key, int(rest.rstrip("]")))
        found = f" (evidence on line {', '.join(map(str, case.lines))} of the example)" if case.lines else ""
        yield _problem(
            check,
            lines,
            path,
            f"example does not produce its status: expected {case.expected}, got {case.actual}{found}",
        )


# --- across files --------------------------------------------------------------------------


def _duplicate_ids(loaded: Sequence[_Loaded]) -> Iterator[Problem]:
    first: dict[str, _Loaded] = {}
    for item in loaded:
        earlier = first.setdefault(item.check.id, item)
        if earlier is not item:
            where = f"{earlier.check.source}:{line_of(earlier.lines, ('id',))}"
            yield _problem(item.check, item.lines, ("id",), f"duplicate check id {item.check.id!r} (also in {where})")


def _builtin_clashes(loaded: Sequence[_Loaded], builtin: Mapping[str, Path]) -> Iterator[Problem]:
    for item in loaded:
        check, home = item.check, builtin.get(item.check.id)
        if home is not None and is_builtin_copy(home, item.file):
            continue  # the built-in file itself (or the source tree's copy of it)
        if home is not None and not check.overrides:
            message = f"{check.id!r} is a built-in check; set 'overrides: true' to replace it, or pick another id"
            yield _problem(check, item.lines, ("id",), message)
        elif home is None and check.overrides:
            message = f"'overrides: true' but there is no built-in check {check.id!r} to replace"
            yield _problem(check, item.lines, ("overrides",), message)
