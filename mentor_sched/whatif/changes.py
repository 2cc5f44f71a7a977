"""The what-if's changes applied to the cluster file's model (a pure
transform: ClusterFile + changes -> ClusterFile), and described in words."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from ..input.model import (
    AwayRange,
    ClusterFile,
    DateRange,
    MentorIn,
    PinIn,
    SchoolIn,
    WeekPattern,
    WhatIfFile,
)
from ..input.yaml_reader import Path_
from ..problem import WEEKDAYS, Problem, Range, fmt_range, fmt_time
from ..words import DAY_ABBR, plural

if TYPE_CHECKING:  # the solver imports ortools: only when re-planning
    pass


@dataclass(frozen=True)
class Change:
    """One change of a what-if, as a sentence and the dates and things it touches."""

    # away | closed | leave | join | works | add_school | add_mentor |
    # remove_mentor | pin
    kind: str
    subject: str  # the mentor, person or school id it is about (a pin: the event)
    first: date
    last: date
    text: str


def apply_changes(
    cf: ClusterFile, wf: WhatIfFile, frozen_until: date, base: Problem
) -> tuple[ClusterFile, dict[Path_, Path_]]:
    """The cluster with the what-if's changes applied (a pure transform of the
    input model), and where each added entry came from in the what-if file.

    - ``away``: appended to that mentor's or person's ``away``;
    - ``closed``: appended to that school's ``closed``;
    - ``leave``: the person's ``present`` ends the day before ``from``;
    - ``join``: the new people are appended;
    - ``works``: the mentor's pattern becomes the union of old and new, with
      part-day ``away`` ranges taking out what the new pattern does not cover
      from ``from`` (default ``frozen_until``) to ``to`` (default the end of the
      horizon) and what the old one does not cover on the other days.
      Re-planning never touches the dates before ``frozen_until``, and the kept
      events there still lie in working hours for the checker;
    - ``add_school``: the school is appended, and its people after it;
    - ``add_mentor``: the mentor is appended, away before ``from`` and after
      ``to``;
    - ``remove_mentor``: the mentor is away from ``from`` to the end of the
      horizon (kept events before it still name the mentor);
    - ``pins``: appended to the cluster's pins; a cluster pin of the same
      event is dropped (the what-if moves a pinned event).
    """
    c = wf.changes
    origins: dict[Path_, Path_] = {}
    mentors = list(cf.mentors)
    people = list(cf.people)
    schools = list(cf.schools)
    m_index = {m.id: i for i, m in enumerate(mentors)}
    p_index = {p.id: i for i, p in enumerate(people)}
    s_index = {s.id: i for i, s in enumerate(schools)}
    for i, a in enumerate(c.away):
        entry = AwayRange.model_validate(a.model_dump(exclude={"who"}))
        if a.who in m_index:
            j = m_index[a.who]
            origins[("mentors", j, "away", len(mentors[j].away))] = (
                "changes",
                "away",
                i,
            )
            mentors[j] = mentors[j].model_copy(
                update={"away": [*mentors[j].away, entry]}
            )
        else:
            j = p_index[a.who]
            origins[("people", j, "away", len(people[j].away))] = ("changes", "away", i)
            people[j] = people[j].model_copy(update={"away": [*people[j].away, entry]})
    for i, x in enumerate(c.closed):
        j = s_index[x.school]
        entry = DateRange.model_validate(x.model_dump(exclude={"school"}))
        origins[("schools", j, "closed", len(schools[j].closed))] = (
            "changes",
            "closed",
            i,
        )
        schools[j] = schools[j].model_copy(
            update={"closed": [*schools[j].closed, entry]}
        )
    for i, lv in enumerate(c.leave):
        j = p_index[lv.who]
        p = people[j]
        first = p.present.first if p.present else cf.cluster.horizon.first
        last = min(
            lv.from_ - timedelta(days=1),
            p.present.last if p.present else cf.cluster.horizon.last,
        )
        present = DateRange.model_validate({"from": first, "to": last})
        origins[("people", j, "present")] = ("changes", "leave", i)
        people[j] = p.model_copy(update={"present": present})
    for i, p in enumerate(c.join):
        origins[("people", len(people))] = ("changes", "join", i)
        people.append(p)
    h0, h1 = cf.cluster.horizon.first, cf.cluster.horizon.last
    for i, s in enumerate(c.add_school):
        origins[("schools", len(schools))] = ("changes", "add_school", i)
        fields = s.model_fields_set - {"people"}
        schools.append(
            SchoolIn.model_construct(
                _fields_set=fields,
                **{k: getattr(s, k) for k in SchoolIn.model_fields},
            )
        )
        for j, p in enumerate(s.people):
            origins[("people", len(people))] = ("changes", "add_school", i, "people", j)
            people.append(p)
    for i, r in enumerate(c.remove_mentor):
        j = m_index[r.who]
        entry = AwayRange.model_validate(
            {"from": r.from_, "to": max(r.from_, h1), "note": r.note or "leaves"}
        )
        origins[("mentors", j, "away", len(mentors[j].away))] = (
            "changes",
            "remove_mentor",
            i,
        )
        mentors[j] = mentors[j].model_copy(update={"away": [*mentors[j].away, entry]})
    for i, m in enumerate(c.add_mentor):
        origins[("mentors", len(mentors))] = ("changes", "add_mentor", i)
        aways = list(m.away)
        if m.from_ is not None and m.from_ > h0:
            aways.append(
                AwayRange.model_validate(
                    {"from": h0, "to": m.from_ - timedelta(days=1), "note": "joins"}
                )
            )
        if m.to is not None and m.to < h1:
            aways.append(
                AwayRange.model_validate(
                    {"from": m.to + timedelta(days=1), "to": h1, "note": "has left"}
                )
            )
        fields = (m.model_fields_set - {"from_", "to"}) | {"away"}
        values = {k: getattr(m, k) for k in MentorIn.model_fields}
        values["away"] = aways
        mentors.append(MentorIn.model_construct(_fields_set=fields, **values))
    for mid, pattern in c.works.items():
        j = mentors.index(next(m for m in mentors if m.id == mid))
        m = mentors[j]
        union, aways = _works_change(
            m.works,
            pattern,
            pattern.from_ or frozen_until,
            pattern.to or h1,
            base.calendar.days,
        )
        origins[("mentors", j, "works")] = ("changes", "works", mid)
        for k in range(len(aways)):
            origins[("mentors", j, "away", len(m.away) + k)] = ("changes", "works", mid)
        mentors[j] = m.model_copy(update={"works": union, "away": [*m.away, *aways]})
    pins = list(cf.pins)
    if c.pins:
        moved = {pin_event(p, base) for p in c.pins} - {None}
        pins = [p for p in pins if pin_event(p, base) not in moved]
        for i, p in enumerate(c.pins):
            origins[("pins", len(pins))] = ("changes", "pins", i)
            pins.append(p)
    changed = cf.model_copy(
        update={
            "mentors": mentors,
            "people": people,
            "schools": schools,
            "pins": pins,
        }
    )
    return changed, origins


def pin_event(p: PinIn, base: Problem) -> str | None:
    """The owed event id a pin names (plan-format.md's ids), or None when the
    pin names no demand, person, topic or teaching day of ``base`` (the
    compiler then says what is wrong, at the pin's line)."""
    d = base.demands.get(p.demand)
    if d is None:
        return None
    if d.kind in ("meeting", "observation"):
        if p.person is None:
            return None
        if d.every is None:
            return f"{d.id}/{p.person}"
    elif d.kind == "group" and d.topics:
        return None if p.topic is None else f"{d.id}/topic-{p.topic}"
    elif d.kind == "cover" or d.every is None:
        return d.id
    week = base.calendar.week_of.get(p.date)
    if week is None:
        return None
    period = week // d.every  # type: ignore[operator]
    return f"{d.id}/{p.person}/{period}" if d.kind != "group" else f"{d.id}/{period}"


def pin_days(p: PinIn, base: Problem) -> tuple[date, date]:
    """The first and last day the event a pin names may lie on (its period, or
    the horizon): where the baseline may have planned it, so the dates the pin
    touches."""
    event = pin_event(p, base)
    owed = next((o for o in base.owed if o.id == event), None)
    if owed is None:
        return p.date, p.date
    weeks = base.calendar.weeks
    first = max(base.horizon[0], weeks[owed.weeks[0]])
    last = min(base.horizon[1], weeks[owed.weeks[1]] + timedelta(days=4))
    return min(p.date, first), max(p.date, last)


def _works_change(
    old: WeekPattern, new: WeekPattern, first: date, last: date, days: Iterable[date]
) -> tuple[WeekPattern, list[AwayRange]]:
    union: dict[str, list[Range]] = {}
    aways: list[AwayRange] = []
    for wd, name in enumerate(WEEKDAYS):
        both = _merge([*old.on(wd), *new.on(wd)])
        union[name] = both
        before = _subtract(both, _merge(old.on(wd)))
        after = _subtract(both, _merge(new.on(wd)))
        for d in days:
            if d.weekday() != wd:
                continue
            gaps = after if first <= d <= last else before
            if gaps == both and both:
                aways.append(AwayRange.model_validate({"on": d, "note": "not working"}))
                continue
            for g in gaps:
                aways.append(
                    AwayRange.model_validate(
                        {"on": d, "time": fmt_range(g), "note": "not working"}
                    )
                )
    pattern = WeekPattern.model_validate(
        {k: [fmt_range(r) for r in v] for k, v in union.items()}
    )
    return pattern, aways


def _merge(ranges: Iterable[Range]) -> list[Range]:
    out: list[list[int]] = []
    for a, b in sorted(ranges):
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def _subtract(ranges: list[Range], cut: list[Range]) -> list[Range]:
    out = []
    for a, b in ranges:
        pieces = [(a, b)]
        for c0, c1 in cut:
            pieces = [
                p
                for x, y in pieces
                for p in ((x, min(y, c0)), (max(x, c1), y))
                if p[0] < p[1]
            ]
        out += pieces
    return out


def _describe(wf: WhatIfFile, base: Problem, frozen: date) -> list[Change]:
    c = wf.changes
    h1 = base.horizon[1]
    out = []

    def name(who: str) -> str:
        x = base.mentors.get(who) or base.people.get(who)
        return f"{x.name} ({who})" if x else who

    def span(a: date, b: date) -> str:
        return str(a) if a == b else f"{a} to {b}"

    for a in c.away:
        when = span(a.first, a.last) + (f" {fmt_range(a.time)}" if a.time else "")
        out.append(
            Change("away", a.who, a.first, a.last, f"{name(a.who)} is away {when}")
        )
    for x in c.closed:
        out.append(
            Change(
                "closed",
                x.school,
                x.first,
                x.last,
                f"{x.school} is closed {span(x.first, x.last)}",
            )
        )
    for lv in c.leave:
        out.append(
            Change(
                "leave", lv.who, lv.from_, h1, f"{name(lv.who)} leaves from {lv.from_}"
            )
        )
    for p in c.join:
        first = p.present.first if p.present else base.horizon[0]
        last = p.present.last if p.present else h1
        role = p.role if p.role != "ect" else f"ECT{p.ect_year or 1}"
        out.append(
            Change(
                "join",
                p.id,
                first,
                last,
                f"{p.name} ({p.id}, {role}) joins {p.school} from {first}",
            )
        )
    for mid, pattern in c.works.items():
        days = "/".join(DAY_ABBR[d] for d in range(5) if pattern.on(d)) or "no days"
        was = "/".join(DAY_ABBR[d] for d in sorted(base.mentors[mid].works))
        first, last = pattern.from_ or frozen, pattern.to or h1
        until = f" to {last}" if pattern.to else ""
        out.append(
            Change(
                "works",
                mid,
                first,
                last,
                f"{name(mid)} works {days} from {first}{until} (was {was})",
            )
        )
    for s in c.add_school:
        who = Counter(p.role for p in s.people)
        listed = ", ".join(plural(n, r) for r, n in sorted(who.items()))
        out.append(
            Change(
                "add_school",
                s.id,
                base.horizon[0],
                h1,
                f"{s.name} ({s.id}, {s.phase}) joins the cluster"
                + (f" with {listed}" if listed else ""),
            )
        )
    for m in c.add_mentor:
        days = "/".join(DAY_ABBR[d] for d in range(5) if m.works.on(d))
        first, last = m.from_ or base.horizon[0], m.to or h1
        until = f" to {last}" if m.to else ""
        out.append(
            Change(
                "add_mentor",
                m.id,
                first,
                last,
                f"{m.name} ({m.id}) joins as an Expert Mentor, working {days}, from "
                f"{first}{until}",
            )
        )
    for r in c.remove_mentor:
        out.append(
            Change(
                "remove_mentor",
                r.who,
                r.from_,
                h1,
                f"{name(r.who)} leaves the cluster from {r.from_}",
            )
        )
    for p in c.pins:
        event = pin_event(p, base) or p.demand
        where = [f"with {p.mentor}"] if p.mentor else []
        where += [f"at {p.venue}"] if p.venue else []
        when = f"{DAY_ABBR[p.date.weekday()]} {p.date} {fmt_time(p.start)}"
        out.append(
            Change(
                "pin",
                event,
                *pin_days(p, base),
                " ".join([f"{event} pinned to {when}", *where]),
            )
        )
    return out
