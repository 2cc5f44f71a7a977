"""A relaxation of the whole cluster: bounds that hold for every possible plan.

The relaxation keeps which mentor-day (and venue) each event goes to and drops
exact start times and the order of visits. Per mentor-day it keeps, as valid
inequalities every plan satisfies:

- the minutes in events within the working minutes and ``max_minutes_per_day``;
- events, travel and the break within the span from the start to the end of
  work (everything the mentor does that day lies in it);
- travel at least the cheapest way into each school visited (from base or from
  another school that day could visit) and, with a base, the cheapest way home;
  within ``max_travel_minutes_per_day``;

and per person-day, meetings within their free minutes and observations within
their teaching minutes. Group order, overlaps inside a day, the weekly pattern
and the share are relaxed away (their terms count as zero).

CP-SAT's best bound on the relaxation's minimum is then a lower bound on the
objective of every plan (pattern, share and change are at least 0), and its
best bound on the most events the relaxation can hold is an upper bound on how
many owed events any plan can place.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from ortools.linear_solver.python import model_builder as mb

from ..problem import ONLINE, Problem
from .model import Task


@dataclass(frozen=True)
class Bounds:
    lower: int | None  # on the objective of every plan
    plannable: int | None  # most owed events any plan can place
    status: str  # of the lower-bound solve: OPTIMAL when the relaxation is solved


def relaxation(problem: Problem, tasks: list[Task], *, maximise_planned: bool):
    """The relaxed model and its objective expression."""
    p, w = problem, problem.weights
    m = mb.Model()
    y: dict[tuple[int, int], mb.Variable] = {}
    by_day: dict[tuple[str, date], list[tuple[int, int]]] = defaultdict(list)
    by_person: dict[tuple[str, date, str], list[tuple[int, int]]] = defaultdict(list)
    unmet_terms, missed_terms, planned_terms = [], [], []
    for t, task in enumerate(tasks):
        lits = []
        for o, opt in enumerate(task.options):
            v = m.new_num_var(0, 1, "")
            y[t, o] = v
            lits.append(v)
            by_day[opt.mentor, opt.date].append((t, o))
            if task.owed.kind in ("meeting", "observation"):
                by_person[task.owed.people[0], opt.date, task.owed.kind].append((t, o))
            if opt.missed:
                missed_terms.append(len(opt.missed) * v)
        if task.fixed:
            m.add(sum(lits) == 1)
        elif lits:
            m.add(sum(lits) <= 1)
        unmet_terms.append(task.owed.priority * (1 - sum(lits)))
        planned_terms.extend(lits)
    travel_terms = []
    for (mid, day), nodes in sorted(by_day.items()):
        mentor = p.mentors[mid]
        hours = mentor.hours(day)
        span = hours[-1][1] - hours[0][0]
        working = sum(b - a for a, b in hours)
        minutes = sum(tasks[t].owed.minutes * y[t, o] for t, o in nodes)
        m.add(minutes <= working)
        if mentor.max_minutes_per_day is not None:
            m.add(minutes <= mentor.max_minutes_per_day)
        places = sorted(
            {tasks[t].options[o].venue for t, o in nodes} - {ONLINE, mentor.base}
        )
        travel = 0
        if places:
            base = mentor.base
            visit = {s: m.new_num_var(0, 1, "") for s in places}
            for t, o in nodes:
                venue = tasks[t].options[o].venue
                if venue in visit:
                    m.add(y[t, o] <= visit[venue])
            sources = [*places, *([base] if base else [])]
            into = {
                s: min(
                    (p.travel_minutes(a, s) for a in sources if a != s),
                    default=0,
                )
                for s in places
            }
            travel = m.new_num_var(0, 24 * 60, "")
            need = sum(into[s] * visit[s] for s in places)
            if base is None:
                # the day's first school needs no trip into it: whichever it
                # is, at most the dearest way in is saved
                m.add(travel >= need - max(into.values()))
            else:
                # and the way home from wherever the day ends
                home = min(p.travel_minutes(s, base) for s in places)
                for s in places:
                    m.add(travel >= need + home * visit[s])
            if mentor.max_travel_minutes_per_day is not None:
                m.add(travel <= mentor.max_travel_minutes_per_day)
            travel_terms.append(travel)
        used = 0
        if mentor.break_minutes and mentor.break_window:
            a, b = mentor.break_window
            if hours[0][0] <= a and b <= hours[-1][1]:
                used = m.new_num_var(0, 1, "")
                for t, o in nodes:
                    m.add(y[t, o] <= used)
                used = mentor.break_minutes * used
        m.add(minutes + travel + used <= span)
    # events whose every start covers a moment of the day (their compulsory
    # part) cannot share that moment: one at a time for the mentor and for
    # each person
    for nodes in by_day.values():
        _one_at_a_time(m, y, tasks, nodes)
    attends: dict[tuple[str, date], list[tuple[int, int]]] = defaultdict(list)
    for t, o in y:
        opt = tasks[t].options[o]
        for pid in tasks[t].owed.people:
            if pid not in opt.missed:
                attends[pid, opt.date].append((t, o))
    for nodes in attends.values():
        _one_at_a_time(m, y, tasks, nodes)
    for (pid, day, kind), nodes in sorted(by_person.items()):
        person = p.people[pid]
        ranges = (person.free if kind == "meeting" else person.teaching).get(day, ())
        room = sum(b - a for a, b in ranges)
        m.add(sum(tasks[t].owed.minutes * y[t, o] for t, o in nodes) <= room)
    if maximise_planned:
        m.maximize(sum(planned_terms))
    else:
        m.minimize(
            w.unmet * sum(unmet_terms)
            + w.missed_attendance * sum(missed_terms)
            + w.travel * sum(travel_terms)
        )
    return m


def _one_at_a_time(m, y, tasks: list[Task], nodes: list[tuple[int, int]]) -> None:
    parts = []
    for t, o in nodes:
        opt = tasks[t].options[o]
        a, b = opt.starts[-1], opt.starts[0] + tasks[t].owed.minutes
        if a < b:
            parts.append((a, b, y[t, o]))
    if len(parts) < 2:
        return
    for a, _, _ in parts:
        clique = [v for lo, hi, v in parts if lo <= a < hi]
        if len(clique) > 1:
            m.add(sum(clique) <= 1)


def relaxation_bounds(
    problem: Problem, tasks: list[Task], *, time_limit: float, seed: int = 0
) -> Bounds:
    """Lower bound on the objective and upper bound on events planned: the
    relaxation's linear programme (GLOP), each within half of ``time_limit``.
    A linear programme's optimum bounds its integer one; a small tolerance
    absorbs floating-point error."""
    del seed  # the simplex method is deterministic
    lower, status = _solve(problem, tasks, time_limit / 2, maximise=False)
    upper, _ = _solve(problem, tasks, time_limit / 2, maximise=True)
    return Bounds(
        lower=None if lower is None else math.ceil(lower - 1e-6 * abs(lower) - 1e-6),
        plannable=None if upper is None else math.floor(upper + 1e-6 * upper + 1e-6),
        status=status,
    )


def _solve(
    problem: Problem, tasks: list[Task], seconds: float, *, maximise: bool
) -> tuple[float | None, str]:
    model = relaxation(problem, tasks, maximise_planned=maximise)
    solver = mb.Solver("glop")
    solver.set_time_limit_in_seconds(max(0.5, seconds))
    status = solver.solve(model)
    if status == mb.SolveStatus.OPTIMAL:
        return solver.objective_value, "OPTIMAL"
    return None, str(status)
