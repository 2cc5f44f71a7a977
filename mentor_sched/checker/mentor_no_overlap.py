"""Rule 2, as the checker reads it (see ``mentor_no_overlap``)."""

from __future__ import annotations

from collections.abc import Iterator

from ..plan import Plan
from ..problem import Problem, fmt_range
from .common import clashes, mentor_days, trip_label, when
from .travel import travel_findings
from .violation import Violation


def mentor_no_overlap(problem: Problem, plan: Plan) -> Iterator[Violation]:
    """Hard (2): a mentor is in one event at a time; between in-person events at
    different places exactly one trip of at least the travel time lies in the gap,
    overlapping no event and no other trip."""
    for (mid, day), (events, trips) in mentor_days(plan).items():
        for i, e in enumerate(events):
            for f in events[:i]:
                if f.start < e.end and e.start < f.end:
                    yield Violation(
                        "2",
                        e.id,
                        f"{mid} is in {f.id} ({when(f)}) and {e.id} "
                        f"({fmt_range((e.start, e.end))}) at once",
                    )
        for i, t in enumerate(trips):
            span = (t.depart, t.arrive)
            for e in events:
                if clashes(span, ((e.start, e.end),)):
                    yield Violation(
                        "2",
                        trip_label(t),
                        f"{mid} on {day}: the trip {t.origin} to {t.dest} "
                        f"overlaps {e.id} ({fmt_range((e.start, e.end))})",
                    )
            for u in trips[:i]:
                if clashes(span, ((u.depart, u.arrive),)):
                    yield Violation(
                        "2",
                        trip_label(t),
                        f"{mid} on {day}: two trips at once "
                        f"({fmt_range((u.depart, u.arrive))} and {fmt_range(span)})",
                    )
    yield from (v for v in travel_findings(problem, plan) if v.rule == "2")
