"""Rule 3, hard: with a ``base``, the first trip of the day leaves ``base`` no
earlier than the start of ``works``, and the last returns no later than its end.

In the model these are the depot arcs of each mentor-day's circuit
(``mentor_no_overlap.travel_fits``); in the construction, the first and last
legs of the day (``base_legs``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..problem import Mentor, Problem

if TYPE_CHECKING:
    from ..solver.model import SubModel

NUMBER = "3"

Leg = tuple[str, str, int, int, int]  # from id, to id, earliest, latest, minutes


def base_trips(
    sub: SubModel,
    key: tuple,
    node: int,
    task_option: tuple[int, int],
    circuit: list,
    arcs: list,
    flexible: bool,
    day: tuple[int, int],
) -> None:
    """Hard (CP-SAT): the arcs from and back to the depot of ``node`` (the event
    ``task_option`` in its mentor-day's circuit): from a base elsewhere, the trip
    there leaves no earlier than work starts (``day[0]``) and the trip back
    arrives no later than it ends (``day[1]``); each trip is a busy interval."""
    m, p = sub.model, sub.problem
    mentor = p.mentors[key[0]]
    ti, oi = task_option
    a = sub.tasks[ti].options[oi]
    length = sub.tasks[ti].owed.minutes
    day_start, day_end = day
    # from the depot (base, or wherever the day starts)
    lit = m.new_bool_var("")
    circuit.append((0, node, lit))
    if mentor.base is not None and mentor.base != a.venue:
        T = p.travel_minutes(mentor.base, a.venue)
        if a.starts[-1] - T < day_start:
            m.add(lit == 0)
        else:
            m.add(sub.s[ti, oi] - T >= day_start).only_enforce_if(lit)
            sub.trip(
                key,
                sub.s[ti, oi] - T,
                T,
                lit,
                flexible,
                (day_start, a.starts[-1] - T),
                sub.s[ti, oi],
                ("", ti),
            )
            arcs.append((0, node, lit, T))
    # back to the depot
    lit = m.new_bool_var("")
    circuit.append((node, 0, lit))
    if mentor.base is not None and mentor.base != a.venue:
        T = p.travel_minutes(a.venue, mentor.base)
        if a.starts[0] + length + T > day_end:
            m.add(lit == 0)
        else:
            m.add(sub.s[ti, oi] + length + T <= day_end).only_enforce_if(lit)
            sub.trip(
                key,
                sub.s[ti, oi] + length,
                T,
                lit,
                flexible,
                (a.starts[0] + length, day_end - T),
                day_end,
                (ti, ""),
            )
            arcs.append((node, 0, lit, T))


def base_legs(
    problem: Problem,
    mentor: Mentor,
    inperson: list[tuple[int, int, str, str]],
    day: tuple[int, int],
) -> tuple[list[Leg], list[Leg]]:
    """Hard (construction): the day's trip from base to its first in-person event,
    leaving no earlier than work starts, and back from its last, arriving no later
    than work ends (none without a base, or at the base itself)."""
    base = mentor.base
    first: list[Leg] = []
    last: list[Leg] = []
    if not inperson or base is None:
        return first, last
    if inperson[0][2] != base:
        start, _, venue, oid = inperson[0]
        first.append(("", oid, day[0], start, problem.travel_minutes(base, venue)))
    if inperson[-1][2] != base:
        _, end, venue, oid = inperson[-1]
        last.append((oid, "", end, day[1], problem.travel_minutes(venue, base)))
    return first, last
