"""The anytime solve: construct, improve until time is up, bound, report.

1. ``construct``: the first-fit plan a coordinator would make (``construct.py``).
2. ``Search``: large-neighbourhood search over the whole plan (``lns.py``), with
   a deterministic work budget so that a run repeats exactly.
3. Meanwhile, in a second process, two bounds that hold for every plan: a
   lower bound on the objective and an upper bound on how many owed events
   can be placed. First the mentor-days' capacities (``daycap.py``, seconds
   even for a region's year), then, up to ``CHAINS_OPTIONS``, the programme
   over whole mentor-days' chains (``chains.py``, its best bound so far sent
   after every round), then, where it is small enough to finish, the linear
   relaxation of the whole cluster (``bound.py``). The better of each is
   reported. With one worker the capacities are worked out before the search
   (up to ``CAPACITY_HERE_OPTIONS``), and neither of the others is run.

The status is OPTIMAL only when the plan's objective equals the bound.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

from ..candidates import has_option
from ..plan import Plan, SolverInfo, Status
from ..problem import Problem
from .bound import Bounds, relaxation_bounds
from .chains import chain_bounds
from .construct import State, construct
from .daycap import capacities, capacity_bounds
from .hosted import place_hosted
from .ledger import Ledger
from .lns import Search
from .model import SubModel, Task
from .reasons import Reasons

Progress = Callable[[dict[str, Any]], None]

# deterministic work units the search does per second of wall clock on a quiet
# 2-core machine (benchmarks/RESULTS.md); --work-limit defaults to this times
# the seconds left for the search
WORK_PER_SECOND = 0.45
# past this many options the search was measured slower than that: 0.36 to 0.43
# units a second across runs on the 120-school year (761,650 options), where a
# budget at 0.45 was cut by the clock every time. The pace assumed falls as
# (LARGE_OPTIONS / options) ** 0.25 (the exponent chosen to give 0.32 there,
# 12% under the slowest run measured; RESULTS.md); the 60-school cluster (88,810
# options) and everything smaller keep 0.45.
LARGE_OPTIONS = 200_000
# seconds of a run that are not search, estimated from the size of the cluster
# so that the work budget stays a function of the input alone
FIXED_SECONDS = 0.5
SECONDS_PER_OPTION = 1.5e-5
LP_OPTIONS = 20_000  # measured: 14,280 options took GLOP 27 s (RESULTS.md)
# with one worker the capacities are worked out before the search up to this
# many options (2-3e-5 s an option: 21 s for the 120-school year's 761,650)
CAPACITY_HERE_OPTIONS = 100_000
# where a bound comes from (plan.json's solver.bound_source and
# plannable_bound_source)
RELAXATION = "relaxation"
CAPACITY = "mentor-day capacity"
CHAINS = "mentor-day chains"
# the share of the bound's time the chains may take before the relaxation
CHAINS_SHARE = 0.75
# past this many options the chains' programme is not run. On the 60-school
# cluster (88,810 options) it takes about 200 s to solve for the events alone,
# and running it beside the search slowed the search: in two of four quiet
# 300 s runs its last neighbourhoods were cut by the clock, so the plan was
# not the repeatable one. On the 120-school year (761,650) a round takes 26 s
# and 200 s of it did not get below the capacities' bound (benchmarks/RESULTS.md)
CHAINS_OPTIONS = 50_000
NO_OPTION = "no-option events"
WITH_OPTION = "events with a possible slot"


def default_work_limit(time_limit: float, options: int) -> float:
    """The deterministic work that fits in ``time_limit`` on a quiet machine."""
    fixed = FIXED_SECONDS + SECONDS_PER_OPTION * options
    pace = WORK_PER_SECOND * min(1.0, LARGE_OPTIONS / max(options, 1)) ** 0.25
    return max(0.0, time_limit - fixed) * pace


def anytime(
    problem: Problem,
    *,
    time_limit: float,
    workers: int,
    seed: int,
    baseline: Plan | None,
    frozen_until: date | None,
    progress: Progress | None,
    work_limit: float | None,
    pack: bool = True,
    work_seconds: float | None = None,
):
    from . import Result, _event, _tasks, _trips, assemble

    started = time.monotonic()
    end = started + time_limit
    kept_events, _, kept_unmet, tasks = _tasks(problem, baseline, frozen_until)
    assert not kept_events and not kept_unmet, "frozen events go through the repair"
    by_id = {t.owed.id: t for t in tasks}
    options = sum(len(t.options) for t in tasks)
    # the linear relaxation grows with the options: past LP_OPTIONS it would
    # not finish in time, and only the capacities bound the plan; with one
    # worker the search waits for the capacities, so only where they are quick
    bounds = _BoundJob(
        problem,
        tasks,
        seed,
        budget=0.8 * time_limit,
        fork=workers > 1,
        relax=options <= LP_OPTIONS,
        chains=options <= CHAINS_OPTIONS,
        here=options <= CAPACITY_HERE_OPTIONS,
    )

    def tell(phase: str, state: State, objective: float) -> None:
        if progress:
            progress(
                {
                    "phase": phase,
                    "elapsed": time.monotonic() - started,
                    "objective": objective,
                    "bound": bounds.lower(),
                    "planned": len(state.choices),
                    "owed": len(problem.owed),
                }
            )

    state, conflicts = construct(problem, tasks, pack=pack)
    if conflicts:
        state, conflicts = _place_pins(problem, tasks)
        if conflicts:
            bounds.stop()
            why = Reasons(problem, [], [])
            named = [why.pin(by_id[oid].owed, by_id[oid]) for oid in conflicts]
            return _infeasible(problem, named, started)
        state, _ = construct(problem, tasks, state, pack=pack)
    base_slots = {t.owed.id: t.baseline for t in tasks if t.baseline is not None}
    state.watch(Ledger(problem, by_id, base_slots))
    constructed = state.ledger.total()
    constructed_planned = len(state.choices)
    tell("construction", state, constructed)

    search = Search(problem, tasks, state, seed=seed)
    budget = (
        work_limit
        if work_limit is not None
        else default_work_limit(work_seconds or time_limit, options)
    )
    # the plan is assembled and checked after the search: leave it time
    reserve = 0.2 + 2e-4 * len(problem.owed)
    began = time.monotonic()
    span = max(1e-3, end - reserve - began)
    cut = search.run(
        budget,
        lambda: (time.monotonic() - began) / span,
        (lambda info: tell("improving", state, info["objective"]))
        if progress
        else None,
        seconds=span,
    )

    events = [_event(problem, by_id[oid], c) for oid, c in state.choices.items()]
    trips = _trips(problem, events, state.routes(), state.legs)
    reasons = Reasons(problem, events, trips)
    hosted, hosted_why = place_hosted(problem, events, baseline, frozen_until)
    plan, terms = assemble(
        problem,
        events + hosted,
        trips,
        [],
        lambda owed: hosted_why.get(owed.id) or reasons.why(owed, by_id.get(owed.id)),
        baseline,
        frozen_until,
    )
    objective = sum(terms.values())
    found = bounds.result(timeout=max(0.0, end - time.monotonic() - 0.1))
    # a bound this plan breaks is wrong (a defect, not a better plan): not used
    placed = len(state.choices)
    found = {
        source: b
        for source, b in found.items()
        if (b.lower is None or b.lower <= objective)
        and (b.plannable is None or b.plannable >= placed)
    }
    lower, lower_source = _lower(problem, tasks, found)
    status = Status.OPTIMAL if objective <= lower else Status.FEASIBLE
    # hosted events are no tasks: each with a slot of its own may be planned
    hosted_plannable = sum(1 for o in problem.owed if o.host and has_option(problem, o))
    most, most_source = _plannable(tasks, found)
    details: dict[str, Any] = {
        "gap": _gap(objective, lower),
        "plannable_upper_bound": hosted_plannable + most,
        "bound_source": lower_source,
        "plannable_bound_source": most_source,
        "construction": {
            "objective": round(constructed),
            "planned": constructed_planned,
        },
        "search": {
            "iterations": search.stats.iterations,
            "improved": search.stats.improved,
            "solved_optimally": search.stats.optimal,
            "work": round(search.stats.work, 2),
            "work_limit": round(budget, 2),
        },
        "cut_by_wall_clock": cut,
        "repeatable": not cut,
        "seed": seed,
        "time_limit": time_limit,
        "workers": workers,
    }
    info = SolverInfo(
        status=status,
        objective=objective,
        bound=lower,
        seconds=time.monotonic() - started,
        details=details,
    )
    plan = replace(plan, solver=info)
    tell("done", state, objective)
    return Result(plan, status, terms)


def _gap(objective: int, bound: int) -> float:
    if objective <= 0:
        return 0.0
    return round(max(0, objective - bound) / objective, 4)


def _lower(
    problem: Problem, tasks: list[Task], found: dict[str, Bounds]
) -> tuple[int, str]:
    """The best valid lower bound and where it comes from: the relaxation's,
    the capacities', or else what the events that can go nowhere cost (every
    plan leaves them unmet). A tie goes to the bound worked out last (the
    relaxation), which says most about why."""
    w = problem.weights
    best = (w.unmet * sum(t.owed.priority for t in tasks if not t.options), NO_OPTION)
    for source, b in found.items():
        if b.lower is not None and b.lower >= best[0]:
            best = (b.lower, source)
    return best


def _plannable(tasks: list[Task], found: dict[str, Bounds]) -> tuple[int, str]:
    """The least upper bound on the events any plan places, and its source."""
    best = (sum(1 for t in tasks if t.options), WITH_OPTION)
    for source, b in found.items():
        if b.plannable is not None and b.plannable <= best[0]:
            best = (b.plannable, source)
    return best


def _place_pins(problem: Problem, tasks: list[Task]) -> tuple[State, list[str]]:
    """The pins together in one exact model: INFEASIBLE proves they contradict."""
    pins = [t for t in tasks if t.fixed]
    out = SubModel(problem, pins).solve(
        vars(problem.weights), time_limit=30.0, wall_limit=60.0, persist=False
    )
    state = State(problem)
    if out.objective is None:
        return state, [t.owed.id for t in pins]
    for t in pins:
        c = out.choices[t.owed.id]
        state.add(t, c.option, c.start)
    for key in state.days:
        state.legs[key] = out.departs.get(key, {})
    return state, []


def _infeasible(problem: Problem, conflicts: list[str], started: float):
    from . import Result

    info = SolverInfo(Status.INFEASIBLE, None, None, time.monotonic() - started, {})
    plan = Plan(problem.name, problem.input_sha256, info, (), (), ())
    return Result(plan, Status.INFEASIBLE, conflict=conflicts)


# -- the bound, beside the search -------------------------------------------------

_JOB: tuple | None = None


def _bound_main(conn) -> None:
    assert _JOB is not None
    problem, tasks, seed, budget, relax, chains = _JOB
    started = time.monotonic()
    try:
        caps = capacities(problem, tasks)  # for the flow and the chains' first prices
        conn.send((CAPACITY, capacity_bounds(problem, tasks, caps)))
        if chains:
            left = budget - (time.monotonic() - started)
            until = time.monotonic() + (CHAINS_SHARE * left if relax else left)
            # what it sent before a failure stands; the relaxation still runs
            with contextlib.suppress(Exception):
                chain_bounds(
                    problem,
                    tasks,
                    until,
                    lambda found: conn.send((CHAINS, found)),
                    caps,
                )
        if relax:
            left = budget - (time.monotonic() - started)
            found = relaxation_bounds(problem, tasks, time_limit=left, seed=seed)
            conn.send((RELAXATION, found))
    except Exception:  # a bound is optional: the plan never waits on a failure
        pass
    conn.close()


class _BoundJob:
    """The bounds in a child process (a second core; ``chains``: also the
    chains' programme, ``relax``: also the linear relaxation), or, with one
    worker, the capacities here and now if ``here``."""

    def __init__(
        self,
        problem: Problem,
        tasks: list[Task],
        seed: int,
        budget: float,
        fork: bool,
        relax: bool,
        chains: bool,
        here: bool,
    ) -> None:
        global _JOB
        self.found: dict[str, Bounds] = {}
        self.proc = None
        if not fork or os.name != "posix":
            if here:
                # a bound is optional, as in the child
                with contextlib.suppress(Exception):
                    self.found[CAPACITY] = capacity_bounds(problem, tasks)
            return
        _JOB = (problem, tasks, seed, budget, relax, chains)
        ctx = multiprocessing.get_context("fork")
        self.conn, child = ctx.Pipe(duplex=False)
        self.proc = ctx.Process(target=_bound_main, args=(child,), daemon=True)
        self.proc.start()
        child.close()
        _JOB = None

    def lower(self) -> int | None:
        self._poll(0)
        found = [b.lower for b in self.found.values() if b.lower is not None]
        return max(found, default=None)

    def _poll(self, timeout: float) -> None:
        """Take what the child has sent, waiting up to ``timeout`` for the
        rest."""
        end = time.monotonic() + timeout
        while self.proc is not None and self.conn.poll(max(0, end - time.monotonic())):
            try:
                source, found = self.conn.recv()
            except EOFError:
                self.stop()
                return
            self.found[source] = found

    def result(self, timeout: float) -> dict[str, Bounds]:
        """Every bound found by then, by source."""
        self._poll(timeout)
        self.stop()
        return self.found

    def stop(self) -> None:
        if self.proc is not None:
            if self.proc.is_alive():
                self.proc.terminate()
            self.proc.join(1)
            self.proc = None
