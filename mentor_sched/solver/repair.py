"""Re-planning against a baseline as a repair: move what a change reaches.

A what-if usually touches a few days of one mentor or school. Re-solving the
whole remaining horizon would cost as much as a full solve, and would move
events the change never reached (a block solved again within its budget finds
an equally good, different plan). So a re-plan is a repair:

1. Group sessions, covers and pins are planned first over the horizon, as in a
   full solve, with the change penalty (a topic moved by the change may push
   the later topics of its sequence: those are the ripples the diff explains).
2. Every other event is *settled* when the change cannot reach it: it is
   planned in the baseline, its candidate slots with its mentor are the same
   as when the baseline was made (``unaffected``, from the caller), its slot
   is still open around the group sessions of step 1, and no group session
   moved into or out of its mentor-day. A settled event keeps its baseline
   slot.
3. The others are *free*: events the change reaches, new ones (a joiner, an
   absence cover), and events unmet in the baseline that could use time the
   change freed. One model places them with every mentor who can take them
   (so another Expert Mentor can step in), around the settled events of the
   mentor-days they could use, which stay in that model with the change
   penalty. Mentor-days no free event can use keep the baseline's events and
   trips untouched, without a model.

The model is as large as the change, not as the cluster.

Before any of this, topic sessions kept from before ``frozen_until`` bound the
periods of the topics still to plan (``after_kept_topics``): they are history,
in no model, so the models' topic order cannot see them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from ..plan import Event, Plan, Trip
from ..problem import Problem, Revision
from .decompose import Subproblem, busy_times, pinned, prepare, without_clashes
from .model import Choice, Task

Day = tuple[str, date]  # (mentor, date)


def is_rigid(task: Task) -> bool:
    """Planned first, over the whole horizon (as ``plan_subproblems`` does)."""
    return task.owed.kind in ("group", "cover") or task.fixed


@dataclass
class Repair:
    problem: Problem
    baseline: Plan
    changed: Revision  # what the what-if changed
    frozen_until: date | None
    rest: list[Task]  # the tasks that are not group sessions, covers or pins
    all_tasks: dict[str, Task]
    modelled: set[Day] = field(default_factory=set)  # mentor-days in a model
    kept_in_model: dict[str, Choice] = field(default_factory=dict)  # settled there
    settled: int = 0
    free: int = 0
    filled: int = 0  # tasks unmet in the baseline offered the freed time
    _phase: int = 0
    _waiting: list[Task] = field(default_factory=list)
    _freed: set[Day] = field(default_factory=set)

    def __post_init__(self) -> None:
        start = self.frozen_until or date.min
        self.events = {e.id: e for e in self.baseline.events if e.date >= start}
        self.owed_index = {o.id: o for o in self.problem.owed}
        kept = [e for e in self.baseline.events if e.date < start]
        after_kept_topics(self.problem, list(self.all_tasks.values()), kept)

    def next(
        self, choices: dict[str, Choice], kept: list[Event], stage: int
    ) -> Subproblem | None:
        """The next model of the repair, given ``choices`` (all planned so far),
        or None when it is done. First what the change reaches, then the time
        it freed offered to events the baseline could not plan."""
        self._phase += 1
        if self._phase == 1:
            sub = self._reached(choices, kept, stage)
            if sub is not None:
                return sub
            self._phase += 1
        if self._phase == 2:
            return self._fill(choices, kept, stage)
        return None

    def trips(self, events: list[Event]) -> tuple[list[Trip], set[Day]]:
        """The baseline's trips of the mentor-days left out of every model whose
        events are exactly the baseline's, and the other mentor-days left out
        (an event dropped there, say for a closure): their trips are worked
        out again."""
        start = self.frozen_until or date.min

        def by_day(evs) -> dict[Day, set]:
            out: dict[Day, set] = {}
            for e in evs:
                if e.date >= start:
                    out.setdefault((e.mentor, e.date), set()).add(
                        (e.id, e.start, e.end, e.venue)
                    )
            return out

        before, after = by_day(self.baseline.events), by_day(events)
        days = (set(before) | set(after)) - self.modelled
        same = {d for d in days if before.get(d) == after.get(d)}
        kept = [
            t
            for t in self.baseline.travel
            if t.date >= start and (t.mentor, t.date) in same
        ]
        return kept, days - same

    def _reached(
        self, choices: dict[str, Choice], kept: list[Event], stage: int
    ) -> Subproblem | None:
        """What the change reaches, around the settled events of the mentor-days
        it could use; settled events elsewhere go straight into ``choices``."""
        disturbed = self._disturbed(choices) | self.changed.days
        self._freed |= self.changed.days
        busy_people = busy_times(choices, self.owed_index)
        settled: dict[str, Choice] = {}
        free: list[Task] = []
        for task in self.rest:
            b = self.events.get(task.owed.id)
            if b is None:
                if task.owed.id in self.changed.gained:
                    free.append(task)
                else:
                    self._waiting.append(task)
                continue
            choice = self._settles(task, b, busy_people, disturbed)
            if choice is None:
                free.append(task)
                self._freed.add((b.mentor, b.date))
            else:
                settled[task.owed.id] = choice
        # a settled event on a mentor-day a free one could use may shift within
        # its week, with its mentor, to make room (the change penalty keeps it
        # where it is otherwise); one step only, so the model stays local
        reach = {(o.mentor, o.date) for t in free for o in t.options}
        week_of = self.problem.calendar.week_of
        movable: list[Task] = []
        for oid, c in list(settled.items()):
            if (c.option.mentor, c.option.date) not in reach:
                continue
            task = self.all_tasks[oid]
            week = week_of[c.option.date]
            opts = [
                o
                for o in task.options
                if o.mentor == c.option.mentor and week_of[o.date] == week
            ]
            movable.append(replace(task, options=opts))
            self.kept_in_model[oid] = settled.pop(oid)
        sub = self._around(free + movable, {**choices, **settled}, kept, stage)
        self.modelled = disturbed | {
            (o.mentor, o.date) for t in sub.tasks for o in t.options
        }
        self.settled, self.free = len(settled) + len(movable), len(free)
        context: list[Task] = []
        for oid, c in settled.items():
            if (c.option.mentor, c.option.date) in self.modelled:
                # in the model, where only the change penalty keeps it in place
                context.append(replace(self.all_tasks[oid], options=[pinned(c)]))
                self.kept_in_model[oid] = c
            else:
                choices[oid] = c
        if not sub.tasks and not disturbed:
            choices.update(self.kept_in_model)
            self.modelled = set()
            return None
        context += self._fixed(choices, exclude=self.kept_in_model)
        sub.label = f"the re-plan ({len(sub.tasks)} events reached by the changes)"
        sub.tasks += context
        # the baseline, as far as it still stands, is where the search starts
        sub.start = {**choices, **self.kept_in_model}
        return sub

    def _fill(
        self, choices: dict[str, Choice], kept: list[Event], stage: int
    ) -> Subproblem | None:
        """Events unmet in the baseline, whose options the changes left alone,
        offered only the mentor-days where the changes freed time, around
        everything planned there (fixed)."""
        freed = self._freed
        waiting = [
            replace(t, options=[o for o in t.options if (o.mentor, o.date) in freed])
            for t in self._waiting
        ]
        sub = self._around([t for t in waiting if t.options], choices, kept, stage)
        self.filled = len(sub.tasks)
        if not sub.tasks:
            return None
        days = {(o.mentor, o.date) for t in sub.tasks for o in t.options}
        self.modelled |= days
        sub.label = f"the freed time ({len(sub.tasks)} events unmet before)"
        sub.tasks += self._fixed(choices, days=days)
        sub.start = dict(choices)
        return sub

    def _around(
        self,
        tasks: list[Task],
        planned: dict[str, Choice],
        kept: list[Event],
        stage: int,
    ) -> Subproblem:
        """A subproblem of ``tasks``, their usual slots set and their options cut
        to starts that clash with nothing ``planned`` (travel is the model's).
        The tasks are copies: an unmet event's reason lists all its slots."""
        tasks = [replace(t, options=list(t.options)) for t in tasks]
        sub = Subproblem("the re-plan", tasks, self.owed_index, stage=stage)
        sub.prepared = True
        sub.linearization = 2
        prepare(self.problem, sub, planned, kept, {})
        mentor_busy = busy_times(planned, self.owed_index, mentor=True)
        for task in sub.tasks:
            task.options = without_clashes(task, mentor_busy, mentor=True)
        sub.tasks = [t for t in sub.tasks if t.options]
        return sub

    def _fixed(
        self,
        choices: dict[str, Choice],
        *,
        days: set[Day] | None = None,
        exclude: dict[str, Choice] | None = None,
    ) -> list[Task]:
        """What is planned on the modelled mentor-days (or ``days``), fixed, so
        that travel around it is modelled."""
        days = self.modelled if days is None else days
        return [
            Task(
                self.owed_index[oid],
                [pinned(c)],
                fixed=True,
                period_of=self.all_tasks[oid].period_of,
            )
            for oid, c in choices.items()
            if (c.option.mentor, c.option.date) in days and oid not in (exclude or {})
        ]

    def _disturbed(self, choices: dict[str, Choice]) -> set[Day]:
        """Mentor-days whose group sessions, covers or pins differ from the
        baseline's, or that held a baseline event no longer owed."""
        rest = {t.owed.id for t in self.rest}
        out: set[Day] = set()
        for oid, b in self.events.items():
            c = choices.get(oid)
            if oid in rest:
                continue
            if c is None or _slot(c) != (b.mentor, b.date, b.venue, b.start):
                out.add((b.mentor, b.date))
                self._freed.add((b.mentor, b.date))
        for oid, c in choices.items():
            b = self.events.get(oid)
            if b is None or (b.mentor, b.date, b.venue, b.start) != _slot(c):
                out.add((c.option.mentor, c.option.date))
        return out

    def _settles(
        self,
        task: Task,
        b: Event,
        busy_people: dict[tuple[str, date], list[tuple[int, int]]],
        disturbed: set[Day],
    ) -> Choice | None:
        if (b.mentor, b.date) in disturbed:
            return None
        for o in task.options:
            if (o.mentor, o.date, o.venue) == (b.mentor, b.date, b.venue) and (
                b.start in o.starts
            ):
                kept = replace(task, options=[pinned(Choice(o, b.start))])
                if without_clashes(kept, busy_people):  # no one is busy then
                    return Choice(kept.options[0], b.start)
        return None


def after_kept_topics(problem: Problem, tasks: list[Task], kept: list[Event]) -> None:
    """Hard (rule 7): a topic session still to plan goes in a later period than
    every earlier topic of its group kept from the baseline, and an earlier
    period than every later one (topics in order, one per period).

    Kept sessions are fixed history outside every model, so ``group_order``
    cannot order the topics against them: without this a re-plan could put
    topic 3 in the period where topic 2 already took place. Options that
    break it are dropped from ``tasks`` in place."""
    owed_topic = {o.id: o.topic for o in problem.owed if o.topic is not None}
    held: dict[str, list[tuple[int, int, date]]] = {}  # demand -> (topic, period, day)
    for e in kept:
        demand = problem.demands.get(e.demand)
        if e.id not in owed_topic or demand is None:
            continue
        period = problem.calendar.week_of[e.date] // (demand.every or 1)
        held.setdefault(e.demand, []).append((owed_topic[e.id], period, e.date))
    for task in tasks:
        topic = task.owed.topic
        if topic is None or task.owed.demand not in held:
            continue
        before = [(p, d) for k, p, d in held[task.owed.demand] if k < topic]
        after = [(p, d) for k, p, d in held[task.owed.demand] if k > topic]
        task.options = [
            o
            for o in task.options
            if all(task.period_of[o.date] > p and o.date > d for p, d in before)
            and all(task.period_of[o.date] < p and o.date < d for p, d in after)
        ]


def _slot(c: Choice) -> tuple[str, date, str, int]:
    return (c.option.mentor, c.option.date, c.option.venue, c.start)
