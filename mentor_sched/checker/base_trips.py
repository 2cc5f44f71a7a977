"""Rule 3, as the checker reads it (see ``base_trips``)."""

from __future__ import annotations

from collections.abc import Iterator

from ..plan import Plan
from ..problem import Problem
from .travel import travel_findings
from .violation import Violation


def base_trips(problem: Problem, plan: Plan) -> Iterator[Violation]:
    """Hard (3): with a base, the day's first trip leaves it no earlier than the
    start of works and the last returns no later than its end; without, none."""
    yield from (v for v in travel_findings(problem, plan) if v.rule == "3")
