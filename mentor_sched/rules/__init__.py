"""The hard rules of cluster-format.md, one module each, in the spec's order.

Each module is named after its rule and holds what the solver does for it: the
filter that keeps an event's options inside the rule (``candidates.py`` composes
them), the CP-SAT constraint of the rule (``model.SubModel.add_hard_rules``
posts them) and the check the first-fit construction uses (``construct.fit_day``),
whichever the rule needs. The checker's function of the same name lives in
``mentor_sched/checker/`` and shares no code with these; docs/rules.md is the
table of both.

No module here imports ortools: the filters are plain Python on the
``Problem``, and a constraint works through the ``SubModel`` it is given.
"""

from __future__ import annotations

from types import ModuleType

from . import (
    base_trips,
    daily_limits_and_break,
    demand_window,
    group_sessions,
    mentor_no_overlap,
    mentor_phases,
    person_attendance,
    pins_hold,
    school_mentor_events,
    teaching_day_and_hours,
)

RULES: tuple[ModuleType, ...] = (
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
)


def rule_name(rule: ModuleType) -> str:
    """The rule's snake_case name, as its module, checker function and test file
    spell it."""
    return rule.__name__.rsplit(".", 1)[1]


__all__ = ["RULES", "rule_name"]
