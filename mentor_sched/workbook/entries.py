"""Cluster-file entries made from cell values: a date or date range with its
note, a weekly pattern in weekday order."""

from __future__ import annotations

from typing import Any

from ..input.model import WEEKDAY_NAMES


def range_entry(first: Any, last: Any, note: Any, *, bare: bool = False) -> Any:
    if last is None or last == first:
        if bare and note is None:
            return first
        out: dict[str, Any] = {"on": first}
    else:
        out = {"from": first, "to": last}
    if note is not None:
        out["note"] = note
    return out


def ordered_pattern(pattern: dict[Any, Any], two_weeks: bool) -> dict[str, Any]:
    def days(d: dict[str, Any]) -> dict[str, Any]:
        return {k: d[k] for k in WEEKDAY_NAMES if k in d}

    if two_weeks:
        return {w: days(pattern[w]) for w in ("A", "B") if w in pattern}
    return days(pattern)
