"""The Markdown parser: structure, normalised text and source locations."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policylint.formats.markdown import parse
from policylint.model import BlockKind, Document

H, P, IT, C = BlockKind.HEADING, BlockKind.PARAGRAPH, BlockKind.ITEM, BlockKind.CELL


def blocks(doc: Document) -> list[tuple[BlockKind, int, str]]:
    return [(b.kind, b.level, doc.text[b.start : b.end]) for b in doc.blocks]


def where(doc: Document, word: str, nth: int = 0) -> tuple[int, int]:
    """The 1-based source (line, column) of the nth occurrence of ``word`` in the text."""
    matches = [m.start() for m in re.finditer(re.escape(word), doc.text)]
    assert len(matches) > nth, f"{word!r} not in {doc.text!r}"
    location = doc.locate(matches[nth], matches[nth] + len(word))
    return location.line, location.column


def source_at(doc: Document, line: int, column: int, length: int) -> str:
    start = doc.source_line_starts[line - 1] + column - 1
    return doc.source[start : start + length]


# ---------------------------------------------------------------------------- structure


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("# Title\n\nBody text.", [(H, 1, "Title"), (P, 0, "Body text.")]),
        ("###### Six ######\n", [(H, 6, "Six")]),
        ("Setext one\n==========\n\nSetext two\n----------\n", [(H, 1, "Setext one"), (H, 2, "Setext two")]),
        ("First line\nsecond line\n\nNext para", [(P, 0, "First line second line"), (P, 0, "Next para")]),
        ("- one\n- two\n  wrapped\n", [(IT, 0, "one"), (IT, 0, "two wrapped")]),
        ("1. one\n\n   more of one\n2. two\n", [(IT, 0, "one"), (IT, 0, "more of one"), (IT, 0, "two")]),
        ("- outer\n  - inner\n", [(IT, 0, "outer"), (IT, 0, "inner")]),
        ("> quoted\n> text\n\n> - quoted item", [(P, 0, "quoted text"), (IT, 0, "quoted item")]),
        ("| A | B |\n|---|---|\n| 1 | **2** |\n", [(C, 0, "A"), (C, 0, "B"), (C, 0, "1"), (C, 0, "2")]),
        ("| A | |\n|---|---|\n| | x |\n", [(C, 0, "A"), (C, 0, "x")]),
        ("Intro\n- item after a paragraph\n", [(P, 0, "Intro"), (IT, 0, "item after a paragraph")]),
        ("Text\n\n---\n\nMore", [(P, 0, "Text"), (P, 0, "More")]),
        ("- # Heading in item\n", [(H, 1, "Heading in item")]),
        ("<div>\n<p>Raw <b>html</b></p>\n</div>\n", [(P, 0, "Raw html")]),
        ("- item\n\n  <div>html in item</div>\n", [(IT, 0, "item"), (IT, 0, "html in item")]),
    ],
)
def test_blocks(source: str, expected: list[tuple[BlockKind, int, str]]) -> None:
    assert blocks(parse(source, "p.md")) == expected


@pytest.mark.parametrize(
    ("source", "text"),
    [
        ("*em* **strong** _u_ __uu__ ***both***", "em strong u uu both"),
        ("AT&amp;T &copy; &#169; &#xA9; &nbsp;x", "AT&T © © © x"),
        (r"\*not em\* \[not link\] \\ back\slash", r"*not em* [not link] \ back\slash"),
        ("a `code  span` b", "a code span b"),
        ("a ``co`de`` b", "a co`de b"),
        ("hard  \nbreak and back\\\nslash", "hard break and back slash"),
        ('see [the policy](https://x.example/p "Title") now', "see the policy now"),
        ("a ![logo](logo.png) b", "a b"),
        ("a <span class='x'>b</span> <!-- hidden note --> c", "a b c"),
        ("a<br>b", "a b"),
        ("visit https://bare.example today", "visit https://bare.example today"),
        ("mail <privacy@x.example>", "mail privacy@x.example"),
        ("```\nfenced code\n```\n\n    indented code\n\nprose", "prose"),
        ("<!-- policylint-disable x -->\n\nprose\n\n<!--\nmulti\nline\n-->", "prose"),
        ("---\ntitle: Privacy\nlayout: page\n---\n# Policy", "Policy"),
        ("+++\ntitle = 'Privacy'\n+++\nBody", "Body"),
        ("---\n\nNot front matter\n---\n", "Not front matter"),  # a rule, then a setext heading
        ("[ref]: https://x.example\n\nBody", "Body"),
    ],
)
def test_text(source: str, text: str) -> None:
    assert parse(source, "p.md").text == text


def test_blocks_are_separated_and_whitespace_collapsed() -> None:
    doc = parse("# A\n\nB   b\tb\n\n- C", "p.md")
    assert doc.text == "A\n\nB b b\n\nC"
    assert doc.format == "markdown"
    assert doc.path == "p.md"


def test_empty_document() -> None:
    doc = parse("", "empty.md")
    assert doc.text == ""
    assert doc.blocks == ()


# ---------------------------------------------------------------------------- locations

LOCATED = """\
# Privacy *Policy*

We **collect** your [e-mail address](https://x.example/email)
and your `device id` when you visit.

- First item
- Second *emphasised* item
  with a continuation

| Data | Purpose |
|------|---------|
| Name | Billing |

> Quoted AT&amp;T statement

Setext Title
------------
"""


@pytest.mark.parametrize(
    ("word", "nth", "line", "column"),
    [
        ("Privacy", 0, 1, 3),
        ("Policy", 0, 1, 12),
        ("We", 0, 3, 1),
        ("collect", 0, 3, 6),
        ("your", 0, 3, 16),
        ("e-mail", 0, 3, 22),
        ("address", 0, 3, 29),
        ("and", 0, 4, 1),
        ("device", 0, 4, 11),
        ("visit", 0, 4, 31),
        ("First", 0, 6, 3),
        ("emphasised", 0, 7, 11),
        ("continuation", 0, 8, 10),
        ("Data", 0, 10, 3),
        ("Purpose", 0, 10, 10),
        ("Name", 0, 12, 3),
        ("Billing", 0, 12, 10),
        ("Quoted", 0, 14, 3),
        ("AT&T", 0, 14, 10),
        ("statement", 0, 14, 19),
        ("Setext", 0, 16, 1),
    ],
)
def test_locate_words(word: str, nth: int, line: int, column: int) -> None:
    doc = parse(LOCATED, "p.md")
    assert where(doc, word, nth) == (line, column)


def test_locate_entity_maps_to_its_ampersand() -> None:
    doc = parse("Caf&eacute; &amp; bar", "p.md")
    assert doc.text == "Café & bar"
    assert where(doc, "é") == (1, 4)
    assert where(doc, "&") == (1, 13)
    assert where(doc, "bar") == (1, 19)


def test_locate_escape_maps_to_the_escaped_character() -> None:
    doc = parse(r"a \* b", "p.md")
    assert where(doc, "*") == (1, 4)


def test_locate_span_across_lines() -> None:
    doc = parse("one two\nthree four\n", "p.md")
    start = doc.text.index("two")
    location = doc.locate(start, doc.text.index("three") + len("three"))
    assert (location.line, location.column, location.end_line, location.end_column) == (1, 5, 2, 5)


def test_locate_crlf() -> None:
    source = "# Title\r\n\r\nFirst line\r\nsecond **bold** line\r\n\r\n- item\r\n"
    doc = parse(source, "p.md")
    assert doc.text == "Title\n\nFirst line second bold line\n\nitem"
    assert "\r" not in doc.text
    assert where(doc, "second") == (4, 1)
    assert where(doc, "bold") == (4, 10)
    assert where(doc, "item") == (6, 3)


@pytest.mark.parametrize(
    ("source", "text", "word", "line", "column"),
    [
        ("<div>\n<p>Raw &amp; html</p>\n</div>\n", "Raw & html", "html", 2, 14),
        ("- <div>In an item</div>\n", "In an item", "In", 1, 8),
        ("> <div>Quoted\n> html</div>\n", "Quoted html", "html", 2, 3),
        ("Intro\n\n<!-- policylint-disable x -->\n<p>After</p>\n", "Intro\n\nAfter", "After", 4, 4),
    ],
)
def test_html_blocks(source: str, text: str, word: str, line: int, column: int) -> None:
    doc = parse(source, "p.md")
    assert doc.text == text
    assert where(doc, word) == (line, column)


def test_locate_multiline_code_span() -> None:
    doc = parse("x `code\nspan` y", "p.md")
    assert doc.text == "x code span y"
    assert where(doc, "code") == (1, 4)
    assert where(doc, "span") == (2, 1)
    assert where(doc, "y") == (2, 7)


def test_text_after_link_destination_is_not_found_inside_it() -> None:
    doc = parse('[a](https://z.example "z title") z', "p.md")
    assert doc.text == "a z"
    assert where(doc, "z") == (1, 34)


def test_text_after_image_is_not_found_inside_it() -> None:
    doc = parse("![alt with x](x.png) x", "p.md")
    assert doc.text == "x"
    assert where(doc, "x") == (1, 22)


def test_every_block_locates_to_its_source_line() -> None:
    doc = parse(LOCATED, "p.md")
    for block in doc.blocks:
        location = doc.locate(block.start, block.end)
        first_word = doc.text[block.start : block.end].split()[0]
        assert source_at(doc, location.line, location.column, len(first_word)) == first_word


# ---------------------------------------------------------------------------- links


def test_links() -> None:
    source = (
        "Read [our *privacy* policy](https://x.example/privacy) or\n"
        "write to <privacy@x.example>, see [the FAQ][faq], [Contact]\n"
        "and [](https://empty.example) or <a href='https://h.example?a=1&amp;b=2'>html</a>.\n\n"
        "[faq]: https://x.example/faq\n"
        "[contact]: https://x.example/contact\n"
    )
    doc = parse(source, "p.md")
    found = [(link.text, link.target) for link in doc.links]
    assert found == [
        ("our privacy policy", "https://x.example/privacy"),
        ("privacy@x.example", "mailto:privacy@x.example"),
        ("the FAQ", "https://x.example/faq"),
        ("Contact", "https://x.example/contact"),
        ("", "https://empty.example"),
        ("html", "https://h.example?a=1&b=2"),
    ]
    spans = [source[link.source_start : link.source_end] for link in doc.links]
    assert spans == [
        "[our *privacy* policy](https://x.example/privacy)",
        "<privacy@x.example>",
        "[the FAQ][faq]",
        "[Contact]",
        "[](https://empty.example)",
        "<a href='https://h.example?a=1&amp;b=2'>html</a>",
    ]
    for link in doc.links:
        assert doc.text[link.start : link.end] == link.text


def test_link_source_locations() -> None:
    doc = parse("Intro\n\nSee [the\npolicy](https://x.example/p).\n", "p.md")
    (link,) = doc.links
    location = doc.locate_source(link.source_start, link.source_end)
    assert (location.line, location.column, location.end_line, location.end_column) == (3, 5, 4, 28)
    assert link.text == "the policy"


def test_empty_link_has_empty_text() -> None:
    doc = parse("x [](https://x.example) y", "p.md")
    (link,) = doc.links
    assert (link.text, link.start, link.end) == ("", link.start, link.start)
    assert doc.locate_source(link.source_start, link.source_end).column == 3


def test_image_link_uses_alt_text() -> None:
    doc = parse("[![Privacy badge](badge.png)](https://x.example)", "p.md")
    (link,) = doc.links
    assert (link.text, link.target) == ("Privacy badge", "https://x.example")
    assert where(doc, "badge") == (1, 12)


def test_bare_urls_are_not_links() -> None:
    assert parse("see https://x.example/privacy", "p.md").links == ()


# ---------------------------------------------------------------------------- sections


def test_sections_nest_by_heading_level() -> None:
    doc = parse("# Top\n\nintro\n\n## A\n\na text\n\n### A1\n\ndeep\n\n## B\n\nb text\n", "p.md")
    headings = [doc.heading_text(index) for index in range(len(doc.sections))]
    assert headings == ["Top", "A", "A1", "B"]
    assert [section.parent for section in doc.sections] == [-1, 0, 1, 0]
    deep = next(i for i, b in enumerate(doc.blocks) if doc.text[b.start : b.end] == "deep")
    assert [doc.heading_text(s) for s in doc.section_chain(deep)] == ["A1", "A", "Top"]
    b_text = next(i for i, b in enumerate(doc.blocks) if doc.text[b.start : b.end] == "b text")
    assert [doc.heading_text(s) for s in doc.section_chain(b_text)] == ["B", "Top"]
    assert doc.text[doc.sections[1].start : doc.sections[1].end] == "A\n\na text\n\nA1\n\ndeep"


# ---------------------------------------------------------------------------- robustness


@pytest.mark.parametrize(
    "source",
    [
        ">" * 5000 + " deep",
        "[" * 5000 + "x" + "]" * 5000,
        "*" * 5000 + "x",
        "`a " * 3000,
        "".join("  " * i + "- x\n" for i in range(200)),
        "| a |\n|---|\n" + "| x |\n" * 2000,
        "<div>\n" * 500,
        "<!-- unclosed comment\n\ntext",
        "\x00\ufffd\u2028\r\r\n\t",
    ],
)
def test_pathological_input_does_not_crash(source: str) -> None:
    doc = parse(source, "p.md")
    assert len(doc.text) <= len(source) * 2


_PIECES = st.sampled_from(
    ["# ", "## ", "\n", "\r\n", "  ", "- ", "1. ", "> ", "*", "**", "_", "`", "```\n", "[", "]", "(", ")",
     "](http://x)", "<", ">", "<https://a.b>", "&amp;", "&", "\\", "|", "---", "===", "![", "word", "Text.",
     "<!-- c -->", "<div>", "</div>", "<a href='u'>", "</a>", "<br>", "\t", "[r]: /u\n", "[r]", "[]"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=60).map("".join))
def test_words_map_back_to_the_source(source: str) -> None:
    doc = parse(source, "p.md")
    for match in re.finditer(r"\S+", doc.text):
        offset = doc.source_map.to_source(match.start())
        assert 0 <= offset <= len(source)
        word = match.group()
        # verbatim words sit at their offset; decoded ones start at their "&" or "\"
        assert source.startswith(word, offset) or source[offset : offset + 1] in ("&", "\\", word[0])
    for link in doc.links:
        assert 0 <= link.source_start <= link.source_end <= len(source)
        assert doc.text[link.start : link.end] == link.text
