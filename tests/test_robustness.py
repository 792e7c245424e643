"""Unbreakable on any input: random, mutated and hostile documents never crash the run.

Every document is linted with the full catalogue; the JSON report must stay valid and every
location must lie inside the file.
"""

from __future__ import annotations

import io
import json
import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from policylint.checks import load_checks
from policylint.cli import main
from policylint.detectors import Context
from policylint.document import DocumentError, load_bytes, load_document, parse_document
from policylint.engine import evaluate
from policylint.model import TEXT_WHITESPACE, Format
from policylint.report import Run
from policylint.report.json_ import format_json
from policylint.resources import schema
from policylint.runner import Selection, lint_bytes, lint_file, select_checks

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


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_normalised_text_holds_only_spaces_and_blank_lines(fmt: Format, data: st.DataObject) -> None:
    """The matchers' prefilters rely on it (``\\s`` can only be a space or a newline there)."""
    gaps = st.sampled_from([" ", "\t", "\n", "\r\n", "\xa0", "\u2003", "\x0b", "\x1c", "\u2028", "\n\n"])
    pieces = data.draw(st.lists(st.one_of(st.sampled_from(FRAGMENTS[fmt]), st.text(max_size=12), gaps), max_size=40))
    text = parse_document("".join(pieces), fmt, "doc").text
    assert {char for char in text if char.isspace()} <= set(TEXT_WHITESPACE)
    assert "\n" not in text.replace("\n\n", "")


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


# --- hostile input: size limits, YAML bombs, slow regexes, the whole corpus -------------------------

GOOD = "We do not knowingly collect data from children under 13.\n"
DPO_CHECK = """\
id: acme.dpo
title: Data Protection Officer
description: The policy names a data protection officer and how to reach them.
severity: error
kind: disclosure
profiles: [acme]
references:
  - citation: GDPR Art. 37-39
remediation: Add "Our Data Protection Officer can be reached at dpo@example.com."
require:
  - phrases: [data protection officer]
examples:
  pass: ["Contact our Data Protection Officer."]
  fail: ["Contact us."]
"""
BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b]\n"


def check_bad_and_good(capsys: pytest.CaptureFixture[str], bad: Path, tmp_path: Path) -> str:
    """Lint ``bad`` then a good file: exit 2, one error line for ``bad``, the good file still linted."""
    good = tmp_path / "good.txt"
    good.write_text(GOOD)
    code = main(["check", "--select", "children.policy", "--format", "json", str(bad), str(good)])
    out, err = capsys.readouterr()
    assert code == 2
    assert "Traceback" not in err
    files = json.loads(out)["files"]
    assert [f["path"] for f in files] == [bad.as_posix(), good.as_posix()]
    assert files[1]["results"][0]["status"] == "pass"
    [line] = err.splitlines()
    assert line.startswith(f"policylint: {bad.as_posix()}: ")
    return line


def test_a_100_mb_file_is_refused_without_being_read(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as stream:  # sparse: fast to make, 100 MiB to stat()
        stream.write(GOOD.encode())
        stream.truncate(100 * 2**20)
    start = time.monotonic()
    line = check_bad_and_good(capsys, huge, tmp_path)
    assert time.monotonic() - start < 5
    assert line.endswith(": file is 104.9 MB, over the 10 MB limit for a policy (--max-file-size)")


def test_a_10_mb_single_line_is_one_quick_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    wide = tmp_path / "wide.md"
    wide.write_text("# Privacy\n\n" + "We use cookies to remember you. " * 312_499 + "\n")  # just under 10 MB
    start = time.monotonic()
    line = check_bad_and_good(capsys, wide, tmp_path)
    assert time.monotonic() - start < 2
    assert line.endswith(
        ": line 3 is 9,999,968 characters long, over the 1,000,000-character limit for a line (--max-line-length)"
    )


def test_nul_bytes_are_refused_in_the_middle_of_a_big_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    blob = tmp_path / "blob.html"
    blob.write_bytes(b"<p>We use cookies.</p>\n" * 50_000 + b"\x00" + b"<p>More.</p>\n")
    assert "binary file (contains NUL bytes)" in check_bad_and_good(capsys, blob, tmp_path)


@pytest.mark.parametrize(
    ("size", "message"),
    [
        (1_001, "file is 1,001 bytes, over the 1,000 bytes limit"),
        (250_000, "file is 0.2 MB, over the 1,000 bytes limit"),
    ],
)
def test_the_size_limit_is_a_parameter(tmp_path: Path, size: int, message: str) -> None:
    path = tmp_path / "p.txt"
    path.write_bytes(b"x\n" * (size // 2) + b"x" * (size % 2))
    with pytest.raises(DocumentError, match=message):
        load_document(path, max_file_size=1_000)
    assert load_document(path, max_file_size=size).text.startswith("x")


def test_the_line_limit_is_a_parameter() -> None:
    assert load_bytes(b"ab\ncde\n", "text", "p", max_line_length=3).text.startswith("ab")
    with pytest.raises(DocumentError, match=r"^line 2 is 4 characters long, over the 3-character limit for a line \(--max-line-length\)$"):
        load_bytes(b"ab\ncdef\nx", "text", "p", max_line_length=3)
    with pytest.raises(DocumentError, match=r"^line 3 is 4 characters long"):
        load_bytes(b"ab\n\nabcd", "text", "p", max_line_length=3)


def test_stdin_over_the_limit_is_one_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"We use cookies.\n" * 700_000)))  # 11.2 MB
    good = tmp_path / "good.txt"
    good.write_text(GOOD)
    code = main(["check", "--select", "children.policy", "--format", "json", "-", str(good)])
    out, err = capsys.readouterr()
    assert code == 2
    assert err == "policylint: <stdin>: input is over the 10 MB limit for a policy (--max-file-size)\n"
    assert json.loads(out)["files"][1]["results"][0]["status"] == "pass"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_max_file_size_option(capsys: pytest.CaptureFixture[str], tmp_path: Path, jobs: str) -> None:
    big = tmp_path / "big.txt"
    big.write_text("We use cookies.\n" * 80_000)  # 1.28 MB
    good = tmp_path / "good.txt"
    good.write_text(GOOD)
    args = ["check", "--select", "children.policy", "--fail-on", "never", "--format", "json", "--jobs", jobs, str(big), str(good)]
    assert main([*args[:-2], "--max-file-size", "2", *args[-2:]]) == 0
    capsys.readouterr()
    code = main([*args[:-2], "--max-file-size", "1", *args[-2:]])
    out, err = capsys.readouterr()
    assert code == 2
    assert err == f"policylint: {big.as_posix()}: file is 1.3 MB, over the 1 MB limit for a policy (--max-file-size)\n"
    assert json.loads(out)["files"][1]["results"][0]["status"] == "pass"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_max_line_length_option(capsys: pytest.CaptureFixture[str], tmp_path: Path, jobs: str) -> None:
    wide = tmp_path / "wide.html"
    wide.write_text("<p>" + "We use cookies. " * 5_000 + "</p>\n")  # one 80,007-character line
    good = tmp_path / "good.txt"
    good.write_text(GOOD)
    args = ["check", "--select", "cookies.disclosed", "--format", "json", "--jobs", jobs, str(wide), str(good)]
    code = main([*args[:-2], "--max-line-length", "80000", *args[-2:]])
    out, err = capsys.readouterr()
    assert code == 2
    assert err == (
        f"policylint: {wide.as_posix()}: line 1 is 80,007 characters long, "
        "over the 80,000-character limit for a line (--max-line-length)\n"
    )
    assert len(json.loads(out)["files"]) == 2
    assert main([*args[:-2], "--max-line-length", "80007", *args[-2:]]) in (0, 1)
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("option", ["--checks", "--config"])
def test_yaml_alias_bombs_are_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path, option: str) -> None:
    name = "bomb.yaml" if option == "--checks" else "bomb.policylint.yaml"
    bomb = tmp_path / name
    bomb.write_text((DPO_CHECK if option == "--checks" else "profiles: [recommended]\n") + BOMB)
    policy = tmp_path / "policy.txt"
    policy.write_text(GOOD)
    start = time.monotonic()
    code = main(["check", option, str(bomb), str(policy)])
    out, err = capsys.readouterr()
    assert time.monotonic() - start < 5
    assert (code, out) == (2, "")
    assert "Traceback" not in err
    [line] = err.splitlines()
    assert bomb.as_posix() in line and "YAML aliases (*name) are not allowed" in line


@pytest.mark.parametrize(
    ("regex", "reason"),
    [("(x+x+)+y", "exponential"), (r"[\s\S]*officer", "quadratic")],
)
def test_user_checks_with_slow_regexes_are_refused_quickly(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, regex: str, reason: str
) -> None:
    check = tmp_path / "slow.yaml"
    check.write_text(DPO_CHECK.replace("  - phrases: [data protection officer]", f"  - regex: '{regex}'"))
    policy = tmp_path / "policy.txt"
    policy.write_text("x" * 5_000 + " " * 50_000 + "\n")
    start = time.monotonic()
    code = main(["check", "--checks", str(check), "--select", "acme", str(policy)])
    out, err = capsys.readouterr()
    assert time.monotonic() - start < 10
    assert (code, out) == (2, "")
    [line] = err.splitlines()
    assert line.startswith(f"Error: {check.as_posix()}:11: $.require[0].regex[0]: regular expression can take {reason}")


def lint_errors(paths: list[Path]) -> dict[str, str]:
    """The errors of the reports of ``paths``, linted with every check."""
    checks = select_checks(CHECKS, Selection(("all",)))
    return {p.as_posix(): report.error for p in paths if (report := lint_file(p, checks, CONTEXT)).error}


def test_every_corpus_document_is_linted_without_error(corpus: Path) -> None:
    """Every document of every set, with every check: a report, never an error or a traceback.

    The corpus takes a while (about 20 MB): it is split over the CPUs where ``fork`` exists.
    """
    files = sorted(p for p in corpus.glob("*/docs/*") if p.is_file())
    assert len(files) > 100
    workers = min(4, os.cpu_count() or 1)
    if workers == 1 or "fork" not in multiprocessing.get_all_start_methods():
        assert lint_errors(files) == {}
        return
    chunks = [files[i::workers] for i in range(workers)]
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        errors = {path: error for found in pool.map(lint_errors, chunks) for path, error in found.items()}
    assert errors == {}
