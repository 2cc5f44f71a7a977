"""Rule 2, hard: a mentor is in at most one event at a time; between two
in-person events at different places, the time free of other events is at
least the travel time, and each trip lies inside that gap.

In the model: a circuit per mentor-day over its in-person options, whose arcs
leave the travel time between consecutive events and make each trip a busy
interval (``travel_fits``; its depot arcs are rule 3, ``base_trips``), then no
two busy intervals of a mentor-day overlap (``mentor_no_overlap``). In the
construction: ``events_apart``, ``between_legs`` and ``trips_fit``.
"""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING

from ..problem import ONLINE, Problem
from .base_trips import base_trips
from .starts import free_parts

if TYPE_CHECKING:
    from ..solver.model import SubModel

NUMBER = "2"

Item = tuple[int, int, str, str]  # (start, end, venue, owed id) on a mentor-day
Leg = tuple[str, str, int, int, int]  # from id, to id, earliest, latest, minutes


def travel_fits(sub: SubModel) -> None:
    """Hard (CP-SAT): between consecutive in-person events at different places the
    mentor travels, busy for the travel time; with rule 3 (``base_trips``), the
    day's first and last trips from and to ``base`` lie inside working hours."""
    m, p = sub.model, sub.problem
    for (mid, day), nodes in sorted(sub.by_mentor_day().items()):
        mentor = p.mentors[mid]
        inperson = [(t, o) for t, o in nodes if sub.tasks[t].options[o].venue != ONLINE]
        places = {sub.tasks[t].options[o].venue for t, o in inperson}
        if not inperson or (len(places) == 1 and mentor.base in (None, *places)):
            continue
        hours = mentor.hours(day)
        day_start, day_end = hours[0][0], hours[-1][1]
        # a trip need not leave the moment an event ends: with a break, or
        # an online event that may sit in the same gap, it may leave later
        flexible = (
            not sub.fixed_trips and (bool(mentor.break_minutes and mentor.break_window))
        ) or any(sub.tasks[t].options[o].venue == ONLINE for t, o in nodes)
        key = (mid, day)
        arcs: list = []
        circuit = []
        used = m.new_bool_var(f"used_{mid}_{day}")
        circuit.append((0, 0, ~used))
        for i, (t, o) in enumerate(inperson, start=1):
            circuit.append((i, i, ~sub.x[t, o]))
            m.add_implication(sub.x[t, o], used)
        for i, (ti, oi) in enumerate(inperson, start=1):
            a = sub.tasks[ti].options[oi]
            len_i = sub.tasks[ti].owed.minutes
            base_trips(
                sub, key, i, (ti, oi), circuit, arcs, flexible, (day_start, day_end)
            )
            for j, (tj, oj) in enumerate(inperson, start=1):
                if i == j or ti == tj:
                    continue
                b = sub.tasks[tj].options[oj]
                T = p.travel_minutes(a.venue, b.venue)
                if a.starts[0] + len_i + T > b.starts[-1]:
                    continue  # j can never follow i
                lit = m.new_bool_var("")
                circuit.append((i, j, lit))
                m.add(sub.s[tj, oj] >= sub.s[ti, oi] + len_i + T).only_enforce_if(lit)
                if T:
                    sub.trip(
                        key,
                        sub.s[ti, oi] + len_i,
                        T,
                        lit,
                        flexible,
                        (a.starts[0] + len_i, b.starts[-1] - T),
                        sub.s[tj, oj],
                        (ti, tj),
                    )
                    arcs.append((i, j, lit, T))
        m.add_circuit(circuit)
        sub.travel_cuts(mid, day, inperson, arcs)
        sub.arcs[mid, day] = arcs
        sub.day_nodes[mid, day] = inperson
        sub.circuits[mid, day] = circuit


def mentor_no_overlap(sub: SubModel) -> None:
    """Hard (CP-SAT): a mentor is in at most one event or trip at a time (and not
    in either during the break, which ``daily_limits_and_break`` makes busy)."""
    for (_mid, _day), intervals in sorted(sub.busy.items()):
        if len(intervals) > 1:
            sub.model.add_no_overlap(intervals)


def events_apart(items: list[Item]) -> bool:
    """Hard (construction): a mentor-day's events, sorted by start, do not overlap."""
    return all(b[0] >= a[1] for a, b in pairwise(items))


def between_legs(problem: Problem, inperson: list[Item]) -> list[Leg]:
    """Hard (construction): the trips between consecutive in-person events at
    different places, each between the end of one and the start of the next."""
    return [
        (a[3], b[3], a[1], b[0], problem.travel_minutes(a[2], b[2]))
        for a, b in pairwise(inperson)
        if a[2] != b[2]
    ]


def trips_fit(
    legs: list[Leg], online: list[tuple[int, int]]
) -> list[tuple[int, int]] | None:
    """Hard (construction): each leg's trip fits in a gap of its span free of the
    day's online events; the earliest and latest departure of each, or None."""
    placements = []
    for _, _, lo, hi, T in legs:
        fits = [(a, b) for a, b in free_parts(lo, hi, online) if b - a >= T]
        if not fits:
            return None
        placements.append((fits[0][0], fits[-1][1] - T))
    return placements
