"""The command line for CI: configuration, suppression comments, baselines, output files,
GitHub Actions detection, --exit-zero and --statistics."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from policylint.cli import main
from policylint.resources import schema

CHECKS = "children.policy,anomaly.template-artifact"
FLAWED = """\
# Privacy Policy

Last updated: March 3, 2026

We collect your name and e-mail address. We share it only with service providers.
Contact us at privacy@example.com.
Welcome to {{company_name}}.
"""
FIXED_CHILDREN = "Our site is not directed to children under 13 and we do not knowingly collect their data.\n"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository root with no configuration; the working directory."""
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    return tmp_path


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def statuses(out: str) -> dict[str, tuple[str, bool]]:
    report = json.loads(out)
    Draft202012Validator(schema("report.schema.json")).validate(report)
    return {r["check"]: (r["status"], r.get("suppressed", False)) for f in report["files"] for r in f["results"]}


# --- configuration -------------------------------------------------------------------


def test_config_is_found_above_the_file_and_cli_flags_win(capsys: pytest.CaptureFixture[str], repo: Path) -> None:
    write(repo / ".policylint.yaml", f"select: [{CHECKS}]\nfail-on: never\n")
    policy = write(repo / "site" / "legal" / "privacy.md", FLAWED)
    code, out, _ = run(capsys, "check", "--format", "json", str(policy))
    assert (code, statuses(out)) == (0, {"children.policy": ("fail", False), "anomaly.template-artifact": ("fail", False)})
    assert run(capsys, "check", "--fail-on", "warning", str(policy))[0] == 1
    code, out, _ = run(capsys, "check", "--format", "json", "--select", "children.policy", str(policy))
    assert (code, list(statuses(out))) == (0, ["children.policy"])
    code, out, _ = run(capsys, "check", "--format", "json", "--no-config", str(policy))
    assert code == 1 and "contact.address" in statuses(out)


def test_config_from_the_working_directory_for_several_files(capsys: pytest.CaptureFixture[str], repo: Path) -> None:
    write(repo / "pyproject.toml", "[tool.policylint]\nselect = ['children.policy']\n")
    a = write(repo / "a" / "privacy.md", FLAWED)
    b = write(repo / "b" / "privacy.txt", FLAWED)
    write(repo / "a" / ".policylint.yaml", "fail-on: never\n")  # not used: two files, so the cwd decides
    code, out, _ = run(capsys, "check", "--format", "json", str(a), str(b))
    assert code == 1 and set(statuses(out)) == {"children.policy"}


def test_explicit_config_and_per_path_settings(capsys: pytest.CaptureFixture[str], repo: Path) -> None:
    config = write(
        repo / "policylint-ci.yaml",  # per-path globs are relative to the config file's folder
        f"select: [{CHECKS}]\nper-path:\n  - paths: ['drafts/**']\n    ignore: [children]\n"
        "    severity: {anomaly: info}\n",
    )
    write(repo / "drafts" / "privacy.md", FLAWED)
    write(repo / "live" / "privacy.md", FLAWED)
    code, out, _ = run(capsys, "check", "--config", str(config), "--format", "json", "drafts", "live")
    files = {f["path"]: {r["check"]: r["severity"] for r in f["results"]} for f in json.loads(out)["files"]}
    assert files == {"drafts/privacy.md": {"anomaly.template-artifact": "info"}, "live/privacy.md": {
        "anomaly.template-artifact": "warning", "children.policy": "error"}}
    assert code == 1  # live/ still fails children.policy


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("select: [children.policy, gdpr.nope]\n", "Error: .policylint.yaml:1: $.select[1]: unknown check id 'gdpr.nope'"),
        ("severity:\n  nope: error\n", "Error: .policylint.yaml:2: $.severity.nope: unknown check id 'nope'"),
        ("profiles: [recommended, gpdr]\n", "Error: .policylint.yaml:1: $.profiles[1]: unknown profile 'gpdr'"),
        ("fail-on: sometimes\n", "Error: .policylint.yaml:1: $.fail-on: 'sometimes' is not one of"),
        ("extends: base.yaml\n", "Error: .policylint.yaml:1: $.extends: config file base.yaml not found"),
        ("select: [\n", "Error: .policylint.yaml:2: $: invalid YAML"),
    ],
)
def test_config_problems_are_one_line_and_exit_two(
    capsys: pytest.CaptureFixture[str], repo: Path, config: str, message: str
) -> None:
    write(repo / ".policylint.yaml", config)
    policy = write(repo / "privacy.md", FLAWED)
    code, out, err = run(capsys, "check", str(policy))
    assert (code, out) == (2, "")
    assert err.startswith(message) and err.count("\n") == 1


def test_config_and_no_config_conflict(capsys: pytest.CaptureFixture[str], repo: Path) -> None:
    config = write(repo / "c.yaml", "fail-on: never\n")
    code, _, err = run(capsys, "check", "--config", str(config), "--no-config", "x.md")
    assert code == 2 and "--config and --no-config cannot be used together" in err


def test_config_checks_directories_are_relative_to_the_config(capsys: pytest.CaptureFixture[str], repo: Path) -> None:
    write(
        repo / "policy-checks" / "dpo.yaml",
        "id: acme.dpo\ntitle: Names a DPO\ndescription: The policy names a data protection officer.\n"
        "severity: warning\nkind: disclosure\nprofiles: [acme]\nreferences:\n  - citation: GDPR Art. 37\n"
        "remediation: Name the DPO.\nrequire:\n  - phrases: [data protection officer]\n"
        "examples:\n  pass: [Our data protection officer.]\n  fail: [Contact us.]\n",
    )
    write(repo / "config" / ".policylint.yaml", "checks: [../policy-checks]\nprofiles: [acme]\n")
    policy = write(repo / "config" / "privacy.md", FLAWED)
    code, out, _ = run(capsys, "check", "--format", "json", "--fail-on", "warning", str(policy))
    assert (code, statuses(out)) == (1, {"acme.dpo": ("fail", False)})


# --- suppression comments ------------------------------------------------------------

SUPPRESSED = {
    "md": "<!-- policylint-disable-file children.policy -- no child users -->\n" + FLAWED.replace(
        "Welcome to", "<!-- policylint-disable-next-line anomaly.template-artifact -- demo page -->\n\nWelcome to"
    ),
    "html": "<html><body><!-- policylint-disable-file children.policy -- no child users -->\n<h1>Privacy</h1>\n"
    "<p>Contact us at privacy@example.com.</p>\n<!-- policylint-disable anomaly.template-artifact -->\n"
    "<p>Welcome to {{company_name}}.</p>\n<!-- policylint-enable anomaly.template-artifact -->\n</body></html>\n",
    "txt": "<!-- policylint-disable-file children.policy -- no child users -->\nPrivacy Policy\n\n"
    "Contact us at privacy@example.com.\nWelcome to {{company_name}}. <!-- policylint-disable-line anomaly -->\n",
}


@pytest.mark.parametrize("suffix", sorted(SUPPRESSED))
def test_suppression_comments_in_every_format(capsys: pytest.CaptureFixture[str], repo: Path, suffix: str) -> None:
    policy = write(repo / f"privacy.{suffix}", SUPPRESSED[suffix])
    code, out, err = run(capsys, "check", "--select", CHECKS, "--format", "json", "--fail-on", "info", str(policy))
    assert statuses(out) == {
        "children.policy": ("fail", True),
        "anomaly.template-artifact": ("pass", False),
        "policylint.unused-suppression": ("pass", False),
    }
    assert (code, err) == (0, "")
    children = next(r for r in json.loads(out)["files"][0]["results"] if r["check"] == "children.policy")
    assert children["suppression"] == {"kind": "inline", "reason": "no child users"}
    code, out, _ = run(capsys, "check", "--select", CHECKS, "--color", "never", str(policy))
    assert "⊘ children.policy" in out and "(suppressed: no child users)" in out
    assert out.rstrip().endswith("2 passed, 0 failed, 0 not applicable, 1 suppressed in 1 file")


def test_suppression_comments_are_not_prose_in_plain_text(capsys: pytest.CaptureFixture[str], repo: Path) -> None:
    comment = "<!-- policylint-disable-file anomaly.stale-date -- children under 13: we do not knowingly collect -->\n"
    policy = write(repo / "privacy.txt", comment + "Privacy Policy\n\nContact us at privacy@example.com.\n")
    code, out, _ = run(capsys, "check", "--select", "children.policy", "--format", "json", str(policy))
    assert (code, statuses(out)["children.policy"]) == (1, ("fail", False))


def test_unused_suppressions_are_warnings(capsys: pytest.CaptureFixture[str], repo: Path) -> None:
    text = FLAWED + "\n<!-- policylint-disable-file contact.address -- stale -->\n" + FIXED_CHILDREN
    policy = write(repo / "privacy.md", text)
    args = ("check", "--select", "children.policy,contact.address", "--color", "never", str(policy))
    code, out, _ = run(capsys, *args)
    assert code == 0  # warnings do not fail at the default threshold
    assert "✗ policylint.unused-suppression" in out
    assert f"{policy.as_posix()}:9:1: 'policylint-disable-file contact.address' waives nothing" in out
    assert run(capsys, *args, "--fail-on", "warning")[0] == 1
    code, out, _ = run(capsys, *args, "--fail-on", "warning", "--ignore", "policylint.unused-suppression")
    assert code == 0 and "unused-suppression" not in out


def test_unknown_check_in_a_comment_is_one_line_and_exit_two(capsys: pytest.CaptureFixture[str], repo: Path) -> None:
    policy = write(repo / "privacy.md", FLAWED + "<!-- policylint-disable-file children.polcy -->\n")
    other = write(repo / "other.md", FLAWED + FIXED_CHILDREN)
    code, out, err = run(capsys, "check", "--select", "children.policy", str(policy), str(other))
    assert code == 2
    assert err == (
        f"policylint: {policy.as_posix()}: line 8: unknown check id 'children.polcy' in 'policylint-disable-file' "
        "(see 'policylint list-checks')\n"
    )
    assert "✓ children.policy" in out  # the other file is still linted


# --- baseline ------------------------------------------------------------------------


def test_baseline_round_trip_survives_edits_elsewhere(
    capsys: pytest.CaptureFixture[str], repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    policy = write(repo / "docs" / "privacy.md", FLAWED)
    baseline = repo / "ci" / "baseline.json"
    baseline.parent.mkdir()
    args = ("check", "--select", CHECKS, "--fail-on", "warning")
    code, _, err = run(capsys, *args, "--write-baseline", str(baseline), str(policy))
    assert (code, err) == (0, f"policylint: recorded 2 failures in {baseline}\n")
    assert json.loads(baseline.read_text()) == {
        "version": 1,
        "findings": [
            {"path": "../docs/privacy.md", "check": "anomaly.template-artifact", "text": "{{company_name}}"},
            {"path": "../docs/privacy.md", "check": "children.policy"},
        ],
    }
    # Edits elsewhere (new lines above the old finding) do not bring it back.
    policy.write_text(FLAWED.replace("# Privacy Policy\n", "# Privacy Policy\n\nIntro.\n\nMore intro.\n"))
    args = (*args, "--baseline", str(baseline), "--color", "never")
    code, out, _ = run(capsys, *args, str(policy))
    assert code == 0
    assert "(known: in baseline " in out and "0 failed" in out
    # A new occurrence is reported, and only it.
    policy.write_text(policy.read_text() + "Also {{company_name}} and [COMPANY NAME].\n")
    code, out, _ = run(capsys, *args, "--format", "json", str(policy))
    results = {r["check"]: r for r in json.loads(out)["files"][0]["results"]}
    assert code == 1
    assert results["children.policy"]["suppressed"] is True
    assert [e["line"] for e in results["anomaly.template-artifact"]["evidence"]] == [12, 12]
    # The same baseline works from another working directory (paths are relative to it).
    monkeypatch.chdir(repo / "docs")
    assert run(capsys, "check", "--select", "children.policy", "--baseline", "../ci/baseline.json", "privacy.md")[0] == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "baseline.json: $: baseline file not found (create it with --write-baseline)"),
        ("{not json", "baseline.json:1: $: invalid JSON: Expecting property name enclosed in double quotes"),
        ('{"version": 1, "findings": [\n  {"path": "x.md", "check": 3}\n]}', "baseline.json:2: $.findings[0].check: 3 is not of type 'string'"),
        ('{"version": 2, "findings": []}', "baseline.json:1: $.version: 1 was expected"),
    ],
)
def test_bad_baseline_is_one_line_and_exit_two(
    capsys: pytest.CaptureFixture[str], repo: Path, content: str | None, message: str
) -> None:
    if content is not None:
        write(repo / "baseline.json", content)
    policy = write(repo / "privacy.md", FLAWED)
    code, out, err = run(capsys, "check", "--baseline", "baseline.json", str(policy))
    assert (code, out, err) == (2, "", f"Error: {message}\n")


# --- outputs -------------------------------------------------------------------------


def test_output_files_in_the_same_run(capsys: pytest.CaptureFixture[str], repo: Path) -> None:
    policy = write(repo / "privacy.md", FLAWED)
    (repo / "out").mkdir()
    code, out, _ = run(
        capsys, "check", "--select", CHECKS, "--color", "never", "--output-format", "sarif=out/r.sarif",
        "--output-format", "junit=r.xml", "--output-format", "gitlab=cq.json", "--output-format", "json=r.json",
        "--output-format", "markdown=r.md", "--output-format", "text=r.txt", str(policy),
    )
    assert code == 1
    assert (repo / "r.txt").read_text() == out
    sarif = json.loads((repo / "out" / "r.sarif").read_text())
    assert [r["ruleId"] for r in sarif["runs"][0]["results"]] == ["children.policy", "anomaly.template-artifact"]
    assert ET.parse(repo / "r.xml").getroot().get("failures") == "2"
    assert len(json.loads((repo / "cq.json").read_text())) == 2
    assert statuses((repo / "r.json").read_text())["children.policy"] == ("fail", False)
    assert (repo / "r.md").read_text().startswith("## policylint")


def test_unwritable_output_file_is_one_line(capsys: pytest.CaptureFixture[str], repo: Path) -> None:
    policy = write(repo / "privacy.md", FLAWED)
    code, _, err = run(capsys, "check", "--output-format", "sarif=missing/dir/r.sarif", str(policy))
    assert code == 2 and err.startswith("Error: cannot write missing/dir/r.sarif: ")


@pytest.mark.parametrize("spec", ["sarif", "yaml=x", "sarif="])
def test_bad_output_format_spec(capsys: pytest.CaptureFixture[str], repo: Path, spec: str) -> None:
    code, _, err = run(capsys, "check", "--output-format", spec, "x.md")
    assert code == 2 and "expected FORMAT=PATH" in err


def test_exit_zero_and_statistics(capsys: pytest.CaptureFixture[str], repo: Path) -> None:
    policy = write(repo / "privacy.md", FLAWED + "And {{company_name}} again.\n")
    code, out, _ = run(capsys, "check", "--select", CHECKS, "--exit-zero", "--statistics", str(policy))
    assert code == 0
    assert out == (
        "2  anomaly.template-artifact  [warning]  Template or CMS residue in the text\n"
        "1  children.policy            [error]    Children's privacy practice\n"
        "Found 3 failures in 1 file.\n"
    )
    code, out, _ = run(capsys, "check", "--select", CHECKS, "--statistics", "--format", "json", str(policy))
    assert code == 1 and json.loads(out)[0]["count"] == 2
    missing = repo / "missing.md"
    assert run(capsys, "check", "--exit-zero", str(missing))[0] == 2  # errors still exit 2


def test_github_actions_is_detected_and_gets_a_job_summary(
    capsys: pytest.CaptureFixture[str], repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    policy = write(repo / "privacy.md", FLAWED)
    summary = write(repo / "summary.md", "earlier step\n")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    code, out, _ = run(capsys, "check", "--select", CHECKS, "privacy.md")
    assert code == 1
    assert out.startswith("::group::policylint: 2 findings\n")
    assert "::error file=privacy.md,line=1,title=children.policy%3A Children's privacy practice::Missing" in out
    assert "::warning file=privacy.md,line=7,endLine=7,col=12,endColumn=27," in out
    text = summary.read_text()
    assert text.startswith("earlier step\n## policylint\n") and "| ❌ | `children.policy`" in text
    code, out, _ = run(capsys, "check", "--select", CHECKS, "--format", "text", "--color", "never", str(policy))
    assert out.startswith(policy.as_posix())
    assert summary.read_text() == text  # only the github format writes the summary


# --- documentation and examples ------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent


def test_the_readme_config_example_is_valid(capsys: pytest.CaptureFixture[str], repo: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = readme.split("## Configuration", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    write(repo / ".policylint.yaml", example.replace("checks: [policy-checks/]", "checks: []"))
    policy = write(repo / "legal" / "eu" / "privacy.md", FLAWED)
    code, _, err = run(capsys, "check", "--format", "json", str(policy))
    assert code in {0, 1} and err == ""


@pytest.mark.parametrize("workflow", ["github-workflow.yml", "gitlab-ci.yml"])
def test_ci_examples_run(capsys: pytest.CaptureFixture[str], repo: Path, workflow: str) -> None:
    import shlex

    import yaml

    text = (ROOT / "examples" / "ci" / workflow).read_text(encoding="utf-8")
    assert "upload-sarif" in text if workflow.startswith("github") else "codequality:" in text
    data = yaml.safe_load(text)
    steps = data["jobs"]["policylint"]["steps"] if "jobs" in data else [{"run": s} for s in data["policylint"]["script"]]
    commands = [s["run"] for s in steps if str(s.get("run", "")).startswith("policylint check")]
    assert commands
    write(repo / "docs" / "privacy" / "privacy.md", FLAWED)
    for command in commands:
        args = shlex.split(command)[1:]
        code, _, err = run(capsys, *args)
        assert (code, err) == (1, "")
