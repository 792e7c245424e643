"""Incremental construction of a :class:`Document` with a source map.

Format parsers feed text pieces with their source offsets; the builder collapses
whitespace, records where every run came from, and derives sections and sentences.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from policylint.model import (
    Block,
    BlockKind,
    Document,
    Format,
    Link,
    Section,
    Sentence,
    SourceMap,
    fold,
)
from policylint.regexcode import compiled

BLOCK_SEPARATOR = "\n\n"
# Whitespace that normalisation changes: runs, non-space characters (tabs, newlines,
# NBSP) and spaces at the edges of a piece. A lone space between words is kept verbatim,
# so long runs of prose stay one linear run of the source map.
_COLLAPSE = compiled(r"\s{2,}|[^\S ]|^ | $")

# A sentence ends at . ! ? (optionally followed by closing quotes or brackets) and
# whitespace, when the next word starts like a sentence. Common abbreviations do not end
# a sentence.
_SENTENCE_END = compiled(r"[.!?][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_ABBREVIATIONS = frozenset(
    """
    e.g i.e etc inc ltd llc co corp no nos mr mrs ms dr st vs u.s u.k u.s.a jan
    feb mar apr jun jul aug sep sept oct nov dec art sec para approx dept cal
    civ bus prof code c.f.r cfr u.s.c pt ch fig
    """.split()  # noqa: SIM905 - a word list reads better as prose
)


def line_starts(source: str) -> tuple[int, ...]:
    """Return the offset of the first character of every line (split on LF)."""
    starts = [0]
    find = source.find
    index = find("\n")
    while index >= 0:
        starts.append(index + 1)
        index = find("\n", index + 1)
    return tuple(starts)


@dataclass
class _PendingBlock:
    kind: BlockKind
    level: int
    start: int


@dataclass
class DocumentBuilder:
    """Accumulates normalised text, runs and blocks for one document."""

    source: str
    _parts: list[str] = field(default_factory=list)
    _length: int = 0
    _text_starts: list[int] = field(default_factory=list)
    _source_starts: list[int] = field(default_factory=list)
    _linear: list[bool] = field(default_factory=list)
    _blocks: list[tuple[BlockKind, int, int, int]] = field(default_factory=list)
    _links: list[tuple[int, int, str, int, int]] = field(default_factory=list)
    _pending: _PendingBlock | None = None
    _space_pending: bool = False
    _space_source: int = 0
    _space_single: bool = False

    @property
    def offset(self) -> int:
        """Return the current length of the normalised text."""
        return self._length

    @property
    def in_block(self) -> bool:
        """Return whether a block is open."""
        return self._pending is not None

    def _emit(self, text: str, source_offset: int, *, linear: bool) -> None:
        """Append text; a linear piece that continues the previous linear run extends it."""
        if not (
            linear
            and self._linear
            and self._linear[-1]
            and self._source_starts[-1] + self._length - self._text_starts[-1] == source_offset
        ):
            self._text_starts.append(self._length)
            self._source_starts.append(source_offset)
            self._linear.append(linear)
        self._parts.append(text)
        self._length += len(text)

    def start_block(self, kind: BlockKind = BlockKind.PARAGRAPH, level: int = 0) -> None:
        """Close any open block and open a new one."""
        self.end_block()
        self._pending = _PendingBlock(kind, level, -1)

    def end_block(self) -> None:
        """Close the open block, if it holds any text."""
        pending = self._pending
        self._pending = None
        self._space_pending = False
        if pending is None or pending.start < 0:
            return
        self._blocks.append((pending.kind, pending.level, pending.start, self._length))

    def add(self, text: str, source_offset: int, *, verbatim: bool = True) -> None:
        """Append prose that starts at ``source_offset`` in the original file.

        Whitespace runs collapse to one space. ``verbatim`` says whether the piece is
        a literal copy of the source (so offsets inside it map one to one) or was
        decoded (an entity), in which case all of it maps to ``source_offset``.
        """
        if self._pending is None:
            self.start_block()
        pos = 0
        for match in _COLLAPSE.finditer(text):
            if match.start() > pos:
                self._add_word(text[pos : match.start()], source_offset, pos, verbatim)
            single = verbatim and match.end() - match.start() == 1
            self._mark_space(source_offset + (match.start() if verbatim else 0), single=single)
            pos = match.end()
        if pos < len(text):
            self._add_word(text[pos:], source_offset, pos, verbatim)

    def space(self, source_offset: int) -> None:
        """Record a word break (e.g. a soft line break) at ``source_offset``."""
        self._mark_space(source_offset, single=False)

    def _mark_space(self, source_offset: int, *, single: bool) -> None:
        """Remember a pending word break; ``single``: it stands for exactly one source character."""
        if not self._space_pending:
            self._space_pending = True
            self._space_source = source_offset
            self._space_single = single

    def _add_word(self, word: str, base: int, pos: int, verbatim: bool) -> None:
        pending = self._pending
        assert pending is not None
        if pending.start < 0:
            pending.start = self._length
            if self._blocks or self._length:
                self._emit(BLOCK_SEPARATOR, self._space_source, linear=False)
                pending.start = self._length
        elif self._space_pending:
            self._emit(" ", self._space_source, linear=self._space_single)
        self._space_pending = False
        self._emit(word, base + (pos if verbatim else 0), linear=verbatim)

    def add_link(self, text_start: int, target: str, source_start: int, source_end: int) -> None:
        """Record a link whose visible text runs from ``text_start`` to the current offset."""
        start = min(text_start, self._length)
        self._links.append((start, self._length, target, source_start, source_end))

    def build(self, path: str, fmt: Format) -> Document:
        """Finish the document."""
        self.end_block()
        text = "".join(self._parts)
        blocks, sections = _structure(self._blocks)
        sentences = tuple(_sentences(text, blocks))
        return Document(
            path=path,
            format=fmt,
            source=self.source,
            text=text,
            blocks=blocks,
            sections=sections,
            sentences=sentences,
            links=tuple(_links(text, self._links)),
            source_map=SourceMap(tuple(self._text_starts), tuple(self._source_starts), tuple(self._linear)),
            source_line_starts=line_starts(self.source),
            block_starts=tuple(block.start for block in blocks),
            sentence_starts=tuple(sentence.start for sentence in sentences),
            folded=fold(text),
        )


def _links(text: str, raw: list[tuple[int, int, str, int, int]]) -> list[Link]:
    links = []
    for start, end, target, source_start, source_end in raw:
        visible = text[start:end]
        stripped = visible.lstrip()  # skip a separator emitted before the link text
        links.append(Link(stripped, target, start + len(visible) - len(stripped), end, source_start, source_end))
    return links


def _structure(
    raw: list[tuple[BlockKind, int, int, int]],
) -> tuple[tuple[Block, ...], tuple[Section, ...]]:
    """Assign every block to its innermost section; build the section tree."""
    sections: list[Section] = []
    open_sections: list[int] = []  # stack of indices into `sections`
    owners: list[int] = []
    for index, (kind, level, start, _end) in enumerate(raw):
        if kind is BlockKind.HEADING:
            while open_sections and sections[open_sections[-1]].level >= level:
                open_sections.pop()
            parent = open_sections[-1] if open_sections else -1
            sections.append(Section(index, level, start, start, parent))
            open_sections.append(len(sections) - 1)
        owners.append(open_sections[-1] if open_sections else -1)
    blocks = tuple(
        Block(kind, start, end, level, owner) for (kind, level, start, end), owner in zip(raw, owners, strict=True)
    )
    return blocks, tuple(_close_sections(sections, blocks))


def _close_sections(sections: list[Section], blocks: tuple[Block, ...]) -> list[Section]:
    """Set each section's end to the end of its last block (descendants included)."""
    ends = [section.start for section in sections]
    for block in blocks:
        index = block.section
        while index >= 0:
            ends[index] = max(ends[index], block.end)
            index = sections[index].parent
    return [Section(s.heading, s.level, s.start, end, s.parent) for s, end in zip(sections, ends, strict=True)]


def _sentences(text: str, blocks: tuple[Block, ...]) -> list[Sentence]:
    result: list[Sentence] = []
    for index, block in enumerate(blocks):
        start = block.start
        for match in _SENTENCE_END.finditer(text, block.start, block.end):
            if _is_abbreviation(text, start, match.start()):
                continue
            result.append(Sentence(start, match.start() + 1, index))
            start = match.end()
        if start < block.end:
            result.append(Sentence(start, block.end, index))
    return result


def _is_abbreviation(text: str, start: int, dot: int) -> bool:
    """Return whether the period at ``dot`` ends an abbreviation, not a sentence."""
    if text[dot] != ".":
        return False
    word_start = max(text.rfind(" ", start, dot) + 1, start)
    word = text[word_start:dot].lower().lstrip("(\"'“")
    tail = word.rsplit("-", 1)[-1].rsplit("/", 1)[-1]  # "EU-U.S." ends like "U.S."
    return any(part in _ABBREVIATIONS or _is_initials(part) for part in (word, tail))


def _is_initials(word: str) -> bool:
    """One letter ("J.") or dotted initials ("u.s", "e.u")."""
    return bool(word) and all(len(part) == 1 and part.isalpha() for part in word.split("."))
