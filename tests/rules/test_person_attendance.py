"""Rule 5, ``person_attendance``.

A person attends one event at a time and only when available (a group's
``missed`` do not attend); a meeting in free time, an observation in teaching
time, a cover exactly at ``at``.

The solver must not break it (a tiny cluster where breaking it would be
cheaper, solved, with the exact plan); the checker must catch it (a plan
broken by hand, with the exact violation).
"""

from __future__ import annotations

import pytest
from check_fixtures import (
    MON11,
    MON18,
    THU14,
    THU21,
    TUE12,
    WED13,
    event,
    found,
    good_plan,
    good_trips,
    make_plan,
    swap,
    trip,
)
from rule_fixtures import (
    SCHOOLS,
    WED20,
    at,
    cluster,
    hhmm,
    objective,
    solved,
    unmet_ids,
)

from mentor_sched.check import check

# -- the solver keeps it ----------------------------------------------------


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
    assert (e.date, hhmm(e.start)) == (MON11, "10:00")
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
    assert (w0.date, hhmm(w0.start), w0.missed) == (WED13, "15:00", ("tr-di",))
    # Ed is away 15:30-16:00 on Wed 20, the only possible hour: he misses it
    assert (w1.date, hhmm(w1.start), w1.missed) == (WED20, "15:00", ("tr-ed",))
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


# -- the checker catches it ------------------------------------------------


def test_person_attendance(problem):
    assert found(check(problem, good_plan(problem)), "5") == set()


@pytest.mark.parametrize(
    ("owed_id", "day", "start", "venue", "why"),
    [
        # Bo is in on mon, tue and thu only
        ("ect-meetings/ect-bo/0", WED13, "14:00", "online", "not available"),
        # Ann is away Tue 12 14:00-15:00
        ("ect-meetings/ect-ann/0", TUE12, "14:00", "north", "away 2027-01-12"),
        # Ann is free Mon 13:00-15:00
        ("ect-meetings/ect-ann/0", MON11, "12:15", "north", "free time"),
        # Bo teaches Mon 09:00-12:00
        ("ect-obs/ect-bo", MON11, "13:00", "south", "teaching time"),
        # an observation is at the person's school, never online
        ("ect-obs/ect-bo", MON11, "09:00", "online", "not at online"),
        # a meeting is at the person's school (or online)
        ("ect-meetings/ect-ann/0", MON11, "13:00", "south", "not at south"),
        # the cover is exactly Mon 18 10:00-11:00
        ("cover-eve", MON18, "10:05", "south", "exactly"),
    ],
)
def test_person_attendance_each_part(problem, owed_id, day, start, venue, why):
    bad = event(problem, owed_id, day, start, venue, "em-lee")
    rule5 = [v for v in check(problem, make_plan(problem, [bad], [])) if v.rule == "5"]
    assert [v.event for v in rule5] == [owed_id]
    assert why in rule5[0].message


def test_person_in_two_events_at_once(problem):
    # Bo: observation Thu 14 11:00-12:00 with em-kim, meeting 11:00-11:45 online with
    # em-lee (Bo is both teaching and free then, so only the clash is wrong)
    p = problem
    obs = event(p, "ect-obs/ect-bo", THU14, "11:00", "south")
    meet = event(p, "ect-meetings/ect-bo/0", THU14, "11:00", "online", "em-lee")
    trips = [
        trip(THU14, "base", "south", "10:30", 30),
        trip(THU14, "south", "base", "12:00", 30),
    ]
    violations = check(p, make_plan(p, [obs, meet], trips))
    assert found(violations, "5") == {"ect-obs/ect-bo"}
    # an hour later the meeting clashes with nothing
    meet = event(p, "ect-meetings/ect-bo/0", THU14, "12:00", "online", "em-lee")
    assert found(check(p, make_plan(p, [obs, meet], trips)), "5") == set()


def test_group_missed_lists_exactly_who_cannot_come(problem):
    # Thu 21: Di is away all day, Cy is in: missed must be exactly (tr-di,)
    for missed in ((), ("tr-cy", "tr-di")):
        topic = event(problem, "ccf/topic-2", THU21, "15:00", "online", missed=missed)
        plan = make_plan(problem, swap(problem, topic), good_trips())
        assert found(check(problem, plan), "5") == {"ccf/topic-2"}
