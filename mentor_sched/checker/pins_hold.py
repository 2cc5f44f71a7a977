"""Rule 8, as the checker reads it (see ``pins_hold``)."""

from __future__ import annotations

from collections.abc import Iterator

from ..plan import Plan
from ..problem import Problem, fmt_time
from .common import owed_by_id
from .violation import Violation


def pins_hold(problem: Problem, plan: Plan) -> Iterator[Violation]:
    """Hard (8): every pinned event is planned at its pinned date, start, mentor
    and venue."""
    owed = owed_by_id(problem)
    for pin in problem.pins:
        e = plan.event(pin.event)
        if e is None:
            yield Violation(
                "8",
                pin.event,
                f"pinned to {pin.date} {fmt_time(pin.start)}, not planned",
            )
            continue
        venue = pin.venue
        o = owed.get(pin.event)
        if venue is None and o is not None:
            demand = problem.demands.get(o.demand)
            if o.kind == "group" and demand is not None and len(demand.venues) == 1:
                venue = demand.venues[0]
            elif o.kind != "group" and o.people and o.people[0] in problem.people:
                venue = problem.people[o.people[0]].school
        wrong = []
        if e.date != pin.date or e.start != pin.start:
            wrong.append(
                f"pinned to {pin.date} {fmt_time(pin.start)}, planned "
                f"{e.date} {fmt_time(e.start)}"
            )
        if pin.mentor is not None and e.mentor != pin.mentor:
            wrong.append(f"pinned to {pin.mentor}, planned with {e.mentor}")
        if venue is not None and e.venue != venue:
            wrong.append(f"pinned at {venue}, planned at {e.venue}")
        for text in wrong:
            yield Violation("8", e.id, text)
