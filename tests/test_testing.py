"""The check test runner: embedded examples and annotated fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from policylint.checks import CheckError, load_check_file
from policylint.testing import (
    Annotation,
    CaseResult,
    Expect,
    Fixture,
    blank_annotations,
    fixture_files,
    format_case,
    format_results,
    is_fixture_name,
    load_suite,
    parse_annotations,
    run_check_tests,
    summary,
)

DPO = """\
id: acme.dpo
title: Data Protection Officer
description: The policy names a data protection officer and how to reach them.
severity: error
kind: disclosure
profiles: [acme]
references:
  - citation: GDPR Art. 37-39
remediation: Add "Our Data Protection Officer can be reached at dpo@example.com."
when:
  - phrases: [GDPR, EU, personal data]
require:
  - phrases: [data protection officer]
  - all: [[DPO], [contact*, email*, reach*]]
examples:
  pass:
    - Under the GDPR, contact our Data Protection Officer.
  fail:
    - We process personal data lawfully.
  not_applicable:
    - We sell shoes.
"""

HARBOR = """\
id: acme.safe-harbor
title: Safe Harbor reliance
description: Mentions of the invalidated EU-US Safe Harbor framework.
severity: warning
kind: anomaly
profiles: [acme]
references:
  - citation: CJEU C-362/14 (Schrems I)
remediation: Rely on the EU-US Data Privacy Framework instead.
detect:
  - phrases: [safe harbor]
examples:
  pass:
    - We rely on the Data Privacy Framework.
  fail:
    - We comply with the Safe Harbor framework.
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def dpo(tmp_path: Path):
    return load_check_file(write(tmp_path, "acme/dpo.yaml", DPO), "acme/dpo.yaml")


@pytest.fixture
def harbor(tmp_path: Path):
    return load_check_file(write(tmp_path, "acme/safe-harbor.yaml", HARBOR), "acme/safe-harbor.yaml")


# --- examples --------------------------------------------------------------------------


def test_every_example_is_a_passing_case(dpo, harbor) -> None:
    results = run_check_tests([dpo, harbor])
    assert [(r.check, r.case, r.passed) for r in results] == [
        ("acme.dpo", "examples.pass[0]", True),
        ("acme.dpo", "examples.fail[0]", True),
        ("acme.dpo", "examples.not_applicable[0]", True),
        ("acme.safe-harbor", "examples.pass[0]", True),
        ("acme.safe-harbor", "examples.fail[0]", True),
    ]
    assert summary(results) == "5 passed, 0 failed"


def test_anomaly_statuses_read_clean_and_flagged(harbor) -> None:
    flagged = run_check_tests([harbor])[1]
    assert (flagged.expected, flagged.actual, flagged.lines) == ("fail (flagged)", "fail (flagged)", (1,))


def test_a_failing_example_is_reported_precisely(tmp_path: Path) -> None:
    text = DPO.replace("    - We process personal data lawfully.", "    - Email our DPO about your personal data.")
    check = load_check_file(write(tmp_path, "dpo.yaml", text), "dpo.yaml")
    failed = [r for r in run_check_tests([check]) if not r.passed]
    assert failed == [
        CaseResult(
            "acme.dpo",
            "examples.fail[0]",
            "dpo.yaml:19",
            False,
            "fail",
            "pass",
            (1,),
            "Email our DPO about your personal data.",
        )
    ]
    assert format_case(failed[0]) == (
        "FAIL dpo.yaml:19: acme.dpo: examples.fail[0]: expected fail, got pass (evidence on line 1)\n"
        "    | Email our DPO about your personal data."
    )
    assert format_results(failed).endswith("0 passed, 1 failed\n")


def test_a_not_applicable_example_that_applies_fails(tmp_path: Path) -> None:
    text = DPO.replace("    - We sell shoes.", "    - We sell shoes to EU customers.")
    check = load_check_file(write(tmp_path, "dpo.yaml", text), "dpo.yaml")
    case = run_check_tests([check])[2]
    assert (case.passed, case.expected, case.actual) == (False, "not-applicable", "fail")


def test_multiline_markdown_examples_report_their_evidence_lines(tmp_path: Path) -> None:
    text = DPO.replace(
        "    - Under the GDPR, contact our Data Protection Officer.",
        '    - "# GDPR\\n\\nWe comply.\\n\\nReach our DPO by email."',
    )
    check = load_check_file(write(tmp_path, "dpo.yaml", text), "dpo.yaml")
    assert run_check_tests([check])[0].lines == (5,)


def test_unknown_detector_fails_the_example_instead_of_raising(tmp_path: Path) -> None:
    text = HARBOR.replace("  - phrases: [safe harbor]", "  - detector: no-such-detector")
    check = load_check_file(write(tmp_path, "h.yaml", text), "h.yaml")
    results = run_check_tests([check])
    assert not any(r.passed for r in results)
    assert results[0].actual.startswith("error: unknown detector 'no-such-detector'")


# --- annotations -----------------------------------------------------------------------


def test_annotations_target_the_next_line_of_text() -> None:
    source = "intro\n<!-- ruleid: a.b, a.c -->\n<!-- ok: a.d -->\ntarget\n\n<!-- todook: a.b -->\n"
    assert parse_annotations(source) == [
        Annotation(Expect.RULEID, "a.b", 2, 4),
        Annotation(Expect.RULEID, "a.c", 2, 4),
        Annotation(Expect.OK, "a.d", 3, 4),
        Annotation(Expect.TODO_OK, "a.b", 6, 0),
    ]


def test_blanking_keeps_offsets_and_lines() -> None:
    source = "a\n  <!-- ruleid: x.y -->\r\nb\n"
    blanked = blank_annotations(source)
    assert len(blanked) == len(source)
    assert blanked.split("\n")[1].strip() == ""
    assert blanked.split("\n")[2] == "b"


@pytest.mark.parametrize(
    ("name", "fixture"),
    [
        ("n.fixture.md", True),
        ("dpo.fixture.html", True),
        ("x.fixture.TXT", True),
        ("dpo.md", False),
        ("dpo.fixture.yaml", False),
        (".fixture.md", False),
    ],
)
def test_fixture_names(name: str, fixture: bool) -> None:
    assert is_fixture_name(name) is fixture


# --- fixtures --------------------------------------------------------------------------

MD_FIXTURE = """\
# Privacy Policy

We follow the GDPR.

<!-- ruleid: acme.dpo -->
Contact our Data Protection Officer at dpo@example.com.

<!-- ok: acme.dpo, acme.safe-harbor -->
We protect your personal data.

<!-- ruleid: acme.safe-harbor -->
We once relied on Safe Harbor.
"""


def cases(results: list[CaseResult]) -> list[tuple[str, str, str, bool]]:
    return [(r.check, r.case, r.where, r.passed) for r in results if not r.case.startswith("examples.")]


def test_markdown_fixture_passes(tmp_path: Path, dpo, harbor) -> None:
    fixture = write(tmp_path, "acme/dpo.fixture.md", MD_FIXTURE)
    results = run_check_tests([dpo, harbor], [fixture])
    name = fixture.as_posix()
    assert cases(results) == [
        ("acme.dpo", "ruleid", f"{name}:6", True),
        ("acme.dpo", "ok", f"{name}:9", True),
        ("acme.safe-harbor", "ok", f"{name}:9", True),
        ("acme.safe-harbor", "ruleid", f"{name}:12", True),
    ]


def test_fixture_failures_name_the_line_and_the_evidence(tmp_path: Path, dpo, harbor) -> None:
    text = MD_FIXTURE.replace("We protect your personal data.", "Our Safe Harbor DPO can be reached by email.")
    text = text.replace("<!-- ruleid: acme.safe-harbor -->\n", "")
    fixture = write(tmp_path, "f.fixture.md", text)
    failed = [r for r in run_check_tests([dpo, harbor], [Fixture(fixture, "f.fixture.md")]) if not r.passed]
    assert [(r.check, r.case, r.where, r.expected, r.actual, r.lines) for r in failed] == [
        ("acme.dpo", "ok", "f.fixture.md:9", "no evidence on line 9", "evidence on lines 6, 9 (pass)", (6, 9)),
        (
            "acme.safe-harbor",
            "ok",
            "f.fixture.md:9",
            "no evidence on line 9",
            "evidence on lines 9, 11 (fail (flagged))",
            (9, 11),
        ),
        (
            "acme.safe-harbor",
            "unannotated evidence",
            "f.fixture.md:11",
            "no evidence on a line without annotation (if it is right, add '<!-- ruleid: acme.safe-harbor -->' above)",
            "evidence on line 11",
            (9, 11),
        ),
    ]
    assert failed[0].text == "Our Safe Harbor DPO can be reached by email."


def test_ruleid_without_evidence_fails(tmp_path: Path, dpo) -> None:
    fixture = write(tmp_path, "f.fixture.md", "We follow the GDPR.\n\n<!-- ruleid: acme.dpo -->\nWe are nice.\n")
    (case,) = [r for r in run_check_tests([dpo], [fixture]) if r.case == "ruleid"]
    assert (case.passed, case.expected, case.actual) == (False, "evidence on line 4", "no evidence (fail)")


def test_todo_annotations_never_fail(tmp_path: Path, dpo) -> None:
    text = (
        "GDPR.\n\n<!-- todoruleid: acme.dpo -->\nWe are nice.\n\n<!-- todook: acme.dpo -->\nOur DPO: email dpo@x.org.\n"
    )
    fixture = write(tmp_path, "f.fixture.md", text)
    assert cases(run_check_tests([dpo], [fixture])) == []


def test_text_fixture_uses_the_same_comments(tmp_path: Path, dpo) -> None:
    text = "Privacy\n\nWe follow the GDPR.\n<!-- ruleid: acme.dpo -->\nEmail our DPO at dpo@example.com.\n"
    text += "<!-- ok: acme.dpo -->\nWe protect your data.\n"
    fixture = write(tmp_path, "f.fixture.txt", text)
    assert [c[1:] for c in cases(run_check_tests([dpo], [fixture]))] == [
        ("ruleid", f"{fixture.as_posix()}:5", True),
        ("ok", f"{fixture.as_posix()}:7", True),
    ]


def test_html_fixture_with_annotation_inside_a_paragraph(tmp_path: Path, dpo) -> None:
    text = "<html><body>\n<p>We follow the GDPR.\n<!-- ruleid: acme.dpo -->\nOur Data Protection Officer is Jo.</p>\n"
    fixture = write(tmp_path, "f.fixture.html", text + "</body></html>\n")
    assert [c[1:] for c in cases(run_check_tests([dpo], [fixture]))] == [("ruleid", f"{fixture.as_posix()}:4", True)]


@pytest.mark.parametrize(
    ("text", "expected", "actual"),
    [
        ("<!-- ruleid: acme.nope -->\nText.\n", "a check under test", "unknown check id"),
        (
            "Text.\n<!-- ruleid: acme.dpo -->\n\nMore.\n",
            "a line of text right after the annotation",
            "a blank line or the end of the file",
        ),
        ("Just a policy.\n", "a usable fixture", "no ruleid/ok annotations (see 'policylint test --help')"),
    ],
)
def test_fixture_mistakes_fail_with_a_message(tmp_path: Path, dpo, text: str, expected: str, actual: str) -> None:
    fixture = write(tmp_path, "f.fixture.md", text)
    failed = [r for r in run_check_tests([dpo], [fixture]) if not r.passed]
    assert [(r.expected, r.actual) for r in failed] == [(expected, actual)]


def test_unreadable_fixture_is_a_failing_case(tmp_path: Path, dpo) -> None:
    fixture = tmp_path / "f.fixture.md"
    fixture.write_bytes(b"\x00\x01binary")
    (case,) = [r for r in run_check_tests([dpo], [fixture]) if not r.passed]
    assert case.actual.startswith("cannot read the fixture: binary file")


# --- discovery and suites --------------------------------------------------------------


def test_fixture_discovery(tmp_path: Path) -> None:
    check = write(tmp_path, "acme/dpo.yaml", DPO)
    write(tmp_path, "acme/dpo.fixture.md", "x")
    write(tmp_path, "acme/other.fixture.txt", "x")
    write(tmp_path, "acme/notes.md", "x")
    assert [p.name for p in fixture_files([tmp_path])] == ["dpo.fixture.md", "other.fixture.txt"]
    assert [p.name for p in fixture_files([check])] == ["dpo.fixture.md"]


def test_suite_tests_only_the_given_checks(tmp_path: Path) -> None:
    write(tmp_path, "acme/dpo.yaml", DPO)
    write(tmp_path, "acme/dpo.fixture.md", MD_FIXTURE)
    suite = load_suite([tmp_path])
    assert [c.id for c in suite.checks] == ["acme.dpo"]
    assert [f.name for f in suite.fixtures] == [(tmp_path / "acme/dpo.fixture.md").as_posix()]
    failed = [r for r in run_check_tests(suite.checks, suite.fixtures) if not r.passed]
    assert [(r.check, r.actual) for r in failed] == [("acme.safe-harbor", "unknown check id")]


def test_default_suite_is_the_builtin_catalogue() -> None:
    try:
        suite = load_suite([])
    except CheckError as exc:  # the catalogue itself is linted in test_checklint
        pytest.skip(f"a built-in check does not load: {exc}")
    assert suite.checks and all(c.source.startswith("checks/") for c in suite.checks)


@pytest.mark.parametrize("overrides", [False, True])
def test_suite_enforces_overrides_for_builtin_ids(tmp_path: Path, overrides: bool) -> None:
    text = DPO.replace("id: acme.dpo", "id: children.policy") + ("overrides: true\n" if overrides else "")
    write(tmp_path, "children/policy.yaml", text)
    if overrides:
        assert [c.id for c in load_suite([tmp_path]).checks] == ["children.policy"]
    else:
        with pytest.raises(CheckError, match="overrides: true"):
            load_suite([tmp_path])
