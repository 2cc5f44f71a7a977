"""Small clusters for input-layer tests, built as data and written as YAML.

``minimal()`` is the smallest cluster that validates: one four-week spring
horizon (2027-01-04 Mon .. 2027-01-29 Fri, England, no holidays), two schools,
one mentor, one ECT with a weekly meeting. Tests copy it, change what they
exercise, and write it with ``write()``.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import yaml

from mentor_sched import load
from mentor_sched.input import InputError, InputErrors
from mentor_sched.problem import Problem

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "scenarios" / "stour-valley" / "cluster.yaml"

_MINIMAL: dict[str, Any] = {
    "version": 1,
    "cluster": {
        "name": "Tiny Cluster",
        "horizon": {"from": "2027-01-04", "to": "2027-01-29"},
    },
    "schools": [
        {
            "id": "oak",
            "name": "Oak Primary",
            "phase": "primary",
            "location": {"lat": 52.0, "lon": 0.7},
        },
        {
            "id": "elm",
            "name": "Elm Academy",
            "phase": "secondary",
            "location": {"lat": 52.1, "lon": 0.8},
        },
    ],
    "mentors": [
        {
            "id": "em-ann",
            "name": "Ann Lee",
            "works": {"mon": "08:00-17:00", "tue": "08:00-17:00", "thu": "08:00-17:00"},
        }
    ],
    "people": [
        {
            "id": "ect-al",
            "name": "Al Shaw",
            "role": "ect",
            "school": "oak",
            "teaching": {"tue": "09:00-12:00"},
            "free": {"mon": "13:00-14:00"},
        },
    ],
    "demand": [
        {
            "id": "meet",
            "kind": "meeting",
            "who": {"role": "ect"},
            "minutes": 45,
        }
    ],
}


def minimal() -> dict[str, Any]:
    """A fresh deep copy of the minimal cluster, to change freely."""
    return copy.deepcopy(_MINIMAL)


def dump(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def example_text() -> str:
    return EXAMPLE.read_text(encoding="utf-8")


def write(tmp_path: Path, data: dict[str, Any] | str | bytes, name: str = "c.yaml"):
    """Write a cluster (data, YAML text or raw bytes) and return its path."""
    path = tmp_path / name
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data if isinstance(data, str) else dump(data), "utf-8")
    return path


def load_data(tmp_path: Path, data: dict[str, Any] | str) -> Problem:
    return load(write(tmp_path, data))


def errors_of(tmp_path: Path, data: dict[str, Any] | str | bytes) -> list[InputError]:
    """The input errors ``load`` raises for ``data`` (fails if it loads)."""
    path = write(tmp_path, data)
    try:
        load(path)
    except InputErrors as exc:
        return exc.errors
    raise AssertionError("the cluster loaded, but an input error was expected")


def line_of(text: str, pattern: str, nth: int = 0) -> int:
    """1-based line of the ``nth`` line matching the regex ``pattern``."""
    hits = [
        i for i, line in enumerate(text.splitlines(), 1) if re.search(pattern, line)
    ]
    assert len(hits) > nth, f"{pattern!r} not found {nth + 1} times"
    return hits[nth]


def replace_once(text: str, old: str, new: str) -> str:
    """``text`` with ``old`` (which must occur exactly once) replaced."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)
