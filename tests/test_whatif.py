"""What-if re-planning (issue 5): loading, the least-disruption re-plan, the diff,
the feeds and the ``whatif`` command.

Solves use short time limits; the example's blocks solve to optimality well
inside them, so results do not depend on the machine's speed.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from mentor_sched.check import check
from mentor_sched.cli import main
from mentor_sched.input import InputErrors
from mentor_sched.outputs import write_outputs
from mentor_sched.plan import Plan
from mentor_sched.solver import solve
from mentor_sched.whatif import load_whatif, whatif

ROOT = Path(__file__).resolve().parent.parent
SV = ROOT / "scenarios" / "stour-valley"
LIMIT = 20.0


@pytest.fixture(scope="module")
def baseline_dir(tmp_path_factory) -> Path:
    """The example's baseline plan, published once (feeds state included)."""
    out = tmp_path_factory.mktemp("base")
    wi = load_whatif(SV / "no-change.yaml")
    plan = solve(wi.base, time_limit=LIMIT).plan
    write_outputs(wi.base, plan, out)
    return out


@pytest.fixture(scope="module")
def baseline(baseline_dir) -> Plan:
    return Plan.read(baseline_dir / "plan.json")


def _accounted(problem, plan) -> None:
    """Every owed event appears exactly once, planned or unmet."""
    ids = [e.id for e in plan.events if e.id in {o.id for o in problem.owed}]
    ids += [u.id for u in plan.unmet]
    assert sorted(ids) == sorted(o.id for o in problem.owed)


# -- loading ---------------------------------------------------------------------


def test_frozen_until_defaults_to_the_earliest_change():
    assert load_whatif(SV / "sarah-sick-week.yaml").frozen_until == date(2027, 2, 8)
    assert load_whatif(SV / "ella-leaves.yaml").frozen_until == date(2027, 3, 8)
    assert load_whatif(SV / "grace-absent.yaml").frozen_until == date(2027, 1, 25)


def test_leave_ends_presence_the_day_before():
    wi = load_whatif(SV / "ella-leaves.yaml")
    ella = wi.problem.people["tr-ella"]
    assert max(ella.available) < date(2027, 3, 8)
    assert max(wi.base.people["tr-ella"].available) >= date(2027, 3, 8)


def test_in_school_mentor_absence_owes_absence_cover():
    wi = load_whatif(SV / "grace-absent.yaml")
    new = {o.id for o in wi.problem.owed} - {o.id for o in wi.base.owed}
    # Grace is away 25-28 January (week 3): Lucy is owed one cover meeting then
    assert new == {"absence-cover-meetings/tr-lucy/3"}


def test_works_change_keeps_old_hours_before_frozen_until():
    wi = load_whatif(SV / "sarah-new-days.yaml")
    sarah = wi.problem.mentors["em-sarah"]
    assert sarah.hours(date(2027, 2, 9)) == ((495, 1005),)  # a Tuesday before
    assert sarah.hours(date(2027, 2, 23)) == ()  # a Tuesday after: not working
    assert sarah.hours(date(2027, 2, 24)) == ((495, 1005),)  # Wednesdays from then


def _write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "cluster.yaml").write_bytes((SV / "cluster.yaml").read_bytes())
    path = tmp_path / "w.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("body", "line", "expect"),
    [
        (
            "changes:\n  away:\n"
            "    - {who: em-sara, from: 2027-02-08, to: 2027-02-12}\n",
            6,
            "changes.away[0].who: unknown mentor or person (got 'em-sara'); "
            "did you mean 'em-sarah'?",
        ),
        (
            "changes:\n  closed:\n    - {school: lavenham-primary, on: 2027-02-30}\n",
            6,
            "changes.closed[0].on: not a valid date",
        ),
        (
            "changes:\n  leave:\n    - {who: tr-elle, from: 2027-03-08}\n",
            6,
            "did you mean 'tr-ella'?",
        ),
        (
            "changes:\n  works:\n    em-sarah: {mon: '08:15-16:45'}\n",
            5,
            "'frozen_until' is required",
        ),
    ],
)
def test_malformed_whatif_exits_2_with_file_and_line(tmp_path, body, line, expect):
    path = _write(tmp_path, f"version: 1\nwhatif: x\nbase: cluster.yaml\n{body}")
    result = CliRunner().invoke(main, ["whatif", str(path)])
    assert result.exit_code == 2, result.output
    assert f"{path}:{line}:" in result.output
    assert expect in result.output


def test_missing_base_file_exits_2(tmp_path):
    path = tmp_path / "w.yaml"
    path.write_text("version: 1\nwhatif: x\nbase: nowhere.yaml\nchanges: {}\n")
    result = CliRunner().invoke(main, ["whatif", str(path)])
    assert result.exit_code == 2
    assert f"{path}:3:7: base: no such cluster file (got 'nowhere.yaml')" in (
        result.output
    )


def test_change_before_frozen_until_is_an_error(tmp_path):
    path = _write(
        tmp_path,
        "version: 1\nwhatif: x\nbase: cluster.yaml\nchanges:\n  closed:\n"
        "    - {school: lavenham-primary, on: 2027-03-02}\nfrozen_until: 2027-03-08\n",
    )
    with pytest.raises(InputErrors) as exc:
        load_whatif(path)
    assert "starts before frozen_until" in str(exc.value)


# -- re-planning -----------------------------------------------------------------


def test_no_change_moves_nothing(baseline):
    r = whatif(SV / "no-change.yaml", baseline=baseline, time_limit=LIMIT)
    s = r.diff["summary"]
    assert (s["moved"], s["cancelled"], s["added"]) == (0, 0, 0)
    assert s["unchanged"] == len(baseline.events)
    assert check(r.problem, r.plan) == []


def test_absence_cover_is_planned_or_unmet_with_a_reason(baseline):
    r = whatif(SV / "grace-absent.yaml", baseline=baseline, time_limit=LIMIT)
    cover = "absence-cover-meetings/tr-lucy/3"
    added = {a["id"]: a for a in r.diff["added"]}
    unmet = {u["id"]: u for u in r.diff["added_unmet"]}
    assert cover in added or cover in unmet
    if cover in added:
        assert "absence cover" in added[cover]["why"]
        assert r.plan.event(cover).date.isoformat() >= "2027-01-25"
    else:
        assert unmet[cover]["reason"]
    assert check(r.problem, r.plan) == []
    _accounted(r.problem, r.plan)


@pytest.fixture(scope="module")
def sick_week(baseline_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("sick")
    result = CliRunner().invoke(
        main,
        [
            "whatif",
            str(SV / "sarah-sick-week.yaml"),
            "--baseline",
            str(baseline_dir / "plan.json"),
            "--out",
            str(out),
            "--time-limit",
            str(LIMIT),
        ],
    )
    assert result.exit_code == 0, result.output
    return out, result.output


def test_sick_week_moves_only_that_week_or_explains(sick_week, baseline):
    out, text = sick_week
    diff = json.loads((out / "diff.json").read_text())
    assert "What if: Sarah off sick" in text
    assert (out / "whatif.md").read_text().startswith("# What if:")
    week = (date(2027, 2, 8), date(2027, 2, 12))
    for m in diff["moved"]:
        was = date.fromisoformat(m["from"]["date"])
        if not week[0] <= was <= week[1]:
            assert m["ripple"] and m["why"], m
    for c in diff["cancelled"]:
        assert week[0] <= date.fromisoformat(c["was"]["date"]) <= week[1]
        assert c["reason"]
    # the topic sequence shifts: topic 4 cannot be held in the week of 8 February
    ripples = {m["id"]: m["why"] for m in diff["moved"] if m["ripple"]}
    assert any("because topic" in why for why in ripples.values())
    s = diff["summary"]
    assert s["unchanged"] + s["moved"] + s["cancelled"] == len(baseline.events)


def test_sick_week_plan_is_clean_and_keeps_the_past(sick_week, baseline):
    out, _ = sick_week
    wi = load_whatif(SV / "sarah-sick-week.yaml")
    plan = Plan.read(out / "plan.json")
    assert check(wi.problem, plan) == []
    _accounted(wi.problem, plan)
    before = [e for e in baseline.events if e.date < wi.frozen_until]
    assert [plan.event(e.id) for e in before] == before
    assert not any(e.date in _days(2027, 2, 8, 12) for e in plan.events)


def _days(y, m, d0, d1):
    return {date(y, m, d) for d in range(d0, d1 + 1)}


def test_moved_events_gain_one_sequence(sick_week, baseline_dir):
    out, _ = sick_week
    diff = json.loads((out / "diff.json").read_text())
    old = _by_event(baseline_dir)
    new = _by_event(out)
    assert diff["moved"]
    for m in diff["moved"]:
        uid, entry = new[m["id"]]
        assert old[m["id"]][0] == uid  # the same UID
        assert entry["sequence"] == old[m["id"]][1]["sequence"] + 1
    for c in diff["cancelled"]:
        _, entry = new[c["id"]]
        assert entry["status"] == "cancelled"
        assert entry["sequence"] == old[c["id"]][1]["sequence"] + 1
    ics = "".join(p.read_text() for p in (out / "mentors").glob("*.ics"))
    assert "STATUS:CANCELLED" in ics


def _by_event(folder: Path) -> dict[str, tuple[str, dict]]:
    state = json.loads((folder / ".feeds-state.json").read_text())["uids"]
    return {e["id"]: (uid, e) for uid, e in state.items() if e["kind"] == "event"}


def test_several_scenarios_give_one_table(baseline_dir, tmp_path):
    result = CliRunner().invoke(
        main,
        [
            "whatif",
            str(SV / "lavenham-closed.yaml"),
            str(SV / "ella-leaves.yaml"),
            "--baseline",
            str(baseline_dir / "plan.json"),
            "--out",
            str(tmp_path),
            "--time-limit",
            str(LIMIT),
            "--quiet",
        ],
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split()[:4] == ["scenario", "coverage", "unmet", "moved"]
    assert [ln.split()[0] for ln in lines[2:4]] == ["lavenham-closed", "ella-leaves"]
    for stem in ("lavenham-closed", "ella-leaves"):
        assert (tmp_path / stem / "diff.json").is_file()
        assert (tmp_path / stem / "plan.json").is_file()
    ella = json.loads((tmp_path / "ella-leaves" / "diff.json").read_text())
    assert ella["cancelled"]
    assert all("no longer owed" in c["reason"] for c in ella["cancelled"])


def test_validate_reads_a_whatif_file():
    from click.testing import CliRunner

    from mentor_sched.cli import main

    r = CliRunner().invoke(main, ["validate", str(SV / "grace-absent.yaml")])
    assert r.exit_code == 0, r.output
    assert "Grace Holt (sm-grace) is away" in r.output
    # the absence creates absence cover for her mentee, counted in the summary
    assert "absence-cover-meetings" in r.output
    r = CliRunner().invoke(main, ["validate", "--json", str(SV / "grace-absent.yaml")])
    data = json.loads(r.output)
    assert data["whatif"]["frozen_until"] == "2027-01-25"
    # one week owed in the base cluster (jury service in March) plus the new one
    assert data["owed_by_demand"]["absence-cover-meetings"] == 2
