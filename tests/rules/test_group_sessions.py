"""Rule 7, ``group_sessions``.

Group sessions: venue in ``venues``, inside ``window``, one per period,
topics in order.

The solver must not break it (a tiny cluster where breaking it would be
cheaper, solved, with the exact plan); the checker must catch it (a plan
broken by hand, with the exact violation).
"""

from __future__ import annotations

import pytest
from check_fixtures import (
    MON11,
    THU14,
    THU21,
    WED13,
    event,
    found,
    good_plan,
    make_plan,
)
from rule_fixtures import (
    SCHOOLS,
    WED20,
    cluster,
    hhmm,
    objective,
    solved,
    trips,
)

from mentor_sched.check import check
from mentor_sched.plan import Event, Trip

# -- the solver keeps it ----------------------------------------------------

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
    assert (one.date, hhmm(one.start), one.venue, one.topic, one.period) == (
        WED13,
        "15:00",
        "north",
        "Expectations",
        0,
    )
    assert one.missed == ("tr-di",)
    assert (two.date, hhmm(two.start), two.venue, two.topic, two.period) == (
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


def test_events_and_trips_are_sorted(tmp_path):
    """The group sessions' plan, sorted as plan-format.md asks: events by date,
    start, mentor, id; travel by mentor, date, depart; each trip once."""
    _, plan, _ = solved(tmp_path, RULE7)
    assert list(plan.events) == sorted(plan.events, key=Event.sort_key)
    assert list(plan.travel) == sorted(plan.travel, key=Trip.sort_key)
    assert len(set(plan.travel)) == len(plan.travel)


# -- the checker catches it ------------------------------------------------


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
