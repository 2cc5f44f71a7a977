"""Rule 3, ``base_trips``.

With ``base``, the first trip of the day leaves it no earlier than the
start of ``works`` and the last returns no later than its end.

The solver must not break it (a tiny cluster where breaking it would be
cheaper, solved, with the exact plan); the checker must catch it (a plan
broken by hand, with the exact violation).
"""

from __future__ import annotations

from check_fixtures import (
    MON11,
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
    hhmm,
    objective,
    solved,
    trips,
    unmet_ids,
)

from mentor_sched.check import check
from mentor_sched.plan import Trip

# -- the solver keeps it ----------------------------------------------------

RULE3 = cluster(
    SCHOOLS
    + """\
mentors:
  - id: em-kim
    name: Kim Ward
    base: {lat: 52.05, lon: 0.75}
    works: {mon: "09:00-17:00"}
people:
  - {id: ect-al, name: Al Shaw, role: ect, school: north, free: {mon: "09:00-10:00"}}
  - {id: ect-bo, name: Bo Hart, role: ect, school: north, free: {mon: "16:00-17:00"}}
  - {id: ect-cy, name: Cy Dunn, role: ect, school: north, free: {mon: "13:00-14:00"}}
demand:
  - {id: meet, kind: meeting, who: {role: ect}, minutes: 60}
""",
    travel="[north, south, 40]; [em-kim, north, 30]; [em-kim, south, 30]",
)


def test_rule3_base_trips(tmp_path):
    """Kim's base is 30 minutes from North and she works 09:00-17:00. Al's
    09:00 meeting would need her to leave base at 08:30, Bo's 16:00-17:00 one
    to be home at 17:30: both are unmet although the events themselves lie in
    her hours. Cy's 13:00 meeting is held with both base trips."""
    _, plan, _ = solved(tmp_path, RULE3)
    assert unmet_ids(plan) == {"meet/ect-al/0", "meet/ect-bo/0"}
    assert at(plan, "meet/ect-cy/0") == (MON11, "13:00", "14:00", "north")
    assert trips(plan) == [
        ("em-kim", MON11, "base", "north", "12:30", "13:00", 30),
        ("em-kim", MON11, "north", "base", "14:00", "14:30", 30),
    ]
    # two unmet 2000 + two base legs of 30 minutes
    objective(plan, 2060, unmet=2000, travel=60)


def test_rule3_base_at_a_school(tmp_path):
    """With ``base: north`` the day starts and ends at North: a North meeting
    needs no trip, a South one a trip each way inside working hours."""
    text = cluster(
        SCHOOLS
        + """\
mentors:
  - {id: em-kim, name: Kim Ward, base: north, works: {mon: "09:00-17:00"}}
people:
  - {id: ect-al, name: Al Shaw, role: ect, school: north, free: {mon: "09:00-10:00"}}
  - {id: ect-bo, name: Bo Hart, role: ect, school: south, free: {mon: "09:20-10:20"}}
  - {id: ect-cy, name: Cy Dunn, role: ect, school: south, free: {mon: "15:00-16:30"}}
demand:
  - {id: meet, kind: meeting, who: {role: ect}, minutes: 60}
""",
        travel="[north, south, 40]",
    )
    _, plan, _ = solved(tmp_path, text)
    # Bo's 09:20 start would need a 08:40 departure: unmet
    assert unmet_ids(plan) == {"meet/ect-bo/0"}
    assert at(plan, "meet/ect-al/0") == (MON11, "09:00", "10:00", "north")
    # Cy: any start 15:00..15:30 is home by 17:00; the solver leaves just in time
    day, start, end, venue = at(plan, "meet/ect-cy/0")
    assert (day, venue) == (MON11, "south")
    assert "15:00" <= start <= "15:30"
    assert trips(plan) == [
        ("em-kim", MON11, "north", "south", "10:00", "10:40", 40),
        ("em-kim", MON11, "south", "base", end, hhmm(hm(end) + 40), 40),
    ]
    objective(plan, 1080, unmet=1000, travel=80)


# -- the checker catches it ------------------------------------------------


def test_base_trips(problem):
    assert found(check(problem, good_plan(problem)), "3") == set()
    good = good_trips()
    # no trip from base before the first visit of Mon 11 (the observation at south)
    trips = [t for t in good if (t.date, t.origin) != (MON11, "base")]
    violations = check(problem, make_plan(problem, good_events(problem), trips))
    assert found(violations, "3") == {"ect-obs/ect-bo"}
    # leaving base at 07:30, before works starts at 08:00
    early = trip(MON11, "base", "south", "07:30", 30)
    trips = [early if (t.date, t.origin) == (MON11, "base") else t for t in good]
    violations = check(problem, make_plan(problem, good_events(problem), trips))
    assert found(violations, "3") == {label(early)}
    # 20 minutes claimed from base to south, which is 30 away
    quick = trip(MON11, "base", "south", "08:40", 20)
    trips = [quick if (t.date, t.origin) == (MON11, "base") else t for t in good]
    violations = check(problem, make_plan(problem, good_events(problem), trips))
    assert found(violations, "3") == {label(quick)}


def test_base_trip_back_after_works_ends(problem):
    # Thu 14: topic-1 at 16:00-17:00 ends when works ends (17:00): home at 17:20
    topic = event(problem, "ccf/topic-1", THU14, "16:00", "north")
    late = trip(THU14, "north", "base", "17:00", 20)
    trips = [late if (t.date, t.dest) == (THU14, "base") else t for t in good_trips()]
    violations = check(problem, make_plan(problem, swap(problem, topic), trips))
    assert found(violations, "3") == {label(late)}


def test_no_base_no_base_trips(problem):
    # em-lee has no base: her day starts at the first visit
    meeting = event(
        problem, "ect-meetings/ect-ann/0", MON11, "13:00", "north", "em-lee"
    )
    assert found(check(problem, make_plan(problem, [meeting], [])), "3") == set()
    home = Trip("em-lee", MON11, "north", "base", hm("14:00"), hm("14:20"), 20)
    violations = check(problem, make_plan(problem, [meeting], [home]))
    assert found(violations, "3") == {label(home)}
