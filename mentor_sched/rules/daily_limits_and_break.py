"""Rule 4, hard: the daily limits and the break hold where given: at most
``max_minutes_per_day`` in events and ``max_travel_minutes_per_day`` in travel
(base legs included), and on a day with any event an unbroken gap of
``break.minutes``, free of events and travel, inside ``break.between``.

In the model the break is a busy interval the mentor's no-overlap sees
(``daily_limits_and_break``); in the construction, ``event_minutes_fit``,
``travel_minutes_fit``, ``break_fits`` and ``break_start``.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from ..problem import Mentor
from .starts import free_parts

if TYPE_CHECKING:
    from ..solver.model import SubModel

NUMBER = "4"


def daily_limits_and_break(sub: SubModel) -> None:
    """Hard (CP-SAT): minutes in events and in travel per mentor-day within the
    limits, and the break (after ``travel_fits``, whose trip arcs it counts)."""
    m, p = sub.model, sub.problem
    for (mid, day), nodes in sorted(sub.by_mentor_day().items()):
        mentor = p.mentors[mid]
        if mentor.max_minutes_per_day is not None:
            m.add(
                sum(sub.x[t, o] * sub.tasks[t].owed.minutes for t, o in nodes)
                <= mentor.max_minutes_per_day
            )
        if mentor.max_travel_minutes_per_day is not None and sub.arcs.get((mid, day)):
            m.add(
                sum(lit * T for _, _, lit, T in sub.arcs[mid, day])
                <= mentor.max_travel_minutes_per_day
            )
        if mentor.break_minutes and mentor.break_window:
            mentor_break(sub, mid, day, nodes)


def mentor_break(sub: SubModel, mid: str, day: date, nodes: list) -> None:
    """Hard (CP-SAT): on a day with any event, a busy interval of ``break.minutes``
    inside ``break.between``, so no event or trip can take it."""
    mentor = sub.problem.mentors[mid]
    a, b = mentor.break_window  # type: ignore[misc]
    size = mentor.break_minutes or 0
    starts = list(range(a, b - size + 1, sub.problem.slot))
    if not starts:
        return
    used = sub.model.new_bool_var("")
    for t, o in nodes:
        sub.model.add_implication(sub.x[t, o], used)
    s = sub.int_var_in(starts)
    iv = sub.model.new_optional_fixed_size_interval_var(s, size, used, "")
    sub.busy[mid, day].append(iv)
    sub.breaks[mid, day] = (used, s)


def event_minutes_fit(mentor: Mentor, spans: list[tuple[int, int]]) -> bool:
    """Hard (construction): the day's events total at most ``max_minutes_per_day``."""
    limit = mentor.max_minutes_per_day
    return limit is None or sum(e - s for s, e in spans) <= limit


def travel_minutes_fit(mentor: Mentor, minutes: list[int]) -> bool:
    """Hard (construction): the day's trips total at most
    ``max_travel_minutes_per_day``."""
    limit = mentor.max_travel_minutes_per_day
    return limit is None or sum(minutes) <= limit


def has_break(mentor: Mentor) -> bool:
    """Whether the mentor has a break to keep (both its minutes and its window)."""
    return bool(mentor.break_minutes and mentor.break_window)


def break_fits(
    minutes: int, window: tuple[int, int], busy: list[tuple[int, int]]
) -> bool:
    """Hard (construction): an unbroken gap of ``minutes`` inside ``window``, free
    of ``busy`` (the day's events and trips)."""
    return any(b - a >= minutes for a, b in free_parts(window[0], window[1], busy))


def break_start(mentor: Mentor, busy: list[tuple[int, int]], slot: int) -> int | None:
    """Where on the slot grid the mentor's break can start, free of ``busy``
    (None when it cannot)."""
    a, b = mentor.break_window  # type: ignore[misc]
    for lo, hi in free_parts(a, b, busy):
        if hi - lo >= mentor.break_minutes:  # type: ignore[operator]
            start = -(-lo // slot) * slot
            if start + mentor.break_minutes <= hi:  # type: ignore[operator]
                return start
    return None
