"""validate's capacity figure counts travel (issue 14): owed minutes plus an
estimate of travel, against working minutes."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from click.testing import CliRunner

from mentor_sched.cli import main
from mentor_sched.input import load
from mentor_sched.summary import VISIT_MINUTES, round_trip, summarise

EXAMPLE = Path(__file__).resolve().parent.parent / "scenarios/stour-valley/cluster.yaml"


def test_travel_estimate_adds_to_the_load():
    s = summarise(load(EXAMPLE))
    busy = [w for w in s["capacity"] if w["owed_minutes"]]
    assert all(w["travel_minutes_estimate"] > 0 for w in busy)
    assert all(w["load_with_travel"] > w["load"] for w in busy)


def test_one_school_one_event_costs_a_round_trip_per_visit():
    """Only a cover of 120 minutes at Clare (its fixed date): 120 / 90 visits of
    a round trip from Sarah's base to Clare each."""
    problem = load(EXAMPLE)
    owed = tuple(o for o in problem.owed if o.demand == "cover-grace-training")
    assert len(owed) == 1 and owed[0].minutes == 120
    s = summarise(replace(problem, owed=owed))
    week = next(w for w in s["capacity"] if w["owed_minutes"])
    trip = round_trip(problem, "clare-primary")
    assert trip > 0
    assert week["travel_minutes_estimate"] == round(120 / VISIT_MINUTES * trip)


def test_online_demands_need_no_travel():
    problem = load(EXAMPLE)
    demands = {k: replace(d, online_ok=True) for k, d in problem.demands.items()}
    s = summarise(replace(problem, demands=demands))
    assert all(w["travel_minutes_estimate"] == 0 for w in s["capacity"])


def test_validate_prints_owed_plus_travel():
    result = CliRunner().invoke(main, ["validate", str(EXAMPLE)])
    assert result.exit_code == 0
    assert "busiest week 5 (of 2027-02-01): 418 owed + ~" in result.output
    assert "travel of 1020 working minutes" in result.output
