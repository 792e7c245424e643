"""Core data types: documents, checks and results.

Everything here is immutable. Offsets into :attr:`Document.text` are 0-based and
half-open; lines and columns reported to users are 1-based and refer to the
*original* file (``Document.source``).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum
from typing import Literal

Format = Literal["text", "markdown", "html"]


class Status(StrEnum):
    """The verdict for one (document, check) pair."""

    PASS = "pass"
    FAIL = "fail"
    NOT_APPLICABLE = "not-applicable"


class Severity(IntEnum):
    """How much a failing check matters; ordered so that ``ERROR > INFO``."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        """The lower-case name used in files and reports."""
        return self.name.lower()

    @classmethod
    def parse(cls, value: str) -> Severity:
        """Parse ``error``/``warning``/``info`` (case-insensitive)."""
        return cls[value.upper()]


class BlockKind(StrEnum):
    """The structural role of a block of prose."""

    HEADING = "heading"
    PARAGRAPH = "paragraph"
    ITEM = "item"
    CELL = "cell"


@dataclass(frozen=True, slots=True)
class Block:
    """A heading, paragraph, list item or table cell in the normalised text."""

    kind: BlockKind
    start: int
    end: int
    level: int = 0  # heading level 1-6; 0 for other blocks
    section: int = -1  # index into Document.sections of the innermost section


@dataclass(frozen=True, slots=True)
class Section:
    """A heading and everything up to the next heading of the same or higher level."""

    heading: int  # index into Document.blocks
    level: int
    start: int  # offset of the heading's first character
    end: int  # offset just after the section's last character
    parent: int = -1  # enclosing section, or -1


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence (or sentence-like fragment) inside one block."""

    start: int
    end: int
    block: int


@dataclass(frozen=True, slots=True)
class Link:
    """A hyperlink: its visible text, its target and where it sits.

    ``start``/``end`` delimit the visible text in :attr:`Document.text` (equal for an
    empty link); ``source_start``/``source_end`` delimit the whole link markup in
    :attr:`Document.source`.
    """

    text: str
    target: str
    start: int
    end: int
    source_start: int
    source_end: int


@dataclass(frozen=True, slots=True)
class SourceMap:
    """Maps offsets in the normalised text back to offsets in the original file.

    The normalised text is a sequence of runs. Run ``i`` starts at ``text_starts[i]``
    in the text and at ``source_starts[i]`` in the source. When ``linear[i]`` is true
    the run was copied verbatim, so offsets advance in step; otherwise (decoded
    entities, inserted separators) every character of the run maps to its start.
    """

    text_starts: tuple[int, ...] = ()
    source_starts: tuple[int, ...] = ()
    linear: tuple[bool, ...] = ()

    def to_source(self, offset: int) -> int:
        """Return the source offset of the text offset ``offset``."""
        i = bisect_right(self.text_starts, offset) - 1
        if i < 0:
            return 0
        delta = offset - self.text_starts[i]
        return self.source_starts[i] + (delta if self.linear[i] else 0)

    def to_source_end(self, end: int) -> int:
        """Return the source offset just after the text span ending (exclusively) at ``end``.

        A decoded entity maps as a whole: a span that ends inside it ends after it.
        """
        i = bisect_right(self.text_starts, max(end - 1, 0)) - 1
        if i < 0:
            return 0
        if self.linear[i]:
            return self.source_starts[i] + end - self.text_starts[i]
        following = self.source_starts[i + 1] if i + 1 < len(self.source_starts) else 0
        return following if following > self.source_starts[i] else self.source_starts[i] + 1


@dataclass(frozen=True, slots=True)
class Location:
    """A 1-based source range: line/column of the first and last character."""

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True, slots=True)
class Document:
    """A loaded policy: its original text, normalised prose and structure."""

    path: str
    format: Format
    source: str  # the decoded original file
    text: str  # normalised prose that checks match against
    blocks: tuple[Block, ...]
    sections: tuple[Section, ...]
    sentences: tuple[Sentence, ...]
    links: tuple[Link, ...]
    source_map: SourceMap
    source_line_starts: tuple[int, ...]
    block_starts: tuple[int, ...] = field(default=(), repr=False)
    sentence_starts: tuple[int, ...] = field(default=(), repr=False)
    folded: str = field(default="", repr=False)  # text lower-cased, same length (see fold())

    def source_position(self, source_offset: int) -> tuple[int, int]:
        """Return the 1-based (line, column) of a source offset."""
        i = bisect_right(self.source_line_starts, source_offset) - 1
        i = max(i, 0)
        return i + 1, source_offset - self.source_line_starts[i] + 1

    def locate(self, start: int, end: int) -> Location:
        """Return the source location of the text span ``[start, end)``."""
        first = self.source_map.to_source(start)
        last = self.source_map.to_source_end(max(start + 1, end)) - 1
        line, column = self.source_position(first)
        end_line, end_column = self.source_position(max(first, last))
        return Location(line, column, end_line, end_column)

    def locate_source(self, start: int, end: int) -> Location:
        """Return the location of the source span ``[start, end)``."""
        line, column = self.source_position(start)
        end_line, end_column = self.source_position(max(start, end - 1))
        return Location(line, column, end_line, end_column)

    def block_index(self, offset: int) -> int:
        """Return the index of the block containing ``offset`` (or the one before)."""
        return max(bisect_right(self.block_starts, offset) - 1, 0)

    def sentence_index(self, offset: int) -> int:
        """Return the index of the sentence containing ``offset`` (or the one before)."""
        return max(bisect_right(self.sentence_starts, offset) - 1, 0)

    def section_chain(self, block: int) -> tuple[int, ...]:
        """Return the sections enclosing ``block``, innermost first."""
        return self.section_chain_of(self.blocks[block].section) if self.blocks else ()

    def section_chain_of(self, section: int) -> tuple[int, ...]:
        """Return ``section`` (``-1``: none) and the sections enclosing it, innermost first."""
        chain: list[int] = []
        while section >= 0:
            chain.append(section)
            section = self.sections[section].parent
        return tuple(chain)

    def heading_text(self, section: int) -> str:
        """Return the text of a section's heading."""
        block = self.blocks[self.sections[section].heading]
        return self.text[block.start : block.end]


TEXT_WHITESPACE = " \n"
"""The only whitespace characters of a :class:`Document`'s ``text``: the formats collapse each run
of whitespace inside a block to one space and join blocks with a blank line. Matchers rely on it
(``\\s`` can only be one of these, see :func:`policylint.prefilter.literal_prefixes`)."""


def fold(text: str) -> str:
    """Lower-case ``text`` without changing its length (so offsets stay valid).

    Case-insensitive phrases are matched against this instead of using ``re.IGNORECASE``,
    which makes Python's regex engine several times slower on long alternations.
    """
    folded = text.lower()
    if len(folded) == len(text):
        return folded
    return "".join(low if len(low := char.lower()) == 1 else char for char in text)


@dataclass(frozen=True, slots=True)
class Reference:
    """A legal citation, optionally with a URL."""

    citation: str
    url: str = ""


@dataclass(frozen=True, slots=True)
class Evidence:
    """One place in the file that supports a verdict."""

    location: Location
    text: str
    message: str = ""


@dataclass(frozen=True, slots=True)
class Suppression:
    """Why a failure does not count: an inline comment, or a baseline that knows it."""

    kind: Literal["inline", "baseline"]
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Result:
    """The verdict of one check on one document."""

    check: str
    status: Status
    severity: Severity
    message: str
    evidence: tuple[Evidence, ...] = ()
    suppression: Suppression | None = None  # set on a failure that is waived

    @property
    def suppressed(self) -> bool:
        """Return whether this failure is waived (it never counts against the exit code)."""
        return self.suppression is not None


@dataclass(frozen=True, slots=True)
class FileReport:
    """All results for one file, or the error that stopped it from being linted."""

    path: str
    results: tuple[Result, ...] = ()
    error: str = ""
    source: str = field(default="", repr=False)  # the decoded original file, for reports that show it


class ExitCode(IntEnum):
    """Process exit codes (see README)."""

    OK = 0
    FINDINGS = 1
    ERROR = 2
