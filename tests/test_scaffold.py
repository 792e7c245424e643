"""``new-check``: starter checks that validate and pass their own tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from policylint.checklint import lint_check_files
from policylint.checks import CheckKind, load_check_file
from policylint.scaffold import ScaffoldError, check_path, render_check, starter, write_check
from policylint.testing import fixture_files, run_check_tests


@pytest.mark.parametrize(
    ("check_id", "expected"),
    [
        ("acme.dpo", "acme/dpo.yaml"),
        ("acme.safe-harbor", "acme/safe-harbor.yaml"),
        ("acme.gdpr.art-37", "acme/gdpr/art-37.yaml"),
    ],
)
def test_path_is_derived_from_the_id(check_id: str, expected: str) -> None:
    assert check_path(check_id, Path("checks")) == Path("checks") / expected


@pytest.mark.parametrize(
    "check_id",
    ["acme.dpo", "acme.third-parties", "acme.nothing", "acme.we", "acme.subject", "recommended.x", "a1.b2.c-3"],
)
@pytest.mark.parametrize("kind", [CheckKind.DISCLOSURE, CheckKind.ANOMALY])
def test_new_check_validates_and_its_examples_and_fixture_pass(tmp_path: Path, check_id: str, kind: CheckKind) -> None:
    written = write_check(check_id, kind, tmp_path, fixture=True)
    check = load_check_file(written[0], written[0].as_posix())
    assert (check.id, check.kind) == (check_id, kind)
    assert lint_check_files([written[0]]) == []
    results = run_check_tests([check], fixture_files([tmp_path]))
    assert [r for r in results if not r.passed] == []
    assert len(results) == 4  # one pass and one fail example, one ruleid and one ok line


def test_new_check_without_fixture_writes_only_the_check(tmp_path: Path) -> None:
    assert write_check("acme.dpo", directory=tmp_path) == [tmp_path / "acme" / "dpo.yaml"]
    assert fixture_files([tmp_path]) == []


def test_existing_files_are_never_overwritten(tmp_path: Path) -> None:
    (path,) = write_check("acme.dpo", directory=tmp_path)
    path.write_text("mine")
    with pytest.raises(ScaffoldError, match=r"acme/dpo.yaml already exists; not overwriting it"):
        write_check("acme.dpo", directory=tmp_path)
    with pytest.raises(ScaffoldError, match="already exists"):
        write_check("acme.dpo", directory=tmp_path, fixture=True)
    assert path.read_text() == "mine"
    assert not (tmp_path / "acme" / "dpo.fixture.md").exists()


@pytest.mark.parametrize("bad", ["Acme DPO", "acme", "acme.", "acme.DPO", "acme.dpo_officer", "acme..dpo", ""])
def test_invalid_ids_are_refused(tmp_path: Path, bad: str) -> None:
    with pytest.raises(ScaffoldError, match="invalid check id"):
        write_check(bad, directory=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_taken_ids_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ScaffoldError, match=r"'children\.policy' is already a check id"):
        write_check("children.policy", directory=tmp_path, taken={"children.policy"})


def test_unwritable_directory_is_a_scaffold_error(tmp_path: Path) -> None:
    (tmp_path / "acme").write_text("a file where a folder should be")
    with pytest.raises(ScaffoldError, match="cannot write"):
        write_check("acme.dpo", directory=tmp_path)


def test_rendered_check_is_commented_yaml() -> None:
    text = render_check(starter("acme.dpo"))
    assert text.startswith("# A policylint check")
    assert "id: acme.dpo\n" in text and "  - phrases: [dpo]\n" in text and "profiles: [recommended, acme]" in text
