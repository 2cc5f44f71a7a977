"""Rule 5, as the checker reads it (see ``person_attendance``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from ..plan import Event, Plan
from ..problem import ONLINE, Problem, fmt_range
from .common import clashes, when, within
from .violation import Violation


def person_attendance(problem: Problem, plan: Plan) -> Iterator[Violation]:
    """Hard (5): a person attends one event at a time and only when available; a
    meeting lies in free time, an observation in teaching time, a cover exactly at
    its slot, each at the person's school; a group's ``missed`` is exactly who
    cannot come."""
    attends: dict[str, list[Event]] = defaultdict(list)
    for e in plan.events:
        for p in e.people:
            if p not in e.missed:
                attends[p].append(e)
    for pid, events in sorted(attends.items()):
        events.sort(key=lambda e: (e.date, e.start, e.id))
        for i, e in enumerate(events):
            for f in events[:i]:
                if f.date == e.date and f.start < e.end and e.start < f.end:
                    yield Violation(
                        "5",
                        e.id,
                        f"{pid} would be in {f.id} ({when(f)}) and {e.id} "
                        f"({fmt_range((e.start, e.end))}) at once",
                    )
    for e in plan.events:
        demand = problem.demands.get(e.demand)
        if demand is None:
            continue
        span = (e.start, e.end)
        if demand.kind == "group":
            expected = {
                p
                for p in e.people
                if p in problem.people
                and (
                    e.date not in problem.people[p].available
                    or clashes(span, problem.people[p].away_times.get(e.date, ()))
                )
            }
            if set(e.missed) != expected:
                wrong = sorted(set(e.missed) - expected)
                left = sorted(expected - set(e.missed))
                parts = []
                if wrong:
                    parts.append(f"{', '.join(wrong)} can attend but are listed missed")
                if left:
                    parts.append(
                        f"{', '.join(left)} cannot attend ({e.date}) but are not "
                        "listed missed"
                    )
                yield Violation("5", e.id, f"{when(e)}: " + "; ".join(parts))
            continue
        if e.missed:
            yield Violation(
                "5",
                e.id,
                f"only group sessions list missed people, not a {demand.kind}",
            )
        for pid in e.people:
            person = problem.people.get(pid)
            if person is None:
                continue
            if e.date not in person.available:
                yield Violation(
                    "5",
                    e.id,
                    f"{pid} is not available on {e.date} (not in, not present, "
                    "away or school closed)",
                )
                continue
            for r in clashes(span, person.away_times.get(e.date, ())):
                yield Violation(
                    "5",
                    e.id,
                    f"{pid} is away {e.date} {fmt_range(r)}, during {when(e)}",
                )
            online = demand.kind == "meeting" and demand.online_ok
            if e.venue != person.school and not (online and e.venue == ONLINE):
                allowed = person.school + (" or online" if online else "")
                yield Violation(
                    "5", e.id, f"{e.id} must be at {allowed}, not at {e.venue}"
                )
            if pid != e.people[0]:
                continue  # the in-school mentor who joins: school_mentor_events
            if demand.kind == "meeting":
                ranges, what = person.free.get(e.date, ()), "free"
            elif demand.kind == "observation":
                ranges, what = person.teaching.get(e.date, ()), "teaching"
            else:
                at = (demand.at_date, demand.at_time)
                if (e.date, span) != at:
                    yield Violation(
                        "5",
                        e.id,
                        f"the cover for {pid} is {when(e)}; it must be exactly "
                        f"{demand.at_date} {fmt_range(demand.at_time)}",  # type: ignore[arg-type]
                    )
                continue
            if not within(span, ranges):
                have = ", ".join(fmt_range(r) for r in ranges) or "none"
                yield Violation(
                    "5",
                    e.id,
                    f"{when(e)} is not inside {pid}'s {what} time that day ({have})",
                )
