"""Helpers for the solver's side of the rule tests: tiny clusters and what a
solved plan holds.

Every cluster plans from Mon 2027-01-11 (week 0), with no bank holidays,
5-minute slots, and travel times fixed with ``travel.minutes`` so that they are
exact. Default weights: unmet 1000 (times priority), missed attendance 200,
travel 1 per minute, pattern 60, share 5.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from mentor_sched import load
from mentor_sched.check import check
from mentor_sched.plan import Plan
from mentor_sched.problem import Problem
from mentor_sched.solver import Result, solve

MON11, TUE12, WED13, THU14, FRI15 = (date(2027, 1, d) for d in range(11, 16))
MON18, TUE19, WED20, THU21, FRI22 = (date(2027, 1, d) for d in range(18, 23))
WED27 = date(2027, 1, 27)

TIME_LIMIT = 10


def cluster(
    body: str, *, to: str = "2027-01-15", travel: str = "", holidays: str = ""
) -> str:
    """A cluster file: the common head (horizon from Mon 2027-01-11 to ``to``,
    the cluster ``holidays`` given), the ``travel.minutes`` rows given (``;``
    between rows), and ``body`` (schools, mentors, ...)."""
    rows = "".join(f"    - {row}\n" for row in travel.split(";") if row.strip())
    return (
        "version: 1\n"
        "cluster:\n"
        "  name: Rule Cluster\n"
        f"  horizon: {{from: 2027-01-11, to: {to}}}\n"
        "calendar:\n"
        "  bank_holidays: none\n"
        + (f"  holidays: {holidays}\n" if holidays else "")
        + ("travel:\n  minutes:\n" + rows if rows else "")
        + body
    )


SCHOOLS = """\
schools:
  - {id: north, name: North Primary, phase: primary, location: {lat: 52.0, lon: 0.7}}
  - {id: south, name: South Academy, phase: secondary, location: {lat: 52.1, lon: 0.8}}
"""


def write(tmp_path: Path, text: str, name: str = "cluster.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def solved(tmp_path: Path, text: str, **options) -> tuple[Problem, Plan, Result]:
    """Load and solve ``text``; the plan must pass the checker and account for
    every owed event exactly once."""
    problem = load(write(tmp_path, text))
    result = solve(problem, time_limit=TIME_LIMIT, workers=1, **options)
    plan = result.plan
    assert check(problem, plan) == []
    ids = [e.id for e in plan.events] + [u.id for u in plan.unmet]
    assert sorted(ids) == sorted(o.id for o in problem.owed)
    return problem, plan, result


def at(plan: Plan, event_id: str) -> tuple[date, str, str, str]:
    """Where and when ``event_id`` was planned: (date, start, end, venue)."""
    e = plan.event(event_id)
    assert e is not None, f"{event_id} is not planned: {plan.unmet}"
    return e.date, hhmm(e.start), hhmm(e.end), e.venue


def hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def trips(plan: Plan) -> list[tuple]:
    """(mentor, date, from, to, depart, arrive, minutes) of every trip."""
    return [
        (t.mentor, t.date, t.origin, t.dest, hhmm(t.depart), hhmm(t.arrive), t.minutes)
        for t in plan.travel
    ]


def unmet_ids(plan: Plan) -> set[str]:
    return {u.id for u in plan.unmet}


def objective(plan: Plan, expected: int, **terms: int) -> None:
    """The plan's objective, and each named weighted term (others are 0)."""
    got = plan.metrics["objective_terms"]
    want = {
        "unmet": 0,
        "missed_attendance": 0,
        "travel": 0,
        "pattern": 0,
        "share": 0,
        "continuity": 0,
        "in_person": 0,
        "rotate_venues": 0,
    }
    want.update(terms)
    assert got == want
    assert sum(want.values()) == expected
    assert plan.solver.objective == expected
