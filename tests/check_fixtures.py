"""A tiny cluster and a hand-built plan that obeys every rule, for the checker.

Horizon: two teaching weeks, Mon 2027-01-11 .. Fri 2027-01-22 (week 0 and 1),
no bank holidays. Two schools 40 minutes apart (``north`` primary, ``south``
secondary); ``em-kim`` has a lat/lon base 20 minutes from north and 30 from
south; ``em-lee`` works every weekday and has no base.

Owed (8): ect-meetings for ect-ann and ect-bo in periods 0 and 1 (4),
ect-obs/ect-bo (once), ccf/topic-1 and ccf/topic-2, cover-eve.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from mentor_sched import load
from mentor_sched.check import Violation, metrics
from mentor_sched.plan import Event, Plan, SolverInfo, Status, Trip, Unmet
from mentor_sched.problem import Problem

TINY = """\
version: 1
cluster:
  name: Tiny Check Cluster
  horizon: {from: 2027-01-11, to: 2027-01-22}
calendar:
  bank_holidays: none
travel:
  minutes:
    - [north, south, 40]
    - [em-kim, north, 20]
    - [em-kim, south, 30]
schools:
  - id: north
    name: North Primary
    phase: primary
    location: {lat: 52.0, lon: 0.7}
    closed: [2027-01-15]
    share: 60
  - id: south
    name: South Academy
    phase: secondary
    location: {lat: 52.1, lon: 0.8}
    open: "08:00-16:00"
mentors:
  - id: em-kim
    name: Kim Ward
    base: {lat: 52.05, lon: 0.75}
    works: {mon: "08:00-17:00", tue: "08:00-17:00", thu: "08:00-17:00"}
    max_travel_minutes_per_day: 100
    max_minutes_per_day: 300
    break: {minutes: 30, between: "12:00-13:30"}
    away:
      - {on: 2027-01-19}
      - {on: 2027-01-14, time: "08:00-09:00"}
  - id: em-lee
    name: Lee Fox
    works: {mon: "08:00-17:00", tue: "08:00-17:00", wed: "08:00-17:00",
            thu: "08:00-17:00", fri: "08:00-17:00"}
people:
  - id: ect-ann
    name: Ann Gray
    role: ect
    school: north
    teaching: {mon: "09:00-12:00", tue: "09:00-12:00"}
    free: {mon: "13:00-15:00", tue: "13:00-15:00"}
    away:
      - {on: 2027-01-12, time: "14:00-15:00"}
  - id: ect-bo
    name: Bo Hart
    role: ect
    school: south
    days: [mon, tue, thu]
    teaching: {mon: "09:00-12:00", thu: "09:00-12:00"}
    free: {mon: "14:00-16:00", thu: "11:00-15:00"}
  - id: tr-cy
    name: Cy Dunn
    role: trainee
    school: north
    days: [mon, thu]
  - id: tr-di
    name: Di Moss
    role: trainee
    school: south
    away:
      - {on: 2027-01-21}
  - id: sm-eve
    name: Eve Lake
    role: school-mentor
    school: south
demand:
  - id: ect-meetings
    kind: meeting
    who: {role: ect}
    minutes: 45
    every: week
    online_ok: true
    window: {days: [mon, tue, thu], time: "13:00-16:00"}
  - id: ect-obs
    kind: observation
    who: {ids: [ect-bo]}
    minutes: 60
    every: once
  - id: ccf
    kind: group
    who: {role: trainee}
    minutes: 60
    venues: [north, online]
    window: {days: [thu], time: "15:00-17:00"}
    topics: [Expectations, Behaviour]
  - id: cover-eve
    kind: cover
    who: {ids: [sm-eve]}
    at: {date: 2027-01-18, time: "10:00-11:00"}
"""

MON11, TUE12, THU14, FRI15 = (date(2027, 1, d) for d in (11, 12, 14, 15))
WED13, SAT16 = date(2027, 1, 13), date(2027, 1, 16)
MON18, TUE19, THU21 = (date(2027, 1, d) for d in (18, 19, 21))


def hm(text: str) -> int:
    h, m = text.split(":")
    return int(h) * 60 + int(m)


def load_text(tmp_path: Path, text: str = TINY) -> Problem:
    path = tmp_path / "cluster.yaml"
    path.write_text(text, encoding="utf-8")
    return load(path)


def event(
    problem: Problem,
    owed_id: str,
    day: date,
    start: str,
    venue: str,
    mentor: str = "em-kim",
    missed: tuple[str, ...] = (),
) -> Event:
    """The owed event planned at ``day``/``start``, its fields taken from the owed."""
    o = next(x for x in problem.owed if x.id == owed_id)
    demand = problem.demands[o.demand]
    period = o.period
    topic = None
    if o.topic is not None:
        period = problem.calendar.week_of[day] // demand.every  # type: ignore[operator]
        topic = demand.topics[o.topic - 1]
    return Event(
        id=o.id,
        demand=o.demand,
        kind=o.kind,
        period=period,
        mentor=mentor,
        venue=venue,
        people=o.people,
        missed=missed,
        topic=topic,
        date=day,
        start=hm(start),
        end=hm(start) + o.minutes,
    )


def trip(day: date, origin: str, dest: str, depart: str, minutes: int) -> Trip:
    return Trip("em-kim", day, origin, dest, hm(depart), hm(depart) + minutes, minutes)


def make_plan(
    problem: Problem,
    events: list[Event],
    trips: list[Trip],
    *,
    with_metrics: bool = True,
) -> Plan:
    """A plan of these events and trips, every other owed event unmet, with the
    checker's own metrics (so only the rule under test can complain)."""
    planned = {e.id for e in events}
    unmet = tuple(
        Unmet(o.id, o.demand, o.people, o.period, "not planned in this test")
        for o in problem.owed
        if o.id not in planned
    )
    plan = Plan(
        cluster=problem.name,
        input_sha256=problem.input_sha256,
        solver=SolverInfo(Status.FEASIBLE, None, None, 0.0),
        events=tuple(events),
        travel=tuple(trips),
        unmet=unmet,
    )
    return replace(plan, metrics=metrics(problem, plan)) if with_metrics else plan


def good_events(problem: Problem) -> list[Event]:
    p = problem
    return [
        # Mon 11: base -> south, obs, south -> north, meeting, online meeting, home
        event(p, "ect-obs/ect-bo", MON11, "09:00", "south"),
        event(p, "ect-meetings/ect-ann/0", MON11, "13:00", "north"),
        event(p, "ect-meetings/ect-bo/0", MON11, "14:00", "online"),
        # Thu 14: first topic at north; Thu 21: second online, Di away all day
        event(p, "ccf/topic-1", THU14, "15:30", "north"),
        event(p, "ccf/topic-2", THU21, "15:00", "online", missed=("tr-di",)),
        # Mon 18: the cover at south, Bo's second meeting online 15 minutes later
        event(p, "cover-eve", MON18, "10:00", "south"),
        event(p, "ect-meetings/ect-bo/1", MON18, "14:15", "online"),
    ]


def good_trips() -> list[Trip]:
    return [
        trip(MON11, "base", "south", "08:30", 30),
        trip(MON11, "south", "north", "10:00", 40),
        trip(MON11, "north", "base", "15:00", 20),
        trip(THU14, "base", "north", "15:00", 20),
        trip(THU14, "north", "base", "16:30", 20),
        trip(MON18, "base", "south", "09:20", 30),
        trip(MON18, "south", "base", "11:00", 30),
    ]


def good_plan(problem: Problem) -> Plan:
    """Obeys every rule; ect-meetings/ect-ann/1 is the one unmet event."""
    return make_plan(problem, good_events(problem), good_trips())


def found(violations: list[Violation], rule: str) -> set[str]:
    """The events (or trips, or mentor-days) a rule complains about."""
    return {v.event for v in violations if v.rule == rule}


def swap(problem: Problem, *changed: Event) -> list[Event]:
    """The good events with each changed event put in place of the same id."""
    by_id = {e.id: e for e in changed}
    events = [by_id.pop(e.id, e) for e in good_events(problem)]
    return events + list(by_id.values())


def with_mentor(problem: Problem, mentor: str, **changes) -> Problem:
    mentors = dict(problem.mentors)
    mentors[mentor] = replace(mentors[mentor], **changes)
    return replace(problem, mentors=mentors)


def label(t: Trip) -> str:
    """A trip as the checker names it."""
    return (
        f"{t.mentor}@{t.date.isoformat()} {t.origin}->{t.dest} "
        f"{t.depart // 60:02d}:{t.depart % 60:02d}-"
        f"{t.arrive // 60:02d}:{t.arrive % 60:02d}"
    )
