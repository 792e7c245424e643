"""Loading checks: YAML files → schema validation → compiled :class:`Check` objects."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from policylint.model import Reference, Severity
from policylint.resources import data_dir, schema
from policylint.yamlio import JsonPath, YamlError, line_of, load_yaml

CHECK_SUFFIXES = (".yaml", ".yml")
DEFAULT_EVIDENCE_LIMIT = 3
_WORD = re.compile(r"\w")


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
class Rule:
    """One compiled matcher of a check (see ``schemas/check.schema.json``)."""

    kind: str  # phrases | regex | all | section | detector
    patterns: tuple[re.Pattern[str], ...] = ()
    within: Scope | int = Scope.SENTENCE
    in_section: re.Pattern[str] | None = None
    not_in_section: re.Pattern[str] | None = None
    exclude: re.Pattern[str] | None = None
    unless: re.Pattern[str] | None = None
    detector: str = ""
    params: Mapping[str, Any] = field(default_factory=dict)
    message: str = ""


@dataclass(frozen=True, slots=True)
class Examples:
    """Example texts that must produce the named status."""

    passing: tuple[str, ...] = ()
    failing: tuple[str, ...] = ()
    not_applicable: tuple[str, ...] = ()


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
    head = r"(?<!\w)" if _WORD.match(phrase.strip()[:1] or " ") else ""
    tail = r"(?!\w)" if _WORD.match(phrase.strip()[-1:] or " ") or phrase.strip().endswith("*") else ""
    return head + pattern + tail


def _phrase_char(match: re.Match[str]) -> str:
    return "['’]" if match.group() in "'’" else "[-‐‑–— ]?"


def compile_terms(terms: Sequence[str], *, case_sensitive: bool = False) -> re.Pattern[str]:
    """Compile a list of phrases into one alternation (longest first)."""
    ordered = sorted(set(terms), key=lambda term: (-len(term), term))
    flags = 0 if case_sensitive else re.IGNORECASE
    return re.compile("|".join(f"(?:{phrase_pattern(term)})" for term in ordered), flags)


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


def load_check_file(file: Path | Traversable, display: str | None = None) -> Check:
    """Read, validate and compile one check file."""
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
    return parse_check(raw, source, lines)


def validate_raw(raw: object, source: str, lines: Mapping[JsonPath, int]) -> None:
    """Validate a parsed check file against the schema; raise the best error."""
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import best_match

    validator = Draft202012Validator(schema("check.schema.json"))
    error = best_match(validator.iter_errors(raw))
    if error is not None:
        path = tuple(error.absolute_path)
        raise CheckError(source, line_of(lines, path), path, error.message)


def parse_check(raw: object, source: str, lines: Mapping[JsonPath, int] | None = None) -> Check:
    """Validate and compile a parsed check (a mapping from YAML)."""
    lines = lines or {}
    validate_raw(raw, source, lines)
    assert isinstance(raw, dict)
    kind = CheckKind(raw["kind"])
    rules_key = "require" if kind is CheckKind.DISCLOSURE else "detect"
    examples = raw["examples"]
    return Check(
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
        examples=Examples(tuple(examples["pass"]), tuple(examples["fail"]), tuple(examples.get("not_applicable", ()))),
        evidence_limit=raw.get("evidence_limit", DEFAULT_EVIDENCE_LIMIT),
        overrides=bool(raw.get("overrides", False)),
        source=source,
    )


def _default_message(kind: CheckKind, title: str) -> str:
    if kind is CheckKind.ANOMALY:
        return f"{title}: found"
    return f"Missing: {title[0].lower()}{title[1:]}"


def _rules(
    raw: Sequence[Mapping[str, Any]], path: JsonPath, source: str, lines: Mapping[JsonPath, int]
) -> tuple[Rule, ...]:
    return tuple(_rule(item, (*path, i), source, lines) for i, item in enumerate(raw))


def _rule(raw: Mapping[str, Any], path: JsonPath, source: str, lines: Mapping[JsonPath, int]) -> Rule:
    case = bool(raw.get("case_sensitive", False))

    def terms(key: str) -> re.Pattern[str] | None:
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
) -> tuple[str, tuple[re.Pattern[str], ...]]:
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


def _compile_regex(
    regex: str, path: JsonPath, source: str, lines: Mapping[JsonPath, int], *, case: bool
) -> re.Pattern[str]:
    try:
        return re.compile(regex, 0 if case else re.IGNORECASE)
    except re.error as exc:
        raise CheckError(source, line_of(lines, path), path, f"invalid regular expression: {exc}") from None


def load_checks(extra: Iterable[Path] = (), *, builtin: bool = True) -> tuple[Check, ...]:
    """Load the built-in checks and any extra check files/directories, sorted by id.

    A check from ``extra`` may replace a built-in id only when it sets ``overrides: true``.
    """
    by_id: dict[str, Check] = {}
    if builtin:
        for file in builtin_check_files():
            check = load_check_file(file, f"checks/{_relative_name(file)}")
            by_id[check.id] = check
    builtin_ids = set(by_id)
    seen_extra: dict[str, str] = {}
    for path in check_files(extra):
        check = load_check_file(path, path.as_posix())
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


def _relative_name(file: Traversable) -> str:
    parts = str(file).replace("\\", "/").split("/")
    return "/".join(parts[parts.index("checks") + 1 :]) if "checks" in parts else file.name
