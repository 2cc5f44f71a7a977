"""The bound over whole mentor-days (``solver/chains.py``): a day's best chain
is what brute force finds, the bounds hold for the best plan of every tiny
cluster, and where two days want the same events for their longest chains
the bound knows what the capacities' flow cannot.
"""

from __future__ import annotations

import time
from itertools import combinations, pairwise, product

import numpy as np
from clusters import dump
from hypothesis import example, given, settings
from hypothesis import strategies as st
from rules.rule_fixtures import MON11, SCHOOLS, cluster, solved, write
from test_anytime import _exact
from test_daycap import ANN, PROPERTY, SLOTS
from test_solve_property import tiny_clusters

from mentor_sched import load
from mentor_sched.plan import Status
from mentor_sched.problem import ONLINE
from mentor_sched.solver import _tasks, solve
from mentor_sched.solver.chains import best_chain, chain_bounds, day_of
from mentor_sched.solver.daycap import capacity_bounds, day_capacity


def _best(problem, slots, value, places=("north", "south")) -> float:
    """Brute force: the most valuable set of ``slots`` (start, end, venue,
    task) one day can follow in time order, as ``test_daycap._longest``
    follows them: the mentor at the school of a visit, online at base or either
    school, from base after 08:00, the trip between places, home by 17:00."""
    base = "em-ann"

    def trip(a, b):
        return 0 if a == b else problem.travel_minutes(a, b)

    top = 0.0
    for n in range(1, len(slots) + 1):
        for chain in combinations(sorted(slots), n):
            worth = sum(value[i] for *_, i in chain)
            if worth <= top:
                continue
            online = [k for k, (_, _, v, _) in enumerate(chain) if v == ONLINE]
            for spots in product([base, *places], repeat=len(online)):
                where = [v for _, _, v, _ in chain]
                for k, spot in zip(online, spots, strict=True):
                    where[k] = spot
                route = [(0, 8 * 60, base)]
                route += [
                    (s, e, w) for (s, e, _, _), w in zip(chain, where, strict=True)
                ]
                route += [(17 * 60, 0, base)]
                if all(
                    e1 + trip(w1, w2) <= s2
                    for (_, e1, w1), (s2, _, w2) in pairwise(route)
                ):
                    top = worth
                    break
    return top


@settings(max_examples=200, deadline=None)
@given(slots=SLOTS)
def test_with_every_event_worth_one_a_days_best_chain_is_its_capacity(
    tmp_path_factory, slots
):
    problem = load(write(tmp_path_factory.mktemp("chain1"), ANN))
    tasked = {(s, e, v, k) for k, (s, e, v) in enumerate(sorted(slots))}
    day = day_of(problem, "em-ann", MON11, tasked)
    got = 0.0 if day is None else best_chain(day, np.ones(len(slots)))[0]
    assert got == day_capacity(problem, "em-ann", MON11, slots)


@settings(max_examples=200, deadline=None)
@given(
    slots=SLOTS,
    values=st.lists(
        st.sampled_from([-1.0, 0.0, 0.25, 0.5, 1.0, 2.0]), min_size=7, max_size=7
    ),
    shared=st.booleans(),
)
def test_a_days_best_chain_is_the_most_valuable_one_brute_force_finds(
    tmp_path_factory, slots, values, shared
):
    """Worth is per task; with ``shared`` two slots may be the same task (the
    chain may then hold it twice, as the relaxation allows)."""
    problem = load(write(tmp_path_factory.mktemp("chainv"), ANN))
    tasked = {
        (s, e, v, k // 2 if shared else k) for k, (s, e, v) in enumerate(sorted(slots))
    }
    value = np.array(values)
    day = day_of(problem, "em-ann", MON11, tasked)
    got, chain = (0.0, []) if day is None else best_chain(day, value)
    assert got == _best(problem, tasked, value)
    # the chain it returns is worth what it says
    assert sum(value[i] for i in chain) == got


# Three schools where the direct way is longer than a detour: North to South
# is 120 minutes, by East 20; Ann's base is 20 minutes from each
BY_EAST = """\
schools:
  - {id: north, name: North Primary, phase: primary, location: {lat: 52.0, lon: 0.7}}
  - {id: south, name: South Primary, phase: primary, location: {lat: 52.1, lon: 0.8}}
  - {id: east, name: East Primary, phase: primary, location: {lat: 52.05, lon: 0.9}}
mentors:
  - {id: em-ann, name: Ann Lee, base: {lat: 52.05, lon: 0.75},
     works: {mon: "08:00-17:00", tue: "08:00-17:00"}}
"""
BY_EAST_TRAVEL = (
    "[north, south, 120]; [north, east, 10]; [east, south, 10]; "
    "[em-ann, north, 20]; [em-ann, south, 20]; [em-ann, east, 20]"
)
DETOURS = cluster(BY_EAST, travel=BY_EAST_TRAVEL)


@settings(max_examples=200, deadline=None)
@given(
    slots=st.sets(
        # hours 10 minutes apart, so that a visit at East fits between two
        # others only by the detour
        st.tuples(
            st.sampled_from([9 * 60, 10 * 60 + 10, 11 * 60 + 20, 12 * 60 + 30]),
            st.sampled_from(["north", "south", "east", ONLINE]),
        ).map(lambda t: (t[0], t[0] + 60, t[1])),
        max_size=6,
    ),
    values=st.lists(st.sampled_from([-1.0, 0.0, 0.5, 1.0]), min_size=6, max_size=6),
)
@example(
    slots={(540, 600, "north"), (610, 670, "east"), (680, 740, "south")},
    values=[1.0, 0.0, 1.0, 0.0, 0.0, 0.0],
)
def test_a_days_best_chain_is_never_below_a_real_one_where_detours_are_shorter(
    tmp_path_factory, slots, values
):
    """A real day goes the given way between two places; the best chain may
    be more (it takes the shortest way through the day's places), never less."""
    problem = load(write(tmp_path_factory.mktemp("chaind"), DETOURS))
    tasked = {(s, e, v, k) for k, (s, e, v) in enumerate(sorted(slots))}
    value = np.array(values)
    day = day_of(problem, "em-ann", MON11, tasked)
    got = 0.0 if day is None else best_chain(day, value)[0]
    assert got >= _best(problem, tasked, value, ("north", "south", "east"))


@PROPERTY
@given(data=tiny_clusters())
def test_the_chain_bounds_hold_for_the_best_plan(tmp_path_factory, data):
    """Below the proven best objective, and above what the solve plans."""
    problem = load(write(tmp_path_factory.mktemp("chainb"), dump(data)))
    _, _, _, tasks = _tasks(problem, None, None)
    bounds = chain_bounds(problem, tasks, time.monotonic() + 30, lambda _: None)
    assert bounds.lower <= _exact(problem)
    # the first round's prices come from the flow's minimum cut
    assert bounds.plannable <= capacity_bounds(problem, tasks).plannable
    plan = solve(problem, time_limit=30, workers=1, work_limit=2).plan
    planned = sum(1 for e in plan.events if e.mentor is not None)
    assert planned <= bounds.plannable


# Ann works Monday and Tuesday at North. Al and Bo are free only on Monday at
# 09:00, Cy and Di only on Tuesday at 09:00, Ed on both days at 14:00. Each
# day's longest chain is two meetings, and each day has three people who
# could fill it, so the flow says four can be planned; but every two-meeting
# day needs Ed, who is met once a week: three is the most.
TWO_DAYS = cluster(
    SCHOOLS
    + """\
mentors:
  - {id: em-ann, name: Ann Lee, works: {mon: "08:00-17:00", tue: "08:00-17:00"}}
people:
  - {id: ect-al, name: Al Shaw, role: ect, school: north, free: {mon: "09:00-10:00"}}
  - {id: ect-bo, name: Bo Shaw, role: ect, school: north, free: {mon: "09:00-10:00"}}
  - {id: ect-cy, name: Cy Shaw, role: ect, school: north, free: {tue: "09:00-10:00"}}
  - {id: ect-di, name: Di Shaw, role: ect, school: north, free: {tue: "09:00-10:00"}}
  - {id: ect-ed, name: Ed Shaw, role: ect, school: north,
     free: {mon: "14:00-15:00", tue: "14:00-15:00"}}
demand:
  - {id: meet, kind: meeting, who: {role: ect}, minutes: 60, every: week}
weights: {travel: 0}
""",
)


def test_the_chains_know_a_day_needs_the_event_another_day_wants(tmp_path):
    problem, plan, _ = solved(tmp_path, TWO_DAYS)
    _, _, _, tasks = _tasks(problem, None, None)
    flow = capacity_bounds(problem, tasks)
    chains = chain_bounds(problem, tasks, time.monotonic() + 30, lambda _: None)
    assert len(plan.events) == 3
    assert flow.plannable == 4
    assert chains.plannable == 3
    assert chains.lower == flow.lower + 1000 == 2 * 1000


def test_a_solve_reports_the_chains_bound_beside_the_search(tmp_path, monkeypatch):
    """In the bound's process (two workers), where the relaxation is not run:
    the chains' 3 is reported, not the capacities' 4, and proves the plan."""
    import importlib

    anytime = importlib.import_module("mentor_sched.solver.anytime")
    monkeypatch.setattr(anytime, "LP_OPTIONS", 0)
    problem = load(write(tmp_path, TWO_DAYS))
    info = solve(problem, time_limit=20, workers=2).plan.solver
    assert info.details["plannable_upper_bound"] == 3
    assert info.details["plannable_bound_source"] == "mentor-day chains"
    assert (info.objective, info.bound, info.status) == (2000, 2000, Status.OPTIMAL)


# The review's case: North to South is 120 minutes direct but 20 by East, and
# the plan that meets Al (North 09:00), Ri (East 10:10) and Qu (South 11:20)
# goes by East. Priced so that Ri's Monday is worth nothing, a best chain that
# left Ri out had to go North to South direct and found only one of the two:
# the bound said 2 and a plan of 3 was reported OPTIMAL with a bound above
# its objective. The day's trips are now the shortest ways through its places.
DETOUR = cluster(
    BY_EAST
    + """\
people:
  - {id: ect-al, name: Al Shaw, role: ect, school: north, free: {mon: "09:00-10:00"}}
  - {id: ect-bo, name: Bo Shaw, role: ect, school: north, free: {mon: "09:00-10:00"}}
  - {id: ect-cy, name: Cy Shaw, role: ect, school: north, free: {mon: "09:00-10:00"}}
  - {id: ect-ri, name: Ri Shaw, role: ect, school: east,
     free: {mon: "10:10-11:10", tue: "09:00-10:00"}}
  - {id: ect-qu, name: Qu Shaw, role: ect, school: south, free: {mon: "11:20-12:20"}}
demand:
  - {id: meet, kind: meeting, who: {role: ect}, minutes: 60, every: week}
weights: {travel: 0}
""",
    travel=BY_EAST_TRAVEL,
)


def test_a_detour_through_a_place_worth_nothing_is_still_counted(tmp_path):
    problem = load(write(tmp_path, DETOUR))
    _, _, _, tasks = _tasks(problem, None, None)
    north, east, south = 9 * 60, 10 * 60 + 10, 11 * 60 + 20
    day = day_of(
        problem,
        "em-ann",
        MON11,
        {(north, north + 60, "north", 0), (east, east + 60, "east", 1)}
        | {(south, south + 60, "south", 2)},
    )
    assert best_chain(day, np.array([1.0, 0.0, 1.0]))[0] == 2
    bounds = chain_bounds(problem, tasks, time.monotonic() + 30, lambda _: None)
    best = _exact(problem)
    assert best == 2000  # two of the three at North are left
    assert bounds.plannable >= 3
    assert bounds.lower <= best
    info = solve(problem, time_limit=20, workers=2).plan.solver
    assert info.bound <= info.objective


def test_when_the_cut_prices_every_event_the_chains_still_count(tmp_path):
    """Without Di every event can be planned by the flow, so the minimum cut
    prices each at 1 and no chain is worth anything at those prices: the
    events are then counted from no prices, and the chains find 3."""
    text = "".join(line for line in TWO_DAYS.splitlines(True) if "ect-di" not in line)
    assert text != TWO_DAYS
    problem = load(write(tmp_path, text))
    _, _, _, tasks = _tasks(problem, None, None)
    assert capacity_bounds(problem, tasks).plannable == 4
    bounds = chain_bounds(problem, tasks, time.monotonic() + 30, lambda _: None)
    assert bounds.plannable == 3


def test_a_bound_the_plan_breaks_is_not_used(tmp_path, monkeypatch):
    """A wrong bound (here a made-up one from the chains' process) is a
    defect: the plan is not called OPTIMAL by it, and the bounds that hold
    are reported instead."""
    import importlib

    from mentor_sched.solver.bound import Bounds

    anytime = importlib.import_module("mentor_sched.solver.anytime")

    def wrong(problem, tasks, deadline, tell):
        tell(Bounds(lower=10**9, plannable=0, status="FEASIBLE"))

    monkeypatch.setattr(anytime, "chain_bounds", wrong)
    monkeypatch.setattr(anytime, "LP_OPTIONS", 0)
    problem = load(write(tmp_path, TWO_DAYS))
    info = solve(problem, time_limit=20, workers=2).plan.solver
    assert info.bound <= info.objective
    assert info.details["bound_source"] != "mentor-day chains"
    assert info.details["plannable_upper_bound"] == 4  # the flow's
