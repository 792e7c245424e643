"""Golden outputs: the examples rendered in every format, byte for byte.

Run ``pytest --update-golden`` to rewrite them after an intended change, and review
the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from policylint.cli import main

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
EXAMPLES = sorted(p.name for p in (ROOT / "examples").iterdir() if p.suffix in {".md", ".html", ".txt"})
FORMATS = {"text": "txt", "json": "json"}


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("example", EXAMPLES)
def test_golden(
    example: str, fmt: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, update_golden: bool
) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    main(
        [
            "check",
            "--format",
            fmt,
            "--profile",
            "all",
            "--today",
            "2026-11-01",
            "--color",
            "never",
            f"examples/{example}",
        ]
    )
    out = capsys.readouterr().out
    golden = GOLDEN / f"{example}.{FORMATS[fmt]}"
    if update_golden:
        golden.write_text(out, encoding="utf-8")
    assert out == golden.read_text(encoding="utf-8")
