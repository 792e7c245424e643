"""Every regex of the built-in detectors passes the ReDoS screen that user checks get."""

from __future__ import annotations

import importlib
import re

import pytest

from policylint.detectors import DETECTORS
from policylint.redos import slow_regex_reason

MODULES = sorted({info.module for info in DETECTORS.values()} | {"policylint.detectors._web"})


@pytest.mark.parametrize("module", MODULES)
def test_module_regexes_are_linear(module: str) -> None:
    patterns = {name: value for name, value in vars(importlib.import_module(module)).items() if isinstance(value, re.Pattern)}
    assert patterns
    slow = {name: reason for name, pattern in patterns.items() if (reason := slow_regex_reason(pattern.pattern, pattern.flags))}
    assert slow == {}
