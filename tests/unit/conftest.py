"""Helpers for the detector tests: run a detector on a text and describe what it found."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pytest

from policylint.detectors import Context, DetectorFunction
from policylint.document import parse_document
from policylint.model import Format


@dataclass(frozen=True)
class Found:
    """One finding as a user sees it: the flagged token, where it is, and the message."""

    token: str
    line: int
    column: int
    message: str
    in_source: bool


Detect = Callable[..., list[Found]]


def run_detector(
    detector: DetectorFunction,
    text: str,
    fmt: Format = "text",
    context: Context | None = None,
    params: Mapping[str, Any] | None = None,
) -> list[Found]:
    """Parse ``text`` and return the detector's findings, located in the original text."""
    doc = parse_document(text, fmt)
    found = []
    for finding in detector(doc, params or {}, context or Context()):
        if finding.in_source:
            location = doc.locate_source(finding.start, finding.end)
            token = doc.source[finding.start : finding.end]
        else:
            location = doc.locate(finding.start, finding.end)
            token = doc.text[finding.start : finding.end]
        found.append(Found(token, location.line, location.column, finding.message, finding.in_source))
    return found


@pytest.fixture
def detect() -> Detect:
    """``detect(detector, text, fmt="text", context=None, params=None) -> [Found]``."""
    return run_detector
