"""Plain-text policies, with the light Markdown that plain-text exports often carry.

Every non-blank line is its own block (exports put one paragraph, list item or
heading per line), except that a line starting in lower case continues a paragraph
whose last line did not end a sentence (hard-wrapped text). Short title-like lines
are headings, so that checks can scope a match to a section.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from policylint.formats._builder import DocumentBuilder
from policylint.model import BlockKind, Document
from policylint.regexcode import compiled

_ATX = compiled(r"(#{1,6})[ \t]+")
_QUOTE = compiled(r"(?:>[ \t]?)+")
_BULLET = compiled(r"(?:[-*+•·▪◦]|\(?\d{1,3}[.)]|\(?[a-zA-Z][.)])[ \t]+")
_NUMBERED = compiled(r"[ \t]*\d{1,3}(?:\.\d{1,3})*[.)]?[ \t]+")
_BOLD_LINE = compiled(r"(\*\*|__)(?P<body>[^*_].*?)\1[ \t]*:?[ \t]*$")
_INLINE = compiled(
    r"\[(?P<text>[^\]\n]*)\]\((?P<target>[^)\s]*)(?:[ \t]+\"[^\"\n]*\")?\)"  # [text](url)
    r"|<(?P<auto>(?:https?://|mailto:)[^>\s]+)>"  # <https://...>
    r"|(?P<emph>\*\*|__|(?<![\w*])\*(?=[^\s*])|(?<=[^\s*])\*(?![\w*]))"  # emphasis markers
)
# Suppression comments (see policylint.directives) are not prose: blanked before parsing.
_DIRECTIVE = compiled(r"<!--\s*policylint-.*?-->", re.S)
_TERMINAL = (".", "!", "?", ":", ";")
_MAX_HEADING_WORDS = 12
_MAX_HEADING_CHARS = 100


def parse(source: str, path: str) -> Document:
    """Parse plain text (``.txt``) into a document."""
    builder = DocumentBuilder(source)
    previous = ""
    lines = list(_lines(_DIRECTIVE.sub(_blank, source)))
    for index, (line_offset, raw_line) in enumerate(lines):
        if not raw_line.strip():
            builder.end_block()
            previous = ""
            continue
        offset, line = _strip_prefix(_QUOTE, line_offset, raw_line)
        following = lines[index + 1][1] if index + 1 < len(lines) else ""
        _line_block(builder, offset, line, previous, following)
        previous = line
    return builder.build(path, "text")


def _blank(match: re.Match[str]) -> str:
    """Replace a comment by spaces, keeping its line breaks so that offsets stay put."""
    return re.sub(r"[^\n]", " ", match.group())


def _lines(source: str) -> Iterator[tuple[int, str]]:
    offset = 0
    for line in source.split("\n"):
        yield offset, line.rstrip("\r")
        offset += len(line) + 1


def _strip_prefix(pattern: re.Pattern[str], offset: int, line: str) -> tuple[int, str]:
    indent = len(line) - len(line.lstrip())
    match = pattern.match(line, indent)
    end = match.end() if match else indent
    return offset + end, line[end:]


def _line_block(builder: DocumentBuilder, offset: int, line: str, previous: str, following: str) -> None:
    atx = _ATX.match(line)
    if atx:
        builder.start_block(BlockKind.HEADING, len(atx.group(1)))
        _inline(builder, offset + atx.end(), line[atx.end() :].rstrip("# \t"))
        builder.end_block()
        return
    bold = _BOLD_LINE.match(line.strip())
    if bold and _title_like(bold.group("body")):
        lead = len(line) - len(line.lstrip())
        builder.start_block(BlockKind.HEADING, 3)
        _inline(builder, offset + lead + bold.start("body"), bold.group("body"))
        builder.end_block()
        return
    bullet_offset, bullet_line = _strip_prefix(_BULLET, offset, line)
    if _numbered_heading(line, bullet_line, previous, following):
        builder.start_block(BlockKind.HEADING, 2)
        _inline(builder, offset + len(line) - len(line.lstrip()), line.strip())
        builder.end_block()
        return
    if bullet_offset != offset + len(line) - len(line.lstrip()):
        builder.start_block(BlockKind.ITEM)
        _inline(builder, bullet_offset, bullet_line)
        return
    if builder.in_block and _continues(previous, line):
        builder.space(offset)
    elif _is_heading(line, following):
        builder.start_block(BlockKind.HEADING, 2)
        _inline(builder, offset, line)
        builder.end_block()
        return
    else:
        builder.start_block(BlockKind.PARAGRAPH)
    _inline(builder, offset, line)


def _numbered_heading(line: str, body: str, previous: str, following: str) -> bool:
    """``14. CONTACT US`` or ``3. Cookies`` (alone after a blank line, prose after it): a heading, not an item."""
    if not _NUMBERED.match(line) or not _is_heading(body, following) or _BULLET.match(following.lstrip()):
        return False
    return body.strip().isupper() or not previous.strip()


def _continues(previous: str, line: str) -> bool:
    """Return whether ``line`` is a hard-wrapped continuation of ``previous``."""
    stripped = line.lstrip()
    tail = previous.rstrip()
    return bool(tail) and not tail.endswith(_TERMINAL) and stripped[:1].islower()


def _title_like(text: str) -> bool:
    words = text.split()
    return 0 < len(words) <= _MAX_HEADING_WORDS and len(text) <= _MAX_HEADING_CHARS


def _is_heading(line: str, following: str) -> bool:
    """Return whether a plain line reads like a heading: short, titled, unpunctuated."""
    text = line.strip()
    if not _title_like(text) or not following.strip():
        return False
    if text.endswith((".", ",", ";")) or "@" in text or "://" in text:
        return False
    first = text.lstrip("0123456789.) ")[:1]
    return first.isupper() and any(char.isalpha() for char in text)


def _inline(builder: DocumentBuilder, offset: int, line: str) -> None:
    """Add one line of prose, turning Markdown links into text and dropping emphasis."""
    pos = 0
    for match in _INLINE.finditer(line):
        if match.start() > pos:
            builder.add(line[pos : match.start()], offset + pos)
        if match.group("emph") is not None:
            pass  # emphasis markers vanish
        elif match.group("auto") is not None:
            start = builder.offset
            builder.add(match.group("auto"), offset + match.start("auto"))
            builder.add_link(start, match.group("auto"), offset + match.start(), offset + match.end())
        else:
            start = builder.offset
            if match.group("text"):
                builder.add(match.group("text"), offset + match.start("text"))
            builder.add_link(start, match.group("target"), offset + match.start(), offset + match.end())
        pos = match.end()
    if pos < len(line):
        builder.add(line[pos:], offset + pos)
