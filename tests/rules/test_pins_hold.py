"""Rule 8, ``pins_hold``.

Pins hold.

The solver must not break it (a tiny cluster where breaking it would be
cheaper, solved, with the exact plan); the checker must catch it (a plan
broken by hand, with the exact violation).
"""

from __future__ import annotations

import pytest
from check_fixtures import (
    MON11,
    TINY,
    TUE12,
    event,
    found,
    good_events,
    good_plan,
    good_trips,
    load_text,
    make_plan,
    swap,
)
from click.testing import CliRunner
from rule_fixtures import (
    SCHOOLS,
    TIME_LIMIT,
    at,
    cluster,
    hhmm,
    objective,
    solved,
    trips,
    write,
)

from mentor_sched import load
from mentor_sched.check import check
from mentor_sched.cli import main
from mentor_sched.input import InputErrors
from mentor_sched.plan import Status
from mentor_sched.solver import solve

# -- the solver keeps it ----------------------------------------------------

RULE8 = cluster(
    SCHOOLS
    + """\
mentors:
  - id: em-kim
    name: Kim Ward
    base: {lat: 52.05, lon: 0.75}
    works: {mon: "08:00-17:00", tue: "08:00-17:00"}
people:
  - {id: ect-al, name: Al Shaw, role: ect, school: north, free: {mon: "10:00-11:00"}}
  - id: ect-bo
    name: Bo Hart
    role: ect
    school: north
    free: {mon: "11:00-12:00", tue: "11:00-12:00"}
  - id: ect-cy
    name: Cy Dunn
    role: ect
    school: south
    free: {mon: ["10:00-11:00", "14:00-15:00"]}
demand:
  - {id: meet, kind: meeting, who: {ids: [ect-al, ect-bo]}, minutes: 60}
  - {id: talk, kind: meeting, who: {ids: [ect-cy]}, minutes: 60, online_ok: true}
""",
    travel="[north, south, 40]; [em-kim, north, 30]; [em-kim, south, 30]",
)

PINS = """\
pins:
  - {demand: meet, person: ect-bo, date: 2027-01-12, start: "11:00"}
  - {demand: talk, person: ect-cy, date: 2027-01-11, start: "14:00"}
"""


def test_rule8_unpinned_plan_for_comparison(tmp_path):
    """Without pins: Al and Bo back to back at North on Monday (one round trip,
    30 + 30), Cy online at 14:00 (no travel)."""
    _, plan, _ = solved(tmp_path, RULE8)
    assert at(plan, "meet/ect-al/0") == (MON11, "10:00", "11:00", "north")
    assert at(plan, "meet/ect-bo/0") == (MON11, "11:00", "12:00", "north")
    assert at(plan, "talk/ect-cy/0") == (MON11, "14:00", "15:00", "online")
    assert trips(plan) == [
        ("em-kim", MON11, "base", "north", "09:30", "10:00", 30),
        ("em-kim", MON11, "north", "base", "12:00", "12:30", 30),
    ]
    objective(plan, 60, travel=60)


def test_rule8_pins_hold(tmp_path):
    """Bo is pinned to Tuesday although Monday, right after Al, would save a
    round trip; Cy is pinned at 14:00 in person (no venue: her school), though
    online would save the drive to South. The pins hold exactly."""
    problem, plan, _ = solved(tmp_path, RULE8 + PINS)
    assert [p.event for p in problem.pins] == ["meet/ect-bo/0", "talk/ect-cy/0"]
    bo = plan.event("meet/ect-bo/0")
    assert (bo.date, hhmm(bo.start), bo.venue, bo.mentor) == (
        TUE12,
        "11:00",
        "north",
        "em-kim",
    )
    assert at(plan, "talk/ect-cy/0") == (MON11, "14:00", "15:00", "south")
    assert at(plan, "meet/ect-al/0") == (MON11, "10:00", "11:00", "north")
    assert trips(plan) == [
        ("em-kim", MON11, "base", "north", "09:30", "10:00", 30),
        ("em-kim", MON11, "north", "south", "11:00", "11:40", 40),
        ("em-kim", MON11, "south", "base", "15:00", "15:30", 30),
        ("em-kim", TUE12, "base", "north", "10:30", "11:00", 30),
        ("em-kim", TUE12, "north", "base", "12:00", "12:30", 30),
    ]
    # Monday 30 + 40 + 30, Tuesday 30 + 30; nothing unmet
    objective(plan, 160, travel=160)


CONTRADICTING_PINS = """\
pins:
  - {demand: meet, person: ect-al, date: 2027-01-11, start: "10:00"}
  - {demand: talk, person: ect-cy, date: 2027-01-11, start: "10:00"}
"""


def test_rule8_contradicting_pins_are_a_conflict(tmp_path):
    """Al at North and Cy at South, both pinned at Mon 10:00 in person: each
    pin holds on its own, together they need Kim in two places."""
    problem = load(write(tmp_path, RULE8 + CONTRADICTING_PINS))
    result = solve(problem, time_limit=TIME_LIMIT, workers=1)
    assert result.status == Status.INFEASIBLE
    assert result.plan.solver.status == Status.INFEASIBLE
    assert sorted(result.conflict) == ["meet/ect-al/0", "talk/ect-cy/0"]


def test_rule8_contradicting_pins_exit_3(tmp_path):
    path = write(tmp_path, RULE8 + CONTRADICTING_PINS)
    out = tmp_path / "out"
    run = CliRunner().invoke(main, ["solve", str(path), "--out", str(out), "-q"])
    assert run.exit_code == 3, run.output
    assert "meet/ect-al/0" in run.output
    assert "talk/ect-cy/0" in run.output
    assert not (out / "plan.json").exists()


def test_rule8_pin_breaking_a_hard_rule_is_an_input_error(tmp_path):
    """Bo is not free on Wednesday (and Kim does not work it): the pin can
    never hold, which is an input error, not an unmet event."""
    bad = (
        "pins:\n  - {demand: meet, person: ect-bo, date: 2027-01-13, start: '11:00'}\n"
    )
    path = write(tmp_path, RULE8 + bad)
    with pytest.raises(InputErrors) as exc:
        load(path)
    assert any("hard rule" in e.message for e in exc.value.errors)
    run = CliRunner().invoke(main, ["solve", str(path), "--out", str(tmp_path / "o")])
    assert run.exit_code == 2
    assert "hard rule" in run.output
    assert "Traceback" not in run.output
    assert not (tmp_path / "o" / "plan.json").exists()


# -- the checker catches it ------------------------------------------------

CHECK_PINS = """
pins:
  - {demand: ect-meetings, person: ect-ann, date: 2027-01-11, start: "13:00",
     mentor: em-kim}
  - {demand: ccf, topic: 2, date: 2027-01-21, start: "15:00", venue: online,
     mentor: em-kim}
"""


def test_pins_hold(tmp_path):
    problem = load_text(tmp_path, TINY + CHECK_PINS)
    assert len(problem.pins) == 2
    assert found(check(problem, good_plan(problem)), "8") == set()
    p = problem
    # 13:15 instead of 13:00, online instead of Ann's school, with em-lee
    for moved in (
        event(p, "ect-meetings/ect-ann/0", MON11, "13:15", "north"),
        event(p, "ect-meetings/ect-ann/0", MON11, "13:00", "online"),
        event(p, "ect-meetings/ect-ann/0", MON11, "13:00", "north", "em-lee"),
    ):
        plan = make_plan(p, swap(p, moved), good_trips())
        assert found(check(p, plan), "8") == {"ect-meetings/ect-ann/0"}
    # a pinned event left unmet
    events = [e for e in good_events(p) if e.id != "ccf/topic-2"]
    assert found(check(p, make_plan(p, events, good_trips())), "8") == {"ccf/topic-2"}
