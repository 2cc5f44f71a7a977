"""``school_mentor_events``: the in-school mentor's part (issue 16).

A ``host: school-mentor`` event is held by the person's linked in-school
mentor, without an Expert Mentor, in both people's time and clear of every
other event of either; a ``with: [school-mentor]`` event invites the linked
in-school mentor too, who must be free (not teaching) and in one event at a
time. People without a link are not owed hosted events and meet alone.

The solver must not break it (tiny clusters where the earliest slot is the
wrong one, solved, with the exact plan); the checker must catch it (plans
broken by hand, with the exact violation).
"""

from __future__ import annotations

from dataclasses import replace

from check_fixtures import event as owed_event
from check_fixtures import found, make_plan
from rule_fixtures import (
    MON11,
    MON18,
    SCHOOLS,
    TUE12,
    TUE19,
    at,
    cluster,
    objective,
    solved,
    unmet_ids,
)

from mentor_sched import load
from mentor_sched.check import check

TWO_WEEKS = "2027-01-22"
MENTOR = """\
mentors:
  - {id: em-ann, name: Ann Lee, works: {mon: "08:00-17:00", tue: "08:00-17:00"}}
"""


def _hosted(sm_free: str, *, more: str = "") -> str:
    """Trainee Di teaches one observed lesson, Mon 10:00-11:00, and is free all
    Monday morning and Tue 14:00-15:00; her in-school mentor Kay is free
    ``sm_free``. Di is owed a weekly 60-minute observation and the protected
    30 minutes with Kay."""
    return cluster(
        SCHOOLS
        + MENTOR
        + f"""\
people:
  - {{id: sm-kay, name: Kay Roe, role: school-mentor, school: north, free: {sm_free}}}
  - {{id: tr-di, name: Di Moss, role: trainee, school: north, mentor: sm-kay,
     teaching: {{mon: "10:00-11:00"}},
     free: {{mon: "09:00-12:00", tue: "14:00-15:00"}}}}
{more}demand:
  - {{id: obs, kind: observation, who: {{ids: [tr-di]}}, minutes: 60}}
  - {{id: protected, kind: meeting, who: {{role: trainee}}, minutes: 30,
     host: school-mentor}}
""",
        to=TWO_WEEKS,
    )


# -- the solver keeps it ----------------------------------------------------


def test_hosted_meeting_goes_around_the_observation(tmp_path):
    """Kay is free Mon 10:00-11:00 and Tue 14:00-15:00. The earliest time both
    are free is Mon 10:00, but the observation takes Di then (her only lesson,
    60 minutes): the protected meeting goes to Tue 14:00 in both weeks (its
    weekly slot, so no pattern break). It takes no Expert Mentor time: Ann's
    event minutes and the school's minutes are the two observations' 120."""
    _, plan, _ = solved(tmp_path, _hosted('{mon: "10:00-11:00", tue: "14:00-15:00"}'))
    assert at(plan, "obs/tr-di/0") == (MON11, "10:00", "11:00", "north")
    assert at(plan, "protected/tr-di/0") == (TUE12, "14:00", "14:30", "north")
    assert at(plan, "protected/tr-di/1") == (TUE19, "14:00", "14:30", "north")
    hosted = plan.event("protected/tr-di/0")
    assert hosted is not None
    assert (hosted.mentor, hosted.host, hosted.people) == (
        None,
        "sm-kay",
        ("tr-di", "sm-kay"),
    )
    assert plan.metrics["event_minutes_by_mentor"] == {"em-ann": 120}
    assert plan.metrics["minutes_by_school"] == {"north": 120.0, "south": 0.0}
    assert plan.to_json()["events"][1]["host"] == "sm-kay"
    objective(plan, 0)


def test_hosted_meeting_is_unmet_when_the_only_shared_time_is_taken(tmp_path):
    """Kay is free only Mon 10:00-11:00, which the observation of Di takes in
    both weeks: both protected meetings are unmet (2 x 1000), saying which
    event holds their time, and none is put on top of the observation."""
    _, plan, _ = solved(tmp_path, _hosted('{mon: "10:00-11:00"}'))
    assert unmet_ids(plan) == {"protected/tr-di/0", "protected/tr-di/1"}
    reason = next(u.reason for u in plan.unmet if u.id == "protected/tr-di/0")
    assert "tr-di and sm-kay" in reason and "obs/tr-di/0" in reason
    objective(plan, 2000, unmet=2000)


def _joint(di_teaching: str) -> str:
    """Di's lessons are ``di_teaching``; her in-school mentor Kay teaches Mon
    10:00-11:00 and is free Mon 13:00-15:00. Ed (also Kay's) teaches Mon
    13:00-15:00. Each is owed a weekly joint observation with Kay; two Expert
    Mentors could take one each at the same time, and continuity is free."""
    return cluster(
        SCHOOLS
        + """\
mentors:
  - {id: em-ann, name: Ann Lee, works: {mon: "08:00-17:00"}}
  - {id: em-bo, name: Bo Hart, works: {mon: "08:00-17:00"}}
people:
  - {id: sm-kay, name: Kay Roe, role: school-mentor, school: north,
     teaching: {mon: "10:00-11:00"}, free: {mon: "13:00-15:00"}}
"""
        + f"""\
  - {{id: tr-di, name: Di Moss, role: trainee, school: north, mentor: sm-kay,
     teaching: {di_teaching}}}
  - {{id: tr-ed, name: Ed Kay, role: trainee, school: north, mentor: sm-kay,
     teaching: {{mon: "13:00-15:00"}}}}
demand:
  - {{id: jobs, kind: observation, who: {{role: trainee}}, minutes: 60,
     with: [school-mentor]}}
weights: {{continuity: 0}}
""",
        to=TWO_WEEKS,
    )


def test_joint_observation_is_unmet_when_the_in_school_mentor_teaches(tmp_path):
    """Di's only lesson is Mon 10:00-11:00, when Kay teaches: a joint observation
    needs Kay free, so Di's two are unmet (2 x 1000) with a reason naming Kay,
    and Ed's are planned with Kay."""
    _, plan, _ = solved(tmp_path, _joint('{mon: "10:00-11:00"}'))
    assert unmet_ids(plan) == {"jobs/tr-di/0", "jobs/tr-di/1"}
    reason = next(u.reason for u in plan.unmet if u.id == "jobs/tr-di/0")
    assert reason.startswith("sm-kay, the in-school mentor who joins, is not free")
    assert plan.event("jobs/tr-ed/0").people == ("tr-ed", "sm-kay")  # type: ignore[union-attr]
    objective(plan, 2000, unmet=2000)


def test_joint_observations_take_the_in_school_mentor_once_at_a_time(tmp_path):
    """Di also teaches Mon 13:00-14:00, when Kay is free: her joint observation
    goes there, not to the earlier lesson Kay teaches through. Ed's lessons
    start at 13:00 too, and two mentors could observe both at 13:00, but Kay
    can be in one: Ed's goes to 14:00, every week (no pattern break)."""
    _, plan, _ = solved(tmp_path, _joint('{mon: ["10:00-11:00", "13:00-14:00"]}'))
    for week, day in enumerate((MON11, MON18)):
        assert at(plan, f"jobs/tr-di/{week}") == (day, "13:00", "14:00", "north")
        assert at(plan, f"jobs/tr-ed/{week}") == (day, "14:00", "15:00", "north")
    objective(plan, 0)


def test_an_in_school_mentor_who_has_left_neither_joins_nor_holds(tmp_path):
    """Kay teaches through Di's only lesson (Mon 10:00) and leaves after the
    first week (present to Fri 15 Jan). In week 1 Di's joint observation needs
    Kay free and is unmet; in week 2 Kay has left, so it is the Expert
    Mentor's alone, at that lesson, and Di is owed no protected time with Kay
    (3 owed: two observations, one protected meeting)."""
    text = cluster(
        SCHOOLS
        + MENTOR
        + """\
people:
  - {id: sm-kay, name: Kay Roe, role: school-mentor, school: north,
     teaching: {mon: "10:00-11:00"}, free: {tue: "14:00-15:00"},
     present: {from: 2027-01-11, to: 2027-01-15}}
  - {id: tr-di, name: Di Moss, role: trainee, school: north, mentor: sm-kay,
     teaching: {mon: "10:00-11:00"}, free: {tue: "14:00-15:00"}}
demand:
  - {id: jobs, kind: observation, who: {role: trainee}, minutes: 60,
     with: [school-mentor]}
  - {id: protected, kind: meeting, who: {role: trainee}, minutes: 30,
     host: school-mentor}
""",
        to=TWO_WEEKS,
    )
    problem, plan, _ = solved(tmp_path, text)
    assert sorted(o.id for o in problem.owed) == [
        "jobs/tr-di/0",
        "jobs/tr-di/1",
        "protected/tr-di/0",
    ]
    assert unmet_ids(plan) == {"jobs/tr-di/0"}
    week2 = plan.event("jobs/tr-di/1")
    assert week2 is not None and week2.people == ("tr-di",)
    assert at(plan, "jobs/tr-di/1") == (MON18, "10:00", "11:00", "north")
    # the checker holds the same reading: Kay in week 2 would be wrong
    wrong = replace(week2, people=("tr-di", "sm-kay"))
    broken = replace(
        plan, events=tuple(wrong if e is week2 else e for e in plan.events)
    )
    assert any(v.rule == "school-mentor" for v in check(problem, broken))


def test_unlinked_person_is_not_owed_the_hosted_meeting_and_meets_alone(tmp_path):
    """Ed has no in-school mentor: he is owed no protected meeting (2 owed, both
    Di's), and his three-way meeting is a meeting with him alone; Di's invites
    Kay after her."""
    text = cluster(
        SCHOOLS
        + MENTOR
        + """\
people:
  - {id: sm-kay, name: Kay Roe, role: school-mentor, school: north,
     free: {tue: "14:00-15:00"}}
  - {id: tr-di, name: Di Moss, role: trainee, school: north, mentor: sm-kay,
     free: {tue: "14:00-15:00"}}
  - {id: tr-ed, name: Ed Kay, role: trainee, school: north, free: {tue: "09:00-10:00"}}
demand:
  - {id: protected, kind: meeting, who: {role: trainee}, minutes: 30,
     host: school-mentor}
  - {id: three, kind: meeting, who: {role: trainee}, minutes: 30, every: once,
     with: [school-mentor]}
""",
        to=TWO_WEEKS,
    )
    problem, plan, _ = solved(tmp_path, text)
    assert sorted(o.id for o in problem.owed) == [
        "protected/tr-di/0",
        "protected/tr-di/1",
        "three/tr-di",
        "three/tr-ed",
    ]
    assert plan.event("three/tr-ed").people == ("tr-ed",)  # type: ignore[union-attr]
    assert plan.event("three/tr-di").people == ("tr-di", "sm-kay")  # type: ignore[union-attr]
    objective(plan, 0)


# -- the checker catches it ---------------------------------------------------


def _problem(tmp_path):
    text = _hosted(
        '{mon: "10:00-11:00", tue: "14:00-15:00"}',
        more="  - {id: sm-lu, name: Lu Park, role: school-mentor, school: north, "
        'free: {tue: "14:00-15:00"}}\n',
    ).replace(
        "  - {id: obs, kind: observation, who: {ids: [tr-di]}, minutes: 60}",
        "  - {id: obs, kind: observation, who: {ids: [tr-di]}, minutes: 60,\n"
        "     with: [school-mentor]}",
    )
    path = tmp_path / "cluster.yaml"
    path.write_text(text, encoding="utf-8")
    return load(path)


def _hosted_event(problem, owed_id, day, start, **changes):
    e = owed_event(problem, owed_id, day, start, "north", mentor="em-ann")
    return replace(e, **{"mentor": None, "host": "sm-kay", **changes})


def test_checker_accepts_hosted_and_three_way_events(tmp_path):
    """Di's joint observation with Kay Mon 10:00 and the protected meeting Tue
    14:00, each as its rule asks: nothing to report."""
    problem = _problem(tmp_path)
    events = [
        owed_event(problem, "obs/tr-di/0", MON11, "10:00", "north", mentor="em-ann"),
        _hosted_event(problem, "protected/tr-di/0", TUE12, "14:00"),
    ]
    assert check(problem, make_plan(problem, events, [])) == []


def test_checker_catches_a_wrong_host_and_an_expert_mentor_on_it(tmp_path):
    """Held by Lu, who is not Di's in-school mentor; and one with Ann named."""
    problem = _problem(tmp_path)
    wrong = _hosted_event(problem, "protected/tr-di/0", TUE12, "14:00", host="sm-lu")
    named = _hosted_event(problem, "protected/tr-di/1", TUE19, "14:00", mentor="em-ann")
    violations = check(problem, make_plan(problem, [wrong, named], []))
    assert found(violations, "school-mentor") == {
        "protected/tr-di/0",
        "protected/tr-di/1",
    }
    texts = {str(v) for v in violations if v.rule == "school-mentor"}
    assert (
        "rule school-mentor (school_mentor_events): protected/tr-di/0: hosted by "
        "sm-lu, but tr-di's in-school mentor is sm-kay"
    ) in texts
    assert any("em-ann is named as its Expert Mentor" in t for t in texts)


def test_checker_catches_a_hosted_meeting_on_top_of_the_observation(tmp_path):
    """The protected meeting Mon 10:00, during Di's observation: rule 5 (Di and
    Kay would be in two events at once)."""
    problem = _problem(tmp_path)
    events = [
        owed_event(problem, "obs/tr-di/0", MON11, "10:00", "north", mentor="em-ann"),
        _hosted_event(problem, "protected/tr-di/0", MON11, "10:00"),
    ]
    violations = check(problem, make_plan(problem, events, []))
    assert found(violations, "5") == {"protected/tr-di/0"}
    assert {v.message.split(" would")[0] for v in violations if v.rule == "5"} == {
        "tr-di",
        "sm-kay",
    }


def test_checker_catches_a_three_way_event_without_the_linked_mentor(tmp_path):
    """Di's joint observation planned without Kay, who is her linked
    in-school mentor and free then."""
    problem = _problem(tmp_path)
    alone = replace(
        owed_event(problem, "obs/tr-di/0", MON11, "10:00", "north", mentor="em-ann"),
        people=("tr-di",),
    )
    violations = check(problem, make_plan(problem, [alone], []))
    assert found(violations, "school-mentor") == {"obs/tr-di/0"}
    assert any(
        v.message == "invites tr-di; it leaves out tr-di's in-school mentor sm-kay"
        for v in violations
    )
