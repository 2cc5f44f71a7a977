"""The search: every other placement of one event, best first."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from ..candidates import Option
from ..metrics import compute_metrics
from ..plan import Event, Plan
from ..problem import Problem
from ..solver import objective_terms
from .answer import Alternative, Alternatives, AlternativesError, Move, Slot, slot_of
from .board import Board


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
        or (e.mentor not in problem.mentors and not (e.mentor is None and e.host))
    ]
    if strange:
        raise AlternativesError(
            f"the plan does not fit the cluster {problem.name!r}: {strange[0]} names "
            "a demand, person or mentor it does not have; give the cluster file "
            "the plan was made from, or solve again"
        )
    if problem.demands[owed.demand].hosted:
        raise AlternativesError(
            f"{event_id} is held by the in-school mentor (host: school-mentor), not "
            "an Expert Mentor: its slot follows the Expert Mentors' plan "
            "(docs/solver.md); ask about an Expert Mentor's event"
        )
    board = Board(problem, plan)
    base_terms = objective_terms(
        problem, plan, compute_metrics(problem, plan), None, None
    )
    current_event = board.events.get(event_id)
    current = slot_of(current_event) if current_event else None
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
                    Move(b.id, slot_of(b), None if to is None else to)
                    for b, to in moves
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


def _unknown(problem: Problem, plan: Plan, event_id: str) -> str:
    from ..input.errors import suggest

    known = [o.id for o in problem.owed]
    return (
        f"no event {event_id!r} is owed in {problem.name!r}; "
        + suggest(event_id, known, "event")
        + " (event ids are listed in plan.json, e.g. "
        + (plan.events[0].id if plan.events else known[0] if known else "-")
        + ")"
    )
