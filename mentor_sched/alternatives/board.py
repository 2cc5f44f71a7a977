"""The plan as a board to try moves on: its events by mentor-day and by
person-day, and its objective in the solver's ``Ledger``, so that a move can
be tried, priced and taken back; and, for a chosen move, the whole changed
plan."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date
from itertools import pairwise

from ..candidates import Option, options
from ..metrics import compute_metrics
from ..plan import Event, Plan, Trip, Unmet
from ..problem import ONLINE, Owed, Problem
from ..solver import _trips
from ..solver.construct import fit_day
from ..solver.ledger import Ledger
from ..solver.model import Choice, Task
from .answer import Slot

Day = tuple[str, date]


class Board:
    """The plan's events by mentor-day and by person-day, and its objective
    terms in a ``Ledger``, so that a move can be tried and taken back."""

    def __init__(self, problem: Problem, plan: Plan) -> None:
        self.problem = problem
        self.plan = plan
        self.owed = {o.id: o for o in problem.owed}
        self.events = {e.id: e for e in plan.events}
        # an in-school mentor's event (host: school-mentor) follows the Expert
        # Mentors' plan: it holds its people's time but is never moved here
        self.pinned = {p.event for p in problem.pins} | {
            e.id for e in plan.events if e.mentor is None
        }
        self.day: dict[Day, list[Event]] = defaultdict(list)
        self.person: dict[tuple[str, date], list[Event]] = defaultdict(list)
        for e in plan.events:
            self._add(e)
        self.tasks = {o.id: _task(problem, o) for o in problem.owed}
        self.ledger = Ledger(problem, self.tasks)
        for e in plan.events:
            if e.id in self.tasks and e.mentor is not None:
                self.ledger.change(self.tasks[e.id], _choice(e), 1)
        travel: dict[Day, int] = defaultdict(int)
        for t in plan.travel:
            travel[t.mentor, t.date] += t.minutes
        for key, minutes in travel.items():
            self.ledger.set_travel(key, minutes)
        self._options: dict[str, list[Option]] = {}

    def options(self, owed: Owed) -> list[Option]:
        """``owed``'s options, a topic session's cut to the periods between
        its neighbours' as planned (rule 7)."""
        if owed.id not in self._options:
            opts = options(self.problem, owed)
            if owed.topic is not None:
                lo, hi = self._topic_window(owed)
                opts = [o for o in opts if lo < self._period(owed, o.date) < hi]
            self._options[owed.id] = opts
        return self._options[owed.id]

    def _period(self, owed: Owed, day: date) -> int:
        every = self.problem.demands[owed.demand].every or 1
        return self.problem.calendar.week_of[day] // every

    def _topic_window(self, owed: Owed) -> tuple[int, int]:
        lo, hi = -1, 10**9
        for e in self.events.values():
            other = self.owed.get(e.id)
            if other is None or other.demand != owed.demand or other.id == owed.id:
                continue
            if other.topic is None:
                continue
            period = self._period(other, e.date)
            if other.topic < (owed.topic or 0):
                lo = max(lo, period)
            else:
                hi = min(hi, period)
        return lo, hi

    # -- the board's state ---------------------------------------------------------

    def _add(self, e: Event) -> None:
        if e.mentor is not None:
            self.day[e.mentor, e.date].append(e)
        for pid in e.people:
            if pid not in e.missed:
                self.person[pid, e.date].append(e)

    def _remove(self, e: Event) -> None:
        if e.mentor is not None:
            self.day[e.mentor, e.date].remove(e)
        for pid in e.people:
            if pid not in e.missed:
                self.person[pid, e.date].remove(e)

    def event_at(self, owed: Owed, slot: Slot) -> Event:
        demand = self.problem.demands[owed.demand]
        period, topic = owed.period, None
        if owed.topic is not None:
            period = self._period(owed, slot.date)
            topic = demand.topics[owed.topic - 1]
        return Event(
            id=owed.id,
            demand=owed.demand,
            kind=owed.kind,
            period=period,
            mentor=slot.mentor,
            venue=slot.venue,
            people=owed.people,
            missed=slot.missed,
            topic=topic,
            date=slot.date,
            start=slot.start,
            end=slot.end,
        )

    def _fits(self, key: Day, events: list[Event]) -> dict | None:
        items = sorted((e.start, e.end, e.venue, e.id) for e in events)
        return fit_day(self.problem, key[0], key[1], items)

    def _person_clashes(self, owed: Owed, slot: Slot) -> list[Event]:
        out = []
        for pid in owed.people:
            if pid in slot.missed:
                continue
            for e in self.person.get((pid, slot.date), ()):
                if e.id != owed.id and e.start < slot.end and slot.start < e.end:
                    out.append(e)
        return out

    def fits(self, owed: Owed, slot: Slot) -> bool:
        """Whether ``owed`` fits at ``slot`` with everything else where it is."""
        if self._person_clashes(owed, slot):
            return False
        key = (slot.mentor, slot.date)
        others = [e for e in self.day.get(key, ()) if e.id != owed.id]
        return self._fits(key, [*others, self.event_at(owed, slot)]) is not None

    def blockers(self, owed: Owed, slot: Slot) -> list[Event] | None:
        """The events that would have to move for ``owed`` to go at ``slot``
        (none: it fits as the plan stands), or None when moving them would not
        make room, or one is pinned."""
        clash = {e.id: e for e in self._person_clashes(owed, slot)}
        key = (slot.mentor, slot.date)
        others = [e for e in self.day.get(key, ()) if e.id != owed.id]
        new = self.event_at(owed, slot)
        if not clash and self._fits(key, [*others, new]) is not None:
            return []
        travel = self.problem.travel_minutes

        def gap(a: str, b: str) -> int:
            return 0 if ONLINE in (a, b) else travel(a, b)

        for e in others:
            if e.start < new.end + gap(new.venue, e.venue) and new.start < e.end + gap(
                e.venue, new.venue
            ):
                clash[e.id] = e
        rest = [e for e in others if e.id not in clash]
        if self._fits(key, [*rest, new]) is None:
            # one more, the nearest in time, may be what keeps the break or a limit
            extra = sorted(
                rest, key=lambda e: min(abs(e.start - new.end), abs(new.start - e.end))
            )
            for e in extra:
                if self._fits(key, [x for x in rest if x is not e] + [new]) is not None:
                    clash[e.id] = e
                    break
            else:
                return None
        if any(e.id in self.pinned for e in clash.values()):
            return None
        return sorted(clash.values(), key=Event.sort_key)

    # -- moves ---------------------------------------------------------------------

    def _travel(self, key: Day) -> int:
        base = self.problem.mentors[key[0]].base
        stops = sorted(self.day.get(key, ()), key=lambda e: e.start)
        places = [e.venue for e in stops if e.venue != ONLINE]
        if not places:
            return 0
        if base is not None:
            places = [base, *places, base]
        return sum(self.problem.travel_minutes(a, b) for a, b in pairwise(places))

    def _do(self, out: Event | None, into: Event | None) -> list[Day]:
        """Take ``out`` off the board and put ``into`` on it (ledger too)."""
        days = []
        if out is not None:
            self._remove(out)
            if out.id in self.tasks:
                self.ledger.change(self.tasks[out.id], _choice(out), -1)
            days.append((out.mentor, out.date))
        if into is not None:
            self._add(into)
            self.ledger.change(self.tasks[into.id], _choice(into), 1)
            days.append((into.mentor, into.date))
        for key in days:
            self.ledger.set_travel(key, self._travel(key))
        return days

    def _undo(self, out: Event | None, into: Event | None) -> None:
        self._do(into, out)

    def _steps(
        self, owed: Owed, slot: Slot, moves: list[tuple[Event, Slot | None]]
    ) -> list[tuple[Event | None, Event | None]]:
        first = (self.events.get(owed.id), self.event_at(owed, slot))
        rest = [
            (b, None if to is None else self.event_at(self.owed[b.id], to))
            for b, to in moves
        ]
        # the displaced leave first, so that the event and their new slots fit
        return [(b, None) for b, _ in rest] + [first] + [(None, t) for _, t in rest]

    def delta(
        self, owed: Owed, slot: Slot, moves: list[tuple[Event, Slot | None]]
    ) -> int:
        """Change in objective (the ledger's) of the move and ``moves``."""
        before = _total(self.ledger)
        steps = self._steps(owed, slot, moves)
        for out, into in steps:
            self._do(out, into)
        after = _total(self.ledger)
        for out, into in reversed(steps):
            self._undo(out, into)
        return after - before

    def relocate(
        self, owed: Owed, slot: Slot, blockers: list[Event]
    ) -> list[tuple[Event, Slot | None]]:
        """Each of ``blockers`` at its best free slot once ``owed`` is at
        ``slot`` (one step: it displaces nothing), or None (unmet)."""
        steps = [(b, None) for b in blockers] + [
            (self.events.get(owed.id), self.event_at(owed, slot))
        ]
        for out, into in steps:
            self._do(out, into)
        moves: list[tuple[Event, Slot | None]] = []
        placed: list[tuple[Event | None, Event | None]] = []
        for b in blockers:
            best = self._best_free(self.owed[b.id], b)
            moves.append((b, best))
            if best is not None:
                step = (None, self.event_at(self.owed[b.id], best))
                self._do(*step)
                placed.append(step)
        for out, into in reversed(steps + placed):
            self._undo(out, into)
        return moves

    def _best_free(self, owed: Owed, was: Event) -> Slot | None:
        """``owed``'s cheapest slot that fits as the board stands (not where it
        ``was``)."""
        trial = []
        before = _total(self.ledger)
        task = self.tasks[owed.id]
        for o in self.options(owed):
            for s in o.starts:
                if (o.mentor, o.date, o.venue, s) == (
                    was.mentor,
                    was.date,
                    was.venue,
                    was.start,
                ):
                    continue
                slot = Slot(o.mentor, o.date, o.venue, s, s + owed.minutes, o.missed)
                e = self.event_at(owed, slot)
                self._add(e)
                self.ledger.change(task, _choice(e), 1)
                key = (o.mentor, o.date)
                old = self.ledger.travel.get(key, 0)
                self.ledger.set_travel(key, self._travel(key))
                cost = _total(self.ledger) - before
                self.ledger.set_travel(key, old)
                self.ledger.change(task, _choice(e), -1)
                self._remove(e)
                trial.append((cost, o.date, s, o.mentor, o.venue, slot))
        trial.sort(key=lambda t: t[:5])
        for *_, slot in trial:
            if self.fits(owed, slot):
                return slot
        return None

    def apply(
        self, owed: Owed, slot: Slot, moves: list[tuple[Event, Slot | None]]
    ) -> Plan:
        """The whole plan with ``owed`` at ``slot`` and ``moves`` made: its
        events, the trips of the mentor-days it touches worked out again, and
        unmet what is left without a slot."""
        problem = self.problem
        steps = self._steps(owed, slot, moves)
        gone = {out.id for out, _ in steps if out is not None}
        added = [into for _, into in steps if into is not None]
        events = [e for e in self.plan.events if e.id not in gone] + added
        touched = {(e.mentor, e.date) for e in added}
        touched |= {(e.mentor, e.date) for e in self.plan.events if e.id in gone}
        trips: list[Trip] = [
            t for t in self.plan.travel if (t.mentor, t.date) not in touched
        ]
        routes, departs = {}, {}
        by_day: dict[Day, list[Event]] = defaultdict(list)
        for e in events:
            if (e.mentor, e.date) in touched:
                by_day[e.mentor, e.date].append(e)
        for key, day_events in by_day.items():
            legs = self._fits(key, day_events)
            assert legs is not None, f"{key} does not fit"
            day_events.sort(key=lambda e: e.start)
            routes[key] = [e.id for e in day_events if e.venue != ONLINE]
            departs[key] = legs
        trips += _trips(
            problem, [e for es in by_day.values() for e in es], routes, departs
        )
        placed = {e.id for e in events}
        unmet = [u for u in self.plan.unmet if u.id not in placed]
        for b, to in moves:
            if to is None:
                unmet.append(
                    Unmet(
                        b.id,
                        b.demand,
                        b.people,
                        self.owed[b.id].period,
                        f"displaced by {owed.id} and no free slot is left for it",
                    )
                )
        changed = replace(
            self.plan, events=tuple(events), travel=tuple(trips), unmet=tuple(unmet)
        ).sorted()
        return replace(changed, metrics=compute_metrics(problem, changed))


def _task(problem: Problem, owed: Owed) -> Task:
    d = problem.demands[owed.demand]
    series = None
    if owed.kind in ("meeting", "observation") and d.every is not None:
        series = (owed.demand, owed.people[0])
    return Task(owed=owed, options=[], series=series)


def _choice(e: Event) -> Choice:
    return Choice(Option(e.mentor, e.date, e.venue, (e.start,), e.missed), e.start)


def _total(ledger: Ledger) -> int:
    """The ledger's objective, its share term rounded as ``objective_terms``
    rounds it."""
    terms = ledger.terms()
    terms["share"] = round(terms["share"])
    return round(sum(terms.values()))
