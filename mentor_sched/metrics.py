"""Plan figures and cost as docs/metrics.md defines them (solver-free): every
output (plan.json's metrics, reports, timetable, terminal, what-if) takes them
from here, so each figure has one formula."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .plan import Event, Plan, Unmet
from .problem import ONLINE, Problem


def attributed_minutes(problem: Problem, plan: Plan) -> dict[str, float]:
    """Event minutes split equally among the invited, counted for their schools:
    Expert Mentor time, so not the events in-school mentors hold (``host``)."""
    out: dict[str, float] = {sid: 0.0 for sid in problem.schools}
    for e in plan.events:
        if e.mentor is None:
            continue
        share = (e.end - e.start) / len(e.people)
        for pid in e.people:
            out[problem.people[pid].school] += share
    return out


def delivered_pct(minutes: dict[str, float]) -> dict[str, float]:
    """Each school's attributed minutes as a percentage of all attributed minutes
    (0 when nothing is planned): its delivered share, unrounded."""
    total = sum(minutes.values())
    return {s: m / total * 100 if total else 0.0 for s, m in minutes.items()}


def event_schools(problem: Problem, event: Event | Unmet) -> list[str]:
    """Schools of the invited people, in the order the people are listed."""
    out: list[str] = []
    for pid in event.people:
        person = problem.people.get(pid)
        if person is not None and person.school not in out:
            out.append(person.school)
    return out


def events_by_school(
    problem: Problem, events: Iterable[Event | Unmet]
) -> dict[str, int]:
    """Per school (every school listed), the events that invite someone from it:
    a group session with three schools counts once for each."""
    out = dict.fromkeys(problem.schools, 0)
    for e in events:
        for s in event_schools(problem, e):
            out[s] = out.get(s, 0) + 1
    return out


def event_minutes_by_mentor(problem: Problem, plan: Plan) -> dict[str, int]:
    """Sum of event lengths per mentor (every mentor listed)."""
    out = dict.fromkeys(problem.mentors, 0)
    for e in plan.events:
        if e.mentor is not None:
            out[e.mentor] += e.end - e.start
    return out


def travel_minutes_by_mentor(problem: Problem, plan: Plan) -> dict[str, int]:
    """Sum of trip minutes per mentor (every mentor listed)."""
    out = dict.fromkeys(problem.mentors, 0)
    for t in plan.travel:
        out[t.mentor] += t.minutes
    return out


def working_minutes(problem: Problem, mentor: str, day: date) -> int:
    """Minutes ``mentor`` works on ``day``: their hours less their absences."""
    m = problem.mentors[mentor]
    hours = m.hours(day)
    total = sum(b - a for a, b in hours)
    for a, b in m.away_times.get(day, ()):
        total -= sum(max(0, min(b, y) - max(a, x)) for x, y in hours)
    return max(total, 0)


def working_minutes_by_mentor(problem: Problem) -> dict[str, int]:
    """``working_minutes`` over every teaching day, per mentor."""
    days = problem.calendar.days
    return {
        mid: sum(working_minutes(problem, mid, d) for d in days)
        for mid in problem.mentors
    }


def utilisation_pct(event: int, travel: int, working: int) -> float | None:
    """(event + travel minutes) / working minutes x 100; None without working
    minutes."""
    return (event + travel) / working * 100 if working else None


def pattern_breaks(plan: Plan, problem: Problem) -> int:
    """Events of per-person series away from their series' most common slot."""
    series: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for e in plan.events:
        d = problem.demands[e.demand]
        if e.kind in ("meeting", "observation") and d.every is not None:
            series[e.demand, e.people[0]].append((e.date.weekday(), e.start))
    breaks = 0
    for slots in series.values():
        counts = Counter(slots)
        best = max(counts.values())
        usual = min(k for k, n in counts.items() if n == best)
        breaks += len(slots) - counts[usual]
    return breaks


def continuity_breaks(plan: Plan, problem: Problem) -> int:
    """Events of one person (meetings, observations, covers; a three-way event
    counts for its person) not with their school's most frequent Expert
    Mentor; events the in-school mentor holds have none."""
    by_school: dict[str, Counter] = defaultdict(Counter)
    for e in plan.events:
        if e.kind != "group" and e.people and e.mentor is not None:
            by_school[problem.people[e.people[0]].school][e.mentor] += 1
    return sum(sum(c.values()) - max(c.values()) for c in by_school.values())


def school_venues(problem: Problem, demand: str) -> tuple[str, ...]:
    """The in-person venues (schools) of a group demand, in its order."""
    d = problem.demands.get(demand)
    if d is None or d.kind != "group":
        return ()
    return tuple(dict.fromkeys(v for v in d.venues if v in problem.schools))


def online_group_sessions(plan: Plan, problem: Problem) -> int:
    """Group sessions held online although their demand names at least one
    school as a venue (the ``in_person`` goal counts each)."""
    return sum(
        1
        for e in plan.events
        if e.kind == "group" and e.venue == ONLINE and school_venues(problem, e.demand)
    )


def venue_cap(problem: Problem, demand: str) -> int | None:
    """The most sessions of a group demand one school should host under an even
    spread: its owed sessions over its school venues, rounded up; None for a
    demand with fewer than two school venues (nothing to rotate)."""
    schools = school_venues(problem, demand)
    if len(schools) < 2:
        return None
    owed = sum(1 for o in problem.owed if o.demand == demand)
    return -(-owed // len(schools))


def venue_excess(plan: Plan, problem: Problem) -> int:
    """Sessions of group demands held at a school beyond ``venue_cap`` (the
    ``rotate_venues`` goal counts each): 8 sessions over 2 schools may be 4
    and 4 at no cost; 6 and 2 is 2, all 8 at one school 4."""
    count: Counter[tuple[str, str]] = Counter(
        (e.demand, e.venue)
        for e in plan.events
        if e.kind == "group" and e.venue in problem.schools
    )
    excess = 0
    for (demand, _), n in count.items():
        cap = venue_cap(problem, demand)
        if cap is not None:
            excess += max(0, n - cap)
    return excess


PROVIDER_KINDS = ("group", "observation", "meeting")
# the in-school mentor's own events (``host: school-mentor``) are counted
# apart from the Expert Mentor's meetings and observations
HOSTED = "hosted"


def provider_kinds(problem: Problem) -> tuple[str, ...]:
    """The kinds the provider figures count: sessions, observations and
    meetings, and the in-school mentor's own events when some demand is
    hosted."""
    hosted = any(d.hosted for d in problem.demands.values())
    return (*PROVIDER_KINDS, HOSTED) if hosted else PROVIDER_KINDS


@dataclass(frozen=True)
class ProviderFigures:
    """What one provider's trainees and ECTs received against what was owed
    (``provider_figures``)."""

    provider: str | None  # None: the trainees and ECTs without a provider
    people: int
    received: dict[str, int]  # kind -> person-events planned and attended
    owed: dict[str, int]  # kind -> person-events owed
    minutes_received: int
    minutes_owed: int


def provider_figures(problem: Problem, plan: Plan) -> list[ProviderFigures]:
    """Per provider (by name, then "no provider" when some trainees or ECTs have
    none), over group sessions, observations and meetings: each owed event
    counts once for each of its invited people of that provider, and is
    received by those of them who attend it as planned (a group session's
    ``missed`` did not); the in-school mentor's own events (``hosted``) are
    counted apart from the Expert Mentor's. Minutes likewise (both). Empty
    when nobody has a provider."""
    people = {
        pid: p.provider
        for pid, p in problem.people.items()
        if p.role in ("trainee", "ect")
    }
    if not any(people.values()):
        return []
    keys: list[str | None] = sorted({v for v in people.values() if v})
    if None in people.values():
        keys.append(None)
    kinds = provider_kinds(problem)
    got = {k: dict.fromkeys(kinds, 0) for k in keys}
    owed = {k: dict.fromkeys(kinds, 0) for k in keys}
    got_min = dict.fromkeys(keys, 0)
    owed_min = dict.fromkeys(keys, 0)
    planned = {e.id: e for e in plan.events}
    week_of = problem.calendar.week_of
    for o in problem.owed:
        if o.kind in PROVIDER_KINDS:
            kind = HOSTED if o.host else o.kind
            e = planned.get(o.id)
            # a group session is owed to those on the roll in its week (as
            # planned; else in the weeks it may lie in): not before a trainee
            # starts or after they leave
            weeks = (week_of[e.date],) * 2 if e and e.date in week_of else o.weeks
            for pid in o.people:
                if pid in people and (o.kind != "group" or problem.on_roll(pid, weeks)):
                    owed[people[pid]][kind] += 1
                    owed_min[people[pid]] += o.minutes
    for e in plan.events:
        if e.kind in PROVIDER_KINDS:
            kind = HOSTED if e.host else e.kind
            for pid in e.people:
                if pid in people and pid not in e.missed:
                    got[people[pid]][kind] += 1
                    got_min[people[pid]] += e.end - e.start
    count = Counter(people.values())
    return [
        ProviderFigures(k, count[k], got[k], owed[k], got_min[k], owed_min[k])
        for k in keys
    ]


def compute_metrics(problem: Problem, plan: Plan) -> dict[str, Any]:
    owed = len(problem.owed)
    minutes = attributed_minutes(problem, plan)
    delivered = delivered_pct(minutes)
    share_by_school = {}
    deviation = 0.0
    for sid, school in problem.schools.items():
        if school.share is None:
            continue
        pct = delivered[sid]
        dev = abs(pct - school.share)
        deviation += dev
        share_by_school[sid] = {
            "target": school.share,
            "delivered": round(pct, 2),
            "deviation": round(dev, 2),
        }
    travel = travel_minutes_by_mentor(problem, plan)
    busy = event_minutes_by_mentor(problem, plan)
    return {
        "owed": owed,
        "planned": len(plan.events),
        "unmet": len(plan.unmet),
        "coverage": round(len(plan.events) / owed, 4) if owed else 1.0,
        "missed_attendance": sum(len(e.missed) for e in plan.events),
        "travel_minutes": sum(travel.values()),
        "travel_minutes_by_mentor": travel,
        "event_minutes_by_mentor": busy,
        "pattern_breaks": pattern_breaks(plan, problem),
        "continuity_breaks": continuity_breaks(plan, problem),
        "online_group_sessions": online_group_sessions(plan, problem),
        "venue_excess": venue_excess(plan, problem),
        "minutes_by_school": {k: round(v, 2) for k, v in minutes.items()},
        "share_by_school": share_by_school,
        "share_deviation": round(deviation, 2),
    }


def days_worked(plan: Plan, mentor: str) -> list[date]:
    """Dates with any event or trip of ``mentor``, sorted: the days charged."""
    days = {e.date for e in plan.events if e.mentor == mentor}
    days |= {t.date for t in plan.travel if t.mentor == mentor}
    return sorted(days)


def pennies(shares: dict[str, float], total: int) -> dict[str, int]:
    """Round ``shares`` (pounds) to pennies summing to ``total`` pennies (largest
    remainder, ties by key)."""
    exact = {k: v * 100 for k, v in shares.items()}
    out = {k: math.floor(v) for k, v in exact.items()}
    left = total - sum(out.values())
    by_remainder = sorted(exact, key=lambda k: (-(exact[k] - out[k]), k))
    for k in by_remainder[: max(left, 0)]:
        out[k] += 1
    return out


@dataclass(frozen=True)
class Costs:
    """docs/metrics.md, "Cost": in pennies, so that parts add up exactly."""

    total: int  # every day rate charged
    delivered: dict[str, int]  # school -> cost of the time delivered to it
    unattributed: int  # charged days with travel but no event
    agreed_pct: dict[str, float]  # school -> its part of the cost, agreed split
    agreed: dict[str, int]  # school -> share x total: the invoice figure
    days: dict[str, int]  # mentor -> days charged (rated or not)
    by_mentor: dict[str, int] = field(default_factory=dict)  # rated: rate x days

    def difference(self, school: str) -> int:
        """Invoice minus the cost of the time delivered (positive: the school
        pays for more than it received)."""
        return self.agreed.get(school, 0) - self.delivered.get(school, 0)


def agreed_split(problem: Problem, minutes: dict[str, float]) -> dict[str, float]:
    """Each school's percentage of the cost under the cost-sharing agreement:
    its ``share``; schools without one split what the shares leave by time
    delivered; shares are scaled to 100 when nobody else takes the rest."""
    given = {s: x.share for s, x in problem.schools.items() if x.share is not None}
    rest = [s for s in problem.schools if s not in given]
    rest_minutes = sum(minutes.get(s, 0.0) for s in rest)
    out = dict.fromkeys(problem.schools, 0.0)
    total_share = sum(given.values())
    if rest and rest_minutes > 0:
        left = max(0.0, 100.0 - total_share)
        out.update(given)
        for s in rest:
            out[s] = left * minutes.get(s, 0.0) / rest_minutes
    elif total_share > 0:
        out.update({s: v * 100.0 / total_share for s, v in given.items()})
    else:  # no shares and no time: nobody is charged by agreement
        whole = sum(minutes.values())
        if whole:
            out.update({s: m * 100.0 / whole for s, m in minutes.items()})
    return out


def costs(problem: Problem, plan: Plan) -> Costs | None:
    """The cost of the plan (docs/metrics.md, "Cost"); None when no mentor has a
    ``day_rate``."""
    if not any(m.day_rate is not None for m in problem.mentors.values()):
        return None
    exact = dict.fromkeys(problem.schools, 0.0)
    unattributed = 0.0
    total = 0.0
    days: dict[str, int] = {}
    by_mentor: dict[str, int] = {}
    for mid, mentor in problem.mentors.items():
        worked = days_worked(plan, mid)
        days[mid] = len(worked)
        rate = mentor.day_rate
        if rate is not None:
            by_mentor[mid] = round(rate * len(worked) * 100)
        if not rate:
            continue
        for day in worked:
            total += rate
            minutes: dict[str, float] = defaultdict(float)
            for e in plan.events:
                if e.mentor == mid and e.date == day:
                    for pid in e.people:
                        minutes[problem.people[pid].school] += (e.end - e.start) / len(
                            e.people
                        )
            day_total = sum(minutes.values())
            if not day_total:  # only travel that day: nobody to charge
                unattributed += rate
                continue
            for school, m in minutes.items():
                exact[school] += rate * m / day_total
    total_p = round(total * 100)
    unattributed_p = round(unattributed * 100)
    pct = agreed_split(problem, attributed_minutes(problem, plan))
    agreed = pennies({s: total * p / 100 for s, p in pct.items()}, total_p)
    return Costs(
        total=total_p,
        delivered=pennies(exact, total_p - unattributed_p),
        unattributed=unattributed_p,
        agreed_pct=pct,
        agreed=agreed if any(pct.values()) else dict.fromkeys(problem.schools, 0),
        days=days,
        by_mentor=by_mentor,
    )


def service_lost(problem: Problem, before: Plan, after: Plan) -> dict[str, Any]:
    """What a re-plan no longer delivers: mentor-days worked in ``before`` and
    not in ``after``, and their value at day rates. A loss of service to the
    schools (they pay by agreement either way), never a saving."""
    lost_days = 0
    value = 0.0
    gained_days = 0
    for mid, mentor in problem.mentors.items():
        b, a = set(days_worked(before, mid)), set(days_worked(after, mid))
        lost_days += len(b - a)
        gained_days += len(a - b)
        value += (mentor.day_rate or 0) * len(b - a)
    return {
        "days_before": sum(len(days_worked(before, m)) for m in problem.mentors),
        "days_after": sum(len(days_worked(after, m)) for m in problem.mentors),
        "days_not_delivered": lost_days,
        "days_added": gained_days,
        "value_not_delivered": round(value, 2),
    }
