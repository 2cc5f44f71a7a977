"""The demand's window, ``demand_window``.

Every kind but ``cover`` lies inside its demand's ``window``.

The solver must not break it (a tiny cluster where breaking it would be
cheaper, solved, with the exact plan); the checker must catch it (a plan
broken by hand, with the exact violation).
"""

from __future__ import annotations

from dataclasses import replace

from check_fixtures import (
    TUE12,
    found,
    good_plan,
    hm,
)
from rule_fixtures import SCHOOLS, at, cluster, objective, solved, unmet_ids

from mentor_sched.check import check

# -- the solver keeps it ----------------------------------------------------

WINDOW = cluster(
    SCHOOLS
    + """\
mentors:
  - {id: em-ann, name: Ann Lee, works: {mon: "08:00-17:00", tue: "08:00-17:00"}}
people:
  - id: ect-al
    name: Al Shaw
    role: ect
    school: north
    free: {mon: "13:00-15:00", tue: "13:00-15:00"}
demand:
  - id: meet
    kind: meeting
    who: {role: ect}
    minutes: 45
    window: {days: [tue], time: "14:00-14:45"}
"""
)


def test_demand_window_solver(tmp_path):
    """Al is free Monday and Tuesday 13:00-15:00, but the window leaves only
    Tuesday 14:00-14:45: the one 45-minute meeting goes there, nothing else fits.
    No base and one school: no travel, so the objective is 0."""
    problem, plan, _ = solved(tmp_path, WINDOW)
    assert [o.id for o in problem.owed] == ["meet/ect-al/0"]
    assert at(plan, "meet/ect-al/0") == (TUE12, "14:00", "14:45", "north")
    assert plan.unmet == ()
    objective(plan, 0)


def test_demand_window_leaves_no_slot(tmp_path):
    """A window on Wednesdays, when Al has no free time: the meeting is unmet
    (1000), and its reason names the window."""
    _, plan, _ = solved(tmp_path, WINDOW.replace("days: [tue]", "days: [wed]"))
    assert plan.events == ()
    assert unmet_ids(plan) == {"meet/ect-al/0"}
    assert "window" in plan.unmet[0].reason
    objective(plan, 1000, unmet=1000)


# -- the checker catches it ------------------------------------------------


def test_window(problem):
    assert found(check(problem, good_plan(problem)), "window") == set()
    demands = dict(problem.demands)
    demands["ect-meetings"] = replace(
        demands["ect-meetings"], window_time=(hm("13:30"), hm("16:00"))
    )
    narrow = replace(problem, demands=demands)
    # Ann's 13:00-13:45 meeting now starts before the window; the rest still fit
    violations = check(narrow, good_plan(narrow))
    assert found(violations, "window") == {"ect-meetings/ect-ann/0"}
    demands["ect-meetings"] = replace(
        demands["ect-meetings"], window_days=frozenset({1})
    )
    tuesdays = replace(problem, demands=demands)
    assert found(check(tuesdays, good_plan(tuesdays)), "window") == {
        "ect-meetings/ect-ann/0",
        "ect-meetings/ect-bo/0",
        "ect-meetings/ect-bo/1",
    }
