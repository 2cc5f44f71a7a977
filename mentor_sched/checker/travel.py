"""The trips a mentor-day needs and the trips the plan has, matched: what rules 2
(between events) and 3 (from and to the base) each report on."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise

from ..plan import Event, Plan, Trip
from ..problem import BASE, ONLINE, Problem, fmt_range, fmt_time
from .common import mentor_days, travel, trip_label
from .violation import Violation


@dataclass(frozen=True)
class _Leg:
    """A trip the day needs: between two events, or from/to the base."""

    rule: str  # "2" between events, "3" from or to the base
    origin: str  # place ids
    dest: str
    lo: int | None  # earliest departure (end of the event before)
    hi: int | None  # latest arrival (start of the event after)
    event: str  # the event the leg serves, for the message


def _place(problem: Problem, mentor: str, name: str) -> str | None:
    """A trip end as a place id: ``"base"`` is the mentor's base."""
    if name == BASE:
        m = problem.mentors.get(mentor)
        return m.base if m else None
    return name


def _legs(problem: Problem, mentor: str, events: list[Event]) -> list[_Leg]:
    in_person = [e for e in events if e.venue != ONLINE]
    legs = [
        _Leg("2", a.venue, b.venue, a.end, b.start, b.id)
        for a, b in pairwise(in_person)
        if a.venue != b.venue
    ]
    m = problem.mentors.get(mentor)
    if m is not None and m.base is not None and in_person:
        first, last = in_person[0], in_person[-1]
        if first.venue != m.base:
            legs.insert(0, _Leg("3", m.base, first.venue, None, first.start, first.id))
        if last.venue != m.base:
            legs.append(_Leg("3", last.venue, m.base, last.end, None, last.id))
    return legs


def _in_gap(t: Trip, leg: _Leg) -> bool:
    return (leg.lo is None or t.depart >= leg.lo) and (
        leg.hi is None or t.arrive <= leg.hi
    )


def _leg_text(leg: _Leg) -> str:
    if leg.lo is None:
        return f"before {fmt_time(leg.hi)}"  # type: ignore[arg-type]
    if leg.hi is None:
        return f"after {fmt_time(leg.lo)}"
    return f"between {fmt_time(leg.lo)} and {fmt_time(leg.hi)}"


def travel_findings(problem: Problem, plan: Plan) -> Iterator[Violation]:
    """Match each mentor-day's trips to the legs its events need (rules 2 and 3)."""
    for (mid, day), (events, trips) in mentor_days(plan).items():
        mentor = problem.mentors.get(mid)
        if mentor is None:
            for t in trips:
                yield Violation("2", trip_label(t), f"{mid} is not a mentor")
            continue
        where = f"{mid} on {day}"
        legs = _legs(problem, mid, events)
        places = [
            (_place(problem, mid, t.origin), _place(problem, mid, t.dest))
            for t in trips
        ]
        used: set[int] = set()
        chosen: dict[int, list[int]] = {}
        for n, leg in enumerate(legs):
            chosen[n] = [
                i
                for i, t in enumerate(trips)
                if i not in used
                and places[i] == (leg.origin, leg.dest)
                and _in_gap(t, leg)
            ]
            used.update(chosen[n])
        for n, leg in enumerate(legs):
            ends = [
                BASE if leg.rule == "3" and p == mentor.base else p
                for p in (leg.origin, leg.dest)
            ]
            route = " to ".join(ends)
            if not chosen[n]:
                # a trip on the right route but outside the gap: say so, once
                stray = next(
                    (
                        i
                        for i in range(len(trips))
                        if i not in used and places[i] == (leg.origin, leg.dest)
                    ),
                    None,
                )
                if stray is not None:
                    used.add(stray)
                    t = trips[stray]
                    yield Violation(
                        leg.rule,
                        leg.event,
                        f"{where}: the trip {route} at "
                        f"{fmt_range((t.depart, t.arrive))} must lie "
                        f"{_leg_text(leg)}",
                    )
                else:
                    yield Violation(
                        leg.rule,
                        leg.event,
                        f"{where}: no trip from {route} {_leg_text(leg)}",
                    )
                continue
            for extra in chosen[n][1:]:
                yield Violation(
                    leg.rule,
                    trip_label(trips[extra]),
                    f"{where}: a second trip from {route}; one is needed",
                )
            t = trips[chosen[n][0]]
            need = travel(problem, leg.origin, leg.dest)
            if t.arrive - t.depart != t.minutes:
                yield Violation(
                    leg.rule,
                    trip_label(t),
                    f"{where}: the trip {route} says {t.minutes} minutes but runs "
                    f"{fmt_range((t.depart, t.arrive))}, "
                    f"{t.arrive - t.depart} minutes",
                )
            if need is not None and t.minutes < need:
                yield Violation(
                    leg.rule,
                    trip_label(t),
                    f"{where}: the trip {route} takes {t.minutes} minutes; "
                    f"travel needs {need}",
                )
            works = mentor.works.get(day.weekday(), ())
            if leg.rule == "3" and works:
                start, end = works[0][0], works[-1][1]
                if leg.lo is None and t.depart < start:
                    yield Violation(
                        "3",
                        trip_label(t),
                        f"{where}: leaves base at {fmt_time(t.depart)}, before "
                        f"work starts at {fmt_time(start)}",
                    )
                if leg.hi is None and t.arrive > end:
                    yield Violation(
                        "3",
                        trip_label(t),
                        f"{where}: is back at base at {fmt_time(t.arrive)}, after "
                        f"work ends at {fmt_time(end)}",
                    )
        for i, t in enumerate(trips):
            if i in used:
                continue
            if BASE in (t.origin, t.dest):
                why = (
                    f"{mid} has no base"
                    if mentor.base is None
                    else "no first or last in-person visit of the day needs it"
                )
                yield Violation("3", trip_label(t), f"{where}: a base trip; {why}")
            else:
                yield Violation(
                    "2",
                    trip_label(t),
                    f"{where}: this trip joins no two consecutive in-person events "
                    "at different places",
                )
