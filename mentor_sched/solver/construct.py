"""First-fit construction: the plan a careful coordinator would make by hand.

Pins first, then covers, then group sessions (topics in order, fewest people
missing), then the per-person series, most constrained person first and
higher priority first; each event of a series goes into the same weekday and
time as the one before it where that still fits, otherwise into the earliest
slot that fits, with the school's usual mentor before the others. Nothing is
ever moved once placed.

It is the start of the anytime search (``solver/lns.py``) and, run alone, the
reference every solver benchmark shows beside the optimised plan. Every slot it
takes obeys the hard rules, checked mentor-day by mentor-day by ``fit_day``.
"""

from __future__ import annotations

from bisect import insort
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise

from ..candidates import Option
from ..metrics import school_venues, venue_cap
from ..problem import ONLINE, Problem
from ..rules import (
    base_trips,
    daily_limits_and_break,
    mentor_no_overlap,
    person_attendance,
)
from ..rules.daily_limits_and_break import break_fits
from ..rules.group_sessions import topic_window
from .decompose import assign_patches
from .ledger import Ledger
from .model import Choice, Task, movable

__all__ = ["Day", "State", "break_fits", "construct", "fit_day", "topic_window"]

Day = tuple[str, date]  # (mentor, date)
Item = tuple[int, int, str, str]  # (start, end, venue, owed id) on a mentor-day
Legs = dict[tuple[str, str], int]  # (from id, to id) -> departure; "" is base


def fit_day(problem: Problem, mid: str, day: date, items: list[Item]) -> Legs | None:
    """Whether one mentor-day's events, sorted by start, obey rules 2-4 together
    (rules 1, 5-8 are in their options), and if so when each trip leaves (None
    when they cannot).

    Hard: no two events overlap; between in-person events at different places a
    trip of the travel time fits in a gap free of (online) events; with a base
    the day's first trip leaves it after work starts and the last is back before
    work ends; the daily limits hold; and the break fits somewhere, trying each
    trip at the start and at the end of its gap.
    """
    mentor = problem.mentors[mid]
    hours = mentor.hours(day)
    if not hours or not items:
        return None if not hours else {}
    if not mentor_no_overlap.events_apart(items):  # rule 2
        return None
    spans = [(s, e) for s, e, _, _ in items]
    if not daily_limits_and_break.event_minutes_fit(mentor, spans):  # rule 4
        return None
    online = [(s, e) for s, e, v, _ in items if v == ONLINE]
    inperson = [it for it in items if it[2] != ONLINE]
    day_hours = (hours[0][0], hours[-1][1])
    out, back = base_trips.base_legs(problem, mentor, inperson, day_hours)  # rule 3
    legs = [*out, *mentor_no_overlap.between_legs(problem, inperson), *back]
    if not daily_limits_and_break.travel_minutes_fit(mentor, [g[4] for g in legs]):
        return None  # rule 4
    placements = mentor_no_overlap.trips_fit(legs, online)  # rules 2 and 3
    if placements is None:
        return None
    # by default a trip leaves as the event before it ends, or just in time from
    # base: what a person would do, and what the plan's trips default to
    default = [
        late if leg[0] == "" else early
        for leg, (early, late) in zip(legs, placements, strict=True)
    ]
    if not daily_limits_and_break.has_break(mentor):
        return _legs(legs, default)
    # rule 4's break: the trips where a person would take them, else all late,
    # else all early
    tries = [default, [late for _, late in placements]]
    tries += [[early for early, _ in placements]]
    for departs in tries:
        trips = [(d, d + leg[4]) for d, leg in zip(departs, legs, strict=True)]
        if break_fits(mentor.break_minutes, mentor.break_window, spans + trips):
            return _legs(legs, departs)
    return None


def _legs(legs: list[tuple[str, str, int, int, int]], departs: list[int]) -> Legs:
    return {(a, b): d for (a, b, _, _, _), d in zip(legs, departs, strict=True)}


def day_travel(problem: Problem, mid: str, venues: list[str]) -> int:
    """Minutes of travel a mentor-day's events at ``venues``, in time order,
    need (rules 2 and 3): from base, between places, home again."""
    places = [v for v in venues if v != ONLINE]
    if not places:
        return 0
    base = problem.mentors[mid].base
    if base is not None:
        places = [base, *places, base]
    return sum(problem.travel_minutes(a, b) for a, b in pairwise(places))


@dataclass
class State:
    """A plan under construction or improvement: what is where."""

    problem: Problem
    choices: dict[str, Choice] = field(default_factory=dict)
    days: dict[Day, list[Item]] = field(default_factory=lambda: defaultdict(list))
    legs: dict[Day, Legs] = field(default_factory=dict)
    # (person, date) -> (start, end, owed id) of the events they attend
    people: dict[tuple[str, date], list[tuple[int, int, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    ledger: Ledger | None = None  # the objective, kept up to date
    _tasks: dict[str, Task] = field(default_factory=dict)
    tries: int = 0  # slots tried: the search counts them as work

    def watch(self, ledger: Ledger) -> None:
        """Keep ``ledger`` up to date from now on, starting from what is placed."""
        self.ledger = ledger
        for oid, c in self.choices.items():
            ledger.change(self._tasks[oid], c, 1)
        for key in self.days:
            ledger.set_travel(key, self.travel(key))

    def attending(self, task: Task, option: Option) -> list[str]:
        return [p for p in task.owed.people if p not in option.missed]

    def person_free(self, task: Task, option: Option, start: int) -> bool:
        """Rule 5: no one who attends is in another event at that time."""
        end = start + task.owed.minutes
        return person_attendance.person_free(
            self.people, self.attending(task, option), option.date, start, end
        )

    def try_place(self, task: Task, option: Option, start: int) -> bool:
        """Place ``task`` at ``option``/``start`` if every hard rule still holds."""
        self.tries += 1
        if not self.person_free(task, option, start):
            return False
        key = (option.mentor, option.date)
        item = (start, start + task.owed.minutes, option.venue, task.owed.id)
        items = sorted([*self.days.get(key, ()), item])
        legs = fit_day(self.problem, option.mentor, option.date, items)
        if legs is None:
            return False
        self.add(task, option, start, legs)
        return True

    def add(
        self, task: Task, option: Option, start: int, legs: Legs | None = None
    ) -> None:
        """Record ``task`` at ``option``/``start``; ``legs``, when given, are the
        mentor-day's trips from now on."""
        key = (option.mentor, option.date)
        end = start + task.owed.minutes
        insort(self.days[key], (start, end, option.venue, task.owed.id))
        if legs is not None:
            self.legs[key] = legs
        for pid in self.attending(task, option):
            self.people[pid, option.date].append((start, end, task.owed.id))
        c = self.choices[task.owed.id] = Choice(option, start)
        self._tasks[task.owed.id] = task
        if self.ledger is not None:
            self.ledger.change(task, c, 1)
            self.ledger.set_travel(key, self.travel(key))

    def remove(self, task: Task) -> None:
        """Take ``task`` out (its mentor-day's trips are worked out again later)."""
        c = self.choices.pop(task.owed.id)
        key = (c.option.mentor, c.option.date)
        end = c.start + task.owed.minutes
        self.days[key].remove((c.start, end, c.option.venue, task.owed.id))
        for pid in self.attending(task, c.option):
            self.people[pid, c.option.date].remove((c.start, end, task.owed.id))
        if self.ledger is not None:
            self.ledger.change(task, c, -1)
            self.ledger.set_travel(key, self.travel(key))

    def travel(self, key: Day) -> int:
        """Minutes of travel the mentor-day's events need (rules 2 and 3)."""
        venues = [v for _, _, v, _ in self.days.get(key, ())]
        return day_travel(self.problem, key[0], venues)

    def trips(self, key: Day) -> list[tuple[int, int]]:
        """The mentor-day's trips as (depart, arrive), leaving when ``legs`` says
        or else as the plan's trips default (after the event before, or just in
        time from base)."""
        mentor = self.problem.mentors[key[0]]
        stops = [it for it in self.days.get(key, ()) if it[2] != ONLINE]
        if not stops:
            return []
        legs = self.legs.get(key, {})
        out = []
        base = mentor.base
        if base is not None and base != stops[0][2]:
            T = self.problem.travel_minutes(base, stops[0][2])
            d = legs.get(("", stops[0][3]), stops[0][0] - T)
            out.append((d, d + T))
        for a, b in pairwise(stops):
            if a[2] != b[2]:
                T = self.problem.travel_minutes(a[2], b[2])
                d = legs.get((a[3], b[3]), a[1])
                out.append((d, d + T))
        if base is not None and base != stops[-1][2]:
            T = self.problem.travel_minutes(stops[-1][2], base)
            d = legs.get((stops[-1][3], ""), stops[-1][1])
            out.append((d, d + T))
        return out

    def break_start(self, key: Day) -> int | None:
        """Where the mentor-day's break can start, if it has one."""
        mentor = self.problem.mentors[key[0]]
        items = self.days.get(key, ())
        if not (items and mentor.break_minutes and mentor.break_window):
            return None
        busy = [(s, e) for s, e, _, _ in items] + self.trips(key)
        return daily_limits_and_break.break_start(mentor, busy, self.problem.slot)

    def routes(self) -> dict[Day, list[str]]:
        """Each mentor-day's in-person events in visit order."""
        return {
            key: [oid for _, _, v, oid in items if v != ONLINE]
            for key, items in self.days.items()
            if items
        }


def construct(
    problem: Problem,
    tasks: list[Task],
    state: State | None = None,
    *,
    pack: bool = False,
) -> tuple[State, list[str]]:
    """The first-fit plan (added to ``state``, where some events may be placed
    already), and the pins that could not be placed with the others. With
    ``pack`` the per-person series are placed by ``pack_weeks`` instead."""
    state = state or State(problem)
    conflicts = []
    for task in tasks:
        placed = not task.fixed or task.owed.id in state.choices
        if not placed and not _first_fit(state, task, task.options):
            conflicts.append(task.owed.id)
    for task in tasks:  # re-solving against a baseline: its slots first
        if task.baseline is None or task.fixed or task.owed.id in state.choices:
            continue
        mentor, day, venue, start = task.baseline
        for o in task.options:
            if (o.mentor, o.date, o.venue) == (
                mentor,
                day,
                venue,
            ) and start in o.starts:
                state.try_place(task, o, start)
                break
    for task in tasks:
        if task.owed.kind == "cover" and task.owed.id not in state.choices:
            _first_fit(state, task, task.options)
    groups: dict[str, list[Task]] = defaultdict(list)
    for task in tasks:
        if task.owed.kind == "group":
            groups[task.owed.demand].append(task)
    for demand in sorted(groups):
        _groups(state, groups[demand])
    patches = assign_patches(problem, [t for t in tasks if t.owed.kind != "group"])
    series: dict[tuple[str, str], list[Task]] = defaultdict(list)
    for task in tasks:
        if movable(task):
            if task.owed.id in state.choices:
                continue
            series[task.series or (task.owed.demand, task.owed.id)].append(task)

    def constrained(key: tuple[str, str]) -> tuple:
        ts = series[key]
        slots = sum(len(o.starts) for t in ts for o in t.options) / len(ts)
        return (-ts[0].owed.priority, slots, key)

    if pack:
        pack_weeks(state, [t for ts in series.values() for t in ts], patches)
        return state, conflicts
    for key in sorted(series, key=constrained):
        last: tuple[int, int] | None = None
        for task in sorted(series[key], key=lambda t: t.owed.weeks):
            school = problem.people[task.owed.people[0]].school
            order = _ordered(task.options, patches.get(school), last)
            if _first_fit(state, task, order, last):
                c = state.choices[task.owed.id]
                last = (c.option.date.weekday(), c.start)
    return state, conflicts


def _ordered(
    opts: list[Option], patch: str | None, last: tuple[int, int] | None
) -> list[Option]:
    """Same weekday as last time first, the school's own mentor before others,
    earliest date first, in person before online."""
    return sorted(
        opts,
        key=lambda o: (
            last is None or o.date.weekday() != last[0] or last[1] not in o.starts,
            o.mentor != patch,
            o.date,
            o.venue == ONLINE,
            o.mentor,
        ),
    )


def _first_fit(
    state: State,
    task: Task,
    opts: list[Option],
    last: tuple[int, int] | None = None,
) -> bool:
    for option in opts:
        starts = option.starts
        if last is not None and option.date.weekday() == last[0] and last[1] in starts:
            starts = (last[1], *(s for s in starts if s != last[1]))
        for start in starts:
            if state.try_place(task, option, start):
                return True
    return False


def _groups(state: State, tasks: list[Task]) -> None:
    """A group's sessions in order, each in the earliest period it fits and there
    at the least cost: the fewest people missing, then in person rather than
    online and at a school that hosts fewer than its even spread, as the
    weights price them; a topic goes in a period after the topics before it
    and before those after it that are placed already."""
    p, w = state.problem, state.problem.weights
    demand = tasks[0].owed.demand if tasks else ""
    online_cost = w.in_person if school_venues(p, demand) else 0
    cap = venue_cap(p, demand)
    hosted: Counter[str] = Counter(
        c.option.venue for t in tasks if (c := state.choices.get(t.owed.id))
    )

    def cost(o: Option) -> int:
        over = cap is not None and o.venue != ONLINE and hosted[o.venue] >= cap
        return (
            w.missed_attendance * len(o.missed)
            + online_cost * (o.venue == ONLINE)
            + w.rotate_venues * over
        )

    for task in sorted(tasks, key=lambda t: (t.owed.topic or 0, t.owed.weeks)):
        if task.owed.id in state.choices:
            continue
        opts = task.options
        if task.owed.topic is not None:
            lo, hi = topic_window(state, tasks, task)
            opts = [o for o in opts if lo < task.period_of[o.date] < hi]
        opts = sorted(
            opts,
            key=lambda o: (
                task.period_of.get(o.date, 0),
                cost(o),
                len(o.missed),
                o.date,
                o.venue,
                o.mentor,
            ),
        )
        if _first_fit(state, task, opts):
            hosted[state.choices[task.owed.id].option.venue] += 1


def pack_weeks(state: State, tasks: list[Task], patches: dict[str, str]) -> None:
    """Meetings and observations week by week, as visits rather than events.

    Each week, first every series keeps last time's mentor, weekday and start
    where it still fits (the weekly rhythm); then, school by school (most owed
    first), the mentor-day that can take the most of that school's events that
    week gets them all, and then the events of the schools nearest to it that
    still fit that day. Travel, not working time, is what fills a mentor's
    days, so a day spent at one or two schools plans more than one spread over
    five.
    """
    problem = state.problem
    week_of = problem.calendar.week_of
    nweeks = len(problem.calendar.weeks)
    by_week: dict[int, list[tuple[Task, list[Option]]]] = defaultdict(list)
    for task in tasks:
        opts: dict[int, list[Option]] = defaultdict(list)
        for o in task.options:
            opts[week_of[o.date]].append(o)
        for w, os_ in opts.items():
            by_week[w].append((task, os_))
    last: dict[tuple[str, str], tuple[str, int, int]] = {}  # series -> slot
    school_of = {t.owed.id: problem.people[t.owed.people[0]].school for t in tasks}
    for week in range(nweeks):
        todo = [
            (t, os_)
            for t, os_ in by_week.get(week, ())
            if t.owed.id not in state.choices
        ]
        todo.sort(
            key=lambda to: (-to[0].owed.priority, to[0].owed.weeks[1], to[0].owed.id)
        )
        rest = []
        for task, opts in todo:
            slot = last.get(task.series) if task.series else None
            if slot is not None and _place_at(state, task, opts, slot):
                continue
            rest.append((task, opts))
        by_school: dict[str, list[tuple[Task, list[Option]]]] = defaultdict(list)
        for task, opts in rest:
            by_school[school_of[task.owed.id]].append((task, opts))
        while by_school:
            school = min(
                by_school,
                key=lambda s: (-sum(t.owed.priority for t, _ in by_school[s]), s),
            )
            waiting = by_school.pop(school)
            day = _best_day(state, waiting, patches.get(school))
            if day is None:
                continue
            left = _fill(state, waiting, day)
            # the same day's remaining time for the nearest schools' events
            for other in sorted(
                by_school,
                key=lambda s: (problem.travel_minutes(school, s), s),
            )[:3]:
                by_school[other] = _fill(state, by_school[other], day)
                if not by_school[other]:
                    del by_school[other]
            if left:  # another day for what did not fit
                by_school[school] = left if len(left) < len(waiting) else []
                if not by_school[school]:
                    del by_school[school]
        for task, _ in todo:
            c = state.choices.get(task.owed.id)
            if c is not None and task.series:
                last[task.series] = (c.option.mentor, c.option.date.weekday(), c.start)


def _place_at(
    state: State, task: Task, opts: list[Option], slot: tuple[str, int, int]
) -> bool:
    mentor, weekday, start = slot
    return any(
        o.mentor == mentor
        and o.date.weekday() == weekday
        and start in o.starts
        and state.try_place(task, o, start)
        for o in opts
    )


def _best_day(
    state: State, waiting: list[tuple[Task, list[Option]]], patch: str | None
) -> Day | None:
    """The mentor-day most of ``waiting`` have an option on: the school's usual
    mentor first, then a day with room."""
    counts: Counter[Day] = Counter()
    for task, opts in waiting:
        for key in {(o.mentor, o.date) for o in opts}:
            counts[key] += task.owed.priority
    if not counts:
        return None
    best = None
    best_n = -1
    for key in sorted(
        counts, key=lambda k: (-counts[k], k[0] != patch, len(state.days.get(k, ())), k)
    )[:4]:
        n = _trial(state, waiting, key)
        if n > best_n:
            best, best_n = key, n
    return best if best_n > 0 else None


def _trial(state: State, waiting: list[tuple[Task, list[Option]]], day: Day) -> int:
    """How many of ``waiting`` ``_fill`` would place on ``day`` (placed, then
    taken out again)."""
    before = set(state.choices)
    legs = state.legs.get(day)
    left = _fill(state, waiting, day)
    placed = [
        t for t, _ in waiting if t.owed.id in state.choices and t.owed.id not in before
    ]
    for task in placed:
        state.remove(task)
    if legs is None:
        state.legs.pop(day, None)
    else:
        state.legs[day] = legs
    del left
    return sum(t.owed.priority for t in placed)


def _fill(
    state: State, waiting: list[tuple[Task, list[Option]]], day: Day
) -> list[tuple[Task, list[Option]]]:
    """Place what fits of ``waiting`` on mentor-day ``day``, fewest starts first;
    returns the rest."""
    rest = []
    order = sorted(
        waiting,
        key=lambda to: (sum(len(o.starts) for o in to[1]), to[0].owed.id),
    )
    for task, opts in order:
        here = [o for o in opts if (o.mentor, o.date) == day]
        if not any(state.try_place(task, o, s) for o in here for s in o.starts):
            rest.append((task, opts))
    return rest
