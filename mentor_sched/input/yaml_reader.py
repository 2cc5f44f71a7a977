"""Safe YAML reading that remembers where every value came from.

PyYAML composes the node tree (safe: no object construction); we build plain
Python values from it ourselves so that

- a bare ``on`` key stays the string ``"on"`` and an unquoted ``13:15`` stays
  the string ``"13:15"`` (YAML 1.1 would give ``True`` and ``795``): only
  ``true``/``false`` are booleans and only plain decimals are numbers;
- dates stay strings, so pydantic reports impossible dates like other errors;
- every value's line and column is recorded under its path;
- tags other than the standard scalar and collection tags are refused
  (``!!python/object`` and friends);
- aliases cannot expand without bound (billion laughs), nesting is capped
  (also through aliases) before anything recursive sees it, and the file size
  is capped, so a hostile file fails fast in bounded time and memory
  (limits.py, docs/limits.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from . import limits
from .limits import MAX_BYTES, MAX_DEPTH, MAX_NODES

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_NODES",
    "Document",
    "Path_",
    "YamlProblem",
    "read_yaml",
    "too_large",
]

Path_ = tuple[str | int, ...]

_STANDARD_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:merge",
}


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """A safe loader with YAML 1.2-like implicit typing."""


_Loader.yaml_implicit_resolvers = {}
for _tag, _regexp, _first in [
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:int", r"^[-+]?[0-9]+$", "-+0123456789"),
    (
        "tag:yaml.org,2002:float",
        r"^(?:[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?[0-9]+[eE][-+]?[0-9]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:merge", r"^(?:<<)$", "<"),
]:
    _Loader.add_implicit_resolver(_tag, re.compile(_regexp), list(_first))


@dataclass
class YamlProblem(Exception):
    """A YAML-level problem, with its 1-based position."""

    message: str
    line: int | None = None
    column: int | None = None
    hint: str = ""


@dataclass
class Document:
    data: Any
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def where(self, path: Path_, *, key: bool = False) -> tuple[int, int] | None:
        """Line and column of ``path``, or of its nearest known ancestor."""
        p = tuple(path)
        while True:
            if key and p in self.key_positions:
                return self.key_positions[p]
            if p in self.positions:
                return self.positions[p]
            if not p:
                return None
            p = p[:-1]


def read_yaml(raw: bytes) -> Document:
    """Parse ``raw`` into plain values and their positions, or raise YamlProblem."""
    if len(raw) > limits.MAX_BYTES:
        raise too_large(len(raw))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise YamlProblem(
            f"byte 0x{raw[exc.start]:02x} is not valid UTF-8",
            line,
            col,
            "save the file as UTF-8 (most editors: 'Save with encoding')",
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        # libyaml's composer recurses in C: 100,000 '[' overflow its stack, so
        # nesting is measured on the flat event stream first
        _check_depth(yaml.parse(text, Loader=_Loader))
        nodes = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        msg = " ".join(s for s in (exc.context, exc.problem) if s)
        raise YamlProblem(
            f"YAML syntax: {msg}",
            mark.line + 1 if mark else None,
            mark.column + 1 if mark else None,
            "check indentation and quoting near this line",
        ) from None
    except yaml.reader.ReaderError as exc:
        # a character YAML forbids (a raw control character): its own position
        at = min(exc.position, len(text))
        line = text.count("\n", 0, at) + 1
        col = at - (text.rfind("\n", 0, at) + 1) + 1
        char = exc.character
        code = char if isinstance(char, int) else ord(str(char)[:1] or "?")
        raise YamlProblem(
            f"YAML syntax: character U+{code:04X} is not allowed in YAML",
            line,
            col,
            'remove it, or write it as an escape inside "double quotes"',
        ) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(f"YAML syntax: {exc}", 1, 1) from None
    if not nodes:
        raise YamlProblem(
            "expected one YAML document, found 0: the file is empty "
            "(or holds only comments)",
            1,
            1,
            "start from a shipped example such as scenarios/stour-valley/cluster.yaml",
        )
    if len(nodes) != 1:
        second = nodes[1].start_mark if len(nodes) > 1 else None
        raise YamlProblem(
            f"expected one YAML document, found {len(nodes)}",
            second.line + 1 if second else None,
            second.column + 1 if second else None,
            hint="a cluster file holds exactly one document (remove '---' separators)",
        )
    node = nodes[0]
    _measure(node)  # raises at the value that expands too far or too deep
    doc = Document(data=None)
    builder = _Builder(doc)
    doc.data = builder.build(node, ())
    return doc


def too_large(size: int) -> YamlProblem:
    return YamlProblem(
        f"file is {size:,} bytes, larger than the {limits.MAX_BYTES:,}-byte limit",
        hint="split the cluster, or remove pasted data; cluster files are small",
    )


def _too_deep(mark: yaml.Mark) -> YamlProblem:
    return YamlProblem(
        f"values are nested deeper than {MAX_DEPTH} levels",
        mark.line + 1,
        mark.column + 1,
        "a cluster file needs 7 levels; close the brackets or fix the indentation",
    )


def _check_depth(events: Any) -> None:
    """Refuse nesting deeper than MAX_DEPTH, at the first value too deep."""
    depth = 0
    for event in events:
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise _too_deep(event.start_mark)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _measure(root: yaml.Node) -> None:
    """Refuse a document that expands through aliases to more than MAX_NODES
    values, nests deeper than MAX_DEPTH or refers to itself, without expanding
    it and without recursion (an alias chain can be as long as the file)."""
    done: dict[int, tuple[int, int]] = {}  # node -> (values, height)
    entered: set[int] = set()  # the nodes on the current path
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        key = id(node)
        if not leaving:
            if key in done:
                continue
            if key in entered:
                raise YamlProblem(
                    "an alias refers to itself",
                    node.start_mark.line + 1,
                    node.start_mark.column + 1,
                    "remove the recursive '*alias'",
                )
            entered.add(key)
            stack.append((node, True))
            stack.extend((c, False) for c in reversed(_children(node)))
            continue
        entered.discard(key)
        size, height = 1, 0 if isinstance(node, yaml.ScalarNode) else 1
        for child in _children(node):
            s, h = done[id(child)]
            size += s
            height = max(height, h + 1)
        if size > MAX_NODES:
            # the innermost value over the bound: where the aliases multiply
            raise YamlProblem(
                f"this value expands through aliases to more than {MAX_NODES:,} values",
                node.start_mark.line + 1,
                node.start_mark.column + 1,
                "use fewer nested '*alias' references",
            )
        if height > MAX_DEPTH:
            raise _too_deep(node.start_mark)
        done[key] = (size, height)


class _Builder:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.count = 0

    def build(self, node: yaml.Node, path: Path_) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise YamlProblem(
                f"the document expands to more than {MAX_NODES:,} values "
                "(aliases nested too deep)",
                node.start_mark.line + 1,
                node.start_mark.column + 1,
                "use fewer nested '*alias' references",
            )
        self.doc.positions.setdefault(
            path, (node.start_mark.line + 1, node.start_mark.column + 1)
        )
        if node.tag not in _STANDARD_TAGS:
            raise YamlProblem(
                f"tag {node.tag!r} is not allowed",
                node.start_mark.line + 1,
                node.start_mark.column + 1,
                "remove the tag: only plain YAML values are read",
            )
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode, path: Path_) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        merged: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                sources = (
                    value_node.value
                    if isinstance(value_node, yaml.SequenceNode)
                    else [value_node]
                )
                for src in sources:
                    value = self.build(src, path)
                    if not isinstance(value, dict):
                        raise YamlProblem(
                            "'<<' merges only mappings",
                            src.start_mark.line + 1,
                            src.start_mark.column + 1,
                        )
                    for k, v in value.items():
                        merged.setdefault(k, v)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlProblem(
                    "a key must be a plain name",
                    key_node.start_mark.line + 1,
                    key_node.start_mark.column + 1,
                )
            key = self._scalar(key_node)
            if not isinstance(key, str | int):
                key = str(key_node.value)
            if key in out:
                raise YamlProblem(
                    f"key {key!r} appears twice in the same mapping",
                    key_node.start_mark.line + 1,
                    key_node.start_mark.column + 1,
                    "remove one of them",
                )
            self.doc.key_positions[(*path, key)] = (
                key_node.start_mark.line + 1,
                key_node.start_mark.column + 1,
            )
            out[key] = self.build(value_node, (*path, key))
        for k, v in merged.items():
            out.setdefault(k, v)
        return out

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        value = node.value
        tag = node.tag
        try:
            if tag == "tag:yaml.org,2002:null":
                return None
            if tag == "tag:yaml.org,2002:bool":
                return value.lower() == "true"
            if tag == "tag:yaml.org,2002:int":
                return int(value)
            if tag == "tag:yaml.org,2002:float":
                low = value.lower()
                if low.endswith("inf"):
                    return float("-inf") if low.startswith("-") else float("inf")
                if low.endswith("nan"):
                    return float("nan")
                return float(value)
        except ValueError:
            raise YamlProblem(
                f"{value!r} is not a valid {tag.rsplit(':', 1)[-1]}",
                node.start_mark.line + 1,
                node.start_mark.column + 1,
            ) from None
        return value
