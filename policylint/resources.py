"""Access to the data files that ship with policylint (checks, schemas, presets).

In a wheel they live in ``policylint/_data``; in a source checkout they are the
top-level ``checks/`` and ``schemas/`` folders next to the package. Both are reached
through :mod:`importlib.resources`.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any


def data_dir(name: str) -> Traversable:
    """Return the shipped data folder ``name`` (``checks``, ``schemas``...)."""
    package = files("policylint")
    bundled = package / "_data" / name
    if bundled.is_dir():
        return bundled
    return package / ".." / name  # source checkout


@cache
def schema(name: str) -> dict[str, Any]:
    """Return a bundled JSON Schema by file name, e.g. ``check.schema.json``."""
    loaded: dict[str, Any] = json.loads((data_dir("schemas") / name).read_text("utf-8"))
    return loaded
