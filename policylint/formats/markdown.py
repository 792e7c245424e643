"""Markdown policies, parsed with markdown-it-py (CommonMark plus GFM tables).

markdown-it gives block structure with source line ranges, but inline tokens carry no
positions, so every piece of inline text is found again in the source by searching
forward from a cursor inside its block's lines. Markup the text does not show (link
destinations, images, code-span backticks, inline HTML) is stepped over explicitly so
that the cursor cannot be fooled by prose that repeats inside it. Pieces that are not
in the source verbatim (decoded entities, normalised autolinks, multi-line code spans)
map to where they start.

Headings, paragraphs, list items (their paragraphs) and table cells become blocks; code
blocks are skipped; raw HTML blocks go through the HTML parser (so comments, which
carry suppression directives, never reach the text). YAML/TOML front matter is
ignored. Autolinks (``<https://...>``) are links whose text is the URL; bare URLs are
plain text.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from html import unescape
from typing import TYPE_CHECKING

from policylint.formats._builder import DocumentBuilder, line_starts
from policylint.model import BlockKind, Document
from policylint.regexcode import compiled

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

_FRONT_MATTER = compiled(
    r"\A(?:---[ \t]*\n[A-Za-z_][\w.-]*[ \t]*:.*?\n(?:---|\.\.\.)|\+\+\+[ \t]*\n.*?\n\+\+\+)[ \t]*(?:\n|\Z)",
    re.DOTALL,
)
_QUOTE_MARKERS = compiled(r"^[ \t]*(?:>[ \t]?)+", re.MULTILINE)
_NOT_NEWLINE = compiled(r"[^\n]")
_WORD = compiled(r"\S+")
_HTML_LINK = compiled(
    r"""<a\s(?:[^>]*?\s)?href\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s>]+))""", re.IGNORECASE
)
_HTML_LINK_END = compiled(r"</a\s*>", re.IGNORECASE)
_HTML_BREAK = compiled(r"<br\b", re.IGNORECASE)
_SPACE_OR_TAB = " \t\n"


def parse(source: str, path: str) -> Document:
    """Parse Markdown into a document."""
    prepared = _prepare(source)
    builder = DocumentBuilder(source)
    _Walker(builder, prepared, line_starts(prepared)).walk(_markdown().parse(prepared))
    return builder.build(path, "markdown")


@functools.cache
def _markdown() -> MarkdownIt:
    from markdown_it import MarkdownIt

    # Without text_join, entities and backslash escapes stay separate tokens that keep
    # their source markup, so they can be located.
    return MarkdownIt("commonmark").enable("table").disable("text_join")


def _prepare(source: str) -> str:
    """Return what markdown-it parses: same length and line breaks as ``source``.

    A carriage return becomes a space (lines are split on LF only, and a lone CR must
    not start a line for markdown-it either); front matter becomes blank lines.
    """
    prepared = source.replace("\r", " ")
    match = _FRONT_MATTER.match(prepared)
    if match:
        prepared = _NOT_NEWLINE.sub(" ", match.group()) + prepared[match.end() :]
    return prepared


def _html_fragment(lines: str, content: str, *, quoted: bool) -> str:
    """Return the source lines of an HTML block with list and quote markers blanked.

    ``content`` is markdown-it's text of the block; whatever precedes it on the first
    line (``- ``, ``1. ``, ``> ``) becomes spaces, so offsets stay put.
    """
    first = content.split("\n", 1)[0].strip()
    lead = lines.find(first) if first else 0
    if lead > 0:
        lines = " " * lead + lines[lead:]
    if quoted:
        lines = _QUOTE_MARKERS.sub(lambda match: " " * len(match.group()), lines)
    return lines


@dataclass
class _OpenLink:
    text_start: int  # builder offset when the link opened
    target: str
    source_start: int
    autolink: bool = False
    alt: str = ""  # alt text of an image inside, the link text if there is no other
    alt_offset: int = 0


@dataclass
class _Walker:
    """Feeds markdown-it's token stream to a builder, locating text in the source."""

    builder: DocumentBuilder
    src: str  # the prepared source (same offsets as the original)
    lines: tuple[int, ...]
    cursor: int = 0
    limit: int = 0
    links: list[_OpenLink] = field(default_factory=list)
    html_links: list[_OpenLink] = field(default_factory=list)

    # ----------------------------------------------------------------- blocks

    def walk(self, tokens: list[Token]) -> None:
        """Process the block-level token stream."""
        builder = self.builder
        items = quotes = 0
        for token in tokens:
            kind = token.type
            if kind == "list_item_open":
                items += 1
            elif kind == "list_item_close":
                items -= 1
            elif kind == "blockquote_open":
                quotes += 1
            elif kind == "blockquote_close":
                quotes -= 1
            elif kind == "heading_open":
                builder.start_block(BlockKind.HEADING, int(token.tag[1:]))
            elif kind == "paragraph_open":
                builder.start_block(BlockKind.ITEM if items else BlockKind.PARAGRAPH)
            elif kind in ("th_open", "td_open"):
                builder.start_block(BlockKind.CELL)
            elif kind in ("heading_close", "paragraph_close", "th_close", "td_close"):
                builder.end_block()
            elif kind == "inline":
                self._inline(token)
            elif kind == "html_block" and token.map:
                start, end = self._span(token.map)
                builder.end_block()
                fragment = _html_fragment(self.src[start:end], token.content, quoted=quotes > 0)
                from policylint.formats import html as html_format  # only for Markdown with HTML blocks

                html_format.add_fragment(builder, fragment, start, BlockKind.ITEM if items else BlockKind.PARAGRAPH)
                builder.end_block()

    def _span(self, line_map: list[int]) -> tuple[int, int]:
        """Return the source offsets of a block's line range."""
        lines = self.lines
        start = lines[line_map[0]] if line_map[0] < len(lines) else len(self.src)
        end = lines[line_map[1]] if line_map[1] < len(lines) else len(self.src)
        return start, end

    # ----------------------------------------------------------------- inline

    def _inline(self, token: Token) -> None:
        start, end = self._span(token.map) if token.map else (self.cursor, len(self.src))
        self.cursor = max(self.cursor, start)
        self.limit = max(end, self.cursor)
        for child in token.children or ():
            self._child(child)
        while self.links:  # cannot happen with markdown-it's output; be safe
            self._close_link(self.links.pop(), self.cursor)
        while self.html_links:  # an <a> whose </a> is not in this paragraph
            self._close_link(self.html_links.pop(), self.cursor)

    def _child(self, child: Token) -> None:
        kind = child.type
        if kind == "text":
            self._text(child.content)
        elif kind == "text_special":
            self._special(child)
        elif kind in ("softbreak", "hardbreak"):
            newline = self.src.find("\n", self.cursor, self.limit)
            self.builder.space(self.cursor if newline < 0 else newline)
            if newline >= 0:
                self.cursor = newline + 1
        elif kind == "code_inline":
            self._code(child)
        elif kind == "link_open":
            self._link_open(child)
        elif kind == "link_close":
            if self.links:
                link = self.links.pop()
                self._close_link(link, self._link_end(link))
        elif kind == "image":
            self._image(child)
        elif kind == "html_inline":
            self._html_inline(child.content)
        # emphasis and strong markers vanish

    def _find(self, needle: str) -> int:
        return self.src.find(needle, self.cursor, self.limit) if needle else -1

    def _text(self, content: str) -> None:
        """Add a piece of literal text, found in the source from the cursor on."""
        if not content:
            return
        pos = self._find(content)
        if pos >= 0:
            self.builder.add(content, pos)
            self.cursor = pos + len(content)
        else:
            self._words(content)

    def _words(self, content: str) -> None:
        """Add text that is not in the source as one piece, word by word."""
        end = 0
        for match in _WORD.finditer(content):
            if match.start() > end:
                self.builder.space(self.cursor)
            word = match.group()
            pos = self._find(word)
            if pos >= 0:
                self.builder.add(word, pos)
                self.cursor = pos + len(word)
            else:
                self.builder.add(word, self.cursor, verbatim=False)
            end = match.end()
        if end < len(content):
            self.builder.space(self.cursor)

    def _special(self, token: Token) -> None:
        """An entity (decoded, maps to its ``&``) or a backslash escape."""
        pos = self._find(token.markup)
        if pos < 0:
            self.builder.add(token.content, self.cursor, verbatim=False)
            return
        if token.content == token.markup:  # e.g. a backslash before a letter stays
            self.builder.add(token.content, pos)
        elif token.info == "escape":
            self.builder.add(token.content, pos + 1)
        else:
            self.builder.add(token.content, pos, verbatim=False)
        self.cursor = pos + len(token.markup)

    def _code(self, token: Token) -> None:
        """A code span: its (whitespace-normalised) content between backtick runs."""
        width = len(token.markup)
        opening = _backtick_run(self.src, self.cursor, self.limit, width)
        if opening < 0:
            self._words(token.content)
            return
        start = opening + width
        closing = _backtick_run(self.src, start, self.limit, width)
        limit, self.limit = self.limit, closing if closing >= 0 else self.limit
        self.cursor = start
        self._text(token.content)  # searched for between the backtick runs only
        self.limit = limit
        if closing >= 0:
            self.cursor = closing + width

    def _link_open(self, token: Token) -> None:
        autolink = token.markup == "autolink"
        pos = self._find("<" if autolink else "[")
        if pos < 0:
            pos = self.cursor
        target = str(token.attrs.get("href", ""))
        self.links.append(_OpenLink(self.builder.offset, target, pos, autolink=autolink))
        self.cursor = max(self.cursor, pos + 1)

    def _link_end(self, link: _OpenLink) -> int:
        """Step over the rest of a link's markup; return the offset just after it."""
        close = self._find(">" if link.autolink else "]")
        if close < 0:
            return self.cursor
        end = close + 1 if link.autolink else _link_tail(self.src, close, self.limit)
        self.cursor = end
        return end

    def _close_link(self, link: _OpenLink, end: int) -> None:
        builder = self.builder
        if link.alt and builder.offset == link.text_start:
            verbatim = self.src.startswith(link.alt, link.alt_offset)
            builder.add(link.alt, link.alt_offset, verbatim=verbatim)
        builder.add_link(link.text_start, link.target, link.source_start, end)

    def _image(self, token: Token) -> None:
        """Step over an image; its alt text is used only as a link's fallback text."""
        pos = self._find("![")
        if pos < 0:
            return
        if self.links and not self.links[-1].alt and token.content.strip():
            self.links[-1].alt = token.content.strip()
            self.links[-1].alt_offset = pos + 2
        close = _label_end(self.src, pos + 1, self.limit)
        if close >= 0:
            self.cursor = _link_tail(self.src, close, self.limit)

    def _html_inline(self, content: str) -> None:
        """Drop inline HTML, keeping ``<br>`` as a space and ``<a href>`` as a link."""
        pos = self._find(content)
        if pos < 0:
            return
        self.cursor = pos + len(content)
        link = _HTML_LINK.match(content)
        if link:
            target = next((value for value in link.group("dq", "sq", "bare") if value is not None), "")
            self.html_links.append(_OpenLink(self.builder.offset, unescape(target).strip(), pos))
        elif _HTML_LINK_END.match(content) and self.html_links:
            self._close_link(self.html_links.pop(), self.cursor)
        elif _HTML_BREAK.match(content):
            self.builder.space(pos)


def _backtick_run(src: str, start: int, limit: int, width: int) -> int:
    """Return the offset of the first run of exactly ``width`` backticks, or -1."""
    pos = src.find("`", start, limit)
    while pos >= 0:
        end = pos
        while end < limit and src[end] == "`":
            end += 1
        if end - pos == width:
            return pos
        pos = src.find("`", end, limit)
    return -1


def _label_end(src: str, open_bracket: int, limit: int) -> int:
    """Return the offset of the ``]`` matching the ``[`` at ``open_bracket``, or -1.

    Backslash escapes and code spans (whose brackets do not count) are skipped.
    """
    depth = 0
    pos = open_bracket
    while pos < limit:
        char = src[pos]
        if char == "\\":
            pos += 2
            continue
        if char == "`":
            end = pos
            while end < limit and src[end] == "`":
                end += 1
            closing = _backtick_run(src, end, limit, end - pos)
            pos = end if closing < 0 else closing + end - pos
            continue
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth == 0:
                return pos
        pos += 1
    return -1


def _link_tail(src: str, close: int, limit: int) -> int:
    """Return the offset just after a link whose text ends with the ``]`` at ``close``.

    Handles inline links ``](dest "title")``, full and collapsed references
    ``][label]`` and shortcut references ``]``.
    """
    pos = close + 1
    if pos < limit and src[pos] == "(":
        end = _destination_end(src, pos + 1, limit)
        if end >= 0:
            return end
    if pos < limit and src[pos] == "[":
        end = _label_end(src, pos, limit)
        if end >= 0:
            return end + 1
    return pos


def _destination_end(src: str, pos: int, limit: int) -> int:
    """Parse ``dest "title")`` the way markdown-it's link rule does; return the end or -1."""
    from markdown_it.helpers import parseLinkDestination, parseLinkTitle

    pos = _skip_space(src, pos, limit)
    if pos >= limit:
        return -1
    destination = parseLinkDestination(src, pos, limit)
    if destination.ok:
        pos = destination.pos
        start = pos
        pos = _skip_space(src, pos, limit)
        title = parseLinkTitle(src, pos, limit)
        if pos < limit and start != pos and title.ok:
            pos = _skip_space(src, title.pos, limit)
    if pos >= limit or src[pos] != ")":
        return -1
    return pos + 1


def _skip_space(src: str, pos: int, limit: int) -> int:
    while pos < limit and src[pos] in _SPACE_OR_TAB:
        pos += 1
    return pos
