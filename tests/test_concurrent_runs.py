"""Issue 11, item 5 as real processes: two ``mentor-sched solve`` runs into one
output folder at once, and a solve killed while writing its outputs.

Afterwards the folder holds exactly one complete run (the link names a run
whose every file is there and whose plan the checker finds clean, no staging
left behind), and no school feed's SEQUENCE of any UID ever went down. Plans
may differ from run to run (the time limit is wall-clock); nothing here
depends on which plan is found."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from icalendar import Calendar

from mentor_sched import load
from mentor_sched.check import check
from mentor_sched.outputs import RUN_FILE, runs_dir
from mentor_sched.plan import Plan

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "scenarios" / "stour-valley" / "cluster.yaml"
EXE = shutil.which("mentor-sched")
ARGS = ["solve", str(EXAMPLE), "--time-limit", "5", "-q"]
TIMEOUT = 600  # a safety net for a hung process, not a timing assertion

pytestmark = pytest.mark.skipif(EXE is None, reason="mentor-sched is not installed")


def solve(out: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [EXE, *ARGS, "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def school_sequences(out: Path) -> dict[tuple[str, str], int]:
    """(feed, UID) -> SEQUENCE over every school feed."""
    found = {}
    for feed in sorted((out / "schools").glob("*.ics")):
        for v in Calendar.from_ical(feed.read_bytes()).walk("VEVENT"):
            found[feed.name, str(v["UID"])] = int(v["SEQUENCE"])
    assert found, "no school feed holds an event"
    return found


class Sequences:
    """Every SEQUENCE seen so far; each new look must not be lower."""

    def __init__(self) -> None:
        self.seen: dict[tuple[str, str], int] = {}

    def look(self, out: Path) -> None:
        now = school_sequences(out)
        down = {k: (self.seen[k], v) for k, v in now.items() if v < self.seen.get(k, v)}
        assert not down, f"SEQUENCE went down: {down}"
        self.seen |= now


def assert_one_complete_run(out: Path) -> str:
    """The folder is a link to one complete, clean run; returns its id."""
    problem = load(EXAMPLE)
    assert out.is_symlink(), "the output folder is not switched by a link"
    run = Path(os.readlink(out)).name
    runs = runs_dir(out)
    assert (runs / run).is_dir()
    left = [p.name for p in runs.iterdir() if p.name.startswith((".staging", ".link"))]
    assert not left, left
    record = (out / RUN_FILE).read_text("utf-8")
    assert f'"run": "{run}"' in record  # the record was written by that run
    for name in ("plan.json", "timetable.html", "report.md", "report.csv"):
        assert (out / name).is_file(), name
    expected = {
        *(f"schools/{s}.ics" for s in problem.schools),
        *(f"mentors/{m}.ics" for m in problem.mentors),
        *(f"people/{p}.ics" for p in problem.people),
    }
    have = {p.relative_to(out).as_posix() for p in out.rglob("*.ics")}
    assert expected <= have, expected - have
    for rel in expected:
        Calendar.from_ical((out / rel).read_bytes())
    plan = Plan.read(out / "plan.json")
    assert check(problem, plan) == []
    events = (out / "events.csv").read_text("utf-8").strip().splitlines()
    assert len(events) == 1 + len(plan.events)  # the CSV is of the same run
    return run


def test_two_solves_at_once_then_a_solve_killed_while_writing(tmp_path):
    out = tmp_path / "out" / "stour-valley"
    seq = Sequences()

    first = solve(out)
    _, err = first.communicate(timeout=TIMEOUT)
    assert first.returncode == 0, err
    seq.look(out)

    # two runs into one folder at once: one writes, the other stops with exit
    # 5 and a message (or, if it came after, writes after it: never both at once)
    a, b = solve(out), solve(out)
    results = [(p.wait(timeout=TIMEOUT), p.stderr.read()) for p in (a, b)]
    codes = sorted(code for code, _ in results)
    assert codes in ([0, 0], [0, 5]), results
    for code, err in results:
        assert "Traceback" not in err
        if code == 5:
            assert "another mentor-sched run is writing to" in err
    before_kill = assert_one_complete_run(out)
    seq.look(out)

    # a run killed while writing: it stops inside the timetable renderer, after
    # plan.json and the feeds of the new run were written to its staging folder
    mark = tmp_path / "writing"
    script = tmp_path / "slow_writer.py"
    script.write_text(
        "import sys, time, pathlib\n"
        "import mentor_sched.outputs as outputs\n"
        "def stuck(*args, **kwargs):\n"
        f"    pathlib.Path({str(mark)!r}).touch()\n"
        "    time.sleep(3600)\n"
        "outputs.write_timetable = stuck\n"
        "from mentor_sched.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n",
        encoding="utf-8",
    )
    killed = subprocess.Popen(
        [sys.executable, str(script), *ARGS, "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + TIMEOUT
    while not mark.exists():
        assert killed.poll() is None, killed.stderr.read()
        assert time.monotonic() < deadline, "the run never started writing"
        time.sleep(0.1)
    staging = [p for p in runs_dir(out).iterdir() if p.name.startswith(".staging")]
    assert staging and (staging[0] / "plan.json").is_file()  # half written
    killed.send_signal(signal.SIGKILL)
    killed.wait(timeout=TIMEOUT)
    # readers still see the last complete run, untouched
    assert Path(os.readlink(out)).name == before_kill
    assert (runs_dir(out) / before_kill / "plan.json").is_file()
    seq.look(out)

    # the next run takes the lock the killed one lost, removes its staging and
    # carries the feed state on
    after = solve(out)
    _, err = after.communicate(timeout=TIMEOUT)
    assert after.returncode == 0, err
    run = assert_one_complete_run(out)
    assert run != before_kill
    assert not any(p.exists() for p in staging)
    seq.look(out)
    assert re.fullmatch(r"\d{8}T\d{6}-\d+(-\d+)?", run)
