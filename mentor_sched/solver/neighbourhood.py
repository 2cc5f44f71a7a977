"""One neighbourhood of the search re-optimised by the exact CP-SAT model.

A neighbourhood is an anchor mentor-day grown by the mentor-days that share
its candidate events, while the model stays small (``neighbourhoods``). Its
events are placed again by ``SubModel`` with the current plan as a complete
hint, everything outside fixed: the people events outside take are busy, a
topic stays between its neighbours, a series' usual slot is the one its
other events keep (``improve``). The result is kept only if the whole plan is
no worse (``Search._accept``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from ..candidates import Option
from .construct import fit_day, topic_window
from .decompose import pinned, without_clashes
from .model import DETERMINISTIC_PER_SECOND, SubModel, Task

if TYPE_CHECKING:
    from .lns import Search

# options in one neighbourhood model: measured on generated clusters, models of
# this size are solved or close to it within a second of deterministic time
TARGET_OPTIONS = 80
MAX_TARGET_OPTIONS = 640
EXACT_TRIPS_OPTIONS = 120
MODEL_WORK = 1.0  # deterministic seconds per neighbourhood model
# Python's share of an iteration (building the model, scoring the plan), in the
# same units as CP-SAT's deterministic time: per option in the model
BUILD_WORK_PER_OPTION = 0.002
# presolve probing took a neighbourhood's whole budget before its first solution
# (cpsat-findings.md measured the same); the hint is the first solution instead
LNS_PARAMS = {
    "cp_model_probing_level": 0,
    "symmetry_level": 0,
    "find_big_linear_overlap": False,
}


@dataclass(frozen=True)
class Neighbourhood:
    """The mentor-days whose events are placed again."""

    label: str
    days: frozenset[tuple[str, date]]


def neighbourhoods(search: Search) -> Iterator[Neighbourhood]:
    """One round: every mentor-day with work in it as an anchor, in an order
    shuffled by the seed, grown by the mentor-days that share the most
    events with it (the same mentor's other days that week, other mentors'
    same day) while the model stays small."""
    units = sorted(u for u, n in search.unit_options.items() if n)
    search.rng.shuffle(units)
    for anchor in units:
        chosen = [anchor]
        size = search.unit_options[anchor]
        mentor, day = anchor
        week = search.week_of[day]
        nweeks = len(search.problem.calendar.weeks)
        near = [
            (mentor, d)
            for w in (week, week + 1, week - 1)
            if 0 <= w < nweeks
            for d in search.problem.calendar.days_of_week(w)
            if d != day
        ] + [(m, day) for m in search.problem.mentors if m != mentor]
        near = [u for u in near if search.unit_options[u]]
        while near:
            mine = set().union(*(search.unit_tasks[u] for u in chosen))
            best = max(near, key=lambda u: (len(search.unit_tasks[u] & mine), u))
            if size + search.unit_options[best] > search.target:
                break
            chosen.append(best)
            size += search.unit_options[best]
            near.remove(best)
        label = ", ".join(f"{m} {d}" for m, d in sorted(chosen))
        yield Neighbourhood(label, frozenset(chosen))


def improve(search: Search, nb: Neighbourhood) -> bool:
    """Re-optimise ``nb``; keep the result if the whole plan is no worse.
    Returns whether the model was solved to optimality."""
    st, p = search.state, search.problem

    def inside(mid: str, day: date) -> bool:
        return (mid, day) in nb.days

    here = {
        oid for oid, c in st.choices.items() if inside(c.option.mentor, c.option.date)
    }
    candidates = set(here)
    for unit in nb.days:
        candidates |= {
            oid for oid in search.unit_tasks.get(unit, ()) if oid not in st.choices
        }
    busy = _busy_outside(search, candidates, here, nb)
    tasks: list[Task] = []
    for oid in sorted(candidates):
        task = search.tasks[oid]
        if task.fixed or task.owed.kind == "cover":
            if oid in here:
                c = st.choices[oid]
                tasks.append(
                    Task(task.owed, [pinned(c)], fixed=True, period_of=task.period_of)
                )
            continue
        opts = [o for o in task.options if inside(o.mentor, o.date)]
        opts = _topic_window(search, task, opts, candidates)
        opts = without_clashes(Task(task.owed, opts), busy)
        if not opts:
            if oid in here:  # cannot happen: its own slot is free; keep it
                c = st.choices[oid]
                tasks.append(
                    Task(task.owed, [pinned(c)], fixed=True, period_of=task.period_of)
                )
            continue
        tasks.append(
            Task(
                owed=task.owed,
                options=opts,
                series=task.series,
                target=_target(search, task, candidates),
                usual=task.usual,
                baseline=task.baseline,
                period_of=task.period_of,
            )
        )
    if not tasks:
        return True
    size = sum(len(t.options) for t in tasks)
    # exact trip times in small models; in large ones trips leave as the
    # event before them ends (a smaller model, still only valid plans)
    model = SubModel(
        p,
        tasks,
        share_context=_share_outside(search, here),
        fixed_trips=size > EXACT_TRIPS_OPTIONS,
        venue_context=_hosted_outside(search, here),
    )
    _hint(search, model, tasks, nb)
    out = model.solve(
        vars(p.weights),
        time_limit=MODEL_WORK / DETERMINISTIC_PER_SECOND,
        wall_limit=60.0,
        seed=search.seed,
        persist=False,
        params=LNS_PARAMS,
    )
    search.stats.iterations += 1
    search.stats.work += out.work + size * BUILD_WORK_PER_OPTION
    if out.objective is None:
        return False
    optimal = out.status == "OPTIMAL"
    search.stats.optimal += optimal
    old = {oid: st.choices[oid] for oid in here}
    old_legs = {k: st.legs.get(k) for k in st.days if inside(*k)}
    for oid in here:
        st.remove(search.tasks[oid])
    for oid, c in out.choices.items():
        st.add(search.tasks[oid], c.option, c.start)
    for key in list(st.days):
        if inside(*key):
            st.legs[key] = out.departs.get(key, {})
            fits = fit_day(p, key[0], key[1], st.days[key])
            if fits is not None:
                st.legs[key] = fits
    before = search.current
    if search._accept(before, search.unmet, strict=False):
        search.stats.improved += search.current < before - 1e-6
        return optimal
    # worse for the whole plan (the model only approximates share and
    # pattern): put the old plan back
    for oid in out.choices:
        st.remove(search.tasks[oid])
    for oid, c in old.items():
        st.add(search.tasks[oid], c.option, c.start)
    for key, legs in old_legs.items():
        if legs is None:
            st.legs.pop(key, None)
        else:
            st.legs[key] = legs
    return optimal


def _busy_outside(
    search: Search, candidates: set[str], here: set[str], nb: Neighbourhood
) -> dict[tuple[str, date], list[tuple[int, int]]]:
    """The times the candidates' people are taken by events outside ``nb``."""
    st = search.state
    people = {pid for oid in candidates for pid in search.tasks[oid].owed.people}
    days = sorted({d for _, d in nb.days})
    out: dict[tuple[str, date], list[tuple[int, int]]] = {}
    for pid in people:
        for d in days:
            spans = [
                (a, b) for a, b, oid in st.people.get((pid, d), ()) if oid not in here
            ]
            if spans:
                out[pid, d] = spans
    return out


def _topic_window(
    search: Search, task: Task, opts: list[Option], candidates: set[str]
) -> list[Option]:
    """Hard (rule 7): a topic stays between the topics the neighbourhood leaves
    where they are."""
    if task.owed.topic is None:
        return opts
    fixed = [
        search.tasks[oid]
        for oid in search.topics[task.owed.demand]
        if oid not in candidates
    ]
    lo, hi = topic_window(search.state, fixed, task)
    return [o for o in opts if lo < task.period_of[o.date] < hi]


def _target(search: Search, task: Task, candidates: set[str]) -> tuple[int, int] | None:
    """Soft (pattern): the usual slot the series' other events keep."""
    if task.series is None:
        return None
    slots = Counter(
        (c.option.date.weekday(), c.start)
        for oid in search.series[task.series]
        if oid not in candidates and (c := search.state.choices.get(oid)) is not None
    )
    if not slots:
        return None
    best = max(slots.values())
    return min(k for k, n in slots.items() if n == best)


def _share_outside(search: Search, here: set[str]) -> tuple[dict[str, int], int]:
    per_school: dict[str, int] = defaultdict(int)
    for oid in search.state.choices:
        if oid in here:
            continue
        owed = search.tasks[oid].owed
        for pid in owed.people:
            per_school[search.problem.people[pid].school] += round(
                owed.minutes * 100 / len(owed.people)
            )
    return dict(per_school), sum(per_school.values())


def _hosted_outside(search: Search, here: set[str]) -> dict[tuple[str, str], int]:
    """Soft (rotate_venues): the group sessions each school hosts outside the
    neighbourhood, per demand."""
    out: dict[tuple[str, str], int] = defaultdict(int)
    for oid, c in search.state.choices.items():
        owed = search.tasks[oid].owed
        if oid not in here and owed.kind == "group":
            out[owed.demand, c.option.venue] += 1
    return dict(out)


def _hint(
    search: Search, model: SubModel, tasks: list[Task], nb: Neighbourhood
) -> None:
    """The current plan, whole, as the model's starting point."""
    st = search.state
    chosen: dict[int, tuple[int, int]] = {}
    for t, task in enumerate(tasks):
        c = st.choices.get(task.owed.id)
        if c is None:
            continue
        for o, opt in enumerate(task.options):
            if (opt.mentor, opt.date, opt.venue, opt.missed) == (
                c.option.mentor,
                c.option.date,
                c.option.venue,
                c.option.missed,
            ) and c.start in opt.starts:
                chosen[t] = (o, c.start)
                break
    days = [k for k in nb.days if st.days.get(k)]
    departs = {k: st.legs.get(k, {}) for k in days}
    breaks = {k: b for k in days if (b := st.break_start(k)) is not None}
    model.hint(chosen, departs, breaks)
