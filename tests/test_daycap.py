"""The mentor-days' capacities and the bounds they give (``solver/daycap.py``):
the longest chain of one day is what brute force finds, the bounds hold for
the best plan of every tiny cluster, and where a day's hours are what limits a
cluster the bound proves the plan optimal.
"""

from __future__ import annotations

from itertools import combinations, pairwise, product

import pytest
from clusters import dump
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rules.rule_fixtures import MON11, SCHOOLS, cluster, solved, write
from test_anytime import _exact
from test_solve_property import tiny_clusters

from mentor_sched import load
from mentor_sched.plan import Status
from mentor_sched.problem import ONLINE
from mentor_sched.solver import _tasks, solve
from mentor_sched.solver.daycap import capacity_bounds, day_capacity

# Ann works Mondays 08:00-17:00 from a base 20 minutes from North and 30 from
# South; North to South is 45 minutes
ANN = cluster(
    SCHOOLS.replace("phase: secondary", "phase: primary")
    + """\
mentors:
  - id: em-ann
    name: Ann Lee
    base: {lat: 52.05, lon: 0.75}
    works: {mon: "08:00-17:00"}
""",
    travel="[north, south, 45]; [em-ann, north, 20]; [em-ann, south, 30]",
)

SLOTS = st.sets(
    st.tuples(
        st.integers(8 * 12, 16 * 12).map(lambda s: 5 * s),
        st.sampled_from([30, 60, 75]),
        st.sampled_from(["north", "south", ONLINE]),
    ).map(lambda t: (t[0], t[0] + t[1], t[2])),
    max_size=7,
)


def _longest(problem, slots) -> int:
    """Brute force: the most slots one day can follow in time order. The
    mentor is somewhere at every moment: at the school of a visit, and for an
    online event at base or either school (a trip lies in a gap free of online
    events); from base after 08:00, the trip between places, home by 17:00."""
    base = "em-ann"

    def trip(a, b):
        return 0 if a == b else problem.travel_minutes(a, b)

    for n in range(len(slots), 0, -1):
        for chain in combinations(sorted(slots), n):
            online = [i for i, (_, _, v) in enumerate(chain) if v == ONLINE]
            for spots in product([base, "north", "south"], repeat=len(online)):
                where = [v for _, _, v in chain]
                for i, spot in zip(online, spots, strict=True):
                    where[i] = spot
                route = [(0, 8 * 60, base)]
                route += [(s, e, w) for (s, e, _), w in zip(chain, where, strict=True)]
                route += [(17 * 60, 0, base)]
                if all(
                    e1 + trip(w1, w2) <= s2
                    for (_, e1, w1), (s2, _, w2) in pairwise(route)
                ):
                    return n
    return 0


@settings(max_examples=200, deadline=None)
@given(slots=SLOTS)
def test_a_days_capacity_is_its_longest_chain(tmp_path_factory, slots):
    problem = load(write(tmp_path_factory.mktemp("cap"), ANN))
    assert day_capacity(problem, "em-ann", MON11, slots) == _longest(problem, slots)


def test_the_trip_between_schools_is_counted(tmp_path):
    problem = load(write(tmp_path, ANN))
    one_school = {(13 * 60, 14 * 60, "north"), (14 * 60, 15 * 60, "north")}
    assert day_capacity(problem, "em-ann", MON11, one_school) == 2
    # 45 minutes from North to South: the second lesson cannot be reached
    two_schools = {(13 * 60, 14 * 60, "north"), (14 * 60, 15 * 60, "south")}
    assert day_capacity(problem, "em-ann", MON11, two_schools) == 1
    # from base (30 minutes to South) not before 08:30
    early = {(8 * 60 + 15, 9 * 60 + 15, "south")}
    assert day_capacity(problem, "em-ann", MON11, early) == 0
    # an online meeting from 08:00 to 08:45 leaves no gap for the trip to a
    # 09:00 lesson at South (30 minutes), wherever it is held; at 08:30 it can
    # be held at South after the trip
    trip_after = {(8 * 60, 8 * 60 + 45, ONLINE), (9 * 60, 10 * 60, "south")}
    assert day_capacity(problem, "em-ann", MON11, trip_after) == 1
    held_there = {(8 * 60 + 30, 9 * 60, ONLINE), (9 * 60, 10 * 60, "south")}
    assert day_capacity(problem, "em-ann", MON11, held_there) == 2


# Three ECTs at two schools are each free only on Monday 13:00-14:00 and Ann
# works only that Monday: any plan meets one of them, whoever it is. Travel
# costs nothing here, so the plan that meets one is proven optimal.
ONE_HOUR = cluster(
    SCHOOLS
    + """\
mentors:
  - {id: em-ann, name: Ann Lee, works: {mon: "08:00-17:00"}}
people:
  - {id: ect-al, name: Al Shaw, role: ect, school: north, free: {mon: "13:00-14:00"}}
  - {id: ect-bo, name: Bo Shaw, role: ect, school: north, free: {mon: "13:00-14:00"}}
  - {id: ect-cy, name: Cy Shaw, role: ect, school: south, free: {mon: "13:00-14:00"}}
demand:
  - {id: meet, kind: meeting, who: {role: ect}, minutes: 60, every: week}
weights: {travel: 0}
""",
)


def test_one_hour_for_three_meetings_is_proven(tmp_path):
    problem, plan, _ = solved(tmp_path, ONE_HOUR)
    _, _, _, tasks = _tasks(problem, None, None)
    bounds = capacity_bounds(problem, tasks)
    assert bounds.plannable == 1
    assert bounds.lower == 2 * 1000
    assert len(plan.events) == 1
    info = plan.solver
    assert info.details["plannable_upper_bound"] == 1
    assert info.details["bound_source"] == "mentor-day capacity"
    assert (info.objective, info.bound, info.status) == (2000, 2000, Status.OPTIMAL)


PROPERTY = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@PROPERTY
@given(data=tiny_clusters())
def test_the_bounds_hold_for_the_best_plan(tmp_path_factory, data):
    """Below the proven best objective, and above what the solve plans."""
    problem = load(write(tmp_path_factory.mktemp("capb"), dump(data)))
    _, _, _, tasks = _tasks(problem, None, None)
    bounds = capacity_bounds(problem, tasks)
    assert bounds.lower <= _exact(problem)
    plan = solve(problem, time_limit=30, workers=1, work_limit=2).plan
    planned = sum(1 for e in plan.events if e.mentor is not None)
    assert planned <= bounds.plannable
    assert plan.solver.bound >= bounds.lower


# Ann's Monday written afternoon first, then a range inside the morning: the
# working day is 08:00-16:00 whatever the order, and Al's 09:00 meeting is
# planned. The capacity knew only 13:00-12:00 (nothing) and 08:00-10:00 before
# the ranges were put in order (the review's case), and reported OPTIMAL with
# a bound above the plan's objective.
@pytest.mark.parametrize(
    "works",
    ['["13:00-16:00", "08:00-12:00"]', '["08:00-16:00", "09:00-10:00"]'],
)
def test_working_ranges_in_any_order_bound_soundly(tmp_path, works):
    text = cluster(
        SCHOOLS
        + f"""\
mentors:
  - {{id: em-ann, name: Ann Lee, works: {{mon: {works}}}}}
people:
  - {{id: ect-al, name: Al Shaw, role: ect, school: north,
     free: {{mon: "14:00-15:00"}}}}
demand:
  - {{id: meet, kind: meeting, who: {{role: ect}}, minutes: 60, every: week}}
""",
        to="2027-01-11",
    )
    problem, plan, _ = solved(tmp_path, text)
    assert problem.mentors["em-ann"].works[0] in (
        ((8 * 60, 12 * 60), (13 * 60, 16 * 60)),
        ((8 * 60, 16 * 60),),
    )
    assert len(plan.events) == 1
    _, _, _, tasks = _tasks(problem, None, None)
    assert capacity_bounds(problem, tasks).plannable == 1
    info = plan.solver
    assert info.bound <= info.objective == 0
    assert info.details["plannable_upper_bound"] == 1
