"""How many events one mentor can hold at one school in a day, and where a
plan's unplanned events are.

For each school and teaching day: the most owed events that could be held
there one after another by one mentor (every start any option allows at that
school that day, whoever the event is for; travel, the break and the people's
other events left out, so it is a ceiling). Counted by the school's phase.
With a plan: its events per mentor-day and its unplanned events by the phase
of the school of the first person they are for.

Run:  python benchmarks/day_ceiling.py CLUSTER.yaml [plan.json]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict

from mentor_sched import load
from mentor_sched.problem import ONLINE, Problem
from mentor_sched.solver import _tasks


def most_in_a_row(spans: set[tuple[int, int]]) -> int:
    """The most of ``spans`` that do not overlap (earliest end first)."""
    n, free_from = 0, -1
    for start, end in sorted(spans, key=lambda s: (s[1], s[0])):
        if start >= free_from:
            n, free_from = n + 1, end
    return n


def ceilings(problem: Problem) -> Counter:
    """(phase, most events in a school-day) -> school-days."""
    _, _, _, tasks = _tasks(problem, None, None)
    spans: dict[tuple[str, object], set[tuple[int, int]]] = defaultdict(set)
    for t in tasks:
        if t.owed.kind not in ("meeting", "observation"):
            continue
        for o in t.options:
            if o.venue != ONLINE:
                spans[o.venue, o.date] |= {(s, s + t.owed.minutes) for s in o.starts}
    return Counter(
        (problem.schools[venue].phase, most_in_a_row(s))
        for (venue, _), s in spans.items()
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("cluster")
    ap.add_argument("plan", nargs="?")
    args = ap.parse_args()
    problem = load(args.cluster)
    print("most events one mentor can hold at one school in a day (a ceiling):")
    found = ceilings(problem)
    for phase in sorted({p for p, _ in found}):
        row = {n: k for (p, n), k in sorted(found.items()) if p == phase}
        days = sum(row.values())
        shown = ", ".join(f"{n}: {k}" for n, k in row.items())
        print(f"  {phase}: {days} school-days; by most events {{{shown}}}")
    if not args.plan:
        return
    with open(args.plan) as f:
        plan = json.load(f)
    held = Counter((e["mentor"], e["date"]) for e in plan["events"])
    per_day = Counter(held.values())
    print("plan: mentor-days by events held", dict(sorted(per_day.items())))
    school = {pid: p.school for pid, p in problem.people.items()}
    unmet = Counter(
        problem.schools[school[u["people"][0]]].phase
        for u in plan["unmet"]
        if u["people"] and u["people"][0] in school
    )
    print("plan: unplanned events by the phase of the person's school", dict(unmet))


if __name__ == "__main__":
    main()
