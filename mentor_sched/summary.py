"""What could be planned at all, from the option search: what ``mentor-sched
validate`` tells a coordinator about a loaded cluster, and why each unmet event
of a plan is unmet, broadly (the renderers take that as data: they import
neither the solver nor the option search)."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from .candidates import explain, has_option, iter_options
from .metrics import working_minutes
from .plan import Plan
from .problem import ONLINE, Problem, fmt_time
from .words import CROWDED, NO_SLOT, NOT_OWED


def unmet_categories(problem: Problem, plan: Plan) -> dict[str, str]:
    """Unmet event id -> why, broadly: ``NO_SLOT`` when it has no possible slot
    even on its own, ``CROWDED`` when other events took its slots, ``NOT_OWED``
    when the cluster owes no such event."""
    owed = {o.id: o for o in problem.owed}
    out = {}
    for u in plan.unmet:
        o = owed.get(u.id)
        if o is None:
            out[u.id] = NOT_OWED
        else:
            out[u.id] = CROWDED if has_option(problem, o) else NO_SLOT
    return out


# a visit to a school holds about 90 minutes of in-person events (a lesson
# observed and a meeting, say): the travel estimate counts one round trip from
# the nearest mentor's base per VISIT_MINUTES of in-person events at a school
VISIT_MINUTES = 90


def _place(problem: Problem, o) -> str | None:
    """Where an owed event would be held in person: a group at its first venue,
    the rest at the school of its first person; None when it may be online."""
    d = problem.demands[o.demand]
    if d.online_ok:
        return None
    if o.kind == "group" and d.venues:
        return d.venues[0]
    first = problem.people.get(o.people[0]) if o.people else None
    return first.school if first else None


def round_trip(problem: Problem, school: str) -> int:
    """Minutes from the nearest mentor's base to ``school`` and back (to the
    nearest other school and back when no mentor has a base)."""
    bases = [m.base for m in problem.mentors.values() if m.base]
    if bases:
        return min(
            problem.travel_minutes(b, school) + problem.travel_minutes(school, b)
            for b in bases
        )
    others = [s for s in problem.schools if s != school]
    if not others:
        return 0
    return 2 * min(problem.travel_minutes(school, s) for s in others)


def out_of_reach(problem: Problem, skip: set[tuple[str, str]]) -> list[dict[str, Any]]:
    """Series (or group demands) whose every possible slot is one the mentor
    cannot reach from base and leave in time to be back by the end of work:
    they will be unmet whatever else is planned (each checked once, by its
    first owed event; ``skip`` holds those with no possible slot at all)."""
    out = []
    seen: set[tuple[str, str]] = set(skip)
    for o in problem.owed:
        key = (o.demand, ",".join(o.people) if o.kind != "group" else "")
        if key in seen:
            continue
        seen.add(key)
        worst = None
        reachable = False
        for opt in iter_options(problem, o):
            mentor = problem.mentors[opt.mentor]
            hours = mentor.hours(opt.date)
            if mentor.base is None or opt.venue == ONLINE:
                reachable = True
                break
            there = problem.travel_minutes(mentor.base, opt.venue)
            back = problem.travel_minutes(opt.venue, mentor.base)
            start, end = hours[0][0], hours[-1][1]
            if any(
                s - there >= start and s + o.minutes + back <= end for s in opt.starts
            ):
                reachable = True
                break
            worst = worst or (opt, there, back, end)
        if reachable or worst is None:
            continue
        opt, there, back, end = worst
        first = opt.starts[0] + o.minutes
        out.append(
            {
                "demand": o.demand,
                "people": list(o.people) if o.kind != "group" else [],
                "mentor": opt.mentor,
                "venue": opt.venue,
                "reason": (
                    f"{opt.mentor} cannot get from base to {opt.venue} and back "
                    f"within working hours: {there} minutes there, {back} back, "
                    f"and the earliest slot ends at {fmt_time(first)} with work "
                    f"ending at {fmt_time(end)}"
                ),
            }
        )
    return out


def summarise(problem: Problem) -> dict[str, Any]:
    """Counts, calendar, owed events and a capacity pre-check, as plain data."""
    cal = problem.calendar
    roles = Counter(p.role for p in problem.people.values())
    phases = Counter(s.phase for s in problem.schools.values())
    owed_by_demand = Counter(o.demand for o in problem.owed)
    # capacity: spread each event's minutes over the weeks it may lie in
    need: dict[int, float] = defaultdict(float)
    in_person: dict[tuple[int, str], float] = defaultdict(float)
    for o in problem.owed:
        if o.host is not None:
            continue  # an in-school mentor's, not the Expert Mentors' time
        first, last = o.weeks
        place = _place(problem, o)
        for w in range(first, last + 1):
            need[w] += o.minutes / (last - first + 1)
            if place is not None:
                in_person[w, place] += o.minutes / (last - first + 1)
    trips = {s: round_trip(problem, s) for s in problem.schools}
    travel: dict[int, float] = defaultdict(float)
    for (w, place), minutes in in_person.items():
        travel[w] += minutes / VISIT_MINUTES * trips.get(place, 0)
    weeks = []
    for w, monday in enumerate(cal.weeks):
        have = sum(
            working_minutes(problem, m, d)
            for m in problem.mentors
            for d in cal.days_of_week(w)
        )
        weeks.append(
            {
                "week": w,
                "monday": monday.isoformat(),
                "owed_minutes": round(need[w]),
                "working_minutes": have,
                "load": round(need[w] / have, 2) if have else None,
                "travel_minutes_estimate": round(travel[w]),
                "load_with_travel": round((need[w] + travel[w]) / have, 2)
                if have
                else None,
            }
        )
    impossible = []
    seen: set[tuple[str, str]] = set()
    series = Counter((x.demand, x.people) for x in problem.owed)
    for o in problem.owed:
        key = (o.demand, ",".join(o.people) if o.kind != "group" else "")
        if key in seen or has_option(problem, o):
            continue
        count = series[o.demand, o.people]
        seen.add(key)
        impossible.append(
            {
                "demand": o.demand,
                "event": o.id,
                "people": list(o.people) if o.kind != "group" else [],
                "events_of_series": count,
                "reason": explain(problem, o),
            }
        )
    return {
        "cluster": problem.name,
        "schools": len(problem.schools),
        "schools_by_phase": dict(phases),
        "mentors": {
            m.id: {"name": m.name, "days": sorted(m.works)}
            for m in problem.mentors.values()
        },
        "people_by_role": {
            r: roles.get(r, 0) for r in ("trainee", "ect", "school-mentor")
        },
        "teaching_days": len(cal.days),
        "teaching_weeks": len(cal.weeks),
        "holiday_weeks": [
            {"monday": m.isoformat(), "why": why} for m, why in cal.holiday_weeks
        ],
        "owed_events": len(problem.owed),
        "owed_by_demand": dict(owed_by_demand),
        "capacity": weeks,
        "no_possible_slot": impossible,
        "out_of_reach": out_of_reach(problem, seen),
    }
