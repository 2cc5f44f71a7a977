"""In-school mentor events, hard: the person's linked in-school mentor (their
``mentor``) joins a ``with: [school-mentor]`` event, or holds a
``host: school-mentor`` event without an Expert Mentor. Either way the
in-school mentor attends as a person does (rule 5: available, clear of their
absences, in one event at a time) and is in their ``free`` time: they are
not teaching then, also at a joint observation of someone else's lesson.

A three-way event is an Expert Mentor's event like any other, with the
in-school mentor among its people (``joining_starts`` narrows its options; rule
5's constraint keeps both people out of two events at once). A hosted event
has no Expert Mentor: ``hosted_starts`` gives where it could go on its own and
``solver/hosted.py`` places it around the Expert Mentors' plan.
"""

from __future__ import annotations

from datetime import date

from ..problem import ONLINE, Owed, Problem
from .demand_window import window_day, window_starts
from .person_attendance import person_ranges
from .starts import clear, fits, starts_in
from .teaching_day_and_hours import on_teaching_day, venue_open

NUMBER = "school-mentor"


def joining(owed: Owed) -> tuple[str, ...]:
    """The in-school mentor who joins a three-way event (after the person);
    none for a hosted event (its host holds it) or an event of one person."""
    if owed.host is not None or owed.kind not in ("meeting", "observation"):
        return ()
    return owed.people[1:]


def in_school_mentor_free(
    problem: Problem, pid: str, day: date, starts: set[int], length: int
) -> set[int]:
    """Hard: the ``starts`` at which in-school mentor ``pid`` can be there:
    available that day, inside their ``free`` time, clear of their part-day
    absences."""
    person = problem.people[pid]
    if day not in person.available:
        return set()
    starts = fits(starts, length, person.free.get(day, ()))
    return clear(starts, length, person.away_times.get(day, ()))


def joining_starts(
    problem: Problem, owed: Owed, day: date, starts: set[int]
) -> set[int]:
    """Hard: the ``starts`` of a three-way meeting or joint observation at which
    the joining in-school mentor is free too."""
    for pid in joining(owed):
        starts = in_school_mentor_free(problem, pid, day, starts, owed.minutes)
    return starts


def hosted_starts(problem: Problem, owed: Owed, day: date) -> dict[int, str]:
    """Hard: start -> venue of a hosted event on ``day``, on its own: a teaching
    day in its weeks and the demand's window, the person available, in their
    free (meeting) or teaching (observation) time and clear of their absences,
    the host free, at the person's school inside its open hours, or online
    where the demand allows it and the school is not open."""
    demand = problem.demands[owed.demand]
    pid, host = owed.people[0], owed.host
    person = problem.people[pid]
    if host is None or not on_teaching_day(problem, owed, day):
        return {}
    if not window_day(demand, day) or day not in person.available:
        return {}
    length = owed.minutes
    ranges = person_ranges(problem, owed, pid, day)
    starts = starts_in(ranges, length, problem.slot)
    starts = window_starts(demand, starts, length)
    starts = clear(starts, length, person.away_times.get(day, ()))
    starts = in_school_mentor_free(problem, host, day, starts, length)
    at_school = venue_open(problem, person.school, day, starts, length)
    out = dict.fromkeys(sorted(at_school), person.school)
    if demand.online_ok:
        for s in sorted(starts - at_school):
            out[s] = ONLINE
    return out
