"""The independent checker behind ``mentor-sched check CLUSTER PLAN``.

It recomputes every hard rule of cluster-format.md, the accounting of owed
events (plan-format.md) and every figure of docs/metrics.md from the
``Problem`` and the ``Plan`` alone. It deliberately shares no code with the
solver or with ``candidates.py``: a rule misread there must not be misread the
same way here.

Each rule is one private function, named after it, yielding ``Violation``s;
``RULES`` lists them in the order of the spec.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import Any

from .plan import Event, Plan, Trip
from .problem import BASE, ONLINE, WEEKDAYS, Owed, Problem, Range, fmt_range, fmt_time


@dataclass(frozen=True)
class Violation:
    """One broken rule, named so a coordinator can find it in the plan."""

    rule: str  # "1".."8" (cluster-format.md hard rules), "window", "accounting", ...
    event: str  # event id, or a trip / "mentor@date" for day-level rules
    message: str

    def __str__(self) -> str:
        return f"rule {self.rule}: {self.event}: {self.message}"


def check(problem: Problem, plan: Plan) -> list[Violation]:
    """Every violation of the hard rules, the accounting and the metrics."""
    out: list[Violation] = []
    for rule in RULES:
        out.extend(rule(problem, plan))
    return out


def check_whatif(
    base: Problem, changed: Problem, frozen_until: date, plan: Plan
) -> list[Violation]:
    """Every violation of a what-if's re-plan: what is dated before
    ``frozen_until`` has happened and is judged as it was planned (against the
    ``base`` cluster), the rest and the plan as a whole against the ``changed``
    cluster (accounting and metrics included)."""
    dates = {e.id: e.date for e in plan.events}

    def when(v: Violation) -> date | None:
        if v.event in dates:
            return dates[v.event]
        match = _AT_DATE.search(v.event)
        return date.fromisoformat(match.group(1)) if match else None

    def before(v: Violation) -> bool:
        day = when(v)
        return day is not None and day < frozen_until

    out = [v for v in check(changed, plan) if not before(v)]
    out += [v for v in check(base, plan) if before(v)]
    return out


_AT_DATE = re.compile(r"@(\d{4}-\d{2}-\d{2})")


# -- shared helpers (the checker's own; nothing from the solver) --------------------


_DAYS = (*WEEKDAYS, "sat", "sun")


def _when(e: Event) -> str:
    return f"{e.date.isoformat()} {fmt_range((e.start, e.end))}"


def _day(mentor: str, day: date) -> str:
    return f"{mentor}@{day.isoformat()}"


def _trip_label(t: Trip) -> str:
    return (
        f"{t.mentor}@{t.date.isoformat()} {t.origin}->{t.dest} "
        f"{fmt_range((t.depart, t.arrive))}"
    )


def _within(r: Range, ranges: Iterable[Range]) -> bool:
    return any(a <= r[0] and r[1] <= b for a, b in ranges)


def _clashes(r: Range, ranges: Iterable[Range]) -> list[Range]:
    return [(a, b) for a, b in ranges if r[0] < b and a < r[1]]


def _owed(problem: Problem) -> dict[str, Owed]:
    return {o.id: o for o in problem.owed}


def _mentor_days(plan: Plan) -> dict[tuple[str, date], tuple[list[Event], list[Trip]]]:
    """Events and trips per (mentor, date), each sorted by time."""
    days: dict[tuple[str, date], tuple[list[Event], list[Trip]]] = defaultdict(
        lambda: ([], [])
    )
    for e in plan.events:
        days[e.mentor, e.date][0].append(e)
    for t in plan.travel:
        days[t.mentor, t.date][1].append(t)
    for events, trips in days.values():
        events.sort(key=lambda e: (e.start, e.end, e.id))
        trips.sort(key=lambda t: (t.depart, t.arrive))
    return dict(sorted(days.items()))


def _travel(problem: Problem, a: str, b: str) -> int | None:
    """Travel minutes between two places, None when either is unknown."""
    if a == b:
        return 0
    return problem.travel.get((a, b))


def _topic_period(problem: Problem, e: Event) -> int | None:
    """The period a topic session was planned in (week // every), None for once."""
    demand = problem.demands.get(e.demand)
    week = problem.calendar.week_of.get(e.date)
    if demand is None or demand.every is None or week is None:
        return None
    return week // demand.every


# -- rule 1 ------------------------------------------------------------------------


def _teaching_day_and_hours(problem: Problem, plan: Plan) -> Iterator[Violation]:
    """Hard (1): an event lies on a teaching day in its weeks, inside the mentor's
    works hours, outside the mentor's absences, and in person inside the venue's
    open hours on a day it is open."""
    owed = _owed(problem)
    cal = problem.calendar
    for e in plan.events:
        span = (e.start, e.end)
        week = cal.week_of.get(e.date)
        if week is None:
            why = cal.closed_days.get(e.date, "a weekend or outside the horizon")
            yield Violation("1", e.id, f"{e.date} is not a teaching day ({why})")
            continue
        o = owed.get(e.id)
        if o is not None and not o.weeks[0] <= week <= o.weeks[1]:
            yield Violation(
                "1",
                e.id,
                f"{e.date} is in teaching week {week}, outside the weeks "
                f"{o.weeks[0]}..{o.weeks[1]} in which {e.id} is owed",
            )
        mentor = problem.mentors.get(e.mentor)
        if mentor is None:
            yield Violation(
                "1", e.id, f"{e.mentor} is not an Expert Mentor of the cluster"
            )
        else:
            works = mentor.works.get(e.date.weekday(), ())
            if e.date in mentor.away_days:
                yield Violation("1", e.id, f"{e.mentor} is away all day on {e.date}")
            elif not _within(span, works):
                hours = ", ".join(fmt_range(r) for r in works) or "no hours"
                yield Violation(
                    "1",
                    e.id,
                    f"{_when(e)} is outside {e.mentor}'s working hours on "
                    f"{_DAYS[e.date.weekday()]} ({hours})",
                )
            for r in _clashes(span, mentor.away_times.get(e.date, ())):
                yield Violation(
                    "1",
                    e.id,
                    f"{e.mentor} is away {e.date} {fmt_range(r)}, during {_when(e)}",
                )
        if e.venue == ONLINE:
            continue
        school = problem.schools.get(e.venue)
        if school is None:
            yield Violation(
                "1", e.id, f"venue {e.venue} is not a school of the cluster"
            )
            continue
        if e.date in school.closed:
            yield Violation("1", e.id, f"{school.id} is closed on {e.date}")
        if not _within(span, (school.open,)):
            yield Violation(
                "1",
                e.id,
                f"{_when(e)} is outside {school.id}'s open hours "
                f"{fmt_range(school.open)}",
            )


# -- rules 2 and 3: where the mentor is --------------------------------------------


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


def _travel_findings(problem: Problem, plan: Plan) -> Iterator[Violation]:
    """Match each mentor-day's trips to the legs its events need (rules 2 and 3)."""
    for (mid, day), (events, trips) in _mentor_days(plan).items():
        mentor = problem.mentors.get(mid)
        if mentor is None:
            for t in trips:
                yield Violation("2", _trip_label(t), f"{mid} is not a mentor")
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
                    _trip_label(trips[extra]),
                    f"{where}: a second trip from {route}; one is needed",
                )
            t = trips[chosen[n][0]]
            need = _travel(problem, leg.origin, leg.dest)
            if t.arrive - t.depart != t.minutes:
                yield Violation(
                    leg.rule,
                    _trip_label(t),
                    f"{where}: the trip {route} says {t.minutes} minutes but runs "
                    f"{fmt_range((t.depart, t.arrive))}, "
                    f"{t.arrive - t.depart} minutes",
                )
            if need is not None and t.minutes < need:
                yield Violation(
                    leg.rule,
                    _trip_label(t),
                    f"{where}: the trip {route} takes {t.minutes} minutes; "
                    f"travel needs {need}",
                )
            works = mentor.works.get(day.weekday(), ())
            if leg.rule == "3" and works:
                start, end = works[0][0], works[-1][1]
                if leg.lo is None and t.depart < start:
                    yield Violation(
                        "3",
                        _trip_label(t),
                        f"{where}: leaves base at {fmt_time(t.depart)}, before "
                        f"work starts at {fmt_time(start)}",
                    )
                if leg.hi is None and t.arrive > end:
                    yield Violation(
                        "3",
                        _trip_label(t),
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
                yield Violation("3", _trip_label(t), f"{where}: a base trip; {why}")
            else:
                yield Violation(
                    "2",
                    _trip_label(t),
                    f"{where}: this trip joins no two consecutive in-person events "
                    "at different places",
                )


def _mentor_no_overlap_and_travel(problem: Problem, plan: Plan) -> Iterator[Violation]:
    """Hard (2): a mentor is in one event at a time; between in-person events at
    different places exactly one trip of at least the travel time lies in the gap,
    overlapping no event and no other trip."""
    for (mid, day), (events, trips) in _mentor_days(plan).items():
        for i, e in enumerate(events):
            for f in events[:i]:
                if f.start < e.end and e.start < f.end:
                    yield Violation(
                        "2",
                        e.id,
                        f"{mid} is in {f.id} ({_when(f)}) and {e.id} "
                        f"({fmt_range((e.start, e.end))}) at once",
                    )
        for i, t in enumerate(trips):
            span = (t.depart, t.arrive)
            for e in events:
                if _clashes(span, ((e.start, e.end),)):
                    yield Violation(
                        "2",
                        _trip_label(t),
                        f"{mid} on {day}: the trip {t.origin} to {t.dest} "
                        f"overlaps {e.id} ({fmt_range((e.start, e.end))})",
                    )
            for u in trips[:i]:
                if _clashes(span, ((u.depart, u.arrive),)):
                    yield Violation(
                        "2",
                        _trip_label(t),
                        f"{mid} on {day}: two trips at once "
                        f"({fmt_range((u.depart, u.arrive))} and {fmt_range(span)})",
                    )
    yield from (v for v in _travel_findings(problem, plan) if v.rule == "2")


def _base_trips(problem: Problem, plan: Plan) -> Iterator[Violation]:
    """Hard (3): with a base, the day's first trip leaves it no earlier than the
    start of works and the last returns no later than its end; without, none."""
    yield from (v for v in _travel_findings(problem, plan) if v.rule == "3")


# -- rule 4 ------------------------------------------------------------------------


def _daily_limits_and_break(problem: Problem, plan: Plan) -> Iterator[Violation]:
    """Hard (4): time in events and in travel per day within the mentor's limits;
    on a day with an event, an unbroken break inside the break window."""
    for (mid, day), (events, trips) in _mentor_days(plan).items():
        mentor = problem.mentors.get(mid)
        if mentor is None:
            continue
        key = _day(mid, day)
        busy = sum(e.end - e.start for e in events)
        if mentor.max_minutes_per_day is not None and busy > mentor.max_minutes_per_day:
            yield Violation(
                "4",
                key,
                f"{mid} has {busy} minutes of events on {day}; the limit is "
                f"{mentor.max_minutes_per_day}",
            )
        travel = sum(t.minutes for t in trips)
        limit = mentor.max_travel_minutes_per_day
        if limit is not None and travel > limit:
            yield Violation(
                "4",
                key,
                f"{mid} travels {travel} minutes on {day}; the limit is {limit}",
            )
        if not events or mentor.break_minutes is None or mentor.break_window is None:
            continue
        w0, w1 = mentor.break_window
        taken = sorted(
            [(e.start, e.end) for e in events] + [(t.depart, t.arrive) for t in trips]
        )
        longest, cursor = 0, w0
        for a, b in taken:
            if a > cursor:
                longest = max(longest, min(a, w1) - cursor)
            cursor = max(cursor, b)
            if cursor >= w1:
                break
        longest = max(longest, w1 - cursor)
        if longest < mentor.break_minutes:
            yield Violation(
                "4",
                key,
                f"{mid} has no {mentor.break_minutes}-minute break within "
                f"{fmt_range(mentor.break_window)} on {day} (longest gap "
                f"{max(longest, 0)} minutes)",
            )


# -- rule 5 ------------------------------------------------------------------------


def _person_attendance(problem: Problem, plan: Plan) -> Iterator[Violation]:
    """Hard (5): a person attends one event at a time and only when available; a
    meeting lies in free time, an observation in teaching time, a cover exactly at
    its slot, each at the person's school; a group's ``missed`` is exactly who
    cannot come."""
    attends: dict[str, list[Event]] = defaultdict(list)
    for e in plan.events:
        for p in e.people:
            if p not in e.missed:
                attends[p].append(e)
    for pid, events in sorted(attends.items()):
        events.sort(key=lambda e: (e.date, e.start, e.id))
        for i, e in enumerate(events):
            for f in events[:i]:
                if f.date == e.date and f.start < e.end and e.start < f.end:
                    yield Violation(
                        "5",
                        e.id,
                        f"{pid} would be in {f.id} ({_when(f)}) and {e.id} "
                        f"({fmt_range((e.start, e.end))}) at once",
                    )
    for e in plan.events:
        demand = problem.demands.get(e.demand)
        if demand is None:
            continue
        span = (e.start, e.end)
        if demand.kind == "group":
            expected = {
                p
                for p in e.people
                if p in problem.people
                and (
                    e.date not in problem.people[p].available
                    or _clashes(span, problem.people[p].away_times.get(e.date, ()))
                )
            }
            if set(e.missed) != expected:
                wrong = sorted(set(e.missed) - expected)
                left = sorted(expected - set(e.missed))
                parts = []
                if wrong:
                    parts.append(f"{', '.join(wrong)} can attend but are listed missed")
                if left:
                    parts.append(
                        f"{', '.join(left)} cannot attend ({e.date}) but are not "
                        "listed missed"
                    )
                yield Violation("5", e.id, f"{_when(e)}: " + "; ".join(parts))
            continue
        if e.missed:
            yield Violation(
                "5",
                e.id,
                f"only group sessions list missed people, not a {demand.kind}",
            )
        for pid in e.people:
            person = problem.people.get(pid)
            if person is None:
                continue
            if e.date not in person.available:
                yield Violation(
                    "5",
                    e.id,
                    f"{pid} is not available on {e.date} (not in, not present, "
                    "away or school closed)",
                )
                continue
            for r in _clashes(span, person.away_times.get(e.date, ())):
                yield Violation(
                    "5",
                    e.id,
                    f"{pid} is away {e.date} {fmt_range(r)}, during {_when(e)}",
                )
            online = demand.kind == "meeting" and demand.online_ok
            if e.venue != person.school and not (online and e.venue == ONLINE):
                allowed = person.school + (" or online" if online else "")
                yield Violation(
                    "5", e.id, f"{e.id} must be at {allowed}, not at {e.venue}"
                )
            if demand.kind == "meeting":
                ranges, what = person.free.get(e.date, ()), "free"
            elif demand.kind == "observation":
                ranges, what = person.teaching.get(e.date, ()), "teaching"
            else:
                at = (demand.at_date, demand.at_time)
                if (e.date, span) != at:
                    yield Violation(
                        "5",
                        e.id,
                        f"the cover for {pid} is {_when(e)}; it must be exactly "
                        f"{demand.at_date} {fmt_range(demand.at_time)}",  # type: ignore[arg-type]
                    )
                continue
            if not _within(span, ranges):
                have = ", ".join(fmt_range(r) for r in ranges) or "none"
                yield Violation(
                    "5",
                    e.id,
                    f"{_when(e)} is not inside {pid}'s {what} time that day ({have})",
                )


# -- rule 6 ------------------------------------------------------------------------


def _phases(problem: Problem, plan: Plan) -> Iterator[Violation]:
    """Hard (6): the mentor serves the phase of every invited person's school."""
    for e in plan.events:
        mentor = problem.mentors.get(e.mentor)
        if mentor is None:
            continue
        for pid in e.people:
            person = problem.people.get(pid)
            school = problem.schools.get(person.school) if person else None
            if school is not None and school.phase not in mentor.phases:
                yield Violation(
                    "6",
                    e.id,
                    f"{e.mentor} does not serve {school.phase} schools, but {pid} "
                    f"is at {school.id}",
                )


# -- rule 7 ------------------------------------------------------------------------


def _group_rules(problem: Problem, plan: Plan) -> Iterator[Violation]:
    """Hard (7): a group session is at one of its venues, inside its window, at
    most one per period, and topics go strictly in order in distinct periods."""
    owed = _owed(problem)
    sessions: dict[str, list[Event]] = defaultdict(list)
    for e in plan.events:
        demand = problem.demands.get(e.demand)
        if demand is None or demand.kind != "group":
            continue
        sessions[demand.id].append(e)
        if e.venue not in demand.venues:
            yield Violation(
                "7",
                e.id,
                f"venue {e.venue} is not one of {demand.id}'s venues "
                f"({', '.join(demand.venues)})",
            )
        yield from _outside_window(problem, e, "7")
    for did, events in sorted(sessions.items()):
        demand = problem.demands[did]
        if demand.every is not None:
            by_period: dict[int, Event] = {}
            for e in sorted(events, key=lambda e: (e.date, e.start, e.id)):
                week = problem.calendar.week_of.get(e.date)
                if week is None:
                    continue  # rule 1 says so
                period = week // demand.every
                if period in by_period:
                    first = by_period[period]
                    yield Violation(
                        "7",
                        e.id,
                        f"{e.id} ({e.date}) and {first.id} ({first.date}) are both "
                        f"in period {period} of {did}; one session per period",
                    )
                else:
                    by_period[period] = e
        topics = sorted(
            (e for e in events if e.id in owed and owed[e.id].topic is not None),
            key=lambda e: (owed[e.id].topic, e.date, e.start),
        )
        for a, b in pairwise(topics):
            if (b.date, b.start) < (a.date, a.end):
                yield Violation(
                    "7",
                    b.id,
                    f"{b.id} ({_when(b)}) must come after {a.id} ({_when(a)})",
                )


def _outside_window(problem: Problem, e: Event, rule: str) -> Iterator[Violation]:
    demand = problem.demands[e.demand]
    if demand.window_days is not None and e.date.weekday() not in demand.window_days:
        days = ", ".join(WEEKDAYS[d] for d in sorted(demand.window_days))
        yield Violation(
            rule,
            e.id,
            f"{e.date} is a {_DAYS[e.date.weekday()]}; {demand.id}'s window "
            f"allows {days}",
        )
    if demand.window_time is not None and not _within(
        (e.start, e.end), (demand.window_time,)
    ):
        yield Violation(
            rule,
            e.id,
            f"{_when(e)} is outside {demand.id}'s window "
            f"{fmt_range(demand.window_time)}",
        )


# -- window ------------------------------------------------------------------------


def _window(problem: Problem, plan: Plan) -> Iterator[Violation]:
    """Hard: meetings and observations lie inside their demand's window (group
    sessions are rule 7; a cover is at its fixed slot)."""
    for e in plan.events:
        demand = problem.demands.get(e.demand)
        if demand is not None and demand.kind in ("meeting", "observation"):
            yield from _outside_window(problem, e, "window")


# -- rule 8 ------------------------------------------------------------------------


def _pins_hold(problem: Problem, plan: Plan) -> Iterator[Violation]:
    """Hard (8): every pinned event is planned at its pinned date, start, mentor
    and venue."""
    owed = _owed(problem)
    for pin in problem.pins:
        e = plan.event(pin.event)
        if e is None:
            yield Violation(
                "8",
                pin.event,
                f"pinned to {pin.date} {fmt_time(pin.start)}, not planned",
            )
            continue
        venue = pin.venue
        o = owed.get(pin.event)
        if venue is None and o is not None:
            demand = problem.demands.get(o.demand)
            if o.kind == "group" and demand is not None and len(demand.venues) == 1:
                venue = demand.venues[0]
            elif o.kind != "group" and o.people and o.people[0] in problem.people:
                venue = problem.people[o.people[0]].school
        wrong = []
        if e.date != pin.date or e.start != pin.start:
            wrong.append(
                f"pinned to {pin.date} {fmt_time(pin.start)}, planned "
                f"{e.date} {fmt_time(e.start)}"
            )
        if pin.mentor is not None and e.mentor != pin.mentor:
            wrong.append(f"pinned to {pin.mentor}, planned with {e.mentor}")
        if venue is not None and e.venue != venue:
            wrong.append(f"pinned at {venue}, planned at {e.venue}")
        for text in wrong:
            yield Violation("8", e.id, text)


# -- accounting --------------------------------------------------------------------


def _accounting(problem: Problem, plan: Plan) -> Iterator[Violation]:
    """Every owed event appears exactly once, in ``events`` or ``unmet``, as owed:
    same demand, kind, people and length, and the period it is owed in."""
    owed = _owed(problem)
    seen: Counter[str] = Counter()
    for e in plan.events:
        seen[e.id] += 1
        o = owed.get(e.id)
        if o is None:
            yield Violation("accounting", e.id, "planned, but nothing owed has this id")
            continue
        if (e.demand, e.kind, tuple(e.people)) != (o.demand, o.kind, o.people):
            yield Violation(
                "accounting",
                e.id,
                f"planned as {e.kind} of {e.demand} for {', '.join(e.people)}; owed "
                f"as {o.kind} of {o.demand} for {', '.join(o.people)}",
            )
        if e.end - e.start != o.minutes:
            yield Violation(
                "accounting",
                e.id,
                f"{_when(e)} lasts {e.end - e.start} minutes; {o.minutes} are owed",
            )
        period = _topic_period(problem, e) if o.topic is not None else o.period
        if e.period != period:
            yield Violation(
                "accounting", e.id, f"says period {e.period}; it is period {period}"
            )
        demand = problem.demands.get(o.demand)
        topic = (
            demand.topics[o.topic - 1]
            if demand is not None and o.topic is not None
            else None
        )
        if e.topic != topic:
            yield Violation(
                "accounting", e.id, f"says topic {e.topic!r}; it is topic {topic!r}"
            )
    for u in plan.unmet:
        seen[u.id] += 1
        if not u.reason.strip():
            yield Violation(
                "accounting",
                u.id,
                "listed unmet without a reason; plan-format.md asks for a sentence "
                "a coordinator can act on",
            )
        o = owed.get(u.id)
        if o is None:
            yield Violation(
                "accounting", u.id, "listed unmet, but nothing owed has this id"
            )
            continue
        if (u.demand, tuple(u.people), u.period) != (o.demand, o.people, o.period):
            yield Violation(
                "accounting",
                u.id,
                f"listed unmet as {u.demand} for {', '.join(u.people)} in period "
                f"{u.period}; owed as {o.demand} for {', '.join(o.people)} in "
                f"period {o.period}",
            )
    for o in problem.owed:
        if seen[o.id] == 0:
            yield Violation("accounting", o.id, "owed, but neither planned nor unmet")
    for oid, n in sorted(seen.items()):
        if n > 1:
            yield Violation(
                "accounting", oid, f"appears {n} times in events and unmet; once only"
            )


# -- metrics -----------------------------------------------------------------------

_ROUND = {
    "coverage": 4,
    "minutes_by_school": 2,
    "share_by_school": 2,
    "share_deviation": 2,
}


def metrics(problem: Problem, plan: Plan) -> dict[str, Any]:
    """docs/metrics.md, recomputed from the problem and the plan alone (without
    ``objective_terms``, which only the solver can state)."""
    n_owed, planned = len(problem.owed), len(plan.events)
    travel_by: dict[str, int] = dict.fromkeys(problem.mentors, 0)
    for t in plan.travel:
        travel_by[t.mentor] = travel_by.get(t.mentor, 0) + t.minutes
    event_by: dict[str, int] = dict.fromkeys(problem.mentors, 0)
    for e in plan.events:
        event_by[e.mentor] = event_by.get(e.mentor, 0) + e.end - e.start
    attributed: dict[str, float] = dict.fromkeys(problem.schools, 0.0)
    for e in plan.events:
        for pid in e.people:
            person = problem.people.get(pid)
            if person is not None:
                attributed[person.school] = attributed.get(person.school, 0.0) + (
                    e.end - e.start
                ) / len(e.people)
    total = sum(attributed.values())
    shares: dict[str, dict[str, float]] = {}
    deviation = 0.0
    for sid, school in problem.schools.items():
        if school.share is None:
            continue
        pct = attributed[sid] / total * 100 if total else 0.0
        deviation += abs(pct - school.share)
        shares[sid] = {
            "target": school.share,
            "delivered": round(pct, 2),
            "deviation": round(abs(pct - school.share), 2),
        }
    return {
        "owed": n_owed,
        "planned": planned,
        "unmet": len(plan.unmet),
        "coverage": round(planned / n_owed, 4) if n_owed else 1.0,
        "missed_attendance": sum(
            len(e.missed) for e in plan.events if e.kind == "group"
        ),
        "travel_minutes": sum(t.minutes for t in plan.travel),
        "travel_minutes_by_mentor": travel_by,
        "event_minutes_by_mentor": event_by,
        "pattern_breaks": _pattern_breaks(problem, plan),
        "continuity_breaks": _continuity_breaks(problem, plan),
        "minutes_by_school": {s: round(m, 2) for s, m in attributed.items()},
        "share_by_school": shares,
        "share_deviation": round(deviation, 2),
    }


def _continuity_breaks(problem: Problem, plan: Plan) -> int:
    """One-person events (not group sessions) whose mentor is not the one the
    person's school sees most."""
    mentors: dict[str, list[str]] = defaultdict(list)
    for e in plan.events:
        person = problem.people.get(e.people[0]) if e.people else None
        if e.kind != "group" and person is not None:
            mentors[person.school].append(e.mentor)
    return sum(len(ms) - max(Counter(ms).values()) for ms in mentors.values())


def _pattern_breaks(problem: Problem, plan: Plan) -> int:
    """Events of per-person series away from the series' most common (weekday,
    start); ties go to the earliest."""
    series: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for e in plan.events:
        demand = problem.demands.get(e.demand)
        if (
            demand is not None
            and demand.kind in ("meeting", "observation")
            and demand.every is not None
            and e.people
        ):
            series[e.demand, e.people[0]].append((e.date.weekday(), e.start))
    breaks = 0
    for slots in series.values():
        counts = Counter(slots)
        usual = min(counts, key=lambda s: (-counts[s], s))
        breaks += len(slots) - counts[usual]
    return breaks


def _same(mine: Any, theirs: Any, digits: int | None) -> bool:
    if isinstance(mine, dict):
        return (
            isinstance(theirs, dict)
            and set(mine) == set(theirs)
            and all(_same(mine[k], theirs[k], digits) for k in mine)
        )
    if isinstance(theirs, bool) or not isinstance(theirs, int | float):
        return False
    if digits is None:
        return mine == theirs
    return abs(round(mine, digits) - round(theirs, digits)) < 1e-9


def _metrics(problem: Problem, plan: Plan) -> Iterator[Violation]:
    """Every figure of docs/metrics.md (but objective_terms) as the plan states
    it equals the checker's own computation."""
    for key, mine in metrics(problem, plan).items():
        if key not in plan.metrics:
            yield Violation("metrics", key, f"the plan does not state {key}")
        elif not _same(mine, plan.metrics[key], _ROUND.get(key)):
            yield Violation(
                "metrics",
                key,
                f"the plan says {key} = {plan.metrics[key]!r}; recomputed {mine!r}",
            )


RULES: tuple[Callable[[Problem, Plan], Iterable[Violation]], ...] = (
    _teaching_day_and_hours,  # 1
    _mentor_no_overlap_and_travel,  # 2
    _base_trips,  # 3
    _daily_limits_and_break,  # 4
    _person_attendance,  # 5
    _phases,  # 6
    _group_rules,  # 7
    _window,
    _pins_hold,  # 8
    _accounting,
    _metrics,
)

__all__ = ["RULES", "Violation", "check", "check_whatif", "metrics"]
