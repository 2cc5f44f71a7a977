"""The demand's window, as the checker reads it (see ``demand_window``)."""

from __future__ import annotations

from collections.abc import Iterator

from ..plan import Event, Plan
from ..problem import WEEKDAYS, Problem, fmt_range
from .common import DAYS, when, within
from .violation import Violation


def outside_window(problem: Problem, e: Event, rule: str) -> Iterator[Violation]:
    demand = problem.demands[e.demand]
    if demand.window_days is not None and e.date.weekday() not in demand.window_days:
        days = ", ".join(WEEKDAYS[d] for d in sorted(demand.window_days))
        yield Violation(
            rule,
            e.id,
            f"{e.date} is a {DAYS[e.date.weekday()]}; {demand.id}'s window "
            f"allows {days}",
        )
    if demand.window_time is not None and not within(
        (e.start, e.end), (demand.window_time,)
    ):
        yield Violation(
            rule,
            e.id,
            f"{when(e)} is outside {demand.id}'s window "
            f"{fmt_range(demand.window_time)}",
        )


def demand_window(problem: Problem, plan: Plan) -> Iterator[Violation]:
    """Hard: meetings and observations lie inside their demand's window (group
    sessions are rule 7; a cover is at its fixed slot)."""
    for e in plan.events:
        demand = problem.demands.get(e.demand)
        if demand is not None and demand.kind in ("meeting", "observation"):
            yield from outside_window(problem, e, "window")
