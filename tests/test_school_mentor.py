"""The in-school mentor's part of issue 16 beyond its rule
(tests/rules/test_school_mentor_events.py): the input fields ``with`` and
``host`` and their errors, plan.json's ``host``, the outputs that show the
events, and a re-plan that keeps hosted events where they were."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from clusters import errors_of, line_of, write

from mentor_sched import load
from mentor_sched.check import check
from mentor_sched.outputs import write_outputs
from mentor_sched.plan import Plan
from mentor_sched.problem import Revision
from mentor_sched.solver import solve

CLUSTER = """\
version: 1
cluster:
  name: Heath Cluster
  horizon: {from: 2027-01-11, to: 2027-01-22}
calendar: {bank_holidays: none}
schools:
  - {id: north, name: North Primary, phase: primary, location: {lat: 52.0, lon: 0.7}}
  - {id: south, name: South Primary, phase: primary, location: {lat: 52.1, lon: 0.8}}
mentors:
  - {id: em-ann, name: Ann Lee, works: {mon: "08:00-17:00", tue: "08:00-17:00"}}
people:
  - {id: sm-kay, name: Kay Roe, role: school-mentor, school: north,
     free: {mon: "10:00-11:00", tue: "14:00-15:00"}}
  - {id: tr-di, name: Di Moss, role: trainee, school: north, mentor: sm-kay,
     teaching: {mon: "10:00-11:00"}, free: {mon: "09:00-12:00", tue: "14:00-15:00"}}
  - {id: tr-ed, name: Ed Kay, role: trainee, school: south, free: {tue: "09:00-10:00"}}
demand:
  - {id: obs, kind: observation, who: {ids: [tr-di]}, minutes: 60}
  - {id: protected, kind: meeting, who: {role: trainee}, minutes: 30,
     host: school-mentor}
  - {id: three, kind: meeting, who: {role: trainee}, minutes: 30, every: once,
     with: [school-mentor]}
"""


def _swap(old: str, new: str) -> str:
    assert CLUSTER.count(old) == 1, old
    return CLUSTER.replace(old, new)


# -- input ----------------------------------------------------------------------

BAD = [
    pytest.param(
        "  - {id: obs, kind: observation, who: {ids: [tr-di]}, minutes: 60}\n",
        "  - {id: obs, kind: group, who: {ids: [tr-di]}, minutes: 60,\n"
        "     venues: [north], window: {time: '09:00-12:00'}, with: [school-mentor]}\n",
        r"with: \[school-mentor\]",
        "demand[0].with",
        "'with' does not apply to a group",
        "'with' is for meeting and observation demands",
        id="with-on-a-group",
    ),
    pytest.param(
        "     with: [school-mentor]}\n",
        "     with: [teacher]}\n",
        r"with: \[teacher\]",
        "demand[2].with[0]",
        "not an allowed value",
        "use one of 'school-mentor'",
        id="with-unknown-value",
    ),
    pytest.param(
        "     host: school-mentor}\n",
        "     host: expert}\n",
        "host: expert",
        "demand[1].host",
        "not an allowed value",
        "use one of 'school-mentor'",
        id="host-unknown-value",
    ),
    pytest.param(
        "     host: school-mentor}\n",
        "     host: school-mentor, with: [school-mentor]}\n",
        "host: school-mentor, with",
        "demand[1].with",
        "'with' does not apply to a demand with 'host'",
        "remove 'with'",
        id="host-and-with",
    ),
    pytest.param(
        "     host: school-mentor}\n",
        "     host: school-mentor, when: mentor-away}\n",
        "when: mentor-away",
        "demand[1].when",
        "'when: mentor-away' does not apply to a demand with 'host'",
        "remove 'host'",
        id="host-and-mentor-away",
    ),
    pytest.param(
        "  - {id: protected, kind: meeting, who: {role: trainee}, minutes: 30,\n",
        "  - {id: protected, kind: meeting, who: {ids: [tr-ed]}, minutes: 30,\n",
        "host: school-mentor",
        "demand[1].host",
        "none of the people this demand selects has an in-school mentor",
        "add 'mentor: <school-mentor id>'",
        id="host-for-nobody-linked",
    ),
]


@pytest.mark.parametrize(("old", "new", "line", "path", "message", "hint"), BAD)
def test_bad_with_and_host_are_input_errors(
    tmp_path, old, new, line, path, message, hint
):
    """Each mistake is one error at its line and field, with a hint."""
    text = _swap(old, new)
    errors = errors_of(tmp_path, text)
    assert len(errors) == 1, errors
    (e,) = errors
    assert (e.line, e.path) == (line_of(text, line), path)
    assert message in e.message + (e.value or "")
    assert hint in e.hint


def test_host_on_a_cover_is_an_input_error(tmp_path):
    text = CLUSTER + (
        "  - {id: cov, kind: cover, who: {ids: [sm-kay]}, host: school-mentor,\n"
        "     at: {date: 2027-01-12, time: '14:00-15:00'}}\n"
    )
    (e,) = errors_of(tmp_path, text)
    assert (e.line, e.path) == (line_of(text, "kind: cover"), "demand[3].host")
    assert e.message == "'host' does not apply to a cover"


def test_a_pin_on_a_hosted_demand_is_an_input_error(tmp_path):
    text = CLUSTER + (
        "pins:\n"
        "  - {demand: protected, person: tr-di, date: 2027-01-12, start: '14:00'}\n"
    )
    (e,) = errors_of(tmp_path, text)
    assert e.path == "pins[0].demand"
    assert "held by in-school mentors" in e.message


def test_without_with_and_host_everything_is_as_before(tmp_path):
    """A meeting of a linked person without ``with`` invites them alone, and no
    demand is hosted: the owed events of every existing file stay the same."""
    text = CLUSTER.replace("     with: [school-mentor]}", "  }").replace(
        "  - {id: protected, kind: meeting, who: {role: trainee}, minutes: 30,\n"
        "     host: school-mentor}\n",
        "",
    )
    problem = load(write(tmp_path, text))
    assert {o.id: o.people for o in problem.owed if o.demand == "three"} == {
        "three/tr-di": ("tr-di",),
        "three/tr-ed": ("tr-ed",),
    }
    assert all(o.host is None for o in problem.owed)


# -- plan.json and outputs -------------------------------------------------------


@pytest.fixture(scope="module")
def solved(tmp_path_factory):
    folder = tmp_path_factory.mktemp("heath")
    problem = load(write(folder, CLUSTER, "cluster.yaml"))
    plan = solve(problem, time_limit=10, workers=1).plan
    assert check(problem, plan) == []
    write_outputs(problem, plan, folder / "out")
    return problem, plan, folder / "out"


def test_plan_json_names_the_host_only_on_hosted_events(solved):
    """Two hosted events (Di's two weeks; Ed has no link) carry ``host`` and
    ``mentor: null``; the other four keep plan.json's shape exactly."""
    _, plan, out = solved
    events = json.loads((out / "plan.json").read_text())["events"]
    hosted = [e for e in events if "host" in e]
    assert [(e["id"], e["mentor"], e["host"], e["people"]) for e in hosted] == [
        ("protected/tr-di/0", None, "sm-kay", ["tr-di", "sm-kay"]),
        ("protected/tr-di/1", None, "sm-kay", ["tr-di", "sm-kay"]),
    ]
    assert len(events) == 6 and all(
        e["mentor"] == "em-ann" for e in events if "host" not in e
    )
    assert Plan.read(out / "plan.json").events == plan.events


def _summaries(path: Path) -> list[str]:
    return [
        line[len("SUMMARY:") :]
        for line in path.read_bytes().decode().replace("\r\n ", "").splitlines()
        if line.startswith("SUMMARY:")
    ]


def test_feeds_show_hosted_events_to_the_school_and_people_not_the_mentor(solved):
    _, _, out = solved
    hosted = "In-school mentor meeting: Di Moss (trainee)\\, Kay Roe (school mentor)"
    three = (
        "Expert Mentor: three-way meeting\\, Di Moss (trainee)\\, Kay Roe (school "
        "mentor)"
    )
    assert _summaries(out / "schools" / "north.ics").count(hosted) == 2
    assert _summaries(out / "people" / "sm-kay.ics").count(hosted) == 2
    assert _summaries(out / "people" / "tr-di.ics").count(hosted) == 2
    assert hosted not in _summaries(out / "mentors" / "em-ann.ics")
    assert three in _summaries(out / "mentors" / "em-ann.ics")
    # a school's feed shows only its own people's events
    assert all("Di Moss" not in s for s in _summaries(out / "schools" / "south.ics"))
    assert "Expert Mentor: Ann Lee" in (out / "mentors" / "em-ann.ics").read_text()


def test_timetable_lists_hosted_events_under_the_school_only(solved):
    _, _, out = solved
    html = (out / "timetable.html").read_text()
    assert html.count("Kay Roe (in-school mentor)") == 2
    assert html.count("Three-way meeting") >= 1


def test_figures_leave_hosted_events_out_of_expert_mentor_time(solved):
    """Ann's minutes: two 60-minute observations and two 30-minute meetings."""
    _, plan, _ = solved
    assert plan.metrics["event_minutes_by_mentor"] == {"em-ann": 180}
    assert plan.metrics["minutes_by_school"] == {"north": 150.0, "south": 30.0}


# -- a re-plan keeps them ---------------------------------------------------------


def test_a_replan_keeps_hosted_events_in_their_baseline_slots(tmp_path):
    """Against its own plan as baseline, with nothing changed, a re-plan of the
    cluster moves no hosted event (``change`` 0)."""
    problem = load(write(tmp_path, CLUSTER))
    base = solve(problem, time_limit=10, workers=1).plan
    changed = type(problem)(
        **{**vars(problem), "revision": Revision(frozen_until=date(2027, 1, 12))}
    )
    again = solve(changed, time_limit=10, workers=1, baseline=base).plan
    hosted = {e.id: e for e in base.events if e.host}
    assert {e.id: e for e in again.events if e.host} == hosted
    assert again.metrics["objective_terms"]["change"] == 0


# the scenarios shipped before ``with`` and ``host`` existed (hub-primary uses both)
BEFORE = ("stour-valley", "deben-summer", "orwell-secondary")


@pytest.mark.parametrize(
    "path",
    [Path(__file__).parent.parent / "scenarios" / n / "cluster.yaml" for n in BEFORE],
    ids=BEFORE,
)
def test_shipped_scenarios_owe_what_they_owed(path):
    """No shipped cluster says ``with`` or ``host``: every meeting, observation
    and cover invites one person and none is hosted, so the solver sees the
    same tasks (their plans, solved before and after with --work-limit 15
    --workers 1, have the same events, travel and unmet)."""
    problem = load(path)
    assert all(o.host is None for o in problem.owed)
    assert all(len(o.people) == 1 for o in problem.owed if o.kind != "group")


def test_a_moved_hosted_event_says_which_event_of_its_people_took_its_slot():
    """The what-if diff's reason for an in-school mentor's event that moved
    names the event of its people now in its old slot, never an Expert
    Mentor's route (it has none)."""
    from dataclasses import replace
    from datetime import date as day

    from mentor_sched.plan import Event, Plan, SolverInfo, Status
    from mentor_sched.whatif.diff import _hosted_reason

    thu = day(2026, 9, 17)
    hosted = Event(
        "protected/tr-dev/1", "protected", "meeting", 1, None, "north",
        ("tr-dev", "sm-chloe"), (), None, thu, 16 * 60, 16 * 60 + 30, "sm-chloe",
    )  # fmt: skip
    group = Event(
        "ccf/topic-1", "ccf", "group", 1, "em-ann", "north",
        ("tr-dev", "tr-amy"), (), "Behaviour", thu, 15 * 60 + 45, 17 * 60,
    )  # fmt: skip
    info = SolverInfo(Status.FEASIBLE, None, None, 0.0)
    plan = Plan("t", "", info, (group,), (), ())
    text = _hosted_reason(hosted, plan, {"ccf/topic-1": group}, {"ccf/topic-1"})
    assert text == (
        "its slot Thu 2026-09-17 16:00 now overlaps ccf/topic-1 (moved there), "
        "which tr-dev attends"
    )
    assert "None" not in _hosted_reason(hosted, replace(plan, events=()), {}, set())
