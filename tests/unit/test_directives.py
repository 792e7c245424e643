"""Suppression comments: parsing, line ranges, application and unused-suppression reports."""

from __future__ import annotations

import doctest

import pytest

import policylint.directives
from policylint.directives import UNUSED_ID, DirectiveError, apply, parse, waivers
from policylint.model import Evidence, Location, Result, Severity, Status, Suppression

KNOWN = {"children.policy", "contact.address", "anomaly.template-artifact", "anomaly.stale-date", UNUSED_ID}


def occurrence(line: int, text: str = "{{x}}") -> Evidence:
    return Evidence(Location(line, 1, line, len(text)), text, "template tag left in the text")


def anomaly(*lines: int) -> Result:
    evidence = tuple(occurrence(line) for line in lines)
    return Result("anomaly.template-artifact", Status.FAIL, Severity.WARNING, "Template residue", evidence)


MISSING = Result("children.policy", Status.FAIL, Severity.ERROR, "Missing: children's privacy practice")
PASSING = Result("contact.address", Status.PASS, Severity.ERROR, "Privacy contact", (occurrence(1, "mail us"),))


def unused(results: tuple[Result, ...]) -> Result:
    return next(r for r in results if r.check == UNUSED_ID)


def test_doctests() -> None:
    assert doctest.testmod(policylint.directives).failed == 0


def test_parse_every_form() -> None:
    source = (
        "<!-- policylint-disable anomaly, children.policy -- reviewed by legal -->\n"
        "text <!-- policylint-disable-line contact.address -->\n"
        "<!--policylint-enable-->\n"
        "<!-- policylint-disable-next-line anomaly.stale-date\n     -- the date is historical -->\n"
        "<!-- policylint-disable-file children.policy -->\n"
    )
    found = [(d.verb, d.ids, d.reason, d.location.line, d.location.end_line) for d in parse(source)]
    assert found == [
        ("disable", ("anomaly", "children.policy"), "reviewed by legal", 1, 1),
        ("disable-line", ("contact.address",), "", 2, 2),
        ("enable", (), "", 3, 3),
        ("disable-next-line", ("anomaly.stale-date",), "the date is historical", 4, 5),
        ("disable-file", ("children.policy",), "", 6, 6),
    ]
    assert parse("no comments here") == ()


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("\n<!-- policylint-disabled children.policy -->", "line 2: unknown comment 'policylint-disabled'"),
        ("<!-- policylint-disable -->", "line 1: 'policylint-disable' needs the check id(s)"),
        ("<!-- policylint-disable-file Children.Policy -->", "line 1: 'Children.Policy' in 'policylint-disable-file' is not a check id"),
    ],
)
def test_malformed_comments(source: str, message: str) -> None:
    with pytest.raises(DirectiveError) as caught:
        parse(source)
    assert str(caught.value).startswith(message)


def test_unknown_ids_are_errors() -> None:
    with pytest.raises(DirectiveError, match=r"line 1: unknown check id 'gdpr\.nope' in 'policylint-disable-file'"):
        apply([MISSING], "<!-- policylint-disable-file gdpr.nope -->", KNOWN)


def test_next_line_skips_blank_lines_and_other_comments() -> None:
    source = "a\n<!-- policylint-disable-next-line anomaly -->\n\n<!-- policylint-disable-line contact -->\n\ntarget\n"
    found, _ = waivers(parse(source), source)
    assert [(w.check, w.first, w.last) for w in found] == [("anomaly", 6, 6), ("contact", 4, 4)]


def test_ranges_close_per_id_and_run_to_the_end_without_enable() -> None:
    source = (
        "<!-- policylint-disable anomaly.stale-date, anomaly.template-artifact -->\n"
        "x\n<!-- policylint-enable anomaly.template-artifact -->\nx\n<!-- policylint-enable children.policy -->\n"
    )
    found, strays = waivers(parse(source), source)
    spans = {(w.check, w.first, w.last) for w in found}
    assert ("anomaly.template-artifact", 1, 3) in spans
    assert any(check == "anomaly.stale-date" and last > 10**9 for check, _, last in spans)
    assert [(s.check, s.directive.location.line) for s in strays] == [("children.policy", 5)]


def test_anomaly_occurrences_are_dropped_and_the_check_passes_when_none_is_left() -> None:
    source = "<!-- policylint-disable-next-line anomaly.template-artifact -->\n{{x}}\n{{x}}\n"
    partly = apply([anomaly(2, 3)], source, KNOWN)
    assert (partly[0].status, [e.location.line for e in partly[0].evidence]) == (Status.FAIL, [3])
    assert unused(partly).status is Status.PASS
    source = "<!-- policylint-disable anomaly -- placeholders are intentional -->\n{{x}}\n{{x}}\n"
    cleared = apply([anomaly(2, 3)], source, KNOWN)
    assert (cleared[0].status, cleared[0].evidence, cleared[0].message) == (
        Status.PASS,
        (),
        "2 occurrences suppressed by comments",
    )


def test_a_missing_disclosure_is_waived_only_by_disable_file() -> None:
    source = "# Policy\n<!-- policylint-disable-file children.policy -- we have no child users -->\n"
    (result, report) = apply([MISSING], source, KNOWN)
    assert (result.status, result.suppression, result.suppressed) == (
        Status.FAIL,
        Suppression("inline", "we have no child users"),
        True,
    )
    assert report.status is Status.PASS
    (result, report) = apply([MISSING], "<!-- policylint-disable children.policy -->\nx\n", KNOWN)
    assert not result.suppressed
    assert report.status is Status.FAIL
    assert "a missing disclosure has no line, use policylint-disable-file" in report.evidence[0].message


def test_unused_suppressions_are_reported_where_they_are() -> None:
    source = (
        "# Policy\n"
        "<!-- policylint-disable-file contact.address -->\n"  # contact.address passes
        "<!-- policylint-disable-next-line anomaly -->\n"  # nothing on line 4
        "fine\n"
        "{{x}}\n"
        "<!-- policylint-disable-file anomaly.stale-date -->\n"  # the check did not run: not judged
        "<!-- policylint-enable -->\n"  # closes nothing
    )
    results = apply([PASSING, anomaly(5)], source, KNOWN)
    assert results[1].status is Status.FAIL  # the occurrence on line 5 is not covered
    report = unused(results)
    assert (report.status, report.severity) == (Status.FAIL, Severity.WARNING)
    assert [(e.location.line, e.text) for e in report.evidence] == [
        (2, "<!-- policylint-disable-file contact.address -->"),
        (3, "<!-- policylint-disable-next-line anomaly -->"),
        (7, "<!-- policylint-enable -->"),
    ]
    assert report.evidence[0].message == (
        "'policylint-disable-file contact.address' waives nothing: contact.address reports no failure in this file"
    )


def test_no_comments_no_extra_result_and_unused_can_be_turned_off() -> None:
    assert apply([MISSING], "# Policy\n", KNOWN) == (MISSING,)
    source = "<!-- policylint-disable-file contact.address -->\n"
    assert apply([PASSING], source, KNOWN, unused=None) == (PASSING,)
