"""Command line interface. The only module that reads argv or the environment, writes output or exits."""

from __future__ import annotations

import os
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, cast

import click

from policylint import __version__

if TYPE_CHECKING:
    from policylint.checks import Check
    from policylint.config import Config, Settings
    from policylint.model import Format
    from policylint.report import Run

# The keys of policylint.report.FORMATTERS (kept here so that --help needs no imports).
FORMATS = ("text", "json", "sarif", "junit", "github", "gitlab", "markdown", "html")
FAIL_ON = ("error", "warning", "info", "never")
STDIN_FORMATS = ("auto", "text", "markdown", "html")
DEFAULT_FAIL_ON = "error"
PROGRESS_FROM = 20  # files: fewer finish too fast for a progress bar to help


class UsageProblem(click.ClickException):
    """A user error: printed as one line, exit code 2."""

    exit_code = 2


def _split(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def _use_color(choice: str) -> bool:
    if choice == "never" or (choice == "auto" and (os.environ.get("NO_COLOR") or not sys.stdout.isatty())):
        return False
    if sys.platform == "win32":
        import colorama

        colorama.just_fix_windows_console()
    return True


def _load(extra: Sequence[Path]) -> tuple[Check, ...]:
    from policylint.cache import cache_dir
    from policylint.checks import CheckError, load_checks

    try:
        return load_checks(extra, cache=cache_dir(os.environ))
    except CheckError as exc:
        raise UsageProblem(str(exc)) from None


def _config(start: Path, explicit: Path | None, *, disabled: bool) -> Config:
    """The configuration: --config, else the nearest file above ``start``; none with --no-config."""
    from policylint.config import Config, ConfigError, discover, load_config

    if explicit is not None and disabled:
        raise UsageProblem("--config and --no-config cannot be used together")
    try:
        if disabled:
            return Config()
        return load_config(explicit) if explicit is not None else discover(start)
    except ConfigError as exc:
        raise UsageProblem(str(exc)) from None


def _catalogue(config: Config, check_dirs: Sequence[Path]) -> tuple[Check, ...]:
    """The built-in checks, the config's and the command line's extra checks, and unused-suppression."""
    from policylint.directives import UNUSED_SUPPRESSION

    loaded = _load((*config.checks, *check_dirs))
    return tuple(sorted((*loaded, UNUSED_SUPPRESSION), key=lambda c: c.id))


def _output_format(
    _ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]
) -> tuple[tuple[str, Path], ...]:
    out = []
    for value in values:
        name, sep, path = value.partition("=")
        if not sep or not path or name not in FORMATS:
            raise click.BadParameter(f"{value!r}: expected FORMAT=PATH with FORMAT one of {', '.join(FORMATS)}")
        out.append((name, Path(path)))
    return tuple(out)


def _jobs(_ctx: click.Context, _param: click.Parameter, value: str) -> int:
    """``-j N``: N >= 0 (0: automatic). Parsed here so that a bad value is one line (UsageProblem)."""
    try:
        jobs = int(value)
    except ValueError:
        jobs = -1
    if jobs < 0:
        raise UsageProblem(f"--jobs: expected 0 (automatic) or a number of processes, not {value!r}")
    return jobs


class _Progress:
    """``[#####     ] 120/263 files`` on a terminal's stderr, erased by :meth:`close`;
    nothing at all on a stream that is not a terminal, or for fewer than PROGRESS_FROM files."""

    WIDTH = 30

    def __init__(self, total: int, stream: TextIO) -> None:
        self.total = total
        self.stream = stream
        self.shown = total >= PROGRESS_FROM and stream.isatty()
        self.drawn = 0  # the length of the line on the terminal

    def __call__(self, done: int) -> None:
        if not self.shown:
            return
        filled = self.WIDTH * done // self.total
        line = f"[{'#' * filled}{' ' * (self.WIDTH - filled)}] {done}/{self.total} files"
        self.stream.write("\r" + line)
        self.stream.flush()
        self.drawn = len(line)

    def close(self) -> None:
        """Erase the bar (spaces, not an escape sequence: any terminal), so the report starts clean."""
        if self.drawn:
            self.stream.write("\r" + " " * self.drawn + "\r")
            self.stream.flush()
            self.drawn = 0


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="policylint")
def cli() -> None:
    """A compliance-checklist linter for privacy policies."""


_CONFIG_OPTIONS = (
    click.option(
        "--config",
        "config_path",
        type=click.Path(path_type=Path, exists=True, dir_okay=False),
        help="Use this config file (.policylint.yaml or pyproject.toml) instead of searching for one.",
    ),
    click.option("--no-config", is_flag=True, help="Ignore configuration files."),
)


def _config_options(function: click.decorators.FC) -> click.decorators.FC:
    for option in reversed(_CONFIG_OPTIONS):
        function = option(function)
    return function


@dataclass(frozen=True, slots=True)
class _Outputs:
    fmt: str
    extra: tuple[tuple[str, Path], ...]
    color: bool
    verbose: bool
    statistics: bool


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, allow_dash=True))
@click.option(
    "-f", "--format", "fmt", type=click.Choice(FORMATS), default=None,
    help="Output format [default: text; github when GITHUB_ACTIONS=true].",
)
@click.option(
    "--output-format", "outputs", multiple=True, metavar="FORMAT=PATH", callback=_output_format,
    help="Also write FORMAT to PATH (repeatable), e.g. sarif=policylint.sarif.",
)
@click.option(
    "-p", "--profile", "profiles", multiple=True,
    help="Profiles to run, comma-separated (default: recommended; 'all' for every check).",
)
@click.option("--select", multiple=True, help="Run only these check ids or prefixes (e.g. gdpr, contact.address).")
@click.option("--ignore", multiple=True, help="Skip these check ids or prefixes.")
@click.option(
    "--fail-on", type=click.Choice(FAIL_ON), default=None,
    help="Lowest severity of a failure that makes the exit code 1 [default: error].",
)
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when checks fail (errors still exit 2).")
@click.option("--statistics", is_flag=True, help="Print the number of failures per check instead of the report.")
@click.option(
    "--baseline", "baseline_path", type=click.Path(path_type=Path, dir_okay=False),
    help="Report only failures that this baseline file does not know.",
)
@click.option(
    "--write-baseline", "write_baseline", type=click.Path(path_type=Path, dir_okay=False),
    help="Record the current failures in this baseline file.",
)
@_config_options
@click.option(
    "--org-domain", "org_domains", multiple=True, help="The organisation's own domain(s), for the domain-typo check."
)
@click.option(
    "--checks", "check_dirs", multiple=True, type=click.Path(path_type=Path, exists=True),
    help="Extra check files or directories.",
)
@click.option(
    "--stdin-format", type=click.Choice(STDIN_FORMATS), default="auto", show_default=True, help="Format of '-' (stdin)."
)
@click.option(
    "--color", type=click.Choice(("auto", "always", "never")), default="auto", show_default=True,
    help="Colour the text output (NO_COLOR is honoured).",
)
@click.option("-v", "--verbose", is_flag=True, help="Show every evidence line.")
@click.option(
    "-j", "--jobs", metavar="N", default="0", callback=_jobs,
    help="Lint files in N processes [default: 0, one per CPU for 8 files or more].",
)
@click.option(
    "--max-file-size", type=click.IntRange(1), default=10, show_default=True, metavar="MB",
    help="Largest policy file to read, in MB; a bigger file is one error and is not read.",
)
@click.option(
    "--max-line-length", type=click.IntRange(1), default=1_000_000, show_default=True, metavar="CHARS",
    help="Longest line a policy may have; a file with a longer line is one error.",
)
@click.option(
    "--today", type=click.DateTime(["%Y-%m-%d"]), default=None,
    help="Date to judge stale dates against (default: today).",
)
@click.option(
    "--max-age-days", type=click.IntRange(1), default=None, help="Maximum age of the policy's date [default: 365]."
)
def check(
    *,
    paths: tuple[Path, ...],
    fmt: str | None,
    outputs: tuple[tuple[str, Path], ...],
    profiles: tuple[str, ...],
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    fail_on: str | None,
    exit_zero: bool,
    statistics: bool,
    baseline_path: Path | None,
    write_baseline: Path | None,
    config_path: Path | None,
    no_config: bool,
    org_domains: tuple[str, ...],
    check_dirs: tuple[Path, ...],
    stdin_format: str,
    color: str,
    verbose: bool,
    jobs: int,
    max_file_size: int,
    max_line_length: int,
    today: datetime | None,
    max_age_days: int | None,
) -> None:
    """Lint privacy policies (.md, .html, .txt; directories are walked; '-' is stdin)."""
    from policylint.config import Organization, Settings
    from policylint.directives import UNUSED_ID
    from policylint.document import Limits, discover
    from policylint.model import ExitCode, Severity
    from policylint.runner import is_failure
    from policylint.session import Session, default_jobs

    files = [p for p in paths if str(p) != "-"]
    config = _config(files[0] if len(paths) == 1 and files else Path.cwd(), config_path, disabled=no_config)
    catalogue = _catalogue(config, check_dirs)
    overrides = Settings(
        profiles=_split(profiles) or None,
        select=_split(select) or None,
        ignore=_split(ignore),
        organization=Organization(domains=tuple(d.lower().removeprefix("www.") for d in _split(org_domains))),
        max_age_days=max_age_days,
    )
    _validate(config, catalogue, overrides)
    runnable = tuple(c for c in catalogue if c.id != UNUSED_ID)  # applied after the engine, not by it
    limits = Limits(max_file_size * 1_000_000, max_line_length)
    session = Session(runnable, config, overrides, today.date() if today else date.today(), limits=limits)
    stdin = sys.stdin.buffer.read(limits.max_file_size + 1) if len(files) != len(paths) else None
    policies = list(discover(files))
    progress = _Progress(len(policies) + (stdin is not None), sys.stderr)
    try:
        run = session.lint(
            policies,
            stdin,
            None if stdin_format == "auto" else cast("Format", stdin_format),
            jobs=jobs or default_jobs(len(policies)),
            on_done=progress,
        )
    finally:
        progress.close()
    run = _baseline(run, baseline_path, write_baseline)
    chosen = fmt or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    _emit(run, _Outputs(chosen, outputs, chosen == "text" and _use_color(color), verbose, statistics))
    for report in run.reports:
        if report.error:
            click.echo(f"policylint: {report.path}: {report.error}", err=True)
    level = fail_on or config.fail_on or DEFAULT_FAIL_ON
    threshold = None if level == "never" else Severity.parse(level)
    if any(report.error for report in run.reports):
        raise SystemExit(ExitCode.ERROR)
    if not exit_zero and any(is_failure(r, threshold) for report in run.reports for r in report.results):
        raise SystemExit(ExitCode.FINDINGS)


def _validate(config: Config, catalogue: Sequence[Check], overrides: Settings) -> None:
    """Unknown profiles and check ids, on the command line or in the config: one line, exit 2."""
    from policylint.config import ConfigError, check_references
    from policylint.runner import known_profiles

    profiles = known_profiles(catalogue)
    unknown = sorted(set(overrides.profiles or ()) - profiles)
    if unknown:
        raise UsageProblem(f"unknown profile {unknown[0]!r} (known: {', '.join(sorted(profiles))})")
    _check_patterns(catalogue, (*(overrides.select or ()), *overrides.ignore))
    try:
        check_references(config, {c.id for c in catalogue}, profiles)
    except ConfigError as exc:
        raise UsageProblem(str(exc)) from None


def _check_patterns(catalogue: Sequence[Check], patterns: Sequence[str]) -> None:
    from policylint.runner import matches_id

    for pattern in patterns:
        if not any(matches_id(c.id, [pattern]) for c in catalogue):
            raise UsageProblem(f"no check matches {pattern!r} (see 'policylint list-checks')")


def _baseline(run: Run, read: Path | None, write: Path | None) -> Run:
    """Write the baseline if asked, then hide the failures that the baseline knows."""
    from dataclasses import replace

    from policylint import baseline

    path = write or read
    if path is None:
        return run
    relative = baseline.relative_to(path.parent)
    if write is not None:
        found = baseline.entries(run.reports, relative)
        _write(write, baseline.dumps(found))
        click.echo(f"policylint: recorded {len(found)} failure{'s' if len(found) != 1 else ''} in {write}", err=True)
        known = Counter(found)
    else:
        try:
            known = baseline.load(path, path.as_posix())
        except baseline.BaselineError as exc:
            raise UsageProblem(str(exc)) from None
    return replace(run, reports=baseline.apply(run.reports, known, relative, f"in baseline {path.as_posix()}"))


def _emit(run: Run, outputs: _Outputs) -> None:
    """Write the extra output files, print the main output, and the GitHub job summary."""
    for name, path in outputs.extra:
        _write(path, _render(run, name, color=False, verbose=outputs.verbose))
    if outputs.statistics:
        from policylint.report.statistics import format_statistics, format_statistics_json

        text = format_statistics_json(run) if outputs.fmt == "json" else format_statistics(run)
    else:
        text = _render(run, outputs.fmt, color=outputs.color, verbose=outputs.verbose)
    click.echo(text, nl=False, color=outputs.color)
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if outputs.fmt == "github" and summary_file:
        from policylint.report.github import job_summary

        try:
            with Path(summary_file).open("a", encoding="utf-8") as stream:
                stream.write(job_summary(run))
        except OSError as exc:
            click.echo(f"policylint: cannot write the job summary to {summary_file}: {exc.strerror}", err=True)


def _render(run: Run, fmt: str, *, color: bool, verbose: bool) -> str:
    from policylint.report import formatter

    if fmt == "text":
        from policylint.report.text import format_text

        return format_text(run, color=color, verbose=verbose)
    return formatter(fmt)(run)


def _write(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageProblem(f"cannot write {path}: {exc.strerror or exc}") from None


@cli.command("list-checks")
@click.option("-p", "--profile", "profiles", multiple=True, help="Only checks in these profiles.")
@click.option(
    "--checks", "check_dirs", multiple=True, type=click.Path(path_type=Path, exists=True),
    help="Extra check files or directories.",
)
@_config_options
def list_checks(
    profiles: tuple[str, ...], check_dirs: tuple[Path, ...], config_path: Path | None, no_config: bool
) -> None:
    """List the available checks: id, severity, profiles, title."""
    from policylint.runner import Selection, known_profiles, select_checks

    catalogue = _catalogue(_config(Path.cwd(), config_path, disabled=no_config), check_dirs)
    wanted = _split(profiles) or ("all",)
    unknown = sorted(set(wanted) - known_profiles(catalogue))
    if unknown:
        raise UsageProblem(f"unknown profile {unknown[0]!r} (known: {', '.join(sorted(known_profiles(catalogue)))})")
    chosen = select_checks(catalogue, Selection(wanted))
    width = max((len(c.id) for c in chosen), default=0)
    for item in chosen:
        shown = ",".join(item.profiles) or "(always on)"
        click.echo(f"{item.id.ljust(width)}  {item.severity.label:<7}  {shown:<28}  {item.title}")


@cli.command()
@click.argument("check_id")
@click.option(
    "--checks", "check_dirs", multiple=True, type=click.Path(path_type=Path, exists=True),
    help="Extra check files or directories.",
)
@_config_options
def explain(check_id: str, check_dirs: tuple[Path, ...], config_path: Path | None, no_config: bool) -> None:
    """Explain one check: what it looks for, citations and how to fix a failure."""
    config = _config(Path.cwd(), config_path, disabled=no_config)
    catalogue = {c.id: c for c in _catalogue(config, check_dirs)}
    item = catalogue.get(check_id)
    if item is None:
        raise UsageProblem(f"unknown check {check_id!r} (see 'policylint list-checks')")
    click.echo(_explanation(item), nl=False)


def _explanation(item: Check) -> str:
    from policylint.checks import CheckKind

    profiles = ", ".join(item.profiles) or "(always on)"
    lines = [
        f"{item.id}: {item.title}",
        f"severity: {item.severity.label}    kind: {item.kind.value}    profiles: {profiles}",
        "",
        item.description,
        "",
        "Passes, for example, on:" if item.kind is CheckKind.DISCLOSURE else "Clean, for example:",
        *(f"  - {text}" for text in item.examples.passing[:3]),
        "Fails, for example, on:" if item.kind is CheckKind.DISCLOSURE else "Flagged, for example:",
        *(f"  - {text}" for text in item.examples.failing[:3]),
        "",
        "References:",
        *(f"  - {ref.citation}" + (f" <{ref.url}>" if ref.url else "") for ref in item.references),
        "",
        "How to fix:",
        f"  {item.remediation}",
        "",
        f"Defined in {item.source}",
    ]
    return "\n".join(lines) + "\n"


@cli.command("validate-checks")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True))
def validate_checks(paths: tuple[Path, ...]) -> None:
    """Lint check files: schema errors, slow regexes, duplicate ids, placeholder citations,
    examples that do not produce their status. Problems as file:line: $.path: message."""
    from policylint import checklint
    from policylint.checks import check_files
    from policylint.model import ExitCode

    files = check_files(paths)
    if not files:
        raise UsageProblem("no check files (*.yaml, *.yml) found")
    problems = checklint.lint_check_files(files, builtin=checklint.builtin_index())
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        click.echo(checklint.summary(problems, len(files)), err=True)
        raise SystemExit(ExitCode.ERROR)
    click.echo(checklint.summary(problems, len(files)))


@cli.command("test")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path, exists=True))
@click.option("-v", "--verbose", is_flag=True, help="List passing cases too.")
def test_checks(paths: tuple[Path, ...], verbose: bool) -> None:
    """Run check examples and annotated fixtures (*.fixture.md|html|txt) for PATHS
    (check files or folders; default: the built-in catalogue). Exit 1 if a case fails."""
    from policylint import testing
    from policylint.checks import CheckError
    from policylint.model import ExitCode

    try:
        suite = testing.load_suite(paths)
    except CheckError as exc:
        raise UsageProblem(str(exc)) from None
    if not suite.checks:
        raise UsageProblem("no check files (*.yaml, *.yml) found")
    results = testing.run_check_tests(suite.checks, suite.fixtures)
    click.echo(testing.format_results(results, verbose=verbose), nl=False)
    if any(not case.passed for case in results):
        raise SystemExit(ExitCode.FINDINGS)


@cli.command("new-check")
@click.argument("check_id")
@click.option(
    "--kind", type=click.Choice(["disclosure", "anomaly"]), default="disclosure", show_default=True,
    help="A disclosure passes when found; an anomaly fails when found.",
)
@click.option(
    "--dir", "directory", type=click.Path(path_type=Path, file_okay=False), default=Path("checks"),
    show_default=True, help="Folder for the new check (created if missing).",
)
@click.option("--fixture", is_flag=True, help="Also create an annotated fixture document for 'policylint test'.")
def new_check(check_id: str, kind: str, directory: Path, fixture: bool) -> None:
    """Create a starter check CHECK_ID (e.g. acme.dpo) that validates and tests green."""
    from policylint.checks import CheckKind
    from policylint.scaffold import ScaffoldError, write_check
    from policylint.testing import builtin_index

    try:
        written = write_check(check_id, CheckKind(kind), directory, fixture=fixture, taken=builtin_index())
    except ScaffoldError as exc:
        raise UsageProblem(str(exc)) from None
    except OSError as exc:
        raise UsageProblem(f"cannot write in {directory.as_posix()}: {exc.strerror or exc}") from None
    for path in written:
        click.echo(f"created {path.as_posix()}")
    click.echo(f"next: edit it, then run 'policylint test {directory.as_posix()}'")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return the exit code (never raises for user errors)."""
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="policylint", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        return 2
    except click.exceptions.Abort:
        click.echo("Aborted!", err=True)
        return 2
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 0
    except BrokenPipeError:
        return 0
    return 0
