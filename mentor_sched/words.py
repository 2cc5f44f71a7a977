"""How people read days, weeks, counts and sentences, in one place for every
output.

Weekdays are indexed as ``date.weekday()`` counts them (Monday 0): the cluster
file's keys (``mon``), the names people read (``Mon``, ``Monday``) and
iCalendar's codes (``MO``) all come from the tables here, never from
``strftime``, whose names follow the locale.

Teaching weeks are numbered from 1 wherever a person reads them (the
timetable's "Week 1", ``validate``, ``show --week``, what-if texts); a period
is described by its weeks and dates. The data keep their own numbering
(``plan.json``'s ``period``, event ids, feed UIDs start at 0), so nothing a
subscriber or script holds changes.

This module imports nothing of the package at run time, so every layer (the
input layer too) may use it.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .plan import Event
    from .problem import Problem

DAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # as in a cluster file
WEEKDAY_KEYS = DAY_KEYS[:5]  # the days a cluster file may name: Monday to Friday
DAY_ABBR = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
DAY_NAMES += ("Saturday", "Sunday")
ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")  # RFC 5545 BYDAY
MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun")
MONTH_ABBR += ("Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July")
MONTH_NAMES += ("August", "September", "October", "November", "December")


def _weekday(day: date | int) -> int:
    return day if isinstance(day, int) else day.weekday()


def day_abbr(day: date | int) -> str:
    """``Mon`` for a Monday (a date, or a weekday index with Monday 0)."""
    return DAY_ABBR[_weekday(day)]


def day_name(day: date | int) -> str:
    """``Monday`` for a Monday (a date, or a weekday index with Monday 0)."""
    return DAY_NAMES[_weekday(day)]


def day_label(d: date, *, pad: bool = False) -> str:
    """``Mon 4 Jan``; with ``pad`` the day has two digits (``Mon 04 Jan``), so
    that labels line up in a terminal."""
    day = f"{d.day:02d}" if pad else str(d.day)
    return f"{day_abbr(d)} {day} {MONTH_ABBR[d.month - 1]}"


def short_date(d: date) -> str:
    """``Mon 4 Jan 2027``."""
    return f"{day_label(d)} {d.year}"


def long_date(d: date) -> str:
    """``Monday 4 January 2027``."""
    return f"{day_name(d)} {d.day} {MONTH_NAMES[d.month - 1]} {d.year}"


def week_number(week: int) -> int:
    """The number people read for numbered teaching week ``week`` (0-based)."""
    return week + 1


def week_index(number: int) -> int:
    """The numbered teaching week (0-based) of the week people call ``number``."""
    return number - 1


def period_text(problem: Problem, every: int | None, period: int | None) -> str:
    """``weeks 4-6 (3 May to 21 May 2027)``; ``week 4 (...)`` for a one-week
    period; ``any week`` for ``once``."""
    if every is None or period is None:
        return "any week"
    a, b = problem.period_weeks(every, period)
    first = problem.calendar.weeks[a]
    last = problem.calendar.weeks[b] + timedelta(days=4)
    start = _day(first) if first.year != last.year else _day_month(first)
    span = f"{start} to {_day(last)}"
    if a == b:
        return f"week {week_number(a)} ({span})"
    return f"weeks {week_number(a)}-{week_number(b)} ({span})"


def _day_month(d: date) -> str:
    return f"{d.day} {MONTH_ABBR[d.month - 1]}"


def _day(d: date) -> str:
    return f"{_day_month(d)} {d.year}"


def plural(n: int, noun: str) -> str:
    """``1 event``, ``2 events``."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def sentence(text: str) -> str:
    """``text`` with a capital first letter, unless it starts with an id (a word
    with ``-`` or ``/``, or a lower-case word written by the user), which is
    left exactly as written."""
    first = text.split(" ", 1)[0]
    if not text or "-" in first or "/" in first or "_" in first:
        return text
    return text[0].upper() + text[1:]


# Why an owed event is unmet, broadly (``summary.unmet_categories`` decides).
NO_SLOT = "no possible slot"
CROWDED = "no room beside other events"
NOT_OWED = "not an owed event of this cluster"


def event_label(e: Event) -> str:
    """What an event is, as people read it: its kind (``meeting``), a
    ``three-way meeting`` or ``joint observation`` when the person's in-school
    mentor joins the Expert Mentor, an ``in-school mentor meeting`` when the
    in-school mentor holds it (no Expert Mentor)."""
    if e.mentor is None:
        return f"in-school mentor {e.kind}"
    if e.kind in ("meeting", "observation") and len(e.people) > 1:
        return "three-way meeting" if e.kind == "meeting" else "joint observation"
    return e.kind
