"""The compiled problem: plain data that knows nothing of YAML or the solver.

Everything is expanded to what a rule needs: teaching days, numbered weeks,
per-date availability and free/teaching time of each person (Week A/B already
resolved), the travel matrix, and the list of owed events with their stable ids.
Times are minutes since local midnight; a ``Range`` is ``(start, end)``, end
exclusive.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from .words import WEEKDAY_KEYS

Range = tuple[int, int]

WEEKDAYS = WEEKDAY_KEYS  # the days a cluster file names, Monday = 0
ONLINE = "online"
BASE = "base"


def fmt_time(minutes: int) -> str:
    """``795 -> "13:15"``."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def fmt_range(r: Range) -> str:
    return f"{fmt_time(r[0])}-{fmt_time(r[1])}"


def inside(r: Range, ranges: tuple[Range, ...]) -> bool:
    """True when ``r`` lies entirely within one of ``ranges``."""
    return any(a <= r[0] and r[1] <= b for a, b in ranges)


def overlaps(r: Range, ranges: tuple[Range, ...]) -> bool:
    return any(r[0] < b and a < r[1] for a, b in ranges)


@dataclass(frozen=True)
class Calendar:
    days: tuple[date, ...]  # teaching days, sorted
    week_of: Mapping[date, int]  # teaching day -> numbered teaching week
    weeks: tuple[date, ...]  # Monday of numbered week i
    holiday_weeks: tuple[tuple[date, str], ...]  # unnumbered weeks: Monday, why
    closed_days: Mapping[date, str]  # weekday in horizon that is not teaching

    def days_of_week(self, week: int) -> tuple[date, ...]:
        return tuple(d for d in self.days if self.week_of[d] == week)


@dataclass(frozen=True)
class School:
    id: str
    name: str
    phase: str
    lat: float
    lon: float
    open: Range
    closed: frozenset[date]
    week_ab: Mapping[int, str] | None  # numbered week -> "A" | "B"
    share: float | None


@dataclass(frozen=True)
class Mentor:
    id: str
    name: str
    works: Mapping[int, tuple[Range, ...]]  # weekday (0 = Monday) -> ranges
    base: str | None  # a place: a school id, or this mentor's id for lat/lon
    base_location: tuple[float, float] | None
    phases: frozenset[str]
    away_days: frozenset[date]
    away_times: Mapping[date, tuple[Range, ...]]
    max_travel_minutes_per_day: int | None
    max_minutes_per_day: int | None
    break_minutes: int | None
    break_window: Range | None
    day_rate: float | None

    def hours(self, day: date) -> tuple[Range, ...]:
        """Working ranges on ``day``: none when away all day."""
        if day in self.away_days:
            return ()
        return self.works.get(day.weekday(), ())


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    role: str  # trainee | ect | school-mentor
    school: str
    ect_year: int | None
    mentor: str | None
    available: frozenset[date]
    teaching: Mapping[date, tuple[Range, ...]]  # on available dates, A/B resolved
    free: Mapping[date, tuple[Range, ...]]
    away_days: frozenset[date]  # away all day (within the teaching days)
    away_times: Mapping[date, tuple[Range, ...]]  # part-day absences
    provider: str | None = None  # trainees and ECTs: their provider, free text


@dataclass(frozen=True)
class Demand:
    id: str
    kind: str  # meeting | observation | group | cover
    people: tuple[str, ...]
    minutes: int
    every: int | None  # weeks per period; None for "once"
    window_days: frozenset[int] | None
    window_time: Range | None
    online_ok: bool
    venues: tuple[str, ...]
    topics: tuple[str, ...]
    at_date: date | None
    at_time: Range | None
    priority: int
    when_mentor_away: bool
    # ``with: [school-mentor]``: the person's linked in-school mentor joins
    with_school_mentor: bool = False
    # ``host: school-mentor``: the linked in-school mentor holds it, no Expert
    # Mentor (placed after the Expert Mentors' plan: solver/hosted.py)
    hosted: bool = False
    title: str | None = None  # display title; None: built from the id


@dataclass(frozen=True)
class Owed:
    """One event the Expert Mentors owe, named as plan-format.md names it."""

    id: str
    demand: str
    kind: str
    people: tuple[str, ...]
    period: int | None  # None for "once" and for topic sessions
    topic: int | None  # 1-based topic number for group topics
    weeks: tuple[int, int]  # first and last numbered week it may lie in
    minutes: int
    priority: int
    # the in-school mentor holding a hosted event (then also ``people[1]``)
    host: str | None = None


@dataclass(frozen=True)
class Pin:
    event: str  # owed id
    date: date
    start: int
    mentor: str | None
    venue: str | None


@dataclass(frozen=True)
class Weights:
    unmet: int = 1000
    missed_attendance: int = 200
    travel: int = 1
    pattern: int = 60
    share: int = 5
    change: int = 50
    continuity: int = 10
    in_person: int = 60
    rotate_venues: int = 30


@dataclass(frozen=True)
class Revision:
    """A cluster that is a changed copy of another whose plan is the baseline
    (a what-if): the baseline's events and trips dated before ``frozen_until``
    are fixed (hard: a re-plan keeps them as they are); ``gained`` and ``days``
    say what the changes touched, so that a re-plan looks again only there."""

    frozen_until: date
    gained: frozenset[str] = frozenset()  # owed ids new, changed or with a new slot
    days: frozenset[tuple[str, date]] = frozenset()  # (mentor, day) hours changed


@dataclass(frozen=True)
class Problem:
    name: str
    timezone: str
    slot: int
    horizon: tuple[date, date]
    calendar: Calendar
    schools: Mapping[str, School]
    mentors: Mapping[str, Mentor]
    people: Mapping[str, Person]
    demands: Mapping[str, Demand]
    owed: tuple[Owed, ...]
    pins: tuple[Pin, ...]
    weights: Weights
    travel: Mapping[tuple[str, str], int]  # minutes between places, both orders
    input_sha256: str = ""
    source: str = ""
    revision: Revision | None = None  # a what-if's changed cluster (below)

    def travel_minutes(self, a: str, b: str) -> int:
        """Minutes between two places (school ids or mentor ids for bases)."""
        if a == b:
            return 0
        return self.travel[a, b]

    def place_of(self, mentor: str, place: str) -> str:
        """Resolve the plan's ``"base"`` to the mentor's place id."""
        if place == BASE:
            base = self.mentors[mentor].base
            assert base is not None
            return base
        return place

    def on_roll(self, pid: str, weeks: tuple[int, int]) -> bool:
        """Whether person ``pid`` is present (in school or away) on a teaching
        day of numbered weeks ``weeks`` (first, last): not before they start
        or after they leave."""
        person = self.people[pid]
        week_of = self.calendar.week_of
        return any(
            weeks[0] <= week_of[d] <= weeks[1]
            for d in (*person.available, *person.away_days)
            if d in week_of
        )

    def period_weeks(self, every: int | None, period: int | None) -> tuple[int, int]:
        last = len(self.calendar.weeks) - 1
        if every is None or period is None:
            return (0, last)
        return (period * every, min(last, period * every + every - 1))
