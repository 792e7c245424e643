"""The authoring commands: `test`, `new-check`, `validate-checks`, and custom checks via `--checks`."""

from __future__ import annotations

from pathlib import Path

import pytest

from policylint.cli import main

DPO = """\
id: acme.dpo
title: Data Protection Officer
description: The policy names a data protection officer and how to reach them.
severity: error
kind: disclosure
profiles: [acme]
references:
  - citation: GDPR Art. 37-39
remediation: Add "Our Data Protection Officer can be reached at dpo@example.com."
require:
  - phrases: [data protection officer]
examples:
  pass: ["Contact our Data Protection Officer."]
  fail: ["Contact us."]
"""

FIXTURE = """\
# Privacy

<!-- ruleid: acme.dpo -->
Our Data Protection Officer is Jane Doe.

<!-- ok: acme.dpo -->
We value your privacy.
"""


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- policylint test ----------------------------------------------------------------------


def test_test_passes(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    write(tmp_path, "acme/dpo.yaml", DPO)
    write(tmp_path, "acme/dpo.fixture.md", FIXTURE)
    assert run(capsys, "test", str(tmp_path)) == (0, "4 passed, 0 failed\n", "")


def test_test_verbose_lists_passing_cases(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(tmp_path, "acme/dpo.yaml", DPO)
    code, out, _ = run(capsys, "test", "-v", str(path))
    assert code == 0
    assert (
        out.splitlines()[0]
        == f"ok {path.as_posix()}:13: acme.dpo: examples.pass[0]: expected pass, got pass (evidence on line 1)"
    )


def test_test_reports_failures_and_exits_one(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(
        tmp_path, "acme/dpo.yaml", DPO.replace('fail: ["Contact us."]', 'fail: ["Ask our data protection officer."]')
    )
    write(
        tmp_path, "acme/dpo.fixture.md", FIXTURE.replace("We value your privacy.", "A data protection officer helps.")
    )
    code, out, err = run(capsys, "test", str(tmp_path))
    fixture = (tmp_path / "acme/dpo.fixture.md").as_posix()
    assert (code, err) == (1, "")
    assert out == (
        f"FAIL {path.as_posix()}:14: acme.dpo: examples.fail[0]: expected fail, got pass (evidence on line 1)\n"
        "    | Ask our data protection officer.\n"
        f"FAIL {fixture}:7: acme.dpo: ok: expected no evidence on line 7, got evidence on lines 4, 7 (pass)\n"
        "    | A data protection officer helps.\n"
        "2 passed, 2 failed\n"
    )


def test_test_invalid_check_exits_two(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(tmp_path, "bad.yaml", DPO.replace("severity: error", "severity: fatal"))
    code, out, err = run(capsys, "test", str(path))
    assert (code, out) == (2, "")
    assert err.startswith(f"Error: {path.as_posix()}:4: $.severity: 'fatal' is not one of")


def test_test_without_paths_runs_the_builtin_catalogue(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "test")
    assert code in (0, 1)
    assert out.endswith(" failed\n") and " passed, " in out.splitlines()[-1]


# --- policylint new-check --------------------------------------------------------------------


def test_new_check_then_test_and_validate(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    folder = tmp_path / "my-checks"
    code, out, err = run(capsys, "new-check", "acme.dpo", "--dir", str(folder), "--fixture")
    assert (code, err) == (0, "")
    assert out == (
        f"created {(folder / 'acme/dpo.yaml').as_posix()}\n"
        f"created {(folder / 'acme/dpo.fixture.md').as_posix()}\n"
        f"next: edit it, then run 'policylint test {folder.as_posix()}'\n"
    )
    assert run(capsys, "test", str(folder)) == (0, "4 passed, 0 failed\n", "")
    assert run(capsys, "validate-checks", str(folder)) == (0, "1 check file valid\n", "")
    code, _, err = run(capsys, "new-check", "acme.dpo", "--dir", str(folder))
    assert (code, err) == (2, f"Error: {(folder / 'acme/dpo.yaml').as_posix()} already exists; not overwriting it\n")


def test_new_anomaly_check(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert run(capsys, "new-check", "acme.safe-harbor", "--kind", "anomaly", "--dir", str(tmp_path))[0] == 0
    assert "kind: anomaly" in (tmp_path / "acme/safe-harbor.yaml").read_text()
    assert run(capsys, "test", str(tmp_path)) == (0, "2 passed, 0 failed\n", "")


def test_new_check_default_dir_is_checks(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run(capsys, "new-check", "acme.dpo")[0] == 0
    assert (tmp_path / "checks/acme/dpo.yaml").is_file()


@pytest.mark.parametrize(
    ("check_id", "message"),
    [
        ("Acme DPO", "Error: invalid check id 'Acme DPO'"),
        ("children.policy", "Error: 'children.policy' is already a check id"),
    ],
)
def test_new_check_refuses_bad_ids(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, check_id: str, message: str
) -> None:
    code, _, err = run(capsys, "new-check", check_id, "--dir", str(tmp_path))
    assert code == 2 and err.startswith(message)
    assert list(tmp_path.iterdir()) == []


# --- policylint validate-checks --------------------------------------------------------------


def test_validate_checks_lints_beyond_the_schema(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    slow = write(
        tmp_path, "a/slow.yaml", DPO.replace("  - phrases: [data protection officer]", "  - regex: '(\\w+\\s?)+!'")
    )
    dup = write(tmp_path, "b/dup.yaml", DPO.replace("  - citation: GDPR Art. 37-39", "  - citation: TODO"))
    code, out, err = run(capsys, "validate-checks", str(tmp_path))
    assert (code, out) == (2, "")
    lines = err.splitlines()
    assert lines[0].startswith(
        f"{slow.as_posix()}:11: $.require[0].regex[0]: regular expression can take exponential time"
    )
    assert lines[1:] == [
        f"{dup.as_posix()}:1: $.id: duplicate check id 'acme.dpo' (also in {slow.as_posix()}:1)",
        f"{dup.as_posix()}:8: $.references[0].citation: citation 'TODO' is not a citation: name the law, article or standard",
        "3 problems in 2 of 2 check files",
    ]


def test_validate_checks_schema_error_first(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("id: acme.x\ntitle: Some title\nseverity: fatal\n")
    code, _, err = run(capsys, "validate-checks", str(tmp_path))
    assert code == 2
    assert err.splitlines()[0].startswith(f"{(tmp_path / 'bad.yaml').as_posix()}:1: $: ")
    assert err.splitlines()[-1] == "1 problem in 1 of 1 check file"


def test_validate_checks_contradictory_examples(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(
        tmp_path, "c.yaml", DPO.replace('fail: ["Contact us."]', 'fail: ["Contact our Data Protection Officer."]')
    )
    code, _, err = run(capsys, "validate-checks", str(path))
    assert code == 2
    assert err.splitlines()[:2] == [
        f"{path.as_posix()}:14: $.examples.fail[0]: the same example is already at $.examples.pass[0]: "
        "a check cannot give one text two statuses",
        f"{path.as_posix()}:14: $.examples.fail[0]: example does not produce its status: expected fail, got pass "
        "(evidence on line 1 of the example)",
    ]


# --- custom checks with --checks ---------------------------------------------------------------


def test_custom_check_runs_with_checks_option(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    write(tmp_path, "my/acme/dpo.yaml", DPO)
    policy = write(tmp_path, "policy.md", "# Privacy\n\nOur Data Protection Officer is Jane Doe.\n")
    code, out, _ = run(
        capsys, "check", "--checks", str(tmp_path / "my"), "--profile", "acme", "--color", "never", str(policy)
    )
    assert code == 0
    assert "✓ acme.dpo" in out


@pytest.mark.parametrize(("overrides", "code"), [(False, 2), (True, 0)])
def test_custom_check_replaces_a_builtin_only_with_overrides(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, overrides: bool, code: int
) -> None:
    text = DPO.replace("id: acme.dpo", "id: children.policy") + ("overrides: true\n" if overrides else "")
    check = write(tmp_path, "my/children/policy.yaml", text)
    policy = write(tmp_path, "policy.md", "# Privacy\n\nOur Data Protection Officer is Jane Doe.\n")
    result = run(
        capsys, "check", "--checks", str(check), "--select", "children.policy", "--color", "never", str(policy)
    )
    assert result[0] == code
    if overrides:
        assert "✓ children.policy  Data Protection Officer" in result[1]
    else:
        assert result[2] == (
            f"Error: {check.as_posix()}: $.id: 'children.policy' is a built-in check; set 'overrides: true' to replace it\n"
        )


def test_custom_check_with_slow_regex_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    check = write(tmp_path, "slow.yaml", DPO.replace("  - phrases: [data protection officer]", "  - regex: '(a|a)*!'"))
    policy = write(tmp_path, "policy.txt", "a" * 60 + "\n")
    code, out, err = run(capsys, "check", "--checks", str(check), "--select", "acme", str(policy))
    assert (code, out) == (2, "")
    assert err.startswith(
        f"Error: {check.as_posix()}:11: $.require[0].regex[0]: regular expression can take exponential time"
    )
