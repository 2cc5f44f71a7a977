"""``mentor-sched solve`` end to end on the shipped example (solved once for the
module), and the ways a run can fail without harming earlier outputs."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from clusters import EXAMPLE, dump, minimal

from mentor_sched import load
from mentor_sched.check import check
from mentor_sched.cli import main
from mentor_sched.plan import FORMAT, Plan

SCHOOLS = (
    "clare-primary",
    "hadleigh-primary",
    "lavenham-primary",
    "stour-academy",
    "sudbury-primary",
)


@pytest.fixture(scope="module")
def solved(tmp_path_factory) -> dict:
    """The example solved once: its output folder and the ``--json`` summary."""
    out = tmp_path_factory.mktemp("example") / "out"
    run = CliRunner().invoke(
        main,
        ["solve", str(EXAMPLE), "--out", str(out), "--time-limit", "30", "--json"],
    )
    assert run.exit_code == 0, run.output
    return {"out": out, "stdout": run.stdout, "summary": json.loads(run.stdout)}


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_solve_writes_a_plan_accounting_for_all_96(solved):
    data = json.loads((solved["out"] / "plan.json").read_text("utf-8"))
    assert data["format"] == FORMAT == "mentor-sched/plan@1"
    assert data["cluster"] == "Stour Valley Expert Mentor Cluster"
    ids = [e["id"] for e in data["events"]] + [u["id"] for u in data["unmet"]]
    assert len(ids) == len(set(ids)) == 96
    assert data["metrics"]["owed"] == 96
    assert data["metrics"]["planned"] + data["metrics"]["unmet"] == 96
    problem = load(EXAMPLE)
    assert sorted(ids) == sorted(o.id for o in problem.owed)
    assert data["input_sha256"] == problem.input_sha256


def test_example_status_and_bound_are_claims_about_the_whole_plan(solved):
    """OPTIMAL only when the objective equals the bound, and the bound is a lower
    bound (plan-format.md): here the relaxation cannot see the weekly rhythm
    or the exact order of visits, so the plan is FEASIBLE with its gap."""
    solver = json.loads((solved["out"] / "plan.json").read_text("utf-8"))["solver"]
    assert solver["bound"] <= solver["objective"]
    gap = (solver["objective"] - solver["bound"]) / max(1, solver["objective"])
    assert (solver["status"] == "OPTIMAL") == (solver["objective"] == solver["bound"])
    assert solver["gap"] == round(gap, 4)
    assert solver["plannable_upper_bound"] >= solver["construction"]["planned"]
    assert solver["repeatable"] is (not solver["cut_by_wall_clock"])


def test_solved_plan_passes_the_checker_in_process(solved):
    problem = load(EXAMPLE)
    plan = Plan.read(solved["out"] / "plan.json")
    assert check(problem, plan) == []
    terms = plan.metrics["objective_terms"]
    assert plan.solver.objective == sum(terms.values())


def test_check_as_a_real_process_exits_0(solved):
    exe = shutil.which("mentor-sched")
    assert exe, "mentor-sched is not installed"
    run = subprocess.run(
        [exe, "check", str(EXAMPLE), str(solved["out"] / "plan.json")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.startswith("clean: ")
    assert "all 96 owed events" in run.stdout
    assert "Traceback" not in run.stderr


def test_solve_writes_every_output(solved):
    out = solved["out"]
    for name in ("plan.json", "timetable.html", "report.md", "events.csv"):
        assert (out / name).is_file(), name
        assert (out / name).stat().st_size > 0, name
    assert sorted(p.name for p in (out / "schools").glob("*.ics")) == [
        f"{s}.ics" for s in SCHOOLS
    ]
    assert [p.name for p in (out / "mentors").glob("*.ics")] == ["em-sarah.ics"]
    assert not list(out.glob(".staging-*"))
    plan = json.loads((out / "plan.json").read_text("utf-8"))
    # one events.csv row per planned event, after the header
    rows = (out / "events.csv").read_text("utf-8").strip().splitlines()
    assert len(rows) == 1 + len(plan["events"])
    assert (
        (out / "timetable.html")
        .read_text("utf-8")
        .lstrip()
        .lower()
        .startswith("<!doctype html")
    )


def test_json_summary_parses(solved):
    summary = solved["summary"]
    plan = json.loads((solved["out"] / "plan.json").read_text("utf-8"))
    assert summary["status"] == plan["solver"]["status"]
    assert summary["objective"] == plan["solver"]["objective"]
    assert summary["metrics"]["owed"] == 96
    assert summary["metrics"] == plan["metrics"]
    assert summary["out"] == str(solved["out"])
    # every file of the folder was written by this run (feed state included)
    assert summary["files"] == len([p for p in solved["out"].rglob("*") if p.is_file()])


def test_show_prints_the_week_grid(solved):
    plan = Plan.read(solved["out"] / "plan.json")
    run = CliRunner().invoke(main, ["show", str(solved["out"] / "plan.json")])
    assert run.exit_code == 0, run.output
    assert run.output.startswith("Week 1: Mon 04 Jan - Fri 08 Jan 2027")
    for day in ("Mon 04 Jan", "Tue 05 Jan", "Wed 06 Jan", "Thu 07 Jan", "Fri 08 Jan"):
        assert day in run.output
    week0 = [e for e in plan.events if e.date.isocalendar()[1] == 1]
    assert week0
    for e in week0:
        span = (
            f"{e.start // 60:02d}:{e.start % 60:02d}-{e.end // 60:02d}:{e.end % 60:02d}"
        )
        assert span in run.output, span


def test_show_one_school(solved):
    run = CliRunner().invoke(
        main, ["show", str(solved["out"] / "plan.json"), "--school", "clare-primary"]
    )
    assert run.exit_code == 0, run.output
    assert "Week 1: Mon 04 Jan" in run.output


# -- failures ----------------------------------------------------------------------


def test_bad_input_exits_2_and_keeps_outputs(solved, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(solved["out"], out)
    before = snapshot(out)
    bad = tmp_path / "bad.yaml"
    bad.write_text(EXAMPLE.read_text("utf-8").replace("location:", "lcation:", 1))
    run = CliRunner().invoke(main, ["solve", str(bad), "--out", str(out)])
    assert run.exit_code == 2
    assert "lcation" in run.output
    assert "Traceback" not in run.output
    assert isinstance(run.exception, SystemExit)
    assert snapshot(out) == before


def test_bad_input_as_a_real_process_has_no_traceback(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\ncluster: [not, a, mapping]\n", encoding="utf-8")
    exe = shutil.which("mentor-sched")
    assert exe, "mentor-sched is not installed"
    run = subprocess.run(
        [exe, "solve", str(bad), "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 2
    assert "error:" in run.stderr
    assert "Traceback" not in run.stderr + run.stdout
    assert not (tmp_path / "out" / "plan.json").exists()


def test_a_crashing_renderer_leaves_previous_outputs(solved, tmp_path, monkeypatch):
    """A run that fails after solving (here: the timetable renderer raises)
    changes nothing in the output folder and leaves no staging folder."""
    import mentor_sched.outputs as outputs

    out = tmp_path / "out"
    shutil.copytree(solved["out"], out)
    before = snapshot(out)

    def broken(*args, **kwargs):
        raise RuntimeError("renderer exploded")

    monkeypatch.setattr(outputs, "write_timetable", broken)
    cluster = tmp_path / "tiny.yaml"
    cluster.write_text(dump(minimal()), encoding="utf-8")
    run = CliRunner().invoke(
        main, ["solve", str(cluster), "--out", str(out), "--time-limit", "2", "-q"]
    )
    assert run.exit_code != 0
    assert isinstance(run.exception, RuntimeError)
    assert snapshot(out) == before
    assert not list(out.glob(".staging-*"))


def test_missing_baseline_exits_2_with_a_clear_message(tmp_path):
    missing = tmp_path / "nowhere" / "plan.json"
    out = tmp_path / "out"
    run = CliRunner().invoke(
        main, ["solve", str(EXAMPLE), "--out", str(out), "--baseline", str(missing)]
    )
    assert run.exit_code == 2
    assert str(missing) in run.output
    assert "no such file" in run.output
    assert "Traceback" not in run.output
    assert not (out / "plan.json").exists()


def test_a_second_solve_over_the_outputs_replaces_them(solved, tmp_path):
    """A successful run over an existing folder replaces every file it writes."""
    out = tmp_path / "out"
    shutil.copytree(solved["out"], out)
    cluster = tmp_path / "tiny.yaml"
    cluster.write_text(dump(minimal()), encoding="utf-8")
    run = CliRunner().invoke(
        main, ["solve", str(cluster), "--out", str(out), "--time-limit", "2", "-q"]
    )
    assert run.exit_code == 0, run.output
    plan = json.loads((out / "plan.json").read_text("utf-8"))
    assert plan["cluster"] == "Tiny Cluster"
    assert plan["metrics"]["owed"] == 4
