"""HTML policies (temporary)."""

from __future__ import annotations

from policylint.formats import text
from policylint.model import Document


def parse(source: str, path: str) -> Document:
    """Parse HTML."""
    return text.parse(source, path)
