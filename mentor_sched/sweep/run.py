"""Monte Carlo absence sweeps: sample, re-plan against the baseline, record.

The parent samples every run's absences (``rates.py``) and ships plain data:
the base cluster's bytes, the baseline plan as JSON and one what-if per run.
Workers build the what-if and the CP-SAT models themselves (models do not
pickle) and return plain records. Each re-plan runs in one process with a
fixed deterministic work budget, so a run's record depends only on the input,
the seed and the run's number: the same ``sweep.json`` (timings aside) from a
local pool of any size or a Dask cluster.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..input.yaml_reader import Document
from ..plan import Plan
from ..problem import Problem
from .rates import Rates, rates_json, sample_changes

FORMAT = "mentor-sched/sweep@1"
# seconds of search per re-plan unless --time-limit says otherwise
REPLAN_SECONDS = 10.0


def work_limit_for(time_limit: float) -> float:
    """The deterministic work budget of each re-plan, fixed by --time-limit
    (the solver's default for that many seconds), never by the wall clock."""
    from ..solver.anytime import default_work_limit

    return default_work_limit(time_limit, 0)


@dataclass(frozen=True)
class Sweep:
    """What every run shares: plain data, cheap to pickle and to scatter."""

    base_name: str
    base_raw: bytes
    baseline: dict[str, Any]  # plan.json of the baseline
    time_limit: float
    work_limit: float
    seed: int


def run_specs(
    problem: Problem, rates: Rates, seed: int, runs: int
) -> list[dict[str, Any]]:
    """Each run's what-if, as the data of a what-if file."""
    return [
        {
            "run": i,
            "whatif": {
                "version": 1,
                "whatif": f"sweep run {i} (seed {seed})",
                "base": "cluster.yaml",
                "changes": sample_changes(problem, rates, seed, i),
            },
        }
        for i in range(runs)
    ]


_CACHE: dict[str, tuple[Problem, Plan]] = {}


def _base(sweep: Sweep) -> tuple[Problem, Plan]:
    """The base cluster and baseline, parsed once per worker process."""
    from ..input import parse_cluster
    from ..input.yaml_reader import read_yaml

    key = hashlib.sha256(
        sweep.base_raw + json.dumps(sweep.baseline, sort_keys=True).encode()
    ).hexdigest()
    if key not in _CACHE:
        problem = parse_cluster(
            sweep.base_name, sweep.base_raw, read_yaml(sweep.base_raw)
        )
        _CACHE.clear()
        _CACHE[key] = (problem, Plan.from_json(sweep.baseline))
    return _CACHE[key]


def run_one(spec: dict[str, Any], sweep: Sweep) -> dict[str, Any]:
    """Re-plan one run's absences against the baseline; a plain record.

    (Both arguments are positional: Dask reads keywords such as ``workers`` as
    its own.)"""
    from ..whatif import whatif, whatif_from_document

    started = time.monotonic()
    _, baseline = _base(sweep)
    raw = json.dumps(spec["whatif"], sort_keys=True).encode()
    wi = whatif_from_document(
        f"<sweep run {spec['run']}>",
        raw,
        Document(spec["whatif"]),
        base=(Path(sweep.base_name), sweep.base_raw),
    )
    result = whatif(
        wi,
        baseline=baseline,
        time_limit=sweep.time_limit,
        workers=1,
        seed=sweep.seed,
        work_limit=sweep.work_limit,
    )
    record = _record(spec, wi.problem, baseline, result)
    record["violations"] = len(result.violations())
    record["timing"] = {"seconds": round(time.monotonic() - started, 3)}
    return record


def _reason_kind(reason: str) -> str:
    """The kind of an unmet reason: its words before the details."""
    head = reason.split(":", 1)[0].split("(", 1)[0].strip()
    return head[:80] or "no reason given"


def _record(
    spec: dict[str, Any], problem: Problem, baseline: Plan, result: Any
) -> dict[str, Any]:
    from ..metrics import attributed_minutes

    plan = result.plan
    diff = result.diff
    changes = spec["whatif"]["changes"]
    by_school: Counter[str] = Counter()
    by_reason: Counter[str] = Counter()
    before = {u.id for u in baseline.unmet}
    for u in plan.unmet:
        for sid in sorted({problem.people[p].school for p in u.people}):
            by_school[sid] += 1
        by_reason[_reason_kind(u.reason)] += 1
    minutes = attributed_minutes(problem, plan)
    total = sum(minutes.values())
    away_days = Counter()
    for a in changes["away"]:
        kind = "mentor" if a["who"] in problem.mentors else "school_mentor"
        first, last = a.get("on") or a["from"], a.get("on") or a["to"]
        away_days[kind] += sum(
            1 for d in problem.calendar.days if first <= d.isoformat() <= last
        )
    return {
        "run": spec["run"],
        "absences": {
            "mentor_days": away_days["mentor"],
            "school_mentor_days": away_days["school_mentor"],
            "closure_days": len(changes["closed"]),
        },
        "changes": diff["changes"],
        "frozen_until": diff["frozen_until"],
        "owed": len(problem.owed),
        "planned": len(plan.events),
        "unmet": len(plan.unmet),
        "unmet_new": sum(1 for u in plan.unmet if u.id not in before),
        "unmet_by_school": {s: by_school.get(s, 0) for s in sorted(problem.schools)},
        "unmet_by_reason": dict(sorted(by_reason.items())),
        "unmet_ids": sorted(u.id for u in plan.unmet),
        "moved": diff["summary"]["moved"],
        "cancelled": diff["summary"]["cancelled"],
        "added": diff["summary"]["added"],
        "minutes_by_school": {
            s: round(minutes.get(s, 0.0), 1) for s in sorted(problem.schools)
        },
        "delivered_pct": {
            s: round(minutes.get(s, 0.0) / total * 100, 2) if total else 0.0
            for s in sorted(problem.schools)
        },
        "status": str(plan.solver.status),
        "cut_by_wall_clock": bool(plan.solver.details.get("cut_by_wall_clock")),
    }


# -- backends ----------------------------------------------------------------------

_POOL_SWEEP: Sweep | None = None


def _init(sweep: Sweep) -> None:
    global _POOL_SWEEP
    _POOL_SWEEP = sweep


def _pool_run(spec: dict[str, Any]) -> dict[str, Any]:
    assert _POOL_SWEEP is not None
    return run_one(spec, _POOL_SWEEP)


def run_local(
    specs: list[dict[str, Any]], sweep: Sweep, processes: int
) -> Iterator[dict[str, Any]]:
    """Records as runs finish, from ``processes`` local processes (in this one
    for 1)."""
    if processes <= 1:
        for spec in specs:
            yield run_one(spec, sweep)
        return
    import multiprocessing
    import os
    from concurrent.futures import ProcessPoolExecutor, as_completed

    ctx = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    with ProcessPoolExecutor(
        max_workers=processes, mp_context=ctx, initializer=_init, initargs=(sweep,)
    ) as pool:
        futures = [pool.submit(_pool_run, spec) for spec in specs]
        for f in as_completed(futures):
            yield f.result()


class DaskMissing(RuntimeError):
    pass


def run_dask(
    specs: list[dict[str, Any]], sweep: Sweep, address: str
) -> Iterator[dict[str, Any]]:
    """Records as runs finish on the Dask scheduler at ``address``."""
    try:
        from distributed import Client, as_completed
    except ImportError:  # pragma: no cover - the test extra installs it
        raise DaskMissing(
            "--dask needs the distributed library: pip install 'mentor-sched[dask]'"
        ) from None
    client = Client(address, timeout=30)
    try:
        shared = client.scatter(sweep, broadcast=True)
        token = hashlib.sha256(
            sweep.base_raw + str(sweep.seed).encode() + str(time.time()).encode()
        ).hexdigest()[:12]
        futures = [
            client.submit(
                run_one, spec, shared, key=f"sweep-{token}-{spec['run']}", pure=False
            )
            for spec in specs
        ]
        for f in as_completed(futures):
            yield f.result()
    finally:
        client.close()


# -- the whole sweep ---------------------------------------------------------------


def sweep(
    problem: Problem,
    base_name: str,
    base_raw: bytes,
    baseline: Plan,
    baseline_from: str,
    *,
    runs: int,
    seed: int,
    rates: Rates,
    time_limit: float = REPLAN_SECONDS,
    processes: int = 1,
    dask: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """Run ``runs`` sampled absence scenarios; the data of ``sweep.json``."""
    started = time.monotonic()
    specs = run_specs(problem, rates, seed, runs)
    shared = Sweep(
        base_name=base_name,
        base_raw=base_raw,
        baseline=baseline.to_json(),
        time_limit=time_limit,
        work_limit=work_limit_for(time_limit),
        seed=seed,
    )
    stream: Iterable[dict[str, Any]]
    if dask:
        stream = run_dask(specs, shared, dask)
    else:
        stream = run_local(specs, shared, processes)
    records: dict[int, dict[str, Any]] = {}
    for record in stream:
        records[record["run"]] = record
        if progress:
            progress(len(records))
    ordered = [records[i] for i in range(runs)]
    seconds = time.monotonic() - started
    from .report import summarise

    return {
        "format": FORMAT,
        "cluster": problem.name,
        "cluster_file": base_name,
        "input_sha256": problem.input_sha256,
        "baseline": {
            "from": baseline_from,
            "planned": len(baseline.events),
            "unmet": len(baseline.unmet),
            "owed": len(problem.owed),
        },
        "runs": runs,
        "seed": seed,
        "rates": rates_json(rates),
        "time_limit": time_limit,
        "work_limit": round(shared.work_limit, 4),
        "schools": {
            sid: {"name": s.name, "share": s.share}
            for sid, s in sorted(problem.schools.items())
        },
        "summary": summarise(ordered, problem),
        "run_records": ordered,
        "timing": {
            "seconds": round(seconds, 2),
            "runs_per_minute": round(runs / seconds * 60, 2) if seconds else None,
            "backend": f"dask {dask}" if dask else "local",
            "processes": None if dask else processes,
        },
    }
