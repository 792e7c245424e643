"""template-artifact: placeholders, CSS classes, dummy text and CMS residue."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from policylint.detectors.artifacts import find_artifacts, template_artifact

Detect = Callable[..., list[Any]]  # the ``detect`` fixture of conftest.py


@pytest.mark.parametrize(
    ("text", "token", "column", "kind"),
    [
        ("This policy applies to {{company_name}} and its affiliates.", "{{company_name}}", 24, "template tag"),
        ("{% if eu_user %}You have rights.", "{% if eu_user %}", 1, "template tag"),
        ("Visit https://{{domain}}/privacy for details.", "{{domain}}", 15, "template tag"),
        ("Data from <%= site_name %> is kept.", "<%= site_name %>", 11, "template tag"),
        ("Welcome to ${companyName} services.", "${companyName}", 12, "template tag"),
        ("We collect data on %%SITE%% pages.", "%%SITE%%", 20, "placeholder"),
        ("We track activity on %COMPANY_NAME%.", "%COMPANY_NAME%", 22, "placeholder"),
        ("Contact [[SITE_NAME]] support.", "[[SITE_NAME]]", 9, "placeholder"),
        ("Contact __COMPANY_NAME__ support.", "COMPANY_NAME", 11, "placeholder"),  # text files drop __ as emphasis
        ("[COMPANY NAME] respects your privacy.", "[COMPANY NAME]", 1, "placeholder"),
        ("The Sites ([INSERT WEBSITE NAME], acme.ca) collect data.", "[INSERT WEBSITE NAME]", 12, "placeholder"),
        ("This policy is issued by [Company Name].", "[Company Name]", 26, "placeholder"),
        ("Last Updated: INSERT DATE HERE", "INSERT DATE HERE", 15, "placeholder"),
        ("Last Updated: MM/DD/YYYY", "MM/DD/YYYY", 15, "placeholder"),
        ("Please insert company name here before publishing.", "insert company name here", 8, "placeholder"),
        ("Contact <Company> for details.", "<Company>", 9, "placeholder"),
        ("Our layout-u-3-4 goal is to serve you.", "layout-u-3-4", 5, "CSS class name"),
        ("col-md-8 col-sm-12 To learn more, read on.", "col-md-8 col-sm-12", 1, "CSS class name"),
        ("elementor-widget-container Industry standard SSL is used.", "elementor-widget-container", 1, "CSS class name"),
        ("Barriers. wpb_text_column wpb_content_element Kaleida may use data.", "wpb_text_column wpb_content_element", 11, "CSS class name"),
        ("We share your data only with consent. more_vert", "more_vert", 39, "icon ligature"),
        ('[contact-form-7 id="482" title="Privacy Request"]', '[contact-form-7 id="482" title="Privacy Request"]', 1, "shortcode"),
        ("[vc_row] We value privacy.", "[vc_row]", 1, "shortcode"),
        ("<!-- wp:paragraph --> We value privacy.", "<!-- wp:paragraph -->", 1, "HTML comment"),
        ("We value privacy.<br> Really.", "<br>", 18, "HTML markup"),
        ("Terms &amp; Conditions apply.", "&amp;", 7, "HTML entity"),
        ("Ads are served. Lorem ipsum dolor sit amet, consectetur adipiscing elit.", "Lorem ipsum dolor sit amet, consectetur adipiscing elit.", 17, "Lorem ipsum"),
        ("We protect data. Click to edit this text.", "Click to edit this text.", 18, "page-builder dummy text"),
        ("This is a paragraph. Click here to add your own text and edit me.", "This is a paragraph. Click here to add your own text and edit me.", 1, "page-builder dummy text"),
        ("Surveys [ Contests]", "[ Contests]", 9, "bracket residue"),
        ("We use both session ID cookies [and] persistent cookies.", "[and]", 32, "bracket residue"),
        ("No data storage can be guaranteed 100HEADING_START secure.", "HEADING_START", 38, "placeholder"),
    ],
)
def test_flags_residue(detect: Detect, text: str, token: str, column: int, kind: str) -> None:
    found = detect(template_artifact, "Privacy Policy\n\n" + text + "\n")
    assert [(f.token, f.line, f.column) for f in found] == [(token, 3, column)]
    assert found[0].message.endswith(f": {kind} left in the text")


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Call 1-800-THE-BOOK [1-800-843-2665] today.", id="phone-in-brackets"),
        pytest.param("As noted in [1] and [2], the data [sic] is kept.", id="footnotes-and-sic"),
        pytest.param("Write to legal [at] gawker [dot] com or membership{at}aaas.org.", id="obfuscation"),
        pytest.param("Use the subject line [Re: Privacy Compliance Officer].", id="subject-line"),
        pytest.param("See the section [YOUR CALIFORNIA PRIVACY RIGHTS] below.", id="upper-heading-in-brackets"),
        pytest.param("Tap [App Store] or [Your Account] to manage settings.", id="button-labels"),
        pytest.param("Our state-of-the-art, up-to-date systems run on X-100 and mx-5 hardware.", id="hyphenated-words"),
        pytest.param("Cookies such as _ga, AMP_TOKEN, VISITOR_INFO1_LIVE and __utma measure traffic.", id="cookie-names"),
        pytest.param("Our servers handle 100% of traffic; 50% is cached.", id="percentages"),
        pytest.param("Visit https://acme.com/wpb_text_column/col-md-8?layout-u-3-4 for details.", id="inside-url"),
        pytest.param("The device_id and client_id fields identify the app.", id="field-names"),
        pytest.param("We may collect a sample text message you send us.", id="sample-text-in-prose"),
        pytest.param("Copyright 2015 <help@deviantart.com> all rights reserved.", id="address-in-angle-brackets"),
    ],
)
def test_does_not_flag(detect: Detect, text: str) -> None:
    assert detect(template_artifact, text + "\n") == []


def test_comments_are_not_text_in_markdown_but_escaped_ones_are(detect: Detect) -> None:
    markdown = "# Policy\n\n<!-- wp:paragraph -->\nWe value privacy.\n\nWe value &lt;Company&gt; privacy.\n"
    found = detect(template_artifact, markdown, "markdown")
    assert [(f.token, f.line, f.column) for f in found] == [("<Company>", 6, 10)]


def test_ignore_kinds_param(detect: Detect) -> None:
    text = "Our layout-u-3-4 goal is {{x}}.\n"
    found = detect(template_artifact, text, params={"ignore_kinds": ["CSS class name"]})
    assert [f.token for f in found] == ["{{x}}"]


def test_overlapping_rules_report_the_longest_span() -> None:
    assert [(a.kind, a.end - a.start) for a in find_artifacts("x %COMPANY_NAME% y")] == [("placeholder", 14)]
