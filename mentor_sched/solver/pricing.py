"""A mentor-day's best route, compiled: ``dayroute.best_day`` over arrays.

Recombination (``recombine.py``) prices every mentor-day, every round, over
every event that could go there: in Python ``best_day`` took 0.1 s a day on
the 24-school cluster, so a round of 192 days took 20 s and the regions were
out of reach. ``Router.best`` is the same label setting (the same labels, the
same dominance, the same few kept per event, the same order), compiled by
numba, and gives the same route and score as ``best_day`` (the test
``test_pricing.py`` compares them day by day).
"""

from __future__ import annotations

from datetime import date

import numpy as np
from numba import njit

from ..problem import ONLINE, Problem
from .dayroute import LABELS_PER_EVENT, Node

_NONE = -1  # no place yet (a mentor without a base), or no limit
_ONLINE = -2
# label fields, one row each in the labels' integer array
_TIME, _LOC, _TRAVEL, _MINUTES, _BROKE, _DUE, _PARENT, _NODE, _START = range(9)


class Router:
    """The cluster's places as indices and their travel minutes as a matrix,
    made once; ``best`` then routes one mentor-day."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.pairs = 0  # (label, event) pairs looked at so far: the work done
        places = sorted(
            {s for s in problem.schools}
            | {m.base for m in problem.mentors.values() if m.base is not None}
        )
        self.index = {p: i for i, p in enumerate(places)}
        self.travel = np.zeros((len(places), len(places)), dtype=np.int64)
        for a, i in self.index.items():
            for b, j in self.index.items():
                if i != j:
                    self.travel[i, j] = problem.travel_minutes(a, b)

    def _place(self, venue: str | None) -> int:
        if venue is None:
            return _NONE
        return _ONLINE if venue == ONLINE else self.index[venue]

    def best(
        self, mid: str, day: date, nodes: list[Node], most: int = LABELS_PER_EVENT
    ) -> tuple[float, list[tuple[Node, int]], int] | None:
        """``best_day(problem, mid, day, nodes)``, compiled, keeping ``most``
        labels an event (``best_day`` keeps ``LABELS_PER_EVENT``)."""
        mentor = self.problem.mentors[mid]
        hours = mentor.hours(day)
        if not hours:
            return None
        n = len(nodes)
        width = max((len(x.starts) for x in nodes), default=1)
        pwidth = max((len(x.preferred) for x in nodes), default=0) or 1
        starts = np.zeros((n, width), dtype=np.int64)
        count = np.zeros(n, dtype=np.int64)
        preferred = np.zeros((n, pwidth), dtype=np.int64)
        pcount = np.zeros(n, dtype=np.int64)
        ident: dict[str, int] = {}
        ids = np.zeros(n, dtype=np.int64)
        for j, x in enumerate(nodes):
            starts[j, : len(x.starts)] = x.starts
            count[j] = len(x.starts)
            preferred[j, : len(x.preferred)] = sorted(x.preferred)
            pcount[j] = len(x.preferred)
            ids[j] = ident.setdefault(x.task.owed.id, len(ident))
        venue = np.array([self._place(x.option.venue) for x in nodes], dtype=np.int64)
        length = np.array([x.task.owed.minutes for x in nodes], dtype=np.int64)
        value = np.array([x.value for x in nodes], dtype=np.float64)
        bonus = np.array([x.bonus for x in nodes], dtype=np.float64)
        mandatory = np.array([x.mandatory for x in nodes], dtype=np.bool_)
        fixed = [j for j in range(n) if nodes[j].mandatory]
        order = np.array(sorted(fixed, key=lambda j: nodes[j].starts[0]), np.int64)
        window = mentor.break_window or (0, 0)

        def limit(x: int | None) -> int:
            return _NONE if x is None else x

        found, score, path_nodes, path_starts, made, pairs = _route(
            venue,
            starts,
            count,
            preferred,
            pcount,
            length,
            value,
            bonus,
            mandatory,
            order,
            ids,
            self.travel,
            self._place(mentor.base),
            hours[0][0],
            hours[-1][1],
            float(self.problem.weights.travel),
            limit(mentor.max_travel_minutes_per_day),
            limit(mentor.max_minutes_per_day),
            mentor.break_minutes if mentor.break_window else _NONE,
            window[0],
            window[1],
            most,
        )
        self.pairs += int(pairs)
        if not found:
            return None
        route = [
            (nodes[j], int(s)) for j, s in zip(path_nodes, path_starts, strict=True)
        ]
        return float(score), route, int(made)


@njit(cache=True)
def _trip(travel, a, b):
    if b == _ONLINE or a in (_NONE, b):
        return 0
    return travel[a, b]


@njit(cache=True)
def _gap_breaks(brk, w0, w1, lo, hi):
    return brk != _NONE and min(hi, w1) - max(lo, w0) >= brk


@njit(cache=True)
def _has(row, count, x):
    lo, hi = 0, count
    while lo < hi:
        mid = (lo + hi) // 2
        if row[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo < count and row[lo] == x, lo


@njit(cache=True)
def _beats(ints, score, a, b):
    """Label ``a`` is at least as good as ``b`` in every way, at one place."""
    return (
        ints[a, _TIME] <= ints[b, _TIME]
        and score[a] >= score[b]
        and ints[a, _TRAVEL] <= ints[b, _TRAVEL]
        and ints[a, _MINUTES] <= ints[b, _MINUTES]
        and ints[a, _BROKE] >= ints[b, _BROKE]
        and ints[a, _DUE] >= ints[b, _DUE]
        and ints[a, _LOC] == ints[b, _LOC]
    )


@njit(cache=True)
def _beaten(ints, score, kept, kc, j, new):
    """A label kept at node ``j`` is at least as good as the row ``new``."""
    for i in range(kc[j]):  # noqa: SIM110 (numba compiles loops, not any())
        if _beats(ints, score, kept[j, i], new):
            return True
    return False


@njit(cache=True)
def _insert(kept, kc, j, ints, score, new, most):
    """``dayroute._insert`` on node ``j``'s kept labels, once no kept label
    beats ``new``: drop the ones it beats, keep the best ``most``."""
    c = 0
    for i in range(kc[j]):
        old = kept[j, i]
        if not _beats(ints, score, new, old):
            kept[j, c] = old
            c += 1
    kept[j, c] = new
    c += 1
    if c > most:
        # a stable sort, best score first, then the last one dropped
        for i in range(1, c):
            x = kept[j, i]
            k = i
            while k > 0 and score[kept[j, k - 1]] < score[x]:
                kept[j, k] = kept[j, k - 1]
                k -= 1
            kept[j, k] = x
        c = most
        kc[j] = c
        for i in range(c):  # noqa: SIM110
            if kept[j, i] == new:
                return True
        return False
    kc[j] = c
    return True


@njit(cache=True)
def _push(keys, heap, size, key, item):
    i = size
    keys[i] = key
    heap[i] = item
    while i > 0:
        up = (i - 1) // 2
        if keys[up] <= keys[i]:
            break
        keys[up], keys[i] = keys[i], keys[up]
        heap[up], heap[i] = heap[i], heap[up]
        i = up
    return size + 1


@njit(cache=True)
def _pop(keys, heap, size):
    item = heap[0]
    size -= 1
    keys[0] = keys[size]
    heap[0] = heap[size]
    i = 0
    while True:
        lo = 2 * i + 1
        if lo >= size:
            break
        if lo + 1 < size and keys[lo + 1] < keys[lo]:
            lo += 1
        if keys[i] <= keys[lo]:
            break
        keys[lo], keys[i] = keys[i], keys[lo]
        heap[lo], heap[i] = heap[i], heap[lo]
        i = lo
    return item, size


@njit(cache=True)
def _route(
    venue,
    starts,
    count,
    preferred,
    pcount,
    length,
    value,
    bonus,
    mandatory,
    order,
    ids,
    travel,
    base,
    day_start,
    day_end,
    wt,
    max_travel,
    max_minutes,
    brk,
    w0,
    w1,
    most,
):
    n = len(venue)
    m = len(order)
    cap = 1024
    ints = np.zeros((cap, 9), dtype=np.int64)
    score = np.zeros(cap, dtype=np.float64)
    words = (ids.max() >> 6) + 1 if n else 1
    used = np.zeros((cap, words), dtype=np.uint64)  # a label's events, as bits
    ints[0, _TIME] = day_start
    ints[0, _LOC] = base
    ints[0, _BROKE] = 1 if brk == _NONE else 0
    ints[0, _PARENT] = -1
    labels = 1
    kept = np.zeros((n, most + 1), dtype=np.int64)
    kc = np.zeros(n, dtype=np.int64)
    keys = np.zeros(cap, dtype=np.int64)
    heap = np.zeros(cap, dtype=np.int64)
    size = _push(keys, heap, 0, day_start << 32, 0)
    made = 0
    pairs = 0  # (label, event) pairs looked at: the work done
    best = -1
    best_score = 0.0
    while size > 0:
        lab, size = _pop(keys, heap, size)
        time = ints[lab, _TIME]
        loc = ints[lab, _LOC]
        due = ints[lab, _DUE]
        started = lab != 0
        if due == m:
            home = 0
            if base != _NONE and started:
                home = _trip(travel, loc, base)
            ok = time + home <= day_end and (
                max_travel == _NONE or ints[lab, _TRAVEL] + home <= max_travel
            )
            broke = (
                ints[lab, _BROKE] == 1
                or not started
                or _gap_breaks(brk, w0, w1, time + home, day_end)
            )
            if ok and broke:
                s = score[lab] - wt * home
                if best < 0 or s > best_score:
                    best, best_score = lab, s
        nxt = order[due] if due < m else -1
        pairs += n
        for j in range(n):
            if mandatory[j] and j != nxt:
                continue
            if (used[lab, ids[j] >> 6] >> (ids[j] & 63)) & 1:
                continue
            trip = _trip(travel, loc, venue[j])
            earliest = time + trip
            _, k = _has(starts[j], count[j], earliest)
            if k == count[j]:
                continue
            if max_minutes != _NONE and ints[lab, _MINUTES] + length[j] > max_minutes:
                continue
            if max_travel != _NONE and ints[lab, _TRAVEL] + trip > max_travel:
                continue
            here = loc if venue[j] == _ONLINE else venue[j]
            # the earliest start, then the usual ones later than it, in order
            first = starts[j, k]
            for i in range(-1, pcount[j]):
                if i < 0:
                    s = first
                else:
                    s = preferred[j, i]
                    if s <= first or (i > 0 and s == preferred[j, i - 1]):
                        continue
                    inside, _ = _has(starts[j], count[j], s)
                    if not inside:
                        continue
                end = s + length[j]
                # leave room to reach the next fixed event in time
                if (
                    nxt >= 0
                    and not mandatory[j]
                    and end + _trip(travel, here, venue[nxt]) > starts[nxt, 0]
                ):
                    continue
                if started:
                    broke = ints[lab, _BROKE] == 1 or _gap_breaks(
                        brk, w0, w1, time + trip, s
                    )
                else:
                    broke = ints[lab, _BROKE] == 1 or _gap_breaks(
                        brk, w0, w1, day_start, s - trip
                    )
                gain = score[lab] + value[j] - wt * trip
                usual, _ = _has(preferred[j], pcount[j], s)
                if usual:
                    gain += bonus[j]
                if labels == len(score):
                    grown = np.zeros((2 * labels, 9), dtype=np.int64)
                    grown[:labels] = ints
                    ints = grown
                    more = np.zeros(2 * labels, dtype=np.float64)
                    more[:labels] = score
                    score = more
                    bits = np.zeros((2 * labels, words), dtype=np.uint64)
                    bits[:labels] = used
                    used = bits
                new = labels  # a scratch row until it is kept
                score[new] = gain
                ints[new, _TIME] = end
                ints[new, _LOC] = here
                ints[new, _TRAVEL] = ints[lab, _TRAVEL] + trip
                ints[new, _MINUTES] = ints[lab, _MINUTES] + length[j]
                ints[new, _BROKE] = 1 if broke else 0
                ints[new, _DUE] = due + (1 if mandatory[j] else 0)
                ints[new, _PARENT] = lab
                ints[new, _NODE] = j
                ints[new, _START] = s
                if _beaten(ints, score, kept, kc, j, new):
                    continue
                used[new] = used[lab]
                used[new, ids[j] >> 6] |= np.uint64(1) << np.uint64(ids[j] & 63)
                labels += 1
                if _insert(kept, kc, j, ints, score, new, most):
                    made += 1
                    if size == len(heap):
                        k2 = np.zeros(2 * size, dtype=np.int64)
                        k2[:size] = keys
                        keys = k2
                        h2 = np.zeros(2 * size, dtype=np.int64)
                        h2[:size] = heap
                        heap = h2
                    size = _push(keys, heap, size, (end << 32) + made, new)
    if best < 0:
        return False, 0.0, np.zeros(0, np.int64), np.zeros(0, np.int64), made, pairs
    depth = 0
    x = best
    while x > 0:
        depth += 1
        x = ints[x, _PARENT]
    path_nodes = np.zeros(depth, dtype=np.int64)
    path_starts = np.zeros(depth, dtype=np.int64)
    x = best
    for i in range(depth - 1, -1, -1):
        path_nodes[i] = ints[x, _NODE]
        path_starts[i] = ints[x, _START]
        x = ints[x, _PARENT]
    return True, best_score, path_nodes, path_starts, made, pairs
