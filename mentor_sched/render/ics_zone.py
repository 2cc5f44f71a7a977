"""The cluster's time zone in a feed: a VTIMEZONE of yearly rules (the
``n``-th weekday of a month), derived from ``zoneinfo`` and checked against
its transitions in every year the feed touches; a zone no such rule describes
is written in UTC (``...Z``)."""

from __future__ import annotations

import calendar as _cal
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

from ..words import ICAL_DAYS


@dataclass(frozen=True)
class _Rule:
    """A yearly onset: the ``nth`` (-1 = last) ``weekday`` of ``month`` at
    ``minute`` local time before the change."""

    month: int
    weekday: int
    nth: int
    minute: int
    offset_from: timedelta
    offset_to: timedelta
    name: str

    def day(self, year: int) -> date:
        days = _cal.monthrange(year, self.month)[1]
        hits = [
            d
            for d in range(1, days + 1)
            if date(year, self.month, d).weekday() == self.weekday
        ]
        return date(year, self.month, hits[self.nth if self.nth < 0 else self.nth - 1])


@dataclass(frozen=True)
class Zone:
    tzid: str
    rules: tuple[_Rule, ...] | None  # None: write UTC
    fixed: tuple[timedelta, str] | None = None

    @classmethod
    def build(cls, tzid: str, years: set[int]) -> Zone:
        """Yearly rules that reproduce ``zoneinfo`` in every year of ``years``."""
        zone = ZoneInfo(tzid)
        # A year either side, so a rule that fits one year by chance is refused.
        span = range(min(years) - 1, max(years) + 2)
        changes = {y: _transitions(zone, y) for y in span}
        if not any(changes.values()):
            probe = datetime(min(years), 1, 1, tzinfo=UTC).astimezone(zone)
            return cls(tzid, (), (probe.utcoffset(), probe.tzname() or ""))
        if any(len(c) != 2 for c in changes.values()):
            return cls(tzid, None)
        rules = []
        for i in range(2):
            options = None
            for y in span:
                found = _rule_options(changes[y][i])
                options = found if options is None else options & found
            if not options:
                return cls(tzid, None)
            # Prefer "last Sunday" over "4th Sunday" when both fit every year.
            rules.append(min(options, key=lambda r: (r.nth > 0, r.nth)))
        return cls(tzid, tuple(rules))

    def datetime(self, day: date, minute: int) -> datetime:
        local = datetime.combine(day, datetime.min.time()) + timedelta(minutes=minute)
        local = local.replace(tzinfo=ZoneInfo(self.tzid))
        return local.astimezone(UTC) if self.rules is None else local

    def vtimezone(self) -> Timezone:
        tz = Timezone()
        if self.rules is None:
            # Times are UTC; the zone only keeps a calendar non-empty.
            tz.add("tzid", "UTC")
            tz.add_component(
                _observance(TimezoneStandard, "UTC", 0, 0, datetime(1970, 1, 1))
            )
            return tz
        tz.add("tzid", self.tzid)
        if self.fixed is not None:
            off, name = self.fixed
            tz.add_component(
                _observance(TimezoneStandard, name, off, off, datetime(1970, 1, 1))
            )
            return tz
        high = max(r.offset_to for r in self.rules)
        for r in sorted(self.rules, key=lambda r: r.offset_to != high):
            kind = TimezoneDaylight if r.offset_to == high else TimezoneStandard
            onset = datetime.combine(r.day(1970), datetime.min.time())
            sub = _observance(
                kind,
                r.name,
                r.offset_from,
                r.offset_to,
                onset + timedelta(minutes=r.minute),
            )
            sub.add(
                "rrule",
                {
                    "freq": "yearly",
                    "bymonth": r.month,
                    "byday": f"{r.nth}{ICAL_DAYS[r.weekday]}",
                },
            )
            tz.add_component(sub)
        return tz


def _observance(
    kind: type, name: str, off_from: Any, off_to: Any, start: datetime
) -> Any:
    sub = kind()
    sub.add("dtstart", start)
    sub.add("tzname", name)
    sub.add("tzoffsetfrom", timedelta(0) if off_from == 0 else off_from)
    sub.add("tzoffsetto", timedelta(0) if off_to == 0 else off_to)
    return sub


def _transitions(
    zone: ZoneInfo, year: int
) -> list[tuple[datetime, timedelta, timedelta, str]]:
    """Offset changes in ``year``: (local wall time before, from, to, name after)."""
    out = []
    t = datetime(year, 1, 1, tzinfo=UTC)
    end = datetime(year + 1, 1, 1, tzinfo=UTC)
    off = lambda t: t.astimezone(zone).utcoffset()  # noqa: E731
    while t < end:
        nxt = t + timedelta(days=1)
        if off(t) != off(nxt):
            lo, hi = t, nxt  # off(lo) != off(hi): find the first minute of hi's offset
            while hi - lo > timedelta(minutes=1):
                mid = lo + (hi - lo) / 2
                mid = mid.replace(second=0, microsecond=0)
                if off(mid) == off(lo):
                    lo = mid
                else:
                    hi = mid
            before, after = off(lo), off(hi)
            wall = (hi + before).replace(tzinfo=None)
            if wall.year == year:
                out.append((wall, before, after, hi.astimezone(zone).tzname() or ""))
        t = nxt
    return out


def _rule_options(change: tuple[datetime, timedelta, timedelta, str]) -> set[_Rule]:
    wall, before, after, name = change
    days = _cal.monthrange(wall.year, wall.month)[1]
    nths = {(wall.day - 1) // 7 + 1}
    if wall.day + 7 > days:
        nths.add(-1)
    minute = wall.hour * 60 + wall.minute
    return {
        _Rule(wall.month, wall.weekday(), n, minute, before, after, name)
        for n in nths
        if n in (-1, 1, 2, 3, 4)
    }
