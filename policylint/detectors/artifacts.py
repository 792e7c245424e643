"""``template-artifact``: template, page-builder and CMS residue leaked into the prose.

Reported: unfilled placeholders (``{{company}}``, ``{% if %}``, ``<%= site_name %>``,
``${companyName}``, ``%%SITE%%``, ``[[SITE_NAME]]``, ``__COMPANY_NAME__``, ``COMPANY_NAME``,
``[COMPANY NAME]``, ``[Company Name]``, ``<Company>``, ``INSERT DATE HERE``, ``MM/DD/YYYY``),
CSS class names (``layout-u-3-4``, ``col-md-8``, ``elementor-widget-container``,
``wpb_text_column``), icon-font ligatures (``more_vert``), WordPress shortcodes
(``[contact-form-7 id="1"]``), block-editor comments (``<!-- wp:paragraph -->``), HTML tags
and entities shown as text, Lorem ipsum and page-builder dummy text ("Click to edit this
text"), and bracket residue of lost characters (``[ Contests]``, ``[and]``).

Not reported: ordinary brackets ("[1]", "[1-800-843-2665]", "[sic]", "[Re: Privacy]"),
e-mail obfuscations (``membership{at}aaas.org``, ``legal [at] acme [dot] com``), hyphenated
words and model numbers, cookie names, and anything inside a URL or e-mail address.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from heapq import merge
from typing import Any

from policylint.detectors import Context, Finding
from policylint.detectors._scan import run_start, run_starts
from policylint.detectors._web import inside, ref_spans, words
from policylint.model import Document
from policylint.prefilter import candidate_starts, caseless, matches_at
from policylint.regexcode import compiled

_PLACEHOLDER_WORDS = (
    r"company|business|organi[sz]ation|entity|brand|name|site|website|web\s*site|url|domain"
    r"|app|application|product|service|date|address|e-?mail|phone|telephone|number|state"
    r"|country|city|zip|postcode|jurisdiction|year|month|day|insert|your|placeholder|owner"
    r"|operator|title|heading|start|end|text|content|logo"
)
# The whole of a placeholder in Title Case or lower case: "Company Name", "your company",
# "Insert date", "Effective Date", "e-mail address".
_PLACEHOLDER_PHRASE = compiled(
    rf"insert\b.*|(?:enter|add)\s+(?:(?:your|the)\s+)?(?:{_PLACEHOLDER_WORDS})\b.*"
    r"|(?:(?:your|the|our)\s+)?(?:legal\s+|full\s+|registered\s+|trading\s+)?"
    r"(?:company|business|organi[sz]ation|entity|brand|website|web\s*site|site|app|product|service|store|shop)"
    r"(?:\s+(?:name|url|address|domain))?"
    r"|(?:(?:your|the|our)\s+)?(?:name|full\s+name|date|effective\s+date|last\s+updated(?:\s+date)?|address"
    r"|(?:postal\s+|mailing\s+|street\s+)address|e-?mail(?:\s+address)?|phone(?:\s+number)?|telephone"
    r"|state|country|city|jurisdiction|url|domain|year|dpo(?:\s+(?:name|e-?mail))?)",
    re.IGNORECASE,
)
# Nouns that make an upper-case bracket a placeholder: "[COMPANY NAME]", "[INSERT DATE]".
_UPPER_KEYWORD = compiled(
    r"(?<![A-Z])(?:COMPANY|BUSINESS|ORGANI[SZ]ATION|ENTITY|BRAND|NAME|SITE|WEBSITE|URL|DOMAIN|APP"
    r"|PRODUCT|DATE|ADDRESS|E-?MAIL|PHONE|NUMBER|STATE|COUNTRY|CITY|ZIP|JURISDICTION|YEAR|INSERT"
    r"|PLACEHOLDER|TBD|TODO|LOGO)(?![A-Z])"
)
_CONNECTOR = compiled(r"\s*(?:and|or|&)\s*", re.IGNORECASE)
_SHORTCODE_NAMES = words(
    """gallery caption embed audio video playlist contact-form contact-form-7 wpforms gravityform
    gravityforms ninja_form formidable mc4wp_form cookie_settings cookie_button cmplz-document
    ultimate_gdpr_form gdpr_privacy_policy wp_privacy_policy"""
)
_SHORTCODE_PREFIX = compiled(r"(?:vc|et_pb|fusion|av|su|cs|ux|mk|wpb|ts|td|rev|tm|x|fl|elementor|cmplz)_")
_SHORTCODE = compiled(
    r"/?(?P<name>[a-z][a-z0-9_-]*)(?P<attrs>(?>\s+[a-z_-]+\s*=\s*(?:\"[^\"\]]*\"|'[^'\]]*'|[^\s\]\"']+))*)\s*/?",
)
_ICON_LIGATURES = (
    "more_vert|more_horiz|expand_more|expand_less|arrow_drop_down|arrow_drop_up|arrow_forward_ios"
    "|arrow_forward|arrow_back_ios|arrow_back|arrow_right_alt|chevron_right|chevron_left"
    "|keyboard_arrow_down|keyboard_arrow_up|keyboard_arrow_left|keyboard_arrow_right|open_in_new"
    "|content_copy|check_circle|navigate_next|navigate_before|add_circle|remove_circle|play_arrow"
)
_CSS_CLASSES = (
    # grid systems: Pure/YUI (pure-u-1-2, layout-u-3-4), Bootstrap (col-md-8), Foundation,
    # UIkit (uk-width-1-2), Bulma (is-6)
    r"(?:[a-z]+-)+u-\d{1,2}(?:-\d{1,2})?|u-\d{1,2}-\d{1,2}"
    r"|col(?:-(?:xs|sm|md|lg|xl|xxl))?(?:-offset)?-\d{1,2}|col-(?:xs|sm|md|lg|xl|xxl)"
    r"|(?:small|medium|large|xlarge)-(?:offset-)?\d{1,2}|uk-width-\d-\d|grid-x|is-\d{1,2}"
    r"|(?:offset|push|pull)-(?:xs|sm|md|lg|xl)-\d{1,2}|span\d{1,2}|row-fluid|container-fluid"
    # page builders and CMS themes
    r"|elementor(?:-[a-z0-9]+)+|(?:wpb|vc|et_pb|av|tve)_[a-z0-9_-]+|fusion-[a-z0-9-]+"
    r"|wp-block-[a-z0-9-]+|fl-(?:row|col|module|builder|rich-text|node|photo|html|heading|button)[a-z0-9-]*"
    r"|sqs-block[a-z0-9-]*|has-[a-z0-9-]+-(?:color|background-color|font-size)"
    r"|(?:entry|post|page|site|main|article)-(?:content|body|inner|header|footer)|content-area|site-main"
    r"|widget-area|mw-parser-output|field-items?|field-name-[a-z0-9-]+|node-content|w-richtext|rich-text"
    # Bootstrap utilities
    r"|clearfix|sr-only|visually-hidden|text-(?:center|muted|justify)|btn(?:-[a-z]+)+"
    r"|d-(?:none|flex|block|inline-block)|float-(?:left|right)"
    r"|pull-(?:left|right)|navbar-[a-z-]+|nav-(?:item|link|tabs|pills)|dropdown-(?:menu|item|toggle)"
    r"|card-(?:body|title|text|header|footer)|list-(?:unstyled|inline)|img-(?:responsive|fluid)"
    r"|(?:hidden|visible)-(?:xs|sm|md|lg)"
    # BEM block__element--modifier
    r"|[a-z][a-z0-9]*(?:-[a-z0-9]+)*__[a-z0-9]+(?:-[a-z0-9]+)*(?:--[a-z0-9-]+)?"
)
_DUMMY_TEXT = (
    r"click\s+to\s+edit(?:\s+this)?(?:\s+text)?|click\s+here\s+to\s+(?:add|edit)\s+your\s+own\s+text"
    r"|add\s+your\s+own\s+text\s+and\s+edit\s+me|i['’]m\s+a\s+(?:paragraph|title)\b[^.\n]{0,80}"
    r"|this\s+is\s+a\s+paragraph\.\s+click|your\s+content\s+goes\s+here|edit\s+or\s+remove\s+this\s+text"
    r"|(?:insert|enter|type|add|write)\s+your\s+(?:own\s+)?text\s+here|your\s+text\s+here"
    r"|double[-\s]click\s+to\s+edit|(?:change|replace)\s+this\s+(?:sample\s+)?text"
    r"|start\s+writing\s+here|(?:heading|title|text)\s+goes\s+here|click\s+here\s+to\s+edit\b"
    r"|click\s+(?:the\s+)?edit\s+button\s+to\s+change\s+this\s+text|type\s+/\s+to\s+choose\s+a\s+block"
)


_CSS = "CSS class name"
_MIN_LETTERS = 2


Starts = Callable[[str], Iterable[int]]


@dataclass(frozen=True, slots=True)
class ArtifactRule:
    """One kind of residue: a pattern, an optional confirmation and how to call it.

    ``starts`` and ``needs`` only make matching faster, never change it: ``starts`` gives
    (in order) every place where a match of ``pattern`` can start, and a text in whose
    caseless copy none of ``needs`` occurs has no match at all.
    """

    kind: str
    pattern: re.Pattern[str]
    confirm: Callable[[re.Match[str]], bool] | None = None
    in_refs: bool = False  # may also match inside a URL or e-mail address
    starts: Starts | None = None
    needs: tuple[str, ...] = ()

    def matches(self, text: str) -> Iterable[re.Match[str]]:
        """``pattern.finditer(text)``, searched only where a match can be."""
        if self.needs and not any(word in caseless(text) for word in self.needs):
            return ()
        if self.starts is not None:
            return matches_at(self.pattern, text, self.starts(text))
        return self.pattern.finditer(text)


def _is_placeholder(content: str) -> bool:
    """Whether bracketed content is a placeholder: "COMPANY NAME", "Company Name", "Date"."""
    text = content.strip()
    if sum(char.isalpha() for char in text) < _MIN_LETTERS:
        return False
    if text.isupper() and _UPPER_KEYWORD.search(text):
        return True
    return bool(_PLACEHOLDER_PHRASE.fullmatch(text))


def _bracketed(match: re.Match[str]) -> bool:
    return _is_placeholder(match.group("inner"))


def _bracket_residue(match: re.Match[str]) -> bool:
    """``[ Contests]``, ``[and]``: a lost character left lopsided spacing or a lone connector."""
    inner = match.group("inner")
    if _CONNECTOR.fullmatch(inner):
        return True
    lopsided = inner[:1].isspace() != inner[-1:].isspace()
    return lopsided and any(char.isalpha() for char in inner) and "://" not in inner and "." not in inner


def _shortcode(match: re.Match[str]) -> bool:
    """``[contact-form-7 id="4"]``, ``[vc_row]``, ``[/caption]``: a known name or attributes."""
    code = _SHORTCODE.fullmatch(match.group("inner"))
    if code is None:
        return False
    name = code.group("name")
    return bool("=" in code.group("attrs") or name in _SHORTCODE_NAMES or _SHORTCODE_PREFIX.match(name))


_TEMPLATE_TAG = compiled(
    r"\{\{[^{}\n]{1,80}\}\}|\{%-?[^%\n]{1,80}?-?%\}|\{#[^#\n]{1,80}#\}"  # Mustache, Jinja, Liquid, Twig
    r"|<%[=-]?[^%\n]{0,80}%>|\$\{[A-Za-z_][\w.]{0,60}\}"  # ERB, EJS, JSP; JavaScript and shell
)
_PERCENT = compiled(  # %%SITE%%, %%sitename%%, %COMPANY_NAME%
    r"%%[A-Za-z_][A-Za-z0-9_]{0,40}%%|%(?:[A-Z][A-Z0-9_]+|[a-z]+_[a-z0-9_]+)%(?![\w%])"
)
_DOUBLE_BRACKETS = compiled(r"\[\[[^\[\]\n]{1,60}\]\]")  # [[SITE_NAME]]
_DUNDER = compiled(r"(?<!\w)__[A-Za-z][A-Za-z0-9_]{1,40}__(?!\w)")  # __COMPANY_NAME__
_UPPER_SNAKE = compiled(r"(?<![A-Za-z_])[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+(?![A-Za-z0-9_])")  # COMPANY_NAME
_UPPER_SNAKE_KEYWORD = compiled(rf"(?:^|_)(?:{_PLACEHOLDER_WORDS})(?:_|$|\d)", re.IGNORECASE)
_SQUARE = compiled(r"\[(?P<inner>[^\[\]\n]{1,60})\](?!\()")
_ANGLE = compiled(r"<(?P<inner>[A-Za-z][A-Za-z .'_-]{1,40})>")
_BRACE = compiled(r"(?<![\w@])\{(?P<inner>[A-Za-z][A-Za-z ._-]{1,40})\}(?![\w@])")
_INSERT_HERE = compiled(
    rf"\bINSERT\b[A-Z0-9 '&/_-]{{1,40}}?\bHERE\b"
    rf"|\b(?i:insert\s+(?:(?:your|the)\s+)?(?:{_PLACEHOLDER_WORDS})\b[\w\s]{{0,20}}?\s+here)\b"
)
_DATE_PLACEHOLDER = compiled(
    r"\b(?:MM|DD)[/.-](?:DD|MM)[/.-](?:YYYY|YY)\b|\bXX/XX/XX(?:XX)?\b|\bMonth\s+DD,?\s+YYYY\b"
)
_SHORTCODE_TAG = compiled(r"\[(?P<inner>/?[a-z][^\[\]\n]{0,120})\](?!\()")
_SHORT_SQUARE = compiled(r"\[(?P<inner>[^\[\]\n]{1,40})\](?!\()")
_CSS_CLASS = compiled(rf"(?<![\w/.#=:@-])(?:{_CSS_CLASSES})(?![\w/@-])")
_ICON = compiled(rf"(?<![\w-])(?:{_ICON_LIGATURES})(?![\w-])")
_HTML_COMMENT = compiled(r"<!--[^\n]{0,200}?-->")  # <!-- wp:paragraph --> and others
_HTML_TAG = compiled(
    r"</?(?:p|br|div|span|strong|em|b|i|u|ul|ol|li|h[1-6]|table|tr|td|th|a|img|font|section"
    r"|article|header|footer|nav)\b[^<>\n]{0,200}>|<\s?br\s?/?>",
    re.IGNORECASE,
)
_HTML_ENTITY = compiled(
    r"&(?:nbsp|amp|quot|lt|gt|apos|[lr]squo|[lr]dquo|[mn]dash|hellip|copy|reg|trade|#\d{2,5}|#x[0-9a-fA-F]{2,4});"
)
_LOREM = compiled(  # the filler text's best-known phrases, to the end of the sentence
    r"\b(?:lorem\s+ipsum|dolor\s+sit\s+amet|consectetur\s+adipiscing|sed\s+do\s+eiusmod|tempor\s+incididunt"
    r"|ut\s+labore\s+et\s+dolore|quis\s+nostrud\s+exercitation|duis\s+aute\s+irure|excepteur\s+sint\s+occaecat"
    r"|sed\s+ut\s+perspiciatis|nemo\s+enim\s+ipsam|neque\s+porro\s+quisquam|at\s+vero\s+eos\s+et)\b[^.\n]{0,200}\.?",
    re.IGNORECASE,
)
_DUMMY = compiled(rf"\b(?:{_DUMMY_TEXT})\b[^.\n]{{0,80}}\.?", re.IGNORECASE)


def _upper_ident(match: re.Match[str]) -> bool:
    return bool(_UPPER_SNAKE_KEYWORD.search(match.group()))


# --- where matches can start (see ArtifactRule.starts) ----------------------------------------


def _literals(*literals: str) -> Starts:
    """Matches start at one of ``literals`` (as written: a case-sensitive pattern)."""
    return lambda text: candidate_starts(text, literals)


def _caseless_literals(*literals: str) -> Starts:
    """Matches start at one of the lower-case ``literals`` in any case (``re.IGNORECASE``)."""
    return lambda text: candidate_starts(caseless(text), literals)


_JOINERS = compiled(r"[-_]")
_WORD_RUN = compiled(r"[\w-]*")


def _class_like_starts(text: str) -> Iterator[int]:
    """CSS class names and icon ligatures are whole runs of word characters and hyphens (see
    their lookarounds) with a hyphen or underscore in them, except ``clearfix`` and
    ``span12``: the starts of such runs and of those two words."""
    return merge(run_starts(text, _JOINERS, _WORD_RUN), candidate_starts(text, ("clearfix", "span")))


_UNDERSCORE = compiled(r"_")
_UPPER_RUN = compiled(r"[A-Z0-9]*")


def _upper_snake_starts(text: str) -> Iterator[int]:
    """``COMPANY_NAME`` starts in the run of capitals and digits right before an underscore:
    every position of each such run (each run is read once)."""
    reverse = text[::-1]
    for underscore in _UNDERSCORE.finditer(text):
        yield from range(run_start(_UPPER_RUN, text, reverse, underscore.start()), underscore.start())


_DUMMY_FIRST_WORDS = (
    "click", "add", "i'm", "i’m", "this", "your", "edit", "insert", "enter", "type", "write", "double",
    "change", "replace", "start", "heading", "title", "text",
)  # fmt: skip
# One of these words is in every Lorem ipsum phrase of _LOREM.
_LOREM_WORDS = (
    "lorem", "dolor", "consectetur", "eiusmod", "tempor", "labore", "nostrud", "irure", "excepteur",
    "perspiciatis", "nemo", "porro", "vero",
)  # fmt: skip

RULES: tuple[ArtifactRule, ...] = (
    ArtifactRule("template tag", _TEMPLATE_TAG, in_refs=True),
    ArtifactRule("placeholder", _PERCENT, in_refs=True),
    ArtifactRule("placeholder", _DOUBLE_BRACKETS, in_refs=True),
    ArtifactRule("placeholder", _DUNDER, starts=_literals("__")),
    ArtifactRule("placeholder", _UPPER_SNAKE, _upper_ident, starts=_upper_snake_starts),
    ArtifactRule("placeholder", _SQUARE, _bracketed),
    ArtifactRule("placeholder", _ANGLE, _bracketed),
    ArtifactRule("placeholder", _BRACE, _bracketed, starts=_literals("{")),
    ArtifactRule("placeholder", _INSERT_HERE, starts=_caseless_literals("insert")),
    ArtifactRule("placeholder", _DATE_PLACEHOLDER, starts=_literals("MM", "DD", "XX/", "Month")),
    ArtifactRule("shortcode", _SHORTCODE_TAG, _shortcode),
    ArtifactRule("bracket residue", _SHORT_SQUARE, _bracket_residue),
    ArtifactRule(_CSS, _CSS_CLASS, starts=_class_like_starts),
    ArtifactRule("icon ligature", _ICON, starts=_class_like_starts),
    ArtifactRule("HTML comment", _HTML_COMMENT),
    ArtifactRule("HTML markup", _HTML_TAG),
    ArtifactRule("HTML entity", _HTML_ENTITY),
    ArtifactRule("Lorem ipsum", _LOREM, needs=_LOREM_WORDS),
    ArtifactRule("page-builder dummy text", _DUMMY, starts=_caseless_literals(*_DUMMY_FIRST_WORDS)),
)


@dataclass(frozen=True, slots=True)
class Artifact:
    """A span of residue in the text and what kind it is."""

    start: int
    end: int
    kind: str


def template_artifact(doc: Document, params: Mapping[str, Any], _ctx: Context) -> Iterator[Finding]:
    """Yield every piece of template or CMS residue in the document's prose."""
    skip = frozenset(str(kind) for kind in params.get("ignore_kinds", ()))
    for artifact in find_artifacts(doc.text):
        if artifact.kind not in skip:
            token = " ".join(doc.text[artifact.start : artifact.end].split())
            yield Finding(artifact.start, artifact.end, f"`{token}`: {artifact.kind} left in the text")


def find_artifacts(text: str) -> list[Artifact]:
    """All residue in ``text``, in order, without overlaps (the longest span wins)."""
    refs = ref_spans(text)
    found: list[Artifact] = []
    for rule in RULES:
        for match in rule.matches(text):
            if match.end() <= match.start() or (rule.confirm and not rule.confirm(match)):
                continue
            if not rule.in_refs and inside(refs, match.start(), match.end()):
                continue
            found.append(Artifact(match.start(), match.end(), rule.kind))
    return _without_overlaps(found, text)


def _without_overlaps(found: list[Artifact], text: str) -> list[Artifact]:
    """Drop spans inside longer ones; join class names written side by side."""
    kept: list[Artifact] = []
    for artifact in sorted(found, key=lambda a: (a.start, -(a.end - a.start))):
        if kept and artifact.start < kept[-1].end:
            continue
        previous = kept[-1] if kept else None
        if previous and previous.kind == artifact.kind == _CSS and not text[previous.end : artifact.start].strip():
            kept[-1] = Artifact(previous.start, artifact.end, _CSS)
            continue
        kept.append(artifact)
    return kept
