"""How people read weeks, counts and sentences, in one place for every output.

Teaching weeks are numbered from 1 wherever a person reads them (the
timetable's "Week 1", ``validate``, ``show --week``, what-if texts); a period
is described by its weeks and dates. The data keep their own numbering
(``plan.json``'s ``period``, event ids, feed UIDs start at 0), so nothing a
subscriber or script holds changes.
"""

from __future__ import annotations

from datetime import date, timedelta

from .problem import Problem


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
    start = _day(first) if first.year != last.year else f"{first.day} {first:%b}"
    span = f"{start} to {_day(last)}"
    if a == b:
        return f"week {week_number(a)} ({span})"
    return f"weeks {week_number(a)}-{week_number(b)} ({span})"


def _day(d: date) -> str:
    return f"{d.day} {d.strftime('%b')} {d.year}"


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
