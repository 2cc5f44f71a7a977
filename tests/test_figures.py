"""One definition of each figure (issue 12; docs/metrics.md, "Figures the
outputs show"): the timetable, the reports and the terminal show the same
numbers because they take them from ``metrics``, names of days from ``words``,
tables and the file writer from ``render``."""

from __future__ import annotations

import ast
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from clusters import EXAMPLE
from plan_fixtures import example_plan

from mentor_sched import load
from mentor_sched.input.model import WEEKDAY_NAMES
from mentor_sched.metrics import costs
from mentor_sched.plan import Trip
from mentor_sched.problem import WEEKDAYS
from mentor_sched.render import md_table, text_table
from mentor_sched.render.html import money, render_timetable
from mentor_sched.render.reports import (
    mentor_rows,
    report_markdown,
    school_rows,
    totals,
)
from mentor_sched.words import (
    DAY_ABBR,
    DAY_KEYS,
    DAY_NAMES,
    ICAL_DAYS,
    WEEKDAY_KEYS,
    day_abbr,
    day_label,
    day_name,
    long_date,
    short_date,
)

PACKAGE = Path(__file__).resolve().parent.parent / "mentor_sched"
RENDER = sorted((PACKAGE / "render").glob("*.py"))
MAX_LINES = 700  # the limit for any module


@pytest.fixture(scope="module")
def problem():
    return load(EXAMPLE)


@pytest.fixture(scope="module")
def plan(problem):
    """The example plan and a day with travel but no event: Wednesday 20
    January, Sarah to Clare and back (one charged day nobody is charged for)."""
    wed = date(2027, 1, 20)
    plan = example_plan(problem)
    assert all(e.date != wed for e in plan.events)
    there = Trip("em-sarah", wed, "base", "clare-primary", 540, 570, 30)
    back = Trip("em-sarah", wed, "clare-primary", "base", 600, 630, 30)
    return replace(plan, travel=(*plan.travel, there, back))


def test_day_names_are_indexed_as_date_weekday():
    monday = date(2027, 1, 4)
    days = [monday + timedelta(days=i) for i in range(7)]
    assert [day_abbr(d) for d in days] == list(DAY_ABBR)
    assert [day_name(d) for d in days] == list(DAY_NAMES)
    assert DAY_ABBR[2] == "Wed" and DAY_NAMES[6] == "Sunday"
    assert [d.lower() for d in DAY_ABBR] == list(DAY_KEYS)
    assert [d[:2].upper() for d in DAY_ABBR] == list(ICAL_DAYS)
    assert day_abbr(4) == "Fri"  # a weekday index works too


def test_date_labels_never_follow_the_locale():
    d = date(2027, 1, 4)
    assert day_label(d) == "Mon 4 Jan"
    assert day_label(d, pad=True) == "Mon 04 Jan"
    assert short_date(d) == "Mon 4 Jan 2027"
    assert long_date(date(2027, 9, 30)) == "Thursday 30 September 2027"


def test_the_cluster_files_weekday_keys_agree():
    # until problem.py and input/model.py import them from words
    assert WEEKDAY_KEYS == WEEKDAYS == WEEKDAY_NAMES == DAY_KEYS[:5]


def test_every_output_shows_the_same_cost(problem, plan):
    c = costs(problem, plan)
    assert c is not None
    # 4 days with events and the travel-only Wednesday at Sarah's £380
    assert c.days == {"em-sarah": 5}
    assert c.total == c.by_mentor["em-sarah"] == 5 * 380_00
    assert c.unattributed == 380_00
    m = money(problem, plan)  # the timetable's figures
    rows = {r["school"]: r for r in school_rows(problem, plan)}  # the reports'
    for sid in problem.schools:
        assert m.cost[sid] == rows[sid]["cost"] == c.delivered[sid] / 100
        assert m.agreed[sid] == rows[sid]["cost_at_share"] == c.agreed[sid] / 100
        assert m.minutes[sid] == pytest.approx(rows[sid]["minutes"], abs=0.005)
        assert round(m.delivered[sid], 1) == rows[sid]["delivered_pct"]
        assert m.events[sid] == rows[sid]["planned"]
    t = totals(problem, plan)
    assert m.total == t["cost"] == 1900.0
    assert m.unattributed == t["unattributed_cost"] == 380.0
    mentors = {r["mentor"]: r for r in mentor_rows(problem, plan)}
    assert m.mentor_cost == {k: r["cost"] for k, r in mentors.items()}
    assert m.days == {k: r["days_worked"] for k, r in mentors.items()}
    assert m.event_minutes == {k: r["event_minutes"] for k, r in mentors.items()}
    assert m.travel_minutes == {k: r["travel_minutes"] for k, r in mentors.items()}


def test_travel_only_days_show_in_the_report_and_the_timetable(problem, plan):
    # the cost delivered adds up to the total in both only with this row
    assert "| (travel-only days) |  |  |  |  |  | 380.00 | -380.00 |" in (
        report_markdown(problem, plan)
    )
    html = render_timetable(problem, plan)
    row = html.split('<tr class="travel-only">', 1)[1].split("</tr>", 1)[0]
    assert "(travel-only days)" in row
    assert "£380.00" in row and "-£380.00" in row


def test_markdown_table():
    # a | not yet escaped would split its cell; right-aligned columns say ---:
    table = md_table(["name", "n"], [["a|b", "1"], ["c\\|d", "22"]], right={1})
    assert table == ("| name | n |\n|---|---:|\n| a\\|b | 1 |\n| c\\|d | 22 |")


def test_text_table():
    # numbers right-aligned, text (the header too) left, two spaces between
    assert text_table([["x", "10"], ["long", "2.5%"]], ["name", "n"]) == (
        "name  n\n----  ----\nx       10\nlong  2.5%"
    )


def _calls(path: Path) -> set[str]:
    out = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            out.add(f"{node.value.id}.{node.attr}")
    return out


@pytest.mark.parametrize("path", RENDER, ids=lambda p: p.name)
def test_renderers_keep_no_copy_of_a_definition(path):
    """Files are written by ``render.write_atomic`` only; day names come from
    ``words`` (never ``strftime``'s names, which follow the locale)."""
    source = path.read_text("utf-8")
    if path.name != "__init__.py":
        assert not {"os.replace", "tempfile.mkstemp"} & _calls(path)
    for copy in ('"Mon"', '"Monday"', '"MO"', "%a", "%A", "%b", "%B"):
        assert copy not in source, f"{path.name} holds its own {copy}"


@pytest.mark.parametrize(
    "path",
    [*RENDER, *(PACKAGE / n for n in ("metrics.py", "words.py", "summary.py"))],
    ids=lambda p: p.name,
)
def test_modules_stay_small(path):
    lines = len(path.read_text("utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.name} has {lines} lines"
