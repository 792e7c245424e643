"""The HTML report: self-contained, escaped, deterministic, and correct in a real browser.

The browser tests open the report in headless Chromium (Debian's ``chromium`` package)
and inspect the DOM after scripts ran (``--dump-dom``); they are skipped when Chromium
is not installed.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from policylint.checks import Check, load_checks, parse_check
from policylint.detectors import Context
from policylint.model import Evidence, FileReport, Location, Result, Severity, Status, Suppression
from policylint.report import Run
from policylint.report.html import format_html
from policylint.runner import Selection, lint_paths, select_checks

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(p for p in (ROOT / "examples").iterdir() if p.suffix in {".md", ".html", ".txt"})
TODAY = date(2026, 11, 1)
CHROMIUM = shutil.which("chromium")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None,
    reason="headless Chromium not found on PATH (Debian: apt-get install chromium); browser tests skipped",
)

# An anomaly check defined here, so that anomaly highlighting is tested whatever the
# built-in catalogue holds: it flags the misspelt domain in the bakery example.
TYPO_CHECK: dict[str, object] = {
    "id": "test.typo-domain",
    "title": "Misspelt bakery domain",
    "description": "Test-only anomaly: the bakery's domain with two letters swapped.",
    "severity": "error",
    "kind": "anomaly",
    "profiles": ["gdpr"],
    "references": [{"citation": "GDPR Art. 13(1)(a)", "url": "https://eur-lex.europa.eu/eli/reg/2016/679/oj"}],
    "remediation": "Correct the domain of the contact address.",
    "message": "did you mean crumbandco.example?",
    "detect": [{"regex": r"crumbadnco\.example"}],
    "examples": {"pass": ["Write to hello@crumbandco.example."], "fail": ["Write to hello@crumbadnco.example."]},
}

HOSTILE_MD = """\
# Privacy Policy <script>document.title='pwned'</script>

Last updated: March 3, 2026

<script>document.title='pwned'</script>

<img src=x onerror="document.body.setAttribute('data-pwned',1)">

We use cookies <img src=x onerror="document.body.setAttribute('data-pwned',1)"> to keep you signed in.
We use cookies `<script>document.title='pwned'</script>` and cookies <b onmouseover="alert(1)">too</b>.

Contact us at privacy@example.com or [click](javascript:alert(1)) or <a href="javascript:alert(2)">here</a>.

<style>body { display: none }</style>
<iframe src="javascript:alert(3)"></iframe>
"""

HOSTILE_HTML = """\
<!DOCTYPE html>
<html><head><title>x</title><script>document.title='pwned'</script></head>
<body onload="document.body.setAttribute('data-pwned',1)">
<h1>Privacy Policy</h1>
<p>Last updated: March 3, 2026</p>
<p>We use cookies &lt;img src=x onerror="document.body.setAttribute('data-pwned',1)"&gt; to keep you signed in.</p>
<p>We use cookies &lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;script&gt;document.title='pwned'&lt;/script&gt; daily.</p>
<p>Write to <a href="javascript:alert(1)">privacy@example.com</a>.</p>
</body></html>
"""
# A file name is shown too: make it hostile as well (legal on POSIX file systems).
HOSTILE_NAME = "policy \"'><img src=x onerror=alert(9)>"


@functools.cache
def _catalogue() -> tuple[Check, ...]:
    return select_checks(load_checks(), Selection(("all",)))


def _checks(*extra: dict[str, object]) -> tuple[Check, ...]:
    return _catalogue() + tuple(parse_check(raw, "<test>") for raw in extra)


def _run(paths: list[Path], checks: tuple[Check, ...]) -> Run:
    return Run(tuple(lint_paths(paths, checks, Context(today=TODAY))), checks)


@pytest.fixture(scope="module")
def examples_run() -> Run:
    return _run(EXAMPLES, _checks(TYPO_CHECK))


@pytest.fixture(scope="module")
def examples_html(examples_run: Run) -> str:
    return format_html(examples_run)


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    folder = tmp_path_factory.mktemp("hostile")
    (folder / f"{HOSTILE_NAME}.md").write_text(HOSTILE_MD, encoding="utf-8")
    (folder / "hostile.html").write_text(HOSTILE_HTML, encoding="utf-8")
    return _run([folder], _checks())


# --- DOM inspection ------------------------------------------------------------------

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    ancestors: tuple[Element, ...]
    text: list[str] = field(default_factory=list)

    def within(self, tag: str) -> Element | None:
        return next((a for a in reversed(self.ancestors) if a.tag == tag), None)


class Dom(HTMLParser):
    """A flat list of elements, each knowing its ancestors and its own text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self._stack: list[Element] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs}, tuple(self._stack))
        self.elements.append(element)
        if tag not in _VOID:
            self._stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self._stack) - 1, -1, -1):
            if self._stack[index].tag == tag:
                del self._stack[index:]
                return

    def handle_data(self, data: str) -> None:
        for element in self._stack:
            element.text.append(data)

    def by_id(self, ident: str) -> Element:
        found = [e for e in self.elements if e.attrs.get("id") == ident]
        assert len(found) == 1, f"expected one element with id {ident!r}, found {len(found)}"
        return found[0]

    def tags(self, tag: str) -> list[Element]:
        return [e for e in self.elements if e.tag == tag]

    def title(self) -> str:
        return "".join(self.tags("title")[0].text)


def _text(element: Element) -> str:
    return "".join(element.text)


def _chromium(html: str, tmp_path: Path, *extra: str) -> str:
    assert CHROMIUM is not None
    page = tmp_path / "report.html"
    page.write_text(html, encoding="utf-8")
    profile = tmp_path / "chromium-profile"
    done = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            *extra,
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def _assert_uninjected(dom: Dom, report_title: str) -> None:
    """Nothing from the policy text became an element, an attribute or a script."""
    assert dom.title() == report_title
    assert not dom.tags("img") and not dom.tags("iframe") and not dom.tags("b")
    assert len(dom.tags("script")) == 1  # the report's own
    assert len(dom.tags("style")) == 1
    for element in dom.elements:
        assert "data-pwned" not in element.attrs, element
        assert not any(name.startswith("on") for name in element.attrs), element
        assert not element.attrs.get("href", "").lower().startswith("javascript:"), element
        assert "src" not in element.attrs, element


# --- pure tests ----------------------------------------------------------------------


def test_every_result_is_a_checklist_item(examples_run: Run, examples_html: str) -> None:
    dom = Dom(examples_html)
    for index, report in enumerate(examples_run.reports):
        assert report.results, report.path
        for result in report.results:
            item = dom.by_id(f"f{index}-check-{result.check}")
            assert item.tag == "li" and item.attrs["data-status"] == result.status.value
            assert {"pass": "Pass", "fail": "Fail", "not-applicable": "Not applicable"}[result.status.value] in _text(
                item
            )


def test_failures_show_severity_citation_and_remediation(examples_run: Run, examples_html: str) -> None:
    dom = Dom(examples_html)
    checks = {check.id: check for check in examples_run.checks}
    failures = [
        (i, r) for i, report in enumerate(examples_run.reports) for r in report.results if r.status is Status.FAIL
    ]
    assert failures
    for index, result in failures:
        text = " ".join(_text(dom.by_id(f"f{index}-check-{result.check}")).split())
        check = checks[result.check]
        assert result.severity.label in text
        assert " ".join(check.remediation.split()) in text
        assert all(" ".join(ref.citation.split()) in text for ref in check.references)


def test_anomaly_shows_suggested_correction_and_distinct_label(examples_html: str) -> None:
    dom = Dom(examples_html)
    bakery = EXAMPLES.index(ROOT / "examples" / "bakery-privacy.html")
    item = dom.by_id(f"f{bakery}-check-test.typo-domain")
    assert item.attrs["data-status"] == "fail"
    assert "did you mean crumbandco.example?" in _text(item)
    marks = [m for m in dom.tags("mark") if "test.typo-domain" in m.attrs.get("title", "").split(", ")]
    assert all("hl-anomaly" in m.attrs["class"] for m in marks)
    assert {m.within("tr").attrs["id"] for m in marks if m.within("tr")} == {f"f{bakery}-L25", f"f{bakery}-L26"}  # type: ignore[union-attr]
    assert all(_text(m) == "crumbadnco.example" for m in marks)
    notes = [n for n in dom.tags("li") if "note-anomaly" in n.attrs.get("class", "") and "test.typo-domain" in _text(n)]
    assert notes and all("Anomaly" in _text(n) and "did you mean crumbandco.example?" in _text(n) for n in notes)
    disclosure_notes = [n for n in dom.tags("li") if "note-disclosure" in n.attrs.get("class", "")]
    assert disclosure_notes and all("Disclosure" in _text(n) for n in disclosure_notes)


def test_evidence_links_are_anchors_to_highlighted_lines(examples_run: Run, examples_html: str) -> None:
    dom = Dom(examples_html)
    for index, report in enumerate(examples_run.reports):
        for result in report.results:
            if result.status is not Status.PASS or not result.evidence:
                continue
            item = dom.by_id(f"f{index}-check-{result.check}")
            hrefs = {a.attrs["href"] for a in dom.tags("a") if item in a.ancestors}
            for evidence in result.evidence:
                anchor = f"f{index}-L{evidence.location.line}"
                assert f"#{anchor}" in hrefs
                row = dom.by_id(anchor)
                assert row.tag == "tr" and "has-disclosure" in row.attrs["class"]


def test_index_table_lists_every_document(examples_run: Run, examples_html: str) -> None:
    dom = Dom(examples_html)
    nav = dom.tags("nav")[0]
    links = [a for a in dom.tags("a") if nav in a.ancestors]
    assert [(a.attrs["href"], _text(a)) for a in links] == [
        (f"#f{i}", report.path) for i, report in enumerate(examples_run.reports)
    ]
    headers = [e for e in dom.tags("th") if nav in e.ancestors]
    assert all(h.attrs.get("scope") in {"col", "row"} for h in headers)


def test_single_document_has_no_index(examples_run: Run) -> None:
    html = format_html(Run(examples_run.reports[:1], examples_run.checks))
    assert "<nav" not in html and "<main" in html


def test_deterministic_and_self_contained(examples_run: Run, examples_html: str) -> None:
    assert format_html(examples_run) == examples_html
    assert date.today().isoformat() not in examples_html
    # No external resources: only the checks' citation links and in-page anchors.
    assert not re.search(r"""\b(?:src|srcset|action)\s*=|@import|url\(|<link\b""", examples_html)
    hrefs = re.findall(r'href="([^"]*)"', examples_html)
    assert all(h.startswith(("#", "https://", "http://")) for h in hrefs)
    external = [a for a in Dom(examples_html).tags("a") if not a.attrs["href"].startswith("#")]
    assert external and all(a.within("ul") and "refs" in a.within("ul").attrs["class"] for a in external)  # type: ignore[union-attr]


def test_csp_allows_exactly_the_inline_style_and_script(examples_html: str) -> None:
    def digest(body: str) -> str:
        return "sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()

    style = re.search(r"<style>(.*?)</style>", examples_html, re.S)
    script = re.search(r"<script>(.*?)</script>", examples_html, re.S)
    assert style and script
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', examples_html)
    assert csp
    assert f"style-src '{digest(style.group(1))}'" in csp.group(1)
    assert f"script-src '{digest(script.group(1))}'" in csp.group(1)
    assert "default-src 'none'" in csp.group(1)


def test_hostile_policy_is_escaped(hostile_run: Run) -> None:
    html = format_html(hostile_run)
    assert html.count("<script") == 1 and html.count("<style") == 1
    assert "<img" not in html and "<iframe" not in html and "<b " not in html
    assert 'href="javascript:' not in html
    assert "&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;" in html
    _assert_uninjected(Dom(html), "policylint report")


def test_unreadable_file_and_missing_source(tmp_path: Path, examples_run: Run) -> None:
    missing = tmp_path / "gone.md"
    reports = (
        FileReport(missing.as_posix(), error="no such file"),
        FileReport("bare.md", examples_run.reports[0].results),
    )
    html = format_html(Run(reports, examples_run.checks))
    assert "could not be linted: no such file" in html and "could not be read: no such file" in html
    assert "The policy text is not available" in html
    assert 'href="#f1-L' not in html  # no links to lines that are not shown


def test_empty_run() -> None:
    assert "No documents were linted." in format_html(Run((), ()))


def test_groups_by_first_regime_and_core(examples_run: Run) -> None:
    core_only = parse_check({**TYPO_CHECK, "id": "test.core-only", "profiles": ["recommended"]}, "<test>")
    checks = (*examples_run.checks, core_only)
    run = _run(EXAMPLES[:1], checks)
    dom = Dom(format_html(run))
    core = dom.by_id("f0-group-recommended")
    assert _text(core).startswith("Core")
    item = dom.by_id("f0-check-test.core-only")
    group = item.within("section")
    assert group is not None and group.attrs["aria-labelledby"] == "f0-group-recommended"
    cookies = dom.by_id("f0-check-cookies.disclosed").within("section")
    assert cookies is not None and cookies.attrs["aria-labelledby"] == "f0-group-caloppa"


# --- browser tests -------------------------------------------------------------------


@needs_chromium
def test_browser_renders_examples(examples_run: Run, examples_html: str, tmp_path: Path) -> None:
    dom = Dom(_chromium(examples_html, tmp_path, "--dump-dom"))
    assert dom.title() == "policylint report"
    controls = next(e for e in dom.tags("p") if "controls" in e.attrs.get("class", ""))
    assert "hidden" not in controls.attrs  # the inline script ran under the CSP
    for index, report in enumerate(examples_run.reports):
        for result in report.results:
            assert dom.by_id(f"f{index}-check-{result.check}").attrs["data-status"] == result.status.value
            if result.status is Status.PASS:
                for evidence in result.evidence:
                    row = dom.by_id(f"f{index}-L{evidence.location.line}")
                    assert any(m.within("tr") is row for m in dom.tags("mark")), row.attrs
    highlighted = {m.within("tr").attrs["id"] for m in dom.tags("mark") if m.within("tr")}  # type: ignore[union-attr]
    assert any("-L" in ident for ident in highlighted)


@needs_chromium
def test_browser_does_not_run_hostile_policy(hostile_run: Run, tmp_path: Path) -> None:
    html = format_html(hostile_run)
    dom = Dom(_chromium(html, tmp_path, "--dump-dom"))
    _assert_uninjected(dom, "policylint report")
    body = dom.tags("body")[0]
    assert "data-pwned" not in body.attrs
    texts = " ".join(_text(e) for e in dom.tags("td"))
    assert "<script>document.title='pwned'</script>" in texts  # shown as text
    assert "[click](javascript:alert(1))" in texts


@needs_chromium
def test_browser_screenshot(examples_html: str, tmp_path: Path) -> None:
    shot = tmp_path / "shot.png"
    _chromium(examples_html, tmp_path, f"--screenshot={shot}", "--window-size=1280,900", "--hide-scrollbars")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_waived_failure_and_unknown_check(examples_run: Run) -> None:
    source = "Line one.\nWrite to us at hello@crumbadnco.example today.\n"
    results = (
        Result("contact.address", Status.FAIL, Severity.ERROR, "Missing", (), Suppression("inline", "legal is on it")),
        Result(
            "policylint.unused-suppression",
            Status.FAIL,
            Severity.WARNING,
            "unused",
            (Evidence(Location(2, 16, 2, 39), "x", "waives nothing"),),
        ),
    )
    html = format_html(Run((FileReport("p.md", results, source=source),), examples_run.checks))
    dom = Dom(html)
    waived = dom.by_id("f0-check-contact.address")
    assert "is-waived" in waived.attrs["class"] and "Waived by an inline comment: legal is on it" in _text(waived)
    assert "0 passed, 1 failed (1 warning), 0 not applicable, 1 suppressed in 1 file" in html
    unknown = dom.by_id("f0-check-policylint.unused-suppression")
    assert unknown.within("section").attrs["aria-labelledby"] == "f0-group-other"  # type: ignore[union-attr]
    marks = [m for m in dom.tags("mark") if m.within("tr") is dom.by_id("f0-L2")]
    assert [(_text(m), m.attrs["class"]) for m in marks] == [("hello@crumbadnco.example", "hl hl-anomaly")]
    notes = [n for n in dom.tags("li") if "note-anomaly" in n.attrs.get("class", "")]
    assert [" ".join(_text(n).split()) for n in notes] == ["⚠ Anomaly · policylint.unused-suppression waives nothing"]


def test_many_occurrences_fold_into_details(examples_run: Run) -> None:
    source = "".join(f"Line {n} has {{{{placeholder}}}} in it.\n" for n in range(1, 9))
    evidence = tuple(Evidence(Location(n, 11, n, 25), "{{placeholder}}", "template tag") for n in range(1, 9))
    result = Result("anomaly.template-artifact", Status.FAIL, Severity.WARNING, "residue", evidence)
    dom = Dom(format_html(Run((FileReport("p.txt", (result,), source=source),), examples_run.checks)))
    item = dom.by_id("f0-check-anomaly.template-artifact")
    links = [a for a in dom.tags("a") if item in a.ancestors and a.attrs.get("data-end")]
    assert [a.attrs["href"] for a in links] == [f"#f0-L{n}" for n in range(1, 9)]
    folded = [a for a in links if a.within("details")]
    assert [a.attrs["href"] for a in folded] == ["#f0-L6", "#f0-L7", "#f0-L8"]
    assert all(_text(dom.by_id(f"f0-L{n}")).count("{{placeholder}}") == 1 for n in range(1, 9))
