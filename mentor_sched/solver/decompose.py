"""Cutting the year into subproblems that CP-SAT solves well.

Measured on prototypes (docs/solver.md): one interval model with a circuit per
mentor-day is best while each mentor-day has few candidate events, and
collapses when every event may go to every mentor on every day of a long
horizon. So group sessions (shared across schools and mentors), covers and
pinned events (fixed in time) are planned first over the whole horizon; then
each school is given to one mentor (its *patch*: continuity for the school, and
mentors' models become independent), and each patch is solved block of weeks
by block of weeks. An event whose period runs past its block is carried into
the next block if it was not planned, so nothing is lost at block edges; the
usual weekday and time of each series found in earlier blocks is the target
later blocks keep to.

The model size then grows linearly with weeks and with mentors.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from ..candidates import Option
from ..plan import Event
from ..problem import Owed, Problem
from .dayroute import clear_starts
from .model import Choice, Task

BLOCK_OPTIONS = 60


@dataclass
class Subproblem:
    label: str
    tasks: list[Task]
    owed_index: dict[str, Owed] = field(default_factory=dict)
    mentor: str | None = None  # a patch: only this mentor's events
    weeks: tuple[int, int] | None = None
    stage: int = 0  # subproblems of one stage are independent of each other
    prepared: bool = False  # built around what is planned already (a repair)
    # CP-SAT's linearization_level: 2 puts the implications behind the change
    # penalty into the LP; a repair's bound is useless without it (measured:
    # benchmarks/RESULTS.md, what-if re-plan)
    linearization: int = 1
    # a repair's starting plan: what is already planned, as it is (owed id ->
    # its choice); the events the changes reach start unmet. None: the model
    # hints only the baseline's slots (the change penalty's own hints)
    start: dict[str, Choice] | None = None


def plan_subproblems(problem: Problem, tasks: list[Task]) -> list[Subproblem]:
    owed_index = {o.id: o for o in problem.owed}
    total = sum(len(t.options) for t in tasks)
    if total == 0:
        # nothing can be placed: one empty model, as a re-plan whose group
        # sessions, covers and pins have no options has always had
        return [Subproblem("the whole horizon", tasks, owed_index)]
    stage = 0
    # group sessions span schools and mentors; covers and pins are fixed in time:
    # all three are planned first, over the whole horizon, and are then fixed
    rigid = [t for t in tasks if t.owed.kind in ("group", "cover") or t.fixed]
    rest = [t for t in tasks if not (t.owed.kind in ("group", "cover") or t.fixed)]
    subs: list[Subproblem] = []
    if rigid:
        subs.append(Subproblem("group sessions, covers and pins", rigid, owed_index))
        stage = 1
    patches = assign_patches(problem, rest)
    nweeks = len(problem.calendar.weeks)
    by_patch: dict[str, list[Task]] = defaultdict(list)
    for t in rest:
        # one mentor per task, so patches never compete for a mentor-day
        mentors = Counter(o.mentor for o in t.options)
        if not mentors:
            continue
        school = problem.people[t.owed.people[0]].school
        mentor = patches.get(school)
        if mentor not in mentors:
            mentor = min(mentors, key=lambda m: (-mentors[m], m))
        t.options = [o for o in t.options if o.mentor == mentor]
        by_patch[mentor].append(t)
    # a re-plan has options only after frozen_until: size blocks by those weeks
    live = {problem.calendar.week_of[o.date] for t in rest for o in t.options}
    per_week = max(
        1,
        sum(len(t.options) for t in rest) // max(1, len(live)) // max(1, len(by_patch)),
    )
    block = max(1, min(nweeks, BLOCK_OPTIONS // per_week))
    if block >= 2:
        block -= block % 2  # fortnights are the commonest period: keep them whole
    blocks = [(w, min(nweeks - 1, w + block - 1)) for w in range(0, nweeks, block)]
    for first, last in blocks:
        for mentor in sorted(by_patch):
            block_tasks = []
            for t in by_patch[mentor]:
                if t.owed.weeks[1] < first or t.owed.weeks[0] > last:
                    continue
                opts = [
                    o
                    for o in t.options
                    if first <= problem.calendar.week_of[o.date] <= last
                ]
                later = t.owed.weeks[1] > last
                if opts:
                    block_tasks.append(_BlockTask(t, opts, later))
            if not block_tasks:
                continue
            subs.append(
                Subproblem(
                    f"weeks {first}-{last} for {mentor}",
                    [b.task_view() for b in block_tasks],
                    owed_index,
                    mentor,
                    (first, last),
                    stage,
                )
            )
        stage += 1
    return subs


class _BlockTask:
    def __init__(self, task: Task, opts, later: bool) -> None:
        self.task, self.opts, self.later = task, opts, later

    def task_view(self) -> Task:
        t = self.task
        return Task(
            owed=t.owed,
            options=self.opts,
            fixed=t.fixed and bool(self.opts),
            later=self.later,
            series=t.series,
            target=t.target,
            usual=t.usual,
            baseline=t.baseline,
            period_of=t.period_of,
        )


def assign_patches(problem: Problem, tasks: list[Task]) -> dict[str, str]:
    """Give each school to one mentor who can serve it: balance owed minutes
    against working minutes, prefer the nearer mentor."""
    load: dict[str, float] = defaultdict(float)
    capacity: dict[str, float] = {}
    for mid, m in problem.mentors.items():
        per_week = sum(b - a for ranges in m.works.values() for a, b in ranges)
        capacity[mid] = max(1.0, per_week * len(problem.calendar.weeks))
    need: dict[str, float] = defaultdict(float)
    can: dict[str, set[str]] = defaultdict(set)
    for t in tasks:
        school = problem.people[t.owed.people[0]].school
        need[school] += t.owed.minutes
        can[school] |= {o.mentor for o in t.options}
    out: dict[str, str] = {}
    for school in sorted(need, key=lambda s: (-need[s], s)):
        mentors = sorted(can[school])
        if not mentors:
            continue
        s = problem.schools[school]

        def cost(mid: str, s=s, school=school) -> tuple[float, str]:
            m = problem.mentors[mid]
            here = m.base_location or (s.lat, s.lon)
            km = ((here[0] - s.lat) ** 2 + (here[1] - s.lon) ** 2) ** 0.5 * 111
            return ((load[mid] + need[school]) / capacity[mid] + km / 200, mid)

        best = min(mentors, key=cost)
        out[school] = best
        load[best] += need[school]
    return out


def prepare(
    problem: Problem,
    sub: Subproblem,
    choices: dict[str, Choice],
    kept: list[Event],
    all_tasks: dict[str, Task],
) -> None:
    """Targets, busy people and fixed events from what earlier subproblems planned."""
    placed: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    busy_people = busy_times(choices, sub.owed_index)
    context: list[Task] = []
    for oid, c in choices.items():
        owed = sub.owed_index[oid]
        if owed.kind in ("meeting", "observation") and owed.period is not None:
            placed[owed.demand, owed.people[0]].append(
                (c.option.date.weekday(), c.start)
            )
        week = problem.calendar.week_of[c.option.date]
        if (
            c.option.mentor == sub.mentor
            and sub.weeks
            and sub.weeks[0] <= week <= sub.weeks[1]
        ):
            # planned earlier for this mentor (a group session): fixed here, so
            # travel to and from it is part of this model
            base = all_tasks[oid]
            context.append(
                Task(owed, [pinned(c)], fixed=True, period_of=base.period_of)
            )
    for e in kept:
        if e.kind in ("meeting", "observation") and e.period is not None:
            placed[e.demand, e.people[0]].append((e.date.weekday(), e.start))
    for task in sub.tasks:
        if task.series and placed.get(task.series):
            counts = Counter(placed[task.series])
            best = max(counts.values())
            task.target = min(k for k, n in counts.items() if n == best)
        if busy_people:
            task.options = without_clashes(task, busy_people)
    sub.tasks = [t for t in sub.tasks if t.options] + context


def busy_times(
    choices: dict[str, Choice], owed_index: dict[str, Owed], *, mentor: bool = False
) -> dict[tuple[str, date], list[tuple[int, int]]]:
    """The times the planned ``choices`` take, by (person, date), or by (mentor,
    date) with ``mentor``; a group's missed invitees are not busy."""
    out: dict[tuple[str, date], list[tuple[int, int]]] = defaultdict(list)
    for oid, c in choices.items():
        owed = owed_index[oid]
        span = (c.start, c.start + owed.minutes)
        if mentor:
            out[c.option.mentor, c.option.date].append(span)
            continue
        for pid in owed.people:
            if pid not in c.option.missed:
                out[pid, c.option.date].append(span)
    return out


def pinned(c: Choice) -> Option:
    """The chosen option with its chosen start as its only one."""
    o = c.option
    return Option(o.mentor, o.date, o.venue, (c.start,), o.missed)


def without_clashes(
    task: Task,
    busy: dict[tuple[str, date], list[tuple[int, int]]],
    *,
    mentor: bool = False,
) -> list[Option]:
    """The options' starts that overlap nothing in ``busy``, which is keyed by
    (person, date), or by (mentor, date) with ``mentor``."""
    out = []
    length = task.owed.minutes
    for o in task.options:
        if mentor:
            taken = list(busy.get((o.mentor, o.date), ()))
        else:
            taken = [
                r
                for pid in task.owed.people
                if pid not in o.missed
                for r in busy.get((pid, o.date), ())
            ]
        if not taken:
            out.append(o)
            continue
        starts = clear_starts(o.starts, length, taken)
        if starts:
            out.append(Option(o.mentor, o.date, o.venue, starts, o.missed))
    return out
