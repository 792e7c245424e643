"""The HTML parser: visible prose, structure, chrome removal and source locations."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policylint.formats.html import parse
from policylint.model import BlockKind, Document

H, P, IT, C = BlockKind.HEADING, BlockKind.PARAGRAPH, BlockKind.ITEM, BlockKind.CELL
FILLER = "This sentence is policy text that fills the main element of the page. " * 10


def blocks(doc: Document) -> list[tuple[BlockKind, int, str]]:
    return [(b.kind, b.level, doc.text[b.start : b.end]) for b in doc.blocks]


def where(doc: Document, word: str, nth: int = 0) -> tuple[int, int]:
    """The 1-based source (line, column) of the nth occurrence of ``word`` in the text."""
    matches = [m.start() for m in re.finditer(re.escape(word), doc.text)]
    assert len(matches) > nth, f"{word!r} not in {doc.text!r}"
    location = doc.locate(matches[nth], matches[nth] + len(word))
    return location.line, location.column


# ---------------------------------------------------------------------------- structure


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("<h1>Title</h1><p>Body.</p>", [(H, 1, "Title"), (P, 0, "Body.")]),
        ("<h3>Three</h3><h6>Six</h6>", [(H, 3, "Three"), (H, 6, "Six")]),
        ("<ul><li>one</li><li>two <b>bold</b></li></ul>", [(IT, 0, "one"), (IT, 0, "two bold")]),
        ("<ol><li><p>para in item</p></li></ol>", [(IT, 0, "para in item")]),
        ("<table><tr><th>A</th><td>B</td></tr></table>", [(C, 0, "A"), (C, 0, "B")]),
        ("<div>one<div>two</div>three</div>", [(P, 0, "one"), (P, 0, "two"), (P, 0, "three")]),
        ("<p>line one<br>line two<br/>line three</p>", [(P, 0, "line one"), (P, 0, "line two"), (P, 0, "line three")]),
        ("<h2>Your rights<br>under CCPA</h2>", [(H, 2, "Your rights under CCPA")]),
        ("<p>a<span>b</span><em>c</em> <a href='x'>d</a></p>", [(P, 0, "abc d")]),
        ("<dl><dt>Term</dt><dd>Definition</dd></dl>", [(P, 0, "Term"), (P, 0, "Definition")]),
        ("<div role='heading' aria-level='3'>Aria heading</div>", [(H, 3, "Aria heading")]),
        ("<h3><button aria-expanded='false'>Accordion title</button></h3>", [(H, 3, "Accordion title")]),
        ("Loose text<p>para</p>tail", [(P, 0, "Loose text"), (P, 0, "para"), (P, 0, "tail")]),
        ("<p>a<hr>b", [(P, 0, "a"), (P, 0, "b")]),
    ],
)
def test_blocks(source: str, expected: list[tuple[BlockKind, int, str]]) -> None:
    assert blocks(parse(source, "p.html")) == expected


@pytest.mark.parametrize(
    ("source", "text"),
    [
        ("<p>AT&amp;T &copy; &#169; &#xA9; &copy 2024 &unknown; &amp</p>", "AT&T © © © © 2024 &unknown; &"),
        ("<p>a&nbsp;&nbsp;b&#160;c</p>", "a b c"),
        ("<p>  spread\n   over\tlines  </p>", "spread over lines"),
        ("<p>a &lt;b&gt; c</p>", "a <b> c"),
        ("<p>1 < 2 and 3 > 2</p>", "1 < 2 and 3 > 2"),
        ("<p>&#; &#x; &#xZZ; &#abc</p>", "&#; &#x; &#xZZ; &#abc"),
        ("<p>x</p><![CDATA[ hidden ]]><p>y</p>", "x\n\ny"),
        ("<!--[if IE]><p>old ie</p><![endif]--><p>ok</p>", "ok"),
        ("<p>text<img src='a.png' alt='decorative'>more</p>", "textmore"),
        ("<p>a<meta name='x' content='y'>b</p>", "ab"),
    ],
)
def test_text(source: str, text: str) -> None:
    assert parse(source, "p.html").text == text


def test_empty_document() -> None:
    doc = parse("", "p.html")
    assert (doc.text, doc.blocks, doc.format) == ("", (), "html")


# ---------------------------------------------------------------------------- dropped content


@pytest.mark.parametrize(
    "source",
    [
        "<script>var secret = 1;</script>",
        "<script type='application/ld+json'>{\"secret\": 1}</script>",
        "<style>.secret { color: red }</style>",
        "<head><title>secret title</title><meta charset='utf-8'></head>",
        "<template><p>secret</p></template>",
        "<noscript>Please enable JavaScript secret</noscript>",
        "<svg><text>secret</text><title>secret</title></svg>",
        "<math><mi>secret</mi></math>",
        "<select><option>secret</option></select>",
        "<button>secret</button>",
        "<textarea>secret</textarea>",
        "<iframe>secret</iframe>",
        "<!-- secret comment -->",
        "<!-- policylint-disable rule --><p hidden>secret</p>",
        "<div style='display: none'>secret</div>",
        "<div style='visibility:hidden'>secret</div>",
        "<span aria-hidden='true'>secret</span>",
        "<nav><a href='/'>secret</a></nav>",
        "<aside>secret</aside>",
        "<div role='navigation'>secret</div>",
        "<div role='banner'>secret</div>",
        "<div role='contentinfo'>secret</div>",
        "<div role='dialog'>secret cookie dialog</div>",
        "<div id='onetrust-consent-sdk'><p>secret</p></div>",
        "<div id='CybotCookiebotDialog'>secret</div>",
        "<div class='site-cookie-banner wrapper'>secret</div>",
        "<div class='cookie_consent'>secret</div>",
        "<div class='cookieNotice'>secret</div>",
        "<ol class='breadcrumb'><li>secret</li></ol>",
        "<ul class='main-menu'><li>secret</li></ul>",
        "<div id='site-header'>secret</div>",
        "<a class='skip-link' href='#main'>secret</a>",
    ],
)
def test_dropped_content(source: str) -> None:
    doc = parse(f"<html><body><p>before</p>{source}<p>after</p></body></html>", "p.html")
    assert doc.text == "before\n\nafter"
    assert doc.links == ()


@pytest.mark.parametrize(
    "name",
    ["menuitem", "cookies-policy", "our-cookie-policy-table", "navigation-help", "submenuitem"],
)
def test_similar_class_names_are_kept(name: str) -> None:
    doc = parse(f"<div class='{name}'>kept</div>", "p.html")
    assert doc.text == "kept"


def test_page_header_and_footer_dropped_when_main_has_the_policy() -> None:
    source = (
        "<body><header>Site header <h1>Logo</h1></header>"
        f"<main><header><h1>Privacy Policy</h1></header><p>{FILLER}</p><footer>Article footer</footer></main>"
        "<footer>Copyright site footer</footer></body>"
    )
    doc = parse(source, "p.html")
    assert "Site header" not in doc.text
    assert "Copyright" not in doc.text
    assert "Privacy Policy" in doc.text
    assert "Article footer" in doc.text


def test_page_header_and_footer_kept_without_a_main() -> None:
    doc = parse("<header><h1>Privacy Policy</h1></header><p>Body.</p><footer>Contact us</footer>", "p.html")
    assert doc.text == "Privacy Policy\n\nBody.\n\nContact us"


def test_page_header_kept_when_main_is_tiny() -> None:
    doc = parse("<header><h1>Privacy Policy</h1></header><main><p>Short.</p></main>", "p.html")
    assert doc.text == "Privacy Policy\n\nShort."


def test_section_header_is_kept() -> None:
    doc = parse(f"<main><p>{FILLER}</p></main><section><header>Section head</header></section>", "p.html")
    assert "Section head" in doc.text


def test_collapsed_accordion_panels_in_main_are_kept() -> None:
    panel = "Collapsed section text about data sharing. " * 8
    source = (
        f"<main><h2><button>Sharing</button></h2><div style='display:none'>{panel}</div>"
        "<span aria-hidden='true'>+</span></main>"
    )
    doc = parse(source, "p.html")
    assert doc.text.startswith("Sharing\n\nCollapsed section text")
    assert "+" not in doc.text


def test_region_holding_the_main_content_is_kept() -> None:
    # A page saved while a dialog was open: the content wrapper is aria-hidden.
    source = (
        f"<div aria-hidden='true'><main><h1>Privacy</h1><p>{FILLER}</p></main></div>"
        "<div role='dialog'>Accept cookies?</div><div style='display:none'>hidden data</div>"
    )
    doc = parse(source, "p.html")
    assert doc.text.startswith("Privacy\n\nThis sentence")
    assert "Accept" not in doc.text
    assert "hidden data" not in doc.text


def test_region_holding_most_of_the_page_is_kept() -> None:
    source = f"<body class='menu-open'><nav>Home About</nav><h1>Privacy</h1><p>{FILLER}</p></body>"
    doc = parse(source, "p.html")
    assert doc.text.startswith("Privacy\n\nThis sentence")
    assert "Home" not in doc.text


# ---------------------------------------------------------------------------- locations

LOCATED = """\
<!DOCTYPE html>
<html><head><title>Ignored</title></head>
<body>
<h1>Privacy &amp; <em>Cookie</em> Policy</h1>
<p>We <strong>collect <a href="/data">your
    personal data</a></strong>&nbsp;when you&#8217;re here.</p>
<ul><li>First&nbsp;item<li><span><b>Nested</b> inline</span></ul>
<table><tr><td>Cell one<td>Cell&#x20;two</table>
</body></html>
"""


@pytest.mark.parametrize(
    ("word", "line", "column"),
    [
        ("Privacy", 4, 5),
        ("&", 4, 13),
        ("Cookie", 4, 23),
        ("Policy", 4, 35),
        ("We", 5, 4),
        ("collect", 5, 15),
        ("your", 5, 39),
        ("personal", 6, 5),
        ("data", 6, 14),
        ("when", 6, 37),
        ("you’re", 6, 42),
        ("’", 6, 45),
        ("re here", 6, 52),
        ("First", 7, 9),
        ("item", 7, 20),
        ("Nested", 7, 37),
        ("inline", 7, 48),
        ("Cell", 8, 16),
        ("one", 8, 21),
        ("two", 8, 38),
    ],
)
def test_locate_words(word: str, line: int, column: int) -> None:
    doc = parse(LOCATED, "p.html")
    assert where(doc, word) == (line, column)


def test_located_text() -> None:
    doc = parse(LOCATED, "p.html")
    assert blocks(doc) == [
        (H, 1, "Privacy & Cookie Policy"),
        (P, 0, "We collect your personal data when you’re here."),
        (IT, 0, "First item"),
        (IT, 0, "Nested inline"),
        (C, 0, "Cell one"),
        (C, 0, "Cell two"),
    ]


def test_locate_crlf() -> None:
    doc = parse("<p>one\r\ntwo</p>\r\n<p>three &amp;\r\n four</p>\r\n", "p.html")
    assert doc.text == "one two\n\nthree & four"
    assert "\r" not in doc.text
    assert where(doc, "two") == (2, 1)
    assert where(doc, "three") == (3, 4)
    assert where(doc, "&") == (3, 10)
    assert where(doc, "four") == (4, 2)


def test_locate_on_a_minified_line() -> None:
    source = "<div>" + "<span>x</span>" * 5000 + "<p>needle here</p></div>"
    doc = parse(source, "p.html")
    assert where(doc, "needle") == (1, source.index("needle") + 1)


def test_locate_span_across_lines() -> None:
    doc = parse("<p>alpha beta\ngamma</p>", "p.html")
    start = doc.text.index("beta")
    location = doc.locate(start, start + len("beta gamma"))
    assert (location.line, location.column, location.end_line, location.end_column) == (1, 10, 2, 5)


# ---------------------------------------------------------------------------- links


def test_links() -> None:
    source = (
        "<p>Read <a href='/privacy'>our <b>privacy</b>\npolicy</a>, "
        "<a href=\"mailto:dpo@x.example\">write</a> or <a href='https://x.example/?a=1&amp;b=2'></a>"
        "<a name='anchor'>not a link</a> <a href='/logo'><img src='l.png' alt='Acme &amp; Co'></a></p>"
    )
    doc = parse(source, "p.html")
    assert [(link.text, link.target) for link in doc.links] == [
        ("our privacy policy", "/privacy"),
        ("write", "mailto:dpo@x.example"),
        ("", "https://x.example/?a=1&b=2"),
        ("Acme & Co", "/logo"),
    ]
    spans = [source[link.source_start : link.source_end] for link in doc.links]
    assert spans[0] == "<a href='/privacy'>our <b>privacy</b>\npolicy</a>"
    assert spans[2] == "<a href='https://x.example/?a=1&amp;b=2'></a>"
    assert spans[3] == "<a href='/logo'><img src='l.png' alt='Acme &amp; Co'></a>"
    first = doc.locate_source(doc.links[0].source_start, doc.links[0].source_end)
    assert (first.line, first.column, first.end_line, first.end_column) == (1, 9, 2, 10)
    for link in doc.links:
        assert doc.text[link.start : link.end] == link.text
    assert where(doc, "Acme") == (2, source.split("\n")[1].index("Acme") + 1)
    assert where(doc, "Co") == (2, source.split("\n")[1].index("Co'") + 1)


def test_unclosed_link_ends_at_its_block() -> None:
    doc = parse("<p><a href='/x'>open link</p><p>after</p>", "p.html")
    (link,) = doc.links
    assert link.text == "open link"
    assert doc.source[link.source_start : link.source_end] == "<a href='/x'>open link"


def test_nested_anchor_closes_the_first() -> None:
    doc = parse("<a href='/1'>one <a href='/2'>two</a>", "p.html")
    assert [(link.text, link.target) for link in doc.links] == [("one", "/1"), ("two", "/2")]


# ---------------------------------------------------------------------------- sections


def test_sections_nest_by_heading_level() -> None:
    source = "<h1>Top</h1><p>intro</p><h2>A</h2><p>a</p><h3>A1</h3><p>deep</p><h2>B</h2><p>b</p>"
    doc = parse(source, "p.html")
    assert [doc.heading_text(i) for i in range(len(doc.sections))] == ["Top", "A", "A1", "B"]
    assert [section.parent for section in doc.sections] == [-1, 0, 1, 0]
    deep = next(i for i, b in enumerate(doc.blocks) if doc.text[b.start : b.end] == "deep")
    assert [doc.heading_text(s) for s in doc.section_chain(deep)] == ["A1", "A", "Top"]


# ---------------------------------------------------------------------------- malformed input


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("<p>one<p>two<p>three", [(P, 0, "one"), (P, 0, "two"), (P, 0, "three")]),
        ("<ul><li>one<li>two</ul>after", [(IT, 0, "one"), (IT, 0, "two"), (P, 0, "after")]),
        ("<table><tr><td>a<td>b<tr><td>c</table>", [(C, 0, "a"), (C, 0, "b"), (C, 0, "c")]),
        ("<dl><dt>t<dd>d</dl>", [(P, 0, "t"), (P, 0, "d")]),
        ("</div></p></li>text</span></b>", [(P, 0, "text")]),
        ("<b><p>bold para</b> rest</p>", [(P, 0, "bold para rest")]),
        ("<h2>heading<h3>next</h3>", [(H, 2, "heading"), (H, 3, "next")]),
        ("<head><title>t</title><p>no body tag</p>", [(P, 0, "no body tag")]),
        ("<p>a</p><!-- never closed <p>secret</p>", [(P, 0, "a")]),
        ("<p>a</p><!-- odd close --!><p>b</p>", [(P, 0, "a"), (P, 0, "b")]),
        ("<p>a</p><div class='unterminated", [(P, 0, "a")]),
        ("<p>a</p><script>never closed <p>secret</p>", [(P, 0, "a")]),
        ("<p>x</p><![weird section]><p>y</p>", [(P, 0, "x"), (P, 0, "y")]),
        ("<?xml version='1.0'?><p>xml</p>", [(P, 0, "xml")]),
        ("<p>a</br>b</p>", [(P, 0, "a"), (P, 0, "b")]),
        ("<div/><p>self-closed div</p>", [(P, 0, "self-closed div")]),
        ("<P CLASS='X'>Upper case</P>", [(P, 0, "Upper case")]),
    ],
)
def test_malformed(source: str, expected: list[tuple[BlockKind, int, str]]) -> None:
    assert blocks(parse(source, "p.html")) == expected


@pytest.mark.parametrize(
    "source",
    [
        "<div>" * 100_000 + "deep text" + "</div>" * 100_000,
        "<div>" * 100_000 + "deep text",
        "<span>" * 50_000 + "deep text" + "</b>" * 50_000,
        "<p><table>" + "<span>" * 20_000 + "<div>" * 20_000 + "deep text",
        "<a href='x'>" * 10_000 + "deep text",
        "<li>" * 50_000 + "deep text",
    ],
    ids=["divs", "unclosed-divs", "stray-end-tags", "scope-boundary", "anchors", "items"],
)
def test_deep_nesting(source: str) -> None:
    assert parse(source, "p.html").text.endswith("deep text")


_PIECES = st.sampled_from(
    ["<p>", "</p>", "<div>", "</div>", "<a href='x'>", "</a>", "<li>", "<ul>", "</ul>", "<table>", "<td>", "<tr>",
     "</table>", "<!--", "-->", "<![CDATA[", "]]>", "<![if x]>", "&amp;", "&#", "&#x", "&#12;", "&nbsp", "&", "<",
     ">", "</", "<script>", "</script>", "<style>", "<br>", "<h2>", "</h2>", "<img alt='A &amp; b'>", "<nav>",
     "</nav>", "\r\n", "\n", " ", "word", "Text.", "<b>", "</b>", "<p hidden>", "<select>", "<button>", "<head>",
     "<body>", "<main>", "<header>", "</header>", "<?xml", "<!DOCTYPE html>", "<x-y>", '"', "'", "=", "<svg>",
     "<title>", "</li>"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=60).map("".join))
def test_words_map_back_to_the_source(source: str) -> None:
    doc = parse(source, "p.html")
    for match in re.finditer(r"\S+", doc.text):
        offset = doc.source_map.to_source(match.start())
        word = match.group()
        # verbatim words sit at their offset; decoded ones start at their "&"
        assert source.startswith(word, offset) or source[offset : offset + 1] in ("&", word[0])
    for link in doc.links:
        assert 0 <= link.source_start <= link.source_end <= len(source)
        assert doc.text[link.start : link.end] == link.text
