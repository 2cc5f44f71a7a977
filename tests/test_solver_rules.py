"""The solver against each hard rule (cluster-format.md, rules 1-8).

Every test builds a tiny cluster in which breaking the rule would be cheaper
than keeping it, solves it, and asserts that the plan keeps the rule (the
concrete events and trips), that the independent checker finds nothing, and
the exact objective, derived by hand in a comment. Default weights: unmet
1000 (times priority), missed attendance 200, travel 1 per minute, pattern 20,
share 5.

All clusters plan from Mon 2027-01-11 (week 0), with no bank holidays, 5-minute
slots, and travel times fixed with ``travel.minutes`` so that they are exact.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from mentor_sched import load
from mentor_sched.check import check
from mentor_sched.cli import main
from mentor_sched.input import InputErrors
from mentor_sched.plan import Event, Plan, Status, Trip
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


def hm(text: str) -> int:
    h, m = text.split(":")
    return int(h) * 60 + int(m)


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
    return e.date, _t(e.start), _t(e.end), e.venue


def _t(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def trips(plan: Plan) -> list[tuple]:
    """(mentor, date, from, to, depart, arrive, minutes) of every trip."""
    return [
        (t.mentor, t.date, t.origin, t.dest, _t(t.depart), _t(t.arrive), t.minutes)
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
    }
    want.update(terms)
    assert got == want
    assert sum(want.values()) == expected
    assert plan.solver.objective == expected


# -- rule 1 ------------------------------------------------------------------------


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


# -- rule 2 ------------------------------------------------------------------------


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


# -- rule 3 ------------------------------------------------------------------------


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
        ("em-kim", MON11, "south", "base", end, _t(hm(end) + 40), 40),
    ]
    objective(plan, 1080, unmet=1000, travel=80)


# -- rule 4 ------------------------------------------------------------------------


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


# -- rule 5 ------------------------------------------------------------------------


def test_rule5_person_attendance(tmp_path):
    """A person attends one event at a time, even with two mentors: trainee Di
    is invited to an online group session Mon 10:00-11:00 and is free for her
    own meeting only then. Ann and Lee could each take one at the same hour;
    rule 5 allows only one, so one of the two is unmet."""
    text = cluster(
        SCHOOLS
        + """\
mentors:
  - {id: em-ann, name: Ann Lee, works: {mon: "08:00-17:00"}}
  - {id: em-lee, name: Lee Fox, works: {mon: "08:00-17:00"}}
people:
  - {id: tr-di, name: Di Moss, role: trainee, school: north, free: {mon: "10:00-11:00"}}
  - {id: tr-ed, name: Ed Kay, role: trainee, school: south}
demand:
  - id: ccf
    kind: group
    who: {role: trainee}
    minutes: 60
    venues: [online]
    window: {days: [mon], time: "10:00-11:00"}
  - {id: meet, kind: meeting, who: {ids: [tr-di]}, minutes: 60}
""",
    )
    _, plan, _ = solved(tmp_path, text)
    assert len(plan.events) == 1
    assert len(plan.unmet) == 1
    e = plan.events[0]
    assert (e.date, _t(e.start)) == (MON11, "10:00")
    objective(plan, 1000, unmet=1000)


def test_rule5_missed_people_do_not_attend(tmp_path):
    """A group session lists as missed exactly the invited people who cannot
    attend: in week 0 Di is away all Wednesday, so holding the Wednesday
    session costs one missed attendance (200), less than leaving it unmet."""
    text = cluster(
        SCHOOLS
        + """\
mentors:
  - {id: em-ann, name: Ann Lee, works: {wed: "08:00-17:00"}}
people:
  - {id: tr-di, name: Di Moss, role: trainee, school: north, away: [{on: 2027-01-13}]}
  - id: tr-ed
    name: Ed Kay
    role: trainee
    school: south
    away: [{on: 2027-01-20, time: "15:30-16:00"}]
  - {id: tr-fy, name: Fy Cole, role: trainee, school: south}
demand:
  - id: ccf
    kind: group
    who: {role: trainee}
    minutes: 60
    venues: [online]
    window: {days: [wed], time: "15:00-16:00"}
""",
        to="2027-01-22",
    )
    _, plan, _ = solved(tmp_path, text)
    w0, w1 = plan.event("ccf/0"), plan.event("ccf/1")
    assert (w0.date, _t(w0.start), w0.missed) == (WED13, "15:00", ("tr-di",))
    # Ed is away 15:30-16:00 on Wed 20, the only possible hour: he misses it
    assert (w1.date, _t(w1.start), w1.missed) == (WED20, "15:00", ("tr-ed",))
    assert plan.metrics["missed_attendance"] == 2
    objective(plan, 400, missed_attendance=400)


def test_rule5_meeting_in_free_observation_in_teaching(tmp_path):
    """Al is free 09:00-11:00 and teaches 14:00-15:00; Ann works until 12:00.
    The observation cannot move into the free morning (rule 5): it is unmet.
    The cover is held at exactly its ``at`` time."""
    text = cluster(
        SCHOOLS
        + """\
mentors:
  - {id: em-ann, name: Ann Lee, works: {mon: "08:00-12:00"}}
people:
  - id: ect-al
    name: Al Shaw
    role: ect
    school: north
    free: {mon: "09:00-11:00"}
    teaching: {mon: "14:00-15:00"}
  - {id: sm-eve, name: Eve Lake, role: school-mentor, school: north}
demand:
  - {id: meet, kind: meeting, who: {ids: [ect-al]}, minutes: 60}
  - {id: obs, kind: observation, who: {ids: [ect-al]}, minutes: 60}
  - id: cover-eve
    kind: cover
    who: {ids: [sm-eve]}
    at: {date: 2027-01-11, time: "11:00-11:45"}
""",
    )
    _, plan, _ = solved(tmp_path, text)
    assert unmet_ids(plan) == {"obs/ect-al/0"}
    assert at(plan, "cover-eve") == (MON11, "11:00", "11:45", "north")
    day, start, end, venue = at(plan, "meet/ect-al/0")
    assert (day, venue) == (MON11, "north")
    assert start >= "09:00" and end <= "11:00"
    objective(plan, 1000, unmet=1000)


# -- rule 6 ------------------------------------------------------------------------


def test_rule6_phases(tmp_path):
    """Sam serves secondary schools only and works Monday; Pat serves primary
    only and works Tuesday. Al (North, primary) is free only Monday: Sam could
    see him at no cost but may not, so his meeting is unmet. Bo (South,
    secondary) is seen by Sam. A group of both needs one mentor serving both
    phases: there is none, so it is unmet whatever its window."""
    text = cluster(
        SCHOOLS
        + """\
mentors:
  - {id: em-sam, name: Sam Hill, works: {mon: "08:00-17:00"}, phases: [secondary]}
  - {id: em-pat, name: Pat Rowe, works: {tue: "08:00-17:00"}, phases: [primary]}
people:
  - {id: ect-al, name: Al Shaw, role: ect, school: north, free: {mon: "10:00-11:00"}}
  - {id: ect-bo, name: Bo Hart, role: ect, school: south, free: {mon: "10:00-11:00"}}
demand:
  - {id: meet, kind: meeting, who: {role: ect}, minutes: 60}
  - id: ect-group
    kind: group
    who: {role: ect}
    minutes: 60
    venues: [online]
    window: {time: "15:00-16:00"}
""",
    )
    _, plan, _ = solved(tmp_path, text)
    assert unmet_ids(plan) == {"meet/ect-al/0", "ect-group/0"}
    bo = plan.event("meet/ect-bo/0")
    assert (bo.mentor, bo.date, _t(bo.start)) == ("em-sam", MON11, "10:00")
    reasons = {u.id: u.reason for u in plan.unmet}
    assert "primary and secondary" in reasons["ect-group/0"]
    assert "phases" in reasons["ect-group/0"]
    objective(plan, 2000, unmet=2000)


# -- rule 7 ------------------------------------------------------------------------


RULE7 = cluster(
    SCHOOLS
    + """\
mentors:
  - {id: em-kim, name: Kim Ward, base: south, works: {wed: "08:00-17:00"}}
people:
  - {id: tr-di, name: Di Moss, role: trainee, school: north, away: [{on: 2027-01-13}]}
  - {id: tr-ed, name: Ed Kay, role: trainee, school: south}
demand:
  - id: ccf
    kind: group
    who: {role: trainee}
    minutes: 60
    venues: [north]
    window: {days: [wed], time: "15:00-16:00"}
    topics: [Expectations, Behaviour]
""",
    to="2027-01-22",
    travel="[north, south, 40]",
)


def test_rule7_group_topics_in_order(tmp_path):
    """Two topics, one Wednesday hour a week, at North only, Kim based at South
    40 minutes away. Di is away in week 0, so the cheapest plan that broke the
    rules would hold both topics in week 1 (no one missing) or at South (no
    travel). Topics go one per period, in order, at a listed venue: topic 1 in
    week 0 with Di missing, topic 2 in week 1."""
    _, plan, _ = solved(tmp_path, RULE7)
    one, two = plan.event("ccf/topic-1"), plan.event("ccf/topic-2")
    assert (one.date, _t(one.start), one.venue, one.topic, one.period) == (
        WED13,
        "15:00",
        "north",
        "Expectations",
        0,
    )
    assert one.missed == ("tr-di",)
    assert (two.date, _t(two.start), two.venue, two.topic, two.period) == (
        WED20,
        "15:00",
        "north",
        "Behaviour",
        1,
    )
    assert two.missed == ()
    assert trips(plan) == [
        ("em-kim", WED13, "base", "north", "14:20", "15:00", 40),
        ("em-kim", WED13, "north", "base", "16:00", "16:40", 40),
        ("em-kim", WED20, "base", "north", "14:20", "15:00", 40),
        ("em-kim", WED20, "north", "base", "16:00", "16:40", 40),
    ]
    # one missed attendance 200 + four 40-minute legs 160
    objective(plan, 360, missed_attendance=200, travel=160)


def test_rule7_topics_never_share_a_period(tmp_path):
    """Three topics but only two weeks: two sessions, in order, in distinct
    weeks, rather than two in one week; the third is unmet and says why."""
    text = RULE7.replace(
        "[Expectations, Behaviour]", "[Expectations, Behaviour, Safety]"
    )
    _, plan, _ = solved(tmp_path, text)
    assert [e.period for e in plan.events] == [0, 1]
    numbers = [int(e.id.rsplit("-", 1)[1]) for e in plan.events]
    assert numbers[0] < numbers[1]
    [u] = plan.unmet
    assert "order" in u.reason and "period" in u.reason
    objective(plan, 1360, unmet=1000, missed_attendance=200, travel=160)


# -- rule 8 ------------------------------------------------------------------------


RULE8 = cluster(
    SCHOOLS
    + """\
mentors:
  - id: em-kim
    name: Kim Ward
    base: {lat: 52.05, lon: 0.75}
    works: {mon: "08:00-17:00", tue: "08:00-17:00"}
people:
  - {id: ect-al, name: Al Shaw, role: ect, school: north, free: {mon: "10:00-11:00"}}
  - id: ect-bo
    name: Bo Hart
    role: ect
    school: north
    free: {mon: "11:00-12:00", tue: "11:00-12:00"}
  - id: ect-cy
    name: Cy Dunn
    role: ect
    school: south
    free: {mon: ["10:00-11:00", "14:00-15:00"]}
demand:
  - {id: meet, kind: meeting, who: {ids: [ect-al, ect-bo]}, minutes: 60}
  - {id: talk, kind: meeting, who: {ids: [ect-cy]}, minutes: 60, online_ok: true}
""",
    travel="[north, south, 40]; [em-kim, north, 30]; [em-kim, south, 30]",
)

PINS = """\
pins:
  - {demand: meet, person: ect-bo, date: 2027-01-12, start: "11:00"}
  - {demand: talk, person: ect-cy, date: 2027-01-11, start: "14:00"}
"""


def test_rule8_unpinned_plan_for_comparison(tmp_path):
    """Without pins: Al and Bo back to back at North on Monday (one round trip,
    30 + 30), Cy online at 14:00 (no travel)."""
    _, plan, _ = solved(tmp_path, RULE8)
    assert at(plan, "meet/ect-al/0") == (MON11, "10:00", "11:00", "north")
    assert at(plan, "meet/ect-bo/0") == (MON11, "11:00", "12:00", "north")
    assert at(plan, "talk/ect-cy/0") == (MON11, "14:00", "15:00", "online")
    assert trips(plan) == [
        ("em-kim", MON11, "base", "north", "09:30", "10:00", 30),
        ("em-kim", MON11, "north", "base", "12:00", "12:30", 30),
    ]
    objective(plan, 60, travel=60)


def test_rule8_pins_hold(tmp_path):
    """Bo is pinned to Tuesday although Monday, right after Al, would save a
    round trip; Cy is pinned at 14:00 in person (no venue: her school), though
    online would save the drive to South. The pins hold exactly."""
    problem, plan, _ = solved(tmp_path, RULE8 + PINS)
    assert [p.event for p in problem.pins] == ["meet/ect-bo/0", "talk/ect-cy/0"]
    bo = plan.event("meet/ect-bo/0")
    assert (bo.date, _t(bo.start), bo.venue, bo.mentor) == (
        TUE12,
        "11:00",
        "north",
        "em-kim",
    )
    assert at(plan, "talk/ect-cy/0") == (MON11, "14:00", "15:00", "south")
    assert at(plan, "meet/ect-al/0") == (MON11, "10:00", "11:00", "north")
    assert trips(plan) == [
        ("em-kim", MON11, "base", "north", "09:30", "10:00", 30),
        ("em-kim", MON11, "north", "south", "11:00", "11:40", 40),
        ("em-kim", MON11, "south", "base", "15:00", "15:30", 30),
        ("em-kim", TUE12, "base", "north", "10:30", "11:00", 30),
        ("em-kim", TUE12, "north", "base", "12:00", "12:30", 30),
    ]
    # Monday 30 + 40 + 30, Tuesday 30 + 30; nothing unmet
    objective(plan, 160, travel=160)


CONTRADICTING_PINS = """\
pins:
  - {demand: meet, person: ect-al, date: 2027-01-11, start: "10:00"}
  - {demand: talk, person: ect-cy, date: 2027-01-11, start: "10:00"}
"""


def test_rule8_contradicting_pins_are_a_conflict(tmp_path):
    """Al at North and Cy at South, both pinned at Mon 10:00 in person: each
    pin holds on its own, together they need Kim in two places."""
    problem = load(write(tmp_path, RULE8 + CONTRADICTING_PINS))
    result = solve(problem, time_limit=TIME_LIMIT, workers=1)
    assert result.status == Status.INFEASIBLE
    assert result.plan.solver.status == Status.INFEASIBLE
    assert sorted(result.conflict) == ["meet/ect-al/0", "talk/ect-cy/0"]


def test_rule8_contradicting_pins_exit_3(tmp_path):
    path = write(tmp_path, RULE8 + CONTRADICTING_PINS)
    out = tmp_path / "out"
    run = CliRunner().invoke(main, ["solve", str(path), "--out", str(out), "-q"])
    assert run.exit_code == 3, run.output
    assert "meet/ect-al/0" in run.output
    assert "talk/ect-cy/0" in run.output
    assert not (out / "plan.json").exists()


def test_rule8_pin_breaking_a_hard_rule_is_an_input_error(tmp_path):
    """Bo is not free on Wednesday (and Kim does not work it): the pin can
    never hold, which is an input error, not an unmet event."""
    bad = (
        "pins:\n  - {demand: meet, person: ect-bo, date: 2027-01-13, start: '11:00'}\n"
    )
    path = write(tmp_path, RULE8 + bad)
    with pytest.raises(InputErrors) as exc:
        load(path)
    assert any("hard rule" in e.message for e in exc.value.errors)
    run = CliRunner().invoke(main, ["solve", str(path), "--out", str(tmp_path / "o")])
    assert run.exit_code == 2
    assert "hard rule" in run.output
    assert "Traceback" not in run.output
    assert not (tmp_path / "o" / "plan.json").exists()


# -- unmet reasons, rhythm, repeatability ---------------------------------------


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


def test_events_and_trips_are_sorted(tmp_path):
    """plan-format.md: events by date, start, mentor, id; travel by mentor,
    date, depart; one list entry per trip (no duplicates)."""
    _, plan, _ = solved(tmp_path, RULE7)
    assert list(plan.events) == sorted(plan.events, key=Event.sort_key)
    assert list(plan.travel) == sorted(plan.travel, key=Trip.sort_key)
    assert len(set(plan.travel)) == len(plan.travel)
