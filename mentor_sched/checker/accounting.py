"""The accounting of owed events (plan-format.md), as the checker reads it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from ..plan import Plan
from ..problem import Problem
from .common import owed_by_id, topic_period, when
from .violation import Violation


def accounting(problem: Problem, plan: Plan) -> Iterator[Violation]:
    """Every owed event appears exactly once, in ``events`` or ``unmet``, as owed:
    same demand, kind, people and length, and the period it is owed in."""
    owed = owed_by_id(problem)
    seen: Counter[str] = Counter()
    for e in plan.events:
        seen[e.id] += 1
        o = owed.get(e.id)
        if o is None:
            yield Violation("accounting", e.id, "planned, but nothing owed has this id")
            continue
        if (e.demand, e.kind, tuple(e.people)) != (o.demand, o.kind, o.people):
            yield Violation(
                "accounting",
                e.id,
                f"planned as {e.kind} of {e.demand} for {', '.join(e.people)}; owed "
                f"as {o.kind} of {o.demand} for {', '.join(o.people)}",
            )
        if e.end - e.start != o.minutes:
            yield Violation(
                "accounting",
                e.id,
                f"{when(e)} lasts {e.end - e.start} minutes; {o.minutes} are owed",
            )
        period = topic_period(problem, e) if o.topic is not None else o.period
        if e.period != period:
            yield Violation(
                "accounting", e.id, f"says period {e.period}; it is period {period}"
            )
        demand = problem.demands.get(o.demand)
        topic = (
            demand.topics[o.topic - 1]
            if demand is not None and o.topic is not None
            else None
        )
        if e.topic != topic:
            yield Violation(
                "accounting", e.id, f"says topic {e.topic!r}; it is topic {topic!r}"
            )
    for u in plan.unmet:
        seen[u.id] += 1
        if not u.reason.strip():
            yield Violation(
                "accounting",
                u.id,
                "listed unmet without a reason; plan-format.md asks for a sentence "
                "a coordinator can act on",
            )
        o = owed.get(u.id)
        if o is None:
            yield Violation(
                "accounting", u.id, "listed unmet, but nothing owed has this id"
            )
            continue
        if (u.demand, tuple(u.people), u.period) != (o.demand, o.people, o.period):
            yield Violation(
                "accounting",
                u.id,
                f"listed unmet as {u.demand} for {', '.join(u.people)} in period "
                f"{u.period}; owed as {o.demand} for {', '.join(o.people)} in "
                f"period {o.period}",
            )
    for o in problem.owed:
        if seen[o.id] == 0:
            yield Violation("accounting", o.id, "owed, but neither planned nor unmet")
    for oid, n in sorted(seen.items()):
        if n > 1:
            yield Violation(
                "accounting", oid, f"appears {n} times in events and unmet; once only"
            )
