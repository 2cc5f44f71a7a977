"""What people read (issue 10, items 6 and 7): one week numbering everywhere a
person reads a week (teaching weeks from 1, as the timetable numbers them),
periods described by their dates, and no text mangled out of ids."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from click.testing import CliRunner
from clusters import EXAMPLE
from plan_fixtures import example_plan

from mentor_sched import load
from mentor_sched.cli import main
from mentor_sched.plan import Unmet
from mentor_sched.render.html_page import Page
from mentor_sched.render.ics_text import group_title, humanise
from mentor_sched.render.terminal import validate_text, week_grid
from mentor_sched.summary import summarise
from mentor_sched.whatif.diff import _when
from mentor_sched.words import period_text, plural, sentence

FEB1 = date(2027, 2, 1)  # the Monday of the example's fifth teaching week


def test_the_same_week_has_the_same_number_everywhere(tmp_path):
    problem = load(EXAMPLE)
    index = problem.calendar.weeks.index(FEB1)
    assert index == 4  # 4 Jan, 11 Jan, 18 Jan, 25 Jan, then 1 Feb: the fifth
    # validate: the busiest week of the example is the week of 1 February
    run = CliRunner().invoke(main, ["validate", str(EXAMPLE)])
    assert "busiest week 5 (of 2027-02-01)" in run.output
    # the timetable
    page = Page(problem, example_plan(problem))
    assert page.week_title(index).startswith("Week 5 of 11 ")
    # show --week 5 and the grid's title
    assert week_grid(problem, example_plan(problem), index, None, None, 120, False)[
        :9
    ] == ("Week 5: M")
    plan = replace(example_plan(problem), cluster_file=str(EXAMPLE))
    (tmp_path / "plan.json").write_text(plan.dumps(), "utf-8")
    run = CliRunner().invoke(main, ["show", str(tmp_path / "plan.json"), "--week", "5"])
    assert run.exit_code == 0, run.output
    assert run.output.startswith("Week 5: Mon 01 Feb - Fri 05 Feb 2027")
    # what-if texts
    e = next(iter(example_plan(problem).events))
    e = replace(e, date=date(2027, 2, 2))
    assert _when(problem, e).endswith("(week 5)")


def test_periods_are_described_by_weeks_and_dates():
    problem = load(EXAMPLE)
    # fortnights: period 2 holds weeks index 4 and 5, read as weeks 5-6
    text = period_text(problem, 2, 2)
    assert text == "weeks 5-6 (1 Feb to 12 Feb 2027)"
    assert period_text(problem, 1, 0) == "week 1 (4 Jan to 8 Jan 2027)"
    assert period_text(problem, None, None) == "any week"
    page = Page(problem, example_plan(problem))
    u = Unmet("ect2-meetings/ect-tom/2", "ect2-meetings", ("ect-tom",), 2, "x")
    assert page.unmet_weeks(u) == text


def test_group_titles_say_what_the_ids_mean():
    assert humanise("ecf-sessions") == "ECF session"
    assert humanise("ccf-scitt") == "CCF SCITT"
    problem = load(EXAMPLE)
    topic1 = next(e for e in example_plan(problem).events if e.topic)
    assert group_title(problem, topic1) == "CCF session 1 of 8: High expectations"


def test_sentences_do_not_capitalise_ids():
    assert sentence("ccf-scitt/topic-4 moved from week 6") == (
        "ccf-scitt/topic-4 moved from week 6"
    )
    assert sentence("its slot is now taken") == "Its slot is now taken"


def test_validate_text_without_ids_in_brackets_or_bad_plurals():
    s = summarise(load(EXAMPLE))
    s["mentors"]["em-backup"] = {**s["mentors"]["em-sarah"], "days": []}
    s["no_possible_slot"] = [
        {
            "demand": "ect1-meetings",
            "people": ["ect-ben"],
            "event": "ect1-meetings/ect-ben/3",
            "events_of_series": 1,
            "reason": "no slot",
        }
    ]
    text = validate_text(s)
    assert "em-backup (no working days)" in text and "()" not in text
    assert "(1 event)" in text and "(1 events)" not in text
    assert plural(2, "event") == "2 events"
