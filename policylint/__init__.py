"""policylint: a compliance-checklist linter for privacy policies."""

__version__ = "0.1.0"
