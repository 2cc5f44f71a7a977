"""Cost as a business manager invoices it (issue 10, item 9; docs/metrics.md,
"Cost"): per school the cost at the agreed share, the cost of the time
delivered, and the difference; a re-plan's lost days are a loss of service."""

from __future__ import annotations

from dataclasses import replace

import pytest
from clusters import EXAMPLE
from plan_fixtures import example_plan

from mentor_sched import load
from mentor_sched.metrics import agreed_split, costs, service_lost
from mentor_sched.render.reports import school_rows


@pytest.fixture(scope="module")
def problem():
    return load(EXAMPLE)


def test_invoice_is_the_agreed_share_of_the_total(problem):
    plan = example_plan(problem)
    c = costs(problem, plan)
    assert c is not None
    # the example's shares sum to 100: each school pays exactly its share
    for sid, school in problem.schools.items():
        assert c.agreed[sid] == round(c.total * school.share / 100)
    assert sum(c.agreed.values()) == c.total
    rows = {r["school"]: r for r in school_rows(problem, plan)}
    for sid, r in rows.items():
        assert r["cost_at_share"] == c.agreed[sid] / 100
        assert r["cost"] == c.delivered[sid] / 100
        assert r["cost_difference"] == pytest.approx(
            r["cost_at_share"] - r["cost"], abs=0.005
        )


def test_shares_are_normalised_and_the_rest_split_by_time(problem):
    minutes = dict.fromkeys(problem.schools, 0.0)
    minutes.update({"sudbury-primary": 100.0, "clare-primary": 300.0})
    # shares 25/15/15/15/30 scaled by half sum to 50: normalised to 100
    halved = {sid: replace(s, share=s.share / 2) for sid, s in problem.schools.items()}
    pct = agreed_split(replace(problem, schools=halved), minutes)
    assert pct["stour-academy"] == pytest.approx(30.0)
    assert sum(pct.values()) == pytest.approx(100.0)
    # without shares for Sudbury and Clare, they split what the others leave
    # (100 - 15 - 15 - 30 = 40) by time delivered, 100:300 -> 10 and 30
    none = {
        sid: replace(s, share=None) if minutes.get(sid) else s
        for sid, s in problem.schools.items()
    }
    pct = agreed_split(replace(problem, schools=none), minutes)
    assert pct["sudbury-primary"] == pytest.approx(10.0)
    assert pct["clare-primary"] == pytest.approx(30.0)
    assert pct["stour-academy"] == pytest.approx(30.0)


def test_days_not_delivered_are_a_loss_of_service(problem):
    before = example_plan(problem)
    day = before.events[0].date
    after = replace(
        before,
        events=tuple(e for e in before.events if e.date != day),
        travel=tuple(t for t in before.travel if t.date != day),
    )
    lost = service_lost(problem, before, after)
    assert lost["days_not_delivered"] == 1
    assert lost["value_not_delivered"] == 380.0  # em-sarah's day rate
