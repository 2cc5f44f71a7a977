"""A plausible plan for the example cluster, built greedily without the solver.

Only the HTML tests use it: they need many real-looking events (several schools,
online meetings, group sessions with topics, covers, trips and some unmet) and
there is no solver output to render yet. It is not a valid plan in every respect
(no breaks, no daily limits); it never overlaps a mentor's events and leaves room
for travel between places.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from itertools import pairwise

from mentor_sched.candidates import explain, options
from mentor_sched.plan import Event, Plan, SolverInfo, Status, Trip, Unmet
from mentor_sched.problem import BASE, ONLINE, Owed, Problem

_ORDER = {"cover": 0, "group": 1, "observation": 2, "meeting": 3}


def greedy_plan(problem: Problem) -> Plan:
    """Place each owed event at its first free (date, start), else mark it unmet."""
    days: dict[tuple[str, date], list[tuple[int, int, str]]] = defaultdict(list)
    events: list[Event] = []
    unmet: list[Unmet] = []
    for owed in sorted(problem.owed, key=lambda o: (_ORDER[o.kind], o.weeks, o.id)):
        placed = _place(problem, owed, days)
        if placed is None:
            opts = options(problem, owed)
            reason = (
                explain(problem, owed)
                if not opts
                else "every possible slot is taken by other events of its mentor"
            )
            unmet.append(Unmet(owed.id, owed.demand, owed.people, owed.period, reason))
            continue
        events.append(placed)
        days[placed.mentor, placed.date].append(
            (placed.start, placed.end, placed.venue)
        )
    trips = [
        t for (m, d), busy in sorted(days.items()) for t in _trips(problem, m, d, busy)
    ]
    plan = Plan(
        cluster=problem.name,
        input_sha256=problem.input_sha256,
        solver=SolverInfo(Status.FEASIBLE, None, None, 0.0),
        events=tuple(events),
        travel=tuple(trips),
        unmet=tuple(unmet),
    )
    return plan.sorted()


def _gap(problem: Problem, mentor: str, a: str, b: str) -> int:
    if ONLINE in (a, b):
        return 0
    return problem.travel_minutes(
        problem.place_of(mentor, a), problem.place_of(mentor, b)
    )


def _place(problem: Problem, owed: Owed, days) -> Event | None:
    demand = problem.demands[owed.demand]
    for opt in sorted(
        options(problem, owed), key=lambda o: (o.date, o.venue, o.mentor)
    ):
        busy = sorted(days[opt.mentor, opt.date])
        for start in opt.starts:
            end = start + owed.minutes
            if all(
                e + _gap(problem, opt.mentor, v, opt.venue) <= start
                or end + _gap(problem, opt.mentor, opt.venue, v) <= s
                for s, e, v in busy
            ):
                topic = (
                    demand.topics[owed.topic - 1] if owed.topic is not None else None
                )
                return Event(
                    id=owed.id,
                    demand=owed.demand,
                    kind=owed.kind,
                    period=owed.period,
                    mentor=opt.mentor,
                    venue=opt.venue,
                    people=owed.people,
                    missed=opt.missed,
                    topic=topic,
                    date=opt.date,
                    start=start,
                    end=end,
                )
    return None


def _trips(problem: Problem, mentor: str, day: date, busy) -> list[Trip]:
    places = [(s, e, v) for s, e, v in sorted(busy) if v != ONLINE]
    out: list[Trip] = []
    if problem.mentors[mentor].base is not None and places:
        places = [(-1, places[0][0], BASE), *places, (places[-1][1], -1, BASE)]
    for (_, end, a), (start, _, b) in pairwise(places):
        if a == b:
            continue
        minutes = _gap(problem, mentor, a, b)
        if b == BASE:
            depart, arrive = end, end + minutes
        else:
            depart, arrive = start - minutes, start
        out.append(Trip(mentor, day, a, b, depart, arrive, minutes))
    return out
