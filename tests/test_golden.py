"""Golden outputs: the examples rendered in every format, byte for byte.

Run ``pytest --update-golden`` to rewrite them after an intended change, and review
the diff. Configuration files are ignored (``--no-config``), so that the goldens show the
formats, not ``examples/.policylint.yaml``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft7Validator, Draft202012Validator

from policylint.cli import main
from policylint.resources import schema

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
EXAMPLES = sorted(p.name for p in (ROOT / "examples").iterdir() if p.suffix in {".md", ".html", ".txt"})
FORMATS = {
    "text": "txt",
    "json": "json",
    "sarif": "sarif",
    "junit": "junit.xml",
    "github": "github.txt",
    "gitlab": "gitlab.json",
    "markdown": "summary.md",
    "html": "html",
}
SARIF_SCHEMA = ROOT / "tests" / "data" / "sarif-schema-2.1.0.json"


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("example", EXAMPLES)
def test_golden(
    example: str, fmt: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, update_golden: bool
) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    monkeypatch.setattr("policylint.report.sarif.__version__", "0.0.0-test")
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
            "--no-config",
            f"examples/{example}",
        ]
    )
    out = capsys.readouterr().out
    golden = GOLDEN / f"{example}.{FORMATS[fmt]}"
    if update_golden:
        golden.write_text(out, encoding="utf-8")
    assert out == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("example", EXAMPLES)
def test_golden_reports_match_their_schemas(example: str) -> None:
    report = json.loads((GOLDEN / f"{example}.json").read_text(encoding="utf-8"))
    Draft202012Validator(schema("report.schema.json")).validate(report)
    sarif = json.loads((GOLDEN / f"{example}.sarif").read_text(encoding="utf-8"))
    Draft7Validator(json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))).validate(sarif)
