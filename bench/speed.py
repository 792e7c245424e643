#!/usr/bin/env python3
"""Speed benchmark: start-up, one-file latency, corpus throughput and linearity.

usage: python bench/speed.py [--corpus DIR] [--repeat N] [--proselint]

Figures are medians of N runs (default 7) of real subprocesses (start-up, one file) or
in-process timings (throughput, linearity). ``--proselint`` also times proselint on the
same files when it is installed (``pip install '.[bench]'``) and prints the ratio. The
corpus is research-licensed and read in place, never copied.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"


def wall(cmd: list[str], repeat: int) -> float:
    """Median wall time of a command, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def timed(function: Callable[[], object], repeat: int) -> float:
    """Median in-process time of a call, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def corpus_files(corpus: Path) -> list[Path]:
    """Every document of every set."""
    return sorted(p for p in corpus.glob("*/docs/*") if p.is_file())


def lint_all(files: list[Path]) -> None:
    """Lint files in process with the `all` profile."""
    from policylint.checks import load_checks
    from policylint.detectors import Context
    from policylint.runner import Selection, lint_file, select_checks

    checks = select_checks(load_checks(), Selection(("all",)))
    context = Context()
    for path in files:
        lint_file(path, checks, context)


def main() -> int:
    """Run the benchmark and print a table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--proselint", action="store_true")
    args = parser.parse_args()
    exe = shutil.which("policylint") or f"{sys.executable} -m policylint"
    policylint = exe.split()

    bare = wall([sys.executable, "-c", "pass"], args.repeat)
    version = wall([*policylint, "--version"], args.repeat)
    print(f"start-up: python -c pass {bare * 1000:.0f} ms; policylint --version {version * 1000:.0f} ms "
          f"(+{(version - bare) * 1000:.0f} ms; target +60 ms)")

    sample = ROOT / "examples" / "acme-privacy.md"
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "policy-20k.md"
        text = sample.read_text()
        big.write_text((text * (20_000 // len(text) + 1))[:20_000])
        one = wall([*policylint, "check", "--profile", "all", "--fail-on", "never", str(big)], args.repeat)
        print(f"one 20 KB Markdown policy, --profile all, cold: {one * 1000:.0f} ms (target 250 ms)")

        files = corpus_files(args.corpus)
        if files:
            size = sum(p.stat().st_size for p in files)
            lint_all(files[:3])  # warm imports and check loading
            seconds = timed(lambda: lint_all(files), max(1, args.repeat // 3))
            print(f"corpus: {len(files)} files, {size / 1e6:.1f} MB in {seconds:.2f} s = {size / 1e6 / seconds:.2f} MB/s "
                  "(target >= 2 MB/s)")
            if args.proselint and shutil.which("proselint"):
                txt = [str(p) for p in files if p.suffix in {".txt", ".md"}][:50]
                ours = wall([*policylint, "check", "--profile", "all", "--fail-on", "never", *txt], 1)
                theirs = wall(["proselint", "check", *txt], 1)
                print(f"proselint on {len(txt)} files: {theirs:.2f} s; policylint: {ours:.2f} s; "
                      f"ratio {theirs / ours:.1f}x")

        one_x = Path(tmp) / "x1.md"
        ten_x = Path(tmp) / "x10.md"
        one_x.write_text(text * 5)
        ten_x.write_text(text * 50)
        t1 = timed(lambda: lint_all([one_x]), args.repeat)
        t10 = timed(lambda: lint_all([ten_x]), args.repeat)
        print(f"linearity: 10x input takes {t10 / t1:.1f}x as long (target <= 11x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
