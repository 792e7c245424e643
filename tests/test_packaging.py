"""The wheel ships the check catalogue and schemas, and an installed copy finds them."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    return next(out.glob("policylint-*.whl"))


def test_wheel_contains_checks_and_schemas(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped_checks = {p.relative_to(ROOT).as_posix() for p in (ROOT / "checks").rglob("*.yaml")}
    assert {f"policylint/_data/{name}" for name in shipped_checks} <= names
    assert "policylint/_data/schemas/check.schema.json" in names
    assert "policylint/_data/schemas/report.schema.json" in names
    assert {"policylint/_data/schemas/config.schema.json", "policylint/_data/schemas/baseline.schema.json"} <= names
    assert {f"policylint/_data/presets/{p.name}" for p in (ROOT / "presets").glob("*.yaml")} <= names


def test_installed_wheel_finds_its_data(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = (
        "import policylint.resources as r, policylint.checks as c;"
        "print(r.data_dir('checks'));"
        "print(len(c.load_checks()))"
    )
    done = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(site)!r}); {code}"],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    where, count = done.stdout.split()
    assert where.endswith("policylint/_data/checks") and where.startswith(str(site))
    assert int(count) == len(list((ROOT / "checks").rglob("*.yaml")))
