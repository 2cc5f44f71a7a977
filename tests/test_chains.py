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
from hypothesis import given, settings
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


def _best(problem, slots, value) -> float:
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
            for spots in product([base, "north", "south"], repeat=len(online)):
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
