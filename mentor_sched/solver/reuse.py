"""Re-planning against a baseline: keep the blocks no change can reach.

A what-if usually touches a few weeks of one mentor. A block subproblem (one
mentor's patch over a block of weeks) whose every task is *unaffected* (its
candidate options with this mentor are the same as when the baseline was made,
as the caller says), whose baseline events are all still owed and still in
this block, and whose fixed context (group sessions, covers and pins planned
earlier) is exactly the baseline's, would be solved to the same answer: its
baseline events and trips are copied instead. Such a block also spends no
search time, and its share of the time limit is not handed on to other blocks,
so a re-plan costs about the share of a full solve that it re-plans.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..candidates import Option
from ..plan import Event, Plan, Trip
from ..problem import Problem
from .decompose import Subproblem
from .model import Choice, Task


@dataclass
class Reuse:
    problem: Problem
    baseline: Plan
    unaffected: frozenset[tuple[str, str]]  # (owed id, mentor)
    spared: float = 0.0  # budget not to hand on (frozen part, reused blocks)
    days: set[tuple[str, date]] = field(default_factory=set)  # mentor-days copied
    blocks: int = 0

    def __post_init__(self) -> None:
        self.events = {e.id: e for e in self.baseline.events}

    def start(self, tasks: list[Task], budget: float) -> None:
        """The frozen part of the horizon would have had its share of a full
        solve's budget: it is not spent on the rest."""
        owed = max(1, len(self.problem.owed))
        self.spared = budget * max(0.0, 1 - len(tasks) / owed)

    def take(
        self,
        batch: list[Subproblem],
        choices: dict[str, Choice],
        left: float,
        remaining: float,
        sizes: dict[int, int],
    ) -> list[Subproblem]:
        """The subproblems still to solve; reused ones add their choices."""
        out = []
        for sub in batch:
            picked = self._reusable(sub, choices)
            if picked is None:
                out.append(sub)
                continue
            choices.update(picked)
            self.spared += left * sizes[id(sub)] / max(1, remaining)
            self.blocks += 1
        return out

    def trips(self) -> list[Trip]:
        return [t for t in self.baseline.travel if (t.mentor, t.date) in self.days]

    def _reusable(
        self, sub: Subproblem, choices: dict[str, Choice]
    ) -> dict[str, Choice] | None:
        if sub.mentor is None or sub.weeks is None:
            return None
        week_of = self.problem.calendar.week_of
        first, last = sub.weeks

        def inside(e: Event) -> bool:
            return first <= week_of.get(e.date, -1) <= last

        picked: dict[str, Choice] = {}
        own = [t for t in sub.tasks if t.owed.id not in choices]
        for task in own:
            if (task.owed.id, sub.mentor) not in self.unaffected:
                return None
            b = self.events.get(task.owed.id)
            if b is None:
                if task.later:
                    return None  # might be planned here now; cannot tell
                continue  # unmet in the baseline, and nothing changed for it
            if not inside(b):
                if week_of.get(b.date, -1) > last and task.later:
                    continue  # the baseline plans it in a later block
                return None
            choice = _choice(task, b)
            if choice is None:
                return None
            picked[task.owed.id] = choice
        mine = {t.owed.id for t in own}
        for b in self.baseline.events:
            if b.mentor != sub.mentor or not inside(b):
                continue
            if b.id in choices:
                c = choices[b.id]
                if (c.option.date, c.start, c.option.mentor, c.option.venue) != (
                    b.date,
                    b.start,
                    b.mentor,
                    b.venue,
                ):
                    return None
            elif b.id not in mine:
                return None  # no longer owed here, or planned elsewhere now
        for oid, c in choices.items():
            if (
                c.option.mentor == sub.mentor
                and first <= week_of[c.option.date] <= last
            ):
                b = self.events.get(oid)
                if b is None or (b.date, b.start, b.venue) != (
                    c.option.date,
                    c.start,
                    c.option.venue,
                ):
                    return None
        self.days |= {
            (sub.mentor, b.date)
            for b in self.baseline.events
            if b.mentor == sub.mentor and inside(b)
        }
        return picked


def _choice(task: Task, b: Event) -> Choice | None:
    for o in task.options:
        if (o.mentor, o.date, o.venue) == (b.mentor, b.date, b.venue) and (
            b.start in o.starts
        ):
            return Choice(
                Option(o.mentor, o.date, o.venue, (b.start,), o.missed), b.start
            )
    return None
