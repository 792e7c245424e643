"""The shipped pre-commit hook, run for real with ``pre-commit try-repo``.

A copy of this project becomes a throw-away hook repository (so that uncommitted work is
tested too); pre-commit installs the hook from it into a fresh virtualenv, which needs
PyPI for the dependencies. The hook must fail on a flawed policy and pass once it is
fixed.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "policylint", "checks", "schemas", "presets")
FLAWED = "# Privacy Policy\n\nWe collect your e-mail address to send receipts.\n"
FIX = "\nOur service is not directed to children under 13 and we do not knowingly collect their data.\n"

pytestmark = [
    pytest.mark.skipif(
        importlib.util.find_spec("pre_commit") is None,
        reason="pre-commit is not installed (pip install -e '.[test]' installs it)",
    ),
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
]


def git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=policylint tests", "-c", "user.email=tests@policylint.invalid",
         "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *args],
        cwd=cwd, check=True, capture_output=True,
    )


def hook_repository(destination: Path) -> Path:
    """Copy what the hook needs into a new git repository with one commit."""
    destination.mkdir()
    for name in SHIPPED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(source, destination / name)
    git(destination, "init", "-q")
    git(destination, "add", "-A")
    git(destination, "commit", "-q", "-m", "policylint under test")
    return destination


def try_repo(hooks: Path, site: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("GITHUB_", "PRE_COMMIT"))}
    env |= {"PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never", "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(hooks), "policylint", "--all-files", "--verbose"],
        cwd=site, env=env, capture_output=True, text=True, timeout=900, check=False,
    )


def test_hook_fails_on_a_flawed_policy_and_passes_after_the_fix(tmp_path: Path) -> None:
    hooks = hook_repository(tmp_path / "hooks")
    site = tmp_path / "site"
    site.mkdir()
    git(site, "init", "-q")
    (site / ".policylint.yaml").write_text("select: [children.policy]\n", encoding="utf-8")
    (site / "README.md").write_text("# Not a policy\n\nThe hook's `files` pattern skips this file.\n", encoding="utf-8")
    policy = site / "docs" / "privacy.md"
    policy.parent.mkdir()
    policy.write_text(FLAWED, encoding="utf-8")
    git(site, "add", "-A")

    failed = try_repo(hooks, site, tmp_path / "cache")
    output = failed.stdout + failed.stderr
    assert failed.returncode == 1, output
    assert "policylint" in output and "Failed" in output
    assert "✗ children.policy" in output and "docs/privacy.md" in output
    assert "README.md" not in output.split("Using config:")[-1].split("====")[-1]

    policy.write_text(FLAWED + FIX, encoding="utf-8")
    git(site, "add", "-A")
    passed = try_repo(hooks, site, tmp_path / "cache")
    output = passed.stdout + passed.stderr
    assert passed.returncode == 0, output
    assert "Passed" in output and "✓ children.policy" in output
