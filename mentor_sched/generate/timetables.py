"""Each person's teaching and free lessons, on the school-day grid of the
school's phase."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .parts import _pattern, _Person
from .tables import (
    _PRIMARY_BLOCKS,
    _PRIMARY_TRAINEE,
    _SECONDARY_PERIODS,
    _SPECIAL_BLOCKS,
    WEEKDAYS,
)

if TYPE_CHECKING:
    from .builder import _Builder


def timetables(b: _Builder) -> None:
    rng = b.rng
    for p in b.people:
        phase = p.school.phase
        mdays = b.mentor_days_for(phase)
        if rng.random() < (
            0.15 if p.role == "ect" else 0.1 if p.role != "trainee" else 0
        ):
            n = rng.choice((3, 4))
            days = rng.sample(list(WEEKDAYS), n)
            if mdays and not set(days) & set(mdays):
                days[0] = rng.choice(mdays)
            p.days = [d for d in WEEKDAYS if d in days]
        useful = [d for d in p.days if d in mdays] or p.days
        if phase in ("secondary", "all-through"):
            variants = ("A", "B") if p.school.ab else ("",)
            tt: dict[str, Any] = {}
            fr: dict[str, Any] = {}
            for v in variants:
                t, f = grid_week(b, p, _SECONDARY_PERIODS, useful)
                if v:
                    tt[v], fr[v] = t, f
                else:
                    tt, fr = t, f
            p.data["teaching"], p.data["free"] = tt, fr
        elif p.role == "trainee":
            grid = _PRIMARY_TRAINEE if phase == "primary" else _SPECIAL_BLOCKS
            p.data["teaching"], p.data["free"] = grid_week(b, p, grid, useful)
        else:
            grid = _PRIMARY_BLOCKS if phase == "primary" else _SPECIAL_BLOCKS
            p.data["teaching"], p.data["free"] = ppa_week(b, p, grid, useful)


def grid_week(
    b: _Builder, p: _Person, grid: tuple[tuple[int, int], ...], useful: list[str]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Each lesson of the grid: taught, free or neither, by role."""
    rng = b.rng
    teach_p, free_p = {
        "ect": (0.68, 0.25),
        "trainee": (0.45, 0.2),
        "school-mentor": (0.75, 0.2),
    }[p.role]
    teaching: dict[str, list[tuple[int, int]]] = {}
    free: dict[str, list[tuple[int, int]]] = {}
    for day in p.days:
        for lesson in grid:
            r = rng.random()
            if r < teach_p:
                teaching.setdefault(day, []).append(lesson)
            elif r < teach_p + free_p:
                free.setdefault(day, []).append(lesson)
    long = [g for g in grid if g[1] - g[0] >= 60]
    want_free = 2 if p.role == "ect" else 1
    for want, mine, other in ((2, teaching, free), (want_free, free, teaching)):
        while sum(1 for d in useful for g in mine.get(d, []) if g in long) < want:
            day, lesson = rng.choice(useful), rng.choice(long)
            if lesson in mine.get(day, []):
                if len(useful) * len(long) <= want:
                    break
                continue
            if lesson in other.get(day, []):
                other[day].remove(lesson)
            mine.setdefault(day, []).append(lesson)
    return _pattern(teaching), _pattern(free)


def ppa_week(
    b: _Builder, p: _Person, grid: tuple[tuple[int, int], ...], useful: list[str]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Primary class teachers: teach all day but PPA (and ECT time) afternoons."""
    rng = b.rng
    n_ppa = 2 if p.role == "ect" and p.ect_year == 1 else rng.choice((1, 1, 2))
    ppa_days = rng.sample(useful, min(n_ppa, len(useful)))
    teaching: dict[str, list[tuple[int, int]]] = {}
    free: dict[str, list[tuple[int, int]]] = {}
    am1, am2, pm1, pm2 = grid
    for day in p.days:
        teaching[day] = [am1, am2]
        if day in ppa_days:
            kind = rng.random()
            if kind < 0.5:
                free[day], teaching[day] = [pm1], [*teaching[day], pm2]
            elif kind < 0.8:
                free[day], teaching[day] = [pm2], [*teaching[day], pm1]
            else:
                free[day] = [pm1, pm2]
        else:
            teaching[day] += [pm1, pm2]
    if p.role == "school-mentor" and rng.random() < 0.5:
        return {}, _pattern(free)  # only their release time matters
    return _pattern(teaching), _pattern(free)
