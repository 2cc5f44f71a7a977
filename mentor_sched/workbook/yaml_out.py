"""Cluster data as a YAML file a person can read: sections in the order of the
format, short entries on one line, and a comment naming the sheet and cell
each entry came from."""

from __future__ import annotations

from typing import Any

import yaml

_SECTIONS = (
    "cluster",
    "calendar",
    "travel",
    "schools",
    "mentors",
    "people",
    "demand",
    "pins",
    "weights",
)
_ENTRY_SHEETS = {
    "schools": "schools",
    "mentors": "mentors",
    "people": "people",
    "demand": "demand",
    "pins": "pins",
}


def _dump(value: Any) -> str:
    return yaml.safe_dump(
        value,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=None,
        width=88,
    )


def _indent(text: str, by: str) -> str:
    return "".join(
        by + line if line.strip() else line for line in text.splitlines(keepends=True)
    )


def to_yaml(data: dict[str, Any], comments: dict[tuple, str], source: str) -> str:
    out = [
        f"# Written by mentor-sched import from {_one_line(source)}.",
        "# Each entry names the sheet and cell it came from; edit the workbook and",
        "# import it again rather than editing this file, or both will differ.",
        "version: 1",
    ]
    for section in _SECTIONS:
        if section not in data:
            continue
        value = data[section]
        out.append("")
        note = comments.get((section,))
        if section in _ENTRY_SHEETS:
            out.append(f"# sheet '{_ENTRY_SHEETS[section]}', one entry per row")
        elif note:
            out.append(f"# {_one_line(note)}")
        if isinstance(value, list):
            if not value:
                out.append(f"{section}: []")
                continue
            out.append(f"{section}:")
            for i, entry in enumerate(value):
                where = comments.get((section, i))
                if where:
                    out.append(f"  # {_one_line(where)}")
                out.append(_indent(_dump([entry]), "  ").rstrip("\n"))
        else:
            out.append(_dump({section: value}).rstrip("\n"))
    return "\n".join(out) + "\n"


def _one_line(text: str) -> str:
    """Comments hold one line: a file name cannot end one early."""
    return "".join(c if c.isprintable() else "?" for c in str(text))
