"""What moved between a baseline and its re-plan, and why: the diff as data."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..metrics import compute_metrics, costs, service_lost
from ..plan import Event, Plan
from ..problem import Problem, fmt_time
from ..words import DAY_ABBR, week_number

if TYPE_CHECKING:  # the solver imports ortools: only when re-planning
    pass


from .changes import Change
from .scenario import WhatIf

if TYPE_CHECKING:
    from .replan import WhatIfResult


DIFF_FORMAT = "mentor-sched/whatif-diff@1"


# -- the diff -------------------------------------------------------------------------


def _slot(problem: Problem, e: Event) -> dict[str, Any]:
    week = problem.calendar.week_of.get(e.date)
    return {
        "date": e.date.isoformat(),
        "day": DAY_ABBR[e.date.weekday()],
        "week": None if week is None else week_number(week),
        "start": fmt_time(e.start),
        "end": fmt_time(e.end),
        "venue": e.venue,
        "mentor": e.mentor,
        **({"host": e.host} if e.host else {}),
    }


def _schools(
    problems: Iterable[Problem], people: Iterable[str], venue: str | None
) -> list[str]:
    out: list[str] = []
    problems = list(problems)
    for pid in people:
        for p in problems:
            if pid in p.people:
                if p.people[pid].school not in out:
                    out.append(p.people[pid].school)
                break
    if (
        venue
        and venue != "online"
        and venue not in out
        and any(venue in p.schools for p in problems)
    ):
        out.append(venue)
    return out


def _when(problem: Problem, e: Event) -> str:
    week = problem.calendar.week_of.get(e.date)
    shown = "" if week is None else f" (week {week_number(week)})"
    return f"{DAY_ABBR[e.date.weekday()]} {e.date} {fmt_time(e.start)}{shown}"


def compute_diff(wi: WhatIf, baseline: Plan, plan: Plan) -> dict[str, Any]:
    """What changed between the baseline and the re-plan, per event, school and
    mentor, with the change in every metric."""
    base_p, new_p = wi.base, wi.problem
    frozen = wi.frozen_until
    old_ev = {e.id: e for e in baseline.events}
    new_ev = {e.id: e for e in plan.events}
    old_un = {u.id: u for u in baseline.unmet}
    new_un = {u.id: u for u in plan.unmet}
    owed_by_id = {o.id: o for o in new_p.owed}
    owed_now = set(owed_by_id)
    moved, cancelled, added, added_unmet = [], [], [], []
    unchanged = 0
    for oid, b in sorted(old_ev.items(), key=lambda kv: kv[1].sort_key()):
        e = new_ev.get(oid)
        if e is not None:
            if (e.date, e.start, e.mentor, e.venue) == (
                b.date,
                b.start,
                b.mentor,
                b.venue,
            ):
                unchanged += 1
            else:
                moved.append((b, e))
            continue
        if oid in new_un:
            reason = new_un[oid].reason
            owed = owed_by_id.get(oid)
            if owed and new_p.calendar.weeks[owed.weeks[0]] < frozen:
                reason += (
                    f" (the part of its period before {frozen} is frozen: "
                    "it has happened)"
                )
        elif oid not in owed_now:
            reason = "no longer owed: " + _not_owed_reason(wi, b.people)
        else:  # pragma: no cover - the solver accounts for every owed event
            reason = "not in the re-plan"
        cancelled.append((b, reason))
    for oid, e in sorted(new_ev.items(), key=lambda kv: kv[1].sort_key()):
        if oid not in old_ev:
            why = (
                "planned now; unmet in the baseline"
                if oid in old_un
                else "newly owed: " + _owed_reason(wi, e.demand, e.people)
            )
            added.append((e, why))
    for oid, u in sorted(new_un.items()):
        if oid not in old_ev and oid not in old_un:
            added_unmet.append(u)
    still_unmet = sum(1 for oid in new_un if oid in old_un)
    no_longer_unmet = sorted(oid for oid in old_un if oid not in owed_now)

    changed_ids = (
        {b.id for b, _ in moved}
        | {b.id for b, _ in cancelled}
        | {e.id for e, _ in added}
    )
    moved_items = []
    for b, e in moved:
        direct = _direct(wi, b)
        why = direct or _ripple_reason(wi, baseline, plan, b, e, changed_ids)
        moved_items.append(
            {
                "id": b.id,
                "demand": b.demand,
                "kind": b.kind,
                "people": list(b.people),
                "schools": _schools((new_p, base_p), b.people, None),
                "mentors": sorted({m for m in (b.mentor, e.mentor) if m}),
                "from": _slot(base_p, b),
                "to": _slot(new_p, e),
                "ripple": direct is None,
                "why": why,
            }
        )
    cancelled_items = [
        {
            "id": b.id,
            "demand": b.demand,
            "kind": b.kind,
            "people": list(b.people),
            "schools": _schools((new_p, base_p), b.people, None),
            "mentors": [b.mentor] if b.mentor else [],
            "was": _slot(base_p, b),
            "reason": reason,
        }
        for b, reason in cancelled
    ]
    added_items = [
        {
            "id": e.id,
            "demand": e.demand,
            "kind": e.kind,
            "people": list(e.people),
            "schools": _schools((new_p,), e.people, None),
            "mentors": [e.mentor] if e.mentor else [],
            "to": _slot(new_p, e),
            "why": why,
        }
        for e, why in added
    ]
    added_unmet_items = [
        {
            "id": u.id,
            "demand": u.demand,
            "people": list(u.people),
            "schools": _schools((new_p,), u.people, None),
            "period": u.period,
            "reason": u.reason,
        }
        for u in added_unmet
    ]
    before = compute_metrics(base_p, baseline)
    after = compute_metrics(new_p, plan)
    metrics = _metric_changes(base_p, new_p, baseline, plan, before, after)
    by_school = _by_school(
        new_p,
        moved_items,
        cancelled_items,
        added_items,
        added_unmet_items,
        base_p,
        old_ev,
        plan,
        before,
        after,
    )
    by_mentor = _by_mentor(
        new_p, moved_items, cancelled_items, added_items, old_ev, plan, before, after
    )
    frozen_ok = all(new_ev.get(b.id) == b for b in baseline.events if b.date < frozen)
    return {
        "format": DIFF_FORMAT,
        "whatif": wi.title,
        "scenario": str(wi.path),
        "base": str(wi.base_path),
        "frozen_until": frozen.isoformat(),
        "changes": [c.text for c in wi.changes],
        "notes": list(wi.notes),
        "solver": {
            "status": str(plan.solver.status),
            "seconds": round(plan.solver.seconds, 2),
            "objective": plan.solver.objective,
        },
        "summary": {
            "owed": len(new_p.owed),
            "baseline_events": len(baseline.events),
            "unchanged": unchanged,
            "moved": len(moved_items),
            "moved_outside_changes": sum(1 for m in moved_items if m["ripple"]),
            "cancelled": len(cancelled_items),
            "added": len(added_items),
            "added_unmet": len(added_unmet_items),
            "still_unmet": still_unmet,
            "unmet_no_longer_owed": len(no_longer_unmet),
            "frozen_kept": frozen_ok,
        },
        "metrics": metrics,
        "moved": moved_items,
        "cancelled": cancelled_items,
        "added": added_items,
        "added_unmet": added_unmet_items,
        "by_school": by_school,
        "by_mentor": by_mentor,
    }


def _not_owed_reason(wi: WhatIf, people: Iterable[str]) -> str:
    people = set(people)
    for c in wi.changes:
        if c.kind == "leave" and c.subject in people:
            return c.text
    if wi.notes:
        return wi.notes[0]
    return (
        "the changes end the need for it ("
        + "; ".join(c.text for c in wi.changes)
        + ")"
    )


def _owed_reason(wi: WhatIf, demand: str, people: Iterable[str]) -> str:
    people = set(people)
    d = wi.problem.demands[demand]
    for c in wi.changes:
        if c.kind == "join" and c.subject in people:
            return c.text
        if c.kind == "add_school" and any(
            wi.problem.people[p].school == c.subject
            for p in people
            if p in wi.problem.people
        ):
            return c.text
        if d.when_mentor_away and c.kind == "away":
            mentees = {
                p.id for p in wi.problem.people.values() if p.mentor == c.subject
            }
            if mentees & people:
                return f"absence cover, as {c.text}"
    return "; ".join(c.text for c in wi.changes) or "the changed cluster owes it"


def _touches(wi: WhatIf, c: Change, e: Event) -> bool:
    """Whether change ``c`` bears on event ``e`` directly."""
    problem = wi.base
    if c.kind in ("away", "works", "remove_mentor"):
        return c.subject == e.mentor or c.subject in e.people
    if c.kind == "closed":
        schools = {problem.people[p].school for p in e.people if p in problem.people}
        return c.subject == e.venue or c.subject in schools
    if c.kind == "leave":
        return c.subject in e.people
    if c.kind == "pin":
        return c.subject == e.id
    return False


def _direct(wi: WhatIf, b: Event) -> str | None:
    """The change that forced the move of baseline event ``b``, as a sentence."""
    for c in wi.changes:
        if c.kind == "pin" and _touches(wi, c, b):
            return f"the what-if pins it: {c.text}"
        if c.first <= b.date <= c.last and _touches(wi, c, b):
            return f"its slot is inside the change: {c.text}"
    return None


def _hosted_reason(
    b: Event, plan: Plan, old: dict[str, Event], changed: set[str]
) -> str:
    """Why an event the in-school mentor holds moved: the Expert Mentors' plan
    is made first, and it is placed around every event of its two people."""
    for x in plan.events:
        if (
            x.id != b.id
            and x.date == b.date
            and x.start < b.end
            and b.start < x.end
            and set(x.people) & set(b.people)
        ):
            how = "moved there" if x.id in old else "added"
            return (
                f"its slot {DAY_ABBR[b.date.weekday()]} {b.date} "
                f"{fmt_time(b.start)} now overlaps {x.id} ({how}), which "
                f"{' and '.join(p for p in b.people if p in x.people)} attends"
            )
    moved = sorted(x for x in changed if x != b.id)
    return (
        "the in-school mentor's events are placed after the Expert Mentors' plan, "
        "around every event of their people"
        + (f"; {', '.join(moved[:2])} moved" if moved else "")
    )


def _shown(week: int | None) -> str:
    return "?" if week is None else str(week_number(week))


def _ripple_reason(
    wi: WhatIf, baseline: Plan, plan: Plan, b: Event, e: Event, changed: set[str]
) -> str:
    """Why an event outside the changed dates moved: a sentence."""
    base_p, new_p = wi.base, wi.problem
    wb, we = base_p.calendar.week_of.get(b.date), new_p.calendar.week_of.get(e.date)
    # 1. group topics go in order: an earlier topic moved
    if b.topic is not None and "/topic-" in b.id:
        n = int(b.id.rsplit("-", 1)[1])
        prev = f"{b.demand}/topic-{n - 1}"
        if n > 1 and prev in changed:
            return (
                f"{b.id} moved from week {_shown(wb)} to week {_shown(we)} because "
                f"topic {n - 1} moved (topics go in order, one per period)"
            )
    old = {x.id: x for x in baseline.events}
    new = {x.id: x for x in plan.events}
    if b.mentor is None:  # held by the in-school mentor, placed after the rest
        return _hosted_reason(b, plan, old, changed)
    # 2. its old slot is now taken by an event that moved or was added there
    for x in plan.events:
        if (
            x.id != b.id
            and x.id in changed
            and x.mentor == b.mentor
            and x.date == b.date
            and x.start < b.end
            and b.start < x.end
        ):
            how = "moved" if x.id in old else "added"
            return (
                f"its slot {_when(base_p, b)} is now taken by {x.id}, {how} there "
                f"(from {_when(base_p, old[x.id])})"
                if x.id in old
                else f"its slot {_when(base_p, b)} is now taken by {x.id}, "
                f"{how} by the changes"
            )
    # 3. it moved into a slot a moved or cancelled event left free
    for x in baseline.events:
        if (
            x.id != b.id
            and x.id in changed
            and x.mentor == e.mentor
            and x.date == e.date
            and x.start < e.end
            and e.start < x.end
        ):
            what = "moved away" if x.id in new else "was cancelled"
            return (
                f"it took the slot {x.id} left free ({what}), closer to the rest "
                "of the plan"
            )
    # 4. the day it was on, or moved to, changed
    for day, mentor in ((b.date, b.mentor), (e.date, e.mentor)):
        others = sorted(
            x
            for x in changed
            if x != b.id
            and (
                (x in old and old[x].date == day and old[x].mentor == mentor)
                or (x in new and new[x].date == day and new[x].mentor == mentor)
            )
        )
        if others:
            return (
                f"{mentor}'s route on {DAY_ABBR[day.weekday()]} {day} changed "
                f"({', '.join(others[:3])}{' and more' if len(others) > 3 else ''} "
                "moved, cancelled or added), and this keeps travel and breaks "
                "within limits"
            )
    # 5. same series: it follows the series' usual slot
    d = new_p.demands.get(b.demand)
    if d is not None and b.kind in ("meeting", "observation") and d.every is not None:
        slots = Counter(
            (x.date.weekday(), x.start)
            for x in plan.events
            if x.demand == b.demand and x.people == b.people
        )
        usual = max(slots.items(), key=lambda kv: (kv[1], -kv[0][0], -kv[0][1]))[0]
        if (e.date.weekday(), e.start) == usual and (
            b.date.weekday(),
            b.start,
        ) != usual:
            return (
                f"it now keeps the series' usual {DAY_ABBR[usual[0]]} "
                f"{fmt_time(usual[1])} slot, which the changes made the commonest"
            )
    # 6. same period as a forced change of the same series
    series = [x for x in changed if x.startswith(f"{b.demand}/") and x != b.id]
    if series:
        return (
            f"other events of {b.demand} moved ({', '.join(sorted(series)[:2])}), and "
            "keeping the series' rhythm and the shares balanced was worth the move"
        )
    return (
        "re-planned once the changes were applied: moving it saves more travel, "
        "pattern breaks or share imbalance than the move costs"
    )


def _metric_changes(
    base_p: Problem,
    new_p: Problem,
    baseline: Plan,
    plan: Plan,
    before: dict[str, Any],
    after: dict[str, Any],
) -> dict[str, Any]:
    # day-rate money is service delivered to the schools, who pay their agreed
    # shares whatever happens: fewer days is a loss of service, never a saving
    cost_b, cost_a = costs(base_p, baseline), costs(new_p, plan)
    lost = service_lost(new_p, baseline, plan)

    def pair(a: Any, b: Any) -> dict[str, Any]:
        delta = None if a is None or b is None else round(b - a, 4)
        return {"before": a, "after": b, "change": delta}

    out = {
        name: pair(before[name], after[name])
        for name in (
            "owed",
            "planned",
            "unmet",
            "coverage",
            "travel_minutes",
            "missed_attendance",
            "pattern_breaks",
            "share_deviation",
        )
    }
    out["days_delivered"] = pair(lost["days_before"], lost["days_after"])
    out["service_delivered"] = pair(
        None if cost_b is None else cost_b.total / 100,
        None if cost_a is None else cost_a.total / 100,
    )
    out["service_lost"] = {
        "days_not_delivered": lost["days_not_delivered"],
        "days_added": lost["days_added"],
        "value_not_delivered": lost["value_not_delivered"]
        if cost_a is not None
        else None,
    }
    out["objective"] = pair(baseline.solver.objective, plan.solver.objective)
    return out


def _by_school(
    problem: Problem,
    moved: list[dict[str, Any]],
    cancelled: list[dict[str, Any]],
    added: list[dict[str, Any]],
    added_unmet: list[dict[str, Any]],
    base_p: Problem,
    baseline: dict[str, Event],
    plan: Plan,
    before: dict[str, Any],
    after: dict[str, Any],
) -> dict[str, Any]:
    out = {}
    for sid, s in problem.schools.items():
        share_b = before["share_by_school"].get(sid, {})
        share_a = after["share_by_school"].get(sid, {})
        out[sid] = {
            "name": s.name,
            "moved": [m["id"] for m in moved if sid in m["schools"]],
            "cancelled": [m["id"] for m in cancelled if sid in m["schools"]],
            "added": [m["id"] for m in added if sid in m["schools"]],
            "added_unmet": [m["id"] for m in added_unmet if sid in m["schools"]],
            "unchanged": sum(
                1
                for e in plan.events
                if sid in _schools((problem, base_p), e.people, None)
                and (b := baseline.get(e.id)) is not None
                and (b.date, b.start, b.mentor, b.venue)
                == (e.date, e.start, e.mentor, e.venue)
            ),
            "minutes": {
                "before": before["minutes_by_school"].get(sid, 0.0),
                "after": after["minutes_by_school"].get(sid, 0.0),
            },
            "share": s.share,
            "delivered_pct": {
                "before": share_b.get("delivered"),
                "after": share_a.get("delivered"),
            },
            "deviation": {
                "before": share_b.get("deviation"),
                "after": share_a.get("deviation"),
            },
        }
    return out


def _by_mentor(
    problem: Problem,
    moved: list[dict[str, Any]],
    cancelled: list[dict[str, Any]],
    added: list[dict[str, Any]],
    baseline: dict[str, Event],
    plan: Plan,
    before: dict[str, Any],
    after: dict[str, Any],
) -> dict[str, Any]:
    out = {}
    for mid, m in problem.mentors.items():
        days_b = len({e.date for e in baseline.values() if e.mentor == mid})
        days_a = len({e.date for e in plan.events if e.mentor == mid})
        out[mid] = {
            "name": m.name,
            "moved": [x["id"] for x in moved if mid in x["mentors"]],
            "cancelled": [x["id"] for x in cancelled if mid in x["mentors"]],
            "added": [x["id"] for x in added if mid in x["mentors"]],
            "unchanged": sum(
                1
                for e in plan.events
                if e.mentor == mid
                and (b := baseline.get(e.id)) is not None
                and (b.date, b.start, b.mentor, b.venue)
                == (e.date, e.start, e.mentor, e.venue)
            ),
            "travel_minutes": {
                "before": before["travel_minutes_by_mentor"].get(mid, 0),
                "after": after["travel_minutes_by_mentor"].get(mid, 0),
            },
            "event_minutes": {
                "before": before["event_minutes_by_mentor"].get(mid, 0),
                "after": after["event_minutes_by_mentor"].get(mid, 0),
            },
            "days_with_events": {"before": days_b, "after": days_a},
        }
    return out


def comparison_table(results: list[WhatIfResult]) -> list[dict[str, Any]]:
    """One row per scenario: what a planner weighs when choosing a mitigation."""
    rows = []
    for r in results:
        d = r.diff
        m = d["metrics"]
        rows.append(
            {
                "scenario": str(r.scenario.path),
                "whatif": r.scenario.title,
                "coverage": m["coverage"]["after"],
                "unmet": m["unmet"]["after"],
                "moved": d["summary"]["moved"],
                "cancelled": d["summary"]["cancelled"],
                "added": d["summary"]["added"],
                "travel_minutes": m["travel_minutes"]["after"],
                "travel_change": m["travel_minutes"]["change"],
                "days_not_delivered": m["service_lost"]["days_not_delivered"],
                "service_lost": m["service_lost"]["value_not_delivered"],
                "objective": m["objective"]["after"],
            }
        )
    return rows
