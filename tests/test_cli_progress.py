"""The live progress of ``solve`` and ``whatif`` (issue 10, item 5): it shows
the whole plan's objective and bound as the solver reports them, the phase,
and no "subproblem i/n" whose n changes mid-run; missing keys are tolerated."""

from __future__ import annotations

import json

from click.testing import CliRunner
from clusters import dump, minimal

from mentor_sched.cli import _Progress, main


def test_progress_line_shows_the_plan_figures_and_the_phase(capsys):
    progress = _Progress(quiet=False)
    progress(
        {"elapsed": 0.4, "objective": 5420, "bound": 1200, "phase": "construction"}
    )
    progress(
        {
            "elapsed": 6.8,
            "objective": 3317,
            "bound": 3317,
            "phase": "improving",
            "planned": 96,
            "owed": 96,
        }
    )
    progress.close()
    lines = capsys.readouterr().err.splitlines()
    # one line per phase when stderr is not a terminal: how each phase ended
    assert lines == [
        "   0.4s  construction  objective 5,420  bound 1,200  gap 77.9%",
        "   6.8s  improving  planned 96 of 96  objective 3,317  bound 3,317  gap 0.0%",
    ]


def test_progress_tolerates_missing_keys(capsys):
    progress = _Progress(quiet=False)
    progress({"elapsed": 1.0})
    progress({"phase": "improving", "objective": 0, "bound": 0})
    progress.close()
    err = capsys.readouterr().err
    assert "subproblem" not in err and "/" not in err
    assert err.splitlines()[-1] == "   0.0s  improving  objective 0  bound 0"


def test_quiet_progress_prints_nothing(capsys):
    progress = _Progress(quiet=True)
    progress({"elapsed": 1.0, "objective": 5, "bound": 5, "phase": "improving"})
    progress.close()
    assert capsys.readouterr().err == ""


def test_last_progress_objective_is_the_summary_objective(tmp_path):
    path = tmp_path / "cluster.yaml"
    path.write_text(dump(minimal()), encoding="utf-8")
    run = CliRunner().invoke(
        main, ["solve", str(path), "--out", str(tmp_path / "out"), "--time-limit", "5"]
    )
    assert run.exit_code == 0, run.output
    plan = json.loads((tmp_path / "out" / "plan.json").read_text("utf-8"))
    last = [line for line in run.stderr.splitlines() if "objective" in line][-1]
    assert f"objective {plan['solver']['objective']:,}" in last
    assert "subproblem" not in run.stderr
