"""An English school year: half terms, Christmas, Easter, May half term, summer,
and the numbered teaching weeks of a horizon."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import holidays as holidays_lib


def _monday(d: date) -> date:
    return d - timedelta(d.weekday())


def _easter(year: int) -> date:
    """Easter Sunday (Gregorian, anonymous algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _first_monday_from(d: date) -> date:
    return d + timedelta((7 - d.weekday()) % 7)


def school_year_holidays(year: int) -> list[tuple[date, date, str]]:
    """Holidays of the English school year that starts in September ``year``."""
    autumn = _monday(date(year, 10, 28))
    christmas = _monday(date(year, 12, 21))
    february = _monday(date(year + 1, 2, 17))
    easter = _monday(_easter(year + 1) - timedelta(2))  # Good Friday's week
    may = _monday(date(year + 1, 5, 31))  # the late May bank holiday's week
    summer = _first_monday_from(date(year + 1, 7, 20))
    autumn_next = _first_monday_from(date(year + 1, 9, 2))
    return [
        (autumn, autumn + timedelta(4), "autumn half term"),
        (christmas, christmas + timedelta(11), "Christmas holidays"),
        (february, february + timedelta(4), "February half term"),
        (easter, easter + timedelta(11), "Easter holidays"),
        (may, may + timedelta(4), "May half term"),
        (summer, autumn_next - timedelta(3), "summer holidays"),
    ]


@dataclass
class _Calendar:
    horizon: tuple[date, date]
    holidays: list[tuple[date, date, str]]
    weeks: list[list[date]]  # teaching days of each numbered week
    term_starts: list[int]  # numbered weeks that follow a holiday (or start)
    term_ends: list[int]

    @property
    def days(self) -> list[date]:
        return [d for w in self.weeks for d in w]


def _calendar(start: date, weeks: int) -> _Calendar:
    year0 = start.year if start.month >= 8 else start.year - 1
    years = range(year0 - 1, year0 + weeks // 36 + 3)
    breaks = [h for y in years for h in school_year_holidays(y)]
    closed: set[date] = set()
    for a, b, _ in breaks:
        closed.update(a + timedelta(n) for n in range((b - a).days + 1))
    bank = holidays_lib.country_holidays(
        "GB", subdiv="ENG", years=range(year0 - 1, year0 + weeks // 36 + 4)
    )
    numbered: list[list[date]] = []
    starts: list[int] = []
    ends: list[int] = []
    monday = _monday(start)
    gap = True
    while len(numbered) < weeks:
        days = [
            monday + timedelta(i)
            for i in range(5)
            if monday + timedelta(i) >= start
            and monday + timedelta(i) not in closed
            and monday + timedelta(i) not in bank
        ]
        if days:
            if gap:
                starts.append(len(numbered))
                if numbered:
                    ends.append(len(numbered) - 1)
            numbered.append(days)
            gap = False
        else:
            gap = True
        monday += timedelta(7)
    ends.append(len(numbered) - 1)
    last = _monday(numbered[-1][-1]) + timedelta(4)
    used = [(a, b, n) for a, b, n in breaks if a <= last and b >= start]
    return _Calendar((start, last), used, numbered, starts, ends)
