"""``mentor-sched capacity``: "how many more could we take?" and "how few mentor
days will do?", answered by re-planning a what-if against the baseline.

Copies: a what-if that adds people (``join``) or schools (``add_school``) is
tried with k copies of what it adds (people ``<id>-1..k``, schools
``<id>-1..k`` with their people). k is feasible when every owed event of the
copies is planned and every baseline event still owed is still planned. A
bisection over 0..K finds a k that is feasible with k + 1 not (both re-planned),
in about log2(K) re-plans; each is the re-plan ``whatif`` makes (same time
limit, seed and work budget, one process), so ``whatif`` on a file with k
copies agrees with it.

Mentor days: a what-if that changes mentors' working days (``works``,
``add_mentor``) is tried with only the first d of the days it gives (in the
order written); the answer is the fewest d whose re-plan plans at least P% of
the owed events, said as mentor days a week in all.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .input import InputErrors
from .input.errors import InputError
from .input.model import WEEKDAY_NAMES, AddSchool, PersonIn, WhatIfFile
from .metrics import attributed_minutes, costs
from .plan import Plan
from .whatif import WhatIf, WhatIfResult, load_whatif, whatif

# seconds of search per re-plan unless --time-limit says otherwise: the repair
# of a small cluster ends well inside it (benchmarks/RESULTS.md)
REPLAN_SECONDS = 10.0
DEFAULT_MAX = 16


def replan_work_limit(time_limit: float) -> float:
    """The deterministic work budget of one re-plan: the solver's default for
    ``time_limit`` seconds, fixed per command so that every re-plan of a search
    (and ``whatif`` with the same options) gets the same budget."""
    from .solver.anytime import default_work_limit

    return default_work_limit(time_limit, 0)


# -- copies ---------------------------------------------------------------------


def _copy_person(p: PersonIn, i: int, renamed: set[str], school: str) -> PersonIn:
    update: dict[str, Any] = {"id": f"{p.id}-{i}", "name": f"{p.name} {i}"}
    update["school"] = school
    if p.mentor in renamed:  # an in-school mentor copied with them
        update["mentor"] = f"{p.mentor}-{i}"
    return p.model_copy(update=update)


def copies(wf: WhatIfFile, k: int) -> WhatIfFile:
    """The what-if with k copies of each person it adds (``join``) and of each
    school it adds (``add_school``, with its people) instead of one."""
    c = wf.changes
    joined = {p.id for p in c.join}
    join = [
        _copy_person(p, i, joined, p.school) for i in range(1, k + 1) for p in c.join
    ]
    schools: list[AddSchool] = []
    for s in c.add_school:
        own = {p.id for p in s.people}
        for i in range(1, k + 1):
            sid = f"{s.id}-{i}"
            people = [_copy_person(p, i, own, sid) for p in s.people]
            schools.append(
                s.model_copy(
                    update={"id": sid, "name": f"{s.name} {i}", "people": people}
                )
            )
    changes = c.model_copy(update={"join": join, "add_school": schools})
    return wf.model_copy(update={"changes": changes})


def copied_people(wf: WhatIfFile, k: int) -> set[str]:
    c = copies(wf, k).changes
    return {p.id for p in c.join} | {p.id for s in c.add_school for p in s.people}


# -- one re-plan ------------------------------------------------------------------


@dataclass
class Trial:
    """One re-plan of the search and the verdict on it."""

    n: int  # copies, or mentor days kept
    ok: bool
    owed: int
    planned: int
    added_owed: int = 0
    added_planned: int = 0
    unplanned: list[dict[str, str]] = field(default_factory=list)
    baseline_lost: list[dict[str, str]] = field(default_factory=list)
    days_a_week: int | None = None
    violations: int = 0
    result: WhatIfResult | None = None

    @property
    def coverage(self) -> float:
        return self.planned / self.owed if self.owed else 1.0

    def as_json(self) -> dict[str, Any]:
        out = {
            "n": self.n,
            "ok": self.ok,
            "owed": self.owed,
            "planned": self.planned,
            "coverage": round(self.coverage, 4),
            "added_owed": self.added_owed,
            "added_planned": self.added_planned,
            "unplanned": self.unplanned,
            "baseline_lost": self.baseline_lost,
            "violations": self.violations,
        }
        if self.days_a_week is not None:
            out["days_a_week"] = self.days_a_week
        return out


def _verdict(
    wi: WhatIf, result: WhatIfResult, baseline: Plan, added: set[str]
) -> dict[str, Any]:
    """Owed events of the added people that are not planned, and baseline events
    still owed that are no longer planned, with the re-plan's reasons."""
    plan = result.plan
    planned = {e.id for e in plan.events}
    reason = {u.id: u.reason for u in plan.unmet}
    owed = {o.id: o for o in wi.problem.owed}
    # the copies' own events: a one-person event is the first person's (an
    # in-school mentor who joins it, or holds it, is not a copy); a group
    # session counts when only copies attend it
    mine = [
        o
        for o in wi.problem.owed
        if o.people
        and (o.people[0] in added if o.kind != "group" else set(o.people) <= added)
    ]
    unplanned = [
        {"id": o.id, "reason": reason.get(o.id, "")}
        for o in mine
        if o.id not in planned
    ]
    lost = [
        {"id": e.id, "reason": reason.get(e.id, "")}
        for e in baseline.events
        if e.id in owed and e.id not in planned
    ]
    return {
        "owed": len(owed),
        "planned": len(planned),
        "added_owed": len(mine),
        "added_planned": len(mine) - len(unplanned),
        "unplanned": unplanned,
        "baseline_lost": lost,
        "violations": len(result.violations()),
    }


@dataclass
class _Replanner:
    baseline: Plan | None
    time_limit: float
    seed: int
    out_root: Path | None
    calls: int = 0

    def __call__(self, wi: WhatIf) -> WhatIfResult:
        self.calls += 1
        result = whatif(
            wi,
            baseline=self.baseline,
            time_limit=self.time_limit,
            workers=1,
            seed=self.seed,
            out_root=self.out_root,
            work_limit=replan_work_limit(self.time_limit),
        )
        self.baseline = result.baseline  # solved or read once, then reused
        return result


def _refuse(path: str | Path, message: str, hint: str) -> InputErrors:
    return InputErrors([InputError(str(path), None, None, "", message, None, hint)])


# -- the searches -----------------------------------------------------------------


def capacity(
    path: str | Path,
    *,
    max_copies: int = DEFAULT_MAX,
    baseline: Plan | None = None,
    time_limit: float = REPLAN_SECONDS,
    seed: int = 0,
    out_root: str | Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """The largest k in 0..``max_copies`` for which k copies of what the
    what-if adds are planned whole without losing a baseline event; what k + 1
    breaks and why; minutes and cost per school at k. ``progress(done,
    expected)`` after each re-plan."""
    wi = load_whatif(path)  # errors are reported against the file as written
    wf = _file_of(path)
    if not wf.changes.join and not wf.changes.add_school:
        raise _refuse(
            path,
            "capacity copies the people or schools a what-if adds, and this one "
            "adds none",
            "add a 'join' or 'add_school' change, or use --target P with a what-if "
            "that changes mentors' working days",
        )
    replan = _Replanner(
        baseline, time_limit, seed, None if out_root is None else Path(out_root)
    )
    expected = math.ceil(math.log2(max_copies + 1)) + 1
    trials: dict[int, Trial] = {}

    def trial(k: int) -> Trial:
        if k not in trials:
            wk = load_whatif(path, transform=lambda f: copies(f, k))
            result = replan(wk)
            assert replan.baseline is not None
            v = _verdict(wk, result, replan.baseline, copied_people(wf, k))
            ok = not v["unplanned"] and not v["baseline_lost"]
            trials[k] = Trial(k, ok, result=result, **v)
            if progress:
                progress(len(trials), max(expected, len(trials)))
        return trials[k]

    lo, hi = 0, max_copies + 1  # lo: feasible (0 copies: the baseline itself)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if trial(mid).ok:
            lo = mid
        else:
            hi = mid
    at_k = trial(lo)
    above = trials.get(lo + 1)
    return {
        "k": lo if at_k.ok else None,
        "max": max_copies,
        "at_least": above is None,
        "whatif": wi.title,
        "scenario": str(wi.path),
        "copies": _copy_names(wf),
        "breaks": None if above is None else above.as_json(),
        "at_k": at_k.as_json(),
        "schools": _schools_at(at_k),
        "trials": [trials[n].as_json() for n in sorted(trials)],
        "replans": replan.calls,
        "time_limit": time_limit,
        "work_limit": round(replan_work_limit(time_limit), 3),
        "seed": seed,
    }


def _file_of(path: str | Path) -> WhatIfFile:
    from .input import read_document

    _, doc = read_document(path)
    return WhatIfFile.model_validate(doc.data)


def _copy_names(wf: WhatIfFile) -> list[str]:
    c = wf.changes
    return [p.id for p in c.join] + [s.id for s in c.add_school]


def _schools_at(t: Trial) -> dict[str, Any]:
    """Minutes delivered and cost per school in the plan at k."""
    if t.result is None:
        return {}
    problem, plan = t.result.problem, t.result.plan
    minutes = attributed_minutes(problem, plan)
    money = costs(problem, plan)
    out = {}
    for sid, school in problem.schools.items():
        out[sid] = {
            "name": school.name,
            "minutes": round(minutes.get(sid, 0.0)),
            "share": school.share,
            "cost": None if money is None else money.delivered.get(sid, 0) / 100,
            "agreed": None if money is None else money.agreed.get(sid, 0) / 100,
        }
    return out


def _day_list(wf: WhatIfFile) -> list[tuple[str, str]]:
    """(mentor, weekday) of every working day the what-if gives, as written."""
    c = wf.changes
    out = []
    for mid, pattern in c.works.items():
        out += [(mid, name) for name in WEEKDAY_NAMES if getattr(pattern, name)]
    for m in c.add_mentor:
        out += [(m.id, name) for name in WEEKDAY_NAMES if getattr(m.works, name)]
    return out


def keep_days(wf: WhatIfFile, d: int) -> WhatIfFile:
    """The what-if with only the first d mentor days it gives (a mentor added
    with none left is not added)."""
    kept = set(_day_list(wf)[:d])
    c = wf.changes

    def only(mid: str, pattern: Any) -> Any:
        return pattern.model_copy(
            update={n: [] for n in WEEKDAY_NAMES if (mid, n) not in kept}
        )

    works = {mid: only(mid, p) for mid, p in c.works.items()}
    mentors = [
        m.model_copy(update={"works": only(m.id, m.works)})
        for m in c.add_mentor
        if any((m.id, n) in kept for n in WEEKDAY_NAMES)
    ]
    changes = c.model_copy(update={"works": works, "add_mentor": mentors})
    return wf.model_copy(update={"changes": changes})


def days_a_week(wi: WhatIf, wf: WhatIfFile, d: int) -> int:
    """Mentor days a week with the first d days offered: the offered days kept,
    plus the days of every mentor the what-if leaves as they were."""
    changed = set(wf.changes.works) | {r.who for r in wf.changes.remove_mentor}
    same = sum(len(m.works) for mid, m in wi.base.mentors.items() if mid not in changed)
    return same + d


def fewest_days(
    path: str | Path,
    *,
    target: float,
    baseline: Plan | None = None,
    time_limit: float = REPLAN_SECONDS,
    seed: int = 0,
    out_root: str | Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """The fewest of the mentor days a what-if gives (first d, in the order
    written) whose re-plan plans at least ``target`` % of the owed events."""
    wi = load_whatif(path)
    wf = _file_of(path)
    days = _day_list(wf)
    if not days:
        raise _refuse(
            path,
            "--target needs a what-if that gives mentors working days ('works' "
            "or 'add_mentor'), and this one gives none",
            "add a 'works' or 'add_mentor' change listing the days to try",
        )
    replan = _Replanner(
        baseline, time_limit, seed, None if out_root is None else Path(out_root)
    )
    expected = math.ceil(math.log2(len(days) + 1)) + 1
    trials: dict[int, Trial] = {}

    def trial(d: int) -> Trial:
        if d not in trials:
            wd = load_whatif(path, transform=lambda f: keep_days(f, d))
            result = replan(wd)
            assert replan.baseline is not None
            v = _verdict(wd, result, replan.baseline, set())
            t = Trial(d, False, result=result, days_a_week=days_a_week(wd, wf, d), **v)
            t.ok = t.coverage * 100 >= target - 1e-9
            trials[d] = t
            if progress:
                progress(len(trials), max(expected, len(trials)))
        return trials[d]

    lo, hi = -1, len(days)  # lo: short of the target; hi: meets it, if any does
    if trial(hi).ok:
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if trial(mid).ok:
                hi = mid
            else:
                lo = mid
    best = trials[hi] if trials[hi].ok else None
    below = trials.get(hi - 1) if best else None
    return {
        "target": target,
        "whatif": wi.title,
        "scenario": str(wi.path),
        "days_offered": [f"{m} {d}" for m, d in days],
        "days": hi if best else None,
        "days_a_week": best.days_a_week if best else None,
        "kept": [f"{m} {d}" for m, d in days[:hi]] if best else None,
        "reached": None if best is None else best.as_json(),
        "short": None if below is None else below.as_json(),
        "best_without_target": None if best else trials[len(days)].as_json(),
        "trials": [trials[n].as_json() for n in sorted(trials)],
        "replans": replan.calls,
        "time_limit": time_limit,
        "work_limit": round(replan_work_limit(time_limit), 3),
        "seed": seed,
    }


# -- text -------------------------------------------------------------------------


def _reasons(rows: list[dict[str, str]], limit: int = 8) -> list[str]:
    out = [f"      {r['id']}: {r['reason']}" for r in rows[:limit]]
    if len(rows) > limit:
        out.append(f"      ... and {len(rows) - limit} more (--json lists them all)")
    return out


def capacity_text(r: dict[str, Any]) -> str:
    """The answer of ``capacity`` for the terminal."""
    names = ", ".join(r["copies"])
    out = [f"Capacity: {r['whatif']}", f"  copies     of {names}, as <id>-1..k"]
    k = r["k"]
    a = r["at_k"]
    if k is None:
        out.append(
            "  k          none: even without copies the re-plan loses baseline "
            "events (the what-if's other changes)"
        )
        out += _reasons(a["baseline_lost"])
    else:
        more = " (the most tried: raise --max to look further)" if r["at_least"] else ""
        out.append(
            f"  k          {k}{more}: every owed event of the copies "
            f"({a['added_planned']} of {a['added_owed']}) and every baseline event "
            "is planned"
        )
    b = r["breaks"]
    if b is not None:
        out.append(
            f"  k+1 = {b['n']:<3}  breaks: {len(b['unplanned'])} owed event(s) of the "
            f"copies unplanned, {len(b['baseline_lost'])} baseline event(s) lost"
        )
        out += _reasons(b["unplanned"] + b["baseline_lost"])
    if r["schools"]:
        out.append(f"  at k = {k if k is not None else 0}")
        rows = []
        for sid, s in r["schools"].items():
            share = "-" if s["share"] is None else f"{s['share']:g}%"
            cost = "-" if s["cost"] is None else f"£{s['cost']:,.2f}"
            rows.append([sid, str(s["minutes"]), share, cost])
        from .render.terminal import table

        grid = table(rows, ["school", "minutes", "share", "cost (day rates)"])
        out += ["    " + line for line in grid.splitlines()]
    out.append(
        f"  re-plans   {r['replans']} (bisection over 0..{r['max']}), "
        f"{r['time_limit']:g} s each, seed {r['seed']}"
    )
    return "\n".join(out)


def fewest_days_text(r: dict[str, Any]) -> str:
    out = [
        f"Mentor days: {r['whatif']}",
        f"  target     plan at least {r['target']:g}% of owed events",
        f"  offered    {len(r['days_offered'])} day(s): {', '.join(r['days_offered'])}",
    ]
    if r["days"] is None:
        b = r["best_without_target"]
        out.append(
            f"  answer     not reached: with every day offered the re-plan plans "
            f"{b['planned']} of {b['owed']} ({b['coverage']:.1%})"
        )
    else:
        got = r["reached"]
        out.append(
            f"  answer     {r['days']} of the days offered "
            f"({', '.join(r['kept']) or 'none'}): {r['days_a_week']} mentor days a "
            f"week in all; plans {got['planned']} of {got['owed']} "
            f"({got['coverage']:.1%})"
        )
        s = r["short"]
        if s is not None:
            out.append(
                f"  one fewer  plans {s['planned']} of {s['owed']} "
                f"({s['coverage']:.1%})"
            )
    out.append(
        f"  re-plans   {r['replans']}, {r['time_limit']:g} s each, seed {r['seed']}"
    )
    return "\n".join(out)
