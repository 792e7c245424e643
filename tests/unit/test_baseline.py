"""Baselines: recording failures, and matching them by content rather than by line."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from policylint.baseline import BaselineError, Entry, apply, dumps, entries, loads, relative_to
from policylint.model import Evidence, FileReport, Location, Result, Severity, Status, Suppression


def anomaly(*items: tuple[int, str]) -> Result:
    evidence = tuple(Evidence(Location(line, 1, line, len(text)), text) for line, text in items)
    return Result("anomaly.template-artifact", Status.FAIL, Severity.WARNING, "residue", evidence)


MISSING = Result("children.policy", Status.FAIL, Severity.ERROR, "Missing")
WAIVED = Result("contact.address", Status.FAIL, Severity.ERROR, "Missing", suppression=Suppression("inline", "ok"))
PASSING = Result("policy.effective-date", Status.PASS, Severity.ERROR, "ok")


def same(path: str) -> str:
    return path


def test_round_trip() -> None:
    reports = [FileReport("p.md", (MISSING, anomaly((3, "{{a}}"), (9, "{{a}}")), WAIVED, PASSING))]
    found = entries(reports, same)
    assert found == [
        Entry("p.md", "anomaly.template-artifact", "{{a}}"),
        Entry("p.md", "anomaly.template-artifact", "{{a}}"),
        Entry("p.md", "children.policy"),
    ]
    assert loads(dumps(found), "b.json") == Counter(found)


def test_only_new_occurrences_are_reported_whatever_their_line() -> None:
    known = Counter(entries([FileReport("p.md", (MISSING, anomaly((3, "{{a}}"), (5, "{{b}}"))))], same))
    later = FileReport("p.md", (MISSING, anomaly((30, "{{b}}"), (31, "{{a}}"), (32, "{{a}}"))))
    (report,) = apply([later], known, same, "in baseline b.json")
    missing, residue = report.results
    assert missing.suppression == Suppression("baseline", "in baseline b.json")
    assert (residue.status, residue.suppressed, [e.location.line for e in residue.evidence]) == (Status.FAIL, False, [32])
    (report,) = apply([FileReport("p.md", (anomaly((7, "{{b}}"), (8, "{{a}}")),))], known, same, "b")
    assert report.results[0].suppressed and len(report.results[0].evidence) == 2
    (report,) = apply([FileReport("other.md", (MISSING,))], known, same, "b")
    assert not report.results[0].suppressed


def test_paths_are_relative_to_the_baseline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    relative = relative_to(tmp_path / "ci")
    assert (relative("docs/p.md"), relative(str(tmp_path / "docs" / "p.md")), relative("<stdin>")) == (
        "../docs/p.md",
        "../docs/p.md",
        "<stdin>",
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[]", "b.json:1: $: [] is not of type 'object'"),
        ('{"version": 1}', "b.json:1: $: 'findings' is a required property"),
        ('{"version": 1, "findings": [{"path": "p.md"}]}', "b.json:1: $.findings[0]: 'check' is a required property"),
        ('{"version": 1,\n "findings": [],\n "extra": 1}', "b.json:3: $.extra: Additional properties are not allowed"),
        ("", "b.json:1: $: invalid JSON: Expecting value"),
    ],
)
def test_bad_baselines(text: str, message: str) -> None:
    with pytest.raises(BaselineError) as caught:
        loads(text, "b.json")
    assert str(caught.value).startswith(message)
