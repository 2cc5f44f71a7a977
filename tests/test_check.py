"""The independent checker: one test per rule, a plan that obeys it and one that
breaks it (exact rule and event asserted), and metrics derived by hand.

The tiny cluster and the plan that obeys everything are in ``check_fixtures``.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from check_fixtures import (
    FRI15,
    MON11,
    MON18,
    SAT16,
    THU14,
    THU21,
    TINY,
    TUE12,
    TUE19,
    WED13,
    event,
    good_events,
    good_plan,
    good_trips,
    hm,
    load_text,
    make_plan,
    trip,
)

from mentor_sched import load
from mentor_sched.check import RULES, Violation, check, metrics
from mentor_sched.plan import Plan, Trip, Unmet
from mentor_sched.problem import Problem


@pytest.fixture
def problem(tmp_path) -> Problem:
    return load_text(tmp_path)


def found(violations: list[Violation], rule: str) -> set[str]:
    """The events (or trips, or mentor-days) a rule complains about."""
    return {v.event for v in violations if v.rule == rule}


def swap(problem: Problem, *changed):
    """The good events with each changed event put in place of the same id."""
    by_id = {e.id: e for e in changed}
    events = [by_id.pop(e.id, e) for e in good_events(problem)]
    return events + list(by_id.values())


def with_mentor(problem: Problem, mentor: str, **changes) -> Problem:
    mentors = dict(problem.mentors)
    mentors[mentor] = replace(mentors[mentor], **changes)
    return replace(problem, mentors=mentors)


def label(t: Trip) -> str:
    return (
        f"{t.mentor}@{t.date.isoformat()} {t.origin}->{t.dest} "
        f"{t.depart // 60:02d}:{t.depart % 60:02d}-"
        f"{t.arrive // 60:02d}:{t.arrive % 60:02d}"
    )


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
        "_teaching_day_and_hours",
        "_mentor_no_overlap_and_travel",
        "_base_trips",
        "_daily_limits_and_break",
        "_person_attendance",
        "_phases",
        "_group_rules",
        "_window",
        "_pins_hold",
        "_accounting",
        "_metrics",
    ]


# -- rule 1 --------------------------------------------------------------------------


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


# -- rule 2 --------------------------------------------------------------------------


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


# -- rule 3 --------------------------------------------------------------------------


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


# -- rule 4 --------------------------------------------------------------------------


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


# -- rule 5 --------------------------------------------------------------------------


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


# -- rule 6 --------------------------------------------------------------------------


def test_phases(problem):
    primary_only = with_mentor(problem, "em-lee", phases=frozenset({"primary"}))
    # Ann is at north (primary): em-lee may meet her
    ann = event(
        primary_only, "ect-meetings/ect-ann/0", MON11, "13:00", "north", "em-lee"
    )
    assert found(check(primary_only, make_plan(primary_only, [ann], [])), "6") == set()
    # Bo is at south (secondary)
    bo = event(primary_only, "ect-obs/ect-bo", MON11, "09:00", "south", "em-lee")
    violations = check(primary_only, make_plan(primary_only, [bo], []))
    assert found(violations, "6") == {"ect-obs/ect-bo"}
    # a group invites Cy (north) and Di (south): one secondary school is enough
    topic = event(primary_only, "ccf/topic-1", THU14, "15:30", "north", "em-lee")
    violations = check(primary_only, make_plan(primary_only, [topic], []))
    assert found(violations, "6") == {"ccf/topic-1"}


# -- rule 7 --------------------------------------------------------------------------


def test_group_rules(problem):
    assert found(check(problem, good_plan(problem)), "7") == set()


@pytest.mark.parametrize(
    ("day", "start", "venue", "why"),
    [
        (THU14, "15:30", "south", "not one of ccf's venues"),  # venues: north, online
        (THU14, "14:00", "online", "window 15:00-17:00"),  # 14:00-15:00
        (MON11, "15:30", "online", "window allows thu"),  # a Monday
    ],
)
def test_group_rules_venue_and_window(problem, day, start, venue, why):
    topic = event(problem, "ccf/topic-1", day, start, venue, "em-lee")
    rule7 = [
        v for v in check(problem, make_plan(problem, [topic], [])) if v.rule == "7"
    ]
    assert [v.event for v in rule7] == ["ccf/topic-1"]
    assert why in rule7[0].message


def test_group_topics_in_order_in_distinct_periods(problem):
    p = problem
    # topic 2 in week 0, topic 1 in week 1: out of order
    one = event(p, "ccf/topic-1", THU21, "15:00", "online", "em-lee", ("tr-di",))
    two = event(p, "ccf/topic-2", THU14, "15:00", "online", "em-lee")
    assert found(check(p, make_plan(p, [one, two], [])), "7") == {"ccf/topic-2"}
    # in order, but both in week 0 (period 0 of a weekly group)
    one = event(p, "ccf/topic-1", THU14, "15:00", "online", "em-lee")
    two = event(p, "ccf/topic-2", THU14, "16:00", "online", "em-lee")
    violations = check(p, make_plan(p, [one, two], []))
    assert found(violations, "7") == {"ccf/topic-2"}
    assert "period 0" in next(v.message for v in violations if v.rule == "7")


# -- window --------------------------------------------------------------------------


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


# -- rule 8 --------------------------------------------------------------------------

PINS = """
pins:
  - {demand: ect-meetings, person: ect-ann, date: 2027-01-11, start: "13:00",
     mentor: em-kim}
  - {demand: ccf, topic: 2, date: 2027-01-21, start: "15:00", venue: online,
     mentor: em-kim}
"""


def test_pins_hold(tmp_path):
    problem = load_text(tmp_path, TINY + PINS)
    assert len(problem.pins) == 2
    assert found(check(problem, good_plan(problem)), "8") == set()
    p = problem
    # 13:15 instead of 13:00, online instead of Ann's school, with em-lee
    for moved in (
        event(p, "ect-meetings/ect-ann/0", MON11, "13:15", "north"),
        event(p, "ect-meetings/ect-ann/0", MON11, "13:00", "online"),
        event(p, "ect-meetings/ect-ann/0", MON11, "13:00", "north", "em-lee"),
    ):
        plan = make_plan(p, swap(p, moved), good_trips())
        assert found(check(p, plan), "8") == {"ect-meetings/ect-ann/0"}
    # a pinned event left unmet
    events = [e for e in good_events(p) if e.id != "ccf/topic-2"]
    assert found(check(p, make_plan(p, events, good_trips())), "8") == {"ccf/topic-2"}


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
    assert str(v).startswith("rule 1: ccf/topic-1: ")
