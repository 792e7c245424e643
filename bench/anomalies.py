#!/usr/bin/env python3
"""Measure the anomaly checks on the labelled corpora (``shared/corpus``).

usage: PYTHONPATH=. .venv/bin/python bench/anomalies.py [--corpus DIR] [--sets a,b] [--quiet]

For every labelled (document, anomaly check) pair it prints, per check, tp/fp/fn/tn,
precision, recall and how often the first evidence item is on a gold line, once with the
organisation's domain configured (taken from the file name, or from the archive note of the
seed documents) and once with nothing configured (everything inferred). Then it lists every
disagreement with the first evidence item, and every finding raised on the sets that carry
no anomaly labels for that check (``opp115-dev``: real policies without injected faults).
Finally it scores ``find_policy_date`` against the ``policy.effective-date`` labels.

The corpora are read-only evaluation data: nothing here copies them into the project.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from policylint.checks import Check, CheckKind, load_checks
from policylint.detectors import Context
from policylint.detectors.dates import find_policy_date
from policylint.document import load_document
from policylint.engine import evaluate
from policylint.model import Document, Result, Status

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
ANOMALY_CHECKS = Path(__file__).resolve().parents[1] / "checks" / "anomaly"
LABELLED_SETS = ("anomalies-dev", "seeds")
UNLABELLED_SETS = ("opp115-dev",)
_ARCHIVE_NOTE = re.compile(r"from the (\S+?) privacy policy", re.IGNORECASE)


Labels = dict[tuple[str, str], str]  # (doc, check) -> expected, across all labelled sets


@dataclass
class Tally:
    """Confusion counts and first-evidence hits for one check in one mode."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    top1: int = 0
    disagreements: list[str] = field(default_factory=list)

    def line(self, name: str) -> str:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        top1 = f"{self.top1}/{self.tp}" if self.tp else "-"
        return (
            f"  {name:30} tp={self.tp:3} fp={self.fp:3} fn={self.fn:3} tn={self.tn:3}"
            f"  P={precision:.2f} R={recall:.2f}  top1={top1}"
        )


def site_of(doc_path: Path, doc: Document) -> str:
    """The organisation's domain: from the file name (``12_acme.com__typo1.txt``) or the
    seed documents' archive note ("... from the acme.com privacy policy ...")."""
    stem = doc_path.name.removesuffix(".txt").split("__", 1)[0]
    _, _, site = stem.partition("_")
    if "." in site:
        return site
    note = _ARCHIVE_NOTE.search(doc.source[:500])
    return note.group(1).lower() if note else ""


def load_labels(set_dir: Path) -> list[dict[str, object]]:
    with (set_dir / "labels.jsonl").open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def overlaps(line: int, end_line: int, ranges: Iterable[Sequence[int]]) -> bool:
    return any(line <= last and first <= end_line for first, last in ranges)


def first_evidence(result: Result) -> str:
    if not result.evidence:
        return "(no evidence)"
    item = result.evidence[0]
    return f"line {item.location.line}: {item.text[:100]!r} {item.message[:90]}"


def score_set(set_dir: Path, checks: Sequence[Check], today: date, quiet: bool, known: Labels) -> None:
    labels = [label for label in load_labels(set_dir) if str(label["check"]).startswith("anomaly.")]
    by_doc: dict[str, list[dict[str, object]]] = defaultdict(list)
    for label in labels:
        by_doc[str(label["doc"])].append(label)
    anomaly_checks = [check for check in checks if check.kind is CheckKind.ANOMALY]
    unlabelled_by_mode: dict[str, list[str]] = {}
    for mode in ("configured", "inferred"):
        tallies: dict[str, Tally] = defaultdict(Tally)
        unlabelled: list[str] = []
        for doc_path in sorted((set_dir / "docs").iterdir()):
            doc = load_document(doc_path)
            site = site_of(doc_path, doc) if mode == "configured" else ""
            context = Context(org_domains=(site,) if site else (), today=today)
            judged = {str(label["check"]): label for label in by_doc.get(doc_path.name, [])}
            for result in evaluate(doc, anomaly_checks, context):
                label = judged.get(result.check)
                if label is not None:
                    _tally(tallies[result.check], doc_path.name, label, result)
                elif result.status is Status.FAIL:
                    base = re.sub(r"__[^.]+(?=\.txt$)", "", doc_path.name)  # a copy's original
                    elsewhere = known.get((doc_path.name, result.check)) or known.get((base, result.check))
                    note = f" [labelled {elsewhere} elsewhere]" if elsewhere else ""
                    unlabelled.append(f"    {doc_path.name} {result.check}: {first_evidence(result)}{note}")
        _print_tallies(f"{set_dir.name} ({mode})", tallies, quiet)
        unlabelled_by_mode[mode] = unlabelled
    _print_unlabelled(set_dir.name, unlabelled_by_mode["configured"], unlabelled_by_mode["inferred"], quiet)


def _print_tallies(title: str, tallies: dict[str, Tally], quiet: bool) -> None:
    if not tallies:
        return
    print(f"\n== {title}")
    for check_id in sorted(tallies):
        print(tallies[check_id].line(check_id))
    if not quiet:
        for check_id in sorted(tallies):
            for row in tallies[check_id].disagreements:
                print(row)


def _print_unlabelled(set_name: str, configured: list[str], inferred: list[str], quiet: bool) -> None:
    if not configured and not inferred:
        return
    counts = Counter(row.split()[1].rstrip(":") for row in configured)
    summary = ", ".join(f"{check} {n}" for check, n in sorted(counts.items()))
    print(f"\n== {set_name}: failing results on pairs it has no label for (configured mode)")
    print(f"  {summary or 'none'}")
    if not quiet:
        print("\n".join(configured))
    only_inferred = sorted(set(inferred) - set(configured))
    only_configured = sorted(set(configured) - set(inferred))
    if only_inferred or only_configured:
        print("  ... differences when inferred:")
        print("\n".join([*(f"  +{row}" for row in only_inferred), *(f"  -{row}" for row in only_configured)]))


def _tally(tally: Tally, doc_name: str, label: dict[str, object], result: Result) -> None:
    flagged = result.status is Status.FAIL
    expected = label["expected"] == "flag"
    ranges = [*label.get("lines", []), *label.get("maybe_lines", [])]  # type: ignore[misc]
    if flagged and expected:
        tally.tp += 1
        item = result.evidence[0] if result.evidence else None
        if item and overlaps(item.location.line, item.location.end_line, ranges):
            tally.top1 += 1
        else:
            tally.disagreements.append(
                f"    TOP1 {doc_name} {label['check']}: gold {ranges}, got {first_evidence(result)}"
            )
    elif flagged:
        tally.fp += 1
        tally.disagreements.append(f"    FP   {doc_name} {label['check']}: {first_evidence(result)}")
    elif expected:
        tally.fn += 1
        tally.disagreements.append(f"    FN   {doc_name} {label['check']}: gold {ranges} {label.get('value', '')!r}")
    else:
        tally.tn += 1


def score_policy_dates(set_dirs: Sequence[Path]) -> None:
    """Score find_policy_date against the policy.effective-date labels."""
    counts: Counter[str] = Counter()
    rows: list[str] = []
    for set_dir in set_dirs:
        for label in load_labels(set_dir):
            if label["check"] not in ("policy.effective-date", "ccpa.last-updated"):
                continue
            doc = load_document(set_dir / "docs" / str(label["doc"]))
            found = find_policy_date(doc)
            ranges = [*label.get("lines", []), *label.get("maybe_lines", [])]  # type: ignore[misc]
            where = doc.locate(found[0], found[1]) if found else None
            expected = label["expected"] == "pass"
            if found and expected:
                assert where is not None
                hit = overlaps(where.line, where.end_line, ranges)
                counts["tp"] += 1
                counts["line hits"] += hit
                if not hit:
                    rows.append(f"    LINE {label['doc']}: gold {ranges}, got line {where.line} {found[2]}")
            elif found:
                assert where is not None
                counts["fp"] += 1
                text = doc.text[found[0] : found[1]]
                rows.append(f"    FP   {label['doc']}: line {where.line} {text!r} -> {found[2]}")
            elif expected:
                counts["fn"] += 1
                rows.append(f"    FN   {label['doc']}: gold {ranges}")
            else:
                counts["tn"] += 1
    print("\n== find_policy_date vs policy.effective-date / ccpa.last-updated labels")
    print("  " + " ".join(f"{key}={counts[key]}" for key in ("tp", "fp", "fn", "tn", "line hits")))
    print("\n".join(rows))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--sets", default=",".join(LABELLED_SETS + UNLABELLED_SETS))
    parser.add_argument("--today", type=date.fromisoformat, default=date.today())
    parser.add_argument("--quiet", action="store_true", help="print only the tables")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 2
    checks = load_checks([ANOMALY_CHECKS], builtin=False)
    set_dirs = [args.corpus / name for name in args.sets.split(",") if (args.corpus / name).is_dir()]
    known: Labels = {
        (str(label["doc"]), str(label["check"])): str(label["expected"])
        for name in LABELLED_SETS
        if (args.corpus / name / "labels.jsonl").is_file()
        for label in load_labels(args.corpus / name)
    }
    for set_dir in set_dirs:
        score_set(set_dir, checks, args.today, args.quiet, known)
    score_policy_dates([d for d in set_dirs if d.name in ("opp115-dev", "seeds", "c3pa-dev")])
    return 0


if __name__ == "__main__":
    sys.exit(main())
