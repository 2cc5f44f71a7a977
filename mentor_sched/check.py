"""The independent checker behind ``mentor-sched check CLUSTER PLAN``.

It recomputes every hard rule of cluster-format.md, the accounting of owed
events (plan-format.md) and every figure of docs/metrics.md from the
``Problem`` and the ``Plan`` alone. It deliberately shares no code with the
solver or with ``candidates.py``: a rule misread there must not be misread the
same way here.

Each rule is one function in ``mentor_sched/checker/``, named after the rule as
the solver's side is (docs/rules.md), yielding ``Violation``s; ``RULES`` lists
them in the order of the spec.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date

from .checker.accounting import accounting
from .checker.base_trips import base_trips
from .checker.daily_limits_and_break import daily_limits_and_break
from .checker.demand_window import demand_window
from .checker.group_sessions import group_sessions
from .checker.mentor_no_overlap import mentor_no_overlap
from .checker.mentor_phases import mentor_phases
from .checker.metrics import metrics, metrics_agree
from .checker.person_attendance import person_attendance
from .checker.pins_hold import pins_hold
from .checker.school_mentor_events import school_mentor_events
from .checker.teaching_day_and_hours import teaching_day_and_hours
from .checker.violation import Violation
from .plan import Plan
from .problem import Problem

RULES: tuple[Callable[[Problem, Plan], Iterable[Violation]], ...] = (
    teaching_day_and_hours,  # 1
    mentor_no_overlap,  # 2
    base_trips,  # 3
    daily_limits_and_break,  # 4
    person_attendance,  # 5
    mentor_phases,  # 6
    group_sessions,  # 7
    demand_window,  # the demand's window (rule 7 names it for groups)
    pins_hold,  # 8
    school_mentor_events,  # the in-school mentor's part (issue 16)
    accounting,
    metrics_agree,
)


def check(problem: Problem, plan: Plan) -> list[Violation]:
    """Every violation of the hard rules, the accounting and the metrics."""
    out: list[Violation] = []
    for rule in RULES:
        out.extend(rule(problem, plan))
    return out


def check_whatif(
    base: Problem, changed: Problem, frozen_until: date, plan: Plan
) -> list[Violation]:
    """Every violation of a what-if's re-plan: what is dated before
    ``frozen_until`` has happened and is judged as it was planned (against the
    ``base`` cluster), the rest and the plan as a whole against the ``changed``
    cluster (accounting and metrics included)."""
    dates = {e.id: e.date for e in plan.events}

    def when(v: Violation) -> date | None:
        if v.event in dates:
            return dates[v.event]
        match = _AT_DATE.search(v.event)
        return date.fromisoformat(match.group(1)) if match else None

    def before(v: Violation) -> bool:
        day = when(v)
        return day is not None and day < frozen_until

    out = [v for v in check(changed, plan) if not before(v)]
    out += [v for v in check(base, plan) if before(v)]
    return out


_AT_DATE = re.compile(r"@(\d{4}-\d{2}-\d{2})")


__all__ = ["RULES", "Violation", "check", "check_whatif", "metrics"]
