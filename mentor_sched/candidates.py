"""Where each owed event could go, judged one event at a time (no solver).

An ``Option`` is a (mentor, date, venue) with every start time that obeys the
unary hard rules: teaching day inside the event's weeks, the mentor's hours,
phases and part-day absences, the venue's open hours and closures, the
person's free or teaching time and absences, the demand's window, a cover's
fixed slot. What remains for the solver is interaction between events.

Each of those rules is a filter in its own module under
``mentor_sched/rules/`` (docs/rules.md); ``iter_options`` only composes
them. They are imported where they are used, not at the top, because
``rules.pins_hold`` names this module's ``Option``. Neither imports ortools or
the solver: the input layer uses both to tell a pin that breaks a hard rule
at the boundary, with the pin's line.

``explain`` turns an event with no option into a sentence a coordinator can
act on, naming people, weekdays and dates.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from .problem import (
    ONLINE,
    WEEKDAYS,
    Owed,
    Pin,
    Problem,
    Range,
    fmt_range,
)
from .words import DAY_NAMES, period_text, week_number


@dataclass(frozen=True)
class Option:
    mentor: str
    date: date
    venue: str  # school id or "online"
    starts: tuple[int, ...]
    missed: tuple[str, ...] = ()  # group: invited people who cannot attend


def event_dates(problem: Problem, owed: Owed) -> list[date]:
    first, last = owed.weeks
    cal = problem.calendar
    # teaching days are sorted and numbered week i starts on Monday weeks[i]
    lo = bisect_left(cal.days, cal.weeks[first])
    hi = bisect_left(cal.days, cal.weeks[last] + timedelta(7))
    return list(cal.days[lo:hi])


def person_ranges(problem: Problem, owed: Owed, pid: str, d: date) -> tuple[Range, ...]:
    """The person's free (meeting) or teaching (observation) ranges on ``d``."""
    from .rules.person_attendance import person_ranges

    return person_ranges(problem, owed, pid, d)


def mentor_serves(problem: Problem, mentor: str, owed: Owed) -> bool:
    """Whether ``mentor`` serves every school phase of ``owed`` (rule 6)."""
    from .rules.mentor_phases import mentor_serves

    return mentor_serves(problem, mentor, owed)


def options(problem: Problem, owed: Owed, *, only: date | None = None) -> list[Option]:
    """Every (mentor, date, venue) where ``owed`` fits on its own, with its starts."""
    return list(iter_options(problem, owed, only=only))


def has_option(problem: Problem, owed: Owed) -> bool:
    """Whether ``owed`` fits somewhere on its own (stops at the first option; a
    hosted event's slot is its in-school mentor's, not an Expert Mentor's)."""
    if owed.host is not None:
        from .rules.school_mentor_events import hosted_starts

        return any(hosted_starts(problem, owed, d) for d in event_dates(problem, owed))
    return next(iter_options(problem, owed), None) is not None


def iter_options(
    problem: Problem, owed: Owed, *, only: date | None = None
) -> Iterator[Option]:
    """``options`` one at a time, by date: each rule's filter in turn."""
    from .rules import (
        demand_window,
        group_sessions,
        mentor_phases,
        person_attendance,
        school_mentor_events,
        teaching_day_and_hours,
    )

    if owed.host is not None:
        return  # held by the in-school mentor: no Expert Mentor option
    demand = problem.demands[owed.demand]
    length = owed.minutes
    dates = [only] if only is not None else event_dates(problem, owed)
    serving = mentor_phases.serving(problem, owed)
    group = owed.kind == "group"
    for d in dates:
        if not teaching_day_and_hours.on_teaching_day(problem, owed, d):
            continue
        if not demand_window.window_day(demand, d):
            continue
        starts = person_attendance.day_starts(problem, owed, d)
        if owed.kind != "cover":  # a cover is at its fixed slot, window or not
            starts = demand_window.window_starts(demand, starts, length)
        missed_of: dict[int, tuple[str, ...]] = {}
        if group:
            venues = group_sessions.group_venues(demand)
            missed_of = person_attendance.missed(problem, owed, d, starts)
        else:
            starts = person_attendance.attending_starts(problem, owed, d, starts)
            starts = school_mentor_events.joining_starts(problem, owed, d, starts)
            if not starts:
                continue
            venues = person_attendance.person_venues(problem, owed)
        venue_starts = {
            v: teaching_day_and_hours.venue_open(problem, v, d, starts, length)
            for v in venues
        }
        for mid, mentor in serving:
            for v, at_venue in venue_starts.items():
                ok = teaching_day_and_hours.mentor_at_work(mentor, d, at_venue, length)
                if not ok:
                    continue
                if group:
                    by_missed: dict[tuple[str, ...], list[int]] = defaultdict(list)
                    for s in sorted(ok):
                        by_missed[missed_of[s]].append(s)
                    for missed, group_starts in by_missed.items():
                        yield Option(mid, d, v, tuple(group_starts), missed)
                else:
                    yield Option(mid, d, v, tuple(sorted(ok)))


def pin_problem(problem: Problem, owed: Owed, pin: Pin) -> tuple[str | None, str]:
    """The mentor a pin resolves to, or why the pin cannot hold on its own."""
    from .rules.pins_hold import pin_venue

    demand = problem.demands[owed.demand]
    venue = pin_venue(problem, owed, pin)
    if owed.kind == "group" and venue not in demand.venues:
        return None, f"venue {venue} is not one of {', '.join(demand.venues)}"
    if venue == ONLINE and owed.kind != "group" and not demand.online_ok:
        return None, f"{demand.id} may not be held online"
    opts = [
        o
        for o in options(problem, owed, only=pin.date)
        if o.venue == venue
        and pin.start in o.starts
        and (pin.mentor is None or o.mentor == pin.mentor)
    ]
    if not opts:
        return None, explain(
            problem, owed, only=pin.date, start=pin.start, mentor=pin.mentor
        )
    mentors = sorted({o.mentor for o in opts})
    if len(mentors) > 1:
        return None, "several mentors could serve it: name one with 'mentor'"
    return mentors[0], ""


# -- explanations ------------------------------------------------------------------


def _pattern_text(problem: Problem, owed: Owed, pid: str, dates: list[date]) -> str:
    by_day: dict[int, set[Range]] = defaultdict(set)
    for d in dates:
        for r in person_ranges(problem, owed, pid, d):
            by_day[d.weekday()].add(r)
    parts = [
        f"{DAY_NAMES[w]} {', '.join(fmt_range(r) for r in sorted(rs))}"
        for w, rs in sorted(by_day.items())
    ]
    return " and ".join(parts)


def explain(
    problem: Problem,
    owed: Owed,
    *,
    only: date | None = None,
    start: int | None = None,
    mentor: str | None = None,
) -> str:
    """Why ``owed`` has no possible slot (or none at ``only``/``start``)."""
    from .rules import demand_window as window
    from .rules import person_attendance as attendance
    from .rules.school_mentor_events import joining

    demand = problem.demands[owed.demand]
    dates = [only] if only else event_dates(problem, owed)
    mentors = [mentor] if mentor else list(problem.mentors)
    where = "on " + only.isoformat() if only else _period_text(problem, owed)
    if only and only not in problem.calendar.week_of:
        return f"{only} is not a teaching day"
    if only and not owed.weeks[0] <= problem.calendar.week_of[only] <= owed.weeks[1]:
        return f"{only} is outside the weeks of {owed.id}"
    if owed.host is not None:
        return _explain_hosted(problem, owed, dates, where)
    serving = [m for m in mentors if mentor_serves(problem, m, owed)]
    if not serving:
        phases = sorted(
            {problem.schools[problem.people[p].school].phase for p in owed.people}
        )
        return (
            f"no Expert Mentor{' ' + mentor if mentor else ''} serves "
            f"{' and '.join(phases)} schools (mentors' 'phases')"
        )
    if owed.kind in ("meeting", "observation", "cover"):
        pid = owed.people[0]
        person = problem.people[pid]
        avail = [d for d in dates if d in person.available]
        if not avail:
            return (
                f"{pid} is not available {where} "
                "(not present, not in, away or school closed)"
            )
        if owed.kind == "cover":
            d = demand.at_date
            assert d is not None
            off = [m for m in serving if not problem.mentors[m].hours(d)]
            if len(off) == len(serving):
                away = [m for m in off if d in problem.mentors[m].away_days]
                if away:
                    verb = "is" if len(away) == 1 else "are"
                    return f"{', '.join(away)} {verb} away on {d}, the day of the cover"
                verb = "does" if len(off) == 1 else "do"
                day = DAY_NAMES[d.weekday()]
                return f"{', '.join(off)} {verb} not work on {day}s"
            at = fmt_range(demand.at_time)  # type: ignore[arg-type]
            return f"no mentor's hours or part-day absences leave {at} free on {d}"
        what = "free" if owed.kind == "meeting" else "teaching"
        with_time = [d for d in avail if person_ranges(problem, owed, pid, d)]
        if not with_time:
            return (
                f"{pid} has no {what} time on the days they are in {where}; "
                f"add '{what}' ranges"
            )
        long_enough = [
            d
            for d in with_time
            if any(
                b - a >= owed.minutes for a, b in person_ranges(problem, owed, pid, d)
            )
        ]
        if not long_enough:
            return (
                f"{pid}'s {what} time ({_pattern_text(problem, owed, pid, with_time)}) "
                f"is shorter than the {owed.minutes}-minute {owed.kind}"
            )
        if demand.window_days is not None or demand.window_time is not None:
            in_window = [
                d
                for d in long_enough
                if window.window_day(demand, d)
                and (
                    demand.window_time is None
                    or window.window_starts(
                        demand, attendance.day_starts(problem, owed, d), owed.minutes
                    )
                )
            ]
            if not in_window:
                return (
                    f"{pid} is {what} only "
                    f"{_pattern_text(problem, owed, pid, long_enough)}, "
                    f"outside {demand.id}'s window"
                )
            long_enough = in_window
        pattern = _pattern_text(problem, owed, pid, long_enough)
        for sm in joining(owed):
            if not any(_joined(problem, owed, sm, d) for d in long_enough):
                return (
                    f"{sm}, the in-school mentor who joins, is not free during "
                    f"{pid}'s {what} time ({pattern}) {where}; they need "
                    "'free' time then (not teaching)"
                )
        causes: Counter[str] = Counter()
        for m in serving:
            mt = problem.mentors[m]
            for d in long_enough:
                if d.weekday() not in mt.works:
                    causes[f"{m} does not work {DAY_NAMES[d.weekday()]}s"] += 1
                elif d in mt.away_days:
                    causes[f"{m} is away {d.isoformat()}"] += 1
                elif d in problem.schools[person.school].closed:
                    causes[f"{person.school} is closed {d.isoformat()}"] += 1
                else:
                    causes[
                        f"{m}'s hours, part-day absences or {person.school}'s "
                        "open hours do not overlap it"
                    ] += 1
        days = sorted({DAY_NAMES[d.weekday()] for d in long_enough})
        only_days = (
            f"the only {days[0]} {where}"
            if len(days) == 1 and len(long_enough) == 1
            else ""
        )
        reasons = "; ".join(
            c + (f", {only_days}" if only_days and "away" in c else "")
            for c in sorted(causes)
        )
        return (
            f"no possible slot: {pid} is {what} only {pattern} {where}, and {reasons}"
        )
    # group
    open_venues = [
        v
        for v in demand.venues
        if v == ONLINE or any(d not in problem.schools[v].closed for d in dates)
    ]
    if not open_venues:
        return f"every venue ({', '.join(demand.venues)}) is closed {where}"
    win = [
        d
        for d in dates
        if demand.window_days is None or d.weekday() in demand.window_days
    ]
    if not win:
        wdays = ", ".join(DAY_NAMES[w] for w in sorted(demand.window_days or ()))
        return f"no {wdays} {where} is a teaching day"
    causes = Counter()
    for m in serving:
        mt = problem.mentors[m]
        for d in win:
            if d.weekday() not in mt.works:
                causes[f"{m} does not work {DAY_NAMES[d.weekday()]}s"] += 1
            elif d in mt.away_days:
                causes[f"{m} is away {d.isoformat()}"] += 1
            else:
                causes[
                    f"{m}'s hours do not cover the window "
                    f"{fmt_range(demand.window_time) if demand.window_time else ''} "
                    "at an open venue"
                ] += 1
    return f"no possible slot {where}: " + "; ".join(sorted(causes))


def _joined(problem: Problem, owed: Owed, sm: str, d: date) -> bool:
    """Whether in-school mentor ``sm`` can join ``owed`` on ``d`` at a start the
    person's own time allows."""
    from .rules import person_attendance as attendance
    from .rules.school_mentor_events import in_school_mentor_free

    starts = attendance.day_starts(problem, owed, d)
    starts = attendance.attending_starts(problem, owed, d, starts)
    return bool(in_school_mentor_free(problem, sm, d, starts, owed.minutes))


def _explain_hosted(problem: Problem, owed: Owed, dates: list[date], where: str) -> str:
    """Why a hosted event has no slot on its own: the person or the host is never
    in, or their time never meets."""
    from .rules.school_mentor_events import hosted_starts

    pid, host = owed.people[0], owed.host
    what = "free" if owed.kind == "meeting" else "teaching"
    mine = [d for d in dates if d in problem.people[pid].available]
    if not mine:
        return f"{pid} is not available {where} (not present, not in, away or closed)"
    both = [d for d in mine if d in problem.people[host].available]  # type: ignore[index]
    if not both:
        return (
            f"{host}, the in-school mentor who holds it, is not in on any day "
            f"{pid} is in {where}"
        )
    if not any(hosted_starts(problem, owed, d) for d in both):
        return (
            f"{host}'s free time and {pid}'s {what} time "
            f"({_pattern_text(problem, owed, pid, both) or 'none'}) never leave "
            f"{owed.minutes} minutes together {where} (within the demand's window "
            "and the school's open hours)"
        )
    return f"no possible slot {where}"


def _period_text(problem: Problem, owed: Owed) -> str:
    """``in weeks 4-6 (3 May to 21 May 2027)``: weeks as people number them."""
    if owed.period is None:
        first, last = owed.weeks
        weeks = problem.calendar.weeks
        return (
            f"in the horizon (weeks {week_number(first)}-{week_number(last)}, "
            f"{weeks[first].isoformat()} to {weeks[last].isoformat()})"
        )
    every = problem.demands[owed.demand].every
    return "in " + period_text(problem, every, owed.period)


__all__ = [
    "WEEKDAYS",
    "Option",
    "explain",
    "has_option",
    "iter_options",
    "options",
    "pin_problem",
]
