"""The anomaly checks against the labelled corpora (skipped when the corpus is absent).

Per check and set, with the organisation's domain configured (from the file name) and
inferred: precision and recall of the flagged documents at least 0.95, and the first
evidence item on a gold line for at least 0.9 of the correctly flagged ones. The full
report, with every disagreement, is ``bench/anomalies.py``.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from policylint.checks import load_checks
from policylint.detectors import Context
from policylint.document import load_document
from policylint.engine import evaluate
from policylint.model import Status

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 1, 1)


def site_of(name: str) -> str:
    """``1028_redorbit.com__typo1.txt`` -> ``redorbit.com`` (the seeds have none)."""
    site = name.removesuffix(".txt").split("__", 1)[0].partition("_")[2]
    return site if "." in site else ""


@pytest.mark.parametrize("mode", ["configured", "inferred"])
@pytest.mark.parametrize("set_name", ["anomalies-dev", "seeds"])
def test_anomaly_checks_on_labelled_corpus(corpus: Path, set_name: str, mode: str) -> None:
    checks = load_checks([ROOT / "checks" / "anomaly"], builtin=False)
    labels = [json.loads(line) for line in (corpus / set_name / "labels.jsonl").read_text().splitlines() if line]
    labels = [label for label in labels if label["check"].startswith("anomaly.")]
    counts: dict[str, Counter[str]] = {}
    for doc_name in sorted({label["doc"] for label in labels}):
        doc = load_document(corpus / set_name / "docs" / doc_name)
        site = site_of(doc_name) if mode == "configured" else ""
        context = Context(org_domains=(site,) if site else (), today=TODAY)
        results = {result.check: result for result in evaluate(doc, checks, context)}
        for label in (label for label in labels if label["doc"] == doc_name):
            result = results[label["check"]]
            flagged, expected = result.status is Status.FAIL, label["expected"] == "flag"
            tally = counts.setdefault(label["check"], Counter())
            tally["tp" if flagged and expected else "fp" if flagged else "fn" if expected else "tn"] += 1
            if flagged and expected:
                first = result.evidence[0].location
                ranges = label["lines"] + label.get("maybe_lines", [])
                tally["top1"] += any(low <= first.end_line and first.line <= high for low, high in ranges)
    for check, tally in counts.items():
        flagged, positive = tally["tp"] + tally["fp"], tally["tp"] + tally["fn"]
        assert tally["tp"] >= 0.95 * flagged, (check, tally)
        assert tally["tp"] >= 0.95 * positive, (check, tally)
        assert tally["top1"] >= 0.9 * tally["tp"], (check, tally)
