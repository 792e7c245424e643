"""The scan prefilters: literal prefixes of regexes, the word index, and their equivalence to a full scan."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policylint.checks import _terms, compile_terms
from policylint.detectors import Context
from policylint.document import parse_document
from policylint.engine import Scan, WordIndex
from policylint.model import TEXT_WHITESPACE
from policylint.prefilter import (
    candidate_starts,
    caseless,
    ignores_case,
    literal_prefixes,
    match_spans,
    matches_before_literal,
    plain_digits,
    run_before_literal,
    starts_at_words,
    starts_lines,
    word_heads,
)


@pytest.mark.parametrize(
    ("pattern", "flags", "expected"),
    [
        (r"\b(?:you\s+have|right\s+to|rights?\s+include)", re.I, ("right", "you")),
        (r"(?-i:\b(?:[Qq]uestion|[Cc]oncern))", re.I, ("concern", "question")),
        (r"(?m)^privacy\s+policy", 0, ("privacy",)),
        (r"Safe\s+Harbou?r", 0, ("safe",)),
        (r"(?:opt)+-out", 0, ("opt",)),
        (r"(?<!\w)(?:e-?mail|email)", 0, ("e-", "email")),
        (r"[a-z]+@example\.com", 0, None),  # a class of many characters
        (r"(?:the\s+)?right", 0, ("right", "the")),  # an optional item: it, or what follows
        (r"(?:a\s+)?copy", 0, None),  # "a" alone is too common
        (r"(?<!\w)(?:copyright|archived)|©", 0, ("archived", "copyright", "©")),  # one rare symbol is fine
        (r"x*", 0, None),
        (r"\d{3}-\d{4}", 0, tuple("0123456789")),  # digits are rare enough to start from
        (r"\(?\b\d{3}\)?", 0, ("(", *"0123456789")),
        (r"(?:1[1-9]|[2-9]\d|\d{3})\s*days", re.I, tuple("0123456789")),  # too many two-digit prefixes: one digit
        (r"[a-z]\d", 0, None),  # a wide range: not expanded
        (r"(", 0, None),  # invalid: no prefilter, the caller reports the regex
    ],
)
def test_literal_prefixes(pattern: str, flags: int, expected: tuple[str, ...] | None) -> None:
    assert literal_prefixes(pattern, flags) == expected


@pytest.mark.parametrize(
    ("pattern", "flags", "expected"),
    [
        (r"SE|AG|Inc", 0, ("AG", "Inc", "SE")),  # case kept: "SE" is rare where "se" is everywhere
        (r"\bP\.?\s?O\.?\s+Box", 0, ("P\n", "P ", "P.", "PO\n", "PO ", "PO.")),  # \s: a space or a newline only
        (r"a\s+month", 0, ("a\n", "a ")),
        (r"[Qq]uestion", 0, ("Question", "question")),
    ],
)
def test_cased_prefixes_for_normalised_text(pattern: str, flags: int, expected: tuple[str, ...]) -> None:
    assert not ignores_case(pattern, flags)
    assert literal_prefixes(pattern, flags, spaces=" \n", cased=True) == expected
    assert literal_prefixes(r"a\s+month", flags) is None  # any text: \s ends the prefix, "a" is too common


@pytest.mark.parametrize(
    ("pattern", "flags", "expected"),
    [
        (r"abc", 0, False),
        (r"abc", re.I, True),
        (r"(?i)abc", 0, True),
        (r"x(?i:abc)", 0, True),
        (r"x(?:y|(?i:z))+", 0, True),
        (r"x(?-i:abc)", re.I, True),  # partly
        (r"(?=(?i:a))b", 0, True),
        (r"(", 0, True),  # unsure: ignore case
    ],
)
def test_ignores_case(pattern: str, flags: int, expected: bool) -> None:
    assert ignores_case(pattern, flags) is expected


def test_phrases_that_start_inside_words_keep_a_literal_start() -> None:
    terms = compile_terms(["@", '"do not track', "opt-out"])
    assert (terms.anchors, terms.literals) == ((("opt", True, ("out",)), ("optout", False, ())), ('"do', "@"))
    assert compile_terms(["-x"]).anchors is None  # no literal start: scanned in full


def test_leads_name_the_first_word_and_the_next_words_start() -> None:
    terms = compile_terms(["we may", "we will share", "we", "collect* data", "opt-out of", "e-mail", "right to"])
    assert terms.anchors == (
        ("collect", False, ("data",)),
        ("e", True, ("mail",)),  # "e-mail", "e mail"...
        ("email", False, ()),  # ... and "email": a hyphen may be nothing
        ("opt", True, ("out",)),
        ("optout", False, ()),
        ("right", True, ("to",)),
        ("we", True, ()),  # the phrase "we" alone: any next word
    )
    assert compile_terms(["we may", "we will"]).anchors == (("we", True, ("may", "will")),)
    assert compile_terms(["children's data", "u.s.", "str.", "co-*"]).anchors == (
        ("children", True, ("s",)),  # punctuation ends a word of the text
        ("co", False, ()),
        ("str", True, ()),
        ("u", True, ("s",)),
    )


def test_a_phrase_opening_with_an_apostrophe_starts_with_either() -> None:
    terms = compile_terms(["do not track", "’do not track", "DNT"])
    assert terms.anchors == (("do", True, ("not",)),)
    assert terms.literals == ("'do", "’do")
    doc = parse_document("the 'do not track' and ’do not track’ signals", "text")
    assert Scan(doc, Context()).spans(terms) == ((4, 17), (23, 36)) == tuple(m.span() for m in terms.finditer(doc))


def test_one_word_phrases_no_other_phrase_starts_at_are_read_off_the_index() -> None:
    terms = compile_terms(["for", "to", "data", "data controller", "cookie*", "cookie policy", "purpose*", "e", "e-mail",
                           "in order to", "DNT"])
    assert terms.direct == (("dnt", "for", "to"), ("purpose",))  # data, cookie* and e share words with longer phrases
    assert terms.anchors == (  # "data" alone lets any word follow "data"
        ("cookie", False, ()), ("cookie", True, ("policy",)), ("data", True, ()), ("e", True, ()), ("email", False, ()),
        ("in", True, ("order",)),
    )
    doc = parse_document("In order to process data for the Data Controller, to cookies: purposes of DNT e-mail.", "text")
    spans = Scan(doc, Context()).spans(terms)
    assert spans == tuple(m.span() for m in terms.finditer(doc))
    assert [doc.text[start:end] for start, end in spans] == [
        "In order to", "data", "for", "Data Controller", "to", "cookies", "purposes", "DNT", "e-mail"
    ]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from(["for", "to", "data", "controller", "cookie", "cookies", "policy", "purpose", "e", "mail",
                              "-", "in", "order", "\n", ",", "Data", "TO"]), max_size=30).map(" ".join)
)
def test_phrase_lists_with_direct_words_match_a_full_scan(text: str) -> None:
    doc = parse_document(text or ".", "text")
    for phrases in (
        ["for", "to", "data controller", "cookie policy", "purpose*", "e-mail", "in order to"],
        ["data", "to", "order", "in order", "cookie*", "e", "mail", "policy"],
        ["cookies", "cookie* policy", "to"],  # "cookies policy" is the longer phrase, not the word
    ):
        terms = compile_terms(phrases)
        assert terms.direct
        assert Scan(doc, Context()).spans(terms) == tuple(
            (m.start(), m.end()) for m in terms.finditer(doc) if m.end() > m.start()
        )


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(["e", "-", "mail", "email", "e-mail", "e‑mail", "emails", "u", ".", "s", "u.s.", "us", "children",
                         "'", "’", "children's", "childrens", "str", "str.", "opt", "out", "opt-out", "optout", "\n", " "]),
        max_size=30,
    ).map("".join)
)
def test_phrase_lists_with_punctuation_inside_words_match_a_full_scan(text: str) -> None:
    doc = parse_document(text or ".", "text")
    terms = compile_terms(["e-mail*", "u.s.", "children's", "str.", "opt-out", "opt out of"])
    assert Scan(doc, Context()).spans(terms) == tuple(
        (m.start(), m.end()) for m in terms.finditer(doc) if m.end() > m.start()
    )


def test_lead_starts_are_the_words_a_phrase_can_start_at() -> None:
    text = "we may. we, will we share; we\nmaybe wee may"
    index = WordIndex.of(text)
    starts = index.lead_starts([("we", True, ("may", "will"))])
    assert [text[i : i + 6] for i in starts] == ["we may", "we, wi", "we\nmay"]  # a superset: the regex decides
    assert index.lead_starts([("we", False, ())]) == [0, 8, 17, 27, 36]  # "we" and "wee"
    assert index.lead_starts([("we", True, ("ma", "may"))]) == [0, 27]  # overlapping next words: each start once


def test_case_sensitive_lists_look_up_lower_cased_leads_in_the_folded_index() -> None:
    assert compile_terms(["Do Not Track", "DNT"], case_sensitive=True).anchors == (("dnt", True, ()), ("do", True, ("not",)))
    assert compile_terms(["Straße Nord"], case_sensitive=True).anchors == (("straße", True, ("nord",)),)
    assert compile_terms(["ΣΟΦΙΑ"], case_sensitive=True).anchors is None  # a sigma's case depends on what follows
    doc = parse_document("Do Not Track, do not track, DO NOT TRACK and Straße Nord, ΣΟΦΙΑ", "text")
    for phrases in (["Do Not Track", "DO NOT TRACK"], ["Straße Nord"], ["ΣΟΦΙΑ"]):
        terms = compile_terms(phrases, case_sensitive=True)
        assert Scan(doc, Context()).spans(terms) == tuple(m.span() for m in terms.finditer(doc))
        assert Scan(doc, Context()).spans(terms)


def test_one_word_phrase_lists_are_answered_from_the_index() -> None:
    assert compile_terms(["Use", "collect*", "uses"]).words == (("use", "uses"), ("collect",))
    assert compile_terms(["use", "we use"]).words is None
    assert compile_terms(["opt-out"]).words is None


@pytest.mark.parametrize("text", ["the ſafe harbor", "İnc. and ınc.", "SAFE Harbor"])
def test_ignorecase_matches_are_found_through_the_caseless_copy(text: str) -> None:
    for source in (r"safe\s+harbor", r"\binc\."):
        pattern = re.compile(source, re.IGNORECASE)
        literals = literal_prefixes(source, re.IGNORECASE)
        assert literals is not None
        full = tuple(m.span() for m in pattern.finditer(text))
        assert match_spans(pattern, text, candidate_starts(caseless(text), literals)) == full


def test_other_scripts_digits_are_found_through_the_caseless_copy() -> None:
    text = "call ٨٠٠-١٢٣٤ or 555-1234"
    pattern = re.compile(r"\d{3}-\d{4}")
    literals = literal_prefixes(pattern.pattern)
    assert literals is not None
    assert match_spans(pattern, text, candidate_starts(caseless(text), literals)) == ((5, 13), (17, 25))


def test_candidate_starts_finds_overlapping_occurrences_in_order() -> None:
    assert candidate_starts("aaa ab", ["aa", "ab"]) == [0, 1, 4]


def test_word_index_starts_cover_prefixes() -> None:
    index = WordIndex.of("children's child, a kid; kids and minors")
    text = "children's child, a kid; kids and minors"
    assert [text[i : i + 5] for i in index.starts(["child", "kid"])] == ["child", "child", "kid; ", "kids "]


WORDS = ["you", "have", "the", "right", "rights", "to", "opt-out", "opt", "out", "Cookie", "cookies", "é", "\n", ".", "  ",
         "a@b", "@", '"do', "not", "track", "x\"do", "12", "800", "(800)", "٣٤٥", "1٢", "days", "-", "P.O.", "PO", "Box",
         "SE", "AG", "a", "(3)", "day", "\t", "\xa0", "ſe", "İnc", "Inc.", "inc"]
PATTERNS = [
    (r"\b(?:you\s+have|right\s+to|rights?\s+(?:to|have))[^\n.]{0,20}", re.I),
    (r"(?m)^right\s+(?:to|of)", re.I),
    (r"(?m)^(?:the\s+)?(?:right\s+)?(?:to|have)\b", re.I),  # line starts that begin with these words
    (r"\b(?:you|the)\s+(?:have\s+)?(?:right|rights|cookie)\b", re.I),  # tried where the next word fits
    (r"\b(?:Do|do)[^\S\n]+not\s+track", 0),
    (r"cookies?\b", 0),
    (r"Cookie", 0),
    (r"opt[\s-]?out", re.I),
    (r"(?:you\s+)?(?:have\s+)?the\s+right", re.I),
    (r"@\w+|(?:the\s+)?cookies?", 0),
    (r"\(?\b\d{3}\)?[\s.-]?\d{2}", 0),  # \d also matches other scripts' digits
    (r"\b(?:1[1-9]|[2-9]\d|\d{3})\s*days", re.I),
    (r"\bP\.?\s?O\.?\s+Box|\b(?:SE|AG)\b|[Cc]ookie", 0),
    (r"(?:a|one|\d)\s*(?:\(\d\)\s*)?days?", 0),
    (r"(?:\bSE\b|\bAG|(?<!\w)Inc\.?)", 0),  # every match starts a word: found through the word index
    (r"\b(?:se|inc)\b", re.I),  # ſ and İ match s and i only under re.IGNORECASE
    (r"\b\d{2}", 0),
]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=40).map(" ".join))
def test_prefiltered_scans_equal_full_scans(text: str) -> None:
    doc = parse_document(text, "text")
    folded = caseless(doc.text)
    for source, flags in PATTERNS:
        pattern = re.compile(source, flags)
        full = tuple((m.start(), m.end()) for m in pattern.finditer(doc.text) if m.end() > m.start())
        tried = 0
        for copy, prefixes in (
            (folded, literal_prefixes(source, flags)),
            (folded, literal_prefixes(source, flags, spaces=TEXT_WHITESPACE)),
            (plain_digits(doc.text), None if ignores_case(source, flags) else literal_prefixes(
                source, flags, spaces=TEXT_WHITESPACE, cased=True)),
        ):
            if prefixes is not None:
                assert match_spans(pattern, doc.text, candidate_starts(copy, prefixes)) == full
                tried += 1
        assert tried >= 1 + (not ignores_case(source, flags))  # the spaced and cased prefixes always exist here
        assert Scan(doc, Context()).spans(_terms(source, flags)) == full  # through the word index where it serves
    for phrases in (
        ["right to", "rights"],
        ["opt-out", "cookie*"],
        ["you have the right"],
        ["@", '"do not track', "out"],
        ["cookie*", "right", "you", "rights"],  # one-word phrases: answered by the word index alone
        ["you have", "you have the right", "opt-out cookies", "the right", "right to", "cookie* out"],
        ["Cookie", "SE", "PO Box", "Do not track", "Opt-Out"],
    ):
        for case_sensitive in (False, True):
            terms = compile_terms(phrases, case_sensitive=case_sensitive)
            full = tuple((m.start(), m.end()) for m in terms.finditer(doc) if m.end() > m.start())
            assert Scan(doc, Context()).spans(terms) == full


@pytest.mark.parametrize(
    ("pattern", "flags", "expected"),
    [
        (r"\bfoo", 0, True),
        (r"(?<!\w)foo", re.I, True),
        (r"(?:\byou|\bwe)\s+may", 0, True),
        (r"(?-i:\bSE)", re.I, True),
        (r"(?:\byou|we)", 0, False),  # one branch can start inside a word
        (r"foo\b", 0, False),
        (r"(?<![\w.])foo", 0, False),
        (r"\bfoo", re.ASCII, False),  # ASCII word boundaries are not the index's words
        (r"(?a:\bfoo)", 0, False),
    ],
)
def test_starts_at_words(pattern: str, flags: int, expected: bool) -> None:
    assert starts_at_words(pattern, flags) is expected


def test_word_heads_name_the_words_prefixes_begin() -> None:
    assert word_heads(["the ", "the\n", "effective", "e-", "Inc"]) == (
        ("e", True, ()), ("effective", False, ()), ("inc", False, ()), ("the", True, ())
    )
    assert word_heads(["(", "the "]) is None  # a prefix that does not begin a word
    assert word_heads(["straße", "oü"]) is None  # re.IGNORECASE also equates letters str.lower keeps apart (µ, μ)
    assert word_heads(["straße", "oü"], cased=True) == (("oü", False, ()), ("straße", False, ()))
    assert word_heads(["İnc"], cased=True) is None  # lower-cased, İ is two characters: fold() keeps it as it is
    assert word_heads(["σοφια"], cased=True) is None  # str.lower() writes a sigma by what follows it


def test_ignoring_case_a_regex_with_non_ascii_words_is_not_found_through_the_index() -> None:
    terms = _terms(r"\bμg\b", re.IGNORECASE)  # matches the micro sign too, which lower() keeps apart
    assert terms.heads is None
    doc = parse_document("5 µg and 5 μg", "text")
    assert Scan(doc, Context()).spans(terms) == tuple(m.span() for m in terms.finditer(doc)) == ((2, 4), (11, 13))


def test_word_heads_name_the_next_words_after_a_gap() -> None:
    assert word_heads(["the p", "the notice", "our ", "our policy", "Inc. (", "a, b"]) == (
        ("a", True, ("b",)),  # any non-word characters between the words
        ("inc", True, ()),  # "(": the next word is unknown
        ("our", True, ()),  # "our " alone allows any next word
        ("the", True, ("notice", "p")),
    )
    assert word_heads(["the pé", "the İ"]) == (("the", True, ()),)  # a next word whose case needs context: any


@pytest.mark.parametrize(
    ("pattern", "flags", "expected"),
    [
        # an optional word ends the prefix there: "the privacy " or "the policy"
        (r"\b(?:this|the)\s+(?:privacy\s+)?policy", re.I, ("the policy", "the privacy ", "this policy", "this privacy ")),
        (r"you[^\S\n]+have +the", 0, ("you have the",)),
        (r"you\s+\(", 0, ("you (",)),
    ],
)
def test_collapsed_prefixes_go_on_past_whitespace_runs(pattern: str, flags: int, expected: tuple[str, ...]) -> None:
    assert literal_prefixes(pattern, flags, spaces=TEXT_WHITESPACE, collapse=True) == expected
    assert literal_prefixes(pattern, flags, spaces=TEXT_WHITESPACE) != expected  # not strings of the text


def test_optional_whitespace_is_not_collapsed() -> None:  # \s* may be empty: "youhave"
    assert literal_prefixes(r"you\s*have", 0, spaces=TEXT_WHITESPACE, collapse=True) == ("you\n", "you ", "youhave")


def test_regexes_tried_at_their_first_two_words() -> None:
    terms = _terms(r"\b(?:this|the)\s+(?:privacy\s+)?(?:policy|notice)\b", re.I)
    assert terms.heads == (("the", True, ("notice", "policy", "privacy")), ("this", True, ("notice", "policy", "privacy")))
    lines = _terms(r"(?m)^(?:the\s+)?right\s+to\b", re.I)
    assert lines.at_lines
    assert lines.heads == (("right", True, ("to",)), ("the", True, ()))
    doc = parse_document("The policy, the\n\nright to know, the  privacy notice; the other policy.\nright to", "text")
    for each in (terms, lines):
        assert Scan(doc, Context()).spans(each) == tuple(m.span() for m in each.finditer(doc))
    assert [doc.text[start:end] for start, end in Scan(doc, Context()).spans(terms)] == ["The policy", "the privacy notice"]
    assert [doc.text[start:end] for start, end in Scan(doc, Context()).spans(lines)] == ["right to", "right to"]


def test_regexes_found_through_the_word_index_match_a_full_scan_in_odd_texts() -> None:
    for text, source, flags in [
        ("the ſe and SE or İnc", r"\b(?:se|inc)\b", re.I),  # caseless copy differs from the folded text
        ("call ٨٠ or 80 now", r"\b\d{2}", 0),  # other scripts' digits: the plain copy differs from the text
        ("Apple Inc. and INC and inc", r"(?<!\w)Inc\b", 0),
    ]:
        doc = parse_document(text, "text")
        terms = _terms(source, flags)
        assert terms.heads is not None
        full = tuple(m.span() for m in re.finditer(source, doc.text, flags))
        assert Scan(doc, Context()).spans(terms) == full


@pytest.mark.parametrize(
    ("pattern", "flags", "expected"),
    [
        (r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}", re.I, (r"[\w\.\+\-]", "@")),
        (r"(?<![\w.+-])[\w.+-]+@[\w-]+\.[a-z]{2,}", re.I, (r"[\w\.\+\-]", "@")),  # the same class looked behind
        (r"\b[\w.+-]+@x", 0, None),  # \b can hold inside a run: every start must be tried
        (r"(?<!x)[a-z]+@", 0, None),
        (r"[^\s]+@x", 0, None),  # the class holds the literal
        (r"\w{1,5}@", 0, None),  # a bounded run can start inside a longer one
        (r"\w*@", 0, None),  # an empty run: the match can start at the literal
    ],
)
def test_run_before_literal(pattern: str, flags: int, expected: tuple[str, str] | None) -> None:
    assert run_before_literal(pattern, flags) == expected


EMAILISH = ["a", "b.c", "@", "x@y.com", ".", "+", "-", " ", "a@b@c.de", "com.x@c.com", "É", "_", "\n", "Mail@Acme.COM", ".x"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(EMAILISH), max_size=30).map("".join))
def test_runs_before_a_literal_find_what_a_full_scan_finds(text: str) -> None:
    for source, flags in [
        (r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}", re.I),
        (r"(?<![\w.+-])[\w.+-]+@[\w-]+\.[a-z]{2,}", re.I),
        (r"[a-z.]+@[a-z]", 0),
    ]:
        shape = run_before_literal(source, flags)
        assert shape is not None
        pattern, run = re.compile(source, flags), re.compile(shape[0], flags)
        full = [m.span() for m in pattern.finditer(text)]
        assert [m.span() for m in matches_before_literal(pattern, text, run, shape[1])] == full


@pytest.mark.parametrize(
    ("pattern", "flags", "expected"),
    [(r"(?m)^abc", 0, True), (r"^abc", re.M, True), (r"^abc", 0, False), (r"a^", re.M, False), (r"(?m)x|^a", 0, False)],
)
def test_starts_lines(pattern: str, flags: int, expected: bool) -> None:
    assert starts_lines(pattern, flags) is expected


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=40).map(" ".join))
def test_line_start_patterns_are_tried_at_line_starts_only(text: str) -> None:
    from policylint.checks import _terms

    doc = parse_document(text, "text")
    for source in (r"(?m)^(?:the\s+)?right", r"(?m)^[^\n]{0,20}?\bcookies?\b", r"(?m)^\W"):
        terms = _terms(source, re.IGNORECASE)
        assert terms.at_lines
        full = tuple((m.start(), m.end()) for m in terms.finditer(doc) if m.end() > m.start())
        assert Scan(doc, Context()).spans(terms) == full


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(["a", "B", "é", "_", "7", "٣", " ", "\n", "-", "’", "."]), max_size=60))
def test_word_index_holds_every_run_of_word_characters(text: str) -> None:
    index = WordIndex.of(text)
    runs = list(re.finditer(r"\w+", text))
    assert list(index.tokens) == [run.group() for run in runs]
    assert list(index.offsets) == [run.start() for run in runs]
    assert {word: list(where) for word, where in index.ordinals.items()} == {
        word: [i for i, run in enumerate(runs) if run.group() == word] for word in index.vocabulary
    }


LEADS = [
    ("we", True, ("may", "will")),
    ("we", True, ("ma", "may")),  # overlapping next-word prefixes: each start once
    ("we", False, ("s",)),  # "we" and "wee", then a word beginning with "s"
    ("right", True, ()),
    ("right", False, ("to", "")),
    ("zzz", True, ("a",)),  # absent
]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from(["we", "wee", "may", "maybe", "will", "share", "right", "rights", "to", ",", "\n"]), max_size=40)
    .map(" ".join),
    st.lists(st.sampled_from(LEADS), min_size=1, max_size=4),
)
def test_lead_starts_equal_a_pass_over_the_words(text: str, leads: list[tuple[str, bool, tuple[str, ...]]]) -> None:
    runs = list(re.finditer(r"\w+", text))
    expected = sorted({
        run.start()
        for at, run in enumerate(runs)
        for head, exact, following in leads
        if (run.group() == head if exact else run.group().startswith(head))
        and (not following or (runs[at + 1].group() if at + 1 < len(runs) else "").startswith(following))
    })
    index = WordIndex.of(text)
    assert index.lead_starts(leads) == expected
    assert index.lead_starts(leads) == expected  # again, from the memo
