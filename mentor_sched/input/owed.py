"""The owed events of a compiled Problem: every event the cluster owes, in demand
order, with plan-format.md's stable ids."""

from __future__ import annotations

from ..problem import Demand, Owed, Person, Problem


def mentor_away_weeks(problem: Problem, person: Person) -> set[int]:
    """Weeks in which the person's in-school mentor is away all day on a day the
    person is available (absence cover is owed in the periods holding them)."""
    if person.mentor is None or person.mentor not in problem.people:
        return set()
    mentor = problem.people[person.mentor]
    school = problem.schools[mentor.school]
    weeks = set()
    for d in person.available:
        # away all day: an explicit away, not a closure (then nobody is in)
        if d in mentor.away_days and d not in school.closed:
            weeks.add(problem.calendar.week_of[d])
    return weeks


def event_people(
    problem: Problem,
    demand: Demand,
    pid: str,
    weeks: tuple[int, int] | None = None,
) -> tuple[tuple[str, ...], str | None]:
    """Who a meeting or observation of ``pid`` invites, the person first, and the
    in-school mentor who holds it (hosted demands): the linked in-school mentor
    joins a ``with`` or hosted event when they are on the school's roll in its
    weeks (``present``: one of those teaching days is theirs, in school or
    away); a person without one is alone (an in-school mentor who has left
    neither joins nor holds it)."""
    link = problem.people[pid].mentor
    if link is None or link == pid or link not in problem.people:
        return (pid,), None
    if weeks is not None and not problem.on_roll(link, weeks):
        return (pid,), None
    if demand.hosted:
        return (pid, link), link
    if demand.with_school_mentor:
        return (pid, link), None
    return (pid,), None


def owed_events(problem: Problem) -> tuple[Owed, ...]:
    """Every event owed, in demand order, with plan-format.md's stable ids."""
    cal = problem.calendar
    nweeks = len(cal.weeks)
    out: list[Owed] = []
    # a person's weeks, once per person rather than once per demand selecting them
    available: dict[str, set[int]] = {}
    mentor_away: dict[str, set[int]] = {}
    for d in problem.demands.values():
        k = d.every
        nperiods = 1 if k is None else -(-nweeks // k)
        if d.kind == "cover":
            week = cal.week_of.get(d.at_date)  # type: ignore[arg-type]
            if week is not None:
                out.append(
                    Owed(
                        d.id,
                        d.id,
                        d.kind,
                        d.people,
                        None,
                        None,
                        (week, week),
                        d.minutes,
                        d.priority,
                    )
                )
            continue
        if d.kind == "group":
            if d.topics:
                for t in range(1, len(d.topics) + 1):
                    out.append(
                        Owed(
                            f"{d.id}/topic-{t}",
                            d.id,
                            d.kind,
                            d.people,
                            None,
                            t,
                            (0, nweeks - 1),
                            d.minutes,
                            d.priority,
                        )
                    )
            elif k is None:
                out.append(
                    Owed(
                        d.id,
                        d.id,
                        d.kind,
                        d.people,
                        None,
                        None,
                        (0, nweeks - 1),
                        d.minutes,
                        d.priority,
                    )
                )
            else:
                for p in range(nperiods):
                    out.append(
                        Owed(
                            f"{d.id}/{p}",
                            d.id,
                            d.kind,
                            d.people,
                            p,
                            None,
                            problem.period_weeks(k, p),
                            d.minutes,
                            d.priority,
                        )
                    )
            continue
        for pid in d.people:
            person = problem.people[pid]
            invited, host = event_people(problem, d, pid)
            if d.hosted and host is None:
                continue  # only people with an in-school mentor are owed it
            if pid not in available:
                available[pid] = {cal.week_of[day] for day in person.available}
            weeks = available[pid]
            if d.when_mentor_away:
                if pid not in mentor_away:
                    mentor_away[pid] = mentor_away_weeks(problem, person)
                weeks = weeks & mentor_away[pid]
            if k is None:
                whole = (0, nweeks - 1)
                invited, host = event_people(problem, d, pid, whole)
                if weeks and not (d.hosted and host is None):
                    out.append(
                        Owed(
                            f"{d.id}/{pid}",
                            d.id,
                            d.kind,
                            invited,
                            None,
                            None,
                            (0, nweeks - 1),
                            d.minutes,
                            d.priority,
                            host,
                        )
                    )
                continue
            for p in sorted({w // k for w in weeks}):
                invited, host = event_people(
                    problem, d, pid, problem.period_weeks(k, p)
                )
                if d.hosted and host is None:
                    continue  # the in-school mentor is not on the roll then
                out.append(
                    Owed(
                        f"{d.id}/{pid}/{p}",
                        d.id,
                        d.kind,
                        invited,
                        p,
                        None,
                        problem.period_weeks(k, p),
                        d.minutes,
                        d.priority,
                        host,
                    )
                )
    return tuple(out)
