"""The objective of a plan under construction, kept up to date move by move.

The same terms as ``objective_terms`` (unmet, missed attendance, travel,
pattern, share, continuity, in person, rotate venues, change against a
baseline), each counted as events come and go, so that a search can ask what
the whole plan costs after every move without working it out from scratch
(``total()`` costs one pass over the schools). ``objective_terms`` on the
finished plan stays the figure reported.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

from ..metrics import school_venues, venue_cap
from ..problem import ONLINE, Problem, Weights
from .model import Choice, Task

Day = tuple[str, date]


class Ledger:
    def __init__(
        self,
        problem: Problem,
        tasks: dict[str, Task],
        baseline: dict[str, tuple] | None = None,
    ) -> None:
        self.problem = problem
        self.w = problem.weights
        self.baseline = baseline or {}
        self.unmet = sum(t.owed.priority for t in tasks.values())
        self.missed = 0
        self.travel: dict[Day, int] = {}
        self.travel_total = 0
        self.series: dict[tuple[str, str], Counter] = defaultdict(Counter)
        self.pattern = 0
        self.minutes: dict[str, float] = defaultdict(float)
        self.moved = len(self.baseline)
        # school -> mentor -> one-person events (continuity)
        self.schools: dict[str, Counter] = defaultdict(Counter)
        self.continuity = 0
        self.shares = {
            sid: s.share for sid, s in problem.schools.items() if s.share is not None
        }
        # group sessions: online ones that could meet at a school (in_person);
        # (demand, school) -> sessions there, and beyond the even spread
        self.online = 0
        self.hosted: Counter[tuple[str, str]] = Counter()
        self.excess = 0
        groups = {t.owed.demand for t in tasks.values() if t.owed.kind == "group"}
        self.in_person_able = {d for d in groups if school_venues(problem, d)}
        self.caps = {
            d: cap for d in groups if (cap := venue_cap(problem, d)) is not None
        }

    def _series_cost(self, counts: Counter) -> int:
        return sum(counts.values()) - max(counts.values()) if counts else 0

    def change(self, task: Task, c: Choice, sign: int) -> None:
        """An event added (``sign`` 1) or taken out (-1)."""
        owed = task.owed
        self.unmet -= sign * owed.priority
        self.missed += sign * len(c.option.missed)
        if task.series is not None:
            counts = self.series[task.series]
            self.pattern -= self._series_cost(counts)
            counts[c.option.date.weekday(), c.start] += sign
            if counts[c.option.date.weekday(), c.start] == 0:
                del counts[c.option.date.weekday(), c.start]
            self.pattern += self._series_cost(counts)
        for pid in owed.people:
            school = self.problem.people[pid].school
            self.minutes[school] += sign * owed.minutes / len(owed.people)
        if owed.kind != "group":
            counts = self.schools[self.problem.people[owed.people[0]].school]
            self.continuity -= self._series_cost(counts)
            counts[c.option.mentor] += sign
            if counts[c.option.mentor] == 0:
                del counts[c.option.mentor]
            self.continuity += self._series_cost(counts)
        if owed.kind == "group":
            self._venue(owed.demand, c.option.venue, sign)
        b = self.baseline.get(owed.id)
        if (
            b is not None
            and (c.option.mentor, c.option.date, c.option.venue, c.start) == b
        ):
            self.moved -= sign

    def _venue(self, demand: str, venue: str, sign: int) -> None:
        """A group session of ``demand`` added at or taken from ``venue``."""
        if venue == ONLINE:
            self.online += sign * (demand in self.in_person_able)
            return
        cap = self.caps.get(demand)
        if cap is None:
            return
        n = self.hosted[demand, venue]
        self.excess += max(0, n + sign - cap) - max(0, n - cap)
        self.hosted[demand, venue] = n + sign

    def set_travel(self, key: Day, minutes: int) -> None:
        self.travel_total += minutes - self.travel.get(key, 0)
        self.travel[key] = minutes

    def share(self) -> float:
        total = sum(self.minutes.values())
        dev = 0.0
        for sid, target in self.shares.items():
            pct = self.minutes.get(sid, 0.0) / total * 100 if total else 0.0
            dev += abs(pct - target)
        return round(dev, 2)

    def terms(self, weights: Weights | None = None) -> dict[str, float]:
        """Each goal's cost, at ``weights`` (default: the search's own)."""
        w = weights or self.w
        terms = {
            "unmet": w.unmet * self.unmet,
            "missed_attendance": w.missed_attendance * self.missed,
            "travel": w.travel * self.travel_total,
            "pattern": w.pattern * self.pattern,
            "share": w.share * self.share(),
            "continuity": w.continuity * self.continuity,
            "in_person": w.in_person * self.online,
            "rotate_venues": w.rotate_venues * self.excess,
        }
        if self.baseline:
            terms["change"] = w.change * self.moved
        return terms

    def total(self, weights: Weights | None = None) -> float:
        return sum(self.terms(weights).values())
