"""mentor-sched: plan shared Expert Mentor visits across a cluster of schools.

The few things a user scripts with::

    from mentor_sched import load, solve, check, whatif, Plan, Result, Status

    problem = load("scenarios/stour-valley/cluster.yaml")
    result = solve(problem, time_limit=30)
    assert isinstance(result, Result) and isinstance(result.plan, Plan)
    assert result.status in (Status.OPTIMAL, Status.FEASIBLE)
    assert check(problem, result.plan) == []  # every hard rule holds
    replan = whatif("scenarios/stour-valley/sarah-sick-week.yaml",
                    baseline=result.plan, time_limit=30)
    print(replan.text())  # what moved, what was cancelled, and why
"""

from __future__ import annotations

from typing import Any

from .check import check
from .input import load
from .plan import Plan, Status
from .whatif import whatif

# ``check`` and ``whatif`` are bound here, not on first use: importing a submodule
# sets the package attribute of its name to the module, which would then hide
# the function of the same name (``from mentor_sched import check`` gave the
# module once ``mentor_sched.check`` had been imported).

__all__ = ["Plan", "Result", "Status", "check", "load", "solve", "whatif"]


def __getattr__(name: str) -> Any:  # the solver (ortools) loads only when used
    if name == "solve":
        from .solver import solve

        return solve
    if name == "Result":
        from .solver import Result

        return Result
    raise AttributeError(f"module 'mentor_sched' has no attribute {name!r}")
