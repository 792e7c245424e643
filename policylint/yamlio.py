"""Safe YAML reading with line numbers for JSON paths, for clear error messages."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import yaml

JsonPath = tuple[str | int, ...]


class YamlError(Exception):
    """A YAML file that cannot be used; ``str()`` is ``file:line: $.path: message``."""

    def __init__(self, source: str, line: int, path: JsonPath, message: str) -> None:
        """Record where the problem is."""
        super().__init__(message)
        self.source = source
        self.line = line
        self.path = path
        self.message = message

    def __str__(self) -> str:
        """Format as ``file:line: $.path: message``."""
        where = f"{self.source}:{self.line}" if self.line else self.source
        return f"{where}: {json_path(self.path)}: {self.message}"


def json_path(path: Iterable[str | int]) -> str:
    """Render a JSON path such as ``$.require[0].phrases``."""
    out = "$"
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def load_yaml(text: str, source: str) -> tuple[Any, Mapping[JsonPath, int]]:
    """Parse one YAML document safely; return the data and a path → line table.

    Anchors and aliases are refused (they make "billion laughs" bombs possible and
    are never needed in a check or config file).
    """
    import yaml  # imported here: a run with a cached catalogue and no config file reads no YAML

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's when built with it (10x faster); both safe
    try:
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, yaml.AliasEvent):
                line = event.start_mark.line + 1 if event.start_mark else 0
                raise YamlError(source, line, (), "YAML aliases (*name) are not allowed")
        node = yaml.compose(text, Loader=loader)
        data = yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        raise YamlError(source, line, (), f"invalid YAML: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise YamlError(source, 0, (), f"invalid YAML: {exc}") from None
    lines: dict[JsonPath, int] = {}
    if node is not None:
        _index(node, (), lines)
    return data, lines


def _index(root: yaml.Node, path: JsonPath, lines: dict[JsonPath, int]) -> None:
    import yaml

    stack: list[tuple[yaml.Node, JsonPath]] = [(root, path)]
    while stack:
        node, where = stack.pop()
        lines.setdefault(where, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                child = (*where, str(key.value))
                lines[child] = key.start_mark.line + 1
                stack.append((value, child))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, (*where, i)) for i, item in enumerate(node.value))


def line_of(lines: Mapping[JsonPath, int], path: JsonPath) -> int:
    """Return the line of ``path``, or of its nearest ancestor that has one."""
    for cut in range(len(path), -1, -1):
        line = lines.get(tuple(path[:cut]))
        if line:
            return line
    return 0
