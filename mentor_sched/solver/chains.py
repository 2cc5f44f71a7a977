"""A bound from whole mentor-days: column generation over the days' chains.

The capacities' flow (``daycap.py``) lets every mentor-day fill its longest
chain with any events that have an option that day. Here each mentor-day
holds one *chain* (visits in time order, with the trips between them, from
base and home again: the chains ``day_capacity`` counts), and every owed event
is on at most one chain. The linear programme over all chains is solved by
column generation: the restricted programme (GLOP) over the chains found so
far gives each event a price, and each day's best chain at those prices
(``best_chain``, dynamic programming as in ``day_capacity``, worth the events'
values less their prices) joins the programme when it is worth more than the
day's own price.

Whatever the prices, the Lagrangian value ``sum of prices + sum over days of
the day's best chain at those prices`` is at least what any plan places: a
plan's events lie on one chain per day, each worth at least what the plan
gets from it less the prices of its events. So every round gives a bound that
holds, however far the programme is from solved and however loosely GLOP's
prices are rounded; the best round's is kept, component by component (a set of
events and days that share no option with the rest is a problem of its own).

It is a relaxation: a chain may hold the same event twice, and people, the
break, the daily limits and the travel cap are ignored, as in the capacities.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

import numpy as np
from ortools.math_opt.python import mathopt

from ..problem import ONLINE, Problem
from .bound import Bounds
from .daycap import cut_prices, day_trips, travel_table, ways_home
from .model import Task

NONE = -1e18  # no chain ends here
SMOOTHING = 0.5  # prices asked of the days: this share of the best round's
TOLERANCE = 1e-6  # a chain joins when worth more than this over its day's price;
# a bound is rounded down only past this share of itself
MORE = 2  # chains a day offers beside its best, each round
COUNT_SHARE = 0.7  # of the time, for the events before their priority


@dataclass
class Day:
    """One mentor-day's slots, sorted by start, as arrays."""

    key: tuple[str, date]
    first: int
    last: int
    trips: np.ndarray  # minutes between places; row 0 is base
    leave: np.ndarray  # the latest a slot at each place may end
    starts: np.ndarray  # the distinct starts
    cuts: np.ndarray  # slots of starts[k] are cuts[k]:cuts[k + 1]
    end: np.ndarray
    place: np.ndarray  # the place's row, or -1 online
    task: np.ndarray


def days_of(problem: Problem, tasks: list[Task]) -> list[Day]:
    """Every mentor-day some option uses, with its slots within working hours."""
    slots: dict[tuple[str, date], set[tuple[int, int, str, int]]] = {}
    for i, task in enumerate(tasks):
        for o in task.options:
            on = slots.setdefault((o.mentor, o.date), set())
            on.update((s, s + task.owed.minutes, o.venue, i) for s in o.starts)
    table = travel_table(problem)
    ways = {mid: ways_home(problem, mid) for mid in {m for m, _ in slots}}
    days = (
        day_of(problem, *key, slots[key], ways[key[0]], table) for key in sorted(slots)
    )
    return [d for d in days if d is not None]


def day_of(
    problem: Problem,
    mid: str,
    day: date,
    slots: set[tuple[int, int, str, int]],
    ways: tuple[dict[str, int], dict[str, int]] | None = None,
    table: tuple[dict[str, int], np.ndarray] | None = None,
) -> Day | None:
    """The mentor-day of ``slots`` (start, end, venue, task) within its
    working hours, or None when none is; ``ways`` and ``table`` as in
    ``day_capacity``."""
    hours = problem.mentors[mid].hours(day)
    if not hours:
        return None
    first, last = hours[0][0], hours[-1][1]
    kept = sorted(x for x in slots if x[0] >= first and x[1] <= last)
    if not kept:
        return None
    schools = sorted({v for _, _, v, _ in kept} - {ONLINE})
    row = {v: k + 1 for k, v in enumerate(schools)}
    trips = day_trips(problem, mid, schools, ways, table)
    # the shortest way between two places through any of the day's others: a
    # given time may be longer than a detour, and a chain that passes a place
    # by a slot worth nothing must still be counted without that slot
    for k in range(len(trips)):
        np.minimum(trips, trips[:, k : k + 1] + trips[k : k + 1, :], out=trips)
    starts, cuts = np.unique([s for s, _, _, _ in kept], return_index=True)
    return Day(
        key=(mid, day),
        first=first,
        last=last,
        trips=trips,
        leave=last - trips[:, 0],
        starts=starts,
        cuts=np.append(cuts, len(kept)),
        end=np.array([e for _, e, _, _ in kept]),
        place=np.array([row.get(v, -1) for _, _, v, _ in kept]),
        task=np.array([i for _, _, _, i in kept]),
    )


def best_chain(day: Day, value: np.ndarray) -> tuple[float, list[int]]:
    """The most valuable chain of ``day`` and its tasks (``best_chains``)."""
    top, chains = best_chains(day, value)
    return top, chains[0] if chains else []


def best_chains(
    day: Day, value: np.ndarray, more: int = 0
) -> tuple[float, list[list[int]]]:
    """The most valuable chain of ``day`` when task i is worth ``value[i]``
    (slots worth nothing or less are left out), and its tasks in time order.
    The chains are ``day_capacity``'s: the mentor is somewhere at every moment,
    in person at the slot's school, online wherever they are; from base when
    work starts, the trip between places, home before work ends. Dynamic
    programming over the starts: ``best[w, t]`` is the most valuable chain
    that leaves the mentor at place w by t, ``at[w, t]`` its last slot.
    Then up to ``more`` others, the best that end at other places, each worth
    something: the programme learns more from one round."""
    rows = len(day.trips)
    every = np.arange(rows)
    best = np.full((rows, day.last + 1), NONE)
    best[0, day.first :] = 0.0
    at = np.full((rows, day.last + 1), -1, dtype=np.int64)
    node_task: list[int] = []  # a chain's last slot's task, and the chain before it
    node_before: list[int] = []
    top, top_node = 0.0, -1
    worth = value[day.task]
    for k, s in enumerate(day.starts):
        lo, hi = day.cuts[k], day.cuts[k + 1]
        keep = lo + np.flatnonzero(worth[lo:hi] > 0)
        if not len(keep):
            continue
        # reach[w]: the most valuable chain that can have the mentor at w by s
        when = s - day.trips
        ok = when >= 0
        when = np.maximum(when, 0)
        came = np.where(ok, best[every[:, None], when], NONE)
        frm = came.argmax(axis=0)
        reach = came[frm, every]
        before = at[frm, when[frm, every]]
        # every slot at this start, at its school or (online) at every place
        online = keep[day.place[keep] < 0]
        there = keep[day.place[keep] >= 0]
        w = np.concatenate([day.place[there], np.repeat(every, len(online))])
        slot = np.concatenate([there, np.tile(online, rows)])
        e = day.end[slot]
        n = reach[w] + worth[slot]
        fits = (reach[w] > NONE / 2) & (e <= day.leave[w])
        if not fits.any():
            continue
        w, slot, e, n = w[fits], slot[fits], e[fits], n[fits]
        # the best slot for each (place, end): worked out before any is
        # written, so no slot follows another that begins with it
        order = np.lexsort((-n, e, w))
        w, slot, e, n = w[order], slot[order], e[order], n[order]
        lead = np.ones(len(w), dtype=bool)
        lead[1:] = (w[1:] != w[:-1]) | (e[1:] != e[:-1])
        w, slot, e, n = w[lead], slot[lead], e[lead], n[lead]
        ids = len(node_task) + np.arange(len(w))
        node_task.extend(day.task[slot].tolist())
        node_before.extend(before[w].tolist())
        # write each chain from its end on, keeping the better chain, in the
        # rows (places) written to
        lines, w = np.unique(w, return_inverse=True)
        span = slice(int(e.min()), day.last + 1)
        width = day.last + 1 - span.start
        new = np.full((len(lines), width), NONE)
        new_at = np.full((len(lines), width), -1, dtype=np.int64)
        new[w, e - span.start] = n
        new_at[w, e - span.start] = ids
        most = np.maximum.accumulate(new, axis=1)
        # where the running best was set: the latest column whose own value is it
        col = np.where((new == most) & (new > NONE / 2), np.arange(width), 0)
        col = np.maximum.accumulate(col, axis=1)
        from_at = np.take_along_axis(new_at, col, axis=1)
        old = best[lines, span]
        better = most > old
        best[lines, span] = np.where(better, most, old)
        at[lines, span] = np.where(better, from_at, at[lines, span])
        i = int(n.argmax())
        if n[i] > top:
            top, top_node = float(n[i]), int(ids[i])
    ends = [top_node] if top_node >= 0 else []
    if more and ends:
        last = best[:, day.last]
        for w in np.argsort(-last, kind="stable"):
            k = int(at[w, day.last])
            if len(ends) > more or last[w] <= 0:
                break
            if k not in ends:
                ends.append(k)
    chains = []
    for k in ends:
        chain = []
        while k >= 0:
            chain.append(node_task[k])
            k = node_before[k]
        chains.append(chain[::-1])
    return top, chains


def components(tasks: list[Task], days: list[Day]) -> np.ndarray:
    """Each day's component: days linked by a task with options on both."""
    parent = list(range(len(days)))

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    index = {d.key: k for k, d in enumerate(days)}
    for task in tasks:
        keys = sorted(
            {index[k] for o in task.options if (k := (o.mentor, o.date)) in index}
        )
        for k in keys[1:]:
            parent[root(k)] = root(keys[0])
    return np.array([root(k) for k in range(len(days))])


class ChainProgramme:
    """The linear programme over the chains found so far, and the best
    Lagrangian bound of each component."""

    def __init__(self, tasks: list[Task], days: list[Day]) -> None:
        self.tasks, self.days = tasks, days
        # GLOP, kept from round to round (MathOpt's incremental solver)
        self.lp = mathopt.Model()
        self.rows = [self.lp.add_linear_constraint(ub=1.0) for _ in tasks]
        self.one = [self.lp.add_linear_constraint(ub=1.0) for _ in days]
        self.lp.objective.is_maximize = True
        self.solver = mathopt.IncrementalSolver(self.lp, mathopt.SolverType.GLOP)
        self.columns: list[tuple[mathopt.Variable, list[int]]] = []
        _, self.group = np.unique(components(tasks, days), return_inverse=True)
        self.groups = int(self.group.max()) + 1 if len(days) else 0
        # a task with no slot on any day is in no component: no plan places it
        self.task_group = np.full(len(tasks), -1)
        for day, g in zip(days, self.group, strict=True):
            self.task_group[day.task] = g
        self.solved = False

    def bound(
        self,
        weight: np.ndarray,
        deadline: float,
        tell: Callable[[float], None],
        start: np.ndarray | None = None,
    ) -> float:
        """The least Lagrangian value found before ``deadline``, an upper bound
        on the sum of ``weight`` over the events any plan places; ``tell`` hears
        each better one."""
        for x, chain in self.columns:
            self.lp.objective.set_linear_coefficient(x, float(weight[chain].sum()))
        self.solved = False
        self.best = np.full(self.groups, math.inf)
        self.held = np.zeros(len(self.tasks))  # each component's prices at its best
        if not self.columns:
            # the first round at ``start`` or, when that finds no chain worth
            # anything (every event priced at its worth), at no prices: the
            # longest chains
            zero = np.zeros(len(self.tasks))
            for first in ([] if start is None else [start]) + [zero]:
                added = self._round(weight, first, None, deadline, tell)
                if added is None:
                    return float(self.best.sum())
                if added:
                    break
            if not self.columns:
                self.solved = True  # no day holds anything
                return float(self.best.sum())
        price, rim = self._solve()
        alpha = SMOOTHING
        while time.monotonic() < deadline:
            asked = alpha * self.held + (1 - alpha) * price
            added = self._round(weight, asked, (price, rim), deadline, tell)
            if added is None:
                break
            if not added:
                if alpha == 0.0:
                    # no chain is worth more: the programme is solved
                    self.solved = True
                    break
                alpha = 0.0  # the smoothed prices found nothing: ask the programme's
                continue
            alpha = SMOOTHING
            price, rim = self._solve()
        return float(self.best.sum())

    def _round(
        self,
        weight: np.ndarray,
        asked: np.ndarray,
        duals: tuple[np.ndarray, np.ndarray] | None,
        deadline: float,
        tell: Callable[[float], None],
    ) -> int | None:
        """Each day's best chain at prices ``asked``: the Lagrangian value by
        component, and the chains worth more than their day at the programme's
        prices ``duals`` (every chain without them) join it. The number that
        joined, or None when the deadline came first."""
        placed = self.task_group >= 0
        part = np.bincount(
            self.task_group[placed], weights=asked[placed], minlength=self.groups
        )
        added = 0
        for k, day in enumerate(self.days):
            if time.monotonic() >= deadline:
                return None
            value, chains = best_chains(day, weight - asked, MORE)
            part[self.group[k]] += value
            for chain in chains:
                if (
                    duals is None
                    or (weight - duals[0])[chain].sum() - duals[1][k] > TOLERANCE
                ):
                    self._add(k, chain, weight)
                    added += 1
        lower = part < self.best
        self.best[lower] = part[lower]
        mine = lower[np.maximum(self.task_group, 0)] if self.groups else placed
        self.held = np.where(mine & placed, asked, self.held)
        if lower.any() or not self.groups:
            tell(float(self.best.sum()))
        return added

    def _add(self, k: int, chain: list[int], weight: np.ndarray) -> None:
        x = self.lp.add_variable(lb=0.0)
        for i in set(chain):
            self.rows[i].set_coefficient(x, chain.count(i))
        self.one[k].set_coefficient(x, 1.0)
        self.lp.objective.set_linear_coefficient(x, float(weight[chain].sum()))
        self.columns.append((x, chain))

    def _solve(self) -> tuple[np.ndarray, np.ndarray]:
        found = self.solver.solve()
        if found.termination.reason != mathopt.TerminationReason.OPTIMAL:
            raise RuntimeError("the chains' linear programme was not solved")
        price = np.maximum(0.0, found.dual_values(self.rows))
        rim = np.maximum(0.0, found.dual_values(self.one))
        return price, rim


def chain_bounds(
    problem: Problem,
    tasks: list[Task],
    deadline: float,
    tell: Callable[[Bounds], None],
    caps: dict[tuple[str, date], int] | None = None,
) -> Bounds:
    """The most events any plan places (``plannable``), then the most priority
    (``lower``: ``unmet`` times the rest), each the programme's best bound by
    ``deadline``; ``tell`` hears each better pair. The events get up to
    ``COUNT_SHARE`` of the time, the priority the rest. ``caps``: the
    mentor-days' capacities, when already worked out."""
    some = [t for t in tasks if t.options]
    owed = sum(t.owed.priority for t in tasks)
    programme = ChainProgramme(some, days_of(problem, some))
    found = Bounds(lower=None, plannable=None, status="FEASIBLE")

    def told(**better: int) -> None:
        nonlocal found
        found = replace(found, **better)
        tell(found)

    def most(value: float) -> int:
        return math.floor(value + TOLERANCE * max(1.0, value))

    def events(value: float) -> None:
        if found.plannable is None or most(value) < found.plannable:
            told(plannable=most(value))

    def priority(value: float) -> None:
        lower = max(0, problem.weights.unmet * (owed - most(value)))
        if found.lower is None or lower > found.lower:
            told(lower=lower)

    share = time.monotonic() + COUNT_SHARE * max(0.0, deadline - time.monotonic())
    programme.bound(np.ones(len(some)), share, events, cut_prices(problem, some, caps))
    weight = np.array([t.owed.priority for t in some], dtype=float)
    if (weight == 1).all() and programme.solved:
        priority(found.plannable if found.plannable is not None else len(some))
    else:
        programme.bound(weight, deadline, priority)
    return found
