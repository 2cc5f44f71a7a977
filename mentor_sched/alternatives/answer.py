"""The answer to "where else could this go?": placements, the events they
move and what they cost, as data (and JSON); no search here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..plan import Event, Plan
from ..problem import Owed, fmt_time
from ..words import DAY_ABBR


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


def slot_of(e: Event) -> Slot:
    """Where a planned event is."""
    return Slot(e.mentor, e.date, e.venue, e.start, e.end, e.missed)
