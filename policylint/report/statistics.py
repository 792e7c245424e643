"""``--statistics``: failures counted per check id, most frequent first (like ruff)."""

from __future__ import annotations

import json
from collections import Counter

from policylint.report import Finding, Run, findings


def _counts(run: Run) -> list[tuple[int, Finding]]:
    found = findings(run)
    counts = Counter(f.result.check for f in found)
    first = {f.result.check: f for f in reversed(found)}
    return sorted(((n, first[check_id]) for check_id, n in counts.items()), key=lambda x: (-x[0], x[1].result.check))


def format_statistics(run: Run) -> str:
    """A table: count, check id, severity, title; then the total."""
    rows = _counts(run)
    if not rows:
        return "No failures.\n"
    count_width = max(len(str(n)) for n, _ in rows)
    id_width = max(len(f.result.check) for _, f in rows)
    lines = [
        f"{str(n).rjust(count_width)}  {f.result.check.ljust(id_width)}  {f'[{f.severity.label}]':<9}  {f.title}"
        for n, f in rows
    ]
    total = sum(n for n, _ in rows)
    files = len({f.path for f in findings(run)})
    lines.append(f"Found {total} failure{'s' if total != 1 else ''} in {files} file{'s' if files != 1 else ''}.")
    return "\n".join(lines) + "\n"


def format_statistics_json(run: Run) -> str:
    """The same counts as JSON: ``[{"check", "title", "severity", "count"}]``."""
    rows = [
        {"check": f.result.check, "title": f.title, "severity": f.severity.label, "count": n} for n, f in _counts(run)
    ]
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
