"""HTML policies: visible prose of a saved web page, mapped back to the original file.

The stdlib :class:`html.parser.HTMLParser` tokenises the page (with
``convert_charrefs=False`` so that every entity arrives with its own position). An
explicit element stack, never recursion, tracks what the browser would render:

* block-level elements (``p``, ``div``, ``li``, ``h1``-``h6``, ``td`` ...) and ``<br>``
  break blocks; ``h1``-``h6`` give headings, ``li`` items and ``td``/``th`` cells;
  other inline elements leave the text flowing;
* unclosed and misnested tags are closed the way HTML5 does it for the common cases
  (``p``, ``li``, ``dd``/``dt``, cells, rows, headings, ``a``), stray end tags are ignored;
* scripts, styles, the ``head``, ``template``, ``svg`` and ``math`` never reach the text;
* form controls, embedded objects, ``noscript``, hidden elements, navigation, dialogs
  and cookie-banner chrome, and the page's own ``header``/``footer`` (when a ``main``
  or ``article`` holds the policy) are *regions*. They are dropped, except that a
  region holding most of the main content (a page saved while a dialog was open, with
  the content wrapper ``aria-hidden``) or, on a page without ``main``, most of the text
  (``<body class="menu-open">``) is kept, and so is hidden text inside ``main`` long
  enough to be a collapsed accordion panel. Deciding that needs the whole page, so the
  walk records operations first and replays the kept ones into the builder afterwards.

Everything runs in time linear in the size of the page.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Container, Iterator
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser

from policylint.formats._builder import DocumentBuilder, line_starts
from policylint.model import BlockKind, Document
from policylint.regexcode import compiled

_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_MAX_LEVEL = 6
_VOID = frozenset(
    {"area", "base", "basefont", "bgsound", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta"}
    | {"param", "source", "track", "wbr"}
)
# Elements whose start and end break the flow of text.
_BLOCK = frozenset(
    {"address", "article", "aside", "audio", "blockquote", "body", "canvas", "caption", "center", "dd", "details"}
    | {"dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "header", "hgroup"}
    | {"html", "iframe", "legend", "li", "listing", "main", "menu", "nav", "noscript", "object", "ol", "option", "p"}
    | {"plaintext", "pre", "section", "select", "summary", "table", "tbody", "td", "textarea", "tfoot", "th"}
    | {"thead", "tr", "ul", "video", "xmp"}
    | set(_HEADINGS)
)
# Start tags that close an open <p> (HTML5 "close a p element").
_P_CLOSERS = frozenset(
    {"address", "article", "aside", "blockquote", "center", "details", "dialog", "dir", "div", "dl", "dd", "dt"}
    | {"fieldset", "figcaption", "figure", "footer", "form", "header", "hgroup", "hr", "li", "listing", "main"}
    | {"menu", "nav", "ol", "p", "plaintext", "pre", "section", "summary", "table", "ul", "xmp"}
    | set(_HEADINGS)
)
# Elements that stop the search for an open <p> (HTML5 "button scope").
_SCOPE = frozenset({"applet", "button", "caption", "html", "marquee", "object", "table", "td", "template", "th"})
# Content never rendered as prose.
_HARD = frozenset({"head", "math", "script", "style", "svg", "template", "title"})
# Content skipped unless it turns out to hold most of the page (see the module doc).
_SOFT = frozenset(
    {"button", "canvas", "datalist", "iframe", "noembed", "noframes", "noscript", "object", "option", "select"}
    | {"textarea"}
)
_HEAD_CONTENT = frozenset(
    {"base", "basefont", "bgsound", "link", "meta", "noscript", "script", "style", "template", "title"}
)
_CHROME_TAGS = frozenset({"nav", "aside"})
# Dialogs are cookie-consent banners and sign-up pop-ups far more often than content.
_CHROME_ROLES = frozenset({"navigation", "banner", "contentinfo", "menu", "menubar", "dialog", "alertdialog"})
# id/class values naming page chrome, matched as whole hyphen/underscore-delimited tokens
# ("site-cookie-banner" matches cookie-banner, "cookiebanner" matches too).
_CHROME_NAMES = (
    "cookie-banner",
    "cookie-consent",
    "cookie-notice",
    "cookie-bar",
    "onetrust",
    "cookiebot",
    "cybotcookiebotdialog",
    "gdpr-banner",
    "consent-banner",
    "skip-link",
    "skip-to-content",
    "breadcrumb",
    "breadcrumbs",
    "navbar",
    "nav-menu",
    "site-header",
    "site-footer",
    "footer-nav",
    "menu",
)
_CONTENT_TAGS = frozenset({"main", "article", "section"})
_MAIN_TAGS = frozenset({"main", "article"})
_INLINE_END_LIMIT = 200  # how far an inline end tag looks for its element
_RESTORE_MIN = 500  # a region with this much text, and most of the page's, is not chrome
_MAIN_MIN = 500  # a main/article with this much text makes the page header/footer chrome
_PANEL_MIN = 200  # a collapsed panel with this much text is content

_HIDDEN_STYLE = compiled(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_NAME_SPLIT = compiled(r"[-_]+")
_ALT_VALUE = compiled(
    r"""(?<![\w-])alt\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'=<>`]+))""",
    re.IGNORECASE,
)
# "&#" that HTMLParser's charref pattern rejects: the stdlib parser stops dead there, so
# the ampersand is swapped (same length) for a NUL that the handlers turn back into "&".
_BAD_CHARREF = compiled(r"&(?=#(?![0-9]+[^0-9a-fA-F]|[xX][0-9a-fA-F]+[^0-9a-fA-F]))")
_SENTINEL = "\x00"
_REFERENCE = compiled(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);?")

# Region kinds; _COLLAPSED is hidden content inside main/article: kept when it has
# paragraphs of text (a collapsed accordion panel), dropped when short (icons, errors).
_SKIP, _CHROME, _HIDDEN, _COLLAPSED, _PAGE = 1, 2, 3, 4, 5


def parse(source: str, path: str) -> Document:
    """Parse an HTML page into a document of its visible prose."""
    builder = DocumentBuilder(source)
    add_fragment(builder, source, 0, BlockKind.PARAGRAPH)
    return builder.build(path, "html")


def add_fragment(builder: DocumentBuilder, text: str, base: int, default: BlockKind = BlockKind.PARAGRAPH) -> None:
    """Add the prose of the HTML ``text``, which starts at ``base`` in the builder's source.

    Used for whole pages and for raw HTML blocks inside Markdown. Text outside any
    block-level element becomes ``default`` blocks.
    """
    walker = _Walker(text, default)
    walker.run()
    _replay(builder, walker.ops, walker.regions.dropped(walker.total_chars, walker.main_chars), base)


# --------------------------------------------------------------------------- operations

_Piece = tuple[str, int, bool]  # text, source offset, verbatim


@dataclass(frozen=True, slots=True)
class _Text:
    region: int
    text: str
    offset: int
    verbatim: bool
    kind: BlockKind
    level: int


@dataclass(frozen=True, slots=True)
class _Break:
    region: int


@dataclass(frozen=True, slots=True)
class _Space:
    region: int
    offset: int


@dataclass(frozen=True, slots=True)
class _LinkStart:
    region: int


@dataclass(frozen=True, slots=True)
class _LinkEnd:
    region: int
    target: str
    source_start: int
    source_end: int
    alt: tuple[_Piece, ...]
    kind: BlockKind
    level: int


_Op = _Text | _Break | _Space | _LinkStart | _LinkEnd


def _replay(builder: DocumentBuilder, ops: list[_Op], dropped: list[bool], base: int) -> None:
    """Feed the operations outside dropped regions to ``builder``."""
    link_starts: list[int] = []
    for op in ops:
        if op.region >= 0 and dropped[op.region]:
            continue
        if isinstance(op, _Text):
            if builder.in_block or not op.text.isspace():
                _open_block(builder, op.kind, op.level)
                builder.add(op.text, base + op.offset, verbatim=op.verbatim)
        elif isinstance(op, _Break):
            builder.end_block()
        elif isinstance(op, _Space):
            if builder.in_block:
                builder.space(base + op.offset)
        elif isinstance(op, _LinkStart):
            link_starts.append(builder.offset)
        else:
            start = link_starts.pop() if link_starts else builder.offset
            if op.alt and builder.offset == start:  # no text: an image link shows its alt
                _open_block(builder, op.kind, op.level)
                for text, offset, verbatim in op.alt:
                    builder.add(text, base + offset, verbatim=verbatim)
            builder.add_link(start, op.target, base + op.source_start, base + op.source_end)


def _open_block(builder: DocumentBuilder, kind: BlockKind, level: int) -> None:
    """Open a block of this kind unless one is open (the walk breaks blocks explicitly)."""
    if not builder.in_block:
        builder.start_block(kind, level)


# --------------------------------------------------------------------------- regions


class _Regions:
    """The droppable regions of a page, in document order (parents before children)."""

    def __init__(self) -> None:
        self.parent: list[int] = []
        self.kind: list[int] = []
        self.chars: list[int] = []  # text characters directly inside
        self.main_chars: list[int] = []  # ... of which inside main/article

    def open(self, kind: int, parent: int) -> int:
        """Register a region nested in ``parent`` (-1 for none); return its index."""
        self.parent.append(parent)
        self.kind.append(kind)
        self.chars.append(0)
        self.main_chars.append(0)
        return len(self.kind) - 1

    def dropped(self, total: int, main_total: int) -> list[bool]:
        """Decide, for every region, whether its content stays out of the text.

        Hidden content inside main/article is kept if it is long enough to be a
        collapsed section. Otherwise, when the page has a main/article with real text,
        a region is kept only if it holds most of that text (a saved page whose content
        wrapper was aria-hidden behind an open dialog); when it has none, a region is
        kept if it holds most of the page's text, and page headers/footers are kept.
        """
        chars, main = self.chars[:], self.main_chars[:]
        for index in range(len(chars) - 1, -1, -1):  # children first: inclusive counts
            parent = self.parent[index]
            if parent >= 0:
                chars[parent] += chars[index]
                main[parent] += main[index]
        has_main = main_total >= _MAIN_MIN
        result: list[bool] = []
        for index, kind in enumerate(self.kind):
            parent = self.parent[index]
            if parent >= 0 and result[parent]:
                result.append(True)
            elif kind == _COLLAPSED:
                result.append(chars[index] < _PANEL_MIN)
            elif has_main:
                result.append(2 * main[index] <= main_total)
            else:
                result.append(kind != _PAGE and not _holds_most(chars[index], total))
        return result


def _holds_most(chars: int, total: int) -> bool:
    """Return whether ``chars`` characters are too much of the page to be chrome."""
    return chars >= _RESTORE_MIN and 2 * chars > total


def _chrome_index() -> dict[str, list[tuple[str, ...]]]:
    index: dict[str, list[tuple[str, ...]]] = {}
    for name in _CHROME_NAMES:
        tokens = tuple(_NAME_SPLIT.split(name))
        index.setdefault(tokens[0], []).append(tokens)
        if len(tokens) > 1:
            index.setdefault("".join(tokens), []).append(("".join(tokens),))
    return index


_CHROME_INDEX = _chrome_index()


@functools.lru_cache(maxsize=4096)  # pages repeat the same class lists over and over
def _names_chrome(value: str) -> bool:
    """Return whether an id/class value names page chrome (see ``_CHROME_NAMES``)."""
    for name in value.lower().split():
        tokens = [token for token in _NAME_SPLIT.split(name) if token]
        for position, token in enumerate(tokens):
            for pattern in _CHROME_INDEX.get(token, ()):
                if tuple(tokens[position : position + len(pattern)]) == pattern:
                    return True
    return False


def _is_hidden(attrs: dict[str, str]) -> bool:
    return (
        "hidden" in attrs
        or attrs.get("aria-hidden", "").strip().lower() == "true"
        or ("style" in attrs and _HIDDEN_STYLE.search(attrs["style"]) is not None)
    )


def _is_chrome(tag: str, attrs: dict[str, str]) -> bool:
    return (
        tag in _CHROME_TAGS
        or attrs.get("role", "").strip().lower() in _CHROME_ROLES
        or _names_chrome(attrs.get("id", ""))
        or _names_chrome(attrs.get("class", ""))
    )


# --------------------------------------------------------------------------- the walk


@dataclass(slots=True)
class _Link:
    target: str
    source_start: int
    alt: tuple[_Piece, ...] = ()  # the alt text of an image inside, with positions


@dataclass(slots=True)
class _Entry:
    """An open element, with the state it gives its content."""

    tag: str
    kind: BlockKind  # block kind of text directly inside
    level: int
    region: int  # innermost region, or -1
    hard: bool  # inside never-rendered content
    main: bool  # inside main/article
    content: bool  # inside main/article/section
    link: _Link | None  # innermost open link
    own_link: bool  # this element opened ``link``
    p: int = -1  # stack index of the <p> in scope, or -1 (likewise below)
    li: int = -1
    dd: int = -1
    cell: int = -1
    tr: int = -1


def _block_kind(tag: str, attrs: dict[str, str], parent: _Entry) -> tuple[BlockKind, int]:
    if tag in _HEADINGS:
        return BlockKind.HEADING, _HEADINGS[tag]
    if attrs.get("role", "").strip().lower() == "heading":
        level = attrs.get("aria-level", "").strip()
        return BlockKind.HEADING, int(level) if level.isdigit() and 1 <= int(level) <= _MAX_LEVEL else 2
    if tag == "li":
        return BlockKind.ITEM, 0
    if tag in ("td", "th"):
        return BlockKind.CELL, 0
    return parent.kind, parent.level


class _Walker(HTMLParser):
    """Turns an HTML string into replayable operations."""

    def __init__(self, text: str, default: BlockKind) -> None:
        super().__init__(convert_charrefs=False)
        self._text = text
        self._copy = _BAD_CHARREF.sub(_SENTINEL, text)
        self._lines = line_starts(text)
        self._stack = [_Entry("#root", default, 0, -1, False, False, False, None, False)]
        self._counts: dict[str, int] = {}
        self.ops: list[_Op] = []
        self.regions = _Regions()
        self.total_chars = 0
        self.main_chars = 0

    def run(self) -> None:
        """Parse the whole text, recovering from what the stdlib parser gives up on."""
        self.feed(self._copy + " ")  # the space completes an entity at the very end
        while self.rawdata.startswith("<!--"):  # a comment that "-->" never closes
            end = self.rawdata.find("--!>", 4)
            if end < 0:
                self.rawdata = ""  # HTML: the comment runs to the end of the file
                break
            self.updatepos(0, end + 4)
            self.rawdata = self.rawdata[end + 4 :]
            self.feed("")
        if self.rawdata.startswith("<") and ">" not in self.rawdata:
            self.rawdata = ""  # the file ends inside a tag: HTML drops it
        self.close()

    def parse_marked_section(self, i: int, report: bool = True) -> int:
        """Treat ``<![CDATA[...`` and ``<![if ...]>`` as bogus comments, as HTML5 does."""
        end = self.rawdata.find(">", i + 3)
        return -1 if end < 0 else end + 1

    # ----------------------------------------------------------------- positions

    def _pos(self) -> int:
        line, column = self.getpos()
        return self._lines[line - 1] + column

    def _tag_end(self, pos: int) -> int:
        end = self._copy.find(">", pos)
        return len(self._text) if end < 0 else end + 1

    # ----------------------------------------------------------------- handlers

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Open an element (or act on a void one)."""
        self._start(tag, _attributes(attrs), self._pos())

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """``<tag/>``: void elements as usual, others opened and closed at once."""
        pos = self._pos()
        self._start(tag, _attributes(attrs), pos)
        if tag not in _VOID:
            self._end(tag, pos, self._tag_end(pos))

    def handle_endtag(self, tag: str) -> None:
        """Close an element, tolerating misnesting and strays."""
        pos = self._pos()
        self._end(tag, pos, self._tag_end(pos))

    def handle_data(self, data: str) -> None:
        """Text between tags."""
        top = self._stack[-1]
        if top.hard:
            if top.tag != "head" or data.isspace():
                return
            self._pop_tag("head", self._pos(), self._pos())  # text ends an unclosed head
        if len(data) > 1 and data[0] == "<":
            return  # a malformed tag the stdlib parser hands over as text
        pos = self._pos()
        if _SENTINEL in data:
            data = self._text[pos : pos + len(data)]
        self._add_text(data, pos, verbatim=True)

    def handle_entityref(self, name: str) -> None:
        """``&name;`` (the semicolon is optional for the legacy entities)."""
        if not self._stack[-1].hard:
            pos = self._pos()
            self._add_reference("&" + name, pos)

    def handle_charref(self, name: str) -> None:
        """``&#123;`` or ``&#x7b;``."""
        if not self._stack[-1].hard:
            pos = self._pos()
            self._add_reference("&#" + name, pos)

    # ----------------------------------------------------------------- text

    def _add_reference(self, raw: str, pos: int) -> None:
        if self._copy.startswith(";", pos + len(raw)):
            raw += ";"
        decoded = unescape(raw)
        self._add_text(decoded, pos, verbatim=decoded == raw)

    def _add_text(self, text: str, pos: int, *, verbatim: bool) -> None:
        top = self._stack[-1]
        chars = sum(map(len, text.split()))
        if chars:
            self.total_chars += chars
            if top.main:
                self.main_chars += chars
            if top.region >= 0:
                self.regions.chars[top.region] += chars
                if top.main:
                    self.regions.main_chars[top.region] += chars
        self.ops.append(_Text(top.region, text, pos, verbatim, top.kind, top.level))

    def _line_break(self, pos: int) -> None:
        top = self._stack[-1]
        if top.hard:
            return
        if top.kind is BlockKind.HEADING:
            self.ops.append(_Space(top.region, pos))
        else:
            self.ops.append(_Break(top.region))

    def _image(self, attrs: dict[str, str], pos: int) -> None:
        """Remember an image's alt text as the fallback text of the enclosing link."""
        top = self._stack[-1]
        link = top.link
        alt = attrs.get("alt", "").replace(_SENTINEL, "&").strip()
        if top.hard or link is None or link.alt or not alt:
            return
        link.alt = ((alt, pos, False),)
        match = _ALT_VALUE.search((self.get_starttag_text() or "").replace(_SENTINEL, "&"))
        if match:
            group = next(name for name in ("dq", "sq", "bare") if match.group(name) is not None)
            link.alt = tuple(_decode_pieces(match.group(group), pos + match.start(group)))

    # ----------------------------------------------------------------- elements

    def _start(self, tag: str, attrs: dict[str, str], pos: int) -> None:
        if tag in _VOID:
            if tag == "br":
                self._line_break(pos)
            elif tag == "hr" and not self._stack[-1].hard:
                self.ops.append(_Break(self._stack[-1].region))
            elif tag == "img":
                self._image(attrs, pos)
            return
        self._close_implied(tag, pos)
        parent = self._stack[-1]
        if tag in _BLOCK and not parent.hard:
            self.ops.append(_Break(parent.region))
        entry = self._child(parent, tag, attrs, pos)
        self._stack.append(entry)
        self._counts[tag] = self._counts.get(tag, 0) + 1
        if entry.own_link:
            self.ops.append(_LinkStart(entry.region))

    def _child(self, parent: _Entry, tag: str, attrs: dict[str, str], pos: int) -> _Entry:
        hard = parent.hard or tag in _HARD
        region = parent.region
        if not hard:
            kind = self._region_kind(tag, attrs, parent)
            if kind:
                region = self.regions.open(kind, parent.region)
        block_kind, level = _block_kind(tag, attrs, parent)
        role_main = attrs.get("role", "").strip().lower() == "main"
        link = parent.link
        own_link = tag == "a" and "href" in attrs and not hard
        if own_link:
            link = _Link(attrs["href"].replace(_SENTINEL, "&").strip(), pos)
        index = len(self._stack)
        return _Entry(
            tag=tag,
            kind=block_kind,
            level=level,
            region=region,
            hard=hard,
            main=parent.main or tag in _MAIN_TAGS or role_main,
            content=parent.content or tag in _CONTENT_TAGS or role_main,
            link=link,
            own_link=own_link,
            p=index if tag == "p" else -1 if tag in _SCOPE else parent.p,
            li=index if tag == "li" else -1 if tag in _SCOPE or tag in ("ul", "ol") else parent.li,
            dd=index if tag in ("dd", "dt") else -1 if tag in _SCOPE or tag == "dl" else parent.dd,
            cell=index if tag in ("td", "th") else -1 if tag == "table" else parent.cell,
            tr=index if tag == "tr" else -1 if tag == "table" else parent.tr,
        )

    @staticmethod
    def _region_kind(tag: str, attrs: dict[str, str], parent: _Entry) -> int:
        if tag in _SOFT and not (tag == "button" and parent.kind is BlockKind.HEADING):
            return _SKIP  # accordion headings are often <h3><button>Title</button></h3>
        if _is_chrome(tag, attrs):
            return _CHROME
        if _is_hidden(attrs):
            return _COLLAPSED if parent.main else _HIDDEN
        if tag in ("header", "footer") and not parent.content:
            return _PAGE
        return 0

    def _close_implied(self, tag: str, pos: int) -> None:
        """Close the elements that a start tag ends implicitly."""
        if self._counts.get("head") and tag not in _HEAD_CONTENT:
            self._pop_tag("head", pos, pos)
        top = self._stack[-1]
        if tag in _P_CLOSERS and top.p > 0:
            self._pop_to(top.p, pos, pos)
            top = self._stack[-1]
        if tag == "li":
            self._pop_to(top.li, pos, pos)
        elif tag in ("dd", "dt"):
            self._pop_to(top.dd, pos, pos)
        elif tag in ("td", "th"):
            self._pop_to(top.cell, pos, pos)
        elif tag in ("tr", "tbody", "thead", "tfoot"):
            self._pop_to(top.tr, pos, pos)
        elif tag in _HEADINGS and top.tag in _HEADINGS:
            self._pop_to(len(self._stack) - 1, pos, pos)
        elif tag == "a" and self._counts.get("a"):
            self._pop_tag("a", pos, pos)

    def _end(self, tag: str, pos: int, end: int) -> None:
        if tag == "br":  # HTML5 reads </br> as <br>
            self._line_break(pos)
            return
        if tag in _VOID or tag in ("body", "html"):
            return
        top = self._stack[-1]
        scoped = _scoped_index(tag, top)
        if scoped is not None:
            if scoped > 0:
                self._pop_to(scoped, pos, end)
            elif tag == "p" and not top.hard:  # a stray </p> still breaks the line
                self.ops.append(_Break(top.region))
        elif tag in _HEADINGS:
            self._pop_to(self._find(_HEADINGS.keys(), len(self._stack)), pos, end)
        elif tag in _BLOCK or tag in _HARD or tag in _SOFT or tag == "a":
            if self._counts.get(tag):
                self._pop_tag(tag, pos, end)
        elif self._counts.get(tag):
            self._pop_to(self._find((tag,), _INLINE_END_LIMIT, stop=True), pos, end)

    def _find(self, tags: Container[str], limit: int, *, stop: bool = False) -> int:
        """Return the stack index of the innermost element named in ``tags``, or -1.

        Looks at most ``limit`` elements down; with ``stop``, gives up at a block-level
        element (an inline end tag does not close blocks).
        """
        stack = self._stack
        for index in range(len(stack) - 1, max(len(stack) - 1 - limit, 0), -1):
            name = stack[index].tag
            if name in tags:
                return index
            if stop and (name in _BLOCK or name in _HARD or name in _SOFT):
                return -1
        return -1

    def _pop_tag(self, tag: str, pos: int, end: int) -> None:
        """Pop up to and including the innermost ``tag`` (which must be open)."""
        while len(self._stack) > 1:
            if self._stack[-1].tag == tag:
                self._pop(end)
                return
            self._pop(pos)

    def _pop_to(self, index: int, pos: int, end: int) -> None:
        """Pop the element at stack ``index`` and everything above it."""
        if index <= 0:
            return
        while len(self._stack) > index + 1:
            self._pop(pos)
        self._pop(end)

    def _pop(self, end: int) -> None:
        entry = self._stack.pop()
        self._counts[entry.tag] -= 1
        link = entry.link
        if entry.own_link and link is not None:
            self.ops.append(
                _LinkEnd(
                    entry.region,
                    link.target,
                    link.source_start,
                    end,
                    link.alt,
                    entry.kind,
                    entry.level,
                )
            )
        parent = self._stack[-1]
        if entry.tag in _BLOCK and not parent.hard:
            self.ops.append(_Break(parent.region))


def _scoped_index(tag: str, top: _Entry) -> int | None:
    """For end tags closed "in scope", the stack index they close (-1: none open)."""
    if tag == "p":
        return top.p
    if tag == "li":
        return top.li
    if tag in ("dd", "dt"):
        return top.dd
    if tag in ("td", "th"):
        return top.cell
    if tag == "tr":
        return top.tr
    return None


def _decode_pieces(raw: str, offset: int) -> Iterator[_Piece]:
    """Split raw attribute text at ``offset`` into literal runs and decoded references."""
    pos = 0
    for match in _REFERENCE.finditer(raw):
        if match.start() > pos:
            yield raw[pos : match.start()], offset + pos, True
        decoded = unescape(match.group())
        yield decoded, offset + match.start(), decoded == match.group()
        pos = match.end()
    if pos < len(raw):
        yield raw[pos:], offset + pos, True


def _attributes(attrs: list[tuple[str, str | None]]) -> dict[str, str]:
    """Return the attributes as a dict (first occurrence wins; valueless ones are "")."""
    result: dict[str, str] = {}
    for name, value in attrs:
        if name not in result:
            result[name] = value or ""
    return result
