"""Rule 7, as the checker reads it (see ``group_sessions``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from itertools import pairwise

from ..plan import Event, Plan
from ..problem import Problem
from .common import owed_by_id, when
from .demand_window import outside_window
from .violation import Violation


def group_sessions(problem: Problem, plan: Plan) -> Iterator[Violation]:
    """Hard (7): a group session is at one of its venues, inside its window, at
    most one per period, and topics go strictly in order in distinct periods."""
    owed = owed_by_id(problem)
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
        yield from outside_window(problem, e, "7")
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
                    f"{b.id} ({when(b)}) must come after {a.id} ({when(a)})",
                )
