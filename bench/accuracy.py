#!/usr/bin/env python3
"""Accuracy benchmark: run the CLI over labelled corpus sets and score the reports.

usage: python bench/accuracy.py [--set NAME ...] [--corpus DIR] [--disagreements]
                                [--org-domain-from-name] [--checks a,b] [--json OUT]

For each set (default: seeds, opp115-dev, anomalies-dev, goppc-dev, c3pa-dev) it runs
``policylint check --format json --profile all`` on the set's documents, then
``shared/tools/score.py`` for the per-check policy-level P/R/F1, balanced F1, top-1
evidence hits and evidence precision. ``--disagreements`` lists every (document,
check) whose verdict differs from the label, with the first evidence line, so the next
person can see why. The corpus is research-licensed and read in place, never copied.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
DEFAULT_SETS = ("seeds", "opp115-dev", "anomalies-dev", "goppc-dev", "c3pa-dev")
SITE = re.compile(r"^\d+_(?P<site>[a-z0-9.-]+\.[a-z]{2,})(?:__\w+)?\.txt$")


def run_policylint(docs: list[Path], extra: list[str]) -> dict[str, object]:
    """Run the CLI once over all documents and return the parsed JSON report."""
    cmd = [
        sys.executable,
        "-m",
        "policylint",
        "check",
        "--format",
        "json",
        "--profile",
        "all",
        "--fail-on",
        "never",
        *extra,
        *map(str, docs),
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=ROOT)
    if done.returncode not in (0, 1):
        sys.stderr.write(done.stderr)
    report: dict[str, object] = json.loads(done.stdout)
    return report


def report_for(set_dir: Path, *, org_from_name: bool) -> dict[str, object]:
    """Lint a set; with ``org_from_name`` each document gets its site as --org-domain."""
    docs = sorted((set_dir / "docs").iterdir())
    if not org_from_name:
        return run_policylint(docs, [])
    files: list[object] = []
    for doc in docs:
        match = SITE.match(doc.name)
        extra = ["--org-domain", match.group("site")] if match else []
        files.extend(run_policylint([doc], extra)["files"])  # type: ignore[arg-type]
    return {"version": 1, "files": files}


def disagreements(set_dir: Path, report: dict[str, object], checks: set[str] | None) -> list[str]:
    """Describe every labelled pair whose verdict differs from the gold label."""
    results = {
        (Path(f["path"]).name, r["check"]): r  # type: ignore[index]
        for f in report["files"]  # type: ignore[attr-defined]
        for r in f["results"]
    }
    out = []
    for line in (set_dir / "labels.jsonl").read_text().splitlines():
        label = json.loads(line)
        if checks and label["check"] not in checks:
            continue
        result = results.get((label["doc"], label["check"]), {"status": "missing", "evidence": []})
        anomaly = label["expected"] in ("flag", "clean")
        gold = label["expected"] in ("pass", "flag")
        predicted = result["status"] == ("fail" if anomaly else "pass")
        evidence = result["evidence"]
        first = f"line {evidence[0]['line']}: {evidence[0]['text'][:100]!r}" if evidence else "no evidence"
        if gold != predicted:
            kind = "FN" if gold else "FP"
            out.append(
                f"{kind} {label['check']:28} {label['doc']:34} expected {label['expected']:5} got {result['status']:14} {first}"
            )
        elif gold and evidence and (label["lines"] or label.get("maybe_lines")):
            ranges = label["lines"] + label.get("maybe_lines", [])
            line_no = evidence[0]["line"]
            end = evidence[0].get("end_line", line_no)
            if not any(a <= end and line_no <= b for a, b in ranges):
                out.append(
                    f"L1 {label['check']:28} {label['doc']:34} first evidence off the gold lines {ranges[:4]}: {first}"
                )
    return out


def main() -> int:
    """Run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", dest="sets", action="append", help="corpus set name (repeatable)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--disagreements", action="store_true", help="list every disagreement")
    parser.add_argument("--org-domain-from-name", action="store_true", help="pass each file's site as --org-domain")
    parser.add_argument("--checks", help="only these check ids (comma-separated)")
    parser.add_argument("--json", type=Path, help="write the score summary of the last set here")
    args = parser.parse_args()
    if not (args.corpus / "seeds").is_dir():
        print(f"corpus not found at {args.corpus}; nothing to measure", file=sys.stderr)
        return 0
    score = args.corpus.parent / "tools" / "score.py"
    wanted = set(args.checks.split(",")) if args.checks else None
    for name in args.sets or DEFAULT_SETS:
        set_dir = args.corpus / name
        if not set_dir.is_dir():
            print(f"skip {name}: not in {args.corpus}", file=sys.stderr)
            continue
        report = report_for(set_dir, org_from_name=args.org_domain_from_name)
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
            json.dump(report, handle)
        cmd = [sys.executable, str(score), str(set_dir), handle.name]
        if args.checks:
            cmd += ["--checks", args.checks]
        if args.json:
            cmd += ["--json", str(args.json)]
        print(f"== {name}" + (" (org domain from file name)" if args.org_domain_from_name else ""))
        sys.stdout.flush()
        subprocess.run(cmd, check=False)
        Path(handle.name).unlink()
        if args.disagreements:
            for line in disagreements(set_dir, report, wanted):
                print("  " + line)
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
