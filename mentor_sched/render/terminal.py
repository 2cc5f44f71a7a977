"""Plain-text tables for the terminal."""

from __future__ import annotations

import textwrap
from datetime import date, timedelta
from typing import Any

from ..metrics import event_schools
from ..plan import Event, Plan, Trip
from ..problem import BASE, Problem, fmt_time
from ..words import day_abbr, day_label, event_label, plural, week_number
from . import event_title, terminal_text
from . import text_table as table
from .reports import (
    Categories,
    mentor_rows,
    school_rows,
    totals,
    unmet_by_category,
    venue_name,
)


def validate_text(s: dict[str, Any]) -> str:
    roles = ", ".join(
        f"{n} {r}{'s' if n != 1 else ''}" for r, n in s["people_by_role"].items()
    )
    phases = ", ".join(f"{n} {p}" for p, n in s["schools_by_phase"].items())
    mentors = ", ".join(
        f"{m} ({'/'.join(day_abbr(d) for d in v['days'])})"
        if v["days"]
        else f"{m} (no working days)"
        for m, v in s["mentors"].items()
    )
    out = [
        f"{s['cluster']}: valid.",
        f"  schools    {s['schools']} ({phases})",
        f"  mentors    {len(s['mentors'])}: {mentors}",
        f"  people     {roles}",
        f"  calendar   {s['teaching_weeks']} teaching weeks, "
        f"{s['teaching_days']} teaching days",
    ]
    for h in s["holiday_weeks"]:
        out.append(f"             week of {h['monday']} not numbered: {h['why']}")
    out.append(f"  owed       {s['owed_events']} events")
    for d, n in s["owed_by_demand"].items():
        out.append(f"             {n:4d}  {d}")
    over = [w for w in s["capacity"] if w["load"] is None or w["load"] > 1]
    # busiest with travel counted: the estimate of README "validate"
    busiest = max(s["capacity"], key=lambda w: w["load_with_travel"] or 99)
    load = busiest["load_with_travel"]
    out.append(
        "  capacity   busiest week "
        f"{week_number(busiest['week'])} (of {busiest['monday']}): "
        f"{busiest['owed_minutes']} owed + ~{busiest['travel_minutes_estimate']} "
        f"travel of {busiest['working_minutes']} working minutes"
        + (f" ({load:.0%})" if load is not None else "")
    )
    for w in over:
        out.append(
            f"  warning    week {week_number(w['week'])} (of {w['monday']}) "
            f"owes {w['owed_minutes']} minutes "
            f"but the mentors work {w['working_minutes']}: some events will be unmet"
        )
    for w in s["capacity"]:
        if w not in over and (w["load_with_travel"] or 0) > 1:
            out.append(
                f"  warning    week {week_number(w['week'])} (of {w['monday']}) "
                f"owes {w['owed_minutes']} minutes and ~"
                f"{w['travel_minutes_estimate']} of travel but the mentors work "
                f"{w['working_minutes']}: some events will likely be unmet"
            )
    for x in s.get("out_of_reach", ()):
        who = ", ".join(x["people"]) or "every session"
        out.append(f"  warning    {x['demand']} / {who}: {x['reason']}")
    if s["no_possible_slot"]:
        out.append(f"  no possible slot ({len(s['no_possible_slot'])}):")
        for x in s["no_possible_slot"]:
            who = ", ".join(x["people"]) or x["event"]
            n = plural(x["events_of_series"], "event")
            out.append(f"    {x['demand']} / {who} ({n}): {x['reason']}")
    else:
        out.append("  every owed event has at least one possible slot")
    return "\n".join(out)


# -- plans -----------------------------------------------------------------------

_SEP = " | "
GRID_MIN_WIDTH = 100  # below this, show the week day by day
# ANSI foreground colours for schools, in the cluster file's order, then again
_PALETTE = (34, 32, 35, 33, 36, 31, 94, 92, 95, 93, 96, 91)
_DIM = 2


def _label(d: date) -> str:
    """``Mon 04 Jan``, whatever the locale."""
    return day_label(d, pad=True)


def _paint(text: str, code: int | None, color: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color and code is not None else text


def school_colours(problem: Problem) -> dict[str, int]:
    """ANSI colour code per school id, stable in the cluster file's order."""
    return {s: _PALETTE[i % len(_PALETTE)] for i, s in enumerate(problem.schools)}


def _event_school(problem: Problem, e: Event) -> str | None:
    """The school an event is coloured by: its people's, else its venue."""
    schools = event_schools(problem, e)
    if len(schools) == 1:
        return schools[0]
    return e.venue if e.venue in problem.schools else None


def _place(problem: Problem, place: str) -> str:
    return "base" if place == BASE else venue_name(problem, place)


def _event_text(problem: Problem, e: Event) -> str:
    names = [problem.people[p].name if p in problem.people else p for p in e.people]
    title = event_title(problem, e)
    if e.kind == "group":
        what = e.topic or ("" if title else e.demand)
        who = f"{what} ({len(e.people)} people".lstrip()
        who += f", {len(e.missed)} missing)" if e.missed else ")"
        if title and e.topic:
            title += ":"
    else:
        who = ", ".join(names)
    return (
        f"{fmt_time(e.start)}-{fmt_time(e.end)} {title or event_label(e)} {who} @ "
        + venue_name(problem, e.venue)
    )


def _trip_text(problem: Problem, t: Trip) -> str:
    return (
        f"{fmt_time(t.depart)}-{fmt_time(t.arrive)} travel "
        f"{_place(problem, t.origin)} -> {_place(problem, t.dest)} ({t.minutes} min)"
    )


def _entries(
    problem: Problem, plan: Plan, day: date, mentor: str | None, school: str | None
) -> list[tuple[str, int | None]]:
    """(text, colour) for each event and trip shown on ``day``, by time."""
    colours = school_colours(problem)
    several = mentor is None and len(problem.mentors) > 1
    found: list[tuple[tuple[int, int], str, int | None]] = []
    for e in plan.events:
        if e.date != day or (mentor is not None and e.mentor != mentor):
            continue
        if school is not None and (
            school not in event_schools(problem, e) and e.venue != school
        ):
            continue
        text = _event_text(problem, e)
        # a three-way event names all three: the Expert Mentor too
        three_way = e.kind != "group" and len(e.people) > 1
        if e.mentor is not None and (several or three_way):
            text += f" ({problem.mentors[e.mentor].name})"
        colour = colours.get(_event_school(problem, e) or "")
        found.append(((e.start, e.end), text, colour))
    if school is None:
        for t in plan.travel:
            if t.date != day or (mentor is not None and t.mentor != mentor):
                continue
            text = _trip_text(problem, t)
            if several:
                text += f" ({problem.mentors[t.mentor].name})"
            found.append(((t.depart, t.arrive), text, _DIM))
    return [(text, colour) for _, text, colour in sorted(found)]


def _day_note(problem: Problem, day: date, mentor: str | None) -> str | None:
    """Why nothing can happen on ``day``, if so."""
    cal = problem.calendar
    if day not in cal.week_of:
        return f"no teaching: {cal.closed_days.get(day, 'closed')}"
    if mentor is not None:
        m = problem.mentors[mentor]
        if day in m.away_days:
            return f"{m.name} away"
        if not m.hours(day):
            return f"{m.name} does not work"
    return None


def _wrap(text: str, width: int, indent: str = "", more: str = "") -> list[str]:
    width = max(width, len(more) + 4, len(indent) + 4)
    return textwrap.wrap(
        text,
        width,
        initial_indent=indent,
        subsequent_indent=more,
        break_long_words=True,
        break_on_hyphens=False,
    ) or [indent.rstrip()]


def week_grid(
    problem: Problem,
    plan: Plan,
    week: int,
    mentor: str | None,
    school: str | None,
    width: int,
    color: bool,
) -> str:
    """The events (and, unless ``school`` is given, trips) of numbered ``week``
    (0-based; its title numbers weeks from 1, as people read them).

        At ``width`` >= 100 a Mon-Fri grid, one column per weekday; narrower, a
        day-by-day list. No line is longer than ``width`` (at least 12). Events are
        coloured by school with ANSI codes only when ``color``. Raises ValueError
        for an unknown week, mentor or school.
    """
    cal = problem.calendar
    if not 0 <= week < len(cal.weeks):
        raise ValueError(
            f"week {week_number(week)} is not a teaching week "
            f"(1-{week_number(len(cal.weeks) - 1)})"
        )
    if mentor is not None and mentor not in problem.mentors:
        raise ValueError(
            f"unknown mentor {mentor!r}; mentors: {', '.join(problem.mentors)}"
        )
    if school is not None and school not in problem.schools:
        raise ValueError(
            f"unknown school {school!r}; schools: {', '.join(problem.schools)}"
        )
    width = max(width, 12)
    monday = cal.weeks[week]
    days = [monday + timedelta(days=i) for i in range(5)]
    title = (
        f"Week {week_number(week)}: {_label(monday)} - {_label(days[-1])} "
        f"{days[-1].year}"
    )
    if mentor is not None:
        title += f", {problem.mentors[mentor].name}"
    if school is not None:
        title += f", {problem.schools[school].name}"
    out = _wrap(terminal_text(title), width)
    cells = []
    for d in days:
        note = _day_note(problem, d, mentor)
        note = terminal_text(note) if note else note
        entries = [
            (terminal_text(text), colour)
            for text, colour in _entries(problem, plan, d, mentor, school)
        ]
        if note and not entries:
            entries = [(f"({note})", None)]
        cells.append(entries or [("(nothing planned)", None)])
    if width < GRID_MIN_WIDTH:
        for d, entries in zip(days, cells, strict=True):
            out.append("")
            out += _wrap(_label(d), width)
            for text, colour in entries:
                for line in _wrap(text, width, "  ", "    "):
                    out.append(_paint(line, colour, color))
    else:
        col = (width - len(_SEP) * 4) // 5
        columns: list[list[tuple[str, int | None]]] = []
        for entries in cells:
            lines: list[tuple[str, int | None]] = []
            for i, (text, colour) in enumerate(entries):
                if i:
                    lines.append(("", None))
                lines += [(x, colour) for x in _wrap(text, col, "", "  ")]
            columns.append(lines)
        out.append("")
        out.append(_SEP.join(_label(d)[:col].ljust(col) for d in days).rstrip())
        out.append(_SEP.join("-" * col for _ in days))
        for i in range(max(len(c) for c in columns)):
            parts = []
            for c in columns:
                text, colour = c[i] if i < len(c) else ("", None)
                parts.append(_paint(text.ljust(col), colour, color and bool(text)))
            out.append(_SEP.join(parts).rstrip())
    if color:
        out.append("")
        line, seen = "Key:", 4
        for sid, code in school_colours(problem).items():
            name = terminal_text(problem.schools[sid].name)[: width - 2]
            if seen + 2 + len(name) > width:
                out.append(line)
                line, seen = "", 0
            gap = "  " if seen else ""
            line += gap + _paint(name, code, True)
            seen += len(gap) + len(name)
        out.append(line)
    return "\n".join(out)


def plan_summary(
    problem: Problem, plan: Plan, categories: Categories | None = None
) -> str:
    """What a solve produced: status, coverage, unmet (by category when
    ``categories``, from ``summary.unmet_categories``, are given), travel,
    minutes vs share."""
    t = totals(problem, plan)
    info = plan.solver
    status = f"{info.status} in {info.seconds:.1f} s"
    if info.objective is not None:
        status += f", objective {info.objective}"
        if info.bound is not None:
            gap = abs(info.objective - info.bound) / max(abs(info.objective), 1)
            status += f", bound {info.bound} (gap {gap:.1%})"
    missed = sum(len(e.missed) for e in plan.events)
    out = [
        f"{problem.name}",
        f"  solver     {status}",
        f"  coverage   {t['planned']} of {t['owed']} owed events planned "
        f"({t['coverage_pct']:.1f}%)"
        + (f"; {missed} group absence{'s' if missed != 1 else ''}" if missed else ""),
    ]
    most = info.details.get("plannable_upper_bound")
    if most is not None:
        out.append(
            f"  bound      at most {most} of {t['owed']} owed events can be planned "
            f"({info.details.get('plannable_bound_source', 'relaxation')})"
        )
    if plan.unmet:
        by_category = unmet_by_category(problem, plan, categories)
        cats = ", ".join(f"{n} {c}" for c, n in by_category.items())
        out.append(f"  unmet      {len(plan.unmet)}" + (f": {cats}" if cats else ""))
    else:
        out.append("  unmet      none")
    for i, m in enumerate(mentor_rows(problem, plan)):
        label = "  travel     " if i == 0 else " " * 13
        out.append(
            f"{label}{m['name']} ({m['mentor']}): {m['travel_minutes']} min "
            f"over {m['days_worked']} days worked"
        )
    rows = [
        [
            s["school"],
            f"{s['minutes']:g}",
            f"{s['delivered_pct']:.1f}%",
            "-" if s["share"] is None else f"{s['share']:g}%",
            "-" if s["deviation_pct"] is None else f"{s['deviation_pct']:.1f}",
        ]
        for s in school_rows(problem, plan)
    ]
    out.append("  schools")
    grid = table(rows, ["school", "minutes", "delivered", "share", "deviation"])
    out += ["    " + line for line in grid.splitlines()]
    return "\n".join(out)
