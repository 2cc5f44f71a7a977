"""Terminal rendering: the week grid / day list and the solve summary."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from plan_fixtures import example_plan

from mentor_sched import load
from mentor_sched.candidates import options
from mentor_sched.plan import Event, Plan, SolverInfo, Status, Trip, Unmet
from mentor_sched.problem import Problem, fmt_range
from mentor_sched.render.terminal import GRID_MIN_WIDTH, plan_summary, week_grid
from mentor_sched.summary import unmet_categories

EXAMPLE = Path(__file__).parent.parent / "scenarios" / "stour-valley" / "cluster.yaml"
ANSI = re.compile(r"\x1b\[[0-9;]*m")
TIME_RANGE = re.compile(r"\b\d\d:\d\d-\d\d:\d\d\b")


@pytest.fixture(scope="module")
def problem() -> Problem:
    return load(EXAMPLE)


def _event(o, option) -> Event:
    start = option.starts[0]
    return Event(
        id=o.id,
        demand=o.demand,
        kind=o.kind,
        period=o.period,
        mentor=option.mentor,
        venue=option.venue,
        people=o.people,
        missed=option.missed,
        topic=None if o.topic is None else f"topic {o.topic}",
        date=option.date,
        start=start,
        end=start + o.minutes,
    )


@pytest.fixture(scope="module")
def busy_plan(problem) -> Plan:
    """Every owed event at its first possible slot (overlaps do not matter here)."""
    events = tuple(_event(o, options(problem, o)[0]) for o in problem.owed)
    trips = (
        Trip("em-sarah", date(2027, 1, 11), "base", "sudbury-primary", 600, 620, 20),
        Trip("em-sarah", date(2027, 1, 11), "sudbury-primary", "base", 900, 920, 20),
    )
    info = SolverInfo(Status.FEASIBLE, None, None, 1.0)
    return Plan(problem.name, "", info, events, trips, ())


def _visible(text: str) -> list[str]:
    return ANSI.sub("", text).splitlines()


@pytest.mark.parametrize("width", [40, 60, 99, 100, 140])
def test_no_colour_means_no_ansi_escapes(problem, busy_plan, width):
    text = week_grid(problem, busy_plan, 1, None, None, width, color=False)
    assert "\x1b" not in text
    # the same call with colour does colour (so the check above can fail)
    assert "\x1b[" in week_grid(problem, busy_plan, 1, None, None, width, color=True)


def test_summary_has_no_ansi_escapes(problem, busy_plan):
    assert "\x1b" not in plan_summary(problem, busy_plan)


@pytest.mark.parametrize("width", [30, 40, 60, 80, GRID_MIN_WIDTH - 1])
@pytest.mark.parametrize("color", [False, True])
def test_narrow_width_is_a_day_list_within_width(problem, busy_plan, width, color):
    text = week_grid(problem, busy_plan, 1, None, None, width, color=color)
    lines = _visible(text)
    assert max(len(line) for line in lines) <= width
    # a list: each weekday heads its own line, no column separators
    for day in ("Mon 11 Jan", "Tue 12 Jan", "Wed 13 Jan", "Thu 14 Jan", "Fri 15 Jan"):
        assert day in lines
    assert not any(" | " in line for line in lines)


@pytest.mark.parametrize("width", [GRID_MIN_WIDTH, 120, 200])
def test_wide_width_is_a_grid_within_width(problem, busy_plan, width):
    lines = _visible(week_grid(problem, busy_plan, 1, None, None, width, True))
    assert max(len(line) for line in lines) <= width
    header = next(line for line in lines if line.startswith("Mon 11 Jan"))
    # one column per weekday, side by side
    assert [c.strip() for c in header.split(" | ")] == [
        *("Mon 11 Jan", "Tue 12 Jan", "Wed 13 Jan", "Thu 14 Jan", "Fri 15 Jan")
    ]


@pytest.mark.parametrize("width", [80, 160])
def test_every_event_appears_in_the_grid_of_its_week(problem, busy_plan, width):
    week_of = problem.calendar.week_of
    expected: dict[int, Counter] = {w: Counter() for w in range(11)}
    for e in busy_plan.events:
        expected[week_of[e.date]][fmt_range((e.start, e.end))] += 1
    for t in busy_plan.travel:
        expected[week_of[t.date]][fmt_range((t.depart, t.arrive))] += 1
    assert sum(sum(c.values()) for c in expected.values()) == 98
    for week, want in expected.items():
        text = week_grid(problem, busy_plan, week, None, None, width, color=False)
        assert Counter(TIME_RANGE.findall(text)) == want, f"week {week}"


@pytest.mark.parametrize("width", [72, 132])
def test_shared_example_plan_events_all_shown(problem, width):
    plan = example_plan(problem)
    for week in sorted({problem.calendar.week_of[e.date] for e in plan.events}):
        text = week_grid(problem, plan, week, None, None, width, color=False)
        assert max(len(line) for line in text.splitlines()) <= width
        want = Counter(
            fmt_range((e.start, e.end))
            for e in plan.events
            if problem.calendar.week_of[e.date] == week
        ) + Counter(
            fmt_range((t.depart, t.arrive))
            for t in plan.travel
            if problem.calendar.week_of[t.date] == week
        )
        assert Counter(TIME_RANGE.findall(text)) == want


def test_event_line_wording(problem, busy_plan):
    text = week_grid(problem, busy_plan, 0, "em-sarah", None, 99, color=False)
    ben = busy_plan.event("ect1-meetings/ect-ben/0")
    line = f"  {fmt_range((ben.start, ben.end))} meeting Ben Carter @ Sudbury Meadow"
    assert line in text


def test_school_filter_shows_only_that_schools_events(problem, busy_plan):
    text = week_grid(problem, busy_plan, 1, None, "hadleigh-primary", 99, False)
    assert "Tom Whitaker" in text or "Josh Patel" in text
    for other in ("Ben Carter", "Aisha Rahman", "Nia Evans", "Omar Haddad"):
        assert other not in text
    assert "travel" not in text  # trips belong to the mentor, not a school


def test_mentor_not_working_days_are_noted(problem, busy_plan):
    text = week_grid(problem, busy_plan, 1, "em-sarah", None, 60, color=False)
    assert text.count("(Sarah Okafor does not work)") == 2  # Wed and Fri


def test_unknown_week_is_refused(problem, busy_plan):
    # index 11 is the twelfth week: people read weeks from 1, and there are 11
    with pytest.raises(ValueError, match=r"week 12 is not a teaching week \(1-11\)"):
        week_grid(problem, busy_plan, 11, None, None, 120, color=False)


def test_plan_summary_numbers(problem):
    # Ben's 45-minute meeting (Sudbury) and Grace's 120-minute cover (Clare):
    # 165 attributed minutes; Sudbury 45/165 = 27.3% against 25 -> 2.3 off;
    # Clare 120/165 = 72.7% against 15 -> 57.7 off; the rest 0% of their share.
    ben = next(o for o in problem.owed if o.id == "ect1-meetings/ect-ben/0")
    cover = next(o for o in problem.owed if o.id == "cover-grace-training")
    events = tuple(_event(o, options(problem, o)[0]) for o in (ben, cover))
    unmet = (
        Unmet("ect1-meetings/ect-ben/1", "ect1-meetings", ("ect-ben",), 1, "full"),
        Unmet("ect1-meetings/ect-ben/2", "ect1-meetings", ("ect-ben",), 2, "full"),
    )
    trip = Trip("em-sarah", date(2027, 1, 21), "base", "clare-primary", 760, 790, 30)
    info = SolverInfo(Status.FEASIBLE, 1000, 900, 12.0)
    plan = Plan(problem.name, "", info, events, (trip,), unmet)
    text = plan_summary(problem, plan, unmet_categories(problem, plan))
    assert "FEASIBLE in 12.0 s, objective 1000, bound 900 (gap 10.0%)" in text
    assert "2 of 96 owed events planned (2.1%)" in text
    assert "unmet      2: 2 no room beside other events" in text
    # without the categories (the option search's) it counts them only
    assert "  unmet      2\n" in plan_summary(problem, plan)
    # Ben's meeting and the cover fall on different dates: 2 days worked
    assert "Sarah Okafor (em-sarah): 30 min over 2 days worked" in text
    rows = {line.split()[0]: line.split()[1:] for line in text.splitlines()[6:]}
    assert rows["sudbury-primary"] == ["45", "27.3%", "25%", "2.3"]
    assert rows["clare-primary"] == ["120", "72.7%", "15%", "57.7"]
    assert rows["stour-academy"] == ["0", "0.0%", "30%", "30.0"]
