"""The solver beyond single rules: unmet reasons, the weekly rhythm, repeatability.

Each hard rule's own tests (the solver keeps it, the checker catches it) are in
``tests/rules/test_<rule>.py``; docs/rules.md lists them. Every test here
solves a tiny cluster and asserts the concrete plan, that the independent
checker finds nothing, and where it matters the exact objective, derived by
hand in a comment.

All clusters plan from Mon 2027-01-11 (week 0), with no bank holidays, 5-minute
slots, and travel times fixed with ``travel.minutes`` so that they are exact.
"""

from __future__ import annotations

from datetime import date

from rules.rule_fixtures import (  # the clusters and helpers of tests/rules
    SCHOOLS,
    at,
    cluster,
    objective,
    solved,
    unmet_ids,
    write,
)
from rules.rule_fixtures import hhmm as _t

from mentor_sched import load
from mentor_sched.check import check
from mentor_sched.plan import Plan
from mentor_sched.solver import solve

MON11, TUE12, WED13, THU14, FRI15 = (date(2027, 1, d) for d in range(11, 16))
MON18, TUE19, WED20, THU21, FRI22 = (date(2027, 1, d) for d in range(18, 23))
WED27 = date(2027, 1, 27)


def hm(text: str) -> int:
    h, m = text.split(":")
    return int(h) * 60 + int(m)


def test_unmet_reason_names_the_person_and_the_weekday(tmp_path):
    """Al is free only on Mondays; Ann works only Tuesdays."""
    text = cluster(
        SCHOOLS
        + """\
mentors:
  - {id: em-ann, name: Ann Lee, works: {tue: "08:00-17:00"}}
people:
  - {id: ect-al, name: Al Shaw, role: ect, school: north, free: {mon: "13:00-14:00"}}
demand:
  - {id: meet, kind: meeting, who: {ids: [ect-al]}, minutes: 45}
""",
    )
    _, plan, _ = solved(tmp_path, text)
    assert plan.events == ()
    [u] = plan.unmet
    assert u.id == "meet/ect-al/0"
    assert "ect-al" in u.reason
    assert "Monday" in u.reason
    assert "em-ann does not work Mondays" in u.reason
    objective(plan, 1000, unmet=1000)


def test_weekly_rhythm_same_slot_every_week(tmp_path):
    """Al is free Mon and Wed 13:00-15:00 every week for three weeks: his
    meetings keep one weekday and start in every week (no pattern break)."""
    _, plan, _ = solved(tmp_path, RHYTHM)
    al = [e for e in plan.events if e.demand == "meet"]
    assert [e.id for e in al] == [f"meet/ect-al/{p}" for p in range(3)]
    assert len({(e.date.weekday(), e.start) for e in al}) == 1
    assert plan.metrics["pattern_breaks"] == 0
    objective(plan, 0)


RHYTHM = cluster(
    SCHOOLS
    + """\
mentors:
  - {id: em-ann, name: Ann Lee, works: {mon: "08:00-17:00", wed: "08:00-17:00"}}
people:
  - id: ect-al
    name: Al Shaw
    role: ect
    school: north
    free: {mon: "13:00-15:00", wed: "13:00-15:00"}
demand:
  - {id: meet, kind: meeting, who: {ids: [ect-al]}, minutes: 45}
""",
    to="2027-01-29",
)


def test_weekly_rhythm_around_another_meeting(tmp_path):
    """As above, but Bo's only slot, Mon 18 13:00-13:45, takes the earliest
    Monday starts from Al in week 1. Al's series still keeps one weekday and
    start in every week (e.g. Mon 13:45 or Wed 13:00), which cannot be Monday
    13:00-13:40."""
    text = RHYTHM.replace(
        "demand:",
        """\
  - id: ect-bo
    name: Bo Hart
    role: ect
    school: north
    present: {from: 2027-01-18, to: 2027-01-18}
    free: {mon: "13:00-13:45"}
demand:
  - {id: talk, kind: meeting, who: {ids: [ect-bo]}, minutes: 45, every: once}""",
    )
    _, plan, _ = solved(tmp_path, text)
    assert unmet_ids(plan) == set()
    assert at(plan, "talk/ect-bo")[:2] == (MON18, "13:00")
    al = [e for e in plan.events if e.demand == "meet"]
    assert [e.id for e in al] == [f"meet/ect-al/{p}" for p in range(3)]
    [(weekday, start)] = {(e.date.weekday(), e.start) for e in al}
    assert weekday == 2 or start >= hm("13:45")
    assert plan.metrics["pattern_breaks"] == 0
    objective(plan, 0)


def test_weekly_rhythm_breaks_only_where_forced(tmp_path):
    """Al is free Mon 13:00 and Wed 10:00, but away on both Wednesdays of weeks
    0 and 2 and on Monday of week 1: Monday 13:00 is the usual slot and the
    one Wednesday is exactly one pattern break (20)."""
    text = cluster(
        SCHOOLS
        + """\
mentors:
  - {id: em-ann, name: Ann Lee, works: {mon: "08:00-17:00", wed: "08:00-17:00"}}
people:
  - id: ect-al
    name: Al Shaw
    role: ect
    school: north
    free: {mon: "13:00-13:45", wed: "10:00-10:45"}
    away: [{on: 2027-01-13}, {on: 2027-01-18}, {on: 2027-01-27}]
demand:
  - {id: meet, kind: meeting, who: {ids: [ect-al]}, minutes: 45}
""",
        to="2027-01-29",
    )
    _, plan, _ = solved(tmp_path, text)
    assert [(e.date, _t(e.start)) for e in plan.events] == [
        (MON11, "13:00"),
        (WED20, "10:00"),
        (date(2027, 1, 25), "13:00"),
    ]
    assert plan.metrics["pattern_breaks"] == 1
    objective(plan, 60, pattern=60)  # one break at the default weight, 60


def _events_travel_unmet(plan: Plan) -> tuple:
    return plan.events, plan.travel, plan.unmet


def test_same_seed_same_plan(tmp_path):
    """Two solves of a generated cluster with the same seed and default options
    give identical events, travel and unmet lists."""
    from mentor_sched.generate import generate

    text = generate(schools=3, mentors=2, people=8, weeks=2, seed=7)
    problem = load(write(tmp_path, text))
    first = solve(problem, time_limit=3)
    second = solve(problem, time_limit=3)
    assert first.plan.events  # something to compare
    assert _events_travel_unmet(first.plan) == _events_travel_unmet(second.plan)
    assert first.plan.solver.objective == second.plan.solver.objective
    assert check(problem, first.plan) == []
