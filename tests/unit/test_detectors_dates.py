"""The policy's own date (find_policy_date, policy-date) and stale-date."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from policylint.detectors import Context, DetectorError
from policylint.detectors.dates import find_policy_date, policy_date, stale_date
from policylint.document import parse_document

Detect = Callable[..., list[Any]]  # the ``detect`` fixture of conftest.py
TODAY = date(2026, 6, 1)


@pytest.mark.parametrize(
    ("text", "written", "value"),
    [
        ("This Privacy Policy is effective as of January 1, 2009", "January 1, 2009", date(2009, 1, 1)),
        ("Last updated: 1/1/2009", "1/1/2009", date(2009, 1, 1)),
        ("Last updated: 23/4/2019", "23/4/2019", date(2019, 4, 23)),
        ("Last updated: 2009-01-01", "2009-01-01", date(2009, 1, 1)),
        ("Last updated: Jan. 2009", "Jan. 2009", date(2009, 1, 1)),
        ("Effective Date: 1 January 2009", "1 January 2009", date(2009, 1, 1)),
        ("Effective Date: 1st of January, 2009", "1st of January, 2009", date(2009, 1, 1)),
        ("Revised March 2012", "March 2012", date(2012, 3, 1)),
        ("(Last modified January, 2015)", "January, 2015", date(2015, 1, 1)),
        ("Last revised: January 07, 2014", "January 07, 2014", date(2014, 1, 7)),
        ("This Privacy Policy was revised Jan. 2, 2014.", "Jan. 2, 2014", date(2014, 1, 2)),
        ("It was most recently updated on May 21, 2015.", "May 21, 2015", date(2015, 5, 21)),
        ("Updated as of May 2014", "May 2014", date(2014, 5, 1)),
        ("Posted: Tuesday, September 18, 2012 12:29 pm", "Tuesday, September 18, 2012", date(2012, 9, 18)),
        ("Stand: 01.04.2021. Last updated 01.04.2021", "01.04.2021", date(2021, 4, 1)),
        ("Last updated: 2019", "2019", date(2019, 1, 1)),
        ("STATEMENT OF PRIVACY ( 12/23/2014, UNITED STATES ONLY)", "12/23/2014", date(2014, 12, 23)),
        ("Caribou Coffee Privacy Statement June 3, 2003", "June 3, 2003", date(2003, 6, 3)),
        (
            "Published: March 23, 2021 WP Company LLC recognizes the importance of protecting the privacy of "
            "the personal information of its users, readers and customers, and describes its practices here.",
            "March 23, 2021",
            date(2021, 3, 23),
        ),
        ("Last Modified:\n\nOctober 22, 2020", "October 22, 2020", date(2020, 10, 22)),
        ("Last updated: March 20/2023", "March 20/2023", date(2023, 3, 20)),
    ],
)
def test_finds_the_policy_date(text: str, written: str, value: date) -> None:
    doc = parse_document("Privacy Policy\n\n" + text + "\n\nWe collect your name.\n", "text")
    found = find_policy_date(doc)
    assert found is not None
    start, end, got = found
    assert (doc.text[start:end], got) == (written, value)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            "> The following text is extracted from the acme.com privacy policy that was archived on 2007-12-26.\n\n"
            "We collect your name.",
            id="archive-note",
        ),
        pytest.param("We collect your name.\n\nCopyright 2008 Acme and ACME.COM, LLC. All rights reserved.", id="copyright"),
        pytest.param("Copyright © January 2015 Acme Inc.", id="copyright-sign"),
        pytest.param(
            "California Civil Code Section 22575(b) (as amended effective January 1, 2014) lets you ask.",
            id="law-amended-effective",
        ),
        pytest.param("The CCPA, effective January 1, 2020, gives you rights.", id="law-effective"),
        pytest.param("We comply with the Children's Online Privacy Protection Act of 1998.", id="law-year"),
        pytest.param("We joined the Digital Advertising Alliance in July 2009 and follow its rules.", id="unlabelled-month"),
        pytest.param("Since 2005, California law has let residents ask about sharing.", id="unlabelled-year"),
        pytest.param("Our list of cookies was updated in 2019 to add analytics cookies.", id="year-in-sentence"),
        pytest.param("The FTC published its guidance on March 1, 2015 for all websites.", id="published-in-sentence"),
        pytest.param(
            "If you live in Colorado (effective July 1, 2023) or Virginia (effective January 1, 2023), you have rights.",
            id="state-law-dates",
        ),
    ],
)
def test_ignores_dates_that_are_not_the_policys(text: str) -> None:
    doc = parse_document(text + "\n", "text")
    assert find_policy_date(doc) is None


def test_most_recent_date_wins_and_future_dates_yield() -> None:
    doc = parse_document("Effective date: July 1, 2004, Updated: December 23, 2013\n", "text")
    found = find_policy_date(doc)
    assert found is not None and found[2] == date(2013, 12, 23)
    doc = parse_document("Last updated: March 1, 2026. Effective: January 1, 2027.\n", "text")
    assert find_policy_date(doc, TODAY) == (14, 27, date(2026, 3, 1))
    found = find_policy_date(doc)
    assert found is not None and found[2] == date(2027, 1, 1)


def test_stale_date_flags_the_date_token(detect: Detect) -> None:
    text = "Privacy Policy\n\nWe collect data.\nThis Privacy Policy is effective as of January 1, 2009\n"
    found = detect(stale_date, text, context=Context(today=TODAY))
    assert [(f.token, f.line, f.column) for f in found] == [("January 1, 2009", 4, 40)]
    assert found[0].message == (
        "policy date January 1, 2009 is over 17 years old; review and re-date the policy at least every 365 days"
    )


@pytest.mark.parametrize(
    ("text", "today", "params", "flagged"),
    [
        ("Last updated: May 1, 2026", TODAY, {}, False),
        ("Last updated: May 1, 2025", TODAY, {}, True),
        ("Last updated: May 1, 2025", TODAY, {"max_age_days": 400}, False),
        ("Last updated: June 2025", TODAY, {}, False),  # a month gets the benefit of its last day
        ("Last updated: April 2025", TODAY, {}, True),
        ("Effective: December 1, 2026", TODAY, {}, True),  # in the future
        ("We collect your name.", TODAY, {}, False),  # no date: policy.effective-date's business
    ],
)
def test_stale_date(detect: Detect, text: str, today: date, params: dict[str, int], flagged: bool) -> None:
    found = detect(stale_date, text + "\n", context=Context(today=today), params=params)
    assert bool(found) is flagged


def test_future_date_message(detect: Detect) -> None:
    found = detect(stale_date, "Effective: December 1, 2026\n", context=Context(today=TODAY))
    assert found[0].message == "policy date December 1, 2026 is in the future (today is 2026-06-01)"


def test_max_age_from_context(detect: Detect) -> None:
    found = detect(stale_date, "Last updated: May 1, 2026\n", context=Context(today=TODAY, max_age_days=7))
    assert "31 days old" in found[0].message


def test_invalid_max_age(detect: Detect) -> None:
    with pytest.raises(DetectorError, match="max_age_days"):
        detect(stale_date, "Last updated: May 1, 2026\n", params={"max_age_days": "a year"})


def test_policy_date_detector_locates_the_date(detect: Detect) -> None:
    html = (
        "<html><body><main><h1>Privacy Policy</h1>\n"
        "<p><strong>Last updated:</strong> March 3, 2014</p>\n<p>We collect data.</p></main></body></html>\n"
    )
    found = detect(policy_date, html, "html", Context(today=TODAY))
    assert [(f.token, f.line, f.column, f.message) for f in found] == [
        ("March 3, 2014", 2, 35, "policy date: 2014-03-03")
    ]


@pytest.mark.parametrize("text", ["Last updated: ſep 1, 2020.", "Effective ſept. 2019"])
def test_month_names_that_only_match_case_insensitively_are_not_dates(text: str) -> None:
    assert find_policy_date(parse_document(text, "text")) is None
