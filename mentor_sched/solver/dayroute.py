"""The best single mentor-day: which events, in which order, at which times.

One mentor's day is a route with time windows: events at schools at times the
people allow, trips between them, a break, daily limits. Given the events that
could go on that day (those there now and unmet ones with an option there),
``best_day`` finds the most valuable route by label setting: a label is a
partial day (when the mentor is free again, where, the travel and minutes so
far, whether the break has been taken), extended event by event at the
earliest start that fits (or the series' usual start), and a label that is
later, poorer and no lighter than another at the same event is dropped. Each
trip leaves as the event before it ends, or just in time from base, as the
plan's trips do by default; ``fit_day`` checks the chosen day again.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left
from dataclasses import dataclass
from datetime import date

from ..candidates import Option
from ..problem import ONLINE, Problem
from .model import Task

LABELS_PER_EVENT = 16  # kept per event, best first: enough on measured days
# deterministic work per label made (about 1e5 labels a second)
WORK_PER_LABEL = 4e-6


@dataclass(frozen=True)
class Node:
    task: Task
    option: Option
    starts: tuple[int, ...]
    value: float  # what planning it is worth to the objective
    preferred: tuple[int, ...]  # starts worth a bonus (the usual slot)
    bonus: float
    mandatory: bool  # placed by the coordinator or rigid: must stay


@dataclass
class _Label:
    score: float
    time: int  # the mentor is free from
    loc: str | None  # where the mentor is (None: the day has not started)
    travel: int
    minutes: int
    broke: bool
    due: int  # index of the next mandatory node
    used: frozenset[str]
    path: tuple[tuple[int, int], ...]  # (node index, start)


def best_day(
    problem: Problem, mid: str, day: date, nodes: list[Node]
) -> tuple[float, list[tuple[Node, int]], int] | None:
    """The best route over ``nodes`` (score, chosen (node, start) in time order,
    labels made), or None when the mandatory nodes cannot all be kept."""
    mentor = problem.mentors[mid]
    hours = mentor.hours(day)
    if not hours:
        return None
    day_start, day_end = hours[0][0], hours[-1][1]
    wt = problem.weights.travel
    base = mentor.base
    max_travel = mentor.max_travel_minutes_per_day
    max_minutes = mentor.max_minutes_per_day
    brk = mentor.break_minutes if mentor.break_window else None
    window = mentor.break_window or (0, 0)
    mandatory = sorted(
        (i for i, n in enumerate(nodes) if n.mandatory),
        key=lambda i: nodes[i].starts[0],
    )
    ids = [n.task.owed.id for n in nodes]

    def gap_breaks(lo: int, hi: int) -> bool:
        return brk is not None and min(hi, window[1]) - max(lo, window[0]) >= brk

    def travel(a: str | None, b: str) -> int:
        if b == ONLINE or a is None or a == b:
            return 0
        return problem.travel_minutes(a, b)

    start = _Label(0.0, day_start, base, 0, 0, brk is None, 0, frozenset(), ())
    best: tuple[float, _Label] | None = None
    kept: dict[int, list[_Label]] = {i: [] for i in range(len(nodes))}
    heap: list[tuple[int, int, _Label]] = [(day_start, 0, start)]
    made = 0
    while heap:
        _, _, lab = heapq.heappop(heap)
        if lab.due == len(mandatory):
            home = travel(lab.loc, base) if base is not None and lab.path else 0
            ok = lab.time + home <= day_end and (
                max_travel is None or lab.travel + home <= max_travel
            )
            broke = lab.broke or not lab.path or gap_breaks(lab.time + home, day_end)
            if ok and broke:
                score = lab.score - wt * home
                if best is None or score > best[0]:
                    best = (score, lab)
        nxt = nodes[mandatory[lab.due]] if lab.due < len(mandatory) else None
        for j, node in enumerate(nodes):
            if ids[j] in lab.used:
                continue
            if node.mandatory and (nxt is None or j != mandatory[lab.due]):
                continue
            venue = node.option.venue
            T = travel(lab.loc, venue)
            earliest = lab.time + T
            k = bisect_left(node.starts, earliest)
            if k == len(node.starts):
                continue
            tries = {node.starts[k]}
            tries.update(s for s in node.preferred if s >= earliest)
            length = node.task.owed.minutes
            if max_minutes is not None and lab.minutes + length > max_minutes:
                continue
            if max_travel is not None and lab.travel + T > max_travel:
                continue
            loc = lab.loc if venue == ONLINE else venue
            for s in sorted(tries):
                if s not in node.starts:
                    continue
                end = s + length
                # leave room to reach the next fixed event in time
                late = nxt is not None and not node.mandatory
                if late and end + travel(loc, nxt.option.venue) > nxt.starts[0]:
                    continue
                # the first trip leaves base just in time, later ones at once:
                # the break can fall in what is left of the gap
                free = (lab.time + T, s) if lab.path else (day_start, s - T)
                broke = lab.broke or gap_breaks(*free)
                score = lab.score + node.value - wt * T
                if s in node.preferred:
                    score += node.bonus
                new = _Label(
                    score,
                    end,
                    loc,
                    lab.travel + T,
                    lab.minutes + length,
                    broke,
                    lab.due + node.mandatory,
                    lab.used | {ids[j]},
                    (*lab.path, (j, s)),
                )
                if _insert(kept[j], new):
                    made += 1
                    heapq.heappush(heap, (end, made, new))
    if best is None:
        return None
    score, lab = best
    return score, [(nodes[j], s) for j, s in lab.path], made


def clear_starts(
    starts: tuple[int, ...], length: int, busy: list[tuple[int, int]]
) -> tuple[int, ...]:
    """Hard (rule 5): the starts of an event of ``length`` minutes that
    overlap none of the ``busy`` (start, end) times."""
    return tuple(s for s in starts if all(s + length <= a or b <= s for a, b in busy))


def _insert(labels: list[_Label], new: _Label) -> bool:
    """Keep ``new`` unless a label at the same event is at least as good in every
    way; drop the ones it beats; keep the best few."""
    for old in labels:
        if (
            old.time <= new.time
            and old.score >= new.score
            and old.travel <= new.travel
            and old.minutes <= new.minutes
            and old.broke >= new.broke
            and old.due >= new.due
            and old.loc == new.loc
        ):
            return False
    labels[:] = [
        old
        for old in labels
        if not (
            new.time <= old.time
            and new.score >= old.score
            and new.travel <= old.travel
            and new.minutes <= old.minutes
            and new.broke >= old.broke
            and new.due >= old.due
            and new.loc == old.loc
        )
    ]
    labels.append(new)
    if len(labels) > LABELS_PER_EVENT:
        labels.sort(key=lambda lab: -lab.score)
        del labels[LABELS_PER_EVENT:]
        return new in labels
    return True
