"""Rule 1, as the checker reads it (see ``teaching_day_and_hours``)."""

from __future__ import annotations

from collections.abc import Iterator

from ..plan import Plan
from ..problem import ONLINE, Problem, fmt_range
from .common import DAYS, clashes, owed_by_id, when, within
from .violation import Violation


def teaching_day_and_hours(problem: Problem, plan: Plan) -> Iterator[Violation]:
    """Hard (1): an event lies on a teaching day in its weeks, inside the mentor's
    works hours, outside the mentor's absences, and in person inside the venue's
    open hours on a day it is open."""
    owed = owed_by_id(problem)
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
        mentor = problem.mentors.get(e.mentor) if e.mentor is not None else None
        if e.mentor is None:
            pass  # held by an in-school mentor: school_mentor_events judges it
        elif mentor is None:
            yield Violation(
                "1", e.id, f"{e.mentor} is not an Expert Mentor of the cluster"
            )
        else:
            works = mentor.works.get(e.date.weekday(), ())
            if e.date in mentor.away_days:
                yield Violation("1", e.id, f"{e.mentor} is away all day on {e.date}")
            elif not within(span, works):
                hours = ", ".join(fmt_range(r) for r in works) or "no hours"
                yield Violation(
                    "1",
                    e.id,
                    f"{when(e)} is outside {e.mentor}'s working hours on "
                    f"{DAYS[e.date.weekday()]} ({hours})",
                )
            for r in clashes(span, mentor.away_times.get(e.date, ())):
                yield Violation(
                    "1",
                    e.id,
                    f"{e.mentor} is away {e.date} {fmt_range(r)}, during {when(e)}",
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
        if not within(span, (school.open,)):
            yield Violation(
                "1",
                e.id,
                f"{when(e)} is outside {school.id}'s open hours "
                f"{fmt_range(school.open)}",
            )
