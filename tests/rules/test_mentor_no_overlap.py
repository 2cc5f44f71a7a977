"""Rule 2, ``mentor_no_overlap``.

A mentor is in at most one event at a time; between in-person events at
different places the free time is at least the travel time, and each trip
lies in that gap.

The solver must not break it (a tiny cluster where breaking it would be
cheaper, solved, with the exact plan); the checker must catch it (a plan
broken by hand, with the exact violation).
"""

from __future__ import annotations

from check_fixtures import (
    MON11,
    MON18,
    THU14,
    event,
    found,
    good_events,
    good_plan,
    good_trips,
    hm,
    label,
    make_plan,
    swap,
    trip,
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
from mentor_sched.plan import Trip

# -- the solver keeps it ----------------------------------------------------

RULE2 = cluster(
    SCHOOLS
    + """\
mentors:
  - {id: em-ann, name: Ann Lee, works: {mon: "08:00-17:00"}}
people:
  - {id: ect-al, name: Al Shaw, role: ect, school: north, free: {mon: "09:00-10:00"}}
  - {id: ect-bo, name: Bo Hart, role: ect, school: south, free: {mon: "10:30-11:30"}}
  - {id: ect-cy, name: Cy Dunn, role: ect, school: north, free: {mon: "12:10-13:10"}}
demand:
  - {id: meet, kind: meeting, who: {ids: [ect-al, ect-cy]}, minutes: 60}
  - {id: vip, kind: meeting, who: {ids: [ect-bo]}, minutes: 60, priority: 2}
""",
    travel="[north, south, 40]",
)


def test_rule2_travel_fits(tmp_path):
    """North and South are 40 minutes apart. Al (North) ends at 10:00 and Bo
    (South) must start at 10:30: 30 minutes, too few to travel, so Al's or Bo's
    meeting cannot be held. Bo's counts double (priority 2), so Al's goes.
    Cy (North) starts at 12:10, exactly 40 minutes after Bo ends: the trip
    South -> North fits with no minute to spare."""
    _, plan, _ = solved(tmp_path, RULE2)
    assert unmet_ids(plan) == {"meet/ect-al/0"}
    assert at(plan, "vip/ect-bo/0") == (MON11, "10:30", "11:30", "south")
    assert at(plan, "meet/ect-cy/0") == (MON11, "12:10", "13:10", "north")
    # no base: the day starts at the first visit; one trip, in the gap
    assert trips(plan) == [("em-ann", MON11, "south", "north", "11:30", "12:10", 40)]
    # Al unmet 1000 + 40 travel minutes (keeping Al instead of Bo costs 2000)
    objective(plan, 1040, unmet=1000, travel=40)


def test_rule2_mentor_no_overlap(tmp_path):
    """Two people at one school free only at the same hour with one mentor: one
    meeting is held, the other is unmet (holding both would cost nothing)."""
    text = cluster(
        SCHOOLS
        + """\
mentors:
  - {id: em-ann, name: Ann Lee, works: {mon: "08:00-17:00"}}
people:
  - {id: ect-al, name: Al Shaw, role: ect, school: north, free: {mon: "09:00-10:00"}}
  - {id: ect-bo, name: Bo Hart, role: ect, school: north, free: {mon: "09:30-10:30"}}
demand:
  - {id: meet, kind: meeting, who: {role: ect}, minutes: 45, priority: 3}
""",
    )
    _, plan, _ = solved(tmp_path, text)
    # Al 09:00-09:45 then Bo 09:45-10:30 is the only way to hold both
    assert at(plan, "meet/ect-al/0") == (MON11, "09:00", "09:45", "north")
    assert at(plan, "meet/ect-bo/0") == (MON11, "09:45", "10:30", "north")
    objective(plan, 0)


def test_rule2_trip_after_an_online_meeting(tmp_path):
    """Al (North) ends 10:00, Cy's online meeting is 10:00-11:00 and Bo (South,
    40 minutes away) starts 11:40: Ann holds Cy's meeting from North, then
    drives 11:00-11:40. The time free of events between Al and Bo is exactly
    the travel time."""
    text = cluster(
        SCHOOLS
        + """\
mentors:
  - {id: em-ann, name: Ann Lee, works: {mon: "08:00-17:00"}}
people:
  - {id: ect-al, name: Al Shaw, role: ect, school: north, free: {mon: "09:00-10:00"}}
  - {id: ect-bo, name: Bo Hart, role: ect, school: south, free: {mon: "11:40-12:40"}}
  - {id: ect-cy, name: Cy Dunn, role: ect, school: south, free: {mon: "10:00-11:00"}}
demand:
  - {id: meet, kind: meeting, who: {ids: [ect-al, ect-bo]}, minutes: 60}
  - {id: talk, kind: meeting, who: {ids: [ect-cy]}, minutes: 60, online_ok: true}
""",
        travel="[north, south, 40]",
    )
    _, plan, _ = solved(tmp_path, text)
    assert at(plan, "meet/ect-al/0") == (MON11, "09:00", "10:00", "north")
    assert at(plan, "talk/ect-cy/0") == (MON11, "10:00", "11:00", "online")
    assert at(plan, "meet/ect-bo/0") == (MON11, "11:40", "12:40", "south")
    assert trips(plan) == [("em-ann", MON11, "north", "south", "11:00", "11:40", 40)]
    objective(plan, 40, travel=40)


# -- the checker catches it ------------------------------------------------


def test_mentor_no_overlap_and_travel(problem):
    # the good plan: south -> north leaves 10:00 after the 09:00-10:00 observation and
    # arrives 10:40, before the 13:00 meeting; the online meeting at 14:00 needs no
    # trip and the ride home (15:00) does not overlap it
    assert found(check(problem, good_plan(problem)), "2") == set()


def test_schools_40_minutes_apart_with_events_30_minutes_apart(problem):
    # Mon 11: Ann at north 13:00-13:45, then Bo at south 14:15-15:00: a 30-minute
    # gap, but north -> south is 40 minutes, so the trip (13:45-14:25) cannot fit
    p = problem
    events = [
        event(p, "ect-meetings/ect-ann/0", MON11, "13:00", "north"),
        event(p, "ect-meetings/ect-bo/0", MON11, "14:15", "south"),
    ]
    trips = [
        trip(MON11, "base", "north", "12:00", 20),
        trip(MON11, "north", "south", "13:45", 40),
        trip(MON11, "south", "base", "15:00", 30),
    ]
    violations = check(p, make_plan(p, events, trips))
    assert "ect-meetings/ect-bo/0" in found(violations, "2")
    # with Bo at 14:25 the same trip fits the gap exactly
    events[1] = event(p, "ect-meetings/ect-bo/0", MON11, "14:25", "south")
    trips[2] = trip(MON11, "south", "base", "15:10", 30)
    assert found(check(p, make_plan(p, events, trips)), "2") == set()
    # claiming the trip takes 30 minutes does not make it shorter than travel
    events[1] = event(p, "ect-meetings/ect-bo/0", MON11, "14:15", "south")
    short = trip(MON11, "north", "south", "13:45", 30)
    trips[1] = short
    trips[2] = trip(MON11, "south", "base", "15:00", 30)
    assert found(check(p, make_plan(p, events, trips)), "2") == {label(short)}


def test_mentor_in_two_events_at_once(problem):
    # Mon 18: em-kim covers at south 10:00-11:00; Ann's online meeting at 10:15-11:00
    # would need her at the same time
    online = event(problem, "ect-meetings/ect-ann/1", MON18, "10:15", "online")
    violations = check(problem, make_plan(problem, swap(problem, online), good_trips()))
    assert found(violations, "2") == {"ect-meetings/ect-ann/1"}
    # at 11:30, after the ride home, it clashes with nothing
    online = event(problem, "ect-meetings/ect-ann/1", MON18, "11:30", "online")
    violations = check(problem, make_plan(problem, swap(problem, online), good_trips()))
    assert found(violations, "2") == set()


def test_missing_extra_and_overlapping_trips(problem):
    good = good_trips()
    # without the south -> north trip the 13:00 meeting at north is unreachable
    no_trip = [t for t in good if (t.origin, t.dest) != ("south", "north")]
    violations = check(problem, make_plan(problem, good_events(problem), no_trip))
    assert found(violations, "2") == {"ect-meetings/ect-ann/0"}
    # a trip nothing needs
    extra = trip(THU14, "north", "south", "10:00", 40)
    violations = check(
        problem, make_plan(problem, good_events(problem), [*good, extra])
    )
    assert found(violations, "2") == {label(extra)}
    # a second trip for the same gap
    twice = trip(MON11, "south", "north", "11:00", 40)
    violations = check(
        problem, make_plan(problem, good_events(problem), [*good, twice])
    )
    assert found(violations, "2") == {label(twice)}
    # the ride home at 14:00 overlaps the online meeting 14:00-14:45
    home = trip(MON11, "north", "base", "14:00", 20)
    trips = [home if (t.date, t.dest) == (MON11, "base") else t for t in good]
    violations = check(problem, make_plan(problem, good_events(problem), trips))
    assert found(violations, "2") == {label(home)}
    # a trip whose clock times disagree with its minutes
    odd = Trip("em-kim", MON11, "south", "north", hm("10:00"), hm("10:50"), 40)
    trips = [odd if (t.date, t.origin) == (MON11, "south") else t for t in good]
    violations = check(problem, make_plan(problem, good_events(problem), trips))
    assert found(violations, "2") == {label(odd)}
