"""How far the search is from the best plan on a small cluster: a relaxation
solved exactly, then repaired into a real plan.

The relaxation keeps every start of every option and forbids each pair of
starts that cannot both happen: on one mentor-day, two that overlap or leave
too little time for the trip between their schools (online ones need none);
for one person, two that overlap; for a group, a later topic in a period no
later than an earlier one's. A visit must be reachable from base after work
starts and leave time to get home. It drops the break, the daily limits, the
travel cap and the rule that a trip lies in a gap free of online events, so
its optimum (CP-SAT, the most events planned) bounds every plan. Its plan is
then repaired day by day: while a mentor-day breaks a rule (``fit_day``), its
first online event, else its last event, is dropped; what is left is placed
event by event with every hard rule checked and passed through the
independent checker.

Only for small clusters: the pairs grow with the square of the starts in a
day (2,583 starts and 107,965 pairs on an 8-school, 3-week cluster; about 29
million on the generated 24-school one).

With ``--week-bound`` it solves the relaxation week by week over every event
with an option in the week (one that could go in several weeks counts in each),
each mentor-day also held to its capacity (``daycap``), and adds up the weeks'
proven upper bounds: a bound on the events any plan places. Three more
necessary conditions are added for it: the break (an event, or a pair of
events with the trip between them, that leaves no gap for it inside its
window), an online meeting early or late in the day (the mentor is somewhere
they can reach by its start, so a visit right after it needs the trip from
there), and two schools whose round trip from base is over the travel cap.

With ``--weeks-of PLAN.json`` it compares each week of a plan with the
relaxation of that week alone (everything outside the week as the plan has it;
group sessions and covers kept; events counted by priority), which is small
enough for a region's week.

Run:  python benchmarks/pairwise.py CLUSTER.yaml [--seconds 60]
          [--weeks-of PLAN | --week-bound]
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

from ortools.sat.python import cp_model

from mentor_sched import check, load
from mentor_sched.plan import Plan, SolverInfo, Status, Unmet
from mentor_sched.problem import ONLINE
from mentor_sched.solver import _event, _tasks, _trips
from mentor_sched.solver.construct import State, fit_day
from mentor_sched.solver.daycap import capacities, shortest_from, ways_home


def relaxed(
    problem, tasks, seconds: float, *, days=None, fixed=None, weighted=False, caps=None
):
    """The relaxation's model solved: (status, events planned, bound, starts
    chosen per mentor-day as (start, end, venue, owed id)). ``days``: only
    starts on these dates; ``fixed``: owed id -> (mentor, date, venue, start)
    that event must keep; ``weighted``: count each event by its priority;
    ``caps``: mentor-day -> the most events it can hold."""
    fixed = fixed or {}
    m = cp_model.CpModel()
    day_starts = defaultdict(list)
    person_starts = defaultdict(list)
    ways = {mid: ways_home(problem, mid) for mid in problem.mentors}
    places = {a for a, _ in problem.travel} | set(problem.schools)
    # the shortest way between two places: a given time may be longer than a
    # detour, and the trip between two visits may pass by a third
    ways_from = {v: shortest_from(problem, v) for v in places}
    longest = max((t for w in ways_from.values() for t in w.values()), default=0)
    planned = []
    sessions = defaultdict(list)  # group demand -> (topic, period, start)
    for t in tasks:
        picks = []
        for o in t.options:
            if days is not None and o.date not in days:
                continue
            mentor = problem.mentors[o.mentor]
            hours = mentor.hours(o.date)
            first, last = hours[0][0], hours[-1][1]
            out, back = ways[o.mentor]
            cap = mentor.max_travel_minutes_per_day
            far = out.get(o.venue, 0) + back.get(o.venue, 0)
            if o.venue != ONLINE and cap is not None and far > cap:
                continue
            for s in o.starts:
                e = s + t.owed.minutes
                keep = fixed.get(t.owed.id)
                if keep is not None and keep != (o.mentor, o.date, o.venue, s):
                    continue
                if o.venue != ONLINE and (
                    s < first + out.get(o.venue, 0) or e > last - back.get(o.venue, 0)
                ):
                    continue
                if _no_break(mentor, [(s, e)]):
                    continue
                x = m.new_bool_var("")
                picks.append(x)
                if t.owed.topic is not None:
                    period = t.period_of.get(o.date, -1)
                    sessions[t.owed.demand].append((t.owed.topic, period, x))
                day_starts[o.mentor, o.date].append((s, e, o.venue, x, t.owed.id))
                for pid in t.owed.people:
                    if pid not in o.missed:
                        person_starts[pid, o.date].append((s, e, x, t.owed.id))
        if picks:
            must = t.fixed or t.owed.id in fixed
            m.add(sum(picks) == 1) if must else m.add(sum(picks) <= 1)
            planned.append((t.owed.priority if weighted else 1) * sum(picks))

    def trip(a, b):
        return 0 if ONLINE in (a, b) or a == b else ways_from[a][b]

    def never(x1, x2):
        m.add_bool_or([x1.Not(), x2.Not()])

    for key, starts in day_starts.items():
        starts.sort(key=lambda x: (x[0], x[1]))
        for i, (s1, e1, v1, x1, t1) in enumerate(starts):
            for s2, e2, v2, x2, t2 in starts[i + 1 :]:
                if s2 >= e1 + longest:
                    break
                if t1 != t2 and e1 + trip(v1, v2) > s2 and e2 + trip(v2, v1) > s1:
                    never(x1, x2)
        if caps is not None:
            m.add(sum(x for *_, x, _ in starts) <= caps.get(key, 0))
        _day_pairs(m, problem, key, starts, ways[key[0]], ways_from, trip)
    for starts in person_starts.values():
        starts.sort(key=lambda x: (x[0], x[1]))
        for i, (_, e1, x1, t1) in enumerate(starts):
            for s2, _, x2, t2 in starts[i + 1 :]:
                if s2 >= e1:
                    break
                if t1 != t2:
                    m.add_bool_or([x1.Not(), x2.Not()])
    # rule 7: a later topic in a later period
    for starts in sessions.values():
        for k1, p1, x1 in starts:
            for k2, p2, x2 in starts:
                if k1 < k2 and p2 <= p1:
                    m.add_bool_or([x1.Not(), x2.Not()])
    m.maximize(sum(planned))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = 2
    status = solver.solve(m)
    chosen = {
        key: sorted((s, e, v, oid) for s, e, v, x, oid in starts if solver.value(x))
        for key, starts in day_starts.items()
    }
    return (
        solver.status_name(status),
        solver.objective_value,
        solver.best_objective_bound,
        chosen,
    )


def _no_break(mentor, busy) -> bool:
    """Whether ``busy`` (sorted (start, end) periods the mentor is taken,
    trips included) leaves no gap for the break inside its window."""
    if not mentor.break_minutes or mentor.break_window is None:
        return False
    a, b = mentor.break_window
    free = a
    for s, e in [*busy, (b, b)]:
        if min(s, b) - free >= mentor.break_minutes:
            return False
        free = max(free, e)
    return True


def _day_pairs(m, problem, key, starts, ways, ways_from, trip) -> None:
    """The pairs of one mentor-day's starts that cannot both happen for the
    break, the travel cap, or an online meeting early or late in the day."""

    def never(x1, x2):
        m.add_bool_or([x1.Not(), x2.Not()])

    mid, day = key
    mentor = problem.mentors[mid]
    hours = mentor.hours(day)
    first, last = hours[0][0], hours[-1][1]
    out, back = ways
    if mentor.break_minutes and mentor.break_window:
        a, b = mentor.break_window
        early = [x for x in starts if x[0] < a + mentor.break_minutes]
        late = [x for x in starts if x[1] > b - mentor.break_minutes]
        for s1, e1, v1, x1, t1 in early:
            for s2, e2, v2, x2, t2 in late:
                if s2 < e1 or t1 == t2:
                    continue
                # the trip lies between the two, outside the break, as much of
                # it outside the window as fits there
                leg = trip(v1, v2) - max(0, a - e1) - max(0, s2 - b)
                busy = [(s1, max(e1, a) + max(0, leg)), (s2, e2)]
                if _no_break(mentor, busy):
                    never(x1, x2)
    cap = mentor.max_travel_minutes_per_day
    if cap is not None and mentor.base is not None:
        venues = sorted({v for _, _, v, _, _ in starts} - {ONLINE})
        there = {}
        for v in venues:
            there[v] = y = m.new_bool_var("")
            for _, _, w, x, _ in starts:
                if w == v:
                    m.add_implication(x, y)
        for i, v in enumerate(venues):
            for w in venues[i + 1 :]:
                there_first = out[v] + ways_from[v][w] + back[w]
                tour = min(there_first, out[w] + ways_from[w][v] + back[v])
                if tour > cap:
                    never(there[v], there[w])
    if mentor.base is None:
        return
    places = [p for p in out if p in ways_from]
    visits = [x for x in starts if x[2] != ONLINE]
    for so, eo, _, xo, to in (x for x in starts if x[2] == ONLINE):
        # where the mentor can be during the meeting: reached by its start,
        # home reachable after its end
        here = [p for p in places if first + out[p] <= so]
        stay = [p for p in places if eo + back[p] <= last]
        for s, e, v, x, t in visits:
            if t == to:
                continue
            if s >= eo and so < first + out.get(v, 0):
                need = min((ways_from[p][v] for p in here if p != v), default=0)
                if s - eo < need:
                    never(xo, x)
            if so >= e and eo > last - back.get(v, 0):
                need = min((ways_from[v][p] for p in stay if p != v), default=0)
                if so - e < need:
                    never(xo, x)


def repaired(problem, tasks, chosen) -> Plan:
    """The relaxed plan made real, day by day, then event by event."""
    by_id = {t.owed.id: t for t in tasks}
    state = State(problem)
    for key, items in sorted(chosen.items()):
        items = list(items)
        while items and fit_day(problem, *key, items) is None:
            online = [it for it in items if it[2] == ONLINE]
            items.remove(online[0] if online else items[-1])
        for s, _, v, oid in items:
            option = next(
                o
                for o in by_id[oid].options
                if (o.mentor, o.date, o.venue) == (*key, v) and s in o.starts
            )
            state.try_place(by_id[oid], option, s)
    events = [_event(problem, by_id[oid], c) for oid, c in state.choices.items()]
    trips = _trips(problem, events, state.routes(), state.legs)
    unmet = [
        Unmet(o.id, o.demand, o.people, o.period, "not placed")
        for o in problem.owed
        if o.id not in state.choices
    ]
    info = SolverInfo(Status.UNKNOWN, None, None, 0)
    return Plan(problem.name, "", info, tuple(events), tuple(trips), tuple(unmet))


def by_week(problem, tasks, plan: dict, seconds: float) -> None:
    """Each week of ``plan`` (plan.json) against the relaxation of that week:
    the events planned in other weeks stay out, group sessions and covers
    stay where they are, and the rest of the week's events and those the plan
    left unmet may go anywhere in the week. Counts are priority-weighted."""
    priority = {t.owed.id: t.owed.priority for t in tasks}
    where = {
        e["id"]: (
            e["mentor"],
            date.fromisoformat(e["date"]),
            e["venue"],
            int(e["start"][:2]) * 60 + int(e["start"][3:]),
        )
        for e in plan["events"]
        if e["mentor"]
    }
    total = [0, 0]
    for week in range(len(problem.calendar.weeks)):
        days = set(problem.calendar.days_of_week(week))
        window = [
            t
            for t in tasks
            if any(o.date in days for o in t.options)
            and (t.owed.id not in where or where[t.owed.id][1] in days)
        ]
        fixed = {
            t.owed.id: where[t.owed.id]
            for t in window
            if t.owed.id in where and t.owed.kind in ("group", "cover")
        }
        have = sum(priority[t.owed.id] for t in window if t.owed.id in where)
        status, best, _, _ = relaxed(
            problem, window, seconds, days=days, fixed=fixed, weighted=True
        )
        total[0] += have
        total[1] += best
        print(f"week {week}: plan {have}, relaxation {best:.0f} ({status})")
    print(f"all weeks: plan {total[0]}, relaxation {total[1]:.0f}")


def week_bound(problem, tasks, seconds: float) -> None:
    """The relaxation of each week, every event with an option in it free and
    each mentor-day held to its capacity; the sum of the weeks' proven bounds
    bounds the events of every plan."""
    caps = capacities(problem, tasks)
    total = [0, 0]
    for week in range(len(problem.calendar.weeks)):
        days = set(problem.calendar.days_of_week(week))
        window = [t for t in tasks if any(o.date in days for o in t.options)]
        t0 = time.monotonic()
        status, _, bound, _ = relaxed(problem, window, seconds, days=days, caps=caps)
        held = sum(c for (_, d), c in caps.items() if d in days)
        bound = min(bound, held)  # each bounds the week; a timed-out search's
        total[0] += bound  # bound may be above the capacities it was given
        total[1] += held
        print(
            f"week {week}: at most {bound:.0f} events ({status}, "
            f"{time.monotonic() - t0:.1f} s); the days' capacities {held}"
        )
    print(f"all weeks: at most {total[0]:.0f}; the days' capacities {total[1]}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("cluster")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--weeks-of", metavar="PLAN", help="a plan.json to compare")
    parser.add_argument("--week-bound", action="store_true", help="bound week by week")
    args = parser.parse_args()
    problem = load(args.cluster)
    _, _, _, tasks = _tasks(problem, None, None)
    if args.week_bound:
        week_bound(problem, tasks, args.seconds)
        return
    if args.weeks_of:
        plan = json.loads(Path(args.weeks_of).read_text(encoding="utf-8"))
        by_week(problem, tasks, plan, args.seconds)
        return
    t0 = time.monotonic()
    status, best, bound, chosen = relaxed(problem, tasks, args.seconds)
    print(
        f"relaxation {status}: {best:.0f} events (bound {bound:.0f}), "
        f"{time.monotonic() - t0:.1f} s"
    )
    plan = repaired(problem, tasks, chosen).sorted()
    broken = [v for v in check(problem, plan) if v.rule != "metrics"]
    print(
        f"repaired plan: {len(plan.events)} events, checker: "
        f"{'clean' if not broken else f'{len(broken)} violations'}"
    )
    for v in broken:
        print(f"  rule {v.rule}, {v.event}: {v.message}")


if __name__ == "__main__":
    main()
