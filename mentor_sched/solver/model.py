"""One CP-SAT model over a set of tasks (owed events) and their options.

Each task picks at most one option (mentor, date, venue) and a start time from
that option's allowed starts; the rules that concern one event at a time are
already in the options (``candidates.py``), so this model adds, rule by rule
from ``mentor_sched/rules/`` (docs/rules.md), what concerns several events:

- rule 2 ``mentor_no_overlap``: ``travel_fits`` (a circuit per mentor-day over
  its in-person options: consecutive events at different places leave the
  travel time between them, and each trip is an interval the mentor is busy
  in) and ``mentor_no_overlap`` (no two busy intervals at once);
- rule 3 ``base_trips``: the depot arcs of that circuit;
- rule 4 ``daily_limits_and_break``;
- rule 5 ``person_attendance``: a person in one event at a time;
- rule 7 ``group_sessions``: topics in order in distinct periods;
- rule 8 ``pins_hold``: a pinned task has one option and one start, and must
  be planned.

Soft goals are named penalty terms (``self.terms``: unmet, missed attendance,
travel, pattern, share, change, in person, rotate venues); the objective is
``sum(weight * term)`` over weights > 0.
"""

from __future__ import annotations

import itertools
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from ortools.sat.python import cp_model

from ..candidates import Option
from ..metrics import school_venues, venue_cap
from ..problem import ONLINE, Owed, Problem
from ..rules import (
    daily_limits_and_break,
    group_sessions,
    mentor_no_overlap,
    person_attendance,
    pins_hold,
)

Linear = cp_model.LinearExprT

# deterministic work units per second of --time-limit: one worker on the
# development machine does 0.2-1 units a second (benchmarks/RESULTS.md)
DETERMINISTIC_PER_SECOND = 0.4


@dataclass
class Task:
    owed: Owed
    options: list[Option]
    fixed: bool = False  # pinned or frozen: must be planned as its single option
    later: bool = False  # may still be planned in a later block if not here
    series: tuple[str, str] | None = None  # (demand, person) of a per-person series
    target: tuple[int, int] | None = None  # usual (weekday, start) already known
    usual: tuple[tuple[int, int], ...] = ()  # candidate usual slots otherwise
    baseline: tuple[str, date, str, int] | None = None  # (mentor, date, venue, start)
    period_of: dict[date, int] = field(default_factory=dict)  # topic groups


def movable(task: Task) -> bool:
    """A meeting or an observation nobody pinned: what the search moves."""
    return task.owed.kind in ("meeting", "observation") and not task.fixed


@dataclass
class Choice:
    option: Option
    start: int


@dataclass
class Outcome:
    status: str
    objective: int | None
    bound: int | None
    seconds: float
    choices: dict[str, Choice]  # owed id -> chosen option and start
    routes: dict[tuple[str, date], list[str]]  # in-person owed ids in visit order
    work: float = 0.0  # deterministic time used
    # departure of each trip whose time the model chose: (mentor, date) ->
    # (from owed id, to owed id) -> minute, "" standing for base
    departs: dict[tuple[str, date], dict[tuple[str, str], int]] = field(
        default_factory=dict
    )


class SubModel:
    """CP-SAT variables and constraints for one subproblem."""

    def __init__(
        self,
        problem: Problem,
        tasks: list[Task],
        *,
        share_context: tuple[dict[str, int], int] | None = None,
        fixed_trips: bool = False,
        venue_context: dict[tuple[str, str], int] | None = None,
    ) -> None:
        self.problem = problem
        self.tasks = tasks
        # trips leave as the event before them ends (or just in time from base):
        # a smaller model that still only finds valid plans
        self.fixed_trips = fixed_trips
        self.model = cp_model.CpModel()
        self.share_context = share_context or ({}, 0)
        # (demand, school) -> group sessions held there outside this model
        self.venue_context = venue_context or {}
        self.x: dict[tuple[int, int], cp_model.IntVar] = {}
        self.s: dict[tuple[int, int], Linear] = {}
        self.interval: dict[tuple[int, int], cp_model.IntervalVar] = {}
        self.unmet: dict[int, cp_model.IntVar] = {}
        self.arcs: dict[
            tuple[str, date], list[tuple[int, int, cp_model.IntVar, int]]
        ] = {}
        self.day_nodes: dict[tuple[str, date], list[tuple[int, int]]] = {}
        self.busy: dict[tuple[str, date], list[cp_model.IntervalVar]] = defaultdict(
            list
        )
        self.terms: dict[str, list[tuple[int, Linear]]] = defaultdict(list)
        self.circuits: dict[tuple[str, date], list] = {}
        self.trip_departs: dict[tuple[str, date], list] = defaultdict(list)
        self.breaks: dict[tuple[str, date], tuple] = {}
        self._variables()
        self.add_hard_rules()
        self.add_soft_goals()

    # -- variables ---------------------------------------------------------------

    def _variables(self) -> None:
        m = self.model
        for t, task in enumerate(self.tasks):
            length = task.owed.minutes
            lits = []
            for o, opt in enumerate(task.options):
                x = m.new_bool_var(f"x{t}_{o}")
                if len(opt.starts) == 1:
                    s: Linear = opt.starts[0]
                else:
                    s = m.new_int_var_from_domain(
                        cp_model.Domain.from_values(opt.starts), f"s{t}_{o}"
                    )
                iv = m.new_optional_fixed_size_interval_var(s, length, x, f"i{t}_{o}")
                self.x[t, o], self.s[t, o], self.interval[t, o] = x, s, iv
                self.busy[opt.mentor, opt.date].append(iv)
                lits.append(x)
            u = m.new_bool_var(f"u{t}")
            self.unmet[t] = u
            m.add_exactly_one([*lits, u])
            pins_hold.pins_hold(m, task.fixed, u)

    # -- hard rules ----------------------------------------------------------------

    def add_hard_rules(self) -> None:
        """The spec's hard rules that involve more than one event, rule by rule.

        Posted in this order, which the solver's results depend on: the circuit
        first, because its trips and then the break are busy intervals that the
        mentor's no-overlap must see."""
        mentor_no_overlap.travel_fits(self)  # rule 2, with rule 3's base trips
        daily_limits_and_break.daily_limits_and_break(self)  # rule 4
        mentor_no_overlap.mentor_no_overlap(self)  # rule 2
        person_attendance.person_attendance(self)  # rule 5
        group_sessions.group_sessions(self)  # rule 7

    def by_mentor_day(self) -> dict[tuple[str, date], list[tuple[int, int]]]:
        """The (task, option) pairs of each (mentor, date)."""
        out: dict[tuple[str, date], list[tuple[int, int]]] = defaultdict(list)
        for t, o in self.x:
            opt = self.tasks[t].options[o]
            out[opt.mentor, opt.date].append((t, o))
        return out

    def int_var_in(self, values: list[int]) -> cp_model.IntVar:
        """An unnamed integer variable that takes one of ``values``."""
        return self.model.new_int_var_from_domain(
            cp_model.Domain.from_values(values), ""
        )

    def travel_cuts(self, mid, day, inperson, arcs) -> None:
        """Valid lower bounds on the day's travel that the LP cannot see through the
        circuit: each place visited costs a round trip from base, each pair of places
        at least its shortest tour (shortest paths over the day's own places)."""
        m, p = self.model, self.problem
        base = p.mentors[mid].base
        visit: dict[str, cp_model.IntVar] = {}
        for t, o in inperson:
            venue = self.tasks[t].options[o].venue
            if venue == base:
                continue
            if venue not in visit:
                visit[venue] = m.new_bool_var("")
            m.add_implication(self.x[t, o], visit[venue])
        if not visit or (base is None and len(visit) < 2):
            return
        nodes = sorted(visit) + ([base] if base else [])
        sp = {(a, b): p.travel_minutes(a, b) for a in nodes for b in nodes}
        for k in nodes:
            for a in nodes:
                for b in nodes:
                    sp[a, b] = min(sp[a, b], sp[a, k] + sp[k, b])
        # one variable for the day's travel, so each cut is short (long repeated
        # sums made presolve spend a neighbourhood's whole budget)
        travel = m.new_int_var(0, sum(T for _, _, _, T in arcs), "")
        m.add(travel == sum(lit * T for _, _, lit, T in arcs))
        places = sorted(visit)
        for a in places:
            if base:
                m.add(travel >= (sp[base, a] + sp[a, base]) * visit[a])
        for i, a in enumerate(places):
            for b in places[i + 1 :]:
                if base:
                    tour = min(
                        sp[base, a] + sp[a, b] + sp[b, base],
                        sp[base, b] + sp[b, a] + sp[a, base],
                    )
                else:
                    tour = min(sp[a, b], sp[b, a])
                m.add(travel >= tour * (visit[a] + visit[b] - 1))

    def trip(
        self,
        key: tuple[str, date],
        start: Linear,
        size: int,
        lit,
        flexible: bool,
        bounds: tuple[int, int],
        arrive_by: Linear,
        ends: tuple,
    ) -> None:
        """The mentor is busy for a trip: leaving at ``start`` (the end of the
        event before, or just in time from base), or, when ``flexible``, at any
        time from then on that still arrives by ``arrive_by``."""
        m = self.model
        if flexible and bounds[0] < bounds[1]:
            slot = self.problem.slot
            depart = m.new_int_var_from_domain(
                cp_model.Domain.from_values(range(bounds[0], bounds[1] + 1, slot)), ""
            )
            if ends[0] == "":  # from base: no earlier than the start of the day
                m.add(depart + size <= arrive_by).only_enforce_if(lit)
            else:
                m.add(depart >= start).only_enforce_if(lit)
                m.add(depart + size <= arrive_by).only_enforce_if(lit)
            self.trip_departs[key].append((ends, lit, depart))
            start = depart
        iv = m.new_optional_fixed_size_interval_var(start, size, lit, "")
        self.busy[key].append(iv)

    # -- soft goals ------------------------------------------------------------------

    def add_soft_goals(self) -> None:
        self.unmet_events()
        self.missed_attendance()
        self.travel()
        self.pattern()
        self.share()
        self.change()
        self.in_person()
        self.rotate_venues()

    def unmet_events(self) -> None:
        """Soft: each owed event not planned, times its priority (half when a later
        block may still plan it, so events with no later chance come first)."""
        for t, u in self.unmet.items():
            task = self.tasks[t]
            factor = 1 if task.later else 2
            self.terms["unmet"].append((task.owed.priority * factor, u))

    def missed_attendance(self) -> None:
        """Soft: each invited person who misses a group session."""
        for (t, o), x in self.x.items():
            missed = len(self.tasks[t].options[o].missed)
            if missed:
                self.terms["missed_attendance"].append((missed, x))

    def travel(self) -> None:
        """Soft: each minute of travel, base legs included."""
        for arcs in self.arcs.values():
            for _, _, lit, T in arcs:
                self.terms["travel"].append((T, lit))

    def pattern(self) -> None:
        """Soft: each event of a per-person series off its series' usual weekday and
        start. The usual slot is chosen among the (weekday, start) pairs the
        series could use, one boolean each, so the LP sees unavoidable breaks
        (e.g. Week A/B timetables); a slot fixed by an earlier block is a target."""
        m = self.model
        series: dict[tuple[str, str], list[int]] = defaultdict(list)
        for t, task in enumerate(self.tasks):
            if task.series is not None:
                series[task.series].append(t)
        for _, ts in sorted(series.items()):
            target = self.tasks[ts[0]].target
            candidates = {target} if target else set(self.tasks[ts[0]].usual)
            if not candidates or (target is None and len(ts) < 2):
                continue
            usual: dict[tuple[int, int], cp_model.IntVar] = {}
            for t in ts:
                matches = []
                for o, opt in enumerate(self.tasks[t].options):
                    wd = opt.date.weekday()
                    for start in opt.starts:
                        if (wd, start) not in candidates:
                            continue
                        match = m.new_bool_var("")
                        m.add_implication(match, self.x[t, o])
                        if target is None:
                            if (wd, start) not in usual:
                                usual[wd, start] = m.new_bool_var("")
                            m.add_implication(match, usual[wd, start])
                        if not isinstance(self.s[t, o], int):
                            m.add(self.s[t, o] == start).only_enforce_if(match)
                        matches.append(match)
                if len(matches) > 1:
                    m.add_at_most_one(matches)
                planned = 1 - self.unmet[t]
                self.terms["pattern"].append((1, planned - sum(matches)))
            if usual:
                m.add_at_most_one(usual.values())

    def share(self) -> None:
        """Soft: each percentage point between a school's delivered share and its
        ``share``. Linearised against the block's owed minutes as the total."""
        p = self.problem
        targets = {s.id: s.share for s in p.schools.values() if s.share is not None}
        if not targets:
            return
        before, before_total = self.share_context
        contrib: dict[str, list[tuple[int, cp_model.IntVar]]] = defaultdict(list)
        owed_total = before_total
        for t, task in enumerate(self.tasks):
            n = len(task.owed.people)
            owed_total += task.owed.minutes * 100
            for o in range(len(task.options)):
                per_school: dict[str, int] = defaultdict(int)
                for pid in task.owed.people:
                    per_school[p.people[pid].school] += 1
                for sid, k in per_school.items():
                    contrib[sid].append(
                        (round(task.owed.minutes * 100 * k / n), self.x[t, o])
                    )
        if owed_total == 0:
            return
        m = self.model
        delivered = {}
        for sid, cs in sorted(contrib.items()):
            delivered[sid] = m.new_int_var(0, sum(c for c, _ in cs), f"mine_{sid}")
            m.add(delivered[sid] == sum(c * x for c, x in cs))
        total = sum(delivered.values()) + before_total
        for sid, target in sorted(targets.items()):
            mine = delivered.get(sid, 0) + before.get(sid, 0)
            share10 = round(target * 10)
            dev = self.model.new_int_var(0, 100, f"dev_{sid}")
            diff = 1000 * mine - share10 * total
            self.model.add(dev * owed_total * 10 >= diff)
            self.model.add(dev * owed_total * 10 >= -diff)
            self.terms["share"].append((1, dev))

    def change(self) -> None:
        """Soft: each event moved or dropped against the baseline plan."""
        m = self.model
        for t, task in enumerate(self.tasks):
            if task.baseline is None:
                continue
            bm, bd, bv, bs = task.baseline
            keep = []
            for o, opt in enumerate(task.options):
                if (opt.mentor, opt.date, opt.venue) == (
                    bm,
                    bd,
                    bv,
                ) and bs in opt.starts:
                    k = m.new_bool_var("")
                    m.add_implication(k, self.x[t, o])
                    m.add(self.s[t, o] == bs).only_enforce_if(k)
                    keep.append(k)
                    m.add_hint(self.x[t, o], 1)
                    if not isinstance(self.s[t, o], int):
                        m.add_hint(self.s[t, o], bs)
            self.terms["change"].append((1, 1 - sum(keep)))

    def in_person(self) -> None:
        """Soft: each group session held online when its demand names a school
        as a venue (``metrics.online_group_sessions``)."""
        for (t, o), x in self.x.items():
            task = self.tasks[t]
            if (
                task.owed.kind == "group"
                and task.options[o].venue == ONLINE
                and school_venues(self.problem, task.owed.demand)
            ):
                self.terms["in_person"].append((1, x))

    def rotate_venues(self) -> None:
        """Soft: each group session at a school beyond its demand's even spread
        (``metrics.venue_cap``), sessions outside the model included."""
        hosted: dict[tuple[str, str], list[cp_model.IntVar]] = defaultdict(list)
        for (t, o), x in self.x.items():
            task, venue = self.tasks[t], self.tasks[t].options[o].venue
            if task.owed.kind == "group" and venue in self.problem.schools:
                hosted[task.owed.demand, venue].append(x)
        caps: dict[str, int | None] = {}
        for (demand, venue), xs in sorted(hosted.items()):
            if demand not in caps:
                caps[demand] = venue_cap(self.problem, demand)
            cap = caps[demand]
            before = self.venue_context.get((demand, venue), 0)
            if cap is None or before + len(xs) <= cap:
                continue
            excess = self.model.new_int_var(0, before + len(xs), "")
            self.model.add(excess >= before + sum(xs) - cap)
            self.terms["rotate_venues"].append((1, excess))

    def hint(
        self,
        chosen: dict[int, tuple[int, int]],
        departs: dict[tuple[str, date], dict[tuple[str, str], int]],
        breaks: dict[tuple[str, date], int] | None,
    ) -> None:
        """A whole plan as the search's starting point: each task's option and
        start (``chosen``, by task index), the trips' departures and the breaks'
        starts as the plan has them; CP-SAT then starts from that plan. Each
        variable is hinted once (a task with one option may share its literal
        with its unmet flag, and CP-SAT rejects a hint naming a variable
        twice)."""
        m = _OnceHints(self.model)
        for t, task in enumerate(self.tasks):
            pick = chosen.get(t)
            for o in range(len(task.options)):
                m.add_hint(self.x[t, o], pick is not None and pick[0] == o)
                if (
                    pick is not None
                    and pick[0] == o
                    and not isinstance(self.s[t, o], int)
                ):
                    m.add_hint(self.s[t, o], pick[1])
            m.add_hint(self.unmet[t], pick is None)
        for key, circuit in self.circuits.items():
            nodes = self.day_nodes[key]
            on = sorted(
                (chosen[t][1], i)
                for i, (t, o) in enumerate(nodes, start=1)
                if t in chosen and chosen[t][0] == o
            )
            order = [0, *(i for _, i in on), 0]
            arcs = set(itertools.pairwise(order)) if on else {(0, 0)}
            for i, j, lit in circuit:
                if i == j and i != 0:
                    continue  # a node's own loop is ~x, hinted above
                if i == j:  # the depot's loop is ~used
                    m.add_hint(lit, not on)
                else:
                    m.add_hint(lit, (i, j) in arcs)
            given = departs.get(key, {})
            for (a, b), _, depart in self.trip_departs.get(key, ()):
                ka = "" if a == "" else self.tasks[a].owed.id
                kb = "" if b == "" else self.tasks[b].owed.id
                if (ka, kb) in given:
                    m.add_hint(depart, given[ka, kb])
        for key, (used, start) in self.breaks.items():
            if breaks is None:
                break  # not known: the search places the breaks
            m.add_hint(used, key in breaks)
            if key in breaks:
                m.add_hint(start, breaks[key])

    def complete_hint(self, seconds: float, seed: int) -> bool:
        """Complete the hint (x, s and unmet as ``hint`` gave them) into a whole
        plan: trips, routes and breaks solved with the hinted values fixed,
        then every variable hinted as that plan has it, so that the search
        starts from a feasible plan at once. False (the hint left as it was)
        when the hinted values admit none within ``seconds``."""
        solver = cp_model.CpSolver()
        prm = solver.parameters
        prm.fix_variables_to_their_hinted_value = True
        prm.num_workers = 1
        prm.random_seed = seed
        prm.max_time_in_seconds = seconds
        if solver.solve(self.model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return False
        m = self.model
        m.clear_hints()
        for i in range(len(m.proto.variables)):
            var = m.get_int_var_from_proto_index(i)
            m.add_hint(var, solver.value(var))
        return True

    def objective(self, weights: dict[str, int]) -> None:
        expr = []
        for name, parts in self.terms.items():
            w = weights.get(name, 0)
            if name == "unmet":
                # the factor 2 above doubles every unmet weight; halve it back
                expr += [w * c * v for c, v in parts]
                continue
            if w > 0:
                expr += [w * 2 * c * v for c, v in parts]
        self._objective = sum(expr)
        self.model.minimize(self._objective)

    # -- solving ---------------------------------------------------------------

    def solve(
        self,
        weights: dict[str, int],
        *,
        time_limit: float,
        wall_limit: float | None = None,
        search_workers: int = 1,
        seed: int = 0,
        linearization: int = 1,
        callback=None,
        persist: bool = True,
        params: dict[str, object] | None = None,
    ) -> Outcome:
        """One worker with a deterministic time limit repeats exactly (the default);
        several workers prove faster but return whichever optimum they met first."""
        self.objective(weights)
        solver = cp_model.CpSolver()
        prm = solver.parameters
        prm.random_seed = seed
        prm.num_workers = search_workers
        prm.linearization_level = linearization
        for name, value in (params or {}).items():
            setattr(prm, name, value)
        if search_workers == 1:
            prm.max_deterministic_time = time_limit * DETERMINISTIC_PER_SECOND
            prm.max_time_in_seconds = wall_limit or time_limit * 3 + 5
        else:
            prm.max_time_in_seconds = time_limit
        started = time.monotonic()
        status = solver.solve(self.model, callback)
        if status == cp_model.UNKNOWN and persist:
            # out of time before any plan: keep searching until the first one,
            # so a block's events are never lost to the clock
            prm.max_deterministic_time = max(prm.max_deterministic_time, 1e4)
            prm.max_time_in_seconds = 120.0
            prm.stop_after_first_solution = True
            status = solver.solve(self.model, callback)
        name = solver.status_name(status)
        choices: dict[str, Choice] = {}
        routes: dict[tuple[str, date], list[str]] = {}
        departs: dict[tuple[str, date], dict[tuple[str, str], int]] = {}
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            for (t, o), x in self.x.items():
                if solver.boolean_value(x):
                    task = self.tasks[t]
                    choices[task.owed.id] = Choice(
                        task.options[o], int(solver.value(self.s[t, o]))
                    )
            for key, circuit in self.circuits.items():
                nodes = self.day_nodes[key]
                nxt = {}
                for i, j, lit in circuit:
                    if i != j and solver.boolean_value(lit):
                        nxt[i] = j
                order, cur = [], nxt.get(0, 0)
                while cur != 0:
                    order.append(self.tasks[nodes[cur - 1][0]].owed.id)
                    cur = nxt[cur]
                routes[key] = order
            for key, legs in self.trip_departs.items():
                for (i, j), lit, depart in legs:
                    if solver.boolean_value(lit):
                        a = self.tasks[i].owed.id if i != "" else ""
                        b = self.tasks[j].owed.id if j != "" else ""
                        departs.setdefault(key, {})[a, b] = int(solver.value(depart))
        seconds = time.monotonic() - started
        found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        return Outcome(
            status=name,
            objective=round(solver.objective_value / 2) if found else None,
            bound=int(solver.best_objective_bound // 2) if found else None,
            seconds=seconds,
            work=solver.deterministic_time,
            choices=choices,
            routes=routes,
            departs=departs,
        )


class _OnceHints:
    """``add_hint`` that skips a variable already hinted (as itself or negated)."""

    def __init__(self, model: cp_model.CpModel) -> None:
        self.model = model
        self.seen: set[int] = set()

    def add_hint(self, var, value) -> None:
        index = var.index
        key = index if index >= 0 else -index - 1
        if key not in self.seen:
            self.seen.add(key)
            self.model.add_hint(var, value)
