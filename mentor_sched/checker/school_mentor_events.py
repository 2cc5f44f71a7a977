"""The in-school mentor's part, as the checker reads it (see
``school_mentor_events``): hosted events and three-way events."""

from __future__ import annotations

from collections.abc import Iterator

from ..plan import Event, Plan
from ..problem import Problem, fmt_range
from .common import when, within
from .violation import Violation

RULE = "school-mentor"


def school_mentor_events(problem: Problem, plan: Plan) -> Iterator[Violation]:
    """Hard: an event of a ``host: school-mentor`` demand has no Expert Mentor
    (mentor null), its ``host`` is the person's linked in-school mentor, and it
    invites the person and then the host; an event of a ``with:
    [school-mentor]`` demand invites the person and then their linked
    in-school mentor when they have one. The in-school mentor of either is in
    their ``free`` time. Only hosted events lack an Expert Mentor or name a
    host. (Being available, clear of absences and in one event at a time is
    rule 5's, for the in-school mentor as for everyone.)"""
    for e in plan.events:
        demand = problem.demands.get(e.demand)
        if demand is None:
            continue
        hosted = demand.hosted
        if hosted and e.mentor is not None:
            yield Violation(
                RULE,
                e.id,
                f"{e.demand} is held by the in-school mentor, but {e.mentor} "
                "is named as its Expert Mentor",
            )
        if not hosted and e.mentor is None:
            yield Violation(RULE, e.id, "has no Expert Mentor, and is not hosted")
        if not hosted and e.host is not None:
            yield Violation(
                RULE, e.id, f"names host {e.host}, but {e.demand} has no 'host'"
            )
        if demand.kind not in ("meeting", "observation") or not e.people:
            continue
        person = problem.people.get(e.people[0])
        if person is None:
            continue
        link = person.mentor
        if link is not None and not _on_roll(problem, link, demand.every, e):
            link = None  # an in-school mentor who has left (or not yet come)
        joins = hosted or demand.with_school_mentor
        expected = (person.id, link) if joins and link else (person.id,)
        if hosted and e.host != link:
            yield Violation(
                RULE,
                e.id,
                f"hosted by {e.host}, but {person.id}'s in-school mentor is "
                f"{link or 'nobody'}",
            )
        if tuple(e.people) != expected:
            if joins and link and link not in e.people:
                what = f"leaves out {person.id}'s in-school mentor {link}"
            else:
                what = f"should invite {', '.join(expected)}"
            yield Violation(RULE, e.id, f"invites {', '.join(e.people)}; it {what}")
        if joins and link and link in e.people:
            yield from _free(problem, e, link)


def _on_roll(problem: Problem, pid: str, every: int | None, e: Event) -> bool:
    """Whether ``pid`` is on the school's roll (present, in or away) on a
    teaching day of the weeks of ``e``'s period (the whole horizon for
    ``once``)."""
    person = problem.people.get(pid)
    if person is None:
        return False
    weeks = problem.calendar.week_of
    if every is None or e.period is None:
        first, last = 0, len(problem.calendar.weeks) - 1
    else:
        first = e.period * every
        last = first + every - 1
    days = set(person.available) | set(person.away_days)
    return any(first <= weeks[d] <= last for d in days if d in weeks)


def _free(problem: Problem, e: Event, pid: str) -> Iterator[Violation]:
    person = problem.people.get(pid)
    if person is None:
        return
    ranges = person.free.get(e.date, ())
    if not within((e.start, e.end), ranges):
        have = ", ".join(fmt_range(r) for r in ranges) or "none"
        yield Violation(
            RULE,
            e.id,
            f"{when(e)} is not inside in-school mentor {pid}'s free time that day "
            f"({have})",
        )
