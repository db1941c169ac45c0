"""YAML loading that remembers the line of every key and list item."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Real content nests about 8 levels; far deeper data would only exhaust the stack later.
MAX_DEPTH = 50


class LineDict(dict):
    """A mapping that knows its own line and the line of each key."""

    line: int = 1

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.key_lines: dict[Any, int] = {}


class LineList(list):
    """A list that knows its own line and the line of each item."""

    line: int = 1

    def __init__(self, *args):
        super().__init__(*args)
        self.item_lines: list[int] = []


class YamlSyntaxError(Exception):
    """Malformed YAML, with the 1-based line where the parser gave up."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


class _LineLoader(_Loader):
    """Safe loader whose mappings and sequences carry line numbers; duplicate keys are errors."""


def _child(loader: _LineLoader, node: yaml.Node, line: int):
    """Construct a child node, refusing aliases: a node met twice is an `*alias`, and a few
    nested aliases expand exponentially once the content is compiled ("billion laughs").
    line is where the parent uses it (an alias node carries its anchor's position)."""
    if node in loader.constructed_objects:
        raise YamlSyntaxError(line, "YAML aliases (*name) and merge keys are not supported; write the value out")
    return loader.construct_object(node, deep=True)


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            raise YamlSyntaxError(key_node.start_mark.line + 1,
                                  "YAML aliases (*name) and merge keys are not supported; write the value out")
    mapping = LineDict()
    mapping.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = _child(loader, key_node, key_node.start_mark.line + 1)
        if not isinstance(key, (str, int, bool, float)) or key is None:
            raise YamlSyntaxError(key_node.start_mark.line + 1, "a key must be a plain string")
        if key in mapping:
            raise YamlSyntaxError(key_node.start_mark.line + 1, f"duplicate key '{key}'")
        mapping[key] = _child(loader, value_node, key_node.start_mark.line + 1)
        mapping.key_lines[key] = key_node.start_mark.line + 1
    return mapping


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    items = LineList(_child(loader, child, node.start_mark.line + 1) for child in node.value)
    items.line = node.start_mark.line + 1
    items.item_lines = [child.start_mark.line + 1 for child in node.value]
    return items


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def load_yaml(text: str, first_line: int = 1) -> Any:
    """Parse YAML text; raise YamlSyntaxError with the line of the first problem."""
    try:
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 (a SafeLoader subclass)
    except YamlSyntaxError as error:
        raise YamlSyntaxError(error.line + first_line - 1, error.message) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = (mark.line + 1) if mark else 1
        problem = error.problem or str(error)
        raise YamlSyntaxError(line + first_line - 1, f"malformed YAML: {problem}") from None
    except yaml.YAMLError as error:
        raise YamlSyntaxError(first_line, f"malformed YAML: {error}") from None
    except RecursionError:
        raise YamlSyntaxError(first_line, f"YAML nested more than {MAX_DEPTH} levels deep") from None
    if _depth(data) > MAX_DEPTH:
        raise YamlSyntaxError(first_line, f"YAML nested more than {MAX_DEPTH} levels deep")
    if first_line != 1:
        _shift_lines(data, first_line - 1)
    return data


def _depth(value: Any) -> int:
    """How deeply lists and mappings nest (iteratively: the data may be very deep)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        current, level = stack.pop()
        children = current.values() if isinstance(current, dict) else current if isinstance(current, list) else ()
        for child in children:
            if isinstance(child, (dict, list)):
                if level + 1 > MAX_DEPTH:
                    return level + 1
                stack.append((child, level + 1))
        deepest = max(deepest, level)
    return deepest


def _shift_lines(value: Any, offset: int) -> None:
    """Move every recorded line by offset (front matter starts below the `---`)."""
    if isinstance(value, LineDict):
        value.line += offset
        value.key_lines = {k: v + offset for k, v in value.key_lines.items()}
        for child in value.values():
            _shift_lines(child, offset)
    elif isinstance(value, LineList):
        value.line += offset
        value.item_lines = [v + offset for v in value.item_lines]
        for child in value:
            _shift_lines(child, offset)


def line_of(data: Any, loc: Sequence[Any], default: int = 1) -> int:
    """The line of the deepest element of loc that exists in data."""
    line = getattr(data, "line", default)
    current = data
    for part in loc:
        if isinstance(current, LineDict) and part in current:
            line = current.key_lines.get(part, line)
            current = current[part]
        elif isinstance(current, LineList) and isinstance(part, int) and 0 <= part < len(current):
            line = current.item_lines[part]
            current = current[part]
        else:
            break
    return line


def plain(value: Any) -> Any:
    """Convert loaded YAML into plain JSON-ready values (dates become ISO strings)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value
