#!/usr/bin/env python3
"""Speed benchmark: start-up, one-file latency, corpus throughput and linearity.

usage: python bench/speed.py [--corpus DIR] [--repeat N] [--proselint [--proselint-sets S,...|all] [--proselint-repeat N]]

Figures are medians of N runs (default 7) of real subprocesses (start-up, one file) or
in-process timings (throughput: N/3 runs; linearity: 3 rounds of a small file, a ten times
larger one and the small one again, each a file of its own). In process, the catalogue is loaded once, before the clock, through the cache as
the CLI does. ``--proselint`` also times proselint on the
.txt/.md files (by default of the opp115-dev and seeds sets), one process each, when it is
installed (``pip install '.[bench]'``), and prints both times, MB/s and the ratio. The
corpus is research-licensed and read in place, never copied.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from policylint.checks import Check

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"


def wall(cmd: list[str], repeat: int, env: dict[str, str] | None = None) -> float:
    """Median wall time of a command, in seconds."""
    return statistics.median(walls(cmd, repeat, env))


def walls(cmd: list[str], repeat: int, env: dict[str, str] | None = None) -> list[float]:
    """Wall times of ``repeat`` runs of a command, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=False, env=env)
        times.append(time.perf_counter() - start)
    return times


def fresh_bytecode() -> str:
    """Compile the installed package's modules, as ``pip install`` does.

    An editable checkout whose modules changed since Python last cached them (or run with
    PYTHONDONTWRITEBYTECODE) would otherwise recompile them in every timed process.
    """
    import importlib.util

    spec = importlib.util.find_spec("policylint")
    if spec is None or spec.origin is None:
        return "policylint is not importable here: byte code not refreshed"
    folder = str(Path(spec.origin).parent)
    done = subprocess.run([sys.executable, "-m", "compileall", "-q", folder], capture_output=True, check=False)
    return f"byte code refreshed in {folder}" if done.returncode == 0 else f"could not refresh byte code in {folder}"


def scaled(folder: Path, text: str, copies: int, run: int) -> Path:
    """A file of ``copies`` of ``text`` and a last line of its own: no memo of another run's text serves it."""
    path = folder / f"x{copies}-{run}.md"
    path.write_text(f"{text * copies}\n\nThis is run {run}.\n")
    return path


def linearity_round(folder: Path, text: str, copies: int, checks: tuple[Check, ...], number: int) -> tuple[float, float]:
    """Seconds for ``copies`` of ``text`` and for ten times as many, each file of its own.

    The small file is linted before and after the large one and the two times averaged, so
    that a drift of the machine's speed during the round weighs on both sizes alike.
    """
    small = [scaled(folder, text, copies, 10 * number + side) for side in (1, 2)]
    large = scaled(folder, text, copies * 10, 10 * number)
    before = timed(lambda: lint_all([small[0]], checks), 1)
    ten = timed(lambda: lint_all([large], checks), 1)
    after = timed(lambda: lint_all([small[1]], checks), 1)
    return (before + after) / 2, ten


def timed(function: Callable[[], object], repeat: int) -> float:
    """Median in-process time of a call, in seconds."""
    return statistics.median(times(function, repeat))


def times(function: Callable[[], object], repeat: int) -> list[float]:
    """In-process times of ``repeat`` calls, in seconds."""
    found = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        found.append(time.perf_counter() - start)
    return found


def corpus_files(corpus: Path) -> list[Path]:
    """Every document of every set."""
    return sorted(p for p in corpus.glob("*/docs/*") if p.is_file())


def all_profile(cache: Path) -> tuple[Check, ...]:
    """The `all` profile's checks, read through the catalogue cache in ``cache`` as the CLI does."""
    from policylint.checks import load_checks
    from policylint.runner import Selection, select_checks

    return select_checks(load_checks(cache=cache), Selection(("all",)))


def lint_all(files: list[Path], checks: tuple[Check, ...]) -> None:
    """Lint files in process with ``checks`` (loaded once, outside the timings)."""
    from policylint.detectors import Context
    from policylint.runner import lint_file

    context = Context()
    for path in files:
        lint_file(path, checks, context)


PROSELINT_SETS = ("opp115-dev", "seeds")


def compare_proselint(files: list[Path], sets: str, policylint: list[str], repeat: int) -> None:
    """Time proselint and policylint on the same .txt/.md files, one process each, and print both.

    proselint lints every file named in one call, one after the other; policylint runs with
    ``--profile all`` and, where it has ``--jobs``, ``--jobs 1`` so that both use one CPU.
    Both write JSON (proselint's ``-o json``, policylint's ``--format json``) to a pipe.
    """
    proselint = shutil.which("proselint")
    if proselint is None:
        print("proselint: not installed (pip install '.[bench]')")
        return
    chosen = None if sets == "all" else set(sets.split(","))
    texts = [p for p in files if p.suffix in {".txt", ".md"} and (chosen is None or p.parent.parent.name in chosen)]
    if not texts:
        print(f"proselint: no .txt/.md files in the sets {sets}")
        return
    size = sum(p.stat().st_size for p in texts) / 1e6
    paths = [str(p) for p in texts]
    help_text = subprocess.run([*policylint, "check", "--help"], capture_output=True, text=True, check=False).stdout
    jobs = ["--jobs", "1"] if "--jobs" in help_text else []
    ours_cmd = [*policylint, "check", "--profile", "all", "--fail-on", "never", "--format", "json", *jobs, *paths]
    theirs_cmd = [proselint, "check", "--output-format", "json", *paths]
    ours_out = subprocess.run(ours_cmd, capture_output=True, text=True, check=False).stdout
    theirs_out = subprocess.run(theirs_cmd, capture_output=True, text=True, check=False).stdout
    ours_files, theirs_files = len(json.loads(ours_out)["files"]), len(json.loads(theirs_out)["result"])
    if ours_files != len(paths) or theirs_files != len(paths):
        print(f"proselint: warning: {len(paths)} files given, policylint reported {ours_files}, "
              f"proselint {theirs_files}")
    theirs = wall(theirs_cmd, repeat)
    ours = wall(ours_cmd, repeat)
    try:
        version = importlib.metadata.version("proselint")
    except importlib.metadata.PackageNotFoundError:
        version = "?"
    print(f"vs proselint {version} on {len(paths)} .txt/.md files of {sets} ({size:.1f} MB), one process each, "
          f"median of {repeat}:")
    print(f"  proselint  {theirs:6.2f} s  {size / theirs:5.2f} MB/s")
    print(f"  policylint {ours:6.2f} s  {size / ours:5.2f} MB/s  (--profile all{' --jobs 1' if jobs else ''})")
    print(f"  policylint takes {ours / theirs:.2f}x proselint's time")


def main() -> int:
    """Run the benchmark and print a table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--proselint", action="store_true", help="also time proselint on the same files")
    parser.add_argument(
        "--proselint-sets", default=",".join(PROSELINT_SETS),
        help="corpus sets for --proselint, comma-separated, or 'all' (default: %(default)s)",
    )
    parser.add_argument("--proselint-repeat", type=int, default=3, help="runs per tool for --proselint (median)")
    args = parser.parse_args()
    exe = shutil.which("policylint") or f"{sys.executable} -m policylint"
    policylint = exe.split()

    print(fresh_bytecode())
    bare = wall([sys.executable, "-c", "pass"], args.repeat)
    version = wall([*policylint, "--version"], args.repeat)
    print(f"start-up: python -c pass {bare * 1000:.0f} ms; policylint --version {version * 1000:.0f} ms "
          f"(+{(version - bare) * 1000:.0f} ms; target +60 ms)")

    sample = ROOT / "examples" / "acme-privacy.md"
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "policy-20k.md"
        text = sample.read_text()
        big.write_text((text * (20_000 // len(text) + 1))[:20_000])
        one_file = [*policylint, "check", "--profile", "all", "--fail-on", "never", str(big)]
        cached = {**os.environ, "POLICYLINT_CACHE_DIR": str(Path(tmp) / "cache")}
        uncached = {**os.environ, "POLICYLINT_CACHE_DIR": ""}
        wall(one_file, 1, cached)  # the first run writes the compiled catalogue
        ones = walls(one_file, args.repeat, cached)
        first = wall(one_file, max(1, args.repeat // 2), uncached)
        print(f"one 20 KB Markdown policy, --profile all, new process: {statistics.median(ones) * 1000:.0f} ms "
              f"(fastest {min(ones) * 1000:.0f} ms) with the catalogue cache (target 250 ms), "
              f"{first * 1000:.0f} ms without it (first run after install or upgrade)")

        files = corpus_files(args.corpus)
        if files:
            size = sum(p.stat().st_size for p in files)
            checks = all_profile(Path(tmp) / "cache")
            lint_all(files[:3], checks)  # warm lazy imports and first-use work
            runs = times(lambda: lint_all(files, checks), max(1, args.repeat // 3))
            seconds = statistics.median(runs)
            print(f"corpus: {len(files)} files, {size / 1e6:.1f} MB in {seconds:.2f} s = {size / 1e6 / seconds:.2f} MB/s "
                  f"(fastest of {len(runs)}: {size / 1e6 / min(runs):.2f} MB/s; target >= 2 MB/s; in process, one core, "
                  f"catalogue loaded once before the clock)")
            command = [*policylint, "check", "--profile", "all", "--fail-on", "never", "--format", "json"]
            serial = wall([*command, "--jobs", "1", *map(str, files)], 1, cached)
            parallel = wall([*command, "--jobs", "2", *map(str, files)], 1, cached)
            print(f"corpus via the CLI: --jobs 1 {serial:.2f} s, --jobs 2 {parallel:.2f} s "
                  f"(speed-up {serial / parallel:.2f}x on {os.cpu_count()} CPUs)")
            if args.proselint:
                compare_proselint(files, args.proselint_sets, policylint, args.proselint_repeat)

        # Large enough that per-file fixed costs (catalogue, first-use work) do not hide the slope.
        copies = max(1, 500_000 // len(text))
        checks = all_profile(Path(tmp) / "cache")
        lint_all([scaled(Path(tmp), text, copies, 0)], checks)  # warm lazy imports and first-use work
        rounds = [linearity_round(Path(tmp), text, copies, checks, number) for number in (1, 2, 3)]
        t1, t10 = (statistics.median(column) for column in zip(*rounds, strict=True))
        ratio = statistics.median(large / small for small, large in rounds)
        print(f"linearity: {copies * len(text) / 1e6:.1f} MB in {t1:.2f} s, {10 * copies * len(text) / 1e6:.1f} MB "
              f"in {t10:.2f} s: 10x input takes {ratio:.1f}x as long (median of 3 rounds; target <= 11x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
