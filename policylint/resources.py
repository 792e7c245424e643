"""Access to the data files that ship with policylint (checks, schemas, presets).

In a wheel they live in ``policylint/_data``; in a source checkout they are the
top-level ``checks/`` and ``schemas/`` folders next to the package. A package installed
as ordinary files is read with :mod:`pathlib`; anything else (a zip archive) through
:mod:`importlib.resources`, which is imported only then: it takes ~10 ms, a twentieth of
a one-file run.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable


def data_dir(name: str) -> Traversable:
    """Return the shipped data folder ``name`` (``checks``, ``schemas``...)."""
    package = _package()
    bundled = package / "_data" / name
    if bundled.is_dir():
        return bundled
    return package / ".." / name  # source checkout


def _package() -> Traversable:
    here = Path(__file__).parent
    if (here / "__init__.py").is_file():
        return here
    from importlib.resources import files

    return files("policylint")


@cache
def schema(name: str) -> dict[str, Any]:
    """Return a bundled JSON Schema by file name, e.g. ``check.schema.json``."""
    import json

    loaded: dict[str, Any] = json.loads((data_dir("schemas") / name).read_text("utf-8"))
    return loaded
