"""What a feed's VEVENT says: its summary, location and description, naming
only the people the feed's viewer may see (feeds.md, "Privacy")."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from icalendar import vText

from ..plan import Event, Trip
from ..problem import BASE, ONLINE, Problem, fmt_time
from ..words import event_label
from . import clean_text, event_title, topic_count

# the sector's initialisms, written in capitals wherever an id holds them
_ACRONYMS = frozenset(
    {
        "ccf",
        "cpd",
        "ecf",
        "ect",
        "ects",
        "em",
        "iqts",
        "itap",
        "itt",
        "npq",
        "pgce",
        "qts",
        "scitt",
        "sen",
        "senco",
        "send",
    }
)
_ROLE_NOUN = {"trainee": "trainee", "ect": "ECT", "school-mentor": "school mentor"}


@dataclass(frozen=True)
class Viewer:
    """Whose feed: the mentor sees every name, a school or person only their
    own school's."""

    school: str | None  # None: sees everyone


def ical_text(value: str) -> vText:
    """A TEXT value (RFC 5545 3.3.11): no control character (NUL, CR, ESC);
    vText escapes ``,`` ``;`` backslash and line breaks, so a name can never end
    a content line and start a property of its own."""
    return vText(clean_text(value))


def describe_event(
    problem: Problem, e: Event, viewer: Viewer
) -> tuple[str, str, tuple[float, float] | None, list[str]]:
    online = e.venue == ONLINE
    school = problem.schools.get(e.venue)
    location = "Online" if online else (school.name if school else e.venue)
    geo = (school.lat, school.lon) if school else None
    mentor = problem.mentors.get(e.mentor)
    attending = [p for p in e.people if p not in e.missed]
    who = _who(problem, attending, viewer, labels=True)
    span = f"{fmt_time(e.start)}-{fmt_time(e.end)}"
    title = event_title(problem, e)
    if e.kind == "group":
        summary = group_title(problem, e)
    elif e.kind == "cover":
        names = _who(problem, e.people, viewer, labels=False)
        what = f"Expert Mentor: {title}," if title else "Expert Mentor cover:"
        summary = f"{what} {names} released ({span})"
    elif e.mentor is None:
        summary = f"{title or event_label(e).capitalize()}: {who}"
    else:
        summary = f"Expert Mentor: {title or event_label(e)}, {who}"
    if online and e.kind != "cover":
        summary += " (online)"
    if e.mentor is None:
        host = problem.people.get(e.host or "")
        held = f"Held by: {host.name if host else e.host} (in-school mentor)"
    else:
        held = f"Expert Mentor: {mentor.name if mentor else e.mentor}"
    lines = [held, f"Venue: {location}"]
    if e.kind == "cover":
        lines.append(f"Covering for: {who}, released {span}")
    else:
        lines.append(f"With: {who}")
    unable = [p for p in e.missed if _named(problem, p, viewer)]
    if unable:
        lines.append(f"Unable to attend: {_who(problem, unable, viewer, labels=True)}")
    return summary, location, geo, lines


def describe_trip(
    problem: Problem, t: Trip
) -> tuple[str, str, tuple[float, float] | None, list[str]]:
    origin, dest = (
        _place(problem, t.mentor, t.origin),
        _place(problem, t.mentor, t.dest),
    )
    mentor = problem.mentors.get(t.mentor)
    lines = [
        f"{mentor.name if mentor else t.mentor} travels from {origin} to {dest}",
        f"{t.minutes} minutes, {fmt_time(t.depart)}-{fmt_time(t.arrive)}",
    ]
    return f"Travel: {origin} → {dest}", "", None, lines


def _place(problem: Problem, mentor: str, place: str) -> str:
    m = problem.mentors.get(mentor)
    if place == BASE and m is not None and m.base in problem.schools:
        place = m.base
    if place in problem.schools:
        return problem.schools[place].name
    return "Base" if place == BASE else place


def group_title(problem: Problem, e: Event) -> str:
    """``ECF session 2 of 6: Adaptive teaching``: the demand's ``title``, or
    else its id made readable, the topic's place and the topic."""
    demand = problem.demands.get(e.demand)
    label = demand.title if demand and demand.title else humanise(e.demand)
    count = topic_count(problem, e)
    if count:
        return f"{label} {count}: {e.topic}"
    return f"{label}: {e.topic}" if e.topic else label


def _named(problem: Problem, pid: str, viewer: Viewer) -> bool:
    p = problem.people.get(pid)
    return viewer.school is None or (p is not None and p.school == viewer.school)


def _who(problem: Problem, pids: Iterable[str], viewer: Viewer, *, labels: bool) -> str:
    """Own people by name, everyone else counted by role and school."""
    named, others = [], []
    for pid in pids:
        p = problem.people.get(pid)
        if p is not None and _named(problem, pid, viewer):
            named.append(f"{p.name} ({_label(p)})" if labels else p.name)
        else:
            others.append(p)
    text = ", ".join(named)
    if others:
        roles = {p.role if p else "" for p in others}
        noun = _ROLE_NOUN.get(roles.pop(), "person") if len(roles) == 1 else "person"
        n, k = len(others), len({p.school if p else "" for p in others})
        if n == 1:
            count = f"{'an' if noun[0] in 'AEIOUaeiou' else 'a'} {noun}"
        else:
            count = f"{n} {'people' if noun == 'person' else noun + 's'}"
        count += " from another school" if k == 1 else f" from {k} other schools"
        text = f"{text} + {count}" if text else count
    return text or "nobody"


def _label(p: Any) -> str:
    if p.role == "ect":
        return f"Y{p.ect_year} ECT" if p.ect_year else "ECT"
    return _ROLE_NOUN.get(p.role, p.role)


def humanise(ident: str) -> str:
    """``ccf-sessions`` -> ``CCF session``."""
    words = ident.split("-")
    if len(words) > 1 and words[-1].endswith("s") and not words[-1].endswith("ss"):
        words[-1] = words[-1][:-1]
    out = [
        w.upper() if w in _ACRONYMS or not re.search("[aeiouy]", w) else w
        for w in words
    ]
    if out and out[0].islower():
        out[0] = out[0].capitalize()
    return " ".join(out)
