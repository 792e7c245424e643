"""The compiled-catalogue cache: reused while nothing changes, rebuilt when anything does."""

from __future__ import annotations

from pathlib import Path

import pytest

from policylint import checks
from policylint.cache import cache_dir, cached, catalogue_key
from policylint.checks import load_checks


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"POLICYLINT_CACHE_DIR": "/c", "XDG_CACHE_HOME": "/x", "HOME": "/h"}, Path("/c")),
        ({"POLICYLINT_CACHE_DIR": "", "HOME": "/h"}, None),
        ({"XDG_CACHE_HOME": "/x", "HOME": "/h"}, Path("/x/policylint")),
        ({"HOME": "/h"}, Path("/h/.cache/policylint")),
        ({}, None),
    ],
)
def test_cache_dir(environ: dict[str, str], expected: Path | None) -> None:
    assert cache_dir(environ) == expected


def test_catalogue_is_cached_and_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = load_checks(cache=tmp_path)
    assert first == load_checks()
    assert len(list(tmp_path.glob("catalogue-*.pickle"))) == 1

    def no_yaml(*_: object, **__: object) -> None:
        raise AssertionError("the catalogue was read from YAML again")

    monkeypatch.setattr(checks, "load_check_file", no_yaml)
    assert load_checks(cache=tmp_path) == first


def test_a_changed_key_rebuilds_and_drops_the_old_entry(tmp_path: Path) -> None:
    assert cached(tmp_path, "a", lambda: 1) == 1
    assert cached(tmp_path, "a", lambda: 2) == 1
    assert cached(tmp_path, "b", lambda: 3) == 3
    assert [p.name for p in tmp_path.glob("catalogue-*")] == ["catalogue-b.pickle"]


def test_a_corrupt_entry_is_rebuilt(tmp_path: Path) -> None:
    (tmp_path / "catalogue-k.pickle").write_bytes(b"not a pickle")
    assert cached(tmp_path, "k", lambda: "fresh") == "fresh"
    assert cached(tmp_path, "k", lambda: "other") == "fresh"


def test_an_unwritable_folder_is_skipped(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert cached(blocker / "sub", "k", lambda: 7) == 7
    assert not list(tmp_path.glob("**/*.pickle"))


def test_key_follows_file_bytes(tmp_path: Path) -> None:
    one = tmp_path / "one.yaml"
    one.write_text("id: a.b\n")
    before = catalogue_key([one])
    one.write_text("id: a.c\n")
    assert catalogue_key([one]) != before
    assert len(before) == 32


def test_pickled_terms_rebuild_the_same_pattern_from_byte_code() -> None:
    import pickle

    from policylint.checks import compile_terms

    terms = compile_terms(["right to access", "opt-out", "cookie*"])
    assert terms.code is not None
    restored = pickle.loads(pickle.dumps(terms))
    text = "you may opt out; cookies and the right to  access"
    assert restored == terms and restored.code == terms.code
    assert [m.span() for m in restored.pattern.finditer(text)] == [m.span() for m in terms.pattern.finditer(text)]
    assert len([m.span() for m in terms.pattern.finditer(text)]) == 3


def test_unusable_byte_code_falls_back_to_compiling() -> None:
    from policylint.regexcode import compile_with_code, from_code

    pattern, code = compile_with_code(r"a(b)c", 0)
    assert code is not None and pattern.match("abc")
    broken = from_code(r"a(b)c", 0, ("a(b)c", 0, ["not", "code"], 0, {}, (None,)))
    assert broken.match("abc") is not None
    with pytest.raises(Exception, match="missing"):
        compile_with_code("a(b", 0)


@pytest.mark.skipif(not hasattr(__import__("os"), "getuid"), reason="POSIX permissions")
def test_a_file_others_can_write_is_not_unpickled(tmp_path: Path) -> None:
    assert cached(tmp_path, "k", lambda: "mine") == "mine"
    entry = tmp_path / "catalogue-k.pickle"
    entry.chmod(0o666)
    assert cached(tmp_path, "k", lambda: "rebuilt") == "rebuilt"  # and rewritten safely
    assert entry.stat().st_mode & 0o022 == 0
    assert cached(tmp_path, "k", lambda: "again") == "rebuilt"


def test_restored_terms_compile_when_first_used() -> None:
    import pickle

    from policylint.checks import compile_terms

    restored = pickle.loads(pickle.dumps(compile_terms(["opt-out"])))
    assert restored.compiled is None  # loading a catalogue compiles nothing
    assert restored.pattern.search("you may opt out") is not None
    assert restored.compiled is restored.pattern  # once


def test_known_byte_code_is_reused_without_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    from re import _parser  # type: ignore[attr-defined]

    from policylint import regexcode

    source = r"(?<!\w)policylint-test-(\d+)"
    first = regexcode.compiled(source)
    codes = regexcode.known_codes()
    assert (source, 0) in codes
    monkeypatch.setattr(regexcode, "_KNOWN", {})
    regexcode.learn_codes({(source, 0): codes[source, 0]})

    def no_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(_parser, "parse", no_parsing)
    again = regexcode.compiled(source)
    assert again.pattern == first.pattern and again.findall("a policylint-test-42") == ["42"]


def test_a_cached_catalogue_brings_the_detectors_patterns(tmp_path: Path) -> None:
    """In a new process with the cache warm, importing the detectors and formats parses none of their patterns."""
    import os
    import subprocess
    import sys

    script = """
import os, sys
from pathlib import Path
from re import _parser
ours = []
original = _parser.parse
def parse(source, *args, **kwargs):
    caller = sys._getframe(1)
    while caller.f_globals.get("__name__", "").startswith(("re", "policylint.regexcode")):
        caller = caller.f_back
    module = caller.f_globals.get("__name__", "")
    if module.startswith(("policylint.detectors", "policylint.formats")) and isinstance(source, str):
        ours.append(source)
    return original(source, *args, **kwargs)
_parser.parse = parse
from policylint.checks import load_checks
from policylint.detectors import import_all
from policylint.document import import_formats
load_checks(cache=Path(sys.argv[1]))
import_all()
import_formats()
print(len(ours))
"""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    command = [sys.executable, "-c", script, str(tmp_path)]
    cold = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    warm = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    assert cold.returncode == 0 and warm.returncode == 0, cold.stderr + warm.stderr
    assert int(cold.stdout) > 50  # the first run compiles them (and saves their byte code)
    assert int(warm.stdout) == 0
