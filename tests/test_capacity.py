"""capacity (issue 14): the k it finds is confirmed by re-planning what-if
files written out with k and k + 1 copies, each judged by the checker."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from mentor_sched.capacity import capacity, replan_work_limit
from mentor_sched.cli import main
from mentor_sched.plan import Plan
from mentor_sched.solver import solve
from mentor_sched.whatif import load_whatif, whatif

ROOT = Path(__file__).resolve().parent.parent
SV = ROOT / "scenarios" / "stour-valley"
SCENARIO = SV / "more-ects-clare.yaml"
LIMIT = 3.0  # each repair of the example ends well inside it


@pytest.fixture(scope="module")
def baseline() -> Plan:
    wi = load_whatif(SV / "no-change.yaml")
    return solve(wi.base, time_limit=5, workers=1, seed=0).plan


def _copies_file(tmp_path: Path, k: int) -> Path:
    """The shipped scenario with its one ECT written out k times, by hand."""
    text = SCENARIO.read_text(encoding="utf-8")
    head, person = text.split("  join:\n")
    person, tail = person.split("frozen_until:")
    entries = "".join(
        person.replace("id: ect-new", f"id: ect-new-{i}").replace(
            "name: New ECT", f"name: New ECT {i}"
        )
        for i in range(1, k + 1)
    )
    path = tmp_path / f"copies-{k}.yaml"
    (tmp_path / "cluster.yaml").write_bytes((SV / "cluster.yaml").read_bytes())
    path.write_text(
        head
        + ("  join:\n" + entries if k else "  join: []\n")
        + "frozen_until:"
        + tail,
        encoding="utf-8",
    )
    return path


def _all_fit(path: Path, baseline: Plan) -> tuple[bool, int]:
    """(every owed event of the copies and every baseline event planned,
    checker violations), from the same re-plan as ``whatif``."""
    r = whatif(
        path,
        baseline=baseline,
        time_limit=LIMIT,
        workers=1,
        seed=0,
        work_limit=replan_work_limit(LIMIT),
    )
    planned = {e.id for e in r.plan.events}
    copies = {p for p in r.problem.people if p.startswith("ect-new-")}
    mine = [o for o in r.problem.owed if set(o.people) <= copies and o.people]
    lost = [e for e in baseline.events if e.id not in planned]
    assert len(mine) == 6 * len(copies)  # 4 meetings + 2 observations each
    return (all(o.id in planned for o in mine) and not lost), len(r.violations())


def test_capacity_k_fits_and_k_plus_one_does_not(baseline, tmp_path):
    r = capacity(SCENARIO, max_copies=6, baseline=baseline, time_limit=LIMIT)
    k = r["k"]
    assert k is not None and 1 <= k < 6, r
    assert r["breaks"]["n"] == k + 1
    # a bisection over 0..6: about log2(7) re-plans, not 7
    assert r["replans"] <= 4
    fits, bad = _all_fit(_copies_file(tmp_path, k), baseline)
    assert bad == 0
    assert fits, f"whatif with k={k} copies does not plan them all"
    fits, bad = _all_fit(_copies_file(tmp_path, k + 1), baseline)
    assert bad == 0
    assert not fits, f"whatif with k+1={k + 1} copies plans them all"
    assert r["breaks"]["unplanned"] or r["breaks"]["baseline_lost"]
    assert all(x["reason"] for x in r["breaks"]["unplanned"])
    assert set(r["schools"]) == set(baseline_schools())


def baseline_schools() -> list[str]:
    return list(load_whatif(SV / "no-change.yaml").base.schools)


def test_capacity_refuses_a_whatif_that_adds_nobody():
    result = CliRunner().invoke(main, ["capacity", str(SV / "no-change.yaml")])
    assert result.exit_code == 2, result.output
    assert "adds none" in result.output
    assert "Traceback" not in result.output


def test_capacity_reports_bad_input_with_its_line(tmp_path):
    (tmp_path / "cluster.yaml").write_bytes((SV / "cluster.yaml").read_bytes())
    path = tmp_path / "w.yaml"
    path.write_text(
        "version: 1\nwhatif: x\nbase: cluster.yaml\nchanges:\n  join:\n"
        "    - {id: ect-q, name: Q, role: ect, school: clare-primry}\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["capacity", str(path), "--json"])
    assert result.exit_code == 2
    assert f"{path}:6:" in result.output and "did you mean 'clare-primary'" in (
        result.output
    )


def test_fewest_mentor_days_meet_the_target_and_one_fewer_does_not(baseline):
    from mentor_sched.capacity import fewest_days

    r = fewest_days(
        SV / "backup-mentor.yaml", target=97, baseline=baseline, time_limit=LIMIT
    )
    assert r["days"] is not None and 0 < r["days"] <= len(r["days_offered"])
    assert r["reached"]["coverage"] >= 0.97
    assert r["reached"]["violations"] == 0
    assert r["short"] is not None and r["short"]["coverage"] < 0.97
    # Sarah keeps 2 days; the rest of the days kept are Priya's
    assert r["days_a_week"] == r["days"]


def test_a_copy_is_owed_the_events_its_in_school_mentor_joins_or_holds(tmp_path):
    """An ECT the what-if adds, linked to an in-school mentor, is owed weekly
    joint observations (``with``) and protected time (``host``): both are the
    copy's events, though they also invite the in-school mentor (who is not
    copied). Two weeks: 2 meetings, 2 joint observations, 2 protected."""
    base = tmp_path / "cluster.yaml"
    base.write_text(
        """\
version: 1
cluster: {name: Tiny, timezone: Europe/London,
          horizon: {from: 2027-01-11, to: 2027-01-22}, slot_minutes: 5}
calendar: {bank_holidays: none}
travel: {minutes: [[north, em-ann, 20]]}
schools:
  - {id: north, name: North Primary, phase: primary, location: {lat: 52.0, lon: 0.7}}
mentors:
  - {id: em-ann, name: Ann Lee, base: {lat: 52.0, lon: 0.6},
     works: {mon: "08:00-17:00", tue: "08:00-17:00"}}
people:
  - {id: sm-kay, name: Kay Roe, role: school-mentor, school: north,
     free: {mon: "09:00-12:00", tue: "13:00-16:00"}}
  - {id: ect-old, name: Old ECT, role: ect, ect_year: 1, school: north,
     mentor: sm-kay, teaching: {mon: "09:00-10:00"},
     free: {mon: "11:00-12:00", tue: "13:00-16:00"}}
demand:
  - {id: ect-meetings, kind: meeting, who: {role: ect}, minutes: 30}
  - {id: joint-obs, kind: observation, who: {role: ect}, minutes: 60,
     with: [school-mentor]}
  - {id: protected, kind: meeting, who: {role: ect}, minutes: 30,
     host: school-mentor}
""",
        encoding="utf-8",
    )
    scenario = tmp_path / "more.yaml"
    scenario.write_text(
        """\
version: 1
whatif: One more ECT
base: cluster.yaml
changes:
  join:
    - {id: ect-new, name: New ECT, role: ect, ect_year: 1, school: north,
       mentor: sm-kay, teaching: {mon: "10:00-11:00"},
       free: {mon: "11:00-12:00", tue: "13:00-16:00"}}
""",
        encoding="utf-8",
    )
    r = capacity(scenario, max_copies=1, time_limit=LIMIT)
    one = next(t for t in r["trials"] if t["n"] == 1)
    assert one["added_owed"] == 6
    assert one["added_planned"] == 6
    assert r["k"] == 1
