"""Configuration: discovery, extends, deep merge, validation and per-path settings."""

from __future__ import annotations

import doctest
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

import policylint.config
from policylint.config import (
    Config,
    ConfigError,
    Organization,
    Settings,
    check_references,
    discover,
    find_config,
    glob_match,
    load_config,
    merge,
)
from policylint.model import Severity
from policylint.resources import data_dir, schema
from policylint.yamlio import load_yaml

ROOT = Path(__file__).resolve().parents[2]


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_doctests() -> None:
    assert doctest.testmod(policylint.config).failed == 0


def test_schema_is_valid_json_schema() -> None:
    Draft202012Validator.check_schema(schema("config.schema.json"))


@pytest.mark.parametrize("preset", sorted(p.name for p in (ROOT / "presets").iterdir()))
def test_presets_are_schema_valid(preset: str) -> None:
    data, _ = load_yaml((data_dir("presets") / preset).read_text("utf-8"), preset)
    data.pop("extends", None)
    Draft202012Validator(schema("config.schema.json")).validate(data)


def test_example_config_is_valid() -> None:
    config = load_config(ROOT / "examples" / ".policylint.yaml")
    assert config.fail_on == "error"


# --- discovery -----------------------------------------------------------------------


def test_discovery_walks_up_from_a_nested_file(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    config = write(tmp_path / ".policylint.yaml", "fail-on: warning\n")
    policy = write(tmp_path / "docs" / "legal" / "privacy.md", "# Privacy\n")
    assert find_config(policy) == config
    assert find_config(policy.parent) == config
    assert discover(policy).fail_on == "warning"


def test_discovery_stops_at_the_repository_root(tmp_path: Path) -> None:
    write(tmp_path / ".policylint.yaml", "fail-on: warning\n")
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    policy = write(tmp_path / "repo" / "privacy.md", "# Privacy\n")
    assert find_config(policy) is None
    assert discover(policy) == Config()


def test_the_nearest_file_wins_and_yaml_beats_pyproject(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path / ".policylint.yaml", "fail-on: warning\n")
    write(tmp_path / "sub" / "pyproject.toml", "[tool.policylint]\nfail-on = 'info'\n")
    assert find_config(tmp_path / "sub" / "x.md") == tmp_path / "sub" / "pyproject.toml"
    write(tmp_path / "sub" / ".policylint.yml", "fail-on: never\n")
    assert find_config(tmp_path / "sub" / "x.md") == tmp_path / "sub" / ".policylint.yml"


def test_pyproject_without_a_policylint_table_is_skipped(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path / "pyproject.toml", "[project]\nname = 'x'\n")
    assert find_config(tmp_path / "x.md") is None


def test_pyproject_table(tmp_path: Path) -> None:
    path = write(
        tmp_path / "pyproject.toml",
        "[project]\nname = 'x'\n\n[tool.policylint]\nprofiles = ['gdpr']\nfail-on = 'warning'\n\n"
        "[tool.policylint.organization]\nname = 'Acme'\ndomains = ['Acme.com']\n",
    )
    config = load_config(path)
    assert (config.settings.profiles, config.fail_on, config.settings.organization) == (
        ("gdpr",),
        "warning",
        Organization("Acme", ("acme.com",)),
    )


def test_pyproject_errors_point_at_the_key(tmp_path: Path) -> None:
    path = write(tmp_path / "pyproject.toml", "[project]\nname = 'x'\n\n[tool.policylint]\nfail-on = 'sometimes'\n")
    with pytest.raises(ConfigError, match=r"pyproject.toml:5: \$\.fail-on: 'sometimes' is not one of"):
        load_config(path)


# --- extends and merging -------------------------------------------------------------


def test_extends_a_preset(tmp_path: Path) -> None:
    config = load_config(write(tmp_path / ".policylint.yaml", "extends: strict\nignore: [anomaly]\n"))
    assert (config.settings.profiles, config.fail_on, config.settings.ignore) == (("all",), "warning", ("anomaly",))


def test_extends_files_deep_merge_and_later_wins(tmp_path: Path) -> None:
    write(
        tmp_path / "base" / "company.yaml",
        "organization: {name: Acme, domains: [acme.com]}\nseverity: {gdpr: warning}\nchecks: [company-checks]\n"
        "max-age-days: 200\n",
    )
    write(tmp_path / "team.yaml", "extends: base/company.yaml\nfail-on: info\n")
    path = write(
        tmp_path / "project" / ".policylint.yaml",
        "extends: [advisory, ../team.yaml]\norganization: {emails: [privacy@acme.com]}\n"
        "severity: {gdpr.dpo-contact: error}\n",
    )
    config = load_config(path)
    assert config.settings.organization == Organization("Acme", ("acme.com",), ("privacy@acme.com",))
    assert config.settings.severity == (("gdpr", Severity.WARNING), ("gdpr.dpo-contact", Severity.ERROR))
    assert config.fail_on == "info"  # team.yaml comes after advisory in the list, so it wins
    assert config.settings.max_age_days == 200
    assert config.checks == (Path((tmp_path / "base" / "company-checks").as_posix()),)  # relative to company.yaml


def test_merge_replaces_lists_and_merges_mappings() -> None:
    assert merge({"a": {"b": 1, "c": [1]}, "d": [1, 2]}, {"a": {"c": [2]}, "d": [3]}) == {"a": {"b": 1, "c": [2]}, "d": [3]}


def test_extends_cycle_is_an_error(tmp_path: Path) -> None:
    write(tmp_path / "a.yaml", "extends: b.yaml\n")
    write(tmp_path / "b.yaml", "fail-on: info\nextends: ./a.yaml\n")
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path / "a.yaml")
    message = str(caught.value)
    assert message.startswith("b.yaml:2: $.extends: circular extends: ") or "b.yaml:2: $.extends: circular" in message
    assert "a.yaml -> " in message and message.count("\n") == 0


def test_self_extension_is_a_cycle(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="circular extends"):
        load_config(write(tmp_path / "a.yaml", "extends: a.yaml\n"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("extends: nope\n", r"\.policylint\.yaml:1: \$\.extends: unknown preset 'nope' \(presets: advisory, default, strict"),
        ("extends: missing.yaml\n", r"\.policylint\.yaml:1: \$\.extends: config file .*missing\.yaml not found"),
        ("extends: 3\n", r"\.policylint\.yaml:1: \$\.extends: must be a preset name"),
        ("- a\n- b\n", r"\.policylint\.yaml:1: \$: a configuration must be a mapping"),
        ("select: &x [gdpr]\nignore: *x\n", r"\.policylint\.yaml:2: \$: YAML aliases"),
        ("fail-on: warning\nprofile: [gdpr]\n", r"\.policylint\.yaml:2: \$\.profile: Additional properties"),
        ("severity:\n  gdpr: fatal\n", r"\.policylint\.yaml:2: \$\.severity\.gdpr: 'fatal' is not one of"),
        ("per-path:\n  - ignore: [gdpr]\n", r"\.policylint\.yaml:2: \$\.per-path\[0\]: 'paths' is a required property"),
        ("max-age-days: 0\n", r"\.policylint\.yaml:1: \$\.max-age-days: 0 is less than the minimum"),
        ("fail-on: [\n", r"\.policylint\.yaml:2: \$: invalid YAML"),
    ],
)
def test_config_errors_are_located(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError, match=message):
        load_config(write(tmp_path / ".policylint.yaml", text))


def test_errors_in_the_merged_result_name_the_file_the_value_came_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "base.yaml", "fail-on: warning\n\norganization:\n  domains: ['not a domain']\n")
    path = write(tmp_path / ".policylint.yaml", "extends: base.yaml\nfail-on: info\n")
    with pytest.raises(ConfigError, match=r"^base\.yaml:4: \$\.organization\.domains\[0\]: 'not a domain' does not match"):
        load_config(path)


# --- references and per-path settings -----------------------------------------------


def test_unknown_ids_and_profiles_are_reported_with_their_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    config = load_config(
        write(tmp_path / ".policylint.yaml", "select: [gdpr]\nper-path:\n  - paths: ['*.md']\n    ignore: [gdpr.nope]\n")
    )
    check_references(config, {"gdpr.dpo-contact", "gdpr.nope"}, {"recommended"})  # gdpr is a known prefix
    with pytest.raises(ConfigError, match=r"^\.policylint\.yaml:4: \$\.per-path\[0\]\.ignore\[0\]: unknown check id 'gdpr\.nope'"):
        check_references(config, {"gdpr.dpo-contact"}, {"recommended"})
    config = load_config(write(tmp_path / ".policylint.yaml", "profiles: [recommended, gpdr]\n"))
    with pytest.raises(ConfigError, match=r":1: \$\.profiles\[1\]: unknown profile 'gpdr'"):
        check_references(config, set(), {"recommended", "gdpr"})


def test_per_path_settings_apply_in_order(tmp_path: Path) -> None:
    path = write(
        tmp_path / ".policylint.yaml",
        "select: [contact]\nignore: [anomaly.stale-date]\nseverity: {contact: warning}\n"
        "per-path:\n"
        "  - paths: ['legal/**']\n    profiles: [gdpr]\n    organization: {name: Acme EU}\n"
        "  - paths: ['*.txt']\n    ignore: [contact.address]\n    severity: {contact: info}\n    max-age-days: 30\n",
    )
    config = load_config(path)
    assert config.settings_for(tmp_path / "privacy.md") == config.settings
    eu = config.settings_for(tmp_path / "legal" / "eu" / "privacy.txt")
    assert (eu.profiles, eu.select, eu.ignore, eu.organization.name, eu.max_age_days) == (
        ("gdpr",),
        None,
        ("anomaly.stale-date", "contact.address"),
        "Acme EU",
        30,
    )
    assert eu.severity == (("contact", Severity.WARNING), ("contact", Severity.INFO))
    assert config.settings_for(tmp_path.parent / "elsewhere.txt") == config.settings  # outside the config's folder


def test_command_line_overrides_replace_the_selection() -> None:
    base = Settings(profiles=("gdpr",), select=("contact",), ignore=("anomaly",))
    cli = Settings(profiles=("ccpa",), ignore=("gdpr.dpo-contact",), max_age_days=10)
    merged = base.over(cli)
    assert (merged.profiles, merged.select, merged.ignore, merged.max_age_days) == (
        ("ccpa",),
        None,
        ("anomaly", "gdpr.dpo-contact"),
        10,
    )
    assert base.over(Settings(ignore=("x",))).select == ("contact",)


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("privacy.md", "docs/privacy.md", True),
        ("docs/*.md", "docs/privacy.md", True),
        ("docs/*.md", "docs/eu/privacy.md", False),
        ("docs/**/*.md", "docs/privacy.md", True),
        ("docs/**", "docs/eu/privacy.md", True),
        ("docs/", "docs/eu/privacy.md", False),
        ("**/eu/*", "a/b/eu/x.html", True),
        ("priv?cy.[mt][dx]*", "privacy.md", True),
        ("[!p]*.md", "privacy.md", False),
        ("./docs/*.md", "docs/a.md", True),
    ],
)
def test_glob_match(pattern: str, path: str, expected: bool) -> None:
    assert glob_match(pattern, path) is expected


def test_config_schema_documents_every_key() -> None:
    properties = schema("config.schema.json")["properties"]
    assert set(properties) == {
        "extends", "organization", "profiles", "select", "ignore", "severity", "checks", "per-path", "fail-on",
        "max-age-days",
    }
    assert json.dumps(properties)  # serialisable
