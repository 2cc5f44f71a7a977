"""Rule 7, hard: a group session is at a venue from ``venues``, inside
``window`` (``demand_window``), at most one per period, and topics go
strictly in order, in distinct periods.

The options hold the venues (one session per period is how the sessions are
owed); the model and the construction hold the order of the topics.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from ..problem import Demand

if TYPE_CHECKING:
    from ..solver.construct import State
    from ..solver.model import SubModel, Task

NUMBER = "7"


def group_venues(demand: Demand) -> tuple[str, ...]:
    """Hard: where a group session may be held, in the order the demand lists."""
    return demand.venues


def group_sessions(sub: SubModel) -> None:
    """Hard (CP-SAT): topics in order, in distinct periods; one per period."""
    m = sub.model
    topics: dict[str, list[int]] = defaultdict(list)
    for t, task in enumerate(sub.tasks):
        if task.owed.topic is not None:
            topics[task.owed.demand].append(t)
    for ts in topics.values():
        ts.sort(key=lambda t: sub.tasks[t].owed.topic)  # type: ignore[arg-type,return-value]
        period = {}
        for t in ts:
            opts = sub.tasks[t].options
            period[t] = sum(
                sub.x[t, o] * sub.tasks[t].period_of[opt.date]
                for o, opt in enumerate(opts)
            )
        for i, ti in enumerate(ts):
            for tj in ts[i + 1 :]:
                both = [~sub.unmet[ti], ~sub.unmet[tj]]
                m.add(period[tj] >= period[ti] + 1).only_enforce_if(both)


def topic_window(state: State, tasks: list[Task], task: Task) -> tuple[int, int]:
    """Hard (construction): the periods strictly between which ``task``'s topic
    must go, given the placed topics of its demand among ``tasks``."""
    lo, hi = -1, 10**9
    k = task.owed.topic or 0
    for other in tasks:
        c = state.choices.get(other.owed.id)
        if other is task or c is None or other.owed.topic is None:
            continue
        period = other.period_of[c.option.date]
        if other.owed.topic < k:
            lo = max(lo, period)
        else:
            hi = min(hi, period)
    return lo, hi
