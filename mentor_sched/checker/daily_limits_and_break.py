"""Rule 4, as the checker reads it (see ``daily_limits_and_break``)."""

from __future__ import annotations

from collections.abc import Iterator

from ..plan import Plan
from ..problem import Problem, fmt_range
from .common import day_key, mentor_days
from .violation import Violation


def daily_limits_and_break(problem: Problem, plan: Plan) -> Iterator[Violation]:
    """Hard (4): time in events and in travel per day within the mentor's limits;
    on a day with an event, an unbroken break inside the break window."""
    for (mid, day), (events, trips) in mentor_days(plan).items():
        mentor = problem.mentors.get(mid)
        if mentor is None:
            continue
        key = day_key(mid, day)
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
