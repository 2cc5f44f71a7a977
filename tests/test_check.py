"""The independent checker as a whole: the plan that obeys everything, the
accounting of owed events, and metrics derived by hand. Each hard rule's tests
(a plan that obeys it and one that breaks it) are in ``tests/rules/``.

The tiny cluster and the plan that obeys everything are in ``check_fixtures``.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from check_fixtures import (
    MON11,
    MON18,
    THU14,
    THU21,
    event,
    found,
    good_plan,
    good_trips,
    hm,
    load_text,
    make_plan,
    swap,
)

from mentor_sched import load
from mentor_sched.check import RULES, Violation, check, metrics
from mentor_sched.plan import Plan, Unmet
from mentor_sched.problem import Problem


@pytest.fixture
def problem(tmp_path) -> Problem:
    return load_text(tmp_path)


# -- the whole plan ------------------------------------------------------------------


def test_good_plan_breaks_nothing(problem):
    assert check(problem, good_plan(problem)) == []


def test_good_plan_survives_plan_json(problem):
    plan = Plan.from_json(good_plan(problem).to_json())
    assert check(problem, plan) == []


def test_example_with_everything_unmet_breaks_nothing(example_path):
    problem = load(example_path)
    plan = make_plan(problem, [], [])
    assert len(plan.unmet) == 96
    assert check(problem, plan) == []


def test_rules_read_like_the_spec():
    assert [r.__name__ for r in RULES] == [
        "teaching_day_and_hours",
        "mentor_no_overlap",
        "base_trips",
        "daily_limits_and_break",
        "person_attendance",
        "mentor_phases",
        "group_sessions",
        "demand_window",
        "pins_hold",
        "school_mentor_events",
        "accounting",
        "metrics_agree",
    ]


# -- accounting ----------------------------------------------------------------------


def test_accounting(problem):
    plan = good_plan(problem)
    assert found(check(problem, plan), "accounting") == set()
    # the unmet meeting dropped altogether
    dropped = replace(plan, unmet=())
    assert found(check(problem, dropped), "accounting") == {"ect-meetings/ect-ann/1"}
    # a planned event listed unmet as well
    o = next(o for o in problem.owed if o.id == "cover-eve")
    twice = replace(
        plan, unmet=(*plan.unmet, Unmet(o.id, o.demand, o.people, None, ""))
    )
    assert found(check(problem, twice), "accounting") == {"cover-eve"}
    # an event nothing owes
    ghost = replace(plan.events[0], id="ect-obs/ect-ann")
    extra = replace(plan, events=(*plan.events, ghost))
    assert found(check(problem, extra), "accounting") == {"ect-obs/ect-ann"}


@pytest.mark.parametrize(
    "change",
    [
        {"end": hm("13:50")},  # 50 minutes; 45 are owed
        {"period": 1},  # ann/0 is owed in period 0
        {"people": ("ect-bo",)},
        {"kind": "observation"},
        {"topic": "Expectations"},  # not a topic session
    ],
)
def test_accounting_event_matches_owed(problem, change):
    meeting = event(problem, "ect-meetings/ect-ann/0", MON11, "13:00", "north")
    plan = make_plan(problem, [replace(meeting, **change)], [])
    assert found(check(problem, plan), "accounting") == {"ect-meetings/ect-ann/0"}


def test_accounting_topic_period_is_where_planned(problem):
    # topic-2 on Thu 21 (week 1) of a weekly group is in period 1, not 0 or null
    topic = event(problem, "ccf/topic-2", THU21, "15:00", "online", missed=("tr-di",))
    assert topic.period == 1
    assert found(check(problem, make_plan(problem, [topic], [])), "accounting") == set()
    for period in (0, None):
        plan = make_plan(problem, [replace(topic, period=period)], [])
        assert found(check(problem, plan), "accounting") == {"ccf/topic-2"}


# -- metrics -------------------------------------------------------------------------


def test_metrics_by_hand(problem):
    assert metrics(problem, good_plan(problem)) == {
        "owed": 8,  # 4 meetings (2 ECTs x 2 weeks) + 1 observation + 2 topics + cover
        "planned": 7,
        "unmet": 1,  # ect-meetings/ect-ann/1
        "coverage": 0.875,  # 7 / 8
        "missed_attendance": 1,  # Di misses topic-2 (away Thu 21)
        # Mon 11: 30 + 40 + 20; Thu 14: 20 + 20; Mon 18: 30 + 30
        "travel_minutes": 190,
        "travel_minutes_by_mentor": {"em-kim": 190, "em-lee": 0},
        # 60 + 45 + 45 (Mon 11) + 60 (Thu 14) + 60 (Thu 21) + 60 + 45 (Mon 18)
        "event_minutes_by_mentor": {"em-kim": 375, "em-lee": 0},
        # Bo's meetings: Mon 14:00 and Mon 14:15, one each; the tie goes to the
        # earliest (Mon 14:00), so Mon 14:15 is one break. Ann has one meeting;
        # ect-obs is once, not a series.
        "pattern_breaks": 1,
        # every one-person event is em-kim's: north and south each see one mentor
        "continuity_breaks": 0,
        # topic-2 is online though ccf's venues name north
        "online_group_sessions": 1,
        # ccf has one school among its venues: nothing to rotate
        "venue_excess": 0,
        # north: Ann 45 + Cy's half of two 60-minute topics 30 + 30 = 105
        # south: obs 60 + Bo 45 + 45 + Di's halves 30 + 30 + cover 60 = 270
        "minutes_by_school": {"north": 105.0, "south": 270.0},
        # north: 105 / 375 * 100 = 28.0 delivered against 60 (south has no share)
        "share_by_school": {
            "north": {"target": 60, "delivered": 28.0, "deviation": 32.0}
        },
        "share_deviation": 32.0,
    }


def test_continuity_breaks_count_events_off_the_schools_usual_mentor(problem):
    """south's one-person events: the observation, Bo's two meetings and the
    cover, all em-kim's; given one meeting to em-lee, south sees em-kim 3
    times and em-lee once: one break. Group sessions never count."""
    plan = good_plan(problem)
    bo = next(e for e in plan.events if e.id.startswith("ect-meetings/ect-bo"))
    moved = replace(bo, mentor="em-lee")
    other = replace(plan, events=tuple(moved if e is bo else e for e in plan.events))
    assert metrics(problem, other)["continuity_breaks"] == 1
    topic = next(e for e in plan.events if e.kind == "group")
    other = replace(
        plan,
        events=tuple(
            replace(e, mentor="em-lee") if e is topic else e for e in plan.events
        ),
    )
    assert metrics(problem, other)["continuity_breaks"] == 0


def test_metrics_rounding_and_empty_plan(problem):
    # one 45-minute meeting for Ann: north gets everything, 100% against 60
    meeting = event(
        problem, "ect-meetings/ect-ann/0", MON11, "13:00", "north", "em-lee"
    )
    m = metrics(problem, make_plan(problem, [meeting], []))
    assert m["coverage"] == 0.125  # 1 / 8
    assert m["share_by_school"]["north"] == {
        "target": 60,
        "delivered": 100.0,
        "deviation": 40.0,
    }
    # a topic session alone: 60 / 2 = 30 to each school, north 50% of 60
    topic = event(problem, "ccf/topic-1", THU14, "15:30", "north", "em-lee")
    m = metrics(problem, make_plan(problem, [topic], []))
    assert m["minutes_by_school"] == {"north": 30.0, "south": 30.0}
    assert m["share_deviation"] == 10.0  # |50 - 60|
    # nothing planned: delivered 0, deviation the whole target
    m = metrics(problem, make_plan(problem, [], []))
    assert m["coverage"] == 0.0
    assert m["share_by_school"]["north"]["deviation"] == 60.0


def test_pattern_breaks_usual_slot(problem):
    p = problem
    # Bo: Mon 11 14:00 and Mon 18 14:00 - both at the usual slot
    same = [
        event(p, "ect-meetings/ect-bo/0", MON11, "14:00", "online"),
        event(p, "ect-meetings/ect-bo/1", MON18, "14:00", "online"),
    ]
    assert metrics(p, make_plan(p, same, []))["pattern_breaks"] == 0
    # Ann: Mon 11 13:00 and Mon 18 13:30, one each: the tie goes to the earliest
    # (Mon 13:00), so Mon 18 13:30 is the one break
    moved = [
        event(p, "ect-meetings/ect-ann/0", MON11, "13:00", "north"),
        event(p, "ect-meetings/ect-ann/1", MON18, "13:30", "north"),
        *same,
    ]
    assert metrics(p, make_plan(p, moved, []))["pattern_breaks"] == 1


def test_metrics_differences_are_reported(problem):
    plan = good_plan(problem)
    assert found(check(problem, plan), "metrics") == set()
    wrong = dict(plan.metrics, travel_minutes=180, pattern_breaks=0)
    assert found(check(problem, replace(plan, metrics=wrong)), "metrics") == {
        "travel_minutes",
        "pattern_breaks",
    }
    # floats compare after the documented rounding (2 decimals for shares)
    share = {"north": {"target": 60, "delivered": 28.004, "deviation": 31.996}}
    close = dict(plan.metrics, share_by_school=share)
    assert found(check(problem, replace(plan, metrics=close)), "metrics") == set()
    share = {"north": {"target": 60, "delivered": 28.01, "deviation": 31.99}}
    off = dict(plan.metrics, share_by_school=share)
    assert found(check(problem, replace(plan, metrics=off)), "metrics") == {
        "share_by_school"
    }
    # a mentor left out of a per-mentor figure, and a figure left out
    partial = dict(plan.metrics, travel_minutes_by_mentor={"em-kim": 190})
    del partial["coverage"]
    assert found(check(problem, replace(plan, metrics=partial)), "metrics") == {
        "travel_minutes_by_mentor",
        "coverage",
    }
    # objective_terms is the solver's own and never checked
    extra = dict(plan.metrics, objective_terms={"travel": 999})
    assert check(problem, replace(plan, metrics=extra)) == []


def test_violation_names_the_rule_event_and_times(problem):
    late = event(problem, "ccf/topic-1", THU14, "16:30", "north")
    v = next(
        v
        for v in check(problem, make_plan(problem, swap(problem, late), good_trips()))
        if v.rule == "1"
    )
    assert v.event == "ccf/topic-1"
    assert "2027-01-14 16:30-17:30" in v.message and "em-kim" in v.message
    assert v.name == "teaching_day_and_hours"
    assert str(v).startswith("rule 1 (teaching_day_and_hours): ccf/topic-1: ")
    # the accounting is not a numbered rule: its number is its name
    assert str(Violation("accounting", "x", "m")) == "rule accounting: x: m"
