"""A what-if re-plan as a repair (``repair.py``), in CP-SAT models staged by
``decompose``: group sessions, covers and pins first, over the whole horizon,
then what the changes reach, then the time they freed. ``solve()`` chooses
this when it re-plans a changed cluster (``Problem.revision``) against its
baseline.
"""

from __future__ import annotations

import os
import time
from collections import defaultdict
from dataclasses import replace
from datetime import date
from typing import Any

from ortools.sat.python import cp_model

from ..plan import Event, Plan, SolverInfo, Status
from ..problem import ONLINE, Owed, Problem, Revision
from . import (
    Progress,
    Result,
    _event,
    _gap,
    _share_context,
    _tasks,
    _trips,
    assemble,
    default_workers,
)
from .construct import fit_day
from .decompose import Subproblem, plan_subproblems, prepare
from .hosted import place_hosted
from .model import DETERMINISTIC_PER_SECOND, Choice, Outcome, SubModel, Task
from .neighbourhood import LNS_PARAMS
from .reasons import Reasons
from .repair import Repair, is_rigid

# a block needs a few seconds to get through presolve to a first plan; a large
# cluster overruns --time-limit rather than lose a block's events
MIN_BLOCK_SECONDS = 10.0


def solve_staged(
    problem: Problem,
    *,
    time_limit: float = 60.0,
    workers: int | None = None,
    seed: int = 0,
    baseline: Plan,
    revision: Revision,
    progress: Progress | None = None,
    search_workers: int = 1,
) -> Result:
    """A what-if re-plan as a repair (``repair.py``): group sessions, covers and
    pins first, then what the changes reach, then the time they freed."""
    started = time.monotonic()
    workers = workers or default_workers()
    frozen_until = revision.frozen_until
    # the Expert Mentors' plan is repaired first, without the hosted events,
    # which then fit around it (hosted.py), baseline slots first
    full_baseline = baseline
    baseline = replace(
        baseline, events=tuple(e for e in baseline.events if e.mentor is not None)
    )
    kept_events, kept_trips, kept_unmet, tasks = _tasks(problem, baseline, frozen_until)
    # the revision says what the what-if changed; group sessions, covers and
    # pins come first, then one model places what the changes reach, then one
    # offers the time freed
    all_tasks = {t.owed.id: t for t in tasks}
    rest = [t for t in tasks if not is_rigid(t)]
    repair = Repair(problem, baseline, revision, frozen_until, rest, all_tasks)
    subs = plan_subproblems(problem, [t for t in tasks if is_rigid(t)])
    choices: dict[str, Choice] = {}
    routes: dict[tuple[str, date], list[str]] = {}
    departs: dict[tuple[str, date], dict[tuple[str, str], int]] = {}
    outcomes: list[Outcome] = []
    failed: dict[str, str] = {}
    by_stage: dict[int, list[Subproblem]] = defaultdict(list)
    for sub in subs:
        by_stage[sub.stage].append(sub)
    stages = [by_stage[k] for k in sorted(by_stage)]
    sizes = {id(s): max(1, sum(len(t.options) for t in s.tasks)) for s in subs}
    weights = vars(problem.weights)
    done_subs = 0
    k = 0
    while True:
        if k == len(stages):
            sub = repair.next(choices, kept_events, k)
            if sub is None:
                break
            subs.append(sub)
            stages.append([sub])
            sizes[id(sub)] = max(1, sum(len(t.options) for t in sub.tasks))
        batch = stages[k]
        k += 1
        for sub in batch:
            if sub.prepared:
                continue
            # a task carried over from an earlier block is skipped once planned
            sub.tasks = [t for t in sub.tasks if t.owed.id not in choices]
            prepare(problem, sub, choices, kept_events, all_tasks)
        # budgets count deterministic work, never the wall clock, so that a run
        # repeats exactly; what a stage leaves unused flows to later ones
        used = sum(o.work for o in outcomes) / DETERMINISTIC_PER_SECOND
        left = max(0.0, time_limit * min(workers, max(map(len, stages))) - used)
        remaining = sum(sizes[id(s)] for b in stages[k - 1 :] for s in b)
        # and a share of the wall-clock time left, so that --time-limit holds on
        # a slow or busy machine too (a run cut by it may then differ)
        wall_left = time_limit - (time.monotonic() - started)
        parallel = min(len(batch), workers)
        stage_size = sum(sizes[id(s)] for s in batch)
        wall = max(
            MIN_BLOCK_SECONDS,
            wall_left * stage_size / remaining * parallel / len(batch),
        )
        jobs = []
        for sub in batch:
            budget = max(1.0, left * sizes[id(sub)] / remaining)
            context = _share_context(problem, choices, kept_events)
            jobs.append(
                (
                    sub.tasks,
                    context,
                    weights,
                    budget,
                    wall,
                    search_workers,
                    seed,
                    sub.linearization,
                    sub.start,
                    _hosted(problem, choices, kept_events),
                )
            )
        info = {"started": started, "of": len(subs), "label": batch[0].label}
        if len(batch) == 1 or workers == 1:
            results = []
            for job in jobs:
                callback = None
                if progress and len(subs) == 1:
                    callback = _Callback(
                        progress, {**info, "subproblem": done_subs + 1}
                    )
                results.append(_solve_job(problem, *job, callback=callback))
        else:
            results = _solve_parallel(problem, jobs, workers)
        for sub, out in zip(batch, results, strict=True):
            done_subs += 1
            outcomes.append(out)
            if out.status == "INFEASIBLE":
                return _infeasible(problem, sub, started)
            if out.objective is None:  # events kept in the model stay put
                choices.update(repair.kept_in_model)
                for task in sub.tasks:
                    if not task.later:
                        failed[task.owed.id] = (
                            f"the solver found no plan for {sub.label} within its "
                            "share of the time limit; run again with a larger "
                            "--time-limit"
                        )
                continue
            choices.update(out.choices)
            routes.update(out.routes)
            departs.update(out.departs)
        if progress:
            progress(
                {
                    **info,
                    "subproblem": done_subs,
                    "objective": sum(o.objective or 0 for o in outcomes),
                    "bound": sum(o.bound or 0 for o in outcomes),
                    "elapsed": time.monotonic() - started,
                    "done": True,
                }
            )
    events = kept_events + [
        _event(problem, all_tasks[oid], c) for oid, c in choices.items()
    ]
    # days outside the model keep the baseline's trips
    routes = {d: r for d, r in routes.items() if d in repair.modelled}
    same, redo = repair.trips(events)
    kept_trips = kept_trips + same
    for key in redo:  # their events changed: trips as a day's route gives them
        items = sorted(
            (e.start, e.end, e.venue, e.id) for e in events if (e.mentor, e.date) == key
        )
        legs = fit_day(problem, key[0], key[1], items) if items else {}
        routes[key] = [oid for _, _, v, oid in items if v != ONLINE]
        departs[key] = legs or {}
    trips = kept_trips + _trips(problem, events, routes, departs)
    reasons = Reasons(problem, events, trips)
    hosted, hosted_why = place_hosted(problem, events, full_baseline, frozen_until)

    def why(owed: Owed) -> str:
        task = all_tasks.get(owed.id)
        return (
            hosted_why.get(owed.id)
            or failed.get(owed.id)
            or reasons.why(owed, task, frozen_until)
        )

    plan, terms = assemble(
        problem, events + hosted, trips, kept_unmet, why, full_baseline, frozen_until
    )
    objective = sum(terms.values())
    # a bound on every re-plan: what the events no re-plan can place cost (the
    # repair's own models prove optimality only of their parts, said below)
    lower = problem.weights.unmet * sum(
        o.priority
        for o in problem.owed
        if o.id in {u.id for u in kept_unmet}
        or (o.id in all_tasks and not all_tasks[o.id].options)
    )
    found = [o.status for o in outcomes]
    status = (
        Status.OPTIMAL
        if objective <= lower
        else Status.FEASIBLE
        if any(s in ("OPTIMAL", "FEASIBLE") for s in found) or not found
        else Status.UNKNOWN
    )
    info = SolverInfo(
        status=status,
        objective=objective,
        bound=lower,
        seconds=time.monotonic() - started,
        details={
            "gap": _gap(objective, lower),
            "bound_source": "events no re-plan can place",
            "subproblems": len(subs),
            "subproblems_optimal": sum(o.status == "OPTIMAL" for o in outcomes),
            **(
                {
                    "replanned": repair.free,
                    "kept_as_planned": repair.settled,
                    "offered_freed_time": repair.filled,
                }
                if repair is not None
                else {}
            ),
            "workers": workers,
            "search_workers": search_workers,
            "seed": seed,
            "time_limit": time_limit,
            "repeatable": search_workers == 1,
        },
    )
    plan = replace(plan, solver=info)
    return Result(plan, status, terms)


class _Callback(cp_model.CpSolverSolutionCallback):
    def __init__(self, progress: Progress, info: dict[str, Any]) -> None:
        super().__init__()
        self.progress = progress
        self.info = info
        self.t0 = time.monotonic()

    def on_solution_callback(self) -> None:
        self.progress(
            {
                **self.info,
                "objective": self.objective_value / 2,
                "bound": self.best_objective_bound / 2,
                "elapsed": time.monotonic() - self.info["started"],
            }
        )


_POOL_PROBLEM: Problem | None = None


def _init_pool(problem: Problem) -> None:
    global _POOL_PROBLEM
    _POOL_PROBLEM = problem


def _pool_job(job: tuple) -> Outcome:
    assert _POOL_PROBLEM is not None
    return _solve_job(_POOL_PROBLEM, *job)


def _solve_parallel(problem: Problem, jobs: list[tuple], workers: int) -> list[Outcome]:
    """CP-SAT models do not pickle: ship the tasks, build each model in its process."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    ctx = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    with ProcessPoolExecutor(
        max_workers=min(workers, len(jobs)),
        mp_context=ctx,
        initializer=_init_pool,
        initargs=(problem,),
    ) as pool:
        return list(pool.map(_pool_job, jobs))


def _solve_job(
    problem: Problem,
    tasks: list[Task],
    share_context: tuple[dict[str, int], int],
    weights: dict[str, int],
    budget: float,
    wall: float,
    search_workers: int,
    seed: int,
    linearization: int,
    start: dict[str, Choice] | None = None,
    hosted: dict[tuple[str, str], int] | None = None,
    callback=None,
) -> Outcome:
    model = SubModel(problem, tasks, share_context=share_context, venue_context=hosted)
    if start is not None:
        # a complete, feasible plan to start from: without it the large repair
        # models of a 24-school cluster took 10-90 s to a first plan (measured:
        # benchmarks/RESULTS.md, sweep)
        model.model.clear_hints()
        model.hint(_chosen(tasks, start), {}, None)
        model.complete_hint(max(1.0, wall / 4), seed)
    params = None
    if len(tasks) > LARGE_REPAIR_TASKS:
        # a large repair model with the full LP and presolve took 11 s to a
        # first plan (192 tasks, the 24-school cluster); with the search's
        # settings and the default LP, 5 s, at the same objective
        params, linearization = LNS_PARAMS, 1
    return model.solve(
        weights,
        time_limit=budget,
        wall_limit=wall,
        search_workers=search_workers,
        seed=seed,
        linearization=linearization,
        callback=callback,
        params=params,
    )


LARGE_REPAIR_TASKS = 100


def _hosted(
    problem: Problem, choices: dict[str, Choice], kept: list[Event]
) -> dict[tuple[str, str], int]:
    """Soft (rotate_venues): the group sessions each school hosts already, per
    demand: those planned by earlier stages and those kept from the baseline."""
    out: dict[tuple[str, str], int] = defaultdict(int)
    owed = {o.id: o for o in problem.owed}
    for oid, c in choices.items():
        if owed[oid].kind == "group":
            out[owed[oid].demand, c.option.venue] += 1
    for e in kept:
        if e.kind == "group":
            out[e.demand, e.venue] += 1
    return dict(out)


def _chosen(tasks: list[Task], start: dict[str, Choice]) -> dict[int, tuple[int, int]]:
    """(option index, start) of each task ``start`` places, as the model hints."""
    out: dict[int, tuple[int, int]] = {}
    for t, task in enumerate(tasks):
        c = start.get(task.owed.id)
        if c is None:
            continue
        key = (c.option.mentor, c.option.date, c.option.venue)
        for o, opt in enumerate(task.options):
            if (opt.mentor, opt.date, opt.venue) == key and c.start in opt.starts:
                out[t] = (o, c.start)
                break
    return out


def _infeasible(problem: Problem, sub: Subproblem, started: float) -> Result:
    pinned = [t.owed.id for t in sub.tasks if t.fixed]
    info = SolverInfo(Status.INFEASIBLE, None, None, time.monotonic() - started, {})
    plan = Plan(problem.name, problem.input_sha256, info, (), (), ())
    return Result(plan, Status.INFEASIBLE, conflict=pinned)
