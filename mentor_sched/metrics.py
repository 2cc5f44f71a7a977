"""Plan figures as docs/metrics.md defines them (solver-free)."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from .plan import Plan
from .problem import Problem


def attributed_minutes(problem: Problem, plan: Plan) -> dict[str, float]:
    """Event minutes split equally among the invited, counted for their schools."""
    out: dict[str, float] = {sid: 0.0 for sid in problem.schools}
    for e in plan.events:
        share = (e.end - e.start) / len(e.people)
        for pid in e.people:
            out[problem.people[pid].school] += share
    return out


def pattern_breaks(plan: Plan, problem: Problem) -> int:
    """Events of per-person series away from their series' most common slot."""
    series: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for e in plan.events:
        d = problem.demands[e.demand]
        if e.kind in ("meeting", "observation") and d.every is not None:
            series[e.demand, e.people[0]].append((e.date.weekday(), e.start))
    breaks = 0
    for slots in series.values():
        counts = Counter(slots)
        best = max(counts.values())
        usual = min(k for k, n in counts.items() if n == best)
        breaks += len(slots) - counts[usual]
    return breaks


def compute_metrics(problem: Problem, plan: Plan) -> dict[str, Any]:
    owed = len(problem.owed)
    minutes = attributed_minutes(problem, plan)
    total = sum(minutes.values())
    share_by_school = {}
    deviation = 0.0
    for sid, school in problem.schools.items():
        if school.share is None:
            continue
        pct = minutes[sid] / total * 100 if total else 0.0
        dev = abs(pct - school.share)
        deviation += dev
        share_by_school[sid] = {
            "target": school.share,
            "delivered": round(pct, 2),
            "deviation": round(dev, 2),
        }
    travel = {mid: 0 for mid in problem.mentors}
    for t in plan.travel:
        travel[t.mentor] += t.minutes
    busy = {mid: 0 for mid in problem.mentors}
    for e in plan.events:
        busy[e.mentor] += e.end - e.start
    return {
        "owed": owed,
        "planned": len(plan.events),
        "unmet": len(plan.unmet),
        "coverage": round(len(plan.events) / owed, 4) if owed else 1.0,
        "missed_attendance": sum(len(e.missed) for e in plan.events),
        "travel_minutes": sum(travel.values()),
        "travel_minutes_by_mentor": travel,
        "event_minutes_by_mentor": busy,
        "pattern_breaks": pattern_breaks(plan, problem),
        "minutes_by_school": {k: round(v, 2) for k, v in minutes.items()},
        "share_by_school": share_by_school,
        "share_deviation": round(deviation, 2),
    }
