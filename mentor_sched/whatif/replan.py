"""Re-planning a what-if against its baseline with the same ``solve()``."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from ..check import Violation, check_whatif
from ..plan import Plan
from ..problem import Problem, Revision
from ..render.whatif import diff_markdown, diff_text
from .diff import compute_diff
from .scenario import WhatIf, load_whatif

# -- the baseline --------------------------------------------------------------------


def base_output_dir(base_path: Path, out_root: Path) -> Path:
    """Where ``mentor-sched solve BASE`` writes by default: ``<out_root>/<stem>``,
    or ``<out_root>/<folder>`` for a file named ``cluster.yaml``."""
    from ..outputs import default_out_dir as solve_out_dir

    return solve_out_dir(base_path, out_root)


def find_baseline(wi: WhatIf, out_root: Path) -> Plan | None:
    """The saved plan of the unchanged base cluster, if it was made from this
    version of the base file."""
    path = base_output_dir(wi.base_path, out_root) / "plan.json"
    if not path.is_file():
        return None
    try:
        plan = Plan.read(path)
    except (ValueError, KeyError, TypeError):
        return None
    return plan if plan.input_sha256 == wi.base.input_sha256 else None


# -- re-planning ----------------------------------------------------------------------


@dataclass(frozen=True)
class WhatIfResult:
    scenario: WhatIf
    baseline: Plan
    baseline_from: str  # the plan.json read, "given", or "solved"
    plan: Plan
    status: str
    seconds: float  # the re-plan only
    diff: dict[str, Any] = field(default_factory=dict)
    conflict: tuple[str, ...] = ()

    @property
    def problem(self) -> Problem:
        return self.scenario.problem

    def diff_json(self) -> str:
        return json.dumps(self.diff, indent=2, ensure_ascii=False) + "\n"

    def markdown(self) -> str:
        return diff_markdown(self.diff)

    def violations(self, plan: Plan | None = None) -> list[Violation]:
        """The checker's verdict on the re-plan (``check_whatif``)."""
        wi = self.scenario
        return check_whatif(wi.base, wi.problem, wi.frozen_until, plan or self.plan)

    def text(self) -> str:
        return diff_text(self.diff)


def whatif(
    scenario: str | Path | WhatIf,
    *,
    baseline: Plan | None = None,
    time_limit: float = 60.0,
    workers: int | None = None,
    seed: int = 0,
    search_workers: int = 1,
    progress: Callable[[dict[str, Any]], None] | None = None,
    out_root: str | Path | None = None,
    work_limit: float | None = None,
) -> WhatIfResult:
    """Re-plan a what-if against ``baseline`` (by default the saved plan of the
    unchanged base cluster under ``out_root`` when one is given, else a fresh
    solve of it), keeping events before ``frozen_until`` and moving as few
    others as it can."""
    from ..solver import solve

    wi = scenario if isinstance(scenario, WhatIf) else load_whatif(scenario)
    source = "given"
    if baseline is None and out_root is not None:
        baseline = find_baseline(wi, Path(out_root))
        source = str(base_output_dir(wi.base_path, Path(out_root)) / "plan.json")
    if baseline is None:
        solved = solve(
            wi.base,
            time_limit=time_limit,
            workers=workers,
            seed=seed,
            search_workers=search_workers,
        )
        baseline, source = solved.plan, "solved"
    result = solve(
        replace(wi.problem, revision=revision(wi)),
        time_limit=time_limit,
        workers=workers,
        seed=seed,
        baseline=baseline,
        progress=progress,
        search_workers=search_workers,
        work_limit=work_limit,
    )
    plan = result.plan
    diff = compute_diff(wi, baseline, plan)
    diff["baseline"] = source
    return WhatIfResult(
        scenario=wi,
        baseline=baseline,
        baseline_from=source,
        plan=plan,
        status=str(result.status),
        seconds=plan.solver.seconds,
        diff=diff,
        conflict=tuple(result.conflict),
    )


def revision(wi: WhatIf) -> Revision:
    """The changed cluster as a revision of its base: events before
    ``frozen_until`` are fixed; the owed events that are new or changed or
    gained a candidate slot (a working day added, a closure lifted), and the
    mentor-days whose working hours changed, are what a re-plan looks at
    again (``solver/repair.py``)."""
    from ..candidates import options

    base = {o.id: o for o in wi.base.owed}
    gained = set()
    for o in wi.problem.owed:
        b = base.get(o.id)
        if b is None or b != o:
            gained.add(o.id)
            continue
        before: dict[tuple[str, date, str], set[int]] = defaultdict(set)
        for x in options(wi.base, b):
            before[x.mentor, x.date, x.venue].update(x.starts)
        if any(
            not set(x.starts) <= before.get((x.mentor, x.date, x.venue), set())
            for x in options(wi.problem, o)
        ):
            gained.add(o.id)
    days = {
        (mid, day)
        for mid, m in wi.problem.mentors.items()
        for day in wi.problem.calendar.days
        if day >= wi.frozen_until
        and (
            mid not in wi.base.mentors  # a mentor the what-if adds
            or m.hours(day) != wi.base.mentors[mid].hours(day)
            or m.away_times.get(day) != wi.base.mentors[mid].away_times.get(day)
        )
    }
    return Revision(wi.frozen_until, frozenset(gained), frozenset(days))
