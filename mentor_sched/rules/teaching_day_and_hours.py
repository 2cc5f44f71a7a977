"""Rule 1, hard: every event lies on a teaching day, inside its mentor's ``works``
hours on that weekday, outside the mentor's ``away`` ranges, and (in person)
inside the venue school's ``open`` range on a day it is not ``closed``.

It concerns one event at a time, so it lives wholly in the options
(``candidates.iter_options``); the model needs no constraint for it.
"""

from __future__ import annotations

from datetime import date

from ..problem import ONLINE, Mentor, Owed, Problem
from .starts import clear, fits

NUMBER = "1"


def on_teaching_day(problem: Problem, owed: Owed, day: date) -> bool:
    """Hard: ``day`` is a teaching day in one of the weeks ``owed`` is owed in."""
    week = problem.calendar.week_of.get(day)
    return week is not None and owed.weeks[0] <= week <= owed.weeks[1]


def venue_open(
    problem: Problem, venue: str, day: date, starts: set[int], length: int
) -> set[int]:
    """Hard: in person, the ``starts`` inside the venue's open range on a day it is
    not closed (online has no venue to be open)."""
    if venue == ONLINE:
        return starts
    school = problem.schools[venue]
    if day in school.closed:
        return set()
    return fits(starts, length, (school.open,))


def mentor_at_work(
    mentor: Mentor, day: date, starts: set[int], length: int
) -> set[int]:
    """Hard: the ``starts`` inside the mentor's working hours that day (none when
    away all day) and clear of the mentor's part-day absences."""
    hours = mentor.hours(day)
    if not hours:
        return set()
    return clear(fits(starts, length, hours), length, mentor.away_times.get(day, ()))
