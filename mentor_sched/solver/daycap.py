"""How many events a mentor-day can hold, and what that bounds for every plan.

A mentor-day's events follow one another in time (rule 2: no overlap), and
between two in person at different places lies the trip between them (rules 2
and 3); the first visit is reached from base after work starts and the last one
left for home before it ends. The longest such chain over every start of every
option on the day is therefore an upper bound on how many events any plan puts
on that day (``day_capacity``). It is loose on purpose where a rule is hard to
relax exactly: one task may appear in the chain more than once (so the capacity
is also capped at the number of tasks with an option that day), and people, the
break, the daily limits and the travel cap are ignored. An online event is held
wherever the mentor is, before or after a trip, never during one.

Every planned event is on exactly one mentor-day, so a flow from the owed events
to the mentor-days where they have an option, one unit per event and at most the
day's capacity per day, carries every plan's events (``capacity_bounds``). Its
maximum bounds the number of events any plan places; its maximum weighted by
priority bounds the ``unmet`` term from below, and every other term of the
objective is at least 0, so ``unmet`` times what no plan can place is a lower
bound on the objective of every plan.

Unlike the linear relaxation (``bound.py``), this knows that a mentor is in one
place at a time and that the school day is short: on a region's clusters, where
people's free and teaching hours fill a mentor-day with four or five events,
it is the bound that says something. It needs no solver beyond a flow and takes
seconds where the relaxation would not finish.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import numpy as np
from ortools.graph.python import max_flow, min_cost_flow

from ..candidates import Option
from ..problem import ONLINE, Problem
from .bound import Bounds
from .model import Task

NONE = -(10**6)  # no chain ends here
SINK = 1  # the events' network's sink; the source is 0


def day_capacity(
    problem: Problem,
    mid: str,
    day: date,
    slots: set[tuple[int, int, str]],
    ways: tuple[dict[str, int], dict[str, int]] | None = None,
    table: tuple[dict[str, int], np.ndarray] | None = None,
) -> int:
    """The most events one mentor-day can hold, from ``slots``: every (start,
    end, venue) some option allows that day. The longest chain of slots in time
    order where the mentor is somewhere at every moment: in person at the
    slot's school, online wherever they are (a trip lies in a gap free of
    online events, so they are at the place before or after it), starting
    from base when work starts, with the trip between two places, and able to
    get home before work ends (dynamic programming over starts, one row per
    place the mentor can be at: base and the day's schools).
    ``ways``: the mentor's shortest ways out of base and back (``ways_home``),
    and ``table`` the ``travel_table``, worked out here when not given."""
    mentor = problem.mentors[mid]
    hours = mentor.hours(day)
    if not hours or not slots:
        return 0
    first, last = hours[0][0], hours[-1][1]
    schools = sorted({v for _, _, v in slots} - {ONLINE})
    home = 0  # the base's row; a mentor without one starts anywhere
    rows = len(schools) + 1
    row = {v: i + 1 for i, v in enumerate(schools)}
    trips = day_trips(problem, mid, schools, ways, table)
    # the latest a slot at each place may end and still leave time to get home
    leave = last - trips[:, home]
    # best[u, t]: the longest chain that leaves the mentor at place u by t
    best = np.full((rows, last + 1), NONE, dtype=np.int64)
    best[home, first:] = 0
    by_start: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for s, e, v in slots:
        if s >= first and e <= last:
            by_start[s].append((e, v))
    every = np.arange(rows)
    most = 0
    for s in sorted(by_start):
        # reach[w]: the longest chain that can have the mentor at w by s
        at = s - trips
        reach = np.where(at >= 0, best[every[:, None], np.maximum(at, 0)], NONE).max(
            axis=0
        )
        # written after every slot at this start is worked out, so no slot
        # follows another that begins with it
        found: list[tuple[int, int, int]] = []
        for e, v in sorted(by_start[s]):
            places = every if v == ONLINE else [row[v]]
            for w in places:
                if reach[w] > NONE // 2 and e <= leave[w]:
                    found.append((w, e, int(reach[w]) + 1))
        for w, e, n in found:
            np.maximum(best[w, e:], n, out=best[w, e:])
            most = max(most, n)
    return most


def day_trips(
    problem: Problem,
    mid: str,
    schools: list[str],
    ways: tuple[dict[str, int], dict[str, int]] | None = None,
    table: tuple[dict[str, int], np.ndarray] | None = None,
) -> np.ndarray:
    """``trips[u, v]``: minutes from place u to place v of a mentor's day, row 0
    the base (its shortest ways out and back, ``ways_home``), row i + 1
    ``schools[i]`` (the given times)."""
    out, back = ways or ways_home(problem, mid)
    names, minutes = table or travel_table(problem)
    index = [names[v] for v in schools]
    trips = np.zeros((len(schools) + 1,) * 2, dtype=np.int64)
    trips[1:, 1:] = minutes[np.ix_(index, index)]
    trips[0, 1:] = [out.get(v, 0) for v in schools]
    trips[1:, 0] = [back.get(v, 0) for v in schools]
    return trips


def travel_table(problem: Problem) -> tuple[dict[str, int], np.ndarray]:
    """Every place's row and the minutes between places."""
    places = sorted({a for a, _ in problem.travel} | set(problem.schools))
    names = {v: i for i, v in enumerate(places)}
    table = np.zeros((len(names), len(names)), dtype=np.int64)
    for (a, b), minutes in problem.travel.items():
        if a != b:
            table[names[a], names[b]] = minutes
    return names, table


def ways_home(problem: Problem, mid: str) -> tuple[dict[str, int], dict[str, int]]:
    """The mentor's shortest ways from base to each place and back: any visit
    is reached from base and left for home by some trips, which take at least
    that (a given time between two places may be longer than a detour)."""
    base = problem.mentors[mid].base
    return shortest_from(problem, base), shortest_from(problem, base, back=True)


def shortest_from(
    problem: Problem, place: str | None, *, back: bool = False
) -> dict[str, int]:
    """Shortest minutes from ``place`` to every place (to it, with ``back``),
    through any others (Dijkstra on the whole travel table)."""
    if place is None:
        return {}
    places = {a for a, _ in problem.travel} | {place}
    dist = {v: 10**9 for v in places}
    dist[place] = 0
    todo = set(places)
    while todo:
        u = min(todo, key=lambda v: (dist[v], v))
        todo.remove(u)
        for v in todo:
            leg = problem.travel_minutes(v, u) if back else problem.travel_minutes(u, v)
            dist[v] = min(dist[v], dist[u] + leg)
    return dist


def capacities(problem: Problem, tasks: list[Task]) -> dict[tuple[str, date], int]:
    """``day_capacity`` of every mentor-day some option uses, capped at the
    number of tasks with an option that day (one day's slots at a time)."""
    on_day: dict[tuple[str, date], list[tuple[int, Option]]] = defaultdict(list)
    for i, task in enumerate(tasks):
        for o in task.options:
            on_day[o.mentor, o.date].append((i, o))
    ways = {mid: ways_home(problem, mid) for mid in {m for m, _ in on_day}}
    table = travel_table(problem)
    caps = {}
    for key in sorted(on_day):
        slots = {
            (s, s + tasks[i].owed.minutes, o.venue)
            for i, o in on_day[key]
            for s in o.starts
        }
        most = day_capacity(problem, *key, slots, ways[key[0]], table)
        caps[key] = min(len({i for i, _ in on_day[key]}), most)
    return caps


def capacity_bounds(
    problem: Problem,
    tasks: list[Task],
    caps: dict[tuple[str, date], int] | None = None,
) -> Bounds:
    """The flow bounds above: ``lower`` on the objective of every plan,
    ``plannable`` on the events any plan places (``caps``: the
    ``capacities``, worked out here when not given)."""
    arcs = _arcs(tasks, caps if caps is not None else capacities(problem, tasks))
    flow = _max_flow(arcs)
    most = flow.optimal_flow()
    # the most priority any plan places: the same network, each event's unit
    # worth its priority, and what is not placed going straight to the sink
    cost = min_cost_flow.SimpleMinCostFlow()
    for tail, head, cap, price in [*arcs, (0, SINK, len(tasks), 0)]:
        cost.add_arc_with_capacity_and_unit_cost(tail, head, cap, price)
    cost.set_node_supply(0, len(tasks))
    cost.set_node_supply(SINK, -len(tasks))
    if cost.solve() != cost.OPTIMAL:
        raise RuntimeError("the events' minimum-cost flow was not solved")
    placed = -cost.optimal_cost()
    owed = sum(t.owed.priority for t in tasks)
    return Bounds(
        lower=problem.weights.unmet * (owed - placed),
        plannable=most,
        status="OPTIMAL",
    )


def cut_prices(
    problem: Problem,
    tasks: list[Task],
    caps: dict[tuple[str, date], int] | None = None,
) -> np.ndarray:
    """1 for each task cut off from the source by the events' minimum cut, 0
    for the rest: at these prices the chains' Lagrangian bound (``chains.py``)
    is at most the maximum flow, so its first round is no worse."""
    flow = _max_flow(
        _arcs(tasks, caps if caps is not None else capacities(problem, tasks))
    )
    kept = set(flow.get_source_side_min_cut())
    return np.array([0.0 if 2 + i in kept else 1.0 for i in range(len(tasks))])


def _arcs(
    tasks: list[Task], caps: dict[tuple[str, date], int]
) -> list[tuple[int, int, int, int]]:
    """The events' network (tail, head, capacity, cost): the source (0) to
    each task (2 + i), unit capacity, costing minus its priority; each task to
    the days it has an option on; each day to the sink (1), its capacity."""
    day_node = {key: 2 + len(tasks) + i for i, key in enumerate(caps)}
    arcs = []
    for i, task in enumerate(tasks):
        if not task.options:
            continue
        arcs.append((0, 2 + i, 1, -task.owed.priority))
        for key in sorted({(o.mentor, o.date) for o in task.options}):
            arcs.append((2 + i, day_node[key], 1, 0))
    arcs += [(node, SINK, caps[key], 0) for key, node in day_node.items()]
    return arcs


def _max_flow(arcs: list[tuple[int, int, int, int]]) -> max_flow.SimpleMaxFlow:
    flow = max_flow.SimpleMaxFlow()
    for tail, head, cap, _ in arcs:
        flow.add_arc_with_capacity(tail, head, cap)
    if flow.solve(0, SINK) != flow.OPTIMAL:
        raise RuntimeError("the events' maximum flow was not solved")
    return flow
