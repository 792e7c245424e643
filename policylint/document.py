"""Loading policy files: decoding, format detection and parsing.

The only module besides ``config`` that reads files. Parsing itself is pure:
:func:`parse_document` turns a string into a :class:`~policylint.model.Document`.
"""

from __future__ import annotations

import codecs
import gc
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from policylint.model import Document, Format

EXTENSIONS: Mapping[str, Format] = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
}
_SKIPPED_DIRS = frozenset({"node_modules", "__pycache__", "venv"})
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_SNIFF_BYTES = 4096

MAX_FILE_SIZE = 10_000_000
"""Default largest policy file, in bytes (real policies are well under 1 MB); a larger one is not read."""
MAX_LINE_LENGTH = 1_000_000
"""Default longest line, in characters; a file with a longer line is an error, not linted."""


@dataclass(frozen=True, slots=True)
class Limits:
    """How big a policy may be before it is refused (one error, the run goes on)."""

    max_file_size: int = MAX_FILE_SIZE  # bytes
    max_line_length: int = MAX_LINE_LENGTH  # characters
_IN_BYTES_BELOW = 100_000  # sizes below this are given in bytes, not MB


class DocumentError(Exception):
    """A file that cannot be read or decoded; the message names the problem."""


def format_for(path: Path, default: Format | None = None) -> Format | None:
    """Return the format implied by a file name, or ``default``."""
    return EXTENSIONS.get(path.suffix.lower(), default)


def discover(paths: Iterable[Path]) -> Iterator[Path]:
    """Yield the policy files named by ``paths``; directories are walked, sorted."""
    for path in paths:
        if path.is_dir():
            yield from _walk(path, set())
        else:
            yield path


def _walk(directory: Path, seen: set[Path]) -> Iterator[Path]:
    real = directory.resolve()
    if real in seen:  # a symlink loop
        return
    seen.add(real)
    try:
        entries = sorted(directory.iterdir())
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith(".") or entry.name in _SKIPPED_DIRS:
            continue
        if entry.is_dir():
            yield from _walk(entry, seen)
        elif entry.suffix.lower() in EXTENSIONS and not _is_fixture(entry.name) and entry.is_file():
            yield entry


def _is_fixture(name: str) -> bool:
    """``x.fixture.md``: an annotated test document for ``policylint test``, not a policy."""
    return name.lower().rsplit(".", 2)[-2:-1] == ["fixture"]


def decode(data: bytes, fmt: Format) -> str:
    """Decode file bytes: BOM first, then a declared HTML charset, then strict UTF-8."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode(data, encoding)
    if b"\x00" in data[:_SNIFF_BYTES] or b"\x00" in data:
        raise DocumentError("binary file (contains NUL bytes); expected text, Markdown or HTML")
    if fmt == "html":
        declared = _META_CHARSET.search(data[: _SNIFF_BYTES * 4])
        if declared:
            name = declared.group(1).decode("ascii", "replace")
            try:
                encoding = codecs.lookup(name).name
            except LookupError:
                encoding = "utf-8"
            return _decode(data, encoding)
    return _decode(data, "utf-8")


def _decode(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        label = "UTF-8" if encoding.startswith("utf-8") else encoding
        raise DocumentError(
            f"cannot decode as {label}: invalid byte 0x{data[exc.start]:02x} at offset "
            f"{exc.start}; save the file as UTF-8"
        ) from None


def sniff_format(text: str) -> Format:
    """Guess the format of text with no telling file name (stdin)."""
    head = text[:_SNIFF_BYTES].lstrip().lower()
    if head.startswith(("<!doctype html", "<html")) or "<body" in head:
        return "html"
    if re.search(r"^#{1,6} |\]\(", text[: _SNIFF_BYTES * 4], re.M):
        return "markdown"
    return "text"


# The parser of each format, imported on first use: a Markdown file does not pay for the
# HTML parser (html.parser and its tables), and `policylint --version` pays for none.
_PARSERS: Mapping[Format, str] = {
    "text": "policylint.formats.text",
    "markdown": "policylint.formats.markdown",
    "html": "policylint.formats.html",
}


def _parser(fmt: Format) -> Callable[[str, str], Document]:
    from importlib import import_module

    parse: Callable[[str, str], Document] = import_module(_PARSERS[fmt]).parse
    return parse


def import_formats() -> None:
    """Import every format parser (their patterns compile on import)."""
    for fmt in _PARSERS:
        _parser(fmt)


def parse_document(source: str, fmt: Format, path: str = "<string>") -> Document:
    """Parse decoded text of the given format.

    The garbage collector pauses meanwhile (see :func:`_collector_paused`).
    """
    parse = _parser(fmt)
    with _collector_paused():
        return parse(source, path)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for a parse, then restore it as it was.

    A parse builds many small objects (tokens, runs, blocks, sentences) that all live until
    it ends and hold no reference cycles; the collector's full passes over them, ever more
    frequent as they pile up, made a ten times larger document parse twelve times longer.
    Reference counting still frees everything, and a cycle made meanwhile waits for the next pass.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def load_document(
    path: Path,
    fmt: Format | None = None,
    *,
    display: str | None = None,
    max_file_size: int = MAX_FILE_SIZE,
    max_line_length: int = MAX_LINE_LENGTH,
) -> Document:
    """Read, decode and parse one file; raise :class:`DocumentError` if it cannot be.

    A file larger than ``max_file_size`` bytes is refused before it is read, and at most
    ``max_file_size + 1`` bytes are ever read (a device or a growing file has no telling size).
    """
    chosen = fmt or format_for(path) or "text"
    try:
        with path.open("rb") as stream:
            size = os.fstat(stream.fileno()).st_size
            if size > max_file_size:
                raise DocumentError(_too_large(f"file is {_size(size, max_file_size)},", max_file_size))
            data = stream.read(max_file_size + 1)
    except FileNotFoundError:
        raise DocumentError("no such file") from None
    except IsADirectoryError:
        raise DocumentError("is a directory") from None
    except OSError as exc:
        raise DocumentError(exc.strerror or str(exc)) from None
    return load_bytes(
        data, chosen, display or path.as_posix(), max_file_size=max_file_size, max_line_length=max_line_length
    )


def load_bytes(
    data: bytes,
    fmt: Format | None,
    path: str,
    *,
    max_file_size: int = MAX_FILE_SIZE,
    max_line_length: int = MAX_LINE_LENGTH,
) -> Document:
    """Decode and parse file content; ``fmt=None`` sniffs the format.

    For stdin, read at most ``max_file_size + 1`` bytes: more than ``max_file_size`` is an error.
    """
    if len(data) > max_file_size:
        raise DocumentError(_too_large("input is", max_file_size))
    text = decode(data, fmt or "html")
    check_line_length(text, max_line_length)
    return parse_document(text, fmt or sniff_format(text), path)


def check_line_length(text: str, limit: int = MAX_LINE_LENGTH) -> None:
    """Raise :class:`DocumentError` if a line of ``text`` is longer than ``limit`` characters.

    Linear and cheap: each window of ``limit + 1`` characters is searched backwards for its
    last newline, so the scan advances by at least ``limit`` characters every two steps.
    """
    start, end = 0, len(text)
    while end - start > limit:
        newline = text.rfind("\n", start, start + limit + 1)
        if newline < 0:
            stop = text.find("\n", start)
            length = (end if stop < 0 else stop) - start
            line = text.count("\n", 0, start) + 1
            raise DocumentError(
                f"line {line} is {length:,} characters long, over the {limit:,}-character limit for a line "
                "(--max-line-length)"
            )
        start = newline + 1


def _too_large(what: str, limit: int) -> str:
    return f"{what} over the {_size(limit, -1)} limit for a policy (--max-file-size)"


def _size(size: int, other: int) -> str:
    """``104.9 MB``; exact bytes when the rounded figure would equal ``other``'s."""
    if size < _IN_BYTES_BELOW:
        return f"{size:,} bytes"
    rounded = f"{size / 1e6:.1f}".removesuffix(".0") + " MB"
    return f"{size:,} bytes" if other >= 0 and rounded == _size(other, -1) else rounded
