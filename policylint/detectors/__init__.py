"""Built-in detectors: matchers that patterns alone cannot express.

A check refers to a detector by name (``detector: email-domain-typo``) with optional
``params``. Each detector is a pure function ``(document, params, context) -> findings``.
The table is explicit; modules are imported on first use to keep start-up lean.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from importlib import import_module
from typing import Any

from policylint.model import Document


@dataclass(frozen=True, slots=True)
class Finding:
    """One occurrence found by a detector.

    ``start``/``end`` are offsets in ``Document.text``, or in ``Document.source`` when
    ``in_source`` is true (e.g. an empty link, which has no visible text).
    """

    start: int
    end: int
    message: str = ""
    in_source: bool = False


@dataclass(frozen=True, slots=True)
class Context:
    """Facts about the organisation and the run that detectors may use."""

    org_domains: tuple[str, ...] = ()
    org_names: tuple[str, ...] = ()
    org_emails: tuple[str, ...] = ()
    site: str = ""  # a site name hinted by the file name, e.g. "example.com"
    today: date = field(default_factory=date.today)
    max_age_days: int = 365


DetectorFunction = Callable[[Document, Mapping[str, Any], Context], Iterable[Finding]]


class DetectorError(Exception):
    """Unknown detector or invalid parameters."""


@dataclass(frozen=True, slots=True)
class DetectorInfo:
    """Where a detector lives and what it does."""

    module: str
    function: str
    summary: str


DETECTORS: Mapping[str, DetectorInfo] = {
    "email-domain-typo": DetectorInfo(
        "policylint.detectors.domains",
        "email_domain_typo",
        "e-mail addresses and URLs whose domain is a near miss of the organisation's own",
    ),
    "link-text-mismatch": DetectorInfo(
        "policylint.detectors.links", "link_text_mismatch",
        "links whose visible text is an e-mail address or URL other than their target",
    ),
    "empty-link": DetectorInfo(
        "policylint.detectors.links", "empty_link",
        "links with no visible text",
    ),
    "malformed-email": DetectorInfo(
        "policylint.detectors.emails", "malformed_email",
        "e-mail-like tokens that are not valid addresses",
    ),
    "template-artifact": DetectorInfo(
        "policylint.detectors.artifacts", "template_artifact",
        "template placeholders, CSS class names, dummy text and CMS residue in the prose",
    ),
    "obsolete-reference": DetectorInfo(
        "policylint.detectors.obsolete", "obsolete_reference",
        "mentions of a defunct legal framework or body (params: framework)",
    ),
    "stale-date": DetectorInfo(
        "policylint.detectors.dates", "stale_date",
        "the policy's own date, when older than max_age_days or in the future",
    ),
    "policy-date": DetectorInfo(
        "policylint.detectors.dates", "policy_date",
        "the policy's own effective or last-updated date",
    ),
}


def get_detector(name: str) -> DetectorFunction:
    """Return the detector function registered under ``name``."""
    info = DETECTORS.get(name)
    if info is None:
        known = ", ".join(sorted(DETECTORS))
        raise DetectorError(f"unknown detector {name!r} (known: {known})")
    function: DetectorFunction = getattr(import_module(info.module), info.function)
    return function


def import_all() -> None:
    """Import every detector module (their patterns compile on import)."""
    for info in DETECTORS.values():
        import_module(info.module)
