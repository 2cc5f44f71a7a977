"""A hand-made Plan for the Stour Valley example, for tests of exporters.

Two weeks of Sarah Okafor's visits in January 2027 that respect the example's
timetables (Week B for Stour Valley Academy in week 1, Week A in week 2):
observations and meetings at four schools, an online meeting, two CCF group
sessions with trainees from several schools (Ella Brooks, present from
February, misses both), a cover for Grace Holt, and every trip including the
legs from and to the mentor's base.
"""

from __future__ import annotations

from datetime import date

from mentor_sched.plan import Event, Plan, SolverInfo, Status, Trip, Unmet
from mentor_sched.problem import Problem

MENTOR = "em-sarah"
TRAINEES = ("tr-lucy", "tr-josh", "tr-ella", "tr-sam")


def hm(text: str) -> int:
    """``"13:15" -> 795``."""
    h, m = text.split(":")
    return int(h) * 60 + int(m)


def event(
    id: str,
    venue: str,
    day: date,
    start: str,
    end: str,
    *,
    people: tuple[str, ...] | None = None,
    missed: tuple[str, ...] = (),
    topic: str | None = None,
    kind: str | None = None,
    mentor: str = MENTOR,
) -> Event:
    """An event named the way plan-format.md names it (kind from the demand)."""
    parts = id.split("/")
    demand = parts[0]
    if kind is None:
        kind = (
            "group"
            if demand == "ccf-sessions"
            else "cover"
            if demand.startswith("cover-")
            else "observation"
            if "observations" in demand
            else "meeting"
        )
    if people is None:
        people = (parts[1],) if len(parts) == 3 else ()
    period = int(parts[-1]) if parts[-1].isdigit() else None
    return Event(
        id=id,
        demand=demand,
        kind=kind,
        period=period,
        mentor=mentor,
        venue=venue,
        people=people,
        missed=missed,
        topic=topic,
        date=day,
        start=hm(start),
        end=hm(end),
    )


def trip(
    problem: Problem,
    day: date,
    origin: str,
    dest: str,
    depart: str,
    mentor: str = MENTOR,
) -> Trip:
    """A trip of exactly the travel time, leaving at ``depart``."""
    minutes = problem.travel_minutes(
        problem.place_of(mentor, origin), problem.place_of(mentor, dest)
    )
    return Trip(
        mentor=mentor,
        date=day,
        origin=origin,
        dest=dest,
        depart=hm(depart),
        arrive=hm(depart) + minutes,
        minutes=minutes,
    )


def example_plan(problem: Problem) -> Plan:
    """A plausible plan for ``scenarios/stour-valley/cluster.yaml``."""
    mon, tue, thu1, thu2 = (
        date(2027, 1, 11),
        date(2027, 1, 12),
        date(2027, 1, 14),
        date(2027, 1, 21),
    )
    ccf = problem.demands["ccf-sessions"].topics
    events = [
        # Monday, week 1 (Week B at Stour Valley Academy)
        event("ect-observations/ect-ben/0", "sudbury-primary", mon, "09:00", "09:50"),
        event("ect1-meetings/ect-nia/1", "stour-academy", mon, "11:10", "11:55"),
        event("ect1-meetings/ect-ben/1", "sudbury-primary", mon, "13:15", "14:00"),
        # Tuesday
        event(
            "trainee-observations/tr-josh/0", "hadleigh-primary", tue, "09:00", "09:50"
        ),
        event("ect-observations/ect-tom/0", "hadleigh-primary", tue, "10:00", "10:50"),
        event("ect1-meetings/ect-aisha/1", "lavenham-primary", tue, "13:15", "14:00"),
        # Thursday
        event(
            "trainee-observations/tr-lucy/0", "clare-primary", thu1, "09:00", "09:50"
        ),
        event("ect2-meetings/ect-omar/0", "online", thu1, "14:00", "14:45"),
        event(
            "ccf-sessions/topic-1",
            "stour-academy",
            thu1,
            "15:45",
            "17:00",
            people=TRAINEES,
            missed=("tr-ella",),
            topic=ccf[0],
        ),
        # Thursday, week 2 (Week A)
        event(
            "cover-grace-training",
            "clare-primary",
            thu2,
            "13:15",
            "15:15",
            people=("sm-grace",),
        ),
        event(
            "ccf-sessions/topic-2",
            "sudbury-primary",
            thu2,
            "16:00",
            "17:15",
            people=TRAINEES,
            missed=("tr-ella",),
            topic=ccf[1],
        ),
    ]
    travel = [
        trip(problem, mon, "base", "sudbury-primary", "08:25"),
        trip(problem, mon, "sudbury-primary", "stour-academy", "10:00"),
        trip(problem, mon, "stour-academy", "sudbury-primary", "12:30"),
        trip(problem, mon, "sudbury-primary", "base", "14:10"),
        trip(problem, tue, "base", "hadleigh-primary", "08:05"),
        trip(problem, tue, "hadleigh-primary", "lavenham-primary", "11:00"),
        trip(problem, tue, "lavenham-primary", "base", "14:10"),
        trip(problem, thu1, "base", "clare-primary", "08:25"),
        trip(problem, thu1, "clare-primary", "stour-academy", "10:00"),
        trip(problem, thu1, "stour-academy", "base", "17:05"),
        trip(problem, thu2, "base", "clare-primary", "12:40"),
        trip(problem, thu2, "clare-primary", "sudbury-primary", "15:20"),
        trip(problem, thu2, "sudbury-primary", "base", "17:20"),
    ]
    unmet = [
        Unmet(
            id="ect1-meetings/ect-ben/0",
            demand="ect1-meetings",
            people=("ect-ben",),
            period=0,
            reason="every school is closed on 2027-01-04, the only day of week 0",
        ),
    ]
    return Plan(
        cluster=problem.name,
        input_sha256=problem.input_sha256,
        solver=SolverInfo(Status.FEASIBLE, objective=None, bound=None, seconds=0.0),
        events=tuple(events),
        travel=tuple(travel),
        unmet=tuple(unmet),
    ).sorted()
