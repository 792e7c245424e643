"""Loading and normalising documents: decoding, structure, source mapping."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from policylint.document import DocumentError, decode, discover, load_document, parse_document, sniff_format
from policylint.model import BlockKind


def word_location(text: str, word: str, fmt: str = "text") -> tuple[int, int]:
    doc = parse_document(text, fmt)  # type: ignore[arg-type]
    start = doc.text.index(word)
    loc = doc.locate(start, start + len(word))
    return loc.line, loc.column


@pytest.mark.parametrize(
    ("source", "word", "expected"),
    [
        ("Hello world.\n\nSecond paragraph here.\n", "paragraph", (3, 8)),
        ("# Title\n\nWe use **cookies** on this site.\n", "cookies", (3, 10)),
        ("> *Quoted note* text\n", "note", (1, 11)),
        ("See [our page](https://example.com/x) now.\n", "page", (1, 10)),
        ("- first item\n- second item\n", "second", (2, 3)),
        ("Windows\r\nline endings\r\n\r\nwork too.\r\n", "work", (4, 1)),
        ("A wrapped line that\ncontinues here.\n", "continues", (2, 1)),
    ],
)
def test_text_locations_point_at_the_original_file(source: str, word: str, expected: tuple[int, int]) -> None:
    assert word_location(source, word) == expected


def test_text_structure_headings_items_sections() -> None:
    doc = parse_document(
        "# Privacy\n\nIntro.\n\n## Cookies\n\nWe use cookies.\n- one\n- two\n\nChildren\nNot for kids.\n", "text"
    )
    kinds = [(b.kind, doc.text[b.start : b.end]) for b in doc.blocks]
    assert kinds == [
        (BlockKind.HEADING, "Privacy"),
        (BlockKind.PARAGRAPH, "Intro."),
        (BlockKind.HEADING, "Cookies"),
        (BlockKind.PARAGRAPH, "We use cookies."),
        (BlockKind.ITEM, "one"),
        (BlockKind.ITEM, "two"),
        (BlockKind.HEADING, "Children"),
        (BlockKind.PARAGRAPH, "Not for kids."),
    ]
    cookie_block = doc.block_index(doc.text.index("We use"))
    assert [doc.heading_text(s) for s in doc.section_chain(cookie_block)] == ["Cookies", "Privacy"]


def test_sentences_respect_abbreviations() -> None:
    doc = parse_document("We comply with U.S. law, e.g. COPPA. Next sentence here.\n", "text")
    assert [doc.text[s.start : s.end] for s in doc.sentences] == [
        "We comply with U.S. law, e.g. COPPA.",
        "Next sentence here.",
    ]


def test_markdown_links_in_text_are_recorded() -> None:
    doc = parse_document("Mail [help@acme.com](mailto:help@acme.co) or [](https://x.example).\n", "text")
    assert [(link.text, link.target) for link in doc.links] == [
        ("help@acme.com", "mailto:help@acme.co"),
        ("", "https://x.example"),
    ]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (codecs.BOM_UTF8 + "café".encode(), "café"),
        ("café".encode("utf-16"), "café"),
        ("café".encode(), "café"),
    ],
)
def test_decode_handles_boms(data: bytes, expected: str) -> None:
    assert decode(data, "text") == expected


def test_decode_uses_declared_html_charset() -> None:
    data = '<html><head><meta charset="iso-8859-1"></head><body>caf\xe9</body></html>'.encode("latin-1")
    assert "café" in decode(data, "html")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary file"),
        (b"caf\xe9 au lait", "cannot decode as UTF-8: invalid byte 0xe9 at offset 3"),
    ],
)
def test_undecodable_files_raise_one_clear_error(data: bytes, message: str) -> None:
    with pytest.raises(DocumentError, match=message):
        decode(data, "text")


def test_load_document_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="no such file"):
        load_document(tmp_path / "absent.md")


def test_discover_walks_directories_for_policy_extensions(tmp_path: Path) -> None:
    for name in ("b.md", "a.txt", "c.html", "notes.pdf", ".hidden/x.md", "sub/d.htm", "dpo.fixture.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    assert [p.relative_to(tmp_path).as_posix() for p in discover([tmp_path])] == [
        "a.txt",
        "b.md",
        "c.html",
        "sub/d.htm",
    ]  # dpo.fixture.md is a `policylint test` fixture, not a policy


@pytest.mark.parametrize(
    ("text", "fmt"),
    [("<!DOCTYPE html><html><body>x</body></html>", "html"), ("# Title\n\ntext", "markdown"), ("plain words", "text")],
)
def test_sniff_format(text: str, fmt: str) -> None:
    assert sniff_format(text) == fmt


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_WORDS = st.sampled_from(["privacy", "We", "cookies.", "data,", "Contact", "us", "13", "é", "—", "(see)"])
_GAPS = st.sampled_from([" ", "  ", "\n", "\n\n", "\t", " \n ", "\r\n", "\xa0"])
_TEXTS = st.lists(st.tuples(_WORDS, _GAPS), max_size=60).map(lambda pairs: "".join(w + g for w, g in pairs))


@settings(max_examples=200, deadline=None)
@given(_TEXTS)
def test_every_character_maps_back_to_the_same_source_character(source: str) -> None:
    doc = parse_document(source, "text")
    for offset, char in enumerate(doc.text):
        if not char.isspace():
            assert source[doc.source_map.to_source(offset)] == char
    for block in doc.blocks:
        loc = doc.locate(block.start, block.end)
        assert 1 <= loc.line <= loc.end_line <= source.count("\n") + 1


def test_source_map_stays_compact_for_ordinary_prose() -> None:
    source = "We use cookies to remember you. We keep data for a year.\n" * 200
    doc = parse_document(source, "text")
    assert len(doc.source_map.text_starts) <= 2 * 200


@pytest.mark.parametrize("enabled", [True, False])
def test_the_garbage_collector_pauses_while_parsing_and_is_restored(monkeypatch: pytest.MonkeyPatch, enabled: bool) -> None:
    import gc

    from policylint import document
    from policylint.model import Document

    seen: list[bool] = []
    parse = document._parser("text")

    def spy(source: str, path: str) -> Document:
        seen.append(gc.isenabled())
        return parse(source, path)

    monkeypatch.setattr(document, "_parser", lambda fmt: spy)
    (gc.enable if enabled else gc.disable)()
    try:
        assert parse_document("We use cookies.", "text").text == "We use cookies."
        assert seen == [False]
        assert gc.isenabled() is enabled
        with pytest.raises(ZeroDivisionError), document._collector_paused():
            raise ZeroDivisionError
        assert gc.isenabled() is enabled
    finally:
        gc.enable()
