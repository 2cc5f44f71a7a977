"""Cluster file -> Problem, the demands and the pins: who each demand selects,
the fields each kind of demand may carry, covers, and the event each pin holds.

Part of the compile (``compile.py``), whose ``_Compiler`` holds the file, the
error collector and the helpers these functions use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..problem import (
    WEEKDAYS,
    Calendar,
    Demand,
    Person,
    Pin,
    Problem,
    School,
    fmt_range,
)
from .errors import closest
from .model import DemandIn

if TYPE_CHECKING:
    from .compile import _Compiler

# fields that only some kinds of demand may carry
_KIND_FIELDS = {
    "minutes": ("meeting", "observation", "group"),
    "every": ("meeting", "observation", "group"),
    "window": ("meeting", "observation", "group"),
    "online_ok": ("meeting",),
    "venues": ("group",),
    "topics": ("group",),
    "at": ("cover",),
    "when": ("meeting", "observation"),
    "with": ("meeting", "observation"),
    "host": ("meeting", "observation"),
}


def _select(
    c: _Compiler, path: tuple, d: DemandIn, people: dict[str, Person]
) -> list[str]:
    who = d.who
    if who.ids is not None:
        for j, pid in enumerate(who.ids):
            if pid not in people:
                c.out.add(
                    (*path, "ids", j),
                    "unknown person",
                    pid,
                    c.out.suggest(pid, people, "person"),
                )
        return [pid for pid in who.ids if pid in people]
    if who.school:
        for j, sid in enumerate(who.school):
            if sid not in c.school_ids:
                c.out.add(
                    (*path, "school", j)
                    if c.given((*path, "school", j))
                    else (*path, "school"),
                    "unknown school",
                    sid,
                    c.out.suggest(sid, c.school_ids, "school"),
                )
    if who.provider:
        known = sorted({p.provider for p in people.values() if p.provider})
        for j, name in enumerate(who.provider):
            if name not in known:
                c.out.add(
                    (*path, "provider", j)
                    if c.given((*path, "provider", j))
                    else (*path, "provider"),
                    "no trainee or ECT has this provider",
                    name,
                    _provider_hint(name, known),
                )
    schools = None if who.school is None else set(who.school)
    providers = None if who.provider is None else set(who.provider)
    return [
        p.id
        for p in people.values()
        if (who.role is None or p.role == who.role)
        and (schools is None or p.school in schools)
        and (who.ect_year is None or (p.role == "ect" and p.ect_year == who.ect_year))
        and (providers is None or p.provider in providers)
    ]


def _provider_hint(name: str, known: list[str]) -> str:
    if not known:
        return "give trainees and ECTs a 'provider' first"
    same = [k for k in known if k.casefold() == name.casefold()]
    best = same[0] if same else closest(name, known)
    if best:
        return f"did you mean '{best}'? (providers match exactly)"
    return "known providers: " + ", ".join(known[:12])


def compile_demands(
    c: _Compiler,
    calendar: Calendar,
    schools: dict[str, School],
    people: dict[str, Person],
) -> dict[str, Demand]:
    out: dict[str, Demand] = {}
    venues = [*schools, "online"]
    for i, d in enumerate(c.cf.demand):
        path = ("demand", i)
        for field, kinds in _KIND_FIELDS.items():
            if d.kind not in kinds and c.given((*path, field)):
                c.out.add(
                    (*path, field),
                    f"'{field}' does not apply to "
                    f"{'an' if d.kind[0] in 'aeiou' else 'a'} {d.kind}",
                    hint=f"'{field}' is for {' and '.join(kinds)} demands; remove it",
                    key=True,
                )
        if d.kind != "cover" and d.minutes is None:
            c.out.add(path, f"required field 'minutes' is missing for a {d.kind}")
        if d.kind == "group":
            if not d.venues:
                c.out.add(path, "required field 'venues' is missing for a group")
            if d.window is None:
                c.out.add(path, "required field 'window' is missing for a group")
        if d.kind == "cover" and d.at is None:
            c.out.add(path, "required field 'at' is missing for a cover")
        if d.minutes is not None:
            c.on_grid((*path, "minutes"), d.minutes, duration=True)
        if d.window and d.window.time:
            c.on_grid((*path, "window", "time"), *d.window.time)
            if d.minutes and d.window.time[1] - d.window.time[0] < d.minutes:
                c.out.add(
                    (*path, "window", "time"),
                    f"the window is shorter than the {d.minutes}-minute event",
                    fmt_range(d.window.time),
                )
        for j, v in enumerate(d.venues or []):
            if v != "online" and v not in schools:
                c.out.add(
                    (*path, "venues", j),
                    "unknown venue",
                    v,
                    c.out.suggest(v, venues, "venue"),
                )
        _check_school_mentor(c, path, d)
        errors_before = len(c.out.errors)
        chosen = _select(c, (*path, "who"), d, people)
        # unknown ids or schools are reported already, with a suggestion
        if not chosen and len(c.out.errors) == errors_before:
            c.out.add(
                (*path, "who"),
                "this selector matches nobody",
                d.who.model_dump(exclude_none=True),
                "check role, school, ect_year and provider against the people list"
                if d.who.provider
                else "check role, school and ect_year against the people list",
            )
        hosted = d.host is not None and d.kind in _KIND_FIELDS["host"]
        if hosted and chosen and not any(people[p].mentor for p in chosen):
            c.out.add(
                (*path, "host"),
                "none of the people this demand selects has an in-school mentor "
                "('mentor' link), so nobody is owed it",
                d.host,
                "add 'mentor: <school-mentor id>' to the people who should get it",
                key=True,
            )
        minutes = d.minutes or 0
        at_date = at_time = None
        if d.kind == "cover" and d.at is not None:
            at_date, at_time = d.at.date, d.at.time
            minutes = at_time[1] - at_time[0]
            c.on_grid((*path, "at", "time"), *at_time)
            if len(chosen) != 1 and chosen:
                c.out.add(
                    (*path, "who"),
                    f"a cover releases exactly one person; this selects {len(chosen)}",
                    ", ".join(chosen[:5]),
                    "use {ids: [one-person]}",
                )
            if len(chosen) == 1:
                _check_cover(c, path, d, people[chosen[0]], schools, calendar)
        out[d.id] = Demand(
            id=d.id,
            kind=d.kind,
            people=tuple(chosen),
            minutes=minutes,
            every=d.weeks if d.kind != "cover" else None,
            window_days=(
                frozenset(WEEKDAYS.index(x) for x in d.window.days)
                if d.window
                else None
            ),
            window_time=d.window.time if d.window else None,
            online_ok=bool(d.online_ok),
            venues=tuple(d.venues or ()),
            topics=tuple(d.topics or ()),
            at_date=at_date,
            at_time=at_time,
            priority=d.priority,
            when_mentor_away=d.when == "mentor-away",
            with_school_mentor=bool(d.with_) and d.kind in _KIND_FIELDS["with"],
            hosted=hosted,
            title=d.title,
        )
    return out


def _check_school_mentor(c: _Compiler, path: tuple, d: DemandIn) -> None:
    """``with`` and ``host`` name the person's in-school mentor in two ways that
    cannot be combined, and a hosted event has no Expert Mentor to cover for an
    absent in-school mentor."""
    if d.host is None:
        return
    if c.given((*path, "with")):
        c.out.add(
            (*path, "with"),
            "'with' does not apply to a demand with 'host': the in-school mentor "
            "holds it already",
            hint="remove 'with', or remove 'host' for a three-way event with an "
            "Expert Mentor",
            key=True,
        )
    if d.when == "mentor-away":
        c.out.add(
            (*path, "when"),
            "'when: mentor-away' does not apply to a demand with 'host': the "
            "in-school mentor who holds it is the one away",
            hint="remove 'host' (absence cover is the Expert Mentor's) or 'when'",
            key=True,
        )


def _check_cover(
    c: _Compiler,
    path: tuple,
    d: DemandIn,
    person: Person,
    schools: dict[str, School],
    calendar: Calendar,
) -> None:
    assert d.at is not None
    school = schools[person.school]
    when, span = d.at.date, d.at.time
    if not (school.open[0] <= span[0] and span[1] <= school.open[1]):
        c.out.add(
            (*path, "at", "time"),
            f"outside {school.id}'s open hours {fmt_range(school.open)}",
            fmt_range(span),
            "a cover can never happen outside open hours",
        )
    h0, h1 = c.cf.cluster.horizon.first, c.cf.cluster.horizon.last
    if not (h0 <= when <= h1):
        c.out.add((*path, "at", "date"), f"outside the horizon {h0}..{h1}", str(when))
    elif when in school.closed or when not in calendar.week_of:
        why = calendar.closed_days.get(when) or (
            "a weekend" if when.weekday() >= 5 else f"{school.id} is closed"
        )
        c.out.add(
            (*path, "at", "date"),
            f"the school is not open that day ({why})",
            str(when),
            "a cover can never happen on a closed day; pick a teaching day",
        )


# -- pins --------------------------------------------------------------------------


def compile_pins(c: _Compiler, problem: Problem) -> tuple[Pin, ...]:
    from ..candidates import pin_problem  # solver-free rule checks

    owed = {o.id: o for o in problem.owed}
    out: list[Pin] = []
    for i, p in enumerate(c.cf.pins):
        path = ("pins", i)
        d = problem.demands.get(p.demand)
        if d is None:
            c.out.add(
                (*path, "demand"),
                "unknown demand",
                p.demand,
                c.out.suggest(p.demand, problem.demands, "demand"),
            )
            continue
        c.on_grid((*path, "start"), p.start)
        if d.hosted:
            c.out.add(
                (*path, "demand"),
                f"{d.id} is held by in-school mentors ('host'), and pins fix "
                "Expert Mentor events",
                p.demand,
                "remove the pin; a hosted event keeps its weekly slot by itself",
            )
            continue
        event_id = _pin_event(c, path, p, d, problem)
        if event_id is None:
            continue
        if event_id not in owed:
            c.out.add(
                path,
                f"this pin names nothing owed (no event {event_id})",
                str(p.date),
                "check the date's period, the person's presence and the demand",
            )
            continue
        if p.mentor is not None and p.mentor not in problem.mentors:
            c.out.add(
                (*path, "mentor"),
                "unknown mentor",
                p.mentor,
                c.out.suggest(p.mentor, problem.mentors, "mentor"),
            )
            continue
        venue = p.venue
        if venue is not None and venue != "online" and venue not in problem.schools:
            c.out.add(
                (*path, "venue"),
                "unknown venue",
                venue,
                c.out.suggest(venue, problem.schools, "venue"),
            )
            continue
        if venue is None and d.kind == "group" and len(d.venues) > 1:
            c.out.add(
                path,
                "'venue' is required: this group has several venues",
                hint="add venue: one of " + ", ".join(d.venues),
            )
            continue
        pin = Pin(event_id, p.date, p.start, p.mentor, venue)
        mentor, why = pin_problem(problem, owed[event_id], pin)
        if why:
            c.out.add(path, f"the pin breaks a hard rule: {why}", str(p.date))
            continue
        out.append(Pin(event_id, p.date, p.start, mentor, pin.venue))
    seen: set[str] = set()
    for i, pin in enumerate(out):
        if pin.event in seen:
            c.out.add(("pins", i), f"{pin.event} is pinned twice")
        seen.add(pin.event)
    return tuple(out)


def _pin_event(
    c: _Compiler, path: tuple, p: Any, d: Demand, problem: Problem
) -> str | None:
    week = problem.calendar.week_of.get(p.date)
    if d.kind in ("meeting", "observation"):
        if p.person is None:
            c.out.add(path, "'person' is required for a per-person demand")
            return None
        if p.person not in d.people:
            c.out.add(
                (*path, "person"),
                f"not selected by {d.id}",
                p.person,
                c.out.suggest(p.person, d.people, "person"),
            )
            return None
        if d.every is None:
            return f"{d.id}/{p.person}"
    elif d.kind == "group" and d.topics:
        if p.topic is None:
            c.out.add(path, "'topic' is required for a group with topics (1 = first)")
            return None
        if p.topic > len(d.topics):
            c.out.add((*path, "topic"), f"{d.id} has {len(d.topics)} topics", p.topic)
            return None
        return f"{d.id}/topic-{p.topic}"
    elif d.kind == "cover" or d.every is None:
        return d.id
    if week is None:
        c.out.add(
            (*path, "date"),
            "not a teaching day",
            str(p.date),
            problem.calendar.closed_days.get(
                p.date, "outside the horizon or a weekend"
            ),
        )
        return None
    period = week // d.every  # type: ignore[operator]
    return f"{d.id}/{p.person}/{period}" if d.kind != "group" else f"{d.id}/{period}"
