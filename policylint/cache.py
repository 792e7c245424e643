"""A cache of the compiled built-in catalogue, so that a pre-commit run does not re-read YAML.

Loading the built-in checks (YAML parsing, JSON Schema validation, compiling phrase lists)
takes most of a one-file run. The loaded catalogue is pickled once into the user's cache
folder; the file name holds a hash of policylint's version, the Python version and the
bytes of every built-in check file and schema, so any change to them makes a new entry
and the old one is never read again. The cache holds only what policylint itself wrote
from its own shipped files; a file that cannot be read or unpickled, or that another user
owns or could have written, is ignored and rebuilt; a folder that cannot be written is
silently skipped.

Set ``POLICYLINT_CACHE_DIR`` to move the cache, or to an empty string to turn it off.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from policylint import __version__

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

_T = TypeVar("_T")
_PREFIX = "catalogue-"


def cache_dir(environ: Mapping[str, str]) -> Path | None:
    """The cache folder named by the environment (``None``: caching is off)."""
    if "POLICYLINT_CACHE_DIR" in environ:
        chosen = environ["POLICYLINT_CACHE_DIR"].strip()
        return Path(chosen) if chosen else None
    base = environ.get("XDG_CACHE_HOME", "").strip()
    if base:
        return Path(base) / "policylint"
    home = environ.get("HOME") or environ.get("USERPROFILE")
    return Path(home) / ".cache" / "policylint" if home else None


def catalogue_key(files: Sequence[Traversable]) -> str:
    """A hash of the version, the Python version, policylint's own modules and every file's name and bytes.

    The modules are part of the key because the pickle holds instances of their classes:
    an edited checkout (same version number) must not read a catalogue an older build wrote.
    """
    digest = hashlib.sha256(f"{__version__}\0{sys.version}\0".encode())
    package = Path(__file__).parent
    for file in (*sorted(package.rglob("*.py")), *files):
        digest.update(file.name.encode() + b"\0")
        digest.update(file.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:32]


def cached(folder: Path | None, key: str, build: Callable[[], _T]) -> _T:
    """Return the value stored under ``key`` in ``folder``, or build, store and return it."""
    if folder is None:
        return build()
    path = folder / f"{_PREFIX}{key}.pickle"
    try:
        with path.open("rb") as stream:
            if _trusted(os.fstat(stream.fileno())):
                value: _T = pickle.load(stream)  # noqa: S301 - our own file, written by this module
                return value
    except Exception:  # noqa: S110 - missing, unreadable or from another build: rebuild it
        pass
    value = build()
    _store(folder, path, value)
    return value


def _trusted(status: os.stat_result) -> bool:
    """Only unpickle a file that this user owns and nobody else can write (POSIX).

    Unpickling runs code named in the file: a cache folder shared with other users (say, a
    ``POLICYLINT_CACHE_DIR`` in /tmp) must not let them plant one.
    """
    getuid = getattr(os, "getuid", None)
    if getuid is None:  # Windows: the folder's ACLs decide
        return True
    return bool(status.st_uid == getuid() and not status.st_mode & (stat.S_IWGRP | stat.S_IWOTH))


def _store(folder: Path, path: Path, value: object) -> None:
    import tempfile  # only when writing: it imports shutil, random and more

    temporary = ""
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".pickle")
        with os.fdopen(handle, "wb") as stream:
            pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
        Path(temporary).replace(path)
        temporary = ""
        for stale in folder.glob(f"{_PREFIX}*.pickle"):
            if stale != path:
                stale.unlink(missing_ok=True)
    except Exception:  # a cache that cannot be written is no cache, never an error
        return
    finally:
        if temporary:
            Path(temporary).unlink(missing_ok=True)
