"""Rule 6, hard: the mentor's ``phases`` include the phase of the school of every
person in the event.

It concerns one event at a time, so it lives wholly in the options: only the
mentors who serve every invited person's phase get options.
"""

from __future__ import annotations

from ..problem import Mentor, Owed, Problem

NUMBER = "6"


def serving(problem: Problem, owed: Owed) -> list[tuple[str, Mentor]]:
    """Hard: the mentors (id, mentor) who serve every school phase of ``owed``'s
    people, in the cluster's order."""
    phases = {problem.schools[problem.people[p].school].phase for p in owed.people}
    return [(mid, m) for mid, m in problem.mentors.items() if phases <= m.phases]


def mentor_serves(problem: Problem, mentor: str, owed: Owed) -> bool:
    """Hard: whether ``mentor`` serves every school phase of ``owed``'s people."""
    phases = problem.mentors[mentor].phases
    return all(
        problem.schools[problem.people[p].school].phase in phases for p in owed.people
    )
