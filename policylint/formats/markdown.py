"""Markdown policies (temporary: parsed as light-Markdown text until the real parser lands)."""

from __future__ import annotations

from policylint.formats import text
from policylint.model import Document


def parse(source: str, path: str) -> Document:
    """Parse Markdown."""
    doc = text.parse(source, path)
    return doc
