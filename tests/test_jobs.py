"""``check --jobs``: a process pool that changes nothing but the time, and the progress bar."""

from __future__ import annotations

import io
import json
import multiprocessing
import shutil
from concurrent import futures
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from policylint.cli import PROGRESS_FROM, _Progress, main
from policylint.session import PARALLEL_FROM, Session

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(p for p in (ROOT / "examples").iterdir() if p.suffix in {".md", ".html", ".txt"})
FIXED = ("--no-config", "--today", "2026-06-01", "--color", "never", "--profile", "all")
CONFIG = """\
per-path:
  - paths: ["b/**"]
    severity: {anomaly: info, policylint.unused-suppression: info}
    organization: {name: Widgets Inc, domains: [widgets.example]}
"""


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """Eleven policies in two folders: the examples, and variants with suppression comments
    and an extra sentence, so that the files differ in results, anchors and plans."""
    root = tmp_path / "policies"
    for folder in ("a", "b"):
        (root / folder).mkdir(parents=True)
    for number, example in enumerate(EXAMPLES * 3):
        folder = "ab"[number % 2]
        target = root / folder / f"{number:02}-{example.name}"
        shutil.copyfile(example, target)
        with target.open("a", encoding="utf-8") as stream:
            if number % 3 == 1:
                stream.write("\n<!-- policylint-disable-file children.policy -- business customers only -->\n")
            if number % 3 == 2:  # an unused suppression in a/ and in b/, with different severities
                stream.write("\n<!-- policylint-disable-file anomaly.template-artifact -- unneeded -->\n")
            stream.write(f"\nWe keep web server logs for {number + 10} days.\n")
    (root / "a" / "extra.txt").write_text("# Privacy\n\nWe sell your data. Safe Harbor applies.\n")
    return root


def pools(monkeypatch: pytest.MonkeyPatch, context: str | None = None) -> list[int]:
    """Record the size of every process pool started (optionally with another start method)."""
    started: list[int] = []
    real = futures.ProcessPoolExecutor

    def recording(max_workers: int, **kwargs: Any) -> futures.ProcessPoolExecutor:
        started.append(max_workers)
        if context is not None:
            kwargs["mp_context"] = multiprocessing.get_context(context)
        return real(max_workers, **kwargs)

    monkeypatch.setattr(futures, "ProcessPoolExecutor", recording)
    return started


@pytest.mark.parametrize("fmt", ["json", "text", "sarif"])
def test_parallel_output_is_the_serial_output(
    fmt: str, corpus: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (corpus / ".policylint.yaml").write_text(CONFIG)
    monkeypatch.chdir(corpus)
    started = pools(monkeypatch)
    args = ("check", "--today", "2026-06-01", "--color", "never", "--profile", "all", "--format", fmt, "a", "b")
    serial = run(capsys, *args, "--jobs", "1")
    assert (serial[0], serial[2], started) == (1, "", [])
    parallel = run(capsys, *args, "--jobs", "2")
    assert started == [2]
    assert parallel == serial
    if fmt == "json":
        report = json.loads(serial[1])
        paths = [item["path"] for item in report["files"]]
        assert len(paths) == len(EXAMPLES) * 3 + 1 and paths == sorted(paths)
        assert report["summary"]["suppressed"] > 0
        # the per-path settings of b/ reached the workers: b's anomalies are info, a's are not
        severities = {
            (item["path"][0], r["severity"])
            for item in report["files"]
            for r in item["results"]
            if r["check"].startswith("anomaly.") and r["status"] == "fail"
        }
        assert ("b", "info") in severities and ("a", "info") not in severities


def test_a_bad_file_is_its_own_error_in_parallel(
    corpus: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (corpus / "a" / "binary.txt").write_bytes(b"Privacy\x00policy\n")
    (corpus / "b" / "unknown.md").write_text("# Privacy\n\n<!-- policylint-disable-file no.such-check -->\n")
    started = pools(monkeypatch)
    args = (*FIXED, "--format", "json", str(corpus), str(corpus / "missing.md"))
    serial = run(capsys, "check", "--jobs", "1", *args)
    parallel = run(capsys, "check", "--jobs", "2", *args)
    assert started == [2]
    assert parallel == serial
    code, out, err = parallel
    assert code == 2
    lines = err.splitlines()
    assert len(lines) == 3 and "Traceback" not in err
    assert lines[0].startswith(f"policylint: {(corpus / 'a' / 'binary.txt').as_posix()}: binary file")
    assert lines[1].startswith(f"policylint: {(corpus / 'b' / 'unknown.md').as_posix()}: ")
    assert "no.such-check" in lines[1]
    assert lines[2] == f"policylint: {(corpus / 'missing.md').as_posix()}: no such file or directory"
    files = json.loads(out)["files"]
    assert [bool(item.get("error")) for item in files].count(True) == 3
    assert all(item["results"] for item in files if not item.get("error"))


@pytest.mark.parametrize(
    ("cpus", "count", "expected"), [(4, PARALLEL_FROM, [4]), (4, PARALLEL_FROM - 1, []), (1, 11, [])]
)
def test_jobs_zero_is_one_process_per_cpu_for_many_files(
    *,
    cpus: int,
    count: int,
    expected: list[int],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for number in range(count):
        (tmp_path / f"p{number:02}.txt").write_text(f"We keep logs for {number + 1} days.\n")
    monkeypatch.setattr("os.cpu_count", lambda: cpus)
    monkeypatch.setattr("os.process_cpu_count", lambda: cpus, raising=False)
    started = pools(monkeypatch)
    code, out, err = run(capsys, "check", *FIXED, "--format", "json", "--jobs", "0", str(tmp_path))
    assert started == expected
    assert (code, err) == (1, "")
    assert len(json.loads(out)["files"]) == count


def test_the_default_is_automatic(
    corpus: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("os.cpu_count", lambda: 3)
    monkeypatch.setattr("os.process_cpu_count", lambda: 3, raising=False)
    started = pools(monkeypatch)
    code, _, err = run(capsys, "check", *FIXED, str(corpus))
    assert (code, err, started) == (1, "", [3])


@pytest.mark.parametrize("value", ["-1", "two", ""])
def test_a_bad_jobs_value_is_a_one_line_usage_error(
    value: str, policy_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "check", "--jobs", value, str(policy_dir))
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "--jobs" in err and repr(value) in err


@pytest.fixture
def policy_dir(tmp_path: Path) -> Path:
    shutil.copyfile(EXAMPLES[0], tmp_path / EXAMPLES[0].name)
    return tmp_path


def test_workers_get_everything_pickled(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the spawn start method (macOS, Windows) nothing is inherited from this process."""
    from policylint.checks import load_checks

    session = partial(Session, load_checks(()), today=date(2026, 6, 1))
    files = sorted(corpus.rglob("*.*"))
    serial = session().lint(files)
    started = pools(monkeypatch, "spawn")
    done: list[int] = []
    parallel = session().lint(files, jobs=2, on_done=done.append)
    assert started == [2]
    assert parallel == serial
    assert sorted(done) == list(range(1, len(files) + 1))


def test_on_done_counts_every_file_and_stdin(corpus: Path) -> None:
    from policylint.checks import load_checks

    files = sorted(corpus.rglob("*.*"))
    done: list[int] = []
    Session(load_checks(())).lint([*files, corpus / "missing.md"], b"We sell data.\n", on_done=done.append)
    assert done == list(range(1, len(files) + 3))


class Terminal(io.StringIO):
    def __init__(self, *, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def test_no_progress_bar_unless_stderr_is_a_terminal() -> None:
    stream = Terminal(tty=False)
    progress = _Progress(500, stream)
    for done in range(1, 501):
        progress(done)
    progress.close()
    assert stream.getvalue() == ""


def test_no_progress_bar_for_a_few_files() -> None:
    stream = Terminal(tty=True)
    progress = _Progress(PROGRESS_FROM - 1, stream)
    for done in range(1, PROGRESS_FROM):
        progress(done)
    progress.close()
    assert stream.getvalue() == ""


def test_the_progress_bar_is_erased_when_done() -> None:
    stream = Terminal(tty=True)
    progress = _Progress(40, stream)
    progress(10)
    assert stream.getvalue().endswith("] 10/40 files") and "#" in stream.getvalue()
    progress(40)
    progress.close()
    last = stream.getvalue().split("\r")
    assert last[-1] == "" and last[-2].strip() == ""  # blanked, cursor back at the start of the line
    assert len(last[-2]) == len(last[-3])


def test_the_cli_bar_on_a_terminal_is_gone_before_the_report(
    corpus: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for number in range(PROGRESS_FROM):
        example = EXAMPLES[number % len(EXAMPLES)]
        shutil.copyfile(example, corpus / f"more-{number:02}{example.suffix}")
    args = ("check", *FIXED, "--jobs", "2", "--format", "json", str(corpus))
    code, out, err = run(capsys, *args)
    assert (code, err) == (1, "")  # captured stderr: not a terminal
    terminal = Terminal(tty=True)
    monkeypatch.setattr("sys.stderr", terminal)
    code, with_bar, _ = run(capsys, *args)
    assert (code, with_bar) == (1, out)
    total = len(json.loads(out)["files"])
    shown = terminal.getvalue()
    assert f"] {total}/{total} files" in shown
    assert shown.startswith("\r[") and shown.endswith("\r") and shown.rsplit("\r", 2)[-2].strip() == ""


def _die(path: Path, plan: int) -> object:
    import os

    os._exit(3)


def test_a_dead_worker_is_an_error_not_a_traceback(
    corpus: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("policylint.session._lint_in_worker", _die)
    code, out, err = run(capsys, "check", *FIXED, "--jobs", "2", "--format", "json", str(corpus))
    assert code == 2 and "Traceback" not in err
    files = json.loads(out)["files"]
    assert len(err.splitlines()) == len(files) == len(EXAMPLES) * 3 + 1
    assert all(item["error"] == "internal error: a worker process terminated abruptly" for item in files)
