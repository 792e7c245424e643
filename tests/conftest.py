"""Shared fixtures: golden-file updating and the labelled corpus location."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite golden files from current output")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def corpus() -> Path:
    """The labelled corpus (research-licensed, read in place); skip when absent."""
    if not (CORPUS / "seeds" / "labels.jsonl").is_file():
        pytest.skip(f"labelled corpus not found at {CORPUS} (it lives in ../shared, outside the project)")
    return CORPUS


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Keep the compiled-catalogue cache of the CLIs the tests run out of the user's home."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("POLICYLINT_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        yield
