"""Rule 6, as the checker reads it (see ``mentor_phases``)."""

from __future__ import annotations

from collections.abc import Iterator

from ..plan import Plan
from ..problem import Problem
from .violation import Violation


def mentor_phases(problem: Problem, plan: Plan) -> Iterator[Violation]:
    """Hard (6): the mentor serves the phase of every invited person's school."""
    for e in plan.events:
        mentor = problem.mentors.get(e.mentor) if e.mentor is not None else None
        if mentor is None:
            continue
        for pid in e.people:
            person = problem.people.get(pid)
            school = problem.schools.get(person.school) if person else None
            if school is not None and school.phase not in mentor.phases:
                yield Violation(
                    "6",
                    e.id,
                    f"{e.mentor} does not serve {school.phase} schools, but {pid} "
                    f"is at {school.id}",
                )
