"""Writing a run's outputs so that nothing a user has is ever lost.

Everything is rendered into a staging folder beside the output folder; only when
every file has been rendered are they moved into place, one ``os.replace`` each.
A run that fails (bad input, a crash in a renderer, Ctrl-C) leaves the previous
outputs exactly as they were.

Before anything is written the independent checker (``check.py``) judges the
plan: a plan that breaks a hard rule is a bug of mentor-sched, never an output.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from .check import Violation, check
from .plan import Plan
from .problem import Problem
from .render import write_atomic
from .render.html import write_timetable
from .render.ics import STATE_FILE, write_feeds
from .render.reports import write_reports

PLAN_FILE = "plan.json"


class InvalidPlan(Exception):
    """The checker found violations in a plan about to be written: an internal
    error of mentor-sched (the solver broke a rule), so nothing is written."""

    def __init__(self, violations: Sequence[Violation]) -> None:
        self.violations = list(violations)
        n = len(self.violations)
        super().__init__(
            f"the plan breaks {n} rule{'s' if n != 1 else ''}: "
            + "; ".join(str(v) for v in self.violations[:5])
        )


def verify(
    problem: Problem,
    plan: Plan,
    judge: Callable[[Plan], list[Violation]] | None = None,
) -> None:
    """Raise InvalidPlan unless ``plan`` is clean (by ``judge``, default the
    checker against ``problem``)."""
    violations = judge(plan) if judge is not None else check(problem, plan)
    if violations:
        raise InvalidPlan(violations)


def write_outputs(
    problem: Problem,
    plan: Plan,
    out_dir: Path,
    *,
    now: datetime | None = None,
    extra: dict[str, str] | None = None,
    judge: Callable[[Plan], list[Violation]] | None = None,
) -> list[Path]:
    """Render plan.json, feeds, timetable and reports into ``out_dir``, once the
    checker (or ``judge``) finds the plan clean; InvalidPlan otherwise."""
    verify(problem, plan, judge)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=out_dir))
    try:
        state = out_dir / STATE_FILE
        if state.exists():  # feeds remember what they last published
            shutil.copy2(state, staging / STATE_FILE)
        write_atomic(staging / PLAN_FILE, plan.dumps())
        for name, text in (extra or {}).items():
            write_atomic(staging / name, text)
        write_feeds(problem, plan, staging, now=now)
        write_timetable(problem, plan, staging / "timetable.html")
        write_reports(problem, plan, staging)
        written = []
        for src in sorted(p for p in staging.rglob("*") if p.is_file()):
            rel = src.relative_to(staging)
            dest = out_dir / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(src, dest)
            written.append(dest)
        return written
    finally:
        shutil.rmtree(staging, ignore_errors=True)
