"""Hosted events (``host: school-mentor``), placed after the Expert Mentors'
plan is made: the person's own in-school mentor holds them, so they take no
Expert Mentor time, travel or model variable, and fit around every event of
either person.

Each (demand, person) series gets one weekly slot (weekday, start), the one
free for both people in the most of its periods; each event goes there, or
else to the earliest other slot free for both that period, or is unmet with
the reason. Against a baseline (a what-if or ``--baseline``), an event keeps
its baseline slot where that still holds, and one dated before
``frozen_until`` stays as it was (it has happened).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

from ..candidates import event_dates, explain
from ..plan import Event, Plan
from ..problem import Owed, Problem
from ..rules.school_mentor_events import hosted_starts
from ..words import period_text

Slot = tuple[date, int, str]  # date, start, venue


def place_hosted(
    problem: Problem,
    events: list[Event],
    baseline: Plan | None = None,
    frozen_until: date | None = None,
) -> tuple[list[Event], dict[str, str]]:
    """The hosted events placed around ``events`` (the Expert Mentors' plan), and
    why each hosted event left out is unmet."""
    busy: dict[tuple[str, date], list[tuple[int, int, str]]] = defaultdict(list)
    for e in events:
        _take(busy, e)
    before = {
        e.id: e for e in (baseline.events if baseline else ()) if e.host is not None
    }
    series: dict[tuple[str, str], list[Owed]] = defaultdict(list)
    for o in problem.owed:
        if o.host is not None:
            series[o.demand, o.people[0]].append(o)
    placed: list[Event] = []
    why: dict[str, str] = {}
    if baseline is not None and frozen_until is not None:
        # what happened stays, also a hosted event no longer owed (history)
        owed_ids = {o.id for o in problem.owed}
        for e in before.values():
            if e.date < frozen_until and e.id not in owed_ids:
                _take(busy, e)
                placed.append(e)
        was_unmet = {u.id: u.reason for u in baseline.unmet}
    for owed in series.values():
        slots = {o.id: _slots(problem, o, frozen_until) for o in owed}
        usual = _usual(owed, slots, busy)
        for o in owed:
            b = before.get(o.id)
            kept = b is not None and (
                frozen_until is not None and b.date < frozen_until
            )
            if kept:
                choice: Slot | None = (b.date, b.start, b.venue)  # type: ignore[union-attr]
            else:
                choice = _choose(o, slots[o.id], busy, usual, b)
            if choice is None:
                why[o.id] = _reason(problem, o, slots[o.id], busy)
                if not slots[o.id] and frozen_until and o.id in was_unmet:
                    why[o.id] = was_unmet[o.id]  # its weeks have passed
                continue
            e = _event(problem, o, choice)
            _take(busy, e)
            placed.append(e)
    return placed, why


def _take(busy: dict, e: Event) -> None:
    for pid in e.people:
        if pid not in e.missed:
            busy[pid, e.date].append((e.start, e.end, e.id))


def _slots(problem: Problem, o: Owed, frozen_until: date | None) -> list[Slot]:
    """Every (date, start, venue) the event could take on its own, in order
    (from ``frozen_until`` on: what is before it has happened)."""
    return [
        (d, s, v)
        for d in event_dates(problem, o)
        if frozen_until is None or d >= frozen_until
        for s, v in hosted_starts(problem, o, d).items()
    ]


def _clashes(o: Owed, slot: Slot, busy: dict) -> list[str]:
    day, start, _ = slot
    end = start + o.minutes
    return [
        oid
        for pid in o.people
        for a, b, oid in busy.get((pid, day), ())
        if a < end and start < b
    ]


def _usual(
    owed: list[Owed], slots: dict[str, list[Slot]], busy: dict
) -> tuple[int, int] | None:
    """The (weekday, start) free for both people in the most periods; ties go to
    the earliest."""
    counts: Counter[tuple[int, int]] = Counter()
    for o in owed:
        counts.update(
            {
                (d.weekday(), s)
                for d, s, v in slots[o.id]
                if not _clashes(o, (d, s, v), busy)
            }
        )
    if not counts:
        return None
    return min(counts, key=lambda k: (-counts[k], k))


def _choose(
    o: Owed,
    slots: list[Slot],
    busy: dict,
    usual: tuple[int, int] | None,
    baseline: Event | None,
) -> Slot | None:
    free = [x for x in slots if not _clashes(o, x, busy)]
    if baseline is not None:
        same = (baseline.date, baseline.start, baseline.venue)
        if same in free:
            return same
    at_usual = [x for x in free if (x[0].weekday(), x[1]) == usual]
    return (at_usual or free or [None])[0]


def _reason(problem: Problem, o: Owed, slots: list[Slot], busy: dict) -> str:
    if not slots:
        return explain(problem, o)
    taken = sorted({oid for x in slots for oid in _clashes(o, x, busy)})
    where = period_text(problem, problem.demands[o.demand].every, o.period)
    shown = ", ".join(taken[:3]) + (
        f" and {len(taken) - 3} more" if len(taken) > 3 else ""
    )
    return (
        f"every time {o.people[0]} and {o.host} are both free for it in {where} "
        f"is taken by other events ({shown})"
    )


def _event(problem: Problem, o: Owed, slot: Slot) -> Event:
    day, start, venue = slot
    return Event(
        id=o.id,
        demand=o.demand,
        kind=o.kind,
        period=o.period,
        mentor=None,
        venue=venue,
        people=o.people,
        missed=(),
        topic=None,
        date=day,
        start=start,
        end=start + o.minutes,
        host=o.host,
    )
