"""The command line: exit codes, output formats, errors as one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from policylint.cli import main
from policylint.resources import schema

GOOD = """\
# Privacy Policy

Last updated: March 3, 2026

We collect your name and e-mail address. We share it only with service providers.
Our site is not directed to children under 13 and we do not knowingly collect their data.
Contact us at privacy@example.com.
"""


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def policy(tmp_path: Path) -> Path:
    path = tmp_path / "policy.md"
    path.write_text(GOOD)
    return path


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--version")
    assert (code, out.startswith("policylint, version ")) == (0, True)


def test_passing_selection_exits_zero(capsys: pytest.CaptureFixture[str], policy: Path) -> None:
    code, out, err = run(capsys, "check", "--select", "children.policy", "--color", "never", str(policy))
    assert (code, err) == (0, "")
    assert "✓ children.policy" in out
    assert out.rstrip().endswith("1 passed, 0 failed, 0 not applicable in 1 file")


def test_failing_disclosure_exits_one(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "bare.txt"
    path.write_text("We value your privacy.\n")
    code, out, _ = run(capsys, "check", "--select", "children.policy", "--color", "never", str(path))
    assert code == 1
    assert "✗ children.policy" in out and "fix: " in out


def test_fail_on_never_and_severity_threshold(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "bare.txt"
    path.write_text("We value your privacy.\n")
    assert run(capsys, "check", "--select", "children.policy", "--fail-on", "never", str(path))[0] == 0


def test_json_output_matches_the_report_schema(capsys: pytest.CaptureFixture[str], policy: Path) -> None:
    code, out, _ = run(capsys, "check", "--format", "json", "--profile", "all", "--fail-on", "never", str(policy))
    report = json.loads(out)
    Draft202012Validator(schema("report.schema.json")).validate(report)
    assert code == 0
    children = next(r for r in report["files"][0]["results"] if r["check"] == "children.policy")
    assert children["status"] == "pass"
    assert children["evidence"][0]["line"] == 6


def test_stdin_with_format(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(GOOD.encode())))
    code, out, _ = run(capsys, "check", "--select", "children.policy", "--stdin-format", "markdown", "--format", "json", "-")
    assert code == 0
    assert json.loads(out)["files"][0]["path"] == "<stdin>"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("check", "--profile", "nope", "x.md"), "unknown profile 'nope'"),
        (("check", "--select", "nothing.here", "x.md"), "no check matches 'nothing.here'"),
        (("explain", "no.such-check"), "unknown check 'no.such-check'"),
        (("check", "--format", "yaml", "x.md"), "Invalid value for '-f' / '--format'"),
    ],
)
def test_usage_errors_are_one_line_and_exit_two(capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str) -> None:
    code, out, err = run(capsys, *args)
    assert code == 2
    assert message in err
    assert "Traceback" not in err + out


def test_bad_files_are_reported_and_the_rest_still_linted(capsys: pytest.CaptureFixture[str], tmp_path: Path, policy: Path) -> None:
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\x00\x00")
    code, out, err = run(capsys, "check", "--select", "children.policy", "--color", "never", str(tmp_path / "missing.md"), str(binary), str(policy))
    assert code == 2
    assert err.splitlines() == [
        f"policylint: {(tmp_path / 'missing.md').as_posix()}: no such file or directory",
        f"policylint: {binary.as_posix()}: binary file (contains NUL bytes); expected text, Markdown or HTML",
    ]
    assert "✓ children.policy" in out


def test_invalid_extra_check_is_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path, policy: Path) -> None:
    bad = tmp_path / "checks" / "bad.yaml"
    bad.parent.mkdir()
    bad.write_text("id: acme.x\ntitle: 3\n")
    code, _, err = run(capsys, "check", "--checks", str(bad.parent), str(policy))
    assert code == 2
    assert err.strip().count("\n") == 0
    assert "bad.yaml" in err and "$" in err


def test_validate_checks(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("id: acme.x\ntitle: Some title\nseverity: fatal\n")
    code, _, err = run(capsys, "validate-checks", str(tmp_path))
    assert code == 2
    assert err.splitlines()[0].startswith(f"{(tmp_path / 'bad.yaml').as_posix()}:1: $: ")
    code, out, _ = run(capsys, "validate-checks", "checks")
    assert code == 0 and out.endswith("valid\n")


def test_list_checks_and_explain(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "list-checks")
    assert code == 0 and "children.policy" in out
    code, out, _ = run(capsys, "explain", "children.policy")
    assert code == 0
    assert "References:" in out and "How to fix:" in out and "COPPA" in out


def test_no_color_env_disables_colour(capsys: pytest.CaptureFixture[str], policy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    _, out, _ = run(capsys, "check", "--select", "children.policy", str(policy))
    assert "\x1b[" not in out
    _, out, _ = run(capsys, "check", "--select", "children.policy", "--color", "always", str(policy))
    assert "\x1b[32m" in out
