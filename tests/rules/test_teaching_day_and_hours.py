"""Rule 1, ``teaching_day_and_hours``.

Every event lies on a teaching day, inside its mentor's ``works`` hours,
outside the mentor's ``away`` ranges, and in person inside the venue's ``open``
range on a day it is not ``closed``.

The solver must not break it (a tiny cluster where breaking it would be
cheaper, solved, with the exact plan); the checker must catch it (a plan
broken by hand, with the exact violation).
"""

from __future__ import annotations

import pytest
from check_fixtures import (
    FRI15,
    MON11,
    MON18,
    SAT16,
    THU14,
    TUE19,
    WED13,
    event,
    found,
    good_plan,
    good_trips,
    make_plan,
    swap,
)
from rule_fixtures import (
    SCHOOLS,
    at,
    cluster,
    objective,
    solved,
    unmet_ids,
)

from mentor_sched.check import check

# -- the solver keeps it ----------------------------------------------------

RULE1 = cluster(
    """\
schools:
  - id: north
    name: North Primary
    phase: primary
    location: {lat: 52.0, lon: 0.7}
    open: "07:00-16:00"
    closed: [2027-01-12]
mentors:
  - id: em-ann
    name: Ann Lee
    works: {mon: "08:00-17:00", tue: "08:00-17:00", wed: "08:00-17:00",
            thu: "08:00-17:00"}
    away:
      - {on: 2027-01-13}
      - {on: 2027-01-14, time: "13:00-14:00"}
      - {from: 2027-01-19, to: 2027-01-21}
people:
  - id: ect-al
    name: Al Shaw
    role: ect
    school: north
    free: {mon: "13:00-14:00", tue: "13:00-14:00", wed: "13:00-14:00",
           thu: ["07:00-08:00", "13:00-14:00"], fri: "15:00-16:00"}
demand:
  - {id: meet, kind: meeting, who: {ids: [ect-al]}, minutes: 60}
""",
    to="2027-01-22",
    holidays="[2027-01-11]",
)


def test_rule1_teaching_day_and_hours(tmp_path):
    """Al is free at 13:00 every day, but in week 0 each free hour is barred by
    one part of rule 1: Mon 11 a cluster holiday (not a teaching day), Tue 12
    the school is closed, Wed 13 Ann is away, Thu 14 Ann is away 13:00-14:00
    and 07:00 is before her hours, Fri 15 Ann does not work. In week 1 Ann is
    away Tue-Thu and does not work Friday, so Mon 18 13:00 is the only slot."""
    problem, plan, _ = solved(tmp_path, RULE1)
    assert [o.id for o in problem.owed] == ["meet/ect-al/0", "meet/ect-al/1"]
    assert unmet_ids(plan) == {"meet/ect-al/0"}
    assert at(plan, "meet/ect-al/1") == (MON18, "13:00", "14:00", "north")
    assert plan.travel == ()
    # one unmet event of priority 1: 1000; one place, no base: no travel
    objective(plan, 1000, unmet=1000)


def test_rule1_school_open_hours(tmp_path):
    """Al's only free hour, Fri 16:00-17:00, is inside Ann's hours but after
    North closes to visitors at 16:00; online would be allowed and is what the
    solver must choose, since an online meeting needs no open school."""
    text = cluster(
        SCHOOLS.replace("0.7}}", '0.7}, open: "08:00-16:00"}')
        + """\
mentors:
  - {id: em-ann, name: Ann Lee, works: {fri: "08:00-17:00"}}
people:
  - {id: ect-al, name: Al Shaw, role: ect, school: north, free: {fri: "16:00-17:00"}}
  - {id: ect-bo, name: Bo Hart, role: ect, school: north, free: {fri: "16:00-17:00"}}
demand:
  - {id: meet, kind: meeting, who: {ids: [ect-al]}, minutes: 60, online_ok: true}
  - {id: talk, kind: meeting, who: {ids: [ect-bo]}, minutes: 60}
""",
    )
    _, plan, _ = solved(tmp_path, text)
    assert at(plan, "meet/ect-al/0") == (FRI15, "16:00", "17:00", "online")
    # Bo's meeting may not go online and North is shut at 16:00: unmet, 1000
    assert unmet_ids(plan) == {"talk/ect-bo/0"}
    objective(plan, 1000, unmet=1000)


# -- the checker catches it ------------------------------------------------


def test_teaching_day_and_hours(problem):
    assert found(check(problem, good_plan(problem)), "1") == set()
    p = problem
    breaks = {
        # a Saturday is not a teaching day
        "ect-meetings/ect-ann/0": event(
            p, "ect-meetings/ect-ann/0", SAT16, "13:00", "north"
        ),
        # Mon 18 is in week 1; Bo's period-0 meeting is owed in week 0
        "ect-meetings/ect-bo/0": event(
            p, "ect-meetings/ect-bo/0", MON18, "14:00", "online"
        ),
    }
    violations = check(p, make_plan(p, swap(p, *breaks.values()), good_trips()))
    assert found(violations, "1") == set(breaks)


@pytest.mark.parametrize(
    ("owed_id", "day", "start", "venue", "mentor", "why"),
    [
        # north is closed on Fri 15 (em-lee works Fridays)
        ("ect-meetings/ect-ann/0", FRI15, "13:00", "north", "em-lee", "closed"),
        # em-kim is away all day on Tue 19
        ("ect-meetings/ect-ann/1", TUE19, "13:00", "north", "em-kim", "away all day"),
        # em-kim is away Thu 14 08:00-09:00: 08:30-09:30 overlaps it
        ("ect-obs/ect-bo", THU14, "08:30", "south", "em-kim", "away 2027-01-14"),
        # em-kim works 08:00-17:00: 16:30-17:30 runs past it
        ("ccf/topic-1", THU14, "16:30", "north", "em-kim", "working hours"),
        # south is open until 16:00: 15:30-16:15 runs past it
        ("ect-meetings/ect-bo/0", MON11, "15:30", "south", "em-kim", "open hours"),
        # em-kim does not work Wednesdays
        ("ect-meetings/ect-bo/0", WED13, "14:00", "online", "em-kim", "working hours"),
    ],
)
def test_teaching_day_and_hours_each_part(
    problem, owed_id, day, start, venue, mentor, why
):
    bad = event(problem, owed_id, day, start, venue, mentor)
    violations = check(problem, make_plan(problem, [bad], []))
    rule1 = [v for v in violations if v.rule == "1"]
    assert [v.event for v in rule1] == [owed_id]
    assert why in rule1[0].message
