"""Rule 5, hard: a person attends at most one event at a time, and only when
available (a group's ``missed`` people do not attend it); a meeting lies in
``free`` time, an observation in ``teaching`` time, a cover exactly at ``at``,
each at the person's school (a meeting online when ``online_ok``).

The options hold what concerns one event (``attending_starts``,
``person_venues``, ``missed``); the model and the construction hold "one event
at a time" (``person_attendance``, ``person_free``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING

from ..problem import ONLINE, Owed, Problem, Range, overlaps
from .starts import clear, fits, starts_in

if TYPE_CHECKING:
    from ..solver.model import SubModel

NUMBER = "5"


def person_ranges(
    problem: Problem, owed: Owed, pid: str, day: date
) -> tuple[Range, ...]:
    """The person's time a meeting (``free``) or an observation (``teaching``) must
    lie in that day; none for other kinds."""
    person = problem.people[pid]
    if owed.kind == "meeting":
        return person.free.get(day, ())
    if owed.kind == "observation":
        return person.teaching.get(day, ())
    return ()


def day_starts(problem: Problem, owed: Owed, day: date) -> set[int]:
    """Hard: the starts on the slot grid the person's time allows that day: a
    cover's ``at`` on its date, a meeting's or observation's inside the person's
    free or teaching ranges, any for a group (its people may miss it)."""
    demand = problem.demands[owed.demand]
    if owed.kind == "cover":
        return {demand.at_time[0]} if day == demand.at_date else set()  # type: ignore[index]
    if owed.kind == "group":
        return starts_in(((0, 24 * 60),), owed.minutes, problem.slot)
    ranges = person_ranges(problem, owed, owed.people[0], day)
    return starts_in(ranges, owed.minutes, problem.slot)


def attending_starts(
    problem: Problem, owed: Owed, day: date, starts: set[int]
) -> set[int]:
    """Hard: the ``starts`` at which the one person of a meeting, observation or
    cover can attend: available that day, in their free or teaching time (a cover
    is at its fixed slot already), clear of their part-day absences."""
    pid = owed.people[0]
    person = problem.people[pid]
    if day not in person.available:
        return set()
    if owed.kind != "cover":
        starts = fits(starts, owed.minutes, person_ranges(problem, owed, pid, day))
    return clear(starts, owed.minutes, person.away_times.get(day, ()))


def person_venues(problem: Problem, owed: Owed) -> tuple[str, ...]:
    """Hard: a one-person event is at the person's school, and a meeting may be
    online when its demand allows."""
    demand = problem.demands[owed.demand]
    school = problem.people[owed.people[0]].school
    if owed.kind == "meeting" and demand.online_ok:
        return (school, ONLINE)
    return (school,)


def missed(
    problem: Problem, owed: Owed, day: date, starts: set[int]
) -> dict[int, tuple[str, ...]]:
    """Hard: for each start of a group session, the invited people who cannot
    attend it (unavailable that day or away at that time): its ``missed``."""
    length = owed.minutes
    return {
        s: tuple(
            p
            for p in owed.people
            if day not in problem.people[p].available
            or overlaps((s, s + length), problem.people[p].away_times.get(day, ()))
        )
        for s in starts
    }


def person_attendance(sub: SubModel) -> None:
    """Hard (CP-SAT): a person attends at most one event at a time."""
    by_person: dict[tuple[str, date], list] = defaultdict(list)
    for (t, o), iv in sub.interval.items():
        task, opt = sub.tasks[t], sub.tasks[t].options[o]
        for pid in task.owed.people:
            if pid not in opt.missed:
                by_person[pid, opt.date].append(iv)
    for _, ivs in sorted(by_person.items()):
        if len(ivs) > 1:
            sub.model.add_no_overlap(ivs)


def person_free(
    attends: Mapping[tuple[str, date], list[tuple[int, int, str]]],
    people: list[str],
    day: date,
    start: int,
    end: int,
) -> bool:
    """Hard (construction): none of ``people`` attends another event that
    overlaps ``[start, end)`` on ``day`` (``attends``: (person, date) -> their
    events' start, end and id)."""
    for pid in people:
        for a, b, _ in attends.get((pid, day), ()):
            if a < end and start < b:
                return False
    return True
