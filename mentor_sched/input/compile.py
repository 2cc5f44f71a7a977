"""Cluster file -> Problem: cross-field rules, calendar, availability, owed events.

Every rule that relates one field to another is checked here and reported with
its exact path; the result is a solver-free ``Problem``. The demands and pins
are compiled in ``demands.py``, the owed events listed in ``owed.py``.
"""

from __future__ import annotations

import math
import zoneinfo
from bisect import bisect_left, bisect_right
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

import holidays as holidays_lib

from ..problem import (
    WEEKDAYS,
    Calendar,
    Mentor,
    Person,
    Problem,
    Range,
    School,
    Weights,
    fmt_range,
    fmt_time,
)
from . import limits
from .demands import compile_demands, compile_pins
from .errors import LIMITS_DOC, Collector, closest
from .model import (
    ABPattern,
    AwayRange,
    ClusterFile,
    DateRange,
    Location,
    WeekPattern,
    fields_given,
)
from .owed import owed_events

_SUBDIV = {
    "england": "ENG",
    "wales": "WLS",
    "scotland": "SCT",
    "northern-ireland": "NIR",
}
_EARTH_KM = 6371.0


def days_between(first: date, last: date) -> list[date]:
    return [first + timedelta(n) for n in range((last - first).days + 1)]


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * _EARTH_KM * math.asin(math.sqrt(h))


def ceil_to(value: float, step: int) -> int:
    return math.ceil(round(value / step, 9)) * step


class _Compiler:
    def __init__(self, cf: ClusterFile, out: Collector) -> None:
        self.cf = cf
        self.out = out
        self.slot = cf.cluster.slot_minutes

    # -- helpers ---------------------------------------------------------------

    def in_horizon(self, first: date, last: date) -> list[date]:
        """The days of first..last inside the horizon: a range may reach far
        beyond it (0001..9999), and only the horizon's days matter."""
        h = self.cf.cluster.horizon
        return days_between(max(first, h.first), min(last, h.last))

    def given(self, path: tuple) -> bool:
        """Whether the file wrote the field at ``path`` (YAML keys and list
        indexes), as the model records it (``model_fields_set``): a default
        and a value written equal to it can mean different things."""
        return fields_given(self.cf, path)

    def on_grid(self, path: tuple, *values: int, duration: bool = False) -> None:
        """Times (or, with ``duration``, a length in minutes) on the slot grid."""
        bad = [v for v in values if v % self.slot]
        if bad:
            self.out.add(
                path,
                f"not a multiple of slot_minutes ({self.slot})",
                bad[0] if duration else fmt_time(bad[0]),
                f"round to the {self.slot}-minute grid",
            )

    def ranges_on_grid(self, path: tuple, ranges: list[Range]) -> None:
        for i, (a, b) in enumerate(ranges):
            self.on_grid(
                (*path, i) if len(ranges) > 1 or self.given((*path, i)) else path, a, b
            )

    def pattern_on_grid(self, path: tuple, pattern: WeekPattern | ABPattern) -> None:
        if isinstance(pattern, ABPattern):
            for ab in ("A", "B"):
                self.pattern_on_grid((*path, ab), getattr(pattern, ab))
            return
        for day in WEEKDAYS:
            ranges = getattr(pattern, day)
            if ranges:
                self.ranges_on_grid((*path, day), ranges)

    # -- the whole file ----------------------------------------------------------

    def run(self) -> Problem | None:
        cf = self.cf
        self.check_ids()
        try:
            zoneinfo.ZoneInfo(cf.cluster.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            zones = zoneinfo.available_timezones()
            self.out.add(
                ("cluster", "timezone"),
                "unknown time zone",
                cf.cluster.timezone,
                (
                    f"did you mean '{best}'?"
                    if (best := closest(cf.cluster.timezone, zones))
                    else "use an IANA zone name, for example Europe/London"
                ),
            )
        calendar = self.calendar()
        if calendar is None:
            return None
        self.calendar_ = calendar
        schools = self.schools(calendar)
        places = self.places()
        mentors = self.mentors(schools)
        travel = self.travel(places, mentors)
        people = self.people(calendar, schools)
        demands = compile_demands(self, calendar, schools, people)
        weights = Weights(**self.cf.weights.model_dump())
        if self.out.errors:
            return None
        problem = Problem(
            name=cf.cluster.name,
            timezone=cf.cluster.timezone,
            slot=self.slot,
            horizon=(cf.cluster.horizon.first, cf.cluster.horizon.last),
            calendar=calendar,
            schools=schools,
            mentors=mentors,
            people=people,
            demands=demands,
            owed=(),
            pins=(),
            weights=weights,
            travel=travel,
        )
        if not self.owed_within_limit(problem):
            return None
        owed = owed_events(problem)
        problem = _replace(problem, owed=owed)
        pins = compile_pins(self, problem)
        return _replace(problem, pins=pins)

    def owed_within_limit(self, problem: Problem) -> bool:
        """At most MAX_OWED owed events, counted before any is listed: per
        demand, selected people x periods (a group: topics or periods)."""
        nweeks = len(problem.calendar.weeks)
        total = 0
        for i, d in enumerate(problem.demands.values()):
            periods = 1 if d.every is None else -(-nweeks // d.every)
            if d.kind == "cover":
                total += 1
            elif d.kind == "group":
                total += len(d.topics) if d.topics else periods
            else:
                total += len(d.people) * periods
            if total > limits.MAX_OWED:
                self.out.add(
                    ("demand", i),
                    f"with this demand the cluster owes more than "
                    f"{limits.MAX_OWED:,} events (up to {total:,}: selected "
                    "people x periods)",
                    hint="plan fewer people, demands or weeks in one file "
                    f"({LIMITS_DOC})",
                )
                return False
        return True

    def check_ids(self) -> None:
        seen: dict[str, tuple] = {}
        for section in ("schools", "mentors", "people", "demand"):
            for i, item in enumerate(getattr(self.cf, section)):
                path = (section, i, "id")
                if item.id in seen:
                    first = seen[item.id]
                    self.out.add(
                        path,
                        "duplicate id",
                        item.id,
                        f"already used at {first[0]}[{first[1]}]; ids are unique "
                        "across schools, mentors, people and demand",
                    )
                else:
                    seen[item.id] = path

    # -- calendar ------------------------------------------------------------------

    def calendar(self) -> Calendar | None:
        cf = self.cf
        first, last = cf.cluster.horizon.first, cf.cluster.horizon.last
        span = (last - first).days + 1
        if span > limits.MAX_HORIZON_DAYS:
            to = ("cluster", "horizon", "to")
            self.out.add(
                to if self.given(to) else ("cluster", "horizon"),
                f"the horizon is {span:,} days long, more than "
                f"{limits.MAX_HORIZON_DAYS} days (two school years are 730)",
                f"{first}..{last}",
                "check the year of 'to'; plan at most two school years in one file "
                f"({LIMITS_DOC})",
            )
            return None
        if first.year < limits.FIRST_YEAR or last.year > limits.LAST_YEAR:
            self.out.add(
                ("cluster", "horizon"),
                f"the horizon must lie in the years {limits.FIRST_YEAR} to "
                f"{limits.LAST_YEAR}",
                f"{first}..{last}",
                "check the year",
            )
            return None
        nation = cf.calendar.bank_holidays
        bank: dict[date, str] = {}
        if nation != "none":
            years = range(first.year, last.year + 1)
            bank = dict(
                holidays_lib.country_holidays("GB", subdiv=_SUBDIV[nation], years=years)
            )
        closed: dict[date, str] = {}
        for d in days_between(first, last):
            if d.weekday() >= 5:
                continue
            if d in bank:
                closed[d] = f"bank holiday ({bank[d]})"
        for h in cf.calendar.holidays:
            for d in self.in_horizon(h.first, h.last):
                if d.weekday() < 5:
                    closed.setdefault(d, "school holiday")
        days = tuple(
            d for d in days_between(first, last) if d.weekday() < 5 and d not in closed
        )
        if not days:
            self.out.add(
                ("cluster", "horizon"),
                "the horizon holds no teaching day",
                f"{first}..{last}",
                "check the horizon against calendar.holidays",
            )
            return None
        mondays: list[date] = []
        week_of: dict[date, int] = {}
        for d in days:
            monday = d - timedelta(d.weekday())
            if not mondays or mondays[-1] != monday:
                mondays.append(monday)
            week_of[d] = len(mondays) - 1
        holiday_weeks = []
        numbered = set(mondays)
        monday = first - timedelta(first.weekday())
        while monday <= last:
            if monday not in numbered:
                reasons = {
                    closed[d]
                    for d in days_between(monday, monday + timedelta(4))
                    if d in closed
                }
                holiday_weeks.append(
                    (monday, ", ".join(sorted(reasons)) or "outside the horizon")
                )
            monday += timedelta(7)
        return Calendar(
            days=days,
            week_of=week_of,
            weeks=tuple(mondays),
            holiday_weeks=tuple(holiday_weeks),
            closed_days=closed,
        )

    def week_ab(self, week_a: list[date]) -> dict[int, str]:
        """Week A/B per numbered week: A at each listed week, alternating from there."""
        mondays = self.calendar_.weeks  # ascending
        anchors = sorted({d - timedelta(d.weekday()) for d in week_a})
        out: dict[int, str] = {}
        for n, monday in enumerate(mondays):
            i = bisect_right(anchors, monday)
            if i:
                # numbered weeks strictly after the latest anchor, up to this one
                steps = n + 1 - bisect_right(mondays, anchors[i - 1])
            else:
                # numbered weeks from this one up to the first anchor
                steps = bisect_left(mondays, anchors[0]) - n
            out[n] = "A" if steps % 2 == 0 else "B"
        return out

    # -- schools, mentors, travel ------------------------------------------------

    def schools(self, calendar: Calendar) -> dict[str, School]:
        out: dict[str, School] = {}
        total_share = 0.0
        for i, s in enumerate(self.cf.schools):
            self.on_grid(("schools", i, "open"), *s.open)
            closed: set[date] = set()
            for r in s.closed:
                closed.update(self.in_horizon(r.first, r.last))
            if s.share is not None:
                total_share += s.share
            out[s.id] = School(
                id=s.id,
                name=s.name,
                phase=s.phase,
                lat=s.location.lat,
                lon=s.location.lon,
                open=s.open,
                closed=frozenset(closed),
                week_ab=self.week_ab(s.week_a) if s.week_a else None,
                share=s.share,
            )
        if total_share > 100 + 1e-9:
            self.out.add(
                ("schools",),
                f"shares sum to {total_share:g}%, more than 100%",
                hint="lower some schools' 'share' so they sum to at most 100",
            )
        self.school_ids = set(out)
        return out

    def places(self) -> set[str]:
        return {s.id for s in self.cf.schools}

    def mentors(self, schools: dict[str, School]) -> dict[str, Mentor]:
        out: dict[str, Mentor] = {}
        for i, m in enumerate(self.cf.mentors):
            path = ("mentors", i)
            self.pattern_on_grid((*path, "works"), m.works)
            base: str | None = None
            base_loc: tuple[float, float] | None = None
            if isinstance(m.base, Location):
                base, base_loc = m.id, (m.base.lat, m.base.lon)
            elif isinstance(m.base, str):
                if m.base not in schools:
                    self.out.add(
                        (*path, "base"),
                        "unknown school",
                        m.base,
                        self.out.suggest(m.base, schools, "school"),
                    )
                else:
                    base = m.base
                    base_loc = (schools[m.base].lat, schools[m.base].lon)
            away_days, away_times = self.aways((*path, "away"), m.away)
            brk = m.break_
            if brk is not None:
                self.on_grid((*path, "break", "minutes"), brk.minutes, duration=True)
                self.on_grid((*path, "break", "between"), *brk.between)
                if brk.between[1] - brk.between[0] < brk.minutes:
                    self.out.add(
                        (*path, "break"),
                        "the break window is shorter than the break",
                        fmt_range(brk.between),
                    )
            out[m.id] = Mentor(
                id=m.id,
                name=m.name,
                works={d: working(m.works.on(d)) for d in range(5) if m.works.on(d)},
                base=base,
                base_location=base_loc,
                phases=frozenset(m.phases),
                away_days=frozenset(away_days),
                away_times=away_times,
                max_travel_minutes_per_day=m.max_travel_minutes_per_day,
                max_minutes_per_day=m.max_minutes_per_day,
                break_minutes=brk.minutes if brk else None,
                break_window=brk.between if brk else None,
                day_rate=m.day_rate,
            )
        return out

    def aways(
        self, path: tuple, aways: list[AwayRange]
    ) -> tuple[set[date], dict[date, tuple[Range, ...]]]:
        days: set[date] = set()
        times: dict[date, list[Range]] = defaultdict(list)
        for j, a in enumerate(aways):
            dates = self.in_horizon(a.first, a.last)
            if a.time is None:
                days.update(dates)
            else:
                self.on_grid((*path, j, "time"), *a.time)
                for d in dates:
                    times[d].append(a.time)
        return days, {d: tuple(sorted(r)) for d, r in times.items()}

    def travel(
        self, places: set[str], mentors: dict[str, Mentor]
    ) -> dict[tuple[str, str], int]:
        t = self.cf.travel
        locs: dict[str, tuple[float, float]] = {
            s.id: (s.location.lat, s.location.lon) for s in self.cf.schools
        }
        for m in mentors.values():
            if m.base == m.id and m.base_location:
                locs[m.id] = m.base_location
        matrix: dict[tuple[str, str], int] = {}
        for a, la in locs.items():
            for b, lb in locs.items():
                if a != b:
                    km = haversine_km(la, lb)
                    matrix[a, b] = ceil_to(
                        km * t.detour_factor / t.speed_kmh * 60 + t.buffer_minutes,
                        self.slot,
                    )
        given: set[tuple[str, str]] = set()
        known_places = places | set(mentors)
        for i, (a, b, minutes) in enumerate(t.minutes):
            ends = []
            for j, p in enumerate((a, b)):
                if p in places:
                    ends.append(p)
                elif p in mentors:
                    if mentors[p].base is None:
                        self.out.add(
                            ("travel", "minutes", i, j),
                            "this mentor has no base",
                            p,
                            "give the mentor a 'base', or name a school",
                        )
                    ends.append(mentors[p].base or p)
                else:
                    self.out.add(
                        ("travel", "minutes", i, j),
                        "unknown place",
                        p,
                        self.out.suggest(p, known_places, "school or mentor"),
                    )
            self.on_grid(("travel", "minutes", i, 2), minutes, duration=True)
            if len(ends) == 2 and ends[0] != ends[1]:
                matrix[ends[0], ends[1]] = minutes
                given.add((ends[0], ends[1]))
                if (ends[1], ends[0]) not in given:
                    matrix[ends[1], ends[0]] = minutes
        return matrix

    # -- people ------------------------------------------------------------------------

    def people(
        self, calendar: Calendar, schools: dict[str, School]
    ) -> dict[str, Person]:
        out: dict[str, Person] = {}
        raw = self.cf.people
        roles = {p.id: (p.role, p.school) for p in raw}
        school_mentors = [q.id for q in raw if q.role == "school-mentor"]
        for i, p in enumerate(raw):
            path = ("people", i)
            school = schools.get(p.school)
            if school is None:
                self.out.add(
                    (*path, "school"),
                    "unknown school",
                    p.school,
                    self.out.suggest(p.school, schools, "school"),
                )
            if p.ect_year is not None and p.role != "ect":
                self.out.add(
                    (*path, "ect_year"),
                    f"ect_year applies to ECTs only, not a {p.role}",
                    p.ect_year,
                    "remove it",
                )
            if p.provider is not None and p.role == "school-mentor":
                self.out.add(
                    (*path, "provider"),
                    "provider applies to trainees and ECTs, not a school-mentor",
                    p.provider,
                    "remove it; an in-school mentor belongs to the school",
                )
            if p.mentor is not None:
                role_school = roles.get(p.mentor)
                if role_school is None:
                    self.out.add(
                        (*path, "mentor"),
                        "unknown person",
                        p.mentor,
                        self.out.suggest(p.mentor, school_mentors, "school-mentor"),
                    )
                elif role_school != ("school-mentor", p.school):
                    self.out.add(
                        (*path, "mentor"),
                        "must be a school-mentor of the same school",
                        p.mentor,
                        f"{p.mentor} is a {role_school[0]} at {role_school[1]}",
                    )
            for field in ("teaching", "free"):
                pattern = getattr(p, field)
                self.pattern_on_grid((*path, field), pattern)
                if isinstance(pattern, ABPattern) and school and school.week_ab is None:
                    self.out.add(
                        (*path, field),
                        "a Week A/B pattern at a school without week_a",
                        hint=f"add week_a to school {school.id}, or use one pattern",
                    )
            away_days, away_times = self.aways((*path, "away"), p.away)
            if school is None:
                continue
            weekdays = {WEEKDAYS.index(d) for d in p.days}
            avail: set[date] = set()
            teaching: dict[date, tuple[Range, ...]] = {}
            free: dict[date, tuple[Range, ...]] = {}
            for d in calendar.days:
                if d.weekday() not in weekdays or d in school.closed or d in away_days:
                    continue
                if p.present and not (p.present.first <= d <= p.present.last):
                    continue
                avail.add(d)
                ab = school.week_ab[calendar.week_of[d]] if school.week_ab else "A"
                teaching[d] = _pattern_on(p.teaching, ab, d.weekday())
                free[d] = _pattern_on(p.free, ab, d.weekday())
            out[p.id] = Person(
                id=p.id,
                name=p.name,
                role=p.role,
                school=p.school,
                ect_year=(p.ect_year or 1) if p.role == "ect" else None,
                mentor=p.mentor,
                available=frozenset(avail),
                teaching=teaching,
                free=free,
                away_days=frozenset(d for d in away_days if d in calendar.week_of),
                away_times=away_times,
                provider=p.provider,
            )
        return out


def _pattern_on(
    pattern: WeekPattern | ABPattern, ab: str, weekday: int
) -> tuple[Range, ...]:
    if isinstance(pattern, ABPattern):
        pattern = getattr(pattern, ab)
    return tuple(sorted(pattern.on(weekday)))


def _replace(problem: Problem, **changes: Any) -> Problem:
    from dataclasses import replace

    return replace(problem, **changes)


def compile_cluster(cf: ClusterFile, out: Collector) -> Problem | None:
    """The Problem of a validated cluster file, or None with the errors in ``out``."""
    return _Compiler(cf, out).run()


__all__ = ["DateRange", "compile_cluster", "owed_events"]


def working(ranges: tuple[Range, ...]) -> tuple[Range, ...]:
    """A mentor's working ranges on a weekday in time order, overlapping ones
    joined: ``["13:00-16:00", "08:00-12:00"]`` is the morning then the
    afternoon, ``["08:00-17:00", "09:00-10:00"]`` the whole day. Everything
    that reads a working day's start and end (base trips, the day's span, the
    bounds) takes the first range's start and the last one's end. Ranges that
    only touch stay apart: an event inside one of them is inside working
    hours, as the file says (README, 'Readings of the specification')."""
    out: list[Range] = []
    for a, b in sorted(ranges):
        if out and a < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return tuple(out)
