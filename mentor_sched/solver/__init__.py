"""``solve(problem) -> Result``: the only package that imports ortools.

A solve is anytime (``anytime.py``): a first-fit construction, then
large-neighbourhood search over the whole plan within a deterministic work
budget, with a relaxation of the whole cluster giving a bound on every plan
(docs/solver.md). A what-if re-plan against a baseline is a repair
(``repair.py``): group sessions, covers and pins first, then what the changes
reach, in CP-SAT models staged by ``decompose``. Either way every owed event
ends up planned or unmet with a reason, and ``assemble`` makes the plan.
"""

from __future__ import annotations

import itertools
import os
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from ..candidates import options
from ..metrics import compute_metrics
from ..plan import Event, Plan, SolverInfo, Status, Trip, Unmet
from ..problem import BASE, Owed, Problem
from ..rules.daily_limits_and_break import break_fits
from ..rules.pins_hold import pin_options
from .anytime import anytime
from .model import Choice, Task

__all__ = ["Result", "solve"]

Progress = Callable[[dict[str, Any]], None]


@dataclass(frozen=True)
class Result:
    plan: Plan
    status: Status
    terms: dict[str, int] = field(default_factory=dict)
    conflict: list[str] = field(default_factory=list)  # pins that contradict


def output_seconds(problem: Problem) -> float:
    """Wall-clock seconds to set aside for checking and writing a plan's
    outputs (feeds, timetable, reports), estimated from the cluster's size
    (measured: benchmarks/RESULTS.md)."""
    return OUTPUT_FIXED + OUTPUT_PER_EVENT * len(problem.owed)


OUTPUT_FIXED = 1.0
OUTPUT_PER_EVENT = 2.5e-3


def default_workers() -> int:
    """Independent subproblems (one mentor's patch in one block of weeks) are
    solved side by side, one process per core."""
    return os.cpu_count() or 1


def solve(
    problem: Problem,
    *,
    time_limit: float = 60.0,
    workers: int | None = None,
    seed: int = 0,
    baseline: Plan | None = None,
    progress: Progress | None = None,
    search_workers: int = 1,
    work_limit: float | None = None,
    construction: str = "pack",
    work_seconds: float | None = None,
) -> Result:
    """Plan every owed event, or list it as unmet with a reason a coordinator can
    act on, within ``time_limit`` seconds of wall clock.

    A first-fit construction, then large-neighbourhood search over the whole
    plan (``lns.py``) until ``work_limit`` (deterministic work, by default
    scaled from ``time_limit``) is spent; meanwhile a relaxation of the whole
    cluster (``bound.py``) gives a lower bound on every plan's objective. The
    same input, seed and options give the same plan, unless the wall clock cut
    the search short (``solver.cut_by_wall_clock`` in plan.json says so).
    With a ``baseline`` the solver chooses how to re-plan: a changed cluster
    (``problem.revision``, a what-if) is repaired (``repair.py``): the
    baseline's events before ``revision.frozen_until`` are kept, and only what
    the changes touched is looked at again; any other problem is searched
    whole, paying the ``change`` weight for each baseline event moved.

    ``work_seconds`` is what the default work budget is scaled from (default
    ``time_limit``): a caller that passes the time left after reading the
    input gives a figure that depends on the input alone here, so that runs
    repeat.

    ``construction`` is ``"pack"`` (visits packed school by school, the
    default) or ``"first-fit"`` (the plan a coordinator makes by hand); with
    ``work_limit=0`` the construction is the plan, which is how the
    benchmarks' reference plan is made.
    """
    if construction not in ("pack", "first-fit"):
        raise ValueError(f"construction is 'pack' or 'first-fit', not {construction!r}")
    revision = problem.revision
    if baseline is not None and revision is not None:
        from .staged import solve_staged

        return solve_staged(
            problem,
            time_limit=time_limit,
            workers=workers,
            seed=seed,
            baseline=baseline,
            revision=revision,
            progress=progress,
            search_workers=search_workers,
        )
    return anytime(
        problem,
        time_limit=time_limit,
        workers=workers or default_workers(),
        seed=seed,
        baseline=baseline,
        frozen_until=None,
        progress=progress,
        work_limit=work_limit,
        pack=construction == "pack",
        work_seconds=work_seconds,
    )


def assemble(
    problem: Problem,
    events: list[Event],
    trips: list[Trip],
    kept_unmet: list[Unmet],
    why: Callable[[Owed], str],
    baseline: Plan | None,
    frozen_until: date | None,
) -> tuple[Plan, dict[str, int]]:
    """The plan of ``events`` and ``trips``: every other owed event unmet with
    ``why(owed)`` as its reason (``kept_unmet`` as they are), and its metrics
    and objective terms worked out from the plan itself."""
    unmet = list(kept_unmet)
    done = {e.id for e in events} | {u.id for u in unmet}
    for owed in problem.owed:
        if owed.id not in done:
            unmet.append(
                Unmet(owed.id, owed.demand, owed.people, owed.period, why(owed))
            )
    plan = Plan(
        cluster=problem.name,
        input_sha256=problem.input_sha256,
        solver=SolverInfo(Status.UNKNOWN, None, None, 0.0),
        events=tuple(events),
        travel=tuple(trips),
        unmet=tuple(unmet),
    ).sorted()
    metrics = compute_metrics(problem, plan)
    terms = objective_terms(problem, plan, metrics, baseline, frozen_until)
    metrics["objective_terms"] = terms
    return replace(plan, metrics=metrics), terms


def objective_terms(
    problem: Problem,
    plan: Plan,
    metrics: dict[str, Any],
    baseline: Plan | None,
    frozen_until: date | None,
) -> dict[str, int]:
    """Each soft goal's weighted cost, recomputed from the plan itself."""
    w = problem.weights
    priority = {d.id: d.priority for d in problem.demands.values()}
    terms = {
        "unmet": w.unmet * sum(priority.get(u.demand, 1) for u in plan.unmet),
        "missed_attendance": w.missed_attendance * metrics["missed_attendance"],
        "travel": w.travel * metrics["travel_minutes"],
        "pattern": w.pattern * metrics["pattern_breaks"],
        "share": round(w.share * metrics["share_deviation"]),
        "continuity": w.continuity * metrics["continuity_breaks"],
        "in_person": w.in_person * metrics["online_group_sessions"],
        "rotate_venues": w.rotate_venues * metrics["venue_excess"],
    }
    if baseline is not None:
        terms["change"] = w.change * changed_events(baseline, plan, frozen_until)
    return terms


def changed_events(baseline: Plan, plan: Plan, frozen_until: date | None) -> int:
    """Baseline events (after ``frozen_until``) moved or dropped in ``plan``."""
    now = {e.id: e for e in plan.events}
    n = 0
    for b in baseline.events:
        if frozen_until and b.date < frozen_until:
            continue
        e = now.get(b.id)
        if e is None or (e.date, e.start, e.mentor, e.venue) != (
            b.date,
            b.start,
            b.mentor,
            b.venue,
        ):
            n += 1
    return n


def _gap(objective: int, bound: int) -> float | None:
    if objective == 0:
        return 0.0
    return round(max(0, objective - bound) / abs(objective), 4)


# -- tasks -------------------------------------------------------------------------


def _tasks(
    problem: Problem, baseline: Plan | None, frozen_until: date | None
) -> tuple[list[Event], list[Trip], list[Unmet], list[Task]]:
    pins = {p.event: p for p in problem.pins}
    base_events = {e.id: e for e in baseline.events} if baseline else {}
    base_unmet = {u.id: u for u in baseline.unmet} if baseline else {}
    kept_events: list[Event] = []
    kept_unmet: list[Unmet] = []
    kept_trips: list[Trip] = []
    if baseline and frozen_until:
        kept_trips = [t for t in baseline.travel if t.date < frozen_until]
    tasks: list[Task] = []
    owed_ids = {o.id for o in problem.owed}
    for owed in problem.owed:
        if owed.host is not None:
            continue  # held by the in-school mentor: hosted.place_hosted
        b = base_events.get(owed.id)
        if frozen_until and b is not None and b.date < frozen_until:
            kept_events.append(b)
            continue
        opts = options(problem, owed)
        if frozen_until:
            opts = [o for o in opts if o.date >= frozen_until]
            if (
                not opts
                and owed.id in base_unmet
                and owed.weeks[1] < _week(problem, frozen_until)
            ):
                kept_unmet.append(base_unmet[owed.id])
                continue
        fixed = False
        if owed.id in pins:
            opts = pin_options(problem, owed, pins[owed.id], opts)
            fixed = bool(opts)
        series = None
        d = problem.demands[owed.demand]
        if owed.kind in ("meeting", "observation") and d.every is not None:
            series = (owed.demand, owed.people[0])
        period_of = {}
        if owed.topic is not None:
            k = d.every or 1
            period_of = {o.date: problem.calendar.week_of[o.date] // k for o in opts}
        tasks.append(
            Task(
                owed=owed,
                usual=(),
                options=opts,
                fixed=fixed,
                series=series,
                baseline=(b.mentor, b.date, b.venue, b.start) if b else None,
                period_of=period_of,
            )
        )
    _usual_slots(tasks)
    # frozen events of the baseline that are no longer owed stay as history
    if baseline and frozen_until:
        for e in baseline.events:
            if e.date < frozen_until and e.id not in owed_ids and e.mentor:
                kept_events.append(e)
    return kept_events, kept_trips, kept_unmet, tasks


USUAL_CANDIDATES = 3


def _usual_slots(tasks: list[Task]) -> None:
    """Each series' candidate usual slots: the (weekday, start) pairs open in the
    most of its periods, so the weekly rhythm is chosen where it can hold."""
    series: dict[tuple[str, str], list[Task]] = defaultdict(list)
    for t in tasks:
        if t.series:
            series[t.series].append(t)
    for ts in series.values():
        counts: Counter[tuple[int, int]] = Counter()
        for t in ts:
            counts.update({(o.date.weekday(), s) for o in t.options for s in o.starts})
        # candidates no one event could all take away: on one weekday, starts at
        # least an event's length apart (else a clash with a single other event
        # in one week would rule out every candidate, and force a needless break)
        length = ts[0].owed.minutes
        best: list[tuple[int, int]] = []
        for k in sorted(counts, key=lambda k: (-counts[k], k)):
            if all(k[0] != b[0] or abs(k[1] - b[1]) >= length for b in best):
                best.append(k)
                if len(best) == USUAL_CANDIDATES:
                    break
        for t in ts:
            t.usual = tuple(best)


def _week(problem: Problem, day: date) -> int:
    weeks = problem.calendar.weeks
    return sum(1 for m in weeks if m <= day) - 1


def _share_context(
    problem: Problem, choices: dict[str, Choice], kept: list[Event]
) -> tuple[dict[str, int], int]:
    per_school: dict[str, int] = defaultdict(int)
    owed = {o.id: o for o in problem.owed}
    items = [(owed[oid].people, owed[oid].minutes) for oid in choices]
    items += [(e.people, e.end - e.start) for e in kept]
    for people, minutes in items:
        for pid in people:
            per_school[problem.people[pid].school] += round(minutes * 100 / len(people))
    return dict(per_school), sum(per_school.values())


# -- results -------------------------------------------------------------------------


def _event(problem: Problem, task: Task, c: Choice) -> Event:
    owed = task.owed
    d = problem.demands[owed.demand]
    period = owed.period
    topic = None
    if owed.topic is not None:
        period = task.period_of[c.option.date]
        topic = d.topics[owed.topic - 1]
    return Event(
        id=owed.id,
        demand=owed.demand,
        kind=owed.kind,
        period=period,
        mentor=c.option.mentor,
        venue=c.option.venue,
        people=owed.people,
        missed=c.option.missed,
        topic=topic,
        date=c.option.date,
        start=c.start,
        end=c.start + owed.minutes,
    )


def _trips(
    problem: Problem,
    events: list[Event],
    routes: dict[tuple[str, date], list[str]],
    departs: dict[tuple[str, date], dict[tuple[str, str], int]] | None = None,
) -> list[Trip]:
    """Each day's trips in visit order; a trip leaves when the model chose (see
    ``SubModel._trip``), by default as the event before it ends, or just in
    time from base."""
    by_id = {e.id: e for e in events}
    day_events: dict[tuple[str, date], list[Event]] = defaultdict(list)
    for e in events:
        day_events[e.mentor, e.date].append(e)
    trips: list[Trip] = []
    for (mid, day), order in sorted(routes.items()):
        base = problem.mentors[mid].base
        stops = [by_id[i] for i in order]
        if not stops:
            continue
        chosen = (departs or {}).get((mid, day), {})
        first, last = stops[0], stops[-1]
        day_trips: list[Trip] = []
        defaults: list[int] = []
        if base is not None and base != first.venue:
            T = problem.travel_minutes(base, first.venue)
            defaults.append(first.start - T)
            d = chosen.get(("", first.id), first.start - T)
            day_trips.append(Trip(mid, day, BASE, first.venue, d, d + T, T))
        for a, b in itertools.pairwise(stops):
            if a.venue != b.venue:
                T = problem.travel_minutes(a.venue, b.venue)
                defaults.append(a.end)
                d = chosen.get((a.id, b.id), a.end)
                day_trips.append(Trip(mid, day, a.venue, b.venue, d, d + T, T))
        if base is not None and base != last.venue:
            defaults.append(last.end)
            T = problem.travel_minutes(last.venue, base)
            d = chosen.get((last.id, ""), last.end)
            day_trips.append(Trip(mid, day, last.venue, BASE, d, d + T, T))
        trips += _tidy(problem, mid, day_events[mid, day], day_trips, defaults)
    return trips


def _tidy(
    problem: Problem,
    mid: str,
    events: list[Event],
    trips: list[Trip],
    defaults: list[int],
) -> list[Trip]:
    """Move each trip the model left at another time back to its default time
    (straight after the event before it, or just in time from base) where that
    clashes with nothing and still leaves the break."""
    out = list(trips)
    for k, (trip, d) in enumerate(zip(trips, defaults, strict=True)):
        if trip.depart == d:
            continue
        moved = replace(trip, depart=d, arrive=d + trip.minutes)
        others = [(t.depart, t.arrive) for i, t in enumerate(out) if i != k]
        busy = [(e.start, e.end) for e in events] + others
        if any(a < moved.arrive and moved.depart < b for a, b in busy):
            continue
        mentor = problem.mentors[mid]
        if (
            mentor.break_minutes
            and mentor.break_window
            and not break_fits(
                mentor.break_minutes,
                mentor.break_window,
                [*busy, (moved.depart, moved.arrive)],
            )
        ):
            continue
        out[k] = moved
    return out
