"""mentor-sched: plan shared Expert Mentor visits across a cluster of schools.

The few things a user scripts with::

    from mentor_sched import load, solve, check, whatif, Plan
    problem = load("cluster.yaml")
    result = solve(problem, time_limit=60)
    violations = check(problem, result.plan)
"""

from __future__ import annotations

from typing import Any

from .input import load
from .plan import Plan

__all__ = ["Plan", "check", "load", "solve", "whatif"]


def __getattr__(name: str) -> Any:  # the solver (ortools) loads only when used
    if name == "solve":
        from .solver import solve

        return solve
    if name == "check":
        from .check import check

        return check
    if name == "whatif":
        from .whatif import whatif

        return whatif
    raise AttributeError(name)
