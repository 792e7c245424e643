"""The CI formats on a hand-built run: SARIF (schema and GitHub's required fields), JUnit,
GitHub workflow commands, GitLab Code Quality, Markdown and statistics."""

from __future__ import annotations

import doctest
import json
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator

import policylint.report
import policylint.report.github
import policylint.report.markdown
import policylint.report.sarif
from policylint.checks import Check, parse_check
from policylint.directives import UNUSED_SUPPRESSION
from policylint.model import Evidence, FileReport, Location, Result, Severity, Status, Suppression
from policylint.report import FORMATTERS, Run, formatter
from policylint.report.github import escape_data, escape_property, format_github, job_summary
from policylint.report.gitlab import format_gitlab
from policylint.report.junit import format_junit
from policylint.report.markdown import format_markdown
from policylint.report.sarif import format_sarif
from policylint.report.statistics import format_statistics, format_statistics_json

SARIF_SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text("utf-8"))


def make_check(check_id: str, kind: str, severity: str, **extra: Any) -> Check:
    raw = {
        "id": check_id,
        "title": f"Title of {check_id}",
        "description": f"What {check_id} looks for.",
        "severity": severity,
        "kind": kind,
        "profiles": ["recommended"],
        "references": [{"citation": "GDPR Art. 13", "url": "https://eur-lex.europa.eu/eli/reg/2016/679/oj"}],
        "remediation": "Say it, e.g. \"We delete it, 100% of the time.\"",
        "require" if kind == "disclosure" else "detect": [{"phrases": ["placeholder"]}],
        "examples": {"pass": ["a"], "fail": ["b"]},
        **extra,
    }
    return parse_check(raw, "<test>")


DISCLOSURE = make_check("acme.children", "disclosure", "error")
RESIDUE = make_check("acme.residue", "anomaly", "warning")
OPTIONAL = make_check("acme.optional", "disclosure", "info")


def evidence(line: int, text: str, column: int = 3) -> Evidence:
    return Evidence(Location(line, column, line, column + len(text) - 1), text, f"`{text}`: template tag, left in")


def make_run(*, residue_lines: tuple[int, ...] = (4, 9), extra: tuple[FileReport, ...] = ()) -> Run:
    results = (
        Result(DISCLOSURE.id, Status.FAIL, Severity.ERROR, "Missing: children's practice"),
        Result(RESIDUE.id, Status.FAIL, Severity.WARNING, "Template residue", tuple(evidence(n, "{{x}}") for n in residue_lines)),
        Result(OPTIONAL.id, Status.FAIL, Severity.INFO, "Missing: optional", suppression=Suppression("inline", "not for us")),
    )
    good = (
        Result(DISCLOSURE.id, Status.PASS, Severity.ERROR, "ok", (evidence(2, "We do not collect from children."),)),
        Result(RESIDUE.id, Status.PASS, Severity.WARNING, "No residue"),
        Result(OPTIONAL.id, Status.NOT_APPLICABLE, Severity.INFO, "Not applicable"),
    )
    reports = (
        FileReport("docs/privacy policy.md", results),
        FileReport("docs/good.html", good),
        FileReport("docs/broken.txt", error="binary file (contains NUL bytes)"),
        *extra,
    )
    return Run(reports, (DISCLOSURE, OPTIONAL, RESIDUE), {"docs/privacy policy.md": 3})


@pytest.mark.parametrize(
    "module", [policylint.report, policylint.report.github, policylint.report.markdown, policylint.report.sarif]
)
def test_doctests(module: object) -> None:
    assert doctest.testmod(module).failed == 0  # type: ignore[arg-type]


def test_every_format_is_in_the_dispatch_table_and_deterministic() -> None:
    run = make_run()
    for name in FORMATTERS:
        if name == "html":
            continue  # tested in test_report_html.py
        out = formatter(name)(run)
        assert out == formatter(name)(run) and out.endswith("\n")


# --- SARIF ---------------------------------------------------------------------------


def test_sarif_validates_against_the_schema() -> None:
    log = json.loads(format_sarif(make_run()))
    errors = sorted(Draft7Validator(SARIF_SCHEMA).iter_errors(log), key=str)
    assert errors == []


def test_sarif_has_the_fields_github_requires() -> None:
    log = json.loads(format_sarif(make_run()))
    assert (log["$schema"], log["version"]) == ("https://json.schemastore.org/sarif-2.1.0.json", "2.1.0")
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "policylint"
    rules = driver["rules"]
    assert [rule["id"] for rule in rules] == ["acme.children", "acme.optional", "acme.residue"]
    for rule in rules:
        for key in ("shortDescription", "fullDescription", "help"):
            assert 0 < len(rule[key]["text"]) <= 1024
        assert "GDPR Art. 13" in rule["help"]["markdown"] and "How to fix" in rule["help"]["markdown"]
        assert rule["helpUri"].startswith("https://")
    assert [r["defaultConfiguration"]["level"] for r in rules] == ["error", "note", "warning"]
    results = run["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [
        ("acme.children", "error"),
        ("acme.optional", "note"),
        ("acme.residue", "warning"),
        ("acme.residue", "warning"),
    ]
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["message"]["text"]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == "docs/privacy%20policy.md"
        assert location["region"]["startLine"] >= 1
        assert len(result["partialFingerprints"]["policylint/v1"]) == 64
    assert results[0]["locations"][0]["physicalLocation"]["region"] == {"startLine": 3}  # the anchor
    assert results[0]["message"]["text"].endswith("Fix: Say it, e.g. \"We delete it, 100% of the time.\"")
    assert results[1]["suppressions"] == [{"kind": "inSource", "justification": "not for us"}]
    assert results[2]["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 4, "startColumn": 3, "endLine": 4, "endColumn": 8,
    }
    assert run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"].startswith("docs/broken.txt: ")
    assert "time" not in json.dumps(log).lower().replace("of the time", "")  # no timestamps


def test_sarif_fingerprints_survive_edits_elsewhere_and_distinguish_duplicates() -> None:
    before = json.loads(format_sarif(make_run(residue_lines=(4, 9))))["runs"][0]["results"]
    after = json.loads(format_sarif(make_run(residue_lines=(14, 19))))["runs"][0]["results"]
    prints = [r["partialFingerprints"]["policylint/v1"] for r in before]
    assert prints == [r["partialFingerprints"]["policylint/v1"] for r in after]
    assert len(set(prints)) == len(prints)


def test_sarif_leaves_baselined_failures_out() -> None:
    run = make_run()
    known = Suppression("baseline", "in baseline b.json")
    reports = (replace(run.reports[0], results=tuple(replace(r, suppression=known) for r in run.reports[0].results)),)
    log = json.loads(format_sarif(replace(run, reports=reports)))
    assert log["runs"][0]["results"] == []


# --- JUnit ---------------------------------------------------------------------------


def test_junit_parses_and_has_one_case_per_check_per_file() -> None:
    root = ET.fromstring(format_junit(make_run()))
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("errors"), root.get("skipped")) == ("7", "2", "1", "2")
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["docs/privacy policy.md", "docs/good.html", "docs/broken.txt"]
    cases = suites[0].findall("testcase")
    assert [c.get("name") for c in cases] == [
        "acme.children: Title of acme.children",
        "acme.residue: Title of acme.residue",
        "acme.optional: Title of acme.optional",
    ]
    failure = cases[1].find("failure")
    assert failure is not None and failure.get("type") == "warning"
    assert "docs/privacy policy.md:4:3: `{{x}}`: template tag, left in" in (failure.text or "")
    skipped = cases[2].find("skipped")
    assert skipped is not None and skipped.get("message") == "suppressed: not for us"
    error = suites[2].find("testcase/error")
    assert error is not None and error.get("message") == "binary file (contains NUL bytes)"


def test_junit_drops_characters_xml_cannot_carry() -> None:
    run = make_run()
    bad = FileReport("docs/x.md", (Result(DISCLOSURE.id, Status.FAIL, Severity.ERROR, "bell\x07 and \ufffe"),))
    ET.fromstring(format_junit(replace(run, reports=(bad,))))


# --- GitHub --------------------------------------------------------------------------


def test_github_escaping() -> None:
    assert escape_data("100%\r\nnext") == "100%25%0D%0Anext"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"


def test_github_annotations() -> None:
    lines = format_github(make_run()).splitlines()
    assert lines[0] == "::group::policylint: 3 findings"
    assert "docs/privacy policy.md:4:3: warning acme.residue: `{{x}}`: template tag, left in" in lines
    assert "::endgroup::" in lines
    annotations = [line for line in lines if line.startswith(("::error ", "::warning ", "::notice "))]
    assert annotations[0] == "::error file=docs/broken.txt,title=policylint::binary file (contains NUL bytes)"
    assert annotations[1] == (
        "::error file=docs/privacy policy.md,line=3,title=acme.children%3A Title of acme.children::"
        "Missing: children's practice%0AFix: Say it, e.g. \"We delete it, 100%25 of the time.\""
    )
    assert annotations[2] == (
        "::warning file=docs/privacy policy.md,line=4,endLine=4,col=3,endColumn=7,"
        "title=acme.residue%3A Title of acme.residue::`{{x}}`: template tag, left in"
    )
    assert not any("acme.optional" in line for line in lines)  # suppressed
    assert lines[-1] == "2 passed, 2 failed (1 error, 1 warning), 1 not applicable, 1 suppressed, 1 unreadable in 3 files"


def test_github_caps_annotations_per_level() -> None:
    run = make_run(residue_lines=tuple(range(10, 35)))
    lines = format_github(run).splitlines()
    assert sum(line.startswith("::warning ") for line in lines) == 10
    assert sum(line.startswith("::error ") for line in lines) == 2
    assert "policylint: 15 more findings not annotated" in "\n".join(lines)
    assert sum(": warning acme.residue: " in line for line in lines) == 25  # all of them are in the log group


def test_job_summary_is_the_markdown_report_cut_to_the_limit() -> None:
    run = make_run()
    assert job_summary(run) == format_markdown(run)
    cut = job_summary(run, limit=300)
    assert len(cut.encode("utf-8")) <= 300 and cut.endswith("see the log)_\n")


# --- GitLab, Markdown, statistics ----------------------------------------------------


def test_gitlab_code_quality() -> None:
    issues = json.loads(format_gitlab(make_run()))
    assert [(i["check_name"], i["severity"], i["location"]) for i in issues] == [
        ("acme.children", "major", {"path": "docs/privacy policy.md", "lines": {"begin": 3}}),
        ("acme.residue", "minor", {"path": "docs/privacy policy.md", "lines": {"begin": 4}}),
        ("acme.residue", "minor", {"path": "docs/privacy policy.md", "lines": {"begin": 9}}),
    ]
    assert all(set(i) >= {"description", "check_name", "fingerprint", "severity", "location"} for i in issues)
    assert len({i["fingerprint"] for i in issues}) == 3
    assert issues[0]["description"].startswith("Missing: children's practice. Fix: ")


def test_markdown_has_a_table_per_file() -> None:
    text = format_markdown(make_run())
    assert text.startswith("## policylint\n\n**2 passed, 2 failed (1 error, 1 warning)")
    assert "### docs/privacy policy.md" in text and "### docs/good.html" in text
    assert "⚠️ Could not be read: binary file (contains NUL bytes)" in text
    assert "| ❌ | `acme.residue` Title of acme.residue | warning | line 4: `{{x}}`: template tag, left in<br>line 9:" in text
    assert "| ⊘ | `acme.optional` Title of acme.optional | info | suppressed: not for us |" in text
    assert "| ✅ | `acme.children` Title of acme.children | error | line 2 |" in text
    bad = FileReport("x|y.md", (Result(DISCLOSURE.id, Status.FAIL, Severity.ERROR, "a | b <script>"),))
    assert "a \\| b &lt;script&gt;" in format_markdown(Run((bad,), (DISCLOSURE,)))


def test_statistics() -> None:
    run = make_run(residue_lines=(1, 2, 3))
    assert format_statistics(run) == (
        "3  acme.residue   [warning]  Title of acme.residue\n"
        "1  acme.children  [error]    Title of acme.children\n"
        "Found 4 failures in 1 file.\n"
    )
    assert json.loads(format_statistics_json(run))[0] == {
        "check": "acme.residue", "title": "Title of acme.residue", "severity": "warning", "count": 3,
    }
    assert format_statistics(Run((), ())) == "No failures.\n"


def test_unused_suppression_check_is_a_full_rule() -> None:
    run = Run((), (UNUSED_SUPPRESSION,))
    rule = json.loads(format_sarif(run))["runs"][0]["tool"]["driver"]["rules"][0]
    assert (rule["id"], rule["defaultConfiguration"]["level"]) == ("policylint.unused-suppression", "warning")


def test_the_cli_offers_every_formatter() -> None:
    from policylint.cli import FORMATS

    assert set(FORMATS) == set(FORMATTERS)
