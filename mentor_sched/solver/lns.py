"""Large-neighbourhood search: improve the whole plan, a few mentor-days at a time.

Each move takes part of the plan out and puts it back better, with everything
else fixed: a mentor-day routed again (``dayroute.best_day``), a mentor's week
ruined and recreated, a group's sessions or a series' weekly slot moved
together, or a neighbourhood of mentor-days re-optimised by the exact CP-SAT
model (``SubModel``, ``neighbourhood.py``) with the current plan as a complete
hint. Events outside a neighbourhood bound it: the people they take are busy, a
topic stays between its neighbours, a series' usual slot is the one its other
events keep.

A move is kept only if the whole plan's objective (``ledger.Ledger``, kept up
to date move by move) is no worse and no more priority-weighted events are
unplanned, so the search never returns a plan worse than its construction.
The first half of the budget judges moves with a lower pattern weight, the
rest with the cluster's own (``Search.run``), and the plan returned is never
worse than the construction by the cluster's own objective.
Neighbourhoods follow the problem's structure, as the CP-SAT Primer's chapter
on LNS advises (an anchor mentor-day grown by the days that share its
candidate events); their order is shuffled with the run's seed; every move is
counted in deterministic work, never wall-clock time, so the same input, seed
and options repeat exactly.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from ..candidates import Option
from ..problem import ONLINE, Problem
from .construct import Day, State, fit_day, topic_window
from .dayroute import WORK_PER_LABEL, Node, best_day, clear_starts
from .model import Choice, Task, movable
from .neighbourhood import (
    LNS_PARAMS,
    MAX_TARGET_OPTIONS,
    TARGET_OPTIONS,
    Neighbourhood,
    improve,
    neighbourhoods,
)
from .recombine import MAX_DAYS, MIN_DAYS, recombine

ELSEWHERE_TRIES = 12  # options tried for an event that could give up its place
NEW_PER_DAY = 24  # events new to a mentor-day offered to its route at once
# what an event worth keeping counts in a day's route when it fits elsewhere
RELOCATE_VALUE = 1.0
WORK_PER_DAY = 3e-3  # and per mentor-day routed (the ledger, checks)
WORK_PER_TRY = 6e-6  # and per slot tried (State.try_place)
# The first RELAXED_SHARE of the budget is searched with the pattern weight at
# RELAXED_PATTERN times the cluster's: at its own weight the search stayed in a
# plan whose visits a better rhythm had scattered (the example: 3,297; searched
# at 0.7 of it first, 3,242 by the cluster's own weights, travel 0.79x the
# reference's). At 0.5 the example does a little better (3,222) but the
# 60-school cluster breaks its series' rhythm more often than the reference
# plan does (0.40 an event against 0.37); at 0.7, 0.369 (docs/solver.md)
RELAXED_SHARE = 0.5
RELAXED_PATTERN = 0.7
# After a ruin, the other mentors' days of the week routed again: at most this
# many, those that could take most of the events taken out. Routing all of
# them (35 on the 60-school cluster, with the mentor's own 5) made each ruin
# nearly three times dearer; with 10, more ruins fit the budget, and over
# seeds 0-2 the 24- and 60-school clusters' objectives were 0.5% and 0.8%
# lower (benchmarks/RESULTS.md, fifth session)
RUIN_OTHER_DAYS = 10
# The last share of the budget recombines whole mentor-days (recombine.py),
# on clusters of MIN_DAYS to MAX_DAYS mentor-days. On the 60-school cluster
# (--time-limit 300) a share of 0.3 planned 2,011 events, 0.4 2,032 and 0.5
# 1,999, where the search alone plans 2,018; on the 24-school one 0.4 plans
# 767 against 757 (benchmarks/RESULTS.md, eighth session).
RECOMBINE_SHARE = 0.4


@dataclass
class Stats:
    iterations: int = 0
    improved: int = 0
    optimal: int = 0
    work: float = 0.0


class Search:
    """The anytime improvement loop over one plan (``state``, changed in place)."""

    def __init__(
        self,
        problem: Problem,
        tasks: list[Task],
        state: State,
        *,
        seed: int = 0,
    ) -> None:
        assert state.ledger is not None, "the search reads the objective from it"
        self.problem = problem
        self.tasks = {t.owed.id: t for t in tasks}
        self.state = state
        self.ledger = state.ledger
        self.rng = random.Random(seed)
        self.seed = seed
        self.week_of = problem.calendar.week_of
        self.stats = Stats()
        # mentor-day -> owed ids with an option there, and how many options
        self.unit_tasks: dict[tuple[str, date], set[str]] = defaultdict(set)
        self.unit_options: Counter[tuple[str, date]] = Counter()
        # mentor-day -> (task, option) of the meetings and observations there
        self.day_options: dict[Day, list[tuple[Task, Option]]] = defaultdict(list)
        for t in tasks:
            if t.fixed:
                continue
            for o in t.options:
                unit = (o.mentor, o.date)
                self.unit_tasks[unit].add(t.owed.id)
                self.unit_options[unit] += 1
                if t.owed.kind in ("meeting", "observation"):
                    self.day_options[unit].append((t, o))
        self.series: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.topics: dict[str, list[str]] = defaultdict(list)
        for t in tasks:
            if t.series is not None:
                self.series[t.series].append(t.owed.id)
            if t.owed.topic is not None:
                self.topics[t.owed.demand].append(t.owed.id)
        self.current = self.ledger.total()
        self.unmet = self.ledger.unmet  # priority-weighted events unplanned
        self.target = TARGET_OPTIONS  # options in one CP-SAT neighbourhood
        self._seen = state.tries

    # -- the loop ------------------------------------------------------------

    def run(
        self,
        work_limit: float,
        clock: Callable[[], float],
        progress: Callable[[dict[str, Any]], None] | None = None,
        seconds: float = 10.0,
    ) -> bool:
        """Improve until the work budget is spent or the wall clock is up
        (``clock()`` is the share of the search's time used), in two stages:
        the first ``RELAXED_SHARE`` of the budget with the pattern weight at
        ``RELAXED_PATTERN`` times the cluster's, so that visits can regroup by
        place at some cost to the rhythm, then the rest at the cluster's own
        weights from that plan, which mends the rhythm where that pays (each
        stage is ``_stage``); then, if ``RECOMBINE_SHARE`` is set, the rest of
        the budget recombines whole mentor-days (``recombine.py``, SCIP given
        what is left of ``seconds``). The plan kept is the better, by the cluster's
        own objective, of that and the construction; neither stage leaves
        more priority-weighted events unplanned.

        Returns whether the wall clock cut it short: ended the search, or a
        phase or stage before its share of the work budget (either way the
        plan depends on the machine's speed, not on the input alone)."""
        self.cut = False  # the wall clock is up: the search ends
        self.clocked = False  # a phase ended at its share of the clock
        own = self.problem
        w = own.weights
        relaxed = replace(w, pattern=round(RELAXED_PATTERN * w.pattern))
        moves = 1.0
        if RECOMBINE_SHARE:
            days = set(self.day_options) | {k for k, v in self.state.days.items() if v}
            if MIN_DAYS <= len(days) <= MAX_DAYS:
                moves = 1.0 - RECOMBINE_SHARE
        stages = [(0.0, moves, own)]
        if relaxed != w:
            stages = [
                (0.0, RELAXED_SHARE * moves, replace(own, weights=relaxed)),
                (RELAXED_SHARE * moves, moves, own),
            ]
        start = dict(self.state.choices), dict(self.state.legs)
        start_value, start_unmet = self.current, self.unmet

        def told(info: dict[str, Any]) -> None:
            assert progress is not None
            progress({**info, "objective": self.ledger.total(w)})

        for lo, hi, problem in stages:
            self._weigh(problem)
            self._stage(lo, hi, work_limit, clock, told if progress else None)
            if self.cut:
                break
        self._weigh(own)
        if moves < 1.0 and not self.cut and recombine(self, work_limit, clock, seconds):
            self.stats.improved += 1
        if self.current > start_value + 1e-9:
            self._restore(*start)
            self.current, self.unmet = start_value, start_unmet
        assert self.unmet <= start_unmet
        return self.cut or self.clocked

    def _weigh(self, problem: Problem) -> None:
        """Search from now on with ``problem``'s weights (the same cluster)."""
        self.problem = problem
        self.ledger.w = problem.weights
        self.current = self.ledger.total()
        self.target = TARGET_OPTIONS

    def _stage(
        self,
        lo: float,
        hi: float,
        work_limit: float,
        clock: Callable[[], float],
        progress: Callable[[dict[str, Any]], None] | None,
    ) -> None:
        """One stage of the search, from ``lo`` to ``hi`` of the work budget and
        of the wall clock (each phase also ends at its share of the stage):

        1. every mentor-day routed again on its own (``improve_day``), round
           after round, while that improves the plan;
        2. ruin and recreate a mentor's week (``_ruin_round``), each round
           followed by moving events back onto their series' usual slot;
        3. with what is left, CP-SAT on neighbourhoods of several mentor-days.

        It ends early when a whole round of its moves finds nothing better and
        the CP-SAT neighbourhoods have reached their largest size."""

        def at(share: float) -> float:
            return lo + share * (hi - lo)

        def rounds(move, items, share: float, once: bool = False) -> bool:
            """Rounds of ``move`` until one finds nothing or ``share`` of the
            stage is spent; whether any round found something."""
            found = False
            while True:
                stale = True
                for item in items():
                    if self.stats.work >= at(share) * work_limit:
                        return found
                    used = clock()
                    if used >= at(share):
                        self.cut = self.cut or used >= 1.0
                        self.clocked = True
                        return found
                    if move(item):
                        stale, found = False, True
                    if progress:
                        progress({"phase": "improving"})
                if stale or once:
                    return found

        def left(share: float) -> bool:
            if self.cut or self.stats.work >= at(share) * work_limit:
                return False
            if clock() >= at(share):
                self.clocked = True
                return False
            return True

        rounds(self._group_round, self._groups, 0.2, once=True)
        rounds(self._venue_round, self._rotated, 0.2, once=True)
        rounds(self._day_round, self._days, 0.4)
        while left(0.9):
            ruined = rounds(self._ruin_round, self._mentor_weeks, 0.9, once=True)
            steady = rounds(self._rhythm_round, self._series, 1.0, once=True)
            grouped = rounds(self._group_round, self._groups, 1.0, once=True)
            grouped |= rounds(self._venue_round, self._rotated, 1.0, once=True)
            if not (ruined or steady or grouped):
                break
        rounds(self._rhythm_round, self._series, 1.0, once=True)
        # CP-SAT on neighbourhoods, larger each time a round finds nothing
        while left(1.0):
            if not rounds(
                self._model_round, lambda: neighbourhoods(self), 1.0, once=True
            ):
                if self.target >= MAX_TARGET_OPTIONS:
                    break
                self.target *= 2

    def _groups(self) -> list[str]:
        return sorted(
            {t.owed.demand for t in self.tasks.values() if t.owed.kind == "group"}
        )

    def _group_round(self, demand: str) -> bool:
        """A group demand's sessions placed again together: each session where
        it fits in the plan as it stands, chosen so that topics stay in order,
        as many as can be are planned, and the fewest people miss them
        (a shortest path over topics and periods); kept if the plan is better."""
        st, w = self.state, self.problem.weights
        tasks = sorted(
            (t for t in self.tasks.values() if t.owed.demand == demand and not t.fixed),
            key=lambda t: (t.owed.topic or 0, t.owed.weeks, t.owed.id),
        )
        if not tasks:
            return False
        before, unmet = self.current, self.unmet
        old = [(t, st.choices[t.owed.id]) for t in tasks if t.owed.id in st.choices]
        for t, c in old:
            st.remove(t)
            self._refit((c.option.mentor, c.option.date))
        # pinned sessions stay: the others keep their topics in order around them
        pins = [t for t in self.tasks.values() if t.owed.demand == demand and t.fixed]
        # every slot each session could take now, alone
        fits: list[list[tuple[float, int, Option, int]]] = []
        for t in tasks:
            found = []
            lo, hi = topic_window(st, pins, t) if t.owed.topic else (-1, 10**9)
            for o in t.options:
                if not lo < t.period_of.get(o.date, 0) < hi:
                    continue
                legs = st.legs.get((o.mentor, o.date))
                for s in o.starts:
                    if st.try_place(t, o, s):
                        st.remove(t)
                        cost = w.missed_attendance * len(o.missed)
                        if o.venue == ONLINE and demand in self.ledger.in_person_able:
                            cost += w.in_person
                        found.append((cost, t.period_of.get(o.date, -1), o, s))
                        break
                if legs is None:
                    st.legs.pop((o.mentor, o.date), None)
                else:
                    st.legs[o.mentor, o.date] = legs
            fits.append(found)
        chosen = _order_sessions(tasks, fits, w.unmet)
        placed = []
        for t, pick in zip(tasks, chosen, strict=True):
            if pick is not None and st.try_place(t, pick[2], pick[3]):
                placed.append(t)
        if self._accept(before, unmet, strict=True):
            return True
        for t in placed:
            c = st.choices[t.owed.id]
            st.remove(t)
            self._refit((c.option.mentor, c.option.date))
        for t, c in old:
            st.add(t, c.option, c.start)
            self._refit((c.option.mentor, c.option.date))
        self.current = before
        return False

    def _rotated(self) -> list[str]:
        return sorted(d for d in self._groups() if d in self.ledger.caps)

    def _venue_round(self, demand: str) -> bool:
        """Soft (rotate_venues): move each session of ``demand`` at a school
        that hosts more than its even spread to a school that hosts fewer,
        where it fits with its topic still in order; each move kept if the
        whole plan is better."""
        st, ledger = self.state, self.ledger
        cap = ledger.caps[demand]
        tasks = [t for t in self.tasks.values() if t.owed.demand == demand]
        better = False
        for task in sorted(tasks, key=lambda t: (t.owed.topic or 0, t.owed.id)):
            c = st.choices.get(task.owed.id)
            if task.fixed or c is None or ledger.hosted[demand, c.option.venue] <= cap:
                continue
            lo, hi = topic_window(st, tasks, task) if task.owed.topic else (-1, 10**9)
            for o in task.options:
                if (
                    o.venue not in self.problem.schools
                    or ledger.hosted[demand, o.venue] >= cap
                    or not lo < task.period_of.get(o.date, 0) < hi
                ):
                    continue
                before, unmet = self.current, self.unmet
                old_key = (c.option.mentor, c.option.date)
                legs = st.legs.get((o.mentor, o.date))
                st.remove(task)
                self._refit(old_key)
                placed = next((s for s in o.starts if st.try_place(task, o, s)), None)
                if placed is not None:
                    if self._accept(before, unmet, strict=True):
                        better = True
                        break
                    st.remove(task)
                    if legs is None:
                        st.legs.pop((o.mentor, o.date), None)
                    else:
                        st.legs[o.mentor, o.date] = legs
                st.add(task, c.option, c.start)
                self._refit(old_key)
        return better

    def _series(self) -> list[tuple[str, str]]:
        return sorted(self.series)

    def _rhythm_round(self, key: tuple[str, str]) -> bool:
        """Soft (pattern): move each event of a series that is off its usual
        weekday and start onto it, where it fits with any mentor, if the whole
        plan gets no worse."""
        st = self.state
        better = False
        for oid in self.series[key]:
            c = st.choices.get(oid)
            task = self.tasks[oid]
            usual = self._usual(task)
            if c is None or usual is None or task.fixed:
                continue
            if (c.option.date.weekday(), c.start) == usual:
                continue
            for o in task.options:
                if o.date.weekday() != usual[0] or usual[1] not in o.starts:
                    continue
                before, unmet = self.current, self.unmet
                old_key = (c.option.mentor, c.option.date)
                legs = st.legs.get((o.mentor, o.date))
                st.remove(task)
                self._refit(old_key)
                if st.try_place(task, o, usual[1]):
                    if self._accept(before, unmet, strict=True):
                        better = True
                        break
                    st.remove(task)
                    if legs is None:
                        st.legs.pop((o.mentor, o.date), None)
                    else:
                        st.legs[o.mentor, o.date] = legs
                st.add(task, c.option, c.start)
                self._refit(old_key)
        return self._reslot(key) or better

    def _reslot(self, key: tuple[str, str]) -> bool:
        """Soft (pattern): try each slot the series uses or could use as its
        usual one, moving every event that can onto it at once (an event
        that cannot stays where it is); keep the first that makes the plan
        better."""
        st = self.state
        ids = [oid for oid in self.series[key] if oid in st.choices]
        counts = self.ledger.series.get(key)
        if len(ids) < 2 or not counts or len(counts) < 2:
            return False
        task0 = self.tasks[ids[0]]
        slots = sorted(set(counts) | set(task0.usual))
        for slot in slots:
            before, unmet = self.current, self.unmet
            undo: list[tuple[Task, Choice]] = []
            days: set[Day] = set()
            for oid in ids:
                task, c = self.tasks[oid], st.choices[oid]
                if (c.option.date.weekday(), c.start) == slot or task.fixed:
                    continue
                old_key = (c.option.mentor, c.option.date)
                st.remove(task)
                self._refit(old_key)
                days.add(old_key)
                placed = False
                for o in task.options:
                    fits = o.date.weekday() == slot[0] and slot[1] in o.starts
                    if fits and st.try_place(task, o, slot[1]):
                        days.add((o.mentor, o.date))
                        placed = True
                        break
                if not placed:
                    st.add(task, c.option, c.start)
                    self._refit(old_key)
                    continue
                undo.append((task, c))
            if not undo:
                continue
            if self._accept(before, unmet, strict=True):
                return True
            for task, _ in undo:
                st.remove(task)
            for task, c in undo:
                st.add(task, c.option, c.start)
            for day in days:
                self._refit(day)
        return False

    def _mentor_weeks(self) -> list[tuple[str, int]]:
        units = sorted({(m, self.week_of[d]) for m, d in self.day_options})
        self.rng.shuffle(units)
        return units

    def _ruin_round(self, unit: tuple[str, int]) -> bool:
        """Ruin and recreate: take a mentor's meetings and observations out of a
        whole week, route each of that week's days again (that mentor's first,
        then the other mentors' days that could take most of what was taken
        out, ``_takers``), and keep the result only if the whole plan is
        better; otherwise put everything back."""
        st = self.state
        mid, week = unit
        before, unmet = self.current, self.unmet
        snapshot, legs = dict(st.choices), dict(st.legs)
        days = [(mid, d) for d in self.problem.calendar.days_of_week(week)]
        out: set[str] = set()
        for key in days:
            for _, _, _, oid in list(st.days.get(key, ())):
                task = self.tasks[oid]
                if movable(task):
                    st.remove(task)
                    out.add(oid)
            if st.days.get(key):
                self._refit(key)
        self.current, self.unmet = self.ledger.total(), self.ledger.unmet
        others = self._takers(mid, week, out)
        self.rng.shuffle(days)
        self.rng.shuffle(others)
        for key in days + others:
            self.improve_day(key)
        if self.current < before - 1e-6 and self.unmet <= unmet:
            return True
        self._restore(snapshot, legs)
        self.current, self.unmet = before, unmet
        return False

    def _takers(self, mid: str, week: int, out: set[str]) -> list[Day]:
        """The other mentors' days of ``week`` routed again after a ruin of
        ``mid``'s: at most ``RUIN_OTHER_DAYS``, those where most of the events
        taken out (``out``) have an option, ties drawn by the seed."""
        others = [
            (m, d)
            for m in self.problem.mentors
            if m != mid
            for d in self.problem.calendar.days_of_week(week)
        ]
        if len(others) <= RUIN_OTHER_DAYS:
            return others
        shared = {k: len(self.unit_tasks.get(k, set()) & out) for k in others}
        self.rng.shuffle(others)  # ties in no fixed mentor's favour
        others.sort(key=lambda k: -shared[k])
        return others[:RUIN_OTHER_DAYS]

    def _restore(self, snapshot: dict[str, Choice], legs: dict) -> None:
        st = self.state
        for oid, c in list(st.choices.items()):
            if snapshot.get(oid) != c:
                st.remove(self.tasks[oid])
        for oid, c in snapshot.items():
            if oid not in st.choices:
                st.add(self.tasks[oid], c.option, c.start)
        st.legs.clear()
        st.legs.update(legs)

    def _days(self) -> list[Day]:
        days = set(self.day_options) | {k for k, v in self.state.days.items() if v}
        order = sorted(days)
        self.rng.shuffle(order)
        return order

    def _day_round(self, key: Day) -> bool:
        before = self.current
        self.improve_day(key)
        return self.current < before - 1e-6

    def _model_round(self, nb: Neighbourhood) -> bool:
        before = self.current
        improve(self, nb)
        return self.current < before - 1e-6

    def improve_day(self, key: Day) -> None:
        """Route one mentor-day again (``dayroute.best_day``) over the events on it
        and the unmet ones that could go there; keep it if the plan is no worse."""
        st, p, w = self.state, self.problem, self.problem.weights
        mid, day = key
        here = [oid for _, _, _, oid in st.days.get(key, ())]
        nodes: list[Node] = []
        optional = []
        for oid in here:
            task, c = self.tasks[oid], st.choices[oid]
            if movable(task):
                optional.append(oid)
                continue
            nodes.append(Node(task, c.option, (c.start,), 0.0, (), 0.0, True))
        # an event that could go to another mentor-day is worth little here: the
        # route may give its place to an event that can go nowhere else
        elsewhere = {oid: self._elsewhere(oid, key) for oid in optional}
        mine = set(here)
        for task, option in self.day_options.get(key, ()):
            oid = task.owed.id
            if oid in st.choices and oid not in mine:
                continue
            busy = [
                (a, b)
                for pid in task.owed.people
                if pid not in option.missed
                for a, b, other in st.people.get((pid, day), ())
                if other not in mine
            ]
            starts = clear_starts(option.starts, task.owed.minutes, busy)
            if not starts:
                continue
            value = w.unmet * task.owed.priority - w.missed_attendance * len(
                option.missed
            )
            if elsewhere.get(oid) is not None:
                value = RELOCATE_VALUE
            preferred: tuple[int, ...] = ()
            bonus = 0.0
            target = self._usual(task)
            if target is not None and target[0] == day.weekday():
                preferred, bonus = (target[1],), 2.0 * w.pattern
            if task.baseline is not None:
                bm, bd, bv, bs = task.baseline
                if (bm, bd, bv) == (mid, day, option.venue):
                    preferred, bonus = (*preferred, bs), bonus + w.change
            nodes.append(Node(task, option, starts, value, preferred, bonus, False))
        if not optional and len(nodes) == len(here):
            return
        nodes = self._fewest(nodes, mine, key)
        found = best_day(p, mid, day, nodes)
        self.stats.iterations += 1
        if found is None:
            return
        _, route, made = found
        self.stats.work += WORK_PER_DAY + made * WORK_PER_LABEL + self._tries()
        old = [(self.tasks[oid], st.choices[oid]) for oid in optional]
        old_legs = st.legs.get(key)
        for task, _ in old:
            st.remove(task)
        chosen = [(n.task, n.option, s) for n, s in route if not n.mandatory]
        for task, option, s in chosen:
            st.add(task, option, s)
        legs = fit_day(p, mid, day, st.days[key])
        moved = []
        if legs is not None:
            st.legs[key] = legs
            for task, _ in old:
                spot = elsewhere.get(task.owed.id)
                out = task.owed.id not in st.choices and spot is not None
                if out and st.try_place(task, *spot):
                    moved.append(task)
            before = self.current
            if self._accept(before, self.unmet, strict=False):
                self.stats.improved += self.current < before - 1e-6
                return
        for task in moved:
            c = st.choices[task.owed.id]
            st.remove(task)
            self._refit((c.option.mentor, c.option.date))
        for task, _, _ in chosen:
            st.remove(task)
        for task, c in old:
            st.add(task, c.option, c.start)
        if old_legs is None:
            st.legs.pop(key, None)
        else:
            st.legs[key] = old_legs

    def _fewest(self, nodes: list[Node], mine: set[str], key: Day) -> list[Node]:
        """At most ``NEW_PER_DAY`` events new to the day, the most valuable and
        nearest to the day's places first, so that a busy region's day stays a
        small problem (the others get their turn on their other days)."""
        new = [n for n in nodes if not n.mandatory and n.task.owed.id not in mine]
        if len(new) <= NEW_PER_DAY:
            return nodes
        base = self.problem.mentors[key[0]].base
        places = {v for _, _, v, _ in self.state.days.get(key, ())} | {base}
        places -= {None, ONLINE}

        def near(n: Node) -> int:
            v = n.option.venue
            if v == ONLINE or not places:
                return 0
            return min(self.problem.travel_minutes(a, v) for a in places)

        new.sort(key=lambda n: (-n.value, near(n), n.task.owed.id))
        keep = {id(n) for n in new[:NEW_PER_DAY]}
        return [
            n for n in nodes if n.mandatory or n.task.owed.id in mine or id(n) in keep
        ]

    def _refit(self, key: Day) -> None:
        """Work a mentor-day's trips out again after an event left it."""
        legs = fit_day(self.problem, key[0], key[1], self.state.days.get(key, []))
        self.state.legs[key] = legs if legs is not None else {}

    def _elsewhere(self, oid: str, key: Day) -> tuple[Option, int] | None:
        """Another mentor-day and start where the planned ``oid`` would fit as the
        plan stands (tried, then taken back), or None. The same mentor's other
        days and the other mentors' same day are tried first, at most
        ``ELSEWHERE_TRIES`` options."""
        st = self.state
        task, c = self.tasks[oid], st.choices[oid]
        mid, day = key
        near = sorted(
            (o for o in task.options if (o.mentor, o.date) != key),
            key=lambda o: (o.mentor != mid and o.date != day, abs((o.date - day).days)),
        )[:ELSEWHERE_TRIES]
        st.remove(task)
        spot = None
        for o in near:
            legs = st.legs.get((o.mentor, o.date))
            for s in o.starts:
                if st.try_place(task, o, s):
                    spot = (o, s)
                    st.remove(task)
                    break
            if spot is not None:
                if legs is None:
                    st.legs.pop((o.mentor, o.date), None)
                else:
                    st.legs[o.mentor, o.date] = legs
                break
        st.add(task, c.option, c.start)
        return spot

    def _accept(self, before: float, unmet: int, *, strict: bool) -> bool:
        """Keep the plan as it now stands if its objective is better than
        ``before`` (or no worse, unless ``strict``) and it leaves no more
        priority-weighted events unplanned than ``unmet``: the search never
        gives up a planned event for the other goals, so it never plans less
        than the construction it started from."""
        value = self.ledger.total()
        better = value < before - 1e-6 if strict else value <= before + 1e-9
        if better and self.ledger.unmet <= unmet:
            self.current, self.unmet = value, self.ledger.unmet
            return True
        return False

    def _tries(self) -> float:
        """The work of the slots tried since last asked (``State.tries``)."""
        n, self._seen = self.state.tries - self._seen, self.state.tries
        return n * WORK_PER_TRY

    def _usual(self, task: Task) -> tuple[int, int] | None:
        """Soft (pattern): the series' most common (weekday, start) so far."""
        if task.series is None:
            return None
        counts = self.ledger.series.get(task.series)
        if not counts:
            return None
        best = max(counts.values())
        return min(k for k, n in counts.items() if n == best)


def _order_sessions(
    tasks: list[Task],
    fits: list[list[tuple[float, int, Option, int]]],
    unmet: int,
) -> list[tuple[float, int, Option, int] | None]:
    """Hard (rule 7) and soft: a slot or none for each session, topics in
    strictly increasing periods, least cost (missed people, and ``unmet`` times
    priority for a session left out). Sessions without topics are free."""
    topical = [i for i, t in enumerate(tasks) if t.owed.topic is not None]
    out: list[tuple[float, int, Option, int] | None] = [None] * len(tasks)
    for i, t in enumerate(tasks):
        if t.owed.topic is None and fits[i]:
            out[i] = min(fits[i], key=lambda f: (f[0], f[1], f[2].date, f[3]))
    # best[k][p]: least cost of topics up to the k-th with the k-th's period
    # (or the last placed one's) equal to p; -1 before any
    states: dict[int, tuple[float, list]] = {-1: (0.0, [])}
    for i in topical:
        skip = unmet * tasks[i].owed.priority
        nxt: dict[int, tuple[float, list]] = {}
        for p, (cost, picks) in states.items():
            # leave it out
            cand = (cost + skip, [*picks, None])
            if p not in nxt or cand[0] < nxt[p][0]:
                nxt[p] = cand
            for f in fits[i]:
                if f[1] > p:
                    cand = (cost + f[0], [*picks, f])
                    if f[1] not in nxt or cand[0] < nxt[f[1]][0]:
                        nxt[f[1]] = cand
        states = nxt
    if topical:
        _, picks = min(states.values(), key=lambda cp: cp[0])
        for i, f in zip(topical, picks, strict=True):
            out[i] = f
    return out


__all__ = ["LNS_PARAMS", "Neighbourhood", "Search"]
