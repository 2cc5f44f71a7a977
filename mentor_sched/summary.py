"""What ``mentor-sched validate`` tells a coordinator about a loaded cluster."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from .candidates import explain, has_option
from .problem import Problem


def working_minutes(problem: Problem, mentor: str, day) -> int:
    m = problem.mentors[mentor]
    hours = m.hours(day)
    total = sum(b - a for a, b in hours)
    for a, b in m.away_times.get(day, ()):
        total -= sum(max(0, min(b, y) - max(a, x)) for x, y in hours)
    return max(total, 0)


def summarise(problem: Problem) -> dict[str, Any]:
    """Counts, calendar, owed events and a capacity pre-check, as plain data."""
    cal = problem.calendar
    roles = Counter(p.role for p in problem.people.values())
    phases = Counter(s.phase for s in problem.schools.values())
    owed_by_demand = Counter(o.demand for o in problem.owed)
    # capacity: spread each event's minutes over the weeks it may lie in
    need: dict[int, float] = defaultdict(float)
    for o in problem.owed:
        first, last = o.weeks
        for w in range(first, last + 1):
            need[w] += o.minutes / (last - first + 1)
    weeks = []
    for w, monday in enumerate(cal.weeks):
        have = sum(
            working_minutes(problem, m, d)
            for m in problem.mentors
            for d in cal.days_of_week(w)
        )
        weeks.append(
            {
                "week": w,
                "monday": monday.isoformat(),
                "owed_minutes": round(need[w]),
                "working_minutes": have,
                "load": round(need[w] / have, 2) if have else None,
            }
        )
    impossible = []
    seen: set[tuple[str, str]] = set()
    series = Counter((x.demand, x.people) for x in problem.owed)
    for o in problem.owed:
        key = (o.demand, ",".join(o.people) if o.kind != "group" else "")
        if key in seen or has_option(problem, o):
            continue
        count = series[o.demand, o.people]
        seen.add(key)
        impossible.append(
            {
                "demand": o.demand,
                "event": o.id,
                "people": list(o.people) if o.kind != "group" else [],
                "events_of_series": count,
                "reason": explain(problem, o),
            }
        )
    return {
        "cluster": problem.name,
        "schools": len(problem.schools),
        "schools_by_phase": dict(phases),
        "mentors": {
            m.id: {"name": m.name, "days": sorted(m.works)}
            for m in problem.mentors.values()
        },
        "people_by_role": {
            r: roles.get(r, 0) for r in ("trainee", "ect", "school-mentor")
        },
        "teaching_days": len(cal.days),
        "teaching_weeks": len(cal.weeks),
        "holiday_weeks": [
            {"monday": m.isoformat(), "why": why} for m, why in cal.holiday_weeks
        ],
        "owed_events": len(problem.owed),
        "owed_by_demand": dict(owed_by_demand),
        "capacity": weeks,
        "no_possible_slot": impossible,
    }
