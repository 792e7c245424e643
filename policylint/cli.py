"""Command line interface. The only module that reads argv, writes output or exits."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from policylint import __version__

if TYPE_CHECKING:
    from policylint.checks import Check
    from policylint.model import FileReport

FORMATS = ("text", "json")
FAIL_ON = ("error", "warning", "info", "never")
STDIN_FORMATS = ("auto", "text", "markdown", "html")


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
    from policylint.checks import CheckError, load_checks  # noqa: PLC0415 - lazy start-up

    try:
        return load_checks(extra)
    except CheckError as exc:
        raise UsageProblem(str(exc)) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="policylint")
def cli() -> None:
    """A compliance-checklist linter for privacy policies."""


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, allow_dash=True))
@click.option("-f", "--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True, help="Output format.")
@click.option("-p", "--profile", "profiles", multiple=True, help="Profiles to run, comma-separated (default: recommended; 'all' for every check).")
@click.option("--select", multiple=True, help="Run only these check ids or prefixes (e.g. gdpr, contact.address).")
@click.option("--ignore", multiple=True, help="Skip these check ids or prefixes.")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default="error", show_default=True, help="Lowest severity of a failure that makes the exit code 1.")
@click.option("--org-domain", "org_domains", multiple=True, help="The organisation's own domain(s), for the domain-typo check.")
@click.option("--checks", "check_dirs", multiple=True, type=click.Path(path_type=Path, exists=True), help="Extra check files or directories.")
@click.option("--stdin-format", type=click.Choice(STDIN_FORMATS), default="auto", show_default=True, help="Format of '-' (stdin).")
@click.option("--color", type=click.Choice(("auto", "always", "never")), default="auto", show_default=True, help="Colour the text output (NO_COLOR is honoured).")
@click.option("-v", "--verbose", is_flag=True, help="Show every evidence line.")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Date to judge stale dates against (default: today).")
@click.option("--max-age-days", type=click.IntRange(1), default=365, show_default=True, help="Maximum age of the policy's date.")
def check(
    paths: tuple[Path, ...],
    fmt: str,
    profiles: tuple[str, ...],
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    fail_on: str,
    org_domains: tuple[str, ...],
    check_dirs: tuple[Path, ...],
    stdin_format: str,
    color: str,
    verbose: bool,  # noqa: FBT001 - click flag
    today: Any,
    max_age_days: int,
) -> None:
    """Lint privacy policies (.md, .html, .txt; directories are walked; '-' is stdin)."""
    from policylint.detectors import Context  # noqa: PLC0415
    from policylint.model import ExitCode, Severity  # noqa: PLC0415
    from policylint.report import Run  # noqa: PLC0415
    from policylint.runner import Selection, is_failure, known_profiles, select_checks  # noqa: PLC0415

    catalogue = _load(check_dirs)
    wanted = _split(profiles) or ("recommended",)
    unknown = sorted(set(wanted) - known_profiles(catalogue))
    if unknown:
        raise UsageProblem(f"unknown profile {unknown[0]!r} (known: {', '.join(sorted(known_profiles(catalogue)))})")
    selected = select_checks(catalogue, Selection(wanted, _split(select), _split(ignore)))
    _check_patterns(catalogue, _split(select) + _split(ignore))
    context = Context(
        org_domains=tuple(d.lower().removeprefix("www.") for d in _split(org_domains)),
        today=today.date() if today else date.today(),
        max_age_days=max_age_days,
    )
    reports = _lint(paths, selected, context, stdin_format)
    run = Run(tuple(reports), selected)
    colored = fmt == "text" and _use_color(color)
    click.echo(_render(run, fmt, colored, verbose=verbose), nl=False, color=colored)
    for report in reports:
        if report.error:
            click.echo(f"policylint: {report.path}: {report.error}", err=True)
    threshold = None if fail_on == "never" else Severity.parse(fail_on)
    if any(report.error for report in reports):
        raise SystemExit(ExitCode.ERROR)
    if any(is_failure(r, threshold) for report in reports for r in report.results):
        raise SystemExit(ExitCode.FINDINGS)


def _check_patterns(catalogue: Sequence[Check], patterns: Sequence[str]) -> None:
    from policylint.runner import matches_id  # noqa: PLC0415

    for pattern in patterns:
        if not any(matches_id(c.id, [pattern]) for c in catalogue):
            raise UsageProblem(f"no check matches {pattern!r} (see 'policylint list-checks')")


def _lint(paths: Sequence[Path], checks: Sequence[Check], context: Any, stdin_format: str) -> list[FileReport]:
    from policylint.runner import lint_bytes, lint_paths  # noqa: PLC0415

    reports: list[FileReport] = []
    files = [p for p in paths if str(p) != "-"]
    if len(files) != len(paths):
        fmt = None if stdin_format == "auto" else stdin_format
        reports.append(lint_bytes(sys.stdin.buffer.read(), "<stdin>", checks, context, fmt))  # type: ignore[arg-type]
    reports.extend(lint_paths(files, checks, context))
    return reports


def _render(run: Any, fmt: str, color: bool, *, verbose: bool) -> str:
    if fmt == "json":
        from policylint.report.json_ import format_json  # noqa: PLC0415

        return format_json(run)
    from policylint.report.text import format_text  # noqa: PLC0415

    return format_text(run, color=color, verbose=verbose)


@cli.command("list-checks")
@click.option("-p", "--profile", "profiles", multiple=True, help="Only checks in these profiles.")
@click.option("--checks", "check_dirs", multiple=True, type=click.Path(path_type=Path, exists=True), help="Extra check files or directories.")
def list_checks(profiles: tuple[str, ...], check_dirs: tuple[Path, ...]) -> None:
    """List the available checks: id, severity, profiles, title."""
    from policylint.runner import Selection, known_profiles, select_checks  # noqa: PLC0415

    catalogue = _load(check_dirs)
    wanted = _split(profiles) or ("all",)
    unknown = sorted(set(wanted) - known_profiles(catalogue))
    if unknown:
        raise UsageProblem(f"unknown profile {unknown[0]!r} (known: {', '.join(sorted(known_profiles(catalogue)))})")
    chosen = select_checks(catalogue, Selection(wanted))
    width = max((len(c.id) for c in chosen), default=0)
    for item in chosen:
        click.echo(f"{item.id.ljust(width)}  {item.severity.label:<7}  {','.join(item.profiles):<28}  {item.title}")


@cli.command()
@click.argument("check_id")
@click.option("--checks", "check_dirs", multiple=True, type=click.Path(path_type=Path, exists=True), help="Extra check files or directories.")
def explain(check_id: str, check_dirs: tuple[Path, ...]) -> None:
    """Explain one check: what it looks for, citations and how to fix a failure."""
    catalogue = {c.id: c for c in _load(check_dirs)}
    item = catalogue.get(check_id)
    if item is None:
        raise UsageProblem(f"unknown check {check_id!r} (see 'policylint list-checks')")
    click.echo(_explanation(item), nl=False)


def _explanation(item: Check) -> str:
    from policylint.checks import CheckKind  # noqa: PLC0415

    lines = [
        f"{item.id}: {item.title}",
        f"severity: {item.severity.label}    kind: {item.kind.value}    profiles: {', '.join(item.profiles)}",
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
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
def validate_checks(paths: tuple[Path, ...]) -> None:
    """Validate check files against the schema; errors as file:line: $.path: message."""
    from policylint.checks import CheckError, check_files, load_check_file  # noqa: PLC0415
    from policylint.model import ExitCode  # noqa: PLC0415

    files = check_files(paths)
    if not files:
        raise UsageProblem("no check files (*.yaml, *.yml) found")
    errors = 0
    for file in files:
        try:
            load_check_file(file, file.as_posix())
        except CheckError as exc:
            errors += 1
            click.echo(str(exc), err=True)
    if errors:
        click.echo(f"{errors} of {len(files)} check file{'s' if len(files) != 1 else ''} invalid", err=True)
        raise SystemExit(ExitCode.ERROR)
    click.echo(f"{len(files)} check file{'s' if len(files) != 1 else ''} valid")


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
