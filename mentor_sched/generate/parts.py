"""The cluster being built: its schools and people, and small helpers for
times, ids and weekly patterns."""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from .tables import _FIRST, _LAST, WEEKDAYS


def _t(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@lru_cache(maxsize=4096)
def _r(a: int, b: int) -> str:
    return f"{_t(a)}-{_t(b)}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("'", "")).strip("-")


@dataclass
class _School:
    id: str
    name: str
    phase: str
    town: int
    lat: float
    lon: float
    open: tuple[int, int] | None = None
    ab: bool = False
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def open_range(self) -> tuple[int, int]:
        return self.open or (480, 1050)


@dataclass
class _Person:
    id: str
    name: str
    role: str
    school: _School
    ect_year: int | None = None
    days: list[str] = field(default_factory=lambda: list(WEEKDAYS))
    present: tuple[date, date] | None = None
    mentor: str | None = None
    away: list[dict[str, Any]] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)

    def in_on(self, d: date) -> bool:
        if WEEKDAYS[d.weekday()] not in self.days:
            return False
        if d in self.school.data.get("_closed", ()):
            return False
        if self.present and not self.present[0] <= d <= self.present[1]:
            return False
        # part-day absences (with a time) leave the person available
        return all("time" in a or not (a["_from"] <= d <= a["_to"]) for a in self.away)


class _Names:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.ids: set[str] = set()
        self.names: set[str] = set()

    def person(self, prefix: str) -> tuple[str, str]:
        rng = self.rng
        for _ in range(50):
            first, last = rng.choice(_FIRST), rng.choice(_LAST)
            if f"{first} {last}" not in self.names:
                break
        name = f"{first} {last}"
        self.names.add(name)
        return self.unique(f"{prefix}-{_slug(first)}", f"{prefix}-{_slug(name)}"), name

    def unique(self, *candidates: str) -> str:
        for c in candidates:
            if c not in self.ids:
                self.ids.add(c)
                return c
        n = 2
        while f"{candidates[-1]}-{n}" in self.ids:
            n += 1
        self.ids.add(f"{candidates[-1]}-{n}")
        return f"{candidates[-1]}-{n}"


def _jitter(
    rng: random.Random, lat: float, lon: float, km: float
) -> tuple[float, float]:
    """A point within about ``km`` of (lat, lon)."""
    r = km * math.sqrt(rng.random())
    a = rng.random() * 2 * math.pi
    dlat = r * math.cos(a) / 111.0
    dlon = r * math.sin(a) / (111.0 * math.cos(math.radians(lat)))
    return round(lat + dlat, 4), round(lon + dlon, 4)


def _merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(ranges):
        if out and out[-1][1] == a:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _pattern(by_day: dict[str, list[tuple[int, int]]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for day in WEEKDAYS:
        ranges = _merge(by_day.get(day, []))
        if ranges:
            out[day] = _r(*ranges[0]) if len(ranges) == 1 else [_r(*r) for r in ranges]
    return out
