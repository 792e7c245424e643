"""Unbreakable on any input: random, mutated and hostile documents never crash the run.

Every document is linted with the full catalogue; the JSON report must stay valid and every
location must lie inside the file.
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from policylint.checks import load_checks
from policylint.cli import main
from policylint.detectors import Context
from policylint.document import load_bytes, parse_document
from policylint.engine import evaluate
from policylint.model import Format
from policylint.report import Run
from policylint.report.json_ import format_json
from policylint.resources import schema
from policylint.runner import lint_bytes

CHECKS = load_checks()
CONTEXT = Context(today=date(2026, 11, 1))
FRAGMENTS = {
    "text": ["We use cookies.", "Contact privacy@acme.com", "children under 13", "\n", "\n\n", "  ", "é", "\t", "**", "[x](y)"],
    "markdown": ["# Cookies\n", "- item\n", "[t](mailto:a@b.co)", "[](http://x)", "`code`", "> quote\n", "|a|b|\n|-|-|\n", "<!-- c -->", "&amp;", "\n\n"],
    "html": ["<p>", "</p>", "<div>", "<li>Opt out", "<a href='mailto:x@y.z'>x@y.q</a>", "<script>var a='<p>';</script>", "&nbsp;", "&#x26;", "<br>", "<h2>Children</h2>", "<!--", "-->", "<", ">", "&"],
}


def assert_locations_inside(source: str, report_json: str) -> None:
    report = json.loads(report_json)
    Draft202012Validator(schema("report.schema.json")).validate(report)
    lines = source.split("\n")
    for file in report["files"]:
        for result in file["results"]:
            for evidence in result["evidence"]:
                assert 1 <= evidence["line"] <= evidence["end_line"] <= len(lines)
                assert 1 <= evidence["column"] <= len(lines[evidence["line"] - 1].rstrip("\r")) + 1


def lint_source(source: str, fmt: Format) -> str:
    doc = parse_document(source, fmt, "doc")
    from policylint.model import FileReport

    return format_json(Run((FileReport("doc", evaluate(doc, CHECKS, CONTEXT)),), CHECKS))


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_documents_never_crash(fmt: Format, data: st.DataObject) -> None:
    pieces = data.draw(st.lists(st.one_of(st.sampled_from(FRAGMENTS[fmt]), st.text(max_size=12)), max_size=40))
    source = "".join(pieces)
    assert_locations_inside(source, lint_source(source, fmt))


@settings(max_examples=30, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_give_a_report_or_one_clear_error(data: bytes) -> None:
    report = lint_bytes(data, "blob", CHECKS, CONTEXT, None)
    assert report.error or report.results
    if report.error:
        assert "\n" not in report.error


def test_deeply_nested_html_does_not_blow_the_stack() -> None:
    source = "<div>" * 50_000 + "We use cookies." + "</div>" * 50_000
    assert_locations_inside(source, lint_source(source, "html"))


def test_long_single_line_is_linted() -> None:
    source = "We use cookies to remember you and keep data for a year. " * 20_000  # ~1.1 MB, one line
    assert_locations_inside(source, lint_source(source, "text"))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe\x00", "cannot decode"),
        (b"abc\x00def", "binary file"),
        (b"caf\xe9", "cannot decode as UTF-8"),
    ],
)
def test_undecodable_input_is_one_error_and_the_run_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str
) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    good = tmp_path / "good.txt"
    good.write_text("We do not knowingly collect data from children under 13.\n")
    code = main(["check", "--select", "children.policy", "--format", "json", str(bad), str(good)])
    out, err = capsys.readouterr()
    assert code == 2
    assert message in err and "Traceback" not in err
    files = json.loads(out)["files"]
    assert [f["results"][0]["status"] for f in files if f["results"]] == ["pass"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_symlink_loops_in_directories_terminate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "policy.md").write_text("We do not knowingly collect data from children under 13.\n")
    (tmp_path / "a" / "loop").symlink_to(tmp_path / "a", target_is_directory=True)
    code = main(["check", "--select", "children.policy", "--format", "json", str(tmp_path)])
    out, _ = capsys.readouterr()
    assert code == 0
    assert len(json.loads(out)["files"]) == 1


def test_nothing_is_fetched_or_executed_from_a_document() -> None:
    source = (
        '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><html><body><p>&e;</p>'
        '<img src="http://127.0.0.1:1/x"><script>throw 1</script><p>We use cookies.</p></body></html>'
    )
    doc = load_bytes(source.encode(), "html", "hostile.html")
    assert "root:" not in doc.text and "throw" not in doc.text
