"""Configuration: discovery, ``extends``, deep merge, validation and per-path settings.

A configuration is a ``.policylint.yaml`` (or ``.policylint.yml``) file, or the
``[tool.policylint]`` table of a ``pyproject.toml``. It is found by walking up from a
start directory to the repository root (a directory holding ``.git``) or the
filesystem root; in one directory the YAML files win over ``pyproject.toml``.

``extends`` names built-in presets (``presets/*.yaml``) or other files, relative to the
file that names them. The chain is resolved first (cycles are errors), the layers are
deep-merged with :func:`merge` (later layers win), and the *merged* mapping is validated
against ``schemas/config.schema.json``. Errors read ``file:line: $.path: message`` and
name the file the offending value came from.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, reduce
from pathlib import Path
from typing import TYPE_CHECKING, Any

from policylint.model import Severity
from policylint.yamlio import JsonPath, YamlError, line_of, load_yaml

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

CONFIG_FILES = (".policylint.yaml", ".policylint.yml")
PYPROJECT = "pyproject.toml"
_TABLE = "policylint"
_PATH_SUFFIXES = (".yaml", ".yml", ".toml")

Origins = Mapping[JsonPath, tuple[str, int]]


class ConfigError(YamlError):
    """A configuration that cannot be used; ``str()`` is ``file:line: $.path: message``."""


@dataclass(frozen=True, slots=True)
class Organization:
    """Facts about the organisation that anomaly checks use."""

    name: str = ""
    domains: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()

    def over(self, other: Organization) -> Organization:
        """Return these facts with the fields that ``other`` sets replaced."""
        return Organization(other.name or self.name, other.domains or self.domains, other.emails or self.emails)


@dataclass(frozen=True, slots=True)
class Settings:
    """What decides how one file is linted; ``None`` means "not set at this level"."""

    profiles: tuple[str, ...] | None = None
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    severity: tuple[tuple[str, Severity], ...] = ()
    organization: Organization = Organization()
    max_age_days: int | None = None

    def over(self, other: Settings) -> Settings:
        """Return these settings overridden by ``other`` (a per-path entry, or the command line).

        Setting ``profiles`` or ``select`` replaces the whole selection; ``ignore`` and
        ``severity`` accumulate (the most specific severity entry wins, then the later).
        """
        choose = other.profiles is not None or other.select is not None
        return Settings(
            profiles=other.profiles if choose else self.profiles,
            select=other.select if choose else self.select,
            ignore=self.ignore + other.ignore,
            severity=self.severity + other.severity,
            organization=self.organization.over(other.organization),
            max_age_days=self.max_age_days if other.max_age_days is None else other.max_age_days,
        )


@dataclass(frozen=True, slots=True)
class PathRule:
    """A ``per-path`` entry: globs and the settings that apply to files they match."""

    globs: tuple[str, ...]
    settings: Settings


@dataclass(frozen=True, slots=True)
class Config:
    """A resolved, validated configuration. ``Config()`` is "no configuration file"."""

    source: str = ""  # the file as displayed in messages; "" without one
    root: Path | None = None  # its directory: per-path globs are relative to it
    settings: Settings = Settings()
    per_path: tuple[PathRule, ...] = ()
    checks: tuple[Path, ...] = ()
    fail_on: str | None = None
    id_refs: tuple[tuple[JsonPath, str], ...] = ()
    profile_refs: tuple[tuple[JsonPath, str], ...] = ()
    origins: Origins = field(default_factory=dict, repr=False)

    def settings_for(self, file: Path | None) -> Settings:
        """Return the settings for ``file``: the top level, then every matching per-path entry."""
        relative = _relative(file, self.root) if file is not None and self.root is not None else None
        if relative is None:
            return self.settings
        matching = (rule.settings for rule in self.per_path if any(glob_match(g, relative) for g in rule.globs))
        return reduce(Settings.over, matching, self.settings)

    def error(self, path: JsonPath, message: str) -> ConfigError:
        """Return an error about the merged value at ``path``, located in the file it came from."""
        source, line = _locate(self.origins, path, self.source)
        return ConfigError(source, line, path, message)


# --- merging -------------------------------------------------------------------------


def merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """Deep-merge two configuration mappings: mappings merge key by key, anything else
    in ``override`` (scalars and lists alike) replaces the value in ``base``.

    >>> merge({"organization": {"name": "Acme", "domains": ["acme.com"]}, "select": ["gdpr"]},
    ...       {"organization": {"domains": ["acme.io"]}, "select": ["ccpa"], "fail-on": "warning"})
    {'organization': {'name': 'Acme', 'domains': ['acme.io']}, 'select': ['ccpa'], 'fail-on': 'warning'}
    >>> merge({"severity": {"gdpr": "warning"}}, {"severity": {"gdpr.dpo-contact": "error"}})
    {'severity': {'gdpr': 'warning', 'gdpr.dpo-contact': 'error'}}
    """
    out = dict(base)
    for key, value in override.items():
        old = out.get(key)
        out[key] = merge(old, value) if isinstance(old, Mapping) and isinstance(value, Mapping) else value
    return out


def severity_for(check_id: str, overrides: Sequence[tuple[str, Severity]], default: Severity) -> Severity:
    """Return the severity for ``check_id``: the most specific matching override, else ``default``.

    >>> severity_for("gdpr.dpo-contact", [("gdpr", Severity.INFO), ("gdpr.dpo-contact", Severity.ERROR)],
    ...              Severity.WARNING).label
    'error'
    """
    matching = [(len(key), index, level) for index, (key, level) in enumerate(overrides) if id_matches(check_id, key)]
    return max(matching)[2] if matching else default


def id_matches(check_id: str, pattern: str) -> bool:
    """Return whether ``check_id`` is ``pattern`` or lies under the dotted prefix ``pattern``."""
    return check_id == pattern or check_id.startswith(pattern.rstrip(".") + ".")


# --- globs ---------------------------------------------------------------------------


def glob_match(pattern: str, path: str) -> bool:
    """Match a POSIX path against a glob: ``**`` spans directories, ``*`` and ``?`` stay
    within a name; a glob without ``/`` matches the file name at any depth.

    >>> [glob_match(g, "legal/eu/privacy.md") for g in ("*.md", "legal/**", "legal/*.md", "**/eu/*.md")]
    [True, True, False, True]
    """
    pattern = pattern.removeprefix("./")
    target = path if "/" in pattern.rstrip("/") else path.rsplit("/", 1)[-1]
    return _glob_regex(pattern.rstrip("/") if pattern.endswith("/") else pattern).fullmatch(target) is not None


@cache
def _glob_regex(pattern: str) -> re.Pattern[str]:
    out, i = [], 0
    while i < len(pattern):
        char = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        close = pattern.find("]", i + 2) if char == "[" else -1
        if close > 0:
            body = pattern[i + 1 : close]
            out.append("[" + ("^" + body[1:] if body.startswith("!") else body.replace("\\", "\\\\")) + "]")
            i = close + 1
            continue
        out.append({"*": "[^/]*", "?": "[^/]"}.get(char, re.escape(char)))
        i += 1
    return re.compile("".join(out))


def _relative(file: Path, root: Path) -> str | None:
    try:
        relative = os.path.relpath(file.absolute(), root.absolute())
    except ValueError:  # another drive (Windows)
        return None
    return None if relative == ".." or relative.startswith(".." + os.sep) else Path(relative).as_posix()


# --- discovery -----------------------------------------------------------------------


def find_config(start: Path) -> Path | None:
    """Return the nearest configuration file at or above ``start`` (a file or directory).

    The walk stops after the first directory that contains ``.git`` (the repository
    root), or at the filesystem root.
    """
    here = start.absolute()
    folder = here if here.is_dir() else here.parent
    for directory in (folder, *folder.parents):
        for name in CONFIG_FILES:
            if (directory / name).is_file():
                return directory / name
        pyproject = directory / PYPROJECT
        if pyproject.is_file() and _has_table(pyproject):
            return pyproject
        if (directory / ".git").exists():
            return None
    return None


def discover(start: Path) -> Config:
    """Find and load the configuration for ``start``; ``Config()`` when there is none."""
    path = find_config(start)
    return load_config(path) if path is not None else Config()


# --- loading -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Layer:
    key: str  # identity for cycle detection: a resolved path or "preset:NAME"
    source: str
    data: Mapping[str, Any]
    lines: Mapping[JsonPath, int]
    extends: tuple[tuple[JsonPath, str], ...]
    directory: Path | None  # None for presets, which may only extend presets


def load_config(path: Path) -> Config:
    """Read, resolve, merge and validate the configuration file ``path``."""
    layers = _resolve(_read_file(path), ())
    data: Mapping[str, Any] = reduce(merge, (layer.data for layer in layers), {})
    origins = _origins(data, layers)
    _validate(data, origins, layers[-1].source)
    return _build(data, origins, path, layers[-1].source)


def _resolve(layer: _Layer, chain: tuple[_Layer, ...]) -> list[_Layer]:
    """Return the layers ``layer`` stands on, base first, ending with ``layer`` itself."""
    chain = (*chain, layer)
    out: list[_Layer] = []
    for where, reference in layer.extends:
        line = line_of(layer.lines, where)
        key, opener = _target(reference, layer, where, line)
        if key in {link.key for link in chain}:
            start = next(i for i, link in enumerate(chain) if link.key == key)
            cycle = " -> ".join([*(link.source for link in chain[start:]), chain[start].source])
            raise ConfigError(layer.source, line, where, f"circular extends: {cycle}")
        out.extend(_resolve(opener(), chain))
    out.append(layer)
    return out


def _target(reference: str, layer: _Layer, where: JsonPath, line: int) -> tuple[str, Callable[[], _Layer]]:
    if layer.directory is not None and ("/" in reference or "\\" in reference or reference.endswith(_PATH_SUFFIXES)):
        file = layer.directory / reference
        return str(file.absolute().resolve()), lambda: _read_file(file, (layer.source, line, where))
    return f"preset:{reference}", lambda: _read_preset(reference, (layer.source, line, where))


def _read_file(path: Path, named_by: tuple[str, int, JsonPath] | None = None) -> _Layer:
    display = _display(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        source, line, where = named_by or (display, 0, ())
        raise ConfigError(source, line, where, f"config file {display} not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(display, 0, (), f"cannot read: {exc}") from None
    data: object
    lines: Mapping[JsonPath, int]
    if path.suffix == ".toml":
        data, lines = _toml_table(text, display)
    else:
        data, lines = _yaml(text, display)
    return _layer(str(path.absolute().resolve()), display, data, lines, path.parent)


def _read_preset(name: str, named_by: tuple[str, int, JsonPath]) -> _Layer:
    from policylint.resources import data_dir

    folder = data_dir("presets")
    file = folder / f"{name}.yaml"
    if not re.fullmatch(r"[a-z0-9-]+", name) or not file.is_file():
        known = ", ".join(sorted(p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml")))
        source, line, where = named_by
        message = f"unknown preset {name!r} (presets: {known}; a file path needs a / or .yaml)"
        raise ConfigError(source, line, where, message)
    display = f"presets/{name}.yaml"
    data, lines = _yaml(file.read_text(encoding="utf-8"), display)
    return _layer(f"preset:{name}", display, data, lines, None)


def _yaml(text: str, source: str) -> tuple[object, Mapping[JsonPath, int]]:
    try:
        return load_yaml(text, source)
    except YamlError as exc:
        raise ConfigError(exc.source, exc.line, exc.path, exc.message) from None


def _layer(key: str, source: str, data: object, lines: Mapping[JsonPath, int], directory: Path | None) -> _Layer:
    """Check a file's top level, take its ``extends`` out and anchor its ``checks`` paths."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(source, line_of(lines, ()), (), "a configuration must be a mapping of keys to values")
    raw = data.pop("extends", None)
    if isinstance(raw, str):
        extends: tuple[tuple[JsonPath, str], ...] = ((("extends",), raw),)
    elif isinstance(raw, list) and all(isinstance(item, str) for item in raw):
        extends = tuple((("extends", i), item) for i, item in enumerate(raw))
    elif raw is None:
        extends = ()
    else:
        message = "must be a preset name, a path, or a list of them"
        raise ConfigError(source, line_of(lines, ("extends",)), ("extends",), message)
    checks = data.get("checks")
    if directory is not None and isinstance(checks, list):
        data["checks"] = [_join(directory, item) if isinstance(item, str) else item for item in checks]
    return _Layer(key, source, data, lines, extends, directory)


def _join(directory: Path, item: str) -> str:
    return Path(os.path.normpath(directory / item)).as_posix()


def _display(path: Path) -> str:
    """The path as shown in messages: relative to the working directory when below it."""
    try:
        relative = os.path.relpath(path.absolute())
    except ValueError:  # another drive (Windows)
        return path.absolute().as_posix()
    return Path(relative if not relative.startswith("..") else path.absolute()).as_posix()


def _has_table(pyproject: Path) -> bool:
    try:
        text = pyproject.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    if _TABLE not in text:
        return False
    return bool(_toml(text, _display(pyproject)).get("tool", {}).get(_TABLE) is not None)


def _toml(text: str, source: str) -> dict[str, Any]:
    import tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = int(match.group(1)) if (match := re.search(r"line (\d+)", str(exc))) else 0
        raise ConfigError(source, line, (), f"invalid TOML: {exc}") from None


def _toml_table(text: str, source: str) -> tuple[dict[str, Any], dict[JsonPath, int]]:
    """Return ``[tool.policylint]`` with approximate line numbers of its top-level keys."""
    table = _toml(text, source).get("tool", {}).get(_TABLE)
    if not isinstance(table, dict):
        raise ConfigError(source, 0, (), f"no [tool.{_TABLE}] table")
    rows = text.splitlines()
    header = next((i + 1 for i, row in enumerate(rows) if re.match(rf"\s*\[\s*tool\.{_TABLE}\s*\]", row)), 0)
    lines: dict[JsonPath, int] = {(): header}
    for key in table:
        name = re.escape(key)
        found = re.compile(rf"\s*(\[\[?\s*tool\.{_TABLE}\.\"?{name}\"?\s*\]|\"?{name}\"?\s*=)")
        lines[(key,)] = next((i + 1 for i, row in enumerate(rows) if i + 1 >= header and found.match(row)), header)
    return table, lines


# --- validation and building ---------------------------------------------------------


def _origins(data: Mapping[str, Any], layers: Sequence[_Layer]) -> dict[JsonPath, tuple[str, int]]:
    """Map every path of the merged data to the file (and line) its value came from."""
    out: dict[JsonPath, tuple[str, int]] = {}
    for path in _paths(data, ()):
        layer = next((lay for lay in reversed(layers) if _contains(lay.data, path)), layers[-1])
        out[path] = (layer.source, line_of(layer.lines, path))
    return out


def _paths(value: object, path: JsonPath) -> Iterator[JsonPath]:
    yield path
    if isinstance(value, Mapping):
        for key, item in value.items():
            yield from _paths(item, (*path, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*path, index))


def _contains(data: object, path: JsonPath) -> bool:
    for part in path:
        if isinstance(data, Mapping) and part in data:
            data = data[part]
            continue
        if isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
            continue
        return False
    return True


def _locate(origins: Origins, path: JsonPath, default: str) -> tuple[str, int]:
    for cut in range(len(path), -1, -1):
        found = origins.get(tuple(path[:cut]))
        if found is not None:
            return found
    return default, 0


def _validate(data: Mapping[str, Any], origins: Origins, default: str) -> None:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import best_match

    from policylint.resources import schema

    error = best_match(Draft202012Validator(schema("config.schema.json")).iter_errors(data))
    if error is None:
        return
    path = error_path(error)
    source, line = _locate(origins, path, default)
    raise ConfigError(source, line, path, error.message)


def error_path(error: ValidationError) -> JsonPath:
    """The JSON path of a schema error; for an unexpected key, the path of that key."""
    path: JsonPath = tuple(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, Mapping):
        known = error.schema.get("properties", {}) if isinstance(error.schema, Mapping) else {}
        extra = sorted(set(error.instance) - set(known))
        path = (*path, str(extra[0])) if extra else path
    return path


def _build(data: Mapping[str, Any], origins: Origins, path: Path, source: str) -> Config:
    entries = data.get("per-path", [])
    return Config(
        source=source,
        root=path.absolute().parent,
        settings=_settings(data),
        per_path=tuple(PathRule(tuple(entry["paths"]), _settings(entry)) for entry in entries),
        checks=tuple(Path(item) for item in data.get("checks", [])),
        fail_on=data.get("fail-on"),
        id_refs=tuple(_refs(data, _id_refs)),
        profile_refs=tuple(_refs(data, _profile_refs)),
        origins=origins,
    )


def _refs(
    data: Mapping[str, Any], refs: Callable[[Mapping[str, Any], JsonPath], Iterator[tuple[JsonPath, str]]]
) -> Iterator[tuple[JsonPath, str]]:
    """Yield references from the top level and from every per-path entry."""
    yield from refs(data, ())
    for index, entry in enumerate(data.get("per-path", [])):
        yield from refs(entry, ("per-path", index))


def _settings(raw: Mapping[str, Any]) -> Settings:
    org = raw.get("organization", {})
    return Settings(
        profiles=tuple(raw["profiles"]) if "profiles" in raw else None,
        select=tuple(raw["select"]) if "select" in raw else None,
        ignore=tuple(raw.get("ignore", ())),
        severity=tuple((key, Severity.parse(level)) for key, level in raw.get("severity", {}).items()),
        organization=Organization(
            org.get("name", ""),
            tuple(domain.lower().removeprefix("www.") for domain in org.get("domains", ())),
            tuple(email.lower() for email in org.get("emails", ())),
        ),
        max_age_days=raw.get("max-age-days"),
    )


def _id_refs(raw: Mapping[str, Any], prefix: JsonPath) -> Iterator[tuple[JsonPath, str]]:
    for key in ("select", "ignore"):
        for index, value in enumerate(raw.get(key, [])):
            yield (*prefix, key, index), value
    for value in raw.get("severity", {}):
        yield (*prefix, "severity", value), value


def _profile_refs(raw: Mapping[str, Any], prefix: JsonPath) -> Iterator[tuple[JsonPath, str]]:
    for index, value in enumerate(raw.get("profiles", [])):
        yield (*prefix, "profiles", index), value


def check_references(config: Config, ids: Collection[str], profiles: Collection[str]) -> None:
    """Raise :class:`ConfigError` for the first check id or profile that names nothing known."""
    for path, value in config.id_refs:
        if not any(id_matches(known, value) for known in ids):
            raise config.error(path, f"unknown check id {value!r} (see 'policylint list-checks')")
    for path, value in config.profile_refs:
        if value not in profiles:
            raise config.error(path, f"unknown profile {value!r} (known: {', '.join(sorted(profiles))})")
