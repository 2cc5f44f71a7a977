"""Helpers every rule of the checker uses: its own, nothing from the solver."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from ..plan import Event, Plan, Trip
from ..problem import WEEKDAYS, Owed, Problem, Range, fmt_range

DAYS = (*WEEKDAYS, "sat", "sun")


def when(e: Event) -> str:
    return f"{e.date.isoformat()} {fmt_range((e.start, e.end))}"


def day_key(mentor: str, day: date) -> str:
    return f"{mentor}@{day.isoformat()}"


def trip_label(t: Trip) -> str:
    return (
        f"{t.mentor}@{t.date.isoformat()} {t.origin}->{t.dest} "
        f"{fmt_range((t.depart, t.arrive))}"
    )


def within(r: Range, ranges: Iterable[Range]) -> bool:
    return any(a <= r[0] and r[1] <= b for a, b in ranges)


def clashes(r: Range, ranges: Iterable[Range]) -> list[Range]:
    return [(a, b) for a, b in ranges if r[0] < b and a < r[1]]


def owed_by_id(problem: Problem) -> dict[str, Owed]:
    return {o.id: o for o in problem.owed}


def mentor_days(plan: Plan) -> dict[tuple[str, date], tuple[list[Event], list[Trip]]]:
    """Events and trips per (mentor, date), each sorted by time; an event an
    in-school mentor holds (mentor null) is on no Expert Mentor's day."""
    days: dict[tuple[str, date], tuple[list[Event], list[Trip]]] = defaultdict(
        lambda: ([], [])
    )
    for e in plan.events:
        if e.mentor is not None:
            days[e.mentor, e.date][0].append(e)
    for t in plan.travel:
        days[t.mentor, t.date][1].append(t)
    for events, trips in days.values():
        events.sort(key=lambda e: (e.start, e.end, e.id))
        trips.sort(key=lambda t: (t.depart, t.arrive))
    return dict(sorted(days.items()))


def travel(problem: Problem, a: str, b: str) -> int | None:
    """Travel minutes between two places, None when either is unknown."""
    if a == b:
        return 0
    return problem.travel.get((a, b))


def topic_period(problem: Problem, e: Event) -> int | None:
    """The period a topic session was planned in (week // every), None for once."""
    demand = problem.demands.get(e.demand)
    week = problem.calendar.week_of.get(e.date)
    if demand is None or demand.every is None or week is None:
        return None
    return week // demand.every
