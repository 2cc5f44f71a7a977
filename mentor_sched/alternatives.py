"""Where else could one event go, and what would it cost? (UniTime's
suggestions, Timefold's recommended fit.)

For one event of a solved plan, every other (mentor, date, venue) among its
options (``candidates.options``: the rules that concern one event) is tried
with the rest of the plan as it stands:

- at each start of that option, the mentor-day must still obey rules 2-4 with
  the day's other events (``fit_day``: no overlap, travel, base, limits and
  the break) and the people who attend must be free (rule 5); a topic session
  stays between its neighbours' periods (rule 7);
- when it does not fit, the events in the way (on that mentor-day, those the
  travel to and from it needs; the people's other events at that time) would
  have to move: each is offered its own best free slot, one step only (it
  displaces nothing), or else it would be unmet. A pinned event never moves.

Each (mentor, date, venue) is listed once, at its best start: fewest events
moved, then the smallest change in objective, then the start nearest the
current one. The change is worked out move by move with the solver's
``Ledger`` for the search, and for each listed alternative once more from the
whole changed plan with ``metrics`` and ``objective_terms``, the formulas of
``plan.json``; the ``change`` weight (a what-if's price per moved event) is
not in it. Ranked by (events that must move, change in objective).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Any

from .candidates import Option, options
from .metrics import compute_metrics
from .plan import Event, Plan, Trip, Unmet
from .problem import ONLINE, Owed, Problem, fmt_time
from .solver import _trips, objective_terms
from .solver.construct import fit_day
from .solver.ledger import Ledger
from .solver.model import Choice, Task
from .words import DAY_ABBR

Day = tuple[str, date]


class AlternativesError(ValueError):
    """The question cannot be answered (an unknown event id): the message says
    why and what to give instead."""


@dataclass(frozen=True)
class Slot:
    mentor: str
    date: date
    venue: str
    start: int
    end: int
    missed: tuple[str, ...] = ()

    def text(self) -> str:
        return (
            f"{DAY_ABBR[self.date.weekday()]} {self.date} "
            f"{fmt_time(self.start)}-{fmt_time(self.end)}"
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "mentor": self.mentor,
            "date": self.date.isoformat(),
            "start": fmt_time(self.start),
            "end": fmt_time(self.end),
            "venue": self.venue,
            "missed": list(self.missed),
        }


@dataclass(frozen=True)
class Move:
    """Another event that would have to move: to ``after``, or unmet (None)."""

    event: str
    before: Slot
    after: Slot | None

    def to_json(self) -> dict[str, Any]:
        return {
            "event": self.event,
            "from": self.before.to_json(),
            "to": None if self.after is None else self.after.to_json(),
        }


@dataclass(frozen=True)
class Alternative:
    slot: Slot
    moves: tuple[Move, ...]
    delta: int  # change in objective
    terms: dict[str, int]  # change per named term
    plan: Plan = field(repr=False, compare=False)  # the plan with it applied

    def to_json(self, rank: int) -> dict[str, Any]:
        return {
            "rank": rank,
            **self.slot.to_json(),
            "objective_change": self.delta,
            "terms": self.terms,
            "would_move": [m.to_json() for m in self.moves],
        }


@dataclass(frozen=True)
class Alternatives:
    event: str
    owed: Owed
    current: Slot | None  # None: unmet in the plan
    pinned: bool  # the cluster pins it (a pin of the what-if replaces that)
    objective: int  # of the plan as it is, from its own terms
    terms: dict[str, int]
    alternatives: tuple[Alternative, ...]
    considered: int  # placements (mentor, date, venue) looked at

    def to_json(self) -> dict[str, Any]:
        return {
            "event": self.event,
            "demand": self.owed.demand,
            "kind": self.owed.kind,
            "people": list(self.owed.people),
            "current": None if self.current is None else self.current.to_json(),
            "pinned": self.pinned,
            "objective": self.objective,
            "terms": self.terms,
            "considered": self.considered,
            "alternatives": [
                a.to_json(i) for i, a in enumerate(self.alternatives, start=1)
            ],
        }


def alternatives(
    problem: Problem, plan: Plan, event_id: str, *, top: int = 10
) -> Alternatives:
    """The ``top`` best other placements of ``event_id`` in ``plan``, best
    first (module docstring); AlternativesError if the problem owes no such
    event."""
    owed = {o.id: o for o in problem.owed}.get(event_id)
    if owed is None:
        raise AlternativesError(_unknown(problem, plan, event_id))
    strange = [
        e.id
        for e in plan.events
        if e.demand not in problem.demands
        or any(p not in problem.people for p in e.people)
        or e.mentor not in problem.mentors
    ]
    if strange:
        raise AlternativesError(
            f"the plan does not fit the cluster {problem.name!r}: {strange[0]} names "
            "a demand, person or mentor it does not have; give the cluster file "
            "the plan was made from, or solve again"
        )
    board = _Board(problem, plan)
    base_terms = objective_terms(
        problem, plan, compute_metrics(problem, plan), None, None
    )
    current_event = board.events.get(event_id)
    current = _slot(current_event) if current_event else None
    groups: dict[tuple[str, date, str], list[tuple[Option, int]]] = defaultdict(list)
    for o in board.options(owed):
        for s in o.starts:
            if current is None or (o.mentor, o.date, o.venue, s) != (
                current.mentor,
                current.date,
                current.venue,
                current.start,
            ):
                groups[o.mentor, o.date, o.venue].append((o, s))
    found: list[tuple[tuple, Slot, list[Event]]] = []
    for starts in groups.values():
        best = None
        for o, s in starts:
            slot = Slot(o.mentor, o.date, o.venue, s, s + owed.minutes, o.missed)
            blockers = board.blockers(owed, slot)
            if blockers is None:
                continue
            delta = board.delta(owed, slot, [(b, None) for b in blockers])
            near = abs(s - current.start) if current else 0
            rank = (len(blockers), delta, near, s)
            if best is None or rank < best[0]:
                best = (rank, slot, blockers)
        if best is not None:
            found.append(best)
    # the blockers of the most promising placements get their own best slot
    found.sort(key=lambda f: (f[0][0], f[0][1], f[1].date, f[1].start, f[1].mentor))
    scored = []
    for _, slot, blockers in found[: max(top * 3, top + 10)]:
        moves = board.relocate(owed, slot, blockers)
        delta = board.delta(owed, slot, moves)
        scored.append(((len(blockers), delta, slot.date, slot.start), slot, moves))
    scored.sort(key=lambda f: (f[0], f[1].mentor, f[1].venue))
    out = []
    for _, slot, moves in scored[:top]:
        changed = board.apply(owed, slot, moves)
        terms = objective_terms(
            problem, changed, compute_metrics(problem, changed), None, None
        )
        diff = {k: terms[k] - base_terms.get(k, 0) for k in terms}
        out.append(
            Alternative(
                slot=slot,
                moves=tuple(
                    Move(b.id, _slot(b), None if to is None else to) for b, to in moves
                ),
                delta=sum(diff.values()),
                terms=diff,
                plan=changed,
            )
        )
    out.sort(key=lambda a: (len(a.moves), a.delta, a.slot.date, a.slot.start))
    return Alternatives(
        event=event_id,
        owed=owed,
        current=current,
        pinned=any(p.event == event_id for p in problem.pins),
        objective=sum(base_terms.values()),
        terms=base_terms,
        alternatives=tuple(out),
        considered=len(groups),
    )


def _slot(e: Event) -> Slot:
    return Slot(e.mentor, e.date, e.venue, e.start, e.end, e.missed)


def _unknown(problem: Problem, plan: Plan, event_id: str) -> str:
    from .input.errors import suggest

    known = [o.id for o in problem.owed]
    return (
        f"no event {event_id!r} is owed in {problem.name!r}; "
        + suggest(event_id, known, "event")
        + " (event ids are listed in plan.json, e.g. "
        + (plan.events[0].id if plan.events else known[0] if known else "-")
        + ")"
    )


# -- the plan as a board to try moves on ----------------------------------------------


class _Board:
    """The plan's events by mentor-day and by person-day, and its objective
    terms in a ``Ledger``, so that a move can be tried and taken back."""

    def __init__(self, problem: Problem, plan: Plan) -> None:
        self.problem = problem
        self.plan = plan
        self.owed = {o.id: o for o in problem.owed}
        self.events = {e.id: e for e in plan.events}
        self.pinned = {p.event for p in problem.pins}
        self.day: dict[Day, list[Event]] = defaultdict(list)
        self.person: dict[tuple[str, date], list[Event]] = defaultdict(list)
        for e in plan.events:
            self._add(e)
        self.tasks = {o.id: _task(problem, o) for o in problem.owed}
        self.ledger = Ledger(problem, self.tasks)
        for e in plan.events:
            if e.id in self.tasks:
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
        self.day[e.mentor, e.date].append(e)
        for pid in e.people:
            if pid not in e.missed:
                self.person[pid, e.date].append(e)

    def _remove(self, e: Event) -> None:
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


# -- the chosen alternative as a what-if -------------------------------------------


def pin_whatif(problem: Problem, result: Alternatives, rank: int, base: str) -> str:
    """A what-if file (YAML text) that pins the ``rank``-th alternative (1 =
    the best) and the events it moves to their new slots, against the
    cluster file ``base`` (relative to where the what-if is written)."""
    alt = result.alternatives[rank - 1]
    owed = result.owed
    pins = [_pin_line(owed, alt.slot)]
    notes = []
    for m in alt.moves:
        if m.after is None:
            notes.append(f"#   {m.event} has no free slot left: the re-plan decides")
        else:
            other = next(o for o in problem.owed if o.id == m.event)
            pins.append(_pin_line(other, m.after))
    title = f"Move {result.event} to {alt.slot.text()}"
    lines = [
        "# Written by 'mentor-sched alternatives': run it with 'mentor-sched whatif'.",
        f"# Alternative {rank} for {result.event}: objective change {alt.delta:+d}"
        + (f", moving {len(alt.moves)} other event(s)" if alt.moves else ""),
        "# (a what-if re-plan also pays the 'change' weight for each event moved).",
        *notes,
        "version: 1",
        f"whatif: {_quote(title)}",
        f"base: {_quote(base)}",
        "changes:",
        "  pins:",
        *(f"    - {p}" for p in pins),
    ]
    return "\n".join(lines) + "\n"


def _pin_line(owed: Owed, slot: Slot) -> str:
    fields = [f"demand: {owed.demand}"]
    if owed.kind in ("meeting", "observation"):
        fields.append(f"person: {owed.people[0]}")
    if owed.topic is not None:
        fields.append(f"topic: {owed.topic}")
    fields += [
        f"date: {slot.date.isoformat()}",
        f'start: "{fmt_time(slot.start)}"',
        f"mentor: {slot.mentor}",
        f"venue: {slot.venue}",
    ]
    return "{" + ", ".join(fields) + "}"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def default_pin_path(cluster: Path, out_root: Path, event_id: str, rank: int) -> Path:
    """``out/<cluster>.whatifs/alternatives/<event>-<rank>.yaml``: beside the
    what-ifs' folders, never inside a solve's folder."""
    from .outputs import default_out_dir
    from .render import safe_file_stem

    solved = default_out_dir(cluster, out_root)
    name = safe_file_stem(event_id.replace("/", "-"))
    return (
        solved.parent
        / f"{solved.name}.whatifs"
        / "alternatives"
        / (f"{name}-{rank}.yaml")
    )


def write_pin_whatif(
    problem: Problem, result: Alternatives, rank: int, cluster: Path, path: Path
) -> Path:
    """Write ``pin_whatif`` to ``path`` (its ``base`` relative to it) and read
    it back as ``mentor-sched whatif`` will. OutputError for a path inside a
    solve's folder (a solve replaces its folder whole) or one that cannot be
    written."""
    import os

    from .outputs import OutputError, solve_folder_holding
    from .render import write_atomic
    from .whatif import load_whatif

    holder = solve_folder_holding(path.parent)
    if holder is not None:
        raise OutputError(
            f"{path}: inside {holder}/, a solve's output folder (the next solve "
            "replaces it whole); write it elsewhere, e.g. the default "
            "out/<cluster>.whatifs/alternatives/"
        )
    base = os.path.relpath(cluster.resolve(), path.parent.resolve())
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, pin_whatif(problem, result, rank, base))
    except OSError as exc:
        raise OutputError(f"{path}: cannot write it ({exc.strerror or exc})") from None
    load_whatif(path)  # InputErrors here would be a bug of the writer
    return path
