"""``policylint new-check``: a starter check file that is valid and green from the start.

The file is ``DIR/<area>/<name>.yaml`` for the id ``area.name`` (more dots make more
folders). Its rule looks for the words of the id's last part, and its examples pass
with that rule, so ``policylint test`` and ``policylint validate-checks`` succeed before
the author edits anything; comments show what to change. Existing files are never
overwritten.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from policylint.checks import CheckKind, compile_terms

ID_PATTERN = re.compile(r"^[a-z0-9]+(\.[a-z0-9]+(-[a-z0-9]+)*)+$")  # as in check.schema.json
_NEUTRAL = (
    "This policy says nothing on the subject.",
    "We value your privacy.",
    "Questions? Write to us.",
)


class ScaffoldError(Exception):
    """The check cannot be created (bad id, file exists, id taken)."""


@dataclass(frozen=True, slots=True)
class Starter:
    """What a new check is derived from."""

    id: str
    kind: CheckKind
    area: str
    words: str  # the id's last part as words: "third-parties" -> "third parties"


def starter(check_id: str, kind: CheckKind = CheckKind.DISCLOSURE) -> Starter:
    """Validate ``check_id`` and derive the starter's names from it."""
    if not ID_PATTERN.match(check_id):
        raise ScaffoldError(
            f"invalid check id {check_id!r}: use dotted lower-case words, digits and hyphens, e.g. acme.dpo"
        )
    parts = check_id.split(".")
    return Starter(check_id, kind, parts[0], parts[-1].replace("-", " "))


def check_path(check_id: str, directory: Path) -> Path:
    """``DIR/area/name.yaml`` for ``area.name`` (``DIR/a/b/c.yaml`` for ``a.b.c``)."""
    *folders, name = check_id.split(".")
    return directory.joinpath(*folders, f"{name}.yaml")


def fixture_path(check_id: str, directory: Path) -> Path:
    """The annotated fixture written beside the check: ``name.fixture.md``."""
    yaml_path = check_path(check_id, directory)
    return yaml_path.with_name(f"{yaml_path.stem}.fixture.md")


def render_check(start: Starter) -> str:
    """The YAML text of a new check."""
    mention, neutral = _mention(start), _neutral(start)
    anomaly = start.kind is CheckKind.ANOMALY
    passing, failing = (neutral, mention) if anomaly else (mention, neutral)
    return _TEMPLATE.format(
        id=start.id,
        kind=start.kind.value,
        area=start.area,
        profiles=", ".join(dict.fromkeys(("recommended", start.area))),
        title=f"{'Says' if anomaly else 'Mentions'} {start.words}",
        description=(
            f"The policy {'should not mention' if anomaly else 'mentions'} {start.words}. Replace this with "
            "what the check looks for and why it matters."
        ),
        remediation=(
            f"Remove or correct the text about {start.words}." if anomaly else f"Add a sentence about {start.words}."
        ),
        rules_key="detect" if anomaly else "require",
        rules_help=_ANOMALY_HELP if anomaly else _DISCLOSURE_HELP,
        words=start.words,
        passing=_quoted(passing),
        failing=_quoted(failing),
        pass_help="pass: clean text, nothing to flag" if anomaly else "pass: text that makes the disclosure",
        fail_help="fail: text that must be flagged" if anomaly else "fail: text that does not make it",
    )


def render_fixture(start: Starter) -> str:
    """A Markdown fixture whose annotations hold for the new check."""
    return _FIXTURE.format(
        id=start.id,
        mention=_mention(start),
        neutral=_neutral(start),
    )


def write_check(
    check_id: str,
    kind: CheckKind = CheckKind.DISCLOSURE,
    directory: Path = Path("checks"),
    *,
    fixture: bool = False,
    taken: Collection[str] = (),
) -> list[Path]:
    """Create the check file (and optionally its fixture); return the paths written.

    Raises :class:`ScaffoldError` for an invalid id, an id in ``taken`` (e.g. the
    built-in ids) or a file that already exists.
    """
    start = starter(check_id, kind)
    if check_id in taken:
        raise ScaffoldError(
            f"{check_id!r} is already a check id (see 'policylint explain {check_id}'); pick another id, "
            "or copy that check's file and add 'overrides: true' to replace it"
        )
    files = [(check_path(check_id, directory), render_check(start))]
    if fixture:
        files.append((fixture_path(check_id, directory), render_fixture(start)))
    for path, _ in files:
        if path.exists():
            raise ScaffoldError(f"{path.as_posix()} already exists; not overwriting it")
    return _write_all(files)


def _write_all(files: Sequence[tuple[Path, str]]) -> list[Path]:
    written: list[Path] = []
    for path, text in files:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("x", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
        except OSError as exc:
            raise ScaffoldError(f"cannot write {path.as_posix()}: {exc.strerror or exc}") from None
        written.append(path)
    return written


def _mention(start: Starter) -> str:
    return f"This policy mentions {start.words}."


def _neutral(start: Starter) -> str:
    pattern = compile_terms([start.words])
    return next((text for text in _NEUTRAL if not pattern.search(text)), "Nothing to see here.")


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


_DISCLOSURE_HELP = """\
  # Passes when any rule matches. Rules (docs/writing-checks.md has more):
  #   - phrases: [data protection officer, DPO]      any of these (word-bounded, any case; officer* = endings)
  #   - all: [[DPO, data protection officer], [contact*, email*, reach]]
  #     within: sentence                             all groups in one sentence (or paragraph, section, N words)
  #   - section: [data protection officer]           a section whose heading says so
  # Modifiers on a rule: in_section, not_in_section, exclude, unless."""

_ANOMALY_HELP = """\
  # Every match of any rule is reported (the check fails). Rules (docs/writing-checks.md has more):
  #   - phrases: [safe harbor]                       any of these (word-bounded, any case; harbo* = endings)
  #   - regex: '\\bTODO\\b'                            a Python regular expression (case-insensitive)
  #     message: Template residue                    the message shown for each match
  # Modifiers on a rule: in_section, not_in_section, exclude, unless."""

_TEMPLATE = """\
# A policylint check (the schema, by example: docs/writing-checks.md). Edit it, then run
#   policylint test DIR                             its examples and fixtures must pass
#   policylint validate-checks DIR                  schema, regexes, detectors, examples
#   policylint check --checks DIR privacy.md        use it
# where DIR is the folder you keep your checks in.
id: {id}
# A short title, shown in every report.
title: {title}
description: >
  {description}
# error, warning or info: with the default '--fail-on error' only errors make the exit code 1.
severity: warning
kind: {kind}
# recommended: runs by default; '--profile {area}' runs only the checks of this profile.
profiles: [{profiles}]
references:
  - citation: Internal requirement {id} (replace with the law, article or standard)
    # url: https://...
remediation: >
  {remediation}
{rules_key}:
{rules_help}
  - phrases: [{words}]
# 'policylint test' checks that each example gets its status (add as many as you like).
examples:
  # {pass_help}
  pass:
    - {passing}
  # {fail_help}
  fail:
    - {failing}
"""

_FIXTURE = """\
<!--
Fixture for {id}. An annotation line names the checks that must (ruleid) or must not
(ok) produce evidence on the next line of text; 'policylint test' fails on evidence of
an annotated check anywhere else in this file. Add real policy text below.
-->

<!-- ruleid: {id} -->
{mention}

<!-- ok: {id} -->
{neutral}
"""
