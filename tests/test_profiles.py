"""Regime profiles select exactly the checks they document.

Each profile (``gdpr``, ``ccpa``, ``coppa``, ``can-spam``, ``caloppa``, ``us-states``) bundles
its own checks (``checks/<regime>/``) and the core checks and anomalies that carry the
profile. The expected lists below are the documentation: a check that joins or leaves a
profile must be added here too. The ids the labelled corpora use (``shared/CHECKS.md``) must
stay in their profiles.
"""

from __future__ import annotations

from functools import cache

import pytest

from policylint.checks import Check, load_checks
from policylint.runner import Selection, select_checks

# The ids of shared/CHECKS.md ("Regime profiles"): the labelled corpora score these.
CHECKS_MD = {
    "gdpr": {
        "gdpr.controller-identity",
        "gdpr.controller-contact",
        "gdpr.dpo-contact",
        "gdpr.purposes",
        "gdpr.legal-basis",
        "gdpr.recipients",
        "gdpr.transfers",
        "gdpr.retention",
        "gdpr.right-access",
        "gdpr.right-rectification",
        "gdpr.right-erasure",
        "gdpr.right-restriction",
        "gdpr.right-portability",
        "gdpr.right-object",
        "gdpr.withdraw-consent",
        "gdpr.complaint",
        "gdpr.automated-decisions",
    },
    "ccpa": {
        "ccpa.categories-collected",
        "ccpa.categories-sold-shared",
        "ccpa.right-to-know",
        "ccpa.right-to-delete",
        "ccpa.right-to-correct",
        "ccpa.opt-out-sale-share",
        "ccpa.limit-sensitive",
        "ccpa.non-discrimination",
        "ccpa.request-methods",
        "ccpa.last-updated",
    },
    "coppa": {
        "coppa.operator-contact",
        "coppa.info-collected",
        "coppa.parental-rights",
        "coppa.disclosure",
        "coppa.retention-policy",
    },
}

# Each regime's own checks (checks/<regime>/), beyond the CHECKS.md ids.
OWN = {
    "gdpr": CHECKS_MD["gdpr"]
    | {
        "gdpr.child-consent-age",
        "gdpr.eu-representative",
        "gdpr.further-processing",
        "gdpr.joint-controllers",
        "gdpr.legitimate-interests",
        "gdpr.object-prominent",
        "gdpr.source",
        "gdpr.statutory-contractual",
        "eprivacy.cookie-consent",
        "eprivacy.cookie-details",
    },
    "ccpa": CHECKS_MD["ccpa"]
    | {
        "ccpa.authorized-agent",
        "ccpa.financial-incentive",
        "ccpa.minor-eraser",
        "ccpa.minors-under-16",
        "ccpa.opt-out-links",
        "ccpa.purposes",
        "ccpa.retention",
        "ccpa.sensitive-categories",
        "ccpa.shine-the-light",
        "ccpa.sources",
        "ccpa.third-party-categories",
        "ccpa.verification",
        "usstate.universal-opt-out",  # Global Privacy Control: CCPA regs 7025 and the state laws
    },
    "coppa": CHECKS_MD["coppa"]
    | {
        "coppa.consent-without-disclosure",
        "coppa.no-conditioning",
        "coppa.online-notice",
        "coppa.use",
    },
    "can-spam": {
        "canspam.mechanism-30d",
        "canspam.no-barriers",
        "canspam.no-transfer-after-optout",
        "canspam.optout-10bd",
        "canspam.postal-address",
    },
    "caloppa": {"caloppa.changes-without-notice"},
    "us-states": {
        "nv.sale-opt-out",
        "tx.biometric-sale-notice",
        "tx.sensitive-sale-notice",
        "usstate.appeal",
        "usstate.purposes",
        "usstate.rights-how",
        "usstate.sale-opt-out",
        "usstate.sensitive-consent",
        "usstate.targeted-ads-opt-out",
        "usstate.universal-opt-out",
    },
}

# Core disclosures and anomalies that the regime profiles reuse.
SHARED = {
    "gdpr": {
        "children.policy",
        "collection.categories",
        "contact.address",
        "cookies.disclosed",
        "cookies.persistence",
        "retention.period",
        "rights.access",
        "security.measures",
        "sharing.third-parties",
        "anomaly.email-domain-typo",
        "anomaly.link-text-mismatch",
        "anomaly.malformed-email",
        "anomaly.obsolete-reference",
    },
    "ccpa": {
        "children.policy",
        "collection.categories",
        "contact.address",
        "policy.effective-date",
        "retention.period",
        "rights.access",
        "sharing.third-parties",
        "anomaly.email-domain-typo",
        "anomaly.link-text-mismatch",
        "anomaly.malformed-email",
        "anomaly.obsolete-reference",
        "anomaly.stale-date",
    },
    "coppa": {"children.policy", "contact.address", "anomaly.email-domain-typo", "anomaly.malformed-email"},
    "can-spam": {"email.unsubscribe"},  # CAN-SPAM 7704(a)(3): how to stop marketing e-mail
    "caloppa": {
        # 22575(b)(1)-(6): categories, third parties, review process, changes, date, DNT, tracking
        "collection.categories",
        "sharing.third-parties",
        "rights.access",
        "changes.notice",
        "policy.effective-date",
        "dnt.response",
        "tracking.third-party",
        "children.policy",
        "contact.address",
        "cookies.disclosed",
        "anomaly.email-domain-typo",
        "anomaly.malformed-email",
        "anomaly.stale-date",
    },
    "us-states": {
        # shared notice pattern (VA, CO, CT, TX, OR, DE) and the CalOPPA-like Nevada and Delaware notices
        "collection.categories",
        "sharing.third-parties",
        "contact.address",
        "rights.access",
        "changes.notice",
        "policy.effective-date",
        "dnt.response",
        "tracking.third-party",
    },
}

PROFILES = sorted(OWN)


@cache
def _checks() -> tuple[Check, ...]:
    return load_checks()


def _selected(profile: str) -> set[str]:
    return {check.id for check in select_checks(_checks(), Selection((profile,)))}


@pytest.mark.parametrize("profile", PROFILES)
def test_profile_selects_exactly_its_documented_checks(profile: str) -> None:
    selected = _selected(profile)
    expected = OWN[profile] | SHARED[profile]
    assert selected - expected == set(), f"{profile}: selected but not documented here"
    assert expected - selected == set(), f"{profile}: documented here but not selected"


@pytest.mark.parametrize("profile", sorted(CHECKS_MD))
def test_checks_md_ids_are_in_their_profile(profile: str) -> None:
    assert CHECKS_MD[profile] <= _selected(profile)


@pytest.mark.parametrize("profile", PROFILES)
def test_regime_checks_live_in_their_own_folder(profile: str) -> None:
    by_id = {check.id: check for check in _checks()}
    for check_id in OWN[profile]:
        folder = "us-states" if check_id == "usstate.universal-opt-out" else profile  # shared with ccpa
        source = by_id[check_id].source
        assert f"{folder}/" in source, f"{check_id} is in {source}, not checks/{folder}/"


def test_every_profile_check_has_examples_and_citations() -> None:
    for profile in PROFILES:
        for check in select_checks(_checks(), Selection((profile,))):
            if check.id not in OWN[profile]:
                continue
            assert len(check.examples.passing) >= 3, check.id
            assert len(check.examples.failing) >= 1, check.id
            assert check.references and all(ref.citation for ref in check.references), check.id
            assert profile in check.profiles, check.id


def test_all_profile_runs_every_check() -> None:
    checks = _checks()
    assert {c.id for c in select_checks(checks, Selection(("all",)))} == {c.id for c in checks}
