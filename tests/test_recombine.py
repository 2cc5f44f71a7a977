"""Recombining whole mentor-days (``solver/recombine.py``): the last share of
the search's budget on clusters of 100 to 1,000 mentor-days. Whatever it
picks must keep every hard rule and never make the plan worse, and a plan
that recombines repeats."""

from __future__ import annotations

from pathlib import Path

from mentor_sched import check, load
from mentor_sched.solver import _tasks, lns, recombine, solve
from mentor_sched.solver.construct import construct
from mentor_sched.solver.ledger import Ledger

EXAMPLE = Path(__file__).parent.parent / "scenarios" / "stour-valley" / "cluster.yaml"


def _first_fit_search():
    problem = load(EXAMPLE)
    _, _, _, tasks = _tasks(problem, None, None)
    state, _ = construct(problem, tasks, pack=False)
    by_id = {t.owed.id: t for t in tasks}
    state.watch(Ledger(problem, by_id, {}))
    search = lns.Search(problem, tasks, state, seed=0)
    search.clocked = False
    return problem, by_id, search


def test_recombining_the_first_fit_plan_makes_it_better_and_keeps_the_ledger_true():
    problem, by_id, search = _first_fit_search()
    before, unmet, planned = search.current, search.unmet, len(search.state.choices)
    assert recombine.recombine(search, 50.0, lambda: 0.0, 60.0)
    assert search.current < before - 1
    assert search.unmet <= unmet
    assert len(search.state.choices) >= planned
    # the ledger kept move by move agrees with one worked out from scratch
    fresh = Ledger(problem, by_id, {})
    st = search.state
    for oid, c in st.choices.items():
        fresh.change(by_id[oid], c, 1)
    for key in st.days:
        fresh.set_travel(key, st.travel(key))
    assert abs(fresh.total() - search.ledger.total()) < 1e-6
    # every recombined day still fits its mentor's day on its own
    for (mid, day), items in st.days.items():
        if items:
            assert lns.fit_day(problem, mid, day, items) is not None


def test_a_solve_that_recombines_passes_the_checker_and_is_never_worse(monkeypatch):
    calls = []
    real = lns.recombine

    def watched(search, *args):
        before, unmet = search.ledger.total(), search.ledger.unmet
        changed = real(search, *args)
        calls.append((changed, before, search.ledger.total()))
        assert search.ledger.total() <= before + 1e-9
        assert search.ledger.unmet <= unmet
        return changed

    monkeypatch.setattr(lns, "recombine", watched)
    monkeypatch.setattr(lns, "RECOMBINE_SHARE", 0.5)
    monkeypatch.setattr(lns, "MIN_DAYS", 0)
    problem = load(EXAMPLE)
    plan = solve(problem, time_limit=120, workers=1, work_limit=2.0, seed=0).plan
    assert calls, "the search never recombined"
    assert check(problem, plan) == []


def test_a_regional_cluster_recombines_by_default_and_repeats(monkeypatch):
    calls = []
    real = lns.recombine

    def watched(search, *args):
        before = search.ledger.total()
        changed = real(search, *args)
        calls.append((changed, before, search.ledger.total()))
        return changed

    monkeypatch.setattr(lns, "recombine", watched)
    path = EXAMPLE.parent.parent / "hub-primary" / "cluster.yaml"
    problem = load(path)
    plans = [
        solve(problem, time_limit=300, workers=1, work_limit=3.0, seed=0).plan
        for _ in range(2)
    ]
    assert len(calls) == 2, "a cluster of over 100 mentor-days recombines"
    assert any(changed and after < before for changed, before, after in calls)
    assert check(problem, plans[0]) == []
    assert plans[0].events == plans[1].events
    assert not plans[0].solver.details["cut_by_wall_clock"]
