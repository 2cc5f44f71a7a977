"""The soft goals on group venues: ``in_person`` (a session online when its
demand names a school costs the weight) and ``rotate_venues`` (each session
at a school beyond its demand's even spread, ceil(owed sessions / schools),
costs the weight), in the solver, the ledger and the checker.

Each cluster tempts the wrong plan: the cheapest venue is online, or the
mentor's base is one of the two host schools. Travel times are fixed with
``travel.minutes`` so that each objective below is exact; the clusters plan
from Mon 2027-01-11 with no bank holidays (``test_solver_rules.cluster``).
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from test_solver_rules import cluster, solved, write

from mentor_sched import load
from mentor_sched.candidates import options
from mentor_sched.checker.metrics import metrics, metrics_agree
from mentor_sched.metrics import compute_metrics, venue_cap
from mentor_sched.plan import Plan, SolverInfo, Status
from mentor_sched.solver import _event, objective_terms
from mentor_sched.solver.ledger import Ledger
from mentor_sched.solver.model import Choice, SubModel, Task

TERMS = ("unmet", "missed_attendance", "travel", "pattern", "share", "continuity")


def terms(plan, **given: int) -> dict[str, int]:
    """Every objective term: 0 unless given."""
    return dict.fromkeys((*TERMS, "in_person", "rotate_venues"), 0) | given


def make_plan(problem, events) -> Plan:
    info = SolverInfo(Status.FEASIBLE, None, None, 0.0)
    return Plan(problem.name, "", info, tuple(events), (), ()).sorted()


# -- in_person ---------------------------------------------------------------------

ONLINE_CHEAPEST = """\
schools:
  - {id: north, name: North Primary, phase: primary, location: {lat: 52.0, lon: 0.7}}
mentors:
  - id: em-ann
    name: Ann Lee
    base: {lat: 52.3, lon: 0.9}
    works: {thu: "08:00-17:30"}
people:
  - {id: tr-amy, name: Amy Bell, role: trainee, school: north}
  - {id: tr-bo, name: Bo Hart, role: trainee, school: north}
demand:
  - id: ccf
    kind: group
    who: {role: trainee}
    minutes: 60
    venues: [online, north]
    window: {days: [thu], time: "15:45-17:00"}
"""


def online_cheapest(weights: str = "") -> str:
    # one session (one week, Thu 14 Jan); north is 25 minutes from Ann's base
    return cluster(
        ONLINE_CHEAPEST + weights, to="2027-01-15", travel="[em-ann, north, 25]"
    )


def test_in_person_moves_the_online_session_to_the_school(tmp_path):
    """Online costs no travel but the in_person weight, 60 by default; at north
    the trip there and back costs 25 + 25 = 50 minutes of travel, so the
    session goes to north: objective 50, all of it travel."""
    _, plan, _ = solved(tmp_path, online_cheapest())
    (e,) = plan.events
    assert (e.venue, e.start) == ("north", 15 * 60 + 45)
    assert plan.metrics["online_group_sessions"] == 0
    assert plan.metrics["objective_terms"] == terms(plan, travel=50)
    assert plan.solver.objective == 50


def test_without_in_person_the_session_goes_online(tmp_path):
    """With in_person 0 the session is online: no travel, objective 0."""
    _, plan, _ = solved(tmp_path, online_cheapest("weights: {in_person: 0}\n"))
    (e,) = plan.events
    assert e.venue == "online"
    assert plan.travel == ()
    assert plan.metrics["online_group_sessions"] == 1
    assert plan.metrics["objective_terms"] == terms(plan)


def test_in_person_below_the_travel_keeps_it_online(tmp_path):
    """At in_person 40 an online session (40) is cheaper than 50 minutes of
    travel: online, objective 40, all of it the in_person term."""
    _, plan, _ = solved(tmp_path, online_cheapest("weights: {in_person: 40}\n"))
    (e,) = plan.events
    assert e.venue == "online"
    assert plan.metrics["objective_terms"] == terms(plan, in_person=40)
    assert plan.solver.objective == 40


def test_online_only_groups_cost_nothing(tmp_path):
    """A demand whose only venue is online has nowhere in person to go: its
    sessions are not counted."""
    text = online_cheapest().replace("venues: [online, north]", "venues: [online]")
    problem, plan, _ = solved(tmp_path, text)
    assert plan.events[0].venue == "online"
    assert plan.metrics["online_group_sessions"] == 0
    assert metrics(problem, plan)["online_group_sessions"] == 0


def test_the_checker_counts_online_sessions_itself(tmp_path):
    """The session moved online by hand: the checker counts 1 and refuses a
    plan that still says 0."""
    problem, plan, _ = solved(tmp_path, online_cheapest())
    online = replace(plan.events[0], venue="online")
    moved = replace(plan, events=(online,), travel=())
    assert metrics(problem, moved)["online_group_sessions"] == 1
    bad = [
        v for v in metrics_agree(problem, moved) if v.event == "online_group_sessions"
    ]
    assert len(bad) == 1 and "recomputed 1" in bad[0].message


# -- rotate_venues -------------------------------------------------------------------

TWO_HOSTS = """\
schools:
  - {id: north, name: North Primary, phase: primary, location: {lat: 52.0, lon: 0.7}}
  - {id: south, name: South Primary, phase: primary, location: {lat: 52.1, lon: 0.8}}
mentors:
  - id: em-ann
    name: Ann Lee
    base: north
    works: {thu: "08:00-17:30"}
people:
  - {id: tr-amy, name: Amy Bell, role: trainee, school: north}
  - {id: tr-cy, name: Cy Dunn, role: trainee, school: south}
demand:
  - id: ccf
    kind: group
    who: {role: trainee}
    minutes: 60
    venues: [north, south]
    window: {days: [thu], time: "15:45-17:00"}
    topics: [Behaviour, How pupils learn, Adaptive teaching, Assessment]
"""


def two_hosts(weights: str = "") -> str:
    # four Thursdays (14, 21, 28 Jan, 4 Feb): four topics, one a week; Ann's
    # base is north, south is 10 minutes away
    return cluster(TWO_HOSTS + weights, to="2027-02-05", travel="[north, south, 10]")


def hosts(plan) -> dict[str, int]:
    out: dict[str, int] = {}
    for e in plan.events:
        out[e.venue] = out.get(e.venue, 0) + 1
    return out


def test_rotate_venues_spreads_the_sessions_over_both_schools(tmp_path):
    """Four sessions over two schools: the even spread is 2 each. All at north
    (no travel) costs 2 sessions beyond it x 30 = 60; each session moved to
    south costs a round trip of 10 + 10 = 20 and saves 30 until south hosts
    2: 3/1 costs 20 + 30 = 50, 2/2 costs 40. So two at each: objective 40,
    all travel."""
    problem, plan, _ = solved(tmp_path, two_hosts())
    assert len(plan.events) == 4
    assert hosts(plan) == {"north": 2, "south": 2}
    assert venue_cap(problem, "ccf") == 2
    assert plan.metrics["venue_excess"] == 0
    assert plan.metrics["objective_terms"] == terms(plan, travel=40)
    assert plan.solver.objective == 40


def test_without_rotate_venues_every_session_stays_at_base(tmp_path):
    """rotate_venues 0: all four at north, where Ann starts; nothing travels.
    The excess is still counted: 4 - 2 = 2."""
    _, plan, _ = solved(tmp_path, two_hosts("weights: {rotate_venues: 0}\n"))
    assert hosts(plan) == {"north": 4}
    assert plan.metrics["venue_excess"] == 2
    assert plan.metrics["objective_terms"] == terms(plan)


def test_rotate_venues_below_the_trip_keeps_them_at_base(tmp_path):
    """At rotate_venues 15 a session beyond the spread (15) is cheaper than a
    20-minute round trip: all at north, objective 2 x 15 = 30."""
    _, plan, _ = solved(tmp_path, two_hosts("weights: {rotate_venues: 15}\n"))
    assert hosts(plan) == {"north": 4}
    assert plan.metrics["objective_terms"] == terms(plan, rotate_venues=30)
    assert plan.solver.objective == 30


@pytest.mark.parametrize(
    ("at_north", "excess"), [(4, 2), (3, 1), (2, 0), (1, 1), (0, 2)]
)
def test_the_checker_counts_sessions_beyond_the_even_spread(tmp_path, at_north, excess):
    """The sessions moved between the schools by hand (trips aside: only the
    figure is looked at): the excess over 2 at either school."""
    problem, plan, _ = solved(tmp_path, two_hosts())
    events = tuple(
        replace(e, venue="north" if i < at_north else "south")
        for i, e in enumerate(sorted(plan.events, key=lambda e: e.id))
    )
    moved = replace(plan, events=events)
    assert metrics(problem, moved)["venue_excess"] == excess
    assert compute_metrics(problem, moved)["venue_excess"] == excess


def test_the_ledger_keeps_both_terms_as_sessions_come_and_go(tmp_path):
    """Sessions added at north one by one: the ledger's excess is 0, 0, 1, 2
    (the spread is 2), its term 2 x 30 = 60 as objective_terms counts it for
    the same plan; one moved online costs in_person 60 and frees north; all
    taken out again, nothing is left."""
    problem = load(
        write(tmp_path, two_hosts().replace("[north, south]", "[north, south, online]"))
    )
    week = problem.calendar.week_of  # every: week, so a week is a period
    tasks = {
        o.id: Task(o, opts, period_of={x.date: week[x.date] for x in opts})
        for o in problem.owed
        if (opts := options(problem, o))
    }
    ledger = Ledger(problem, tasks)

    def at(oid: str, venue: str) -> Choice:
        o = next(o for o in tasks[oid].options if o.venue == venue)
        return Choice(o, o.starts[0])

    ids = sorted(tasks)
    excess = []
    for oid in ids:
        ledger.change(tasks[oid], at(oid, "north"), 1)
        excess.append(ledger.excess)
    assert excess == [0, 0, 1, 2]
    assert (ledger.terms()["rotate_venues"], ledger.terms()["in_person"]) == (60, 0)
    events = [_event(problem, tasks[oid], at(oid, "north")) for oid in ids]
    plan = make_plan(problem, events)
    assert (
        objective_terms(problem, plan, compute_metrics(problem, plan), None, None)[
            "rotate_venues"
        ]
        == 60
    )
    ledger.change(tasks[ids[0]], at(ids[0], "north"), -1)
    ledger.change(tasks[ids[0]], at(ids[0], "online"), 1)
    assert (ledger.terms()["rotate_venues"], ledger.terms()["in_person"]) == (30, 60)
    ledger.change(tasks[ids[0]], at(ids[0], "online"), -1)
    for oid in ids[1:]:
        ledger.change(tasks[oid], at(oid, "north"), -1)
    assert (ledger.excess, ledger.online, sum(ledger.hosted.values())) == (0, 0, 0)


def test_the_cp_sat_model_prices_both_goals_with_the_sessions_outside_it(tmp_path):
    """The exact model alone: all four topics in it, two at each school
    (objective 40, the two round trips to south). Only topics 3 and 4 in it,
    with north hosting 2 outside it: a third at north costs 30, a trip to
    south 20, so both go south (40); told nothing of the outside, both stay
    at north (0)."""

    problem = load(write(tmp_path, two_hosts()))
    week = problem.calendar.week_of
    tasks = [
        Task(o, opts, period_of={x.date: week[x.date] for x in opts})
        for o in problem.owed
        if (opts := options(problem, o))
    ]
    weights = vars(problem.weights)

    def solve(tasks, **context):
        out = SubModel(problem, tasks, **context).solve(weights, time_limit=10)
        return out.objective, sorted(c.option.venue for c in out.choices.values())

    assert solve(tasks) == (40, ["north", "north", "south", "south"])
    last = [t for t in tasks if t.owed.topic in (3, 4)]
    hosted = {("ccf", "north"): 2}
    assert solve(last, venue_context=hosted) == (40, ["south", "south"])
    assert solve(last) == (0, ["north", "north"])


def test_the_cp_sat_model_prices_an_online_session(tmp_path):
    """The exact model alone on the one-session cluster: north (50 minutes of
    travel) beats online (in_person 60); at in_person 0, online (0)."""

    problem = load(write(tmp_path, online_cheapest()))
    tasks = [Task(o, options(problem, o)) for o in problem.owed]
    for in_person, want in ((60, (50, "north")), (0, (0, "online"))):
        weights = vars(problem.weights) | {"in_person": in_person}
        out = SubModel(problem, tasks).solve(weights, time_limit=10)
        (c,) = out.choices.values()
        assert (out.objective, c.option.venue) == want
