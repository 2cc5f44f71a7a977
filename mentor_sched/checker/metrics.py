"""Every figure of docs/metrics.md, recomputed by the checker from the plan."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterator
from typing import Any

from ..plan import Plan
from ..problem import Problem
from .violation import Violation

_ROUND = {
    "coverage": 4,
    "minutes_by_school": 2,
    "share_by_school": 2,
    "share_deviation": 2,
}


def metrics(problem: Problem, plan: Plan) -> dict[str, Any]:
    """docs/metrics.md, recomputed from the problem and the plan alone (without
    ``objective_terms``, which only the solver can state)."""
    n_owed, planned = len(problem.owed), len(plan.events)
    travel_by: dict[str, int] = dict.fromkeys(problem.mentors, 0)
    for t in plan.travel:
        travel_by[t.mentor] = travel_by.get(t.mentor, 0) + t.minutes
    # an event an in-school mentor holds (mentor null) is no Expert Mentor time
    visits = [e for e in plan.events if e.mentor is not None]
    event_by: dict[str, int] = dict.fromkeys(problem.mentors, 0)
    for e in visits:
        event_by[e.mentor] = event_by.get(e.mentor, 0) + e.end - e.start
    attributed: dict[str, float] = dict.fromkeys(problem.schools, 0.0)
    for e in visits:
        for pid in e.people:
            person = problem.people.get(pid)
            if person is not None:
                attributed[person.school] = attributed.get(person.school, 0.0) + (
                    e.end - e.start
                ) / len(e.people)
    total = sum(attributed.values())
    shares: dict[str, dict[str, float]] = {}
    deviation = 0.0
    for sid, school in problem.schools.items():
        if school.share is None:
            continue
        pct = attributed[sid] / total * 100 if total else 0.0
        deviation += abs(pct - school.share)
        shares[sid] = {
            "target": school.share,
            "delivered": round(pct, 2),
            "deviation": round(abs(pct - school.share), 2),
        }
    return {
        "owed": n_owed,
        "planned": planned,
        "unmet": len(plan.unmet),
        "coverage": round(planned / n_owed, 4) if n_owed else 1.0,
        "missed_attendance": sum(
            len(e.missed) for e in plan.events if e.kind == "group"
        ),
        "travel_minutes": sum(t.minutes for t in plan.travel),
        "travel_minutes_by_mentor": travel_by,
        "event_minutes_by_mentor": event_by,
        "pattern_breaks": _pattern_breaks(problem, plan),
        "continuity_breaks": _continuity_breaks(problem, plan),
        "online_group_sessions": _online_group_sessions(problem, plan),
        "venue_excess": _venue_excess(problem, plan),
        "minutes_by_school": {s: round(m, 2) for s, m in attributed.items()},
        "share_by_school": shares,
        "share_deviation": round(deviation, 2),
    }


def _continuity_breaks(problem: Problem, plan: Plan) -> int:
    """One-person events (not group sessions) whose mentor is not the one the
    person's school sees most."""
    mentors: dict[str, list[str]] = defaultdict(list)
    for e in plan.events:
        person = problem.people.get(e.people[0]) if e.people else None
        if e.kind != "group" and person is not None and e.mentor is not None:
            mentors[person.school].append(e.mentor)
    return sum(len(ms) - max(Counter(ms).values()) for ms in mentors.values())


def _online_group_sessions(problem: Problem, plan: Plan) -> int:
    """Group sessions planned online whose demand could have met at a school."""
    n = 0
    for e in plan.events:
        demand = problem.demands.get(e.demand)
        if e.kind == "group" and e.venue == "online" and demand is not None:
            n += any(v in problem.schools for v in demand.venues)
    return n


def _venue_excess(problem: Problem, plan: Plan) -> int:
    """Per group demand with two or more schools among its venues, the sessions
    at each school beyond ceil(owed sessions / those schools)."""
    owed: Counter[str] = Counter(o.demand for o in problem.owed)
    hosted: dict[str, Counter[str]] = defaultdict(Counter)
    for e in plan.events:
        if e.kind == "group" and e.venue in problem.schools:
            hosted[e.demand][e.venue] += 1
    excess = 0
    for demand_id, at in hosted.items():
        demand = problem.demands.get(demand_id)
        schools = {v for v in demand.venues if v in problem.schools} if demand else ()
        if len(schools) < 2:
            continue
        even = math.ceil(owed[demand_id] / len(schools))
        excess += sum(max(0, n - even) for n in at.values())
    return excess


def _pattern_breaks(problem: Problem, plan: Plan) -> int:
    """Events of per-person series away from the series' most common (weekday,
    start); ties go to the earliest."""
    series: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for e in plan.events:
        demand = problem.demands.get(e.demand)
        if (
            demand is not None
            and demand.kind in ("meeting", "observation")
            and demand.every is not None
            and e.people
        ):
            series[e.demand, e.people[0]].append((e.date.weekday(), e.start))
    breaks = 0
    for slots in series.values():
        counts = Counter(slots)
        usual = min(counts, key=lambda s: (-counts[s], s))
        breaks += len(slots) - counts[usual]
    return breaks


def _same(mine: Any, theirs: Any, digits: int | None) -> bool:
    if isinstance(mine, dict):
        return (
            isinstance(theirs, dict)
            and set(mine) == set(theirs)
            and all(_same(mine[k], theirs[k], digits) for k in mine)
        )
    if isinstance(theirs, bool) or not isinstance(theirs, int | float):
        return False
    if digits is None:
        return mine == theirs
    return abs(round(mine, digits) - round(theirs, digits)) < 1e-9


def metrics_agree(problem: Problem, plan: Plan) -> Iterator[Violation]:
    """Every figure of docs/metrics.md (but objective_terms) as the plan states
    it equals the checker's own computation."""
    for key, mine in metrics(problem, plan).items():
        if key not in plan.metrics:
            yield Violation("metrics", key, f"the plan does not state {key}")
        elif not _same(mine, plan.metrics[key], _ROUND.get(key)):
            yield Violation(
                "metrics",
                key,
                f"the plan says {key} = {plan.metrics[key]!r}; recomputed {mine!r}",
            )
