"""Whole mentor-days recombined: column generation over real day routes, then
an integer choice of one route per mentor-day, two weeks at a time.

The search moves a few mentor-days at a time, and ends where no such move
helps. Here every mentor-day's meetings and observations are chosen again at
once. A *route* is one mentor-day's events at their starts, checked by
``fit_day`` (every rule of one day: overlaps, trips, base, daily limits, the
break); the current plan's routes are the first ones. The linear programme
(GLOP) over the routes found so far, with each event on at most one chosen
route and at most one route a day, prices every event; each day's best route
at those prices (``pricing.Router``, the day router compiled, over the day's
group sessions, covers and pins, which stay, and its most valuable events
less their prices) joins the programme when it is worth more than the day's
own price. Prices start from each route's value split over its events and
are smoothed round to round (the programme's own prices tie at first). Few
events are offered to each day's pricing while the programme's value grows,
then more. Then, two weeks at a time and a week further each time, SCIP (its
root only: deterministic) picks one route a day, each event once, no person
in two places at a time, the most valuable, among the routes whose events
are unplanned or planned in those weeks; each choice is kept only if the
whole plan's objective (``Ledger``) is better and no more priority-weighted
events are unplanned.

This is price-and-branch, a heuristic: the pricing keeps few labels and
offers few events, so the programme's value is no bound (``chains.py``
gives the bound).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from ortools.linear_solver import pywraplp

from ..candidates import Option
from .construct import day_travel, fit_day
from .dayroute import Node, clear_starts
from .model import Task, movable

if TYPE_CHECKING:
    from .lns import Search

Day = tuple[str, date]
Route = tuple[tuple[str, Option, int], ...]  # (owed id, option, start), sorted

PRICE_LABELS = 4  # labels kept per event when pricing (best_day keeps 16)
# events offered to a day's pricing, the most valuable: few while that is
# enough, then more once the programme's value stops growing (None: all)
NODES_PER_PRICE: tuple[int | None, ...] = (30, 60, None)
STALL = 1e-4  # rounds that add less than this share of the value: stalled
STALL_ROUNDS = 3
SMOOTH = 0.5  # each round's prices: this share of the last round's
# weeks chosen together by one integer programme (events' windows span up to
# two weeks), a week further each time
WINDOW = 2
# deterministic work per day priced (the Python around the router), and per
# (label, event) pair the router looked at (about 15 million a second)
WORK_PER_PRICE = 2e-4
WORK_PER_PAIR = 3e-8
WORK_PER_COLUMN = 2e-5  # and per route in the programme, each round
# SCIP's branch-and-bound nodes, a deterministic limit: its root (the
# programme, cuts and heuristics) found most of what 100 nodes found, in a
# third of the time (benchmarks/RESULTS.md, eighth session)
IP_NODES = 1
WORK_PER_CHOICE = 8e-4  # per route in a week's integer programme
MAX_DAYS = 1_000  # mentor-days: past this a round is dearer than it is worth
MIN_DAYS = 100  # and below this it is not run: the example's plans stay
TOLERANCE = 1e-6


def recombine(
    search: Search,
    work_limit: float,
    clock: Callable[[], float],
    seconds: float,
) -> bool:
    """Recombine the plan's mentor-days (module docstring) within the search's
    ``work_limit``: the rounds stop where what the weeks' integer programmes
    will take is left, each counted in deterministic work. ``clock()`` (the
    share of ``seconds`` used) reaching 1 stops it too, and SCIP is given what
    is left of ``seconds`` as a safety (``search.clocked`` says when that cut
    it). Returns whether the plan was changed (it is then better)."""
    st, p = search.state, search.problem
    w = p.weights
    tasks = search.tasks
    days = sorted(set(search.day_options) | {k for k, v in st.days.items() if v})
    if not days or len(days) > MAX_DAYS:
        return False
    glop = pywraplp.Solver.CreateSolver("GLOP")
    if glop is None:
        return False

    def free(oid: str) -> bool:
        return movable(tasks[oid])

    def routes(keys: set[Day] | None = None) -> dict[Day, Route]:
        """The plan's mentor-days (those of ``keys``) as routes."""
        return {
            key: tuple(
                sorted(
                    (oid, st.choices[oid].option, st.choices[oid].start)
                    for *_, oid in items
                )
            )
            for key, items in st.days.items()
            if items and (keys is None or key in keys)
        }

    current = routes()
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

    from .pricing import Router  # numba: compiled on first use, then cached

    router = Router(p)
    # each day's events that stay, and what else could go there: (task,
    # option, starts clear of the people's other events, worth, usual start)
    stay: dict[Day, list[Node]] = {}
    could: dict[Day, list[tuple[Task, Option, tuple[int, ...], float, int | None]]] = {}
    for key in days:
        day = key[1]
        stay[key] = [
            Node(tasks[oid], o, (s,), 0.0, (), 0.0, True)
            for oid, o, s in kept.get(key, ())
        ]
        could[key] = []
        for task, option in search.day_options.get(key, ()):
            taken = [
                (a, b)
                for pid in task.owed.people
                if pid not in option.missed
                for a, b, k in busy.get((pid, day), ())
                if k != key
            ]
            starts = clear_starts(option.starts, task.owed.minutes, taken)
            if not starts:
                continue
            u = usual[task.owed.id]
            own = u[1] if u is not None and u[0] == day.weekday() else None
            v = worth(task.owed.id, option) - (w.pattern if u is not None else 0)
            could[key].append((task, option, starts, v, own))

    def price(
        key: Day, prices: dict[str, float], width: int | None
    ) -> tuple[float, Route] | None:
        """The day's best route at ``prices``: its events that stay, and the
        ``width`` most valuable others that fit around them."""
        offered = []
        for task, option, starts, v, own in could[key]:
            v -= prices.get(task.owed.id, 0.0)
            bonus = float(w.pattern) if own is not None else 0.0
            if v + bonus <= TOLERANCE:
                continue
            preferred = (own,) if own is not None else ()
            offered.append(Node(task, option, starts, v, preferred, bonus, False))
        offered.sort(key=lambda n: (-(n.value + n.bonus), n.task.owed.id))
        found = router.best(*key, stay[key] + offered[:width], PRICE_LABELS)
        if found is None:
            return None
        score, route, _ = found
        return score, tuple(sorted((n.task.owed.id, n.option, s) for n, s in route))

    # the programme's prices tie at first (a plan's routes alone are priced
    # by any split of their values between days and events), and those the
    # simplex picks make every day's new route reach for the same events; so
    # prices start from each route's value split over its events, by worth,
    # and each round's are smoothed toward the last round's
    prices: dict[str, float] = {}
    own = {key: 0.0 for key in days}
    for key, route in current.items():
        share = {oid: worth(oid, o) for oid, o, _ in route if oid in task_row}
        whole = sum(share.values())
        v = value(key, route)
        if whole <= 0:
            own[key] = v
            continue
        for oid, x in share.items():
            prices[oid] = v * x / whole
    level, values = 0, []

    def reserve() -> float:
        """The work the weeks' integer programmes will take."""
        return WORK_PER_CHOICE * WINDOW * len(columns)

    while search.stats.work + reserve() < work_limit:
        if clock() >= 1.0:
            search.clocked = True
            break
        glop.Solve()
        values.append(objective.Value())
        # the first rounds may not move the value (many programmes tie), so
        # a level has stalled when its last rounds added almost nothing
        if len(values) > STALL_ROUNDS and values[-1] - values[
            -1 - STALL_ROUNDS
        ] <= STALL * abs(values[-1]):
            if level + 1 == len(NODES_PER_PRICE):
                break
            level += 1
            values = values[-1:]
        prices = {
            oid: SMOOTH * prices.get(oid, 0.0) + (1 - SMOOTH) * row.dual_value()
            for oid, row in task_row.items()
        }
        own = {
            key: SMOOTH * own[key] + (1 - SMOOTH) * row.dual_value()
            for key, row in day_row.items()
        }
        search.stats.work += WORK_PER_COLUMN * len(columns)
        new = 0
        for key in days:
            if search.stats.work + reserve() >= work_limit:
                break
            if clock() >= 1.0:
                search.clocked = True
                break
            pairs = router.pairs
            found = price(key, prices, NODES_PER_PRICE[level])
            search.stats.work += WORK_PER_PRICE + WORK_PER_PAIR * (router.pairs - pairs)
            if found is None:
                continue
            score, route = found
            if score > own[key] + TOLERANCE and add(key, route):
                new += 1
        if not new:
            if level + 1 == len(NODES_PER_PRICE):
                break
            level += 1
    # one route a day, chosen two weeks at a time (the whole cluster at once
    # was too large for SCIP to improve on the plan): each choice's events
    # may come from those unplanned or planned in its weeks; what a choice
    # takes, later ones cannot
    weeks = sorted({search.week_of[key[1]] for key in days})
    changed = False
    for week in weeks:
        if search.stats.work >= work_limit:
            break
        if clock() >= 1.0:
            search.clocked = True  # weeks left unchosen: the machine's speed
            break
        window = {key for key in days if 0 <= search.week_of[key[1]] - week < WINDOW}
        now = routes(window)
        for key in sorted(now):
            add(key, now[key])
        left = seconds * max(0.0, 1.0 - clock())
        better, size = _choose(search, columns, now, kept, free, left, window)
        changed = changed or better
        search.stats.work += WORK_PER_CHOICE * size
    return changed


def _choose(
    search: Search,
    columns: list[tuple[Day, Route, float]],
    current: dict[Day, Route],
    kept: dict[Day, Route],
    free: Callable[[str], bool],
    seconds: float,
    window: set[Day],
) -> tuple[bool, int]:
    """Hard: one route a day (the day's staying events in it), each event on
    one route, no person in two events at once (rule 5); soft: the most
    valuable. Put into the plan if the whole plan is then better. Returns
    that, and how many routes the choice was among."""
    st, tasks = search.state, search.tasks
    scip = pywraplp.Solver.CreateSolver("SCIP")
    if scip is None:
        return False, 0
    where = {oid: (c.option.mentor, c.option.date) for oid, c in st.choices.items()}
    columns = [
        c
        for c in columns
        if c[0] in window
        and all(where.get(oid, c[0]) in window for oid, _, _ in c[1] if free(oid))
    ]
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
        return False, len(columns)
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
        return False, len(columns)
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
        return True, len(columns)
    search._restore(snapshot, legs)
    for key in changed:
        search.ledger.set_travel(key, st.travel(key))
    search.current, search.unmet = before, unmet
    return False, len(columns)
