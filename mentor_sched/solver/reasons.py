"""Why an owed event is unmet, in words a coordinator can act on.

An event with no possible slot at all is explained by ``candidates.explain``
(people, weekdays, dates). One with possible slots that the plan did not use
is explained slot by slot: what takes that time in the mentor's day, or, when
nothing does, whether the mentor could even get there from base and back
inside working hours, or else the travel between visits, the break or the
daily limits that the rest of the day leaves.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from ..candidates import Option, explain, options
from ..plan import Event, Trip
from ..problem import ONLINE, Owed, Problem, fmt_range, fmt_time
from ..words import day_abbr
from .construct import fit_day
from .model import Task

SHOWN = 3  # slots named in one reason


class Reasons:
    """Reasons for the unmet events of one plan (its events and trips)."""

    def __init__(self, problem: Problem, events: list[Event], trips: list[Trip]):
        self.problem = problem
        self.busy: dict[tuple[str, date], list[tuple[int, int, str]]] = defaultdict(
            list
        )
        for e in events:
            self.busy[e.mentor, e.date].append((e.start, e.end, e.id))
        for t in trips:
            self.busy[t.mentor, t.date].append((t.depart, t.arrive, "travel"))
        self.topics: dict[str, list[Event]] = defaultdict(list)
        for e in events:
            if e.topic is not None:
                self.topics[e.demand].append(e)

    def why(
        self, owed: Owed, task: Task | None, frozen_until: date | None = None
    ) -> str:
        if task is None or not task.options:
            return self._no_slot(owed, task, frozen_until)
        if owed.topic is not None:
            periods = sorted({task.period_of[o.date] for o in task.options})
            if len(self.topics[owed.demand]) >= len(periods):
                return (
                    "topics go in order, one per period: only "
                    f"{len(periods)} periods have a possible slot for "
                    f"{owed.demand} and earlier topics took them"
                )
        windows: dict[tuple[str, date, int, int], set[str]] = {}
        for o in task.options:
            first, last = o.starts[0], o.starts[-1] + owed.minutes
            windows.setdefault((o.mentor, o.date, first, last), set()).add(
                "online" if o.venue == ONLINE else "in person"
            )
        by_window: dict[tuple[str, date, int, int], list[Option]] = defaultdict(list)
        for o in task.options:
            by_window[_key(o, owed)].append(o)
        unreachable = [
            k
            for k, opts in by_window.items()
            if not any(self._alone(owed, o) for o in opts)
        ]
        if len(unreachable) == len(windows):
            return self._cannot_reach(owed, task.options)
        slots = []
        for key in list(windows)[:SHOWN]:
            mentor, day, first, last = key
            ways = windows[key]
            how = f" ({' or '.join(sorted(ways))})" if len(ways) > 1 else ""
            taken = [
                (a, b, what)
                for a, b, what in self.busy.get((mentor, day), ())
                if a < last and first < b
            ][:3]
            if taken:
                why = "taken by " + "; ".join(
                    f"{what} {fmt_range((a, b))}" for a, b, what in taken
                )
            elif key in unreachable:
                why = "too far from base to get there and back within working hours"
            else:
                why = "travel between visits, the break or the daily limits"
            slots.append(
                f"{mentor} {day_abbr(day)} {day.isoformat()} "
                f"{fmt_range((first, last))}{how} ({why})"
            )
        more = len(windows) - SHOWN
        return (
            "every possible slot is taken by other work of equal or higher "
            "priority: " + ", ".join(slots) + (f" and {more} more" if more > 0 else "")
        )

    def pin(self, owed: Owed, task: Task) -> str:
        """A pin in a set that contradicts itself: why this one cannot hold on
        its own, if it cannot (travel from base and back, daily limits)."""
        if task.options and not any(self._alone(owed, o) for o in task.options):
            return f"{owed.id} ({self._cannot_reach(owed, task.options)})"
        return owed.id

    def _alone(self, owed: Owed, o: Option) -> bool:
        """Whether the event fits its mentor's day with nothing else in it."""
        return any(
            fit_day(
                self.problem,
                o.mentor,
                o.date,
                [(s, s + owed.minutes, o.venue, owed.id)],
            )
            is not None
            for s in (o.starts[0], o.starts[-1])
        )

    def _cannot_reach(self, owed: Owed, opts: list[Option]) -> str:
        """Every slot fails on travel alone: say which trip and by how much."""
        problem = self.problem
        o = opts[0]
        mentor = problem.mentors[o.mentor]
        hours = mentor.hours(o.date)
        start, end = hours[0][0], hours[-1][1]
        base = mentor.base
        if base is None or o.venue == ONLINE:
            limit = mentor.max_travel_minutes_per_day
            return (
                f"{o.mentor} cannot fit it into any day it could go on "
                f"(daily travel limit {limit} minutes, break or daily limits)"
            )
        there = problem.travel_minutes(base, o.venue)
        back = problem.travel_minutes(o.venue, base)
        soonest_end = min(x.starts[0] for x in opts) + owed.minutes
        latest_start = max(x.starts[-1] for x in opts)
        parts = []
        if soonest_end + back > end:
            parts.append(
                f"it ends at {fmt_time(soonest_end)} at the earliest and the "
                f"way back takes {back} minutes, past the end of work at "
                f"{fmt_time(end)}"
            )
        if latest_start - there < start:
            parts.append(
                f"the way there takes {there} minutes from the start of work at "
                f"{fmt_time(start)}, later than its latest start "
                f"{fmt_time(latest_start)}"
            )
        limit = mentor.max_travel_minutes_per_day
        if not parts and limit is not None and there + back > limit:
            parts.append(
                f"the trip there and back ({there + back} minutes) is over the "
                f"daily travel limit of {limit}"
            )
        if not parts:
            parts.append("the break or the daily limits leave no room for it")
        return (
            f"{o.mentor} cannot get from base to {o.venue} and back within "
            f"working hours: " + "; ".join(parts)
        )

    def _no_slot(self, owed: Owed, task: Task | None, frozen_until: date | None) -> str:
        problem = self.problem
        all_opts = options(problem, owed)
        if all_opts and frozen_until and all(o.date < frozen_until for o in all_opts):
            return (
                f"every possible slot is before {frozen_until}, which a re-plan "
                "keeps as it was"
            )
        pinned = any(p.event == owed.id for p in problem.pins)
        if all_opts and task is not None and pinned:
            return "its pin cannot hold together with the other pins"
        if all_opts and task is not None:
            return (
                "its only possible slots are taken by events fixed earlier "
                "(pins, frozen or already planned group sessions)"
            )
        return explain(problem, owed)


def _key(o: Option, owed: Owed) -> tuple[str, date, int, int]:
    return (o.mentor, o.date, o.starts[0], o.starts[-1] + owed.minutes)
