"""Rule 4, ``daily_limits_and_break``.

Daily limits (minutes in events, minutes of travel) and the break hold.

The solver must not break it (a tiny cluster where breaking it would be
cheaper, solved, with the exact plan); the checker must catch it (a plan
broken by hand, with the exact violation).
"""

from __future__ import annotations

from check_fixtures import (
    MON11,
    TUE12,
    found,
    good_events,
    good_plan,
    good_trips,
    make_plan,
    trip,
    with_mentor,
)
from rule_fixtures import (
    SCHOOLS,
    at,
    cluster,
    objective,
    solved,
    trips,
    unmet_ids,
)

from mentor_sched.check import check

# -- the solver keeps it ----------------------------------------------------


def test_rule4_daily_limits(tmp_path):
    """Minutes per day: three one-hour meetings on Monday, at most 120 minutes
    a day: one of the three is unmet. Travel per day: Kim may travel 60
    minutes a day; North is 20 minutes from base (a 40-minute day), South 40
    (an 80-minute day): South's meeting is unmet."""
    text = cluster(
        SCHOOLS
        + """\
mentors:
  - id: em-ann
    name: Ann Lee
    works: {mon: "08:00-17:00"}
    phases: [primary]
    max_minutes_per_day: 120
  - id: em-kim
    name: Kim Ward
    base: {lat: 52.05, lon: 0.75}
    works: {tue: "08:00-17:00"}
    phases: [secondary]
    max_travel_minutes_per_day: 60
people:
  - {id: ect-al, name: Al Shaw, role: ect, school: north, free: {mon: "09:00-10:00"}}
  - {id: ect-bo, name: Bo Hart, role: ect, school: north, free: {mon: "10:00-11:00"}}
  - {id: ect-cy, name: Cy Dunn, role: ect, school: north, free: {mon: "13:00-14:00"}}
  - {id: tr-di, name: Di Moss, role: trainee, school: south, free: {tue: "10:00-11:00"}}
demand:
  - {id: meet, kind: meeting, who: {role: ect}, minutes: 60}
  - {id: tmeet, kind: meeting, who: {role: trainee}, minutes: 60}
""",
        travel="[north, south, 40]; [em-kim, north, 20]; [em-kim, south, 40]",
    )
    _, plan, _ = solved(tmp_path, text)
    held = [e for e in plan.events if e.demand == "meet"]
    assert len(held) == 2
    assert sum(e.end - e.start for e in held) == 120
    assert {e.mentor for e in held} == {"em-ann"}
    # Di is free only Tuesday, and only Kim works Tuesdays
    assert "tmeet/tr-di/0" in unmet_ids(plan)
    assert len(plan.unmet) == 2
    assert plan.travel == ()
    # two unmet events, 1000 each; nothing travelled
    objective(plan, 2000, unmet=2000)


def test_rule4_travel_limit_allows_the_near_school(tmp_path):
    """The same travel limit allows North (a 40-minute day) and its trips."""
    text = cluster(
        SCHOOLS
        + """\
mentors:
  - id: em-kim
    name: Kim Ward
    base: {lat: 52.05, lon: 0.75}
    works: {tue: "08:00-17:00"}
    max_travel_minutes_per_day: 60
people:
  - {id: ect-al, name: Al Shaw, role: ect, school: north, free: {tue: "10:00-11:00"}}
  - {id: ect-bo, name: Bo Hart, role: ect, school: south, free: {tue: "13:00-14:00"}}
demand:
  - {id: meet, kind: meeting, who: {role: ect}, minutes: 60, priority: 2}
""",
        travel="[north, south, 40]; [em-kim, north, 20]; [em-kim, south, 40]",
    )
    _, plan, _ = solved(tmp_path, text)
    # both: 20 + 40 + 40 = 100 > 60; South alone 80 > 60; North alone 40
    assert unmet_ids(plan) == {"meet/ect-bo/0"}
    assert at(plan, "meet/ect-al/0") == (TUE12, "10:00", "11:00", "north")
    assert trips(plan) == [
        ("em-kim", TUE12, "base", "north", "09:40", "10:00", 20),
        ("em-kim", TUE12, "north", "base", "11:00", "11:20", 20),
    ]
    objective(plan, 2040, unmet=2000, travel=40)


def test_rule4_break(tmp_path):
    """Ann needs 30 unbroken minutes between 12:00 and 13:00 on any working day.
    Monday: Al's meeting is 11:45-12:30, so Bo's (free 12:30-13:45) must start
    at 13:00, not at 12:30 as it could without the break. Tuesday: Cy's only
    slots, 12:00..12:15 for 45 minutes, always leave less than 30 minutes of
    the window free, so Cy's meeting is unmet."""
    text = cluster(
        SCHOOLS
        + """\
mentors:
  - id: em-ann
    name: Ann Lee
    works: {mon: "08:00-17:00", tue: "08:00-17:00"}
    break: {minutes: 30, between: "12:00-13:00"}
people:
  - {id: ect-al, name: Al Shaw, role: ect, school: north, free: {mon: "11:45-12:30"}}
  - {id: ect-bo, name: Bo Hart, role: ect, school: north, free: {mon: "12:30-13:45"}}
  - {id: ect-cy, name: Cy Dunn, role: ect, school: north, free: {tue: "12:00-13:00"}}
demand:
  - {id: meet, kind: meeting, who: {role: ect}, minutes: 45}
""",
    )
    _, plan, _ = solved(tmp_path, text)
    assert at(plan, "meet/ect-al/0") == (MON11, "11:45", "12:30", "north")
    assert at(plan, "meet/ect-bo/0") == (MON11, "13:00", "13:45", "north")
    assert unmet_ids(plan) == {"meet/ect-cy/0"}
    objective(plan, 1000, unmet=1000)


def test_rule4_break_counts_travel(tmp_path):
    """The break is free of travel too. Al (South) ends 12:00 and Bo (North)
    starts 13:10, 40 minutes away; a 12:00-13:00 window needs 30 minutes.
    Leaving at 12:00 would leave only 12:40-13:00; so the break is 12:00-12:30
    and the trip 12:30-13:10, the only plan holding both meetings. With Bo
    starting at 13:05 (below) there is no such plan: Bo's meeting is unmet."""
    text = cluster(
        SCHOOLS
        + """\
mentors:
  - id: em-ann
    name: Ann Lee
    works: {mon: "08:00-17:00"}
    break: {minutes: 30, between: "12:00-13:00"}
people:
  - {id: ect-al, name: Al Shaw, role: ect, school: south, free: {mon: "11:00-12:00"}}
  - {id: ect-bo, name: Bo Hart, role: ect, school: north, free: {mon: "13:10-14:10"}}
demand:
  - {id: meet, kind: meeting, who: {ids: [ect-al]}, minutes: 60, priority: 2}
  - {id: talk, kind: meeting, who: {ids: [ect-bo]}, minutes: 60}
""",
        travel="[north, south, 40]",
    )
    _, plan, _ = solved(tmp_path, text)
    assert at(plan, "meet/ect-al/0") == (MON11, "11:00", "12:00", "south")
    assert at(plan, "talk/ect-bo/0") == (MON11, "13:10", "14:10", "north")
    assert trips(plan) == [("em-ann", MON11, "south", "north", "12:30", "13:10", 40)]
    objective(plan, 40, travel=40)

    _, plan, _ = solved(tmp_path, text.replace("13:10-14:10", "13:05-14:05"))
    assert at(plan, "meet/ect-al/0") == (MON11, "11:00", "12:00", "south")
    assert unmet_ids(plan) == {"talk/ect-bo/0"}
    assert plan.travel == ()
    objective(plan, 1000, unmet=1000)


# -- the checker catches it ------------------------------------------------


def test_daily_limits_and_break_event_minutes(problem):
    # Mon 11 holds 60 + 45 + 45 = 150 minutes of events
    at_limit = with_mentor(problem, "em-kim", max_minutes_per_day=150)
    assert found(check(at_limit, good_plan(at_limit)), "4") == set()
    below = with_mentor(problem, "em-kim", max_minutes_per_day=145)
    assert found(check(below, good_plan(below)), "4") == {"em-kim@2027-01-11"}


def test_daily_limits_and_break_travel(problem):
    # Mon 11 travels 30 + 40 + 20 = 90 of 100 minutes; a 55-minute ride from south
    # to north makes it 30 + 55 + 20 = 105
    slow = trip(MON11, "south", "north", "10:00", 55)
    trips = [
        slow if (t.date, t.origin) == (MON11, "south") else t for t in good_trips()
    ]
    violations = check(problem, make_plan(problem, good_events(problem), trips))
    assert found(violations, "4") == {"em-kim@2027-01-11"}


def test_daily_limits_and_break_window(problem):
    # break 30 minutes within 12:00-13:30; the meeting starts 13:00
    def with_ride(depart: str) -> set[str]:
        ride = trip(MON11, "south", "north", depart, 40)
        trips = [
            ride if (t.date, t.origin) == (MON11, "south") else t for t in good_trips()
        ]
        return found(
            check(problem, make_plan(problem, good_events(problem), trips)), "4"
        )

    assert with_ride("11:50") == set()  # arrives 12:30: free 12:30-13:00, 30 minutes
    assert with_ride("11:55") == {"em-kim@2027-01-11"}  # free 12:35-13:00, 25
