"""Linting check files: malformed, slow and contradictory checks, with file:line messages."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from policylint.checklint import Problem, builtin_index, lint_check_files, summary
from policylint.checks import CheckError, builtin_check_files, load_check_file, load_checks
from policylint.redos import slow_regex_reason

ROOT = Path(__file__).resolve().parent.parent

VALID = """\
id: acme.dpo
title: Data Protection Officer
description: The policy names a data protection officer and how to reach them.
severity: warning
kind: disclosure
profiles: [acme]
references:
  - citation: GDPR Art. 37-39
remediation: Add "Our Data Protection Officer can be reached at dpo@example.com."
require:
  - phrases: [data protection officer, DPO]
examples:
  pass: ["Contact our Data Protection Officer."]
  fail: ["Contact us."]
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def lint(folder: Path, *files: Path) -> list[str]:
    problems = lint_check_files(list(files), builtin=builtin_index())
    return [str(p).replace(folder.as_posix() + "/", "") for p in problems]


# --- slow regexes ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "pattern",
    [
        r"(a+)+",
        r"(a*)*",
        r"(\w+\s?)+",
        r"^(\s*)*$",
        r"((a+))+",
        r"(a|a)*",
        r"(a|aa)+",
        r"(aa?)+",
        r"(?:a+|b)+",
        r"(\d\w|\w\d)+",
        r"(x\w+)+",
        r"(\w+[\w.])+",
        r"(.*a){12}",
        r"(?:[^.]*?\s){0,5}",
        r"[\s\S]*x",
        r"(?s).*x",
        r"privacy(?:\W+\w+)*?(?:\w+\s*)+officer",
    ],
)
def test_super_linear_patterns_are_found(pattern: str) -> None:
    assert slow_regex_reason(pattern) is not None


@pytest.mark.parametrize(
    "pattern",
    [
        r"\w+(?:\s+\w+)*",
        r"(ab+)+",
        r"(\w+\s)+",
        r"(?:ab|ac)*",
        r"(a|ab)*",
        r"(?:.|\n)*",
        r"(?:[\w-]+\.)+[a-z]{2,}",
        r"(?:\w+\W+){0,5}",
        r"[\s\S]{0,200}?",
        r".*x",
        r"(?>a+)+",
        r"(a++)+",
        r"(?:https?://\S+\s)+",
        r"(\w|\d)+",  # re merges the alternatives into one class
        r"colou?r",
        r"(?-i:(A|a))+",
        r"(unclosed",  # reported as a compile error instead
    ],
)
def test_linear_patterns_pass(pattern: str) -> None:
    assert slow_regex_reason(pattern) is None


def test_case_sensitivity_matters_for_overlap() -> None:
    assert slow_regex_reason(r"(?:\w\d|[A-Z]\w)+", re.IGNORECASE) is not None
    assert slow_regex_reason(r"(?:a\d|B\w)+", 0) is None


def test_slow_regex_is_a_problem_with_file_line_and_path(tmp_path: Path) -> None:
    path = write(
        tmp_path, "slow.yaml", VALID.replace("  - phrases: [data protection officer, DPO]", "  - regex: '(\\w+\\s?)+!'")
    )
    (problem,) = lint(tmp_path, path)
    assert problem.startswith("slow.yaml:11: $.require[0].regex[0]: regular expression can take exponential time: ")


def test_user_checks_with_slow_regexes_are_refused_at_load(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "slow.yaml",
        VALID.replace("  - phrases: [data protection officer, DPO]", "  - regex: '[\\s\\S]*officer'"),
    )
    with pytest.raises(
        CheckError, match=r"slow.yaml:11: \$\.require\[0\]\.regex\[0\]: regular expression can take quadratic"
    ):
        load_checks([path], builtin=False)
    assert load_check_file(path).id == "acme.dpo"  # only strict loading refuses


def test_catastrophic_check_never_hangs(tmp_path: Path) -> None:
    """A check whose regex would take minutes on its own examples is rejected in seconds."""
    text = VALID.replace("  - phrases: [data protection officer, DPO]", "  - regex: '(a|a)*!'")
    text = text.replace('pass: ["Contact our Data Protection Officer."]', f'pass: ["{"a" * 40}"]')
    path = write(tmp_path, "slow.yaml", text)
    policy = write(tmp_path, "policy.txt", "a" * 40 + "\n")
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from policylint.checklint import lint_check_files\n"
        "from policylint.cli import main\n"
        f"print(len(lint_check_files([Path({str(path)!r})])))\n"
        f"sys.exit(main(['check', '--checks', {str(path)!r}, '--select', 'acme', {str(policy)!r}]))\n"
    )
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False)
    assert time.monotonic() - start < 60
    assert (done.returncode, done.stdout.strip()) == (2, "1")
    assert "regular expression can take exponential time" in done.stderr
    assert "Traceback" not in done.stderr


# --- malformed and contradictory checks ---------------------------------------------------


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (("severity: warning", "severity: fatal"), "bad.yaml:4: $.severity: 'fatal' is not one of"),
        (("title: Data", "title: [Data"), "bad.yaml:"),
        (
            ("  - phrases: [data protection officer, DPO]", "  - regex: '(unclosed'"),
            "bad.yaml:11: $.require[0].regex[0]: invalid regular expression",
        ),
        (
            ('examples:\n  pass: ["Contact our Data Protection Officer."]\n  fail: ["Contact us."]\n', ""),
            "bad.yaml:1: $: 'examples' is a required property",
        ),
        (('  fail: ["Contact us."]', "  fail: []"), "bad.yaml:14: $.examples.fail: [] should be non-empty"),
        (
            ("  - citation: GDPR Art. 37-39", "  - url: https://gdpr.eu"),
            "bad.yaml:8: $.references[0]: 'citation' is a required property",
        ),
        (
            ("  - citation: GDPR Art. 37-39", "  - citation: TODO"),
            "bad.yaml:8: $.references[0].citation: citation 'TODO' is not a citation",
        ),
        (
            ("  - citation: GDPR Art. 37-39", "  - citation: https://gdpr.eu/article-37"),
            "bad.yaml:8: $.references[0].citation: citation 'https://gdpr.eu/article-37' is not a citation",
        ),
        (
            ("  - phrases: [data protection officer, DPO]", "  - detector: dpo-finder"),
            "bad.yaml:11: $.require[0].detector: unknown detector 'dpo-finder' (known: ",
        ),
    ],
)
def test_malformed_checks_get_one_clear_line(tmp_path: Path, edit: tuple[str, str], expected: str) -> None:
    text = VALID.replace(*edit)
    assert text != VALID
    problems = lint(tmp_path, write(tmp_path, "bad.yaml", text))
    assert len(problems) == 1, problems
    assert problems[0].startswith(expected), problems[0]


def test_same_text_in_pass_and_fail_is_contradictory(tmp_path: Path) -> None:
    text = VALID.replace('fail: ["Contact us."]', 'fail: ["Contact us.", "contact our data  protection officer."]')
    assert lint(tmp_path, write(tmp_path, "c.yaml", text)) == [
        "c.yaml:14: $.examples.fail[1]: the same example is already at $.examples.pass[0]: "
        "a check cannot give one text two statuses",
        "c.yaml:14: $.examples.fail[1]: example does not produce its status: expected fail, got pass "
        "(evidence on line 1 of the example)",
    ]


def test_examples_that_do_not_produce_their_status(tmp_path: Path) -> None:
    text = VALID.replace('pass: ["Contact our Data Protection Officer."]', 'pass: ["Contact our privacy team."]')
    assert lint(tmp_path, write(tmp_path, "c.yaml", text)) == [
        "c.yaml:13: $.examples.pass[0]: example does not produce its status: expected pass, got fail"
    ]


def test_duplicate_ids_across_files(tmp_path: Path) -> None:
    first, second = write(tmp_path, "a/one.yaml", VALID), write(tmp_path, "b/two.yaml", VALID)
    assert lint(tmp_path, first, second) == ["b/two.yaml:1: $.id: duplicate check id 'acme.dpo' (also in a/one.yaml:1)"]
    assert lint(tmp_path, first, first) == []  # the same file named twice is not a duplicate


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            VALID.replace("id: acme.dpo", "id: children.policy"),
            [
                "x.yaml:1: $.id: 'children.policy' is a built-in check; set 'overrides: true' to replace it, or pick another id"
            ],
        ),
        (VALID.replace("id: acme.dpo", "id: children.policy") + "overrides: true\n", []),
        (
            VALID + "overrides: true\n",
            ["x.yaml:15: $.overrides: 'overrides: true' but there is no built-in check 'acme.dpo' to replace"],
        ),
    ],
)
def test_builtin_ids_and_overrides(tmp_path: Path, text: str, expected: list[str]) -> None:
    assert lint(tmp_path, write(tmp_path, "x.yaml", text)) == expected


def test_unreadable_and_missing_files(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes(b"id: caf\xe9\n")
    problems = lint(tmp_path, bad, tmp_path / "missing.yaml")
    assert problems[0].startswith("latin1.yaml: $: cannot read: ")
    assert problems[1] == "missing.yaml: $: no such file"


def test_problems_are_sorted_by_file_then_line(tmp_path: Path) -> None:
    text = VALID.replace("  - citation: GDPR Art. 37-39", "  - citation: TBD").replace(
        "  - phrases: [data protection officer, DPO]", "  - regex: '(a+)+'"
    )
    problems = lint_check_files([write(tmp_path, "z.yaml", text), write(tmp_path, "a.yaml", "id: [\n")])
    assert [(Path(p.source).name, p.line) for p in problems] == [("z.yaml", 8), ("z.yaml", 11), ("a.yaml", 2)]


def test_summary_lines() -> None:
    problem = Problem("a.yaml", 3, ("id",), "bad")
    assert str(problem) == "a.yaml:3: $.id: bad"
    assert summary([], 1) == "1 check file valid"
    assert summary([], 3) == "3 check files valid"
    assert summary([problem, problem], 3) == "2 problems in 1 of 3 check files"


# --- the catalogue -----------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(str(f).replace("\\", "/").split("/checks/")[-1] for f in builtin_check_files()))
def test_builtin_check_is_clean(name: str) -> None:
    """Every built-in check validates, has safe regexes and its examples get their status."""
    problems = lint_check_files([ROOT / "checks" / name], builtin=builtin_index())
    assert [str(p) for p in problems] == []
