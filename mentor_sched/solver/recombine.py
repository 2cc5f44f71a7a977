"""Whole mentor-days recombined: column generation over real day routes, then
an integer choice of one route per mentor-day.

The search moves a few mentor-days at a time, and ends where no such move
helps. Here every mentor-day's meetings and observations are chosen again at
once. A *route* is one mentor-day's events at their starts, checked by
``fit_day`` (every rule of one day: overlaps, trips, base, daily limits, the
break); the current plan's routes are the first ones. The linear programme
(GLOP) over the routes found so far, with each event on at most one chosen
route and at most one route a day, prices every event; each day's best route
at those prices (``dayroute.best_day`` over the day's group sessions, covers
and pins, which stay, and its most valuable events less their prices) joins
the programme when it is worth more than the day's own price. Then SCIP picks
one route a day, each event once, no person in two places at a time, the most
valuable; it is kept only if the whole plan's objective (``Ledger``) is better
and no more priority-weighted events are unplanned.

This is price-and-branch, a heuristic: the pricing looks at a few events a
day, so the programme's value is no bound (``chains.py`` gives the bound).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from ortools.linear_solver import pywraplp

from ..candidates import Option
from .construct import day_travel, fit_day
from .dayroute import WORK_PER_LABEL, Node, best_day, clear_starts
from .model import movable

if TYPE_CHECKING:
    from .lns import Search

Day = tuple[str, date]
Route = tuple[tuple[str, Option, int], ...]  # (owed id, option, start), sorted

NODES_PER_PRICE = 20  # events offered to a day's pricing, the most valuable
WORK_PER_PRICE = 4e-4  # deterministic work per day priced, beside its labels
WORK_PER_COLUMN = 2e-5  # and per route in the programme, each round
IP_NODES = 2_000  # SCIP's branch-and-bound nodes: a deterministic limit
MAX_DAYS = 1_000  # mentor-days: past this a round is dearer than it is worth
TOLERANCE = 1e-6


def recombine(
    search: Search,
    work_limit: float,
    clock: Callable[[], float],
    seconds: float,
) -> bool:
    """Recombine the plan's mentor-days (module docstring) until the search's
    work reaches ``work_limit`` or ``clock()`` (the share of ``seconds`` used)
    reaches 1; SCIP gets what is then left of ``seconds``. Returns whether the
    plan was changed (it is then better)."""
    st, p = search.state, search.problem
    w = p.weights
    tasks = search.tasks
    days = sorted(set(search.day_options) | {k for k, v in st.days.items() if v})
    if not days or len(days) > MAX_DAYS:
        return False
    scip = pywraplp.Solver.CreateSolver("SCIP")
    glop = pywraplp.Solver.CreateSolver("GLOP")
    if scip is None or glop is None:
        return False

    def free(oid: str) -> bool:
        return movable(tasks[oid])

    current: dict[Day, Route] = {
        key: tuple(
            sorted(
                (oid, st.choices[oid].option, st.choices[oid].start)
                for *_, oid in items
            )
        )
        for key, items in st.days.items()
        if items
    }
    kept = {key: tuple(x for x in r if not free(x[0])) for key, r in current.items()}
    usual = {oid: search._usual(t) for oid, t in tasks.items() if free(oid)}
    # people's times in events that stay, by (person, date): the day's own aside
    busy: dict[tuple[str, date], list[tuple[int, int, Day]]] = defaultdict(list)
    for key, r in kept.items():
        for oid, o, s in r:
            for pid in tasks[oid].owed.people:
                if pid not in o.missed:
                    busy[pid, key[1]].append((s, s + tasks[oid].owed.minutes, key))

    def worth(oid: str, option: Option) -> float:
        t = tasks[oid]
        return w.unmet * t.owed.priority - w.missed_attendance * len(option.missed)

    def value(key: Day, route: Route) -> float:
        """Soft: what the route's events are worth less its travel and the
        events off their series' usual weekday and start."""
        venues = [v for _, _, v in sorted((s, oid, o.venue) for oid, o, s in route)]
        total = -w.travel * day_travel(p, key[0], venues)
        for oid, o, s in route:
            if free(oid):
                total += worth(oid, o)
                u = usual[oid]
                if u is not None and (key[1].weekday(), s) != u:
                    total -= w.pattern
        return total

    # the programme: one row per day (exactly one route where events stay)
    inf = glop.infinity()
    day_row = {
        key: glop.Constraint(1.0 if kept.get(key) else -inf, 1.0) for key in days
    }
    free_ids = sorted(oid for oid in usual if tasks[oid].options)
    task_row = {oid: glop.Constraint(-inf, 1.0) for oid in free_ids}
    objective = glop.Objective()
    objective.SetMaximization()
    columns: list[tuple[Day, Route, float]] = []
    seen: set[tuple[Day, Route]] = set()

    def add(key: Day, route: Route) -> bool:
        if (key, route) in seen:
            return False
        if tuple(x for x in route if not free(x[0])) != kept.get(key, ()):
            return False
        items = sorted(
            (s, s + tasks[oid].owed.minutes, o.venue, oid) for oid, o, s in route
        )
        if fit_day(p, key[0], key[1], items) is None:
            return False
        seen.add((key, route))
        v = value(key, route)
        x = glop.NumVar(0.0, 1.0, "")
        day_row[key].SetCoefficient(x, 1.0)
        for oid, _, _ in route:
            if oid in task_row:
                task_row[oid].SetCoefficient(x, 1.0)
        objective.SetCoefficient(x, v)
        columns.append((key, route, v))
        return True

    for key in sorted(current):
        add(key, current[key])

    def price(key: Day, prices: dict[str, float]) -> tuple[float, Route, int] | None:
        """The day's best route at ``prices``: its events that stay, and the
        ``NODES_PER_PRICE`` most valuable others that fit around them."""
        mid, day = key
        nodes = [
            Node(tasks[oid], o, (s,), 0.0, (), 0.0, True)
            for oid, o, s in kept.get(key, ())
        ]
        offered = []
        for task, option in search.day_options.get(key, ()):
            oid = task.owed.id
            v = worth(oid, option) - prices.get(oid, 0.0)
            u = usual[oid]
            preferred: tuple[int, ...] = ()
            bonus = 0.0
            if u is not None:
                v -= w.pattern
                if u[0] == day.weekday():
                    preferred, bonus = (u[1],), float(w.pattern)
            if v + bonus <= TOLERANCE:
                continue
            taken = [
                (a, b)
                for pid in task.owed.people
                if pid not in option.missed
                for a, b, k in busy.get((pid, day), ())
                if k != key
            ]
            starts = clear_starts(option.starts, task.owed.minutes, taken)
            if starts:
                offered.append(Node(task, option, starts, v, preferred, bonus, False))
        offered.sort(key=lambda n: (-(n.value + n.bonus), n.task.owed.id))
        found = best_day(p, mid, day, nodes + offered[:NODES_PER_PRICE])
        if found is None:
            return None
        score, route, made = found
        return (
            score,
            tuple(sorted((n.task.owed.id, n.option, s) for n, s in route)),
            made,
        )

    while search.stats.work < work_limit and clock() < 1.0:
        glop.Solve()
        prices = {oid: row.dual_value() for oid, row in task_row.items()}
        own = {key: row.dual_value() for key, row in day_row.items()}
        search.stats.work += WORK_PER_COLUMN * len(columns)
        new = 0
        for key in days:
            if search.stats.work >= work_limit or clock() >= 1.0:
                break
            found = price(key, prices)
            search.stats.work += WORK_PER_PRICE
            if found is None:
                continue
            score, route, made = found
            search.stats.work += made * WORK_PER_LABEL
            if score > own[key] + TOLERANCE and add(key, route):
                new += 1
        if not new:
            break
    left = seconds * max(0.0, 1.0 - clock())
    return _choose(search, scip, columns, current, kept, free, left)


def _choose(
    search: Search,
    scip: pywraplp.Solver,
    columns: list[tuple[Day, Route, float]],
    current: dict[Day, Route],
    kept: dict[Day, Route],
    free: Callable[[str], bool],
    seconds: float,
) -> bool:
    """Hard: one route a day (the day's staying events in it), each event on
    one route, no person in two events at once (rule 5); soft: the most
    valuable. Put into the plan if the whole plan is then better."""
    st, tasks = search.state, search.tasks
    x = [scip.BoolVar("") for _ in columns]
    by_day: dict[Day, list[int]] = defaultdict(list)
    by_task: dict[str, list[int]] = defaultdict(list)
    attend: dict[tuple[str, date], list[tuple[int, int, int]]] = defaultdict(list)
    for i, (key, route, _) in enumerate(columns):
        by_day[key].append(i)
        for oid, o, s in route:
            if free(oid):
                by_task[oid].append(i)
            for pid in tasks[oid].owed.people:
                if pid not in o.missed:
                    attend[pid, key[1]].append((s, s + tasks[oid].owed.minutes, i))
    for key, ids in by_day.items():
        total = sum(x[i] for i in ids)
        scip.Add(total == 1 if kept.get(key) else total <= 1)
    for ids in by_task.values():
        if len(ids) > 1:
            scip.Add(sum(x[i] for i in ids) <= 1)
    # two events overlap when one holds the other's start: one row per start
    for spans in attend.values():
        if len({columns[i][0] for *_, i in spans}) < 2:
            continue
        for t in sorted({a for a, _, _ in spans}):
            ids = sorted({i for a, b, i in spans if a <= t < b})
            if len({columns[i][0] for i in ids}) > 1:
                scip.Add(sum(x[i] for i in ids) <= 1)
    scip.Maximize(sum(v * x[i] for i, (_, _, v) in enumerate(columns)))
    scip.SetHint(x, [1.0 if current.get(k) == r else 0.0 for k, r, _ in columns])
    scip.SetSolverSpecificParametersAsString(f"limits/nodes = {IP_NODES}\n")
    scip.SetTimeLimit(max(1, int(1000 * seconds)))
    status = scip.Solve()
    if status not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
        return False
    if status != pywraplp.Solver.OPTIMAL and scip.wall_time() >= 1000 * seconds:
        search.clocked = True  # SCIP's answer depends on the machine's speed
    chosen = {
        columns[i][0]: columns[i][1]
        for i in range(len(columns))
        if x[i].solution_value() > 0.5
    }
    changed = sorted(
        k for k in set(current) | set(chosen) if current.get(k) != chosen.get(k)
    )
    if not changed:
        return False
    before, unmet = search.current, search.unmet
    snapshot, legs = dict(st.choices), dict(st.legs)
    for key in changed:
        for oid, _, _ in current.get(key, ()):
            if free(oid) and oid in st.choices:
                st.remove(tasks[oid])
    for key in changed:
        for oid, o, s in chosen.get(key, ()):
            if free(oid):
                st.add(tasks[oid], o, s)
    fits = True
    for key in changed:
        found = fit_day(search.problem, key[0], key[1], st.days.get(key, []))
        fits = fits and found is not None
        st.legs[key] = found or {}
        search.ledger.set_travel(key, st.travel(key))
    if fits and search._accept(before, unmet, strict=True):
        return True
    search._restore(snapshot, legs)
    for key in changed:
        search.ledger.set_travel(key, st.travel(key))
    search.current, search.unmet = before, unmet
    return False
