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
