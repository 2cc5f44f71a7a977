"""The shipped hub-sized primary cluster (scenarios/hub-primary) uses the whole
Expert Mentor role - providers, titles, joint observations and three-way
reviews, the in-school mentor's protected time, group sessions in person and
rotated - and a short solve of it is a plan the checker passes."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from mentor_sched.check import check
from mentor_sched.input import load
from mentor_sched.metrics import provider_figures
from mentor_sched.render.reports import report_markdown
from mentor_sched.solver import solve

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
HUB = SCENARIOS / "hub-primary" / "cluster.yaml"


@pytest.fixture(scope="module")
def hub():
    problem = load(HUB)
    # a short deterministic search: the construction and a little improvement
    result = solve(problem, time_limit=120, workers=1, work_limit=0.5)
    return problem, result.plan


def test_the_hub_uses_every_part_of_the_role(hub):
    problem, _ = hub
    assert len(problem.schools) == 22
    assert {s.phase for s in problem.schools.values()} == {"primary"}
    demands = problem.demands
    assert all(d.title for d in demands.values())
    assert {d.id for d in demands.values() if d.hosted} == {
        "protected-time",
        "ect-protected-time",
    }
    assert {d.id for d in demands.values() if d.with_school_mentor} == {
        "ect-observations",
        "trainee-reviews",
    }
    providers = {p.provider for p in problem.people.values() if p.provider}
    assert providers == {
        "Ambition Institute",
        "Bedfordshire SCITT",
        "Teach First",
        "University of Bedford",
    }


def test_a_short_solve_of_the_hub_is_clean(hub):
    problem, plan = hub
    assert check(problem, plan) == []
    hosted = [e for e in plan.events if e.mentor is None]
    assert hosted and all(e.host and len(e.people) == 2 for e in hosted)
    joint = [e for e in plan.events if e.demand == "ect-observations"]
    linked = {p.id for p in problem.people.values() if p.mentor}
    assert all(len(e.people) == 2 for e in joint if e.people[0] in linked)
    assert all(len(e.people) == 1 for e in joint if e.people[0] not in linked)
    # group sessions are held at schools, spread over their host schools
    groups = Counter((e.demand, e.venue) for e in plan.events if e.kind == "group")
    assert groups and all(venue in problem.schools for _, venue in groups)
    assert plan.metrics["online_group_sessions"] == 0


def test_the_hub_report_has_a_provider_section(hub):
    problem, plan = hub
    rows = provider_figures(problem, plan)
    assert [r.provider for r in rows] == [
        "Ambition Institute",
        "Bedfordshire SCITT",
        "Teach First",
        "University of Bedford",
    ]
    text = report_markdown(problem, plan)
    assert "## Providers" in text
    assert "| Meetings | In-school mentor time | Minutes |" in text
    for r in rows:
        assert f"| {r.provider} |" in text
    # the in-school mentor's own events are counted apart from the Expert
    # Mentor's meetings, each person-event once
    learners = {p.id for p in problem.people.values() if p.role != "school-mentor"}

    def owed(hosted: bool) -> int:
        return sum(
            len(set(o.people) & learners)
            for o in problem.owed
            if o.kind == "meeting" and bool(o.host) == hosted
        )

    assert sum(r.owed["hosted"] for r in rows) == owed(True) == 320
    assert sum(r.owed["meeting"] for r in rows) == owed(False)


def test_alternatives_on_the_hub_skip_the_in_school_mentors_events(hub):
    from mentor_sched.alternatives import AlternativesError, alternatives

    problem, plan = hub
    hosted = next(e for e in plan.events if e.mentor is None)
    with pytest.raises(AlternativesError, match="held by the in-school mentor"):
        alternatives(problem, plan, hosted.id)
    joint = next(
        e for e in plan.events if e.demand == "ect-observations" and len(e.people) == 2
    )
    found = alternatives(problem, plan, joint.id, top=5)
    assert found.alternatives
    # an in-school mentor's event holds its people's time and never moves
    hosted_ids = {e.id for e in plan.events if e.mentor is None}
    for a in found.alternatives:
        assert not {m.event for m in a.moves} & hosted_ids


def test_events_csv_names_the_host_of_an_in_school_mentors_event(hub, tmp_path):
    import csv

    from mentor_sched.render.reports import EVENTS_HEADER, write_reports

    problem, plan = hub
    write_reports(problem, plan, tmp_path)
    with open(tmp_path / "events.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == [*EVENTS_HEADER, "title", "host", "host_name"]
    col = {name: i for i, name in enumerate(rows[0])}
    hosted = [r for r in rows[1:] if r[col["host"]]]
    assert len(hosted) == sum(1 for e in plan.events if e.mentor is None)
    for r in hosted:
        assert r[col["mentor"]] == "" and r[col["host_name"]]
        assert problem.people[r[col["host"]]].role == "school-mentor"
