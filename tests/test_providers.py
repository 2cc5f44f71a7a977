"""Providers and titles: ``provider`` on trainees and ECTs, the ``provider``
selector in ``who``, the per-provider section of report.md and report.csv,
and a demand's display ``title`` in the feeds, the timetable, the terminal
and the reports.

``PROVIDERS`` (docs/examples/providers.yaml) is a two-week cluster (Mon 11
to Fri 22 January 2027, no bank holidays) whose plan is forced: Ann works
Mondays and Thursdays; each trainee's meeting has one free hour a week; the
SCITT's CCF group meets on Thursdays at North; Bea is away on Thursday 21
January (she misses topic 2); Cal is free only on Tuesdays (both his
meetings are unmet).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from clusters import errors_of, load_data, minimal

from mentor_sched import load
from mentor_sched.check import check
from mentor_sched.cli import main
from mentor_sched.input import InputErrors
from mentor_sched.metrics import ProviderFigures, provider_figures
from mentor_sched.plan import Plan
from mentor_sched.render.reports import (
    EVENTS_HEADER,
    PROVIDER_HEADER,
    REPORT_HEADER,
    report_markdown,
    report_table,
)
from mentor_sched.render.terminal import week_grid

ROOT = Path(__file__).resolve().parent.parent
# the README shows its report's provider section
PROVIDERS = (ROOT / "docs" / "examples" / "providers.yaml").read_text("utf-8")


def kinds(group: int, observation: int, meeting: int) -> dict[str, int]:
    return {"group": group, "observation": observation, "meeting": meeting}


def solved(tmp_path: Path):
    from mentor_sched.solver import solve

    path = tmp_path / "cluster.yaml"
    path.write_text(PROVIDERS, encoding="utf-8")
    problem = load(path)
    plan = solve(problem, time_limit=20, workers=1).plan
    assert check(problem, plan) == []
    return problem, plan


# -- input ----------------------------------------------------------------------


def test_provider_selects_exactly_the_people_of_that_provider(tmp_path):
    """The SCITT's group invites Amy and Bea, never Cal (UEA), Dan (none) or Eve
    (an in-school mentor); a provider combines with role and school, and a
    list selects either provider."""
    text = PROVIDERS + (
        "  - {id: uea-south, kind: meeting, minutes: 30,\n"
        "     who: {role: trainee, provider: [UEA, Suffolk SCITT], school: south}}\n"
        "  - {id: both, kind: meeting, minutes: 30,\n"
        "     who: {provider: [UEA, Suffolk SCITT]}}\n"
    )
    problem = load_data(tmp_path, text)
    assert problem.demands["ccf-scitt"].people == ("tr-amy", "tr-bea")
    assert problem.demands["uea-south"].people == ("tr-bea",)
    assert problem.demands["both"].people == ("tr-amy", "tr-bea", "tr-cal")
    assert problem.demands["check-ins"].people == (
        "tr-amy",
        "tr-bea",
        "tr-cal",
        "tr-dan",
    )
    assert problem.people["tr-amy"].provider == "Suffolk SCITT"
    assert problem.people["tr-dan"].provider is None


def test_provider_on_a_school_mentor_is_an_input_error(tmp_path):
    data = minimal()
    data["people"].append(
        {
            "id": "sm-x",
            "name": "Xan Yu",
            "role": "school-mentor",
            "school": "oak",
            "provider": "Suffolk SCITT",
        }
    )
    (err,) = errors_of(tmp_path, data)
    text = str(err)
    assert err.line is not None
    assert "people[1].provider: provider applies to trainees and ECTs" in text
    assert "(got 'Suffolk SCITT')" in text
    assert "remove it" in text


def test_an_unknown_provider_in_a_selector_is_an_input_error(tmp_path):
    data = minimal()
    data["people"][0]["provider"] = "Suffolk SCITT"
    data["demand"][0]["who"] = {"role": "ect", "provider": "suffolk scitt"}
    (err,) = errors_of(tmp_path, data)
    text = str(err)
    assert "demand[0].who.provider" in text
    assert "no trainee or ECT has this provider (got 'suffolk scitt')" in text
    assert "did you mean 'Suffolk SCITT'?" in text


def test_a_provider_selector_without_providers_says_how_to_give_one(tmp_path):
    data = minimal()
    data["demand"][0]["who"] = {"provider": "UEA"}
    (err,) = errors_of(tmp_path, data)
    assert "give trainees and ECTs a 'provider' first" in str(err)


def test_ids_stand_alone_beside_a_provider(tmp_path):
    data = minimal()
    data["demand"][0]["who"] = {"ids": ["ect-al"], "provider": "UEA"}
    (err,) = errors_of(tmp_path, data)
    assert "'ids' stands alone: drop role/school/ect_year/provider or ids" in str(err)


# -- the provider report ------------------------------------------------------------


def test_provider_figures_count_what_each_providers_people_received(tmp_path):
    """Suffolk SCITT (Amy, Bea): 2 CCF topics each, 4 owed, Bea missed topic 2:
    3 received; Amy's one observation; 2 check-ins each, all planned. Minutes
    3 x 60 + 50 + 4 x 30 = 350 of 4 x 60 + 50 + 4 x 30 = 410. UEA (Cal): his 2
    check-ins are unmet: 0 of 60 minutes. No provider (Dan): 2 of 2 check-ins,
    60 of 60. Eve, an in-school mentor, is in no row."""
    problem, plan = solved(tmp_path)
    assert sorted(u.id for u in plan.unmet) == [
        "check-ins/tr-cal/0",
        "check-ins/tr-cal/1",
    ]
    assert provider_figures(problem, plan) == [
        ProviderFigures(
            "Suffolk SCITT",
            2,
            kinds(3, 1, 4),
            kinds(4, 1, 4),
            350,
            410,
        ),
        ProviderFigures("UEA", 1, kinds(0, 0, 0), kinds(0, 0, 2), 0, 60),
        ProviderFigures(None, 1, kinds(0, 0, 2), kinds(0, 0, 2), 60, 60),
    ]
    md = report_markdown(problem, plan)
    section = md[md.index("## Providers") : md.index("## Unmet events")]
    assert (
        "| Provider | People | Sessions | Observations | Meetings | Minutes |\n"
        "|---|---:|---:|---:|---:|---:|\n"
        "| Suffolk SCITT | 2 | 3 of 4 | 1 of 1 | 4 of 4 | 350 of 410 |\n"
        "| UEA | 1 | 0 of 0 | 0 of 0 | 0 of 2 | 0 of 60 |\n"
        "| (no provider) | 1 | 0 of 0 | 0 of 0 | 2 of 2 | 60 of 60 |\n"
    ) in section
    rows = [r for r in report_table(problem, plan) if r[0] == "provider"]
    header = REPORT_HEADER + PROVIDER_HEADER
    got = [
        {h: r[header.index(h)] for h in ("id", "name", *PROVIDER_HEADER)} for r in rows
    ]
    assert got[0] == {
        "id": "Suffolk SCITT",
        "name": "Suffolk SCITT",
        "people": 2,
        "sessions_received": 3,
        "sessions_owed": 4,
        "observations_received": 1,
        "observations_owed": 1,
        "meetings_received": 4,
        "meetings_owed": 4,
        "minutes_received": 350,
        "minutes_owed": 410,
    }
    assert [(g["name"], g["meetings_owed"]) for g in got[1:]] == [
        ("UEA", 2),
        ("(no provider)", 2),
    ]


def test_without_providers_the_reports_are_as_before(tmp_path):
    problem, plan = solved(tmp_path)
    people = {pid: replace(p, provider=None) for pid, p in problem.people.items()}
    plain = replace(problem, people=people)
    assert provider_figures(plain, plan) == []
    assert "## Providers" not in report_markdown(plain, plan)
    assert all(len(r) == len(REPORT_HEADER) for r in report_table(plain, plan))


# -- titles in every output -----------------------------------------------------------


def test_titles_in_feeds_timetable_terminal_and_reports(tmp_path):
    path = tmp_path / "cluster.yaml"
    path.write_text(PROVIDERS, encoding="utf-8")
    out = tmp_path / "out"
    run = CliRunner().invoke(
        main,
        ["solve", str(path), "--out", str(out), "--time-limit", "20", "--workers", "1"],
    )
    assert run.exit_code == 0, run.output
    feed = (out / "schools" / "north.ics").read_text("utf-8")
    summaries = sorted(set(re.findall(r"^SUMMARY:(.*)$", feed, re.M)))
    assert summaries == [
        "CCF (Suffolk SCITT) 1 of 2: Behaviour",
        "CCF (Suffolk SCITT) 2 of 2: Adaptive teaching",
        "Expert Mentor: Weekly check-in\\, Amy Bell (trainee)",
        "Expert Mentor: observation\\, Amy Bell (trainee)",  # no title: as before
    ]
    html = (out / "timetable.html").read_text("utf-8")
    assert '<span class="kd">CCF (Suffolk SCITT) 1 of 2</span>' in html
    assert '<span class="kd">Weekly check-in</span>' in html
    assert '<span class="kd">Observation</span>' in html
    events = list(csv.reader(io.StringIO((out / "events.csv").read_text("utf-8"))))
    assert events[0] == [*EVENTS_HEADER, "title"]
    titles = {r[0]: r[-1] for r in events[1:]}
    assert titles["ccf-scitt/topic-2"] == "CCF (Suffolk SCITT) 2 of 2"
    assert titles["amy-obs/tr-amy"] == ""
    md = (out / "report.md").read_text("utf-8")
    assert "- `check-ins/tr-cal/0` (Weekly check-in: Cal Dodd; " in md
    problem = load(path)
    plan = Plan.read(out / "plan.json")
    days = week_grid(problem, plan, 0, None, None, 80, False)  # a list, unwrapped
    assert "15:45-16:45 CCF (Suffolk SCITT) 1 of 2: Behaviour (2 people) @" in days
    assert "Weekly check-in Amy Bell @ North Primary" in days


def test_a_group_session_before_a_trainee_starts_is_not_owed_to_them(tmp_path):
    """Bea starts in the second week (present from Mon 18 January) instead of
    being away on the 21st: the first CCF topic, held on Thu 14 January, is not
    owed to her (not "missed"), so the SCITT's sessions are 3 of 3: Amy's two
    and Bea's second."""
    from mentor_sched.solver import solve

    text = PROVIDERS.replace(
        "away: [2027-01-21]}", "present: {from: 2027-01-18, to: 2027-01-22}}"
    )
    path = tmp_path / "cluster.yaml"
    path.write_text(text, encoding="utf-8")
    problem = load(path)
    plan = solve(problem, time_limit=20, workers=1).plan
    assert check(problem, plan) == []
    topic1 = next(e for e in plan.events if e.id == "ccf-scitt/topic-1")
    assert topic1.date.isoformat() == "2027-01-14" and "tr-bea" in topic1.missed
    scitt = provider_figures(problem, plan)[0]
    assert scitt.provider == "Suffolk SCITT"
    assert (scitt.received["group"], scitt.owed["group"]) == (3, 3)


def test_a_provider_or_title_that_is_not_text_says_how_to_write_it(tmp_path):
    text = PROVIDERS.replace("provider: UEA", "provider: 42").replace(
        "title: CCF (Suffolk SCITT)", "title: [CCF, SCITT]"
    )
    path = tmp_path / "cluster.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputErrors) as caught:
        load(path)
    lines = str(caught.value).splitlines()
    provider = next(line for line in lines if ".provider:" in line)
    assert "valid string (got 42)" in provider and "put it in quotes" in provider
    assert any(".title:" in line and "put it in quotes" in line for line in lines)
