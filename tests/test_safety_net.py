"""No invalid plan is ever written (issue 10): ``solve`` and ``whatif`` run the
independent checker before writing, a violation exits 4 with the findings and
leaves earlier outputs untouched; and ``check`` referees a what-if's re-plan.

The re-plan refereed is the shipped Deben summer what-if (its rule-7 case)."""

from __future__ import annotations

import importlib
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from clusters import dump, minimal

import mentor_sched.solver
from mentor_sched.cli import EXIT_INTERNAL, main
from mentor_sched.outputs import InvalidPlan, write_outputs
from mentor_sched.plan import Plan
from mentor_sched.solver import Result
from mentor_sched.whatif import load_whatif, whatif, write_whatif_outputs

ROOT = Path(__file__).resolve().parent.parent
DEBEN = ROOT / "scenarios" / "deben-summer"
LIMIT = 20.0


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _on_a_wednesday(plan: Plan) -> Plan:
    """The plan with its first event moved to a Wednesday 2027-01-06, when the
    tiny cluster's only mentor does not work (rule 1)."""
    first = plan.events[0]
    moved = replace(first, date=date(2027, 1, 6))
    return replace(plan, events=(moved, *plan.events[1:]))


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("tiny")
    path = tmp / "cluster.yaml"
    path.write_text(dump(minimal()), encoding="utf-8")
    out = tmp / "out"
    run = CliRunner().invoke(
        main, ["solve", str(path), "--out", str(out), "--time-limit", "5", "-q"]
    )
    assert run.exit_code == 0, run.output
    return path, out


def test_solve_never_writes_a_plan_that_breaks_a_rule(tiny, monkeypatch):
    path, out = tiny
    before = snapshot(out)
    good = Plan.read(out / "plan.json")
    broken = _on_a_wednesday(good)

    def fake_solve(problem, **kwargs):
        return Result(broken, broken.solver.status)

    monkeypatch.setattr(mentor_sched.solver, "solve", fake_solve)
    run = CliRunner().invoke(main, ["solve", str(path), "--out", str(out), "-q"])
    assert run.exit_code == EXIT_INTERNAL == 4
    assert "rule 1: meet/ect-al/" in run.stderr  # the violation, printed
    assert "internal error" in run.stderr
    assert snapshot(out) == before  # previous outputs untouched


def test_write_outputs_refuses_a_broken_plan(tiny, tmp_path):
    path, out = tiny
    from mentor_sched import load

    broken = _on_a_wednesday(Plan.read(out / "plan.json"))
    with pytest.raises(InvalidPlan) as exc:
        write_outputs(load(path), broken, tmp_path / "new")
    assert exc.value.violations[0].rule == "1"
    assert not (tmp_path / "new").exists()


@pytest.fixture(scope="module")
def deben(tmp_path_factory):
    """The Deben what-if re-planned and written, as ``mentor-sched whatif`` does."""
    wi = load_whatif(DEBEN / "kate-away-week.yaml")
    baseline = mentor_sched.solver.solve(wi.base, time_limit=LIMIT, workers=1).plan
    result = whatif(wi, baseline=baseline, time_limit=LIMIT, workers=1)
    out = tmp_path_factory.mktemp("deben") / "kate"
    write_whatif_outputs(result, out)
    return result, out


def test_check_referees_a_clean_whatif_replan(deben):
    _, out = deben
    run = CliRunner().invoke(
        main, ["check", str(DEBEN / "kate-away-week.yaml"), str(out / "plan.json")]
    )
    assert run.exit_code == 0, run.output
    assert run.stdout.startswith("clean: ")


def test_check_finds_a_hand_broken_whatif_replan(deben, tmp_path):
    """Topic 3 put back in the period of topic 2 (the bug of item 1), and an
    event after frozen_until moved into Kate's absence: both are found against
    the changed cluster; exit 1."""
    _, out = deben
    plan = Plan.read(out / "plan.json")
    topic3 = plan.event("ccf-summer/topic-3")
    assert topic3 is not None
    back = replace(topic3, date=date(2027, 5, 11), period=1)
    late = next(
        e for e in plan.events if e.mentor == "em-kate" and e.date == date(2027, 6, 8)
    )
    away = replace(late, date=date(2027, 5, 25))
    events = [back if e is topic3 else away if e is late else e for e in plan.events]
    broken = tmp_path / "plan.json"
    broken.write_text(replace(plan, events=tuple(events)).dumps(), "utf-8")
    run = CliRunner().invoke(
        main, ["check", str(DEBEN / "kate-away-week.yaml"), str(broken)]
    )
    assert run.exit_code == 1, run.output
    assert "rule 7: ccf-summer/topic-3: " in run.stdout
    assert f"rule 1: {late.id}: " in run.stdout


def test_frozen_events_are_judged_as_they_were_planned(deben):
    """A kept event dated before frozen_until that the changes would now forbid
    (Kate made away on its day, as the changed cluster says) is history, not a
    violation; the same change after frozen_until is one."""
    from mentor_sched.check import check_whatif

    result, _ = deben
    wi = result.scenario
    kate = wi.problem.mentors["em-kate"]
    early = next(
        e
        for e in result.plan.events
        if e.mentor == "em-kate" and e.date < wi.frozen_until
    )
    late = next(
        e
        for e in result.plan.events
        if e.mentor == "em-kate" and e.date > wi.frozen_until
    )
    away = replace(kate, away_days=kate.away_days | {early.date, late.date})
    changed = replace(wi.problem, mentors={**wi.problem.mentors, "em-kate": away})
    found = check_whatif(wi.base, changed, wi.frozen_until, result.plan)
    assert {v.event for v in found if v.rule == "1"} >= {late.id}
    assert not [v for v in found if v.event == early.id]


def test_whatif_never_writes_a_replan_that_breaks_a_rule(deben, monkeypatch, tmp_path):
    result, out = deben
    before = snapshot(out)
    topic3 = result.plan.event("ccf-summer/topic-3")
    back = replace(topic3, date=date(2027, 5, 11), period=1)
    events = tuple(back if e is topic3 else e for e in result.plan.events)
    bad = replace(result, plan=replace(result.plan, events=events))
    module = importlib.import_module("mentor_sched.whatif")
    monkeypatch.setattr(module, "whatif", lambda *a, **k: bad)
    run = CliRunner().invoke(
        main,
        [
            "whatif",
            str(DEBEN / "kate-away-week.yaml"),
            "--baseline",
            str(out / "plan.json"),
            "--out",
            str(out),
            "-q",
        ],
    )
    assert run.exit_code == EXIT_INTERNAL, run.output
    assert "rule 7: ccf-summer/topic-3: " in run.stderr
    assert snapshot(out) == before


def test_whatif_shows_lost_days_as_a_loss_of_service_not_a_saving(deben):
    """Issue 10, item 9: Kate's week away showed as a 'saving' of day rates."""
    result, out = deben
    lost = result.diff["metrics"]["service_lost"]
    assert lost["days_not_delivered"] >= 1
    text = result.text()
    assert "no longer delivered" in text and "loss of service" in text
    assert "saving" not in text.replace("not a saving", "")
    assert "cost (£" not in text
    assert "loss of service" in (out / "whatif.md").read_text("utf-8")
