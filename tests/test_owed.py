"""Owed events: what the Expert Mentors must deliver, counted by hand.

The example (scenarios/stour-valley/cluster.yaml), worked out by hand
---------------------------------------------------------------------
Horizon Mon 4 Jan - Fri 26 Mar 2027, England. Half term 15-19 Feb; Good Friday
26 Mar. 12 ISO weeks, the half-term week unnumbered, so 11 numbered teaching
weeks:

    week  0: 4 Jan   1: 11 Jan   2: 18 Jan   3: 25 Jan   4: 1 Feb   5: 8 Feb
    (15 Feb: half term)   6: 22 Feb   7: 1 Mar   8: 8 Mar   9: 15 Mar   10: 22 Mar

INSET days (4 Jan everywhere, 5 Jan Hadleigh, 22 Feb Lavenham) never empty a
whole week, so nobody loses a week to them.

- ect1-meetings, weekly, ECTs in year 1: Ben, Aisha, Nia, in all 11 weeks:
  3 x 11 = 33.
- ect2-meetings, fortnightly, year 2: Tom (Mon-Wed; first day Wed 6 Jan) and
  Omar, in all 11 weeks. Periods of 2 weeks: 0-1, 2-3, 4-5, 6-7, 8-9, 10:
  6 periods each, 2 x 6 = 12.
- ect-observations, every 3 weeks, all 5 ECTs. Periods 0-2, 3-5, 6-8, 9-10:
  5 x 4 = 20.
- trainee-observations, fortnightly (periods as above, p = week // 2):
  Lucy and Josh present 11 Jan - 19 Mar = weeks 1-9 -> periods 0..4 = 5 each;
  Ella present 1 Feb - 26 Mar = weeks 4-10 -> periods 2..5 = 4;
  Sam, the whole horizon -> periods 0..5 = 6. 5 + 5 + 4 + 6 = 20.
- ccf-sessions, a group with 8 topics: one session per topic = 8.
- absence-cover-meetings, weekly, trainees, only when their in-school mentor
  is away all day on a day they are in: only Lucy has a mentor (Grace), away
  Mon 8 - Wed 10 Mar (week 8), when Lucy is present -> 1 (period 8).
- two covers (Grace 21 Jan, Dev 1 Mar), one event each = 2.

Total 33 + 12 + 20 + 20 + 8 + 1 + 2 = 96.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

from click.testing import CliRunner
from clusters import EXAMPLE, ROOT, load_data, minimal

from mentor_sched import load
from mentor_sched.cli import main

EXPECTED = {
    "ect1-meetings": 33,
    "ect2-meetings": 12,
    "ect-observations": 20,
    "trainee-observations": 20,
    "ccf-sessions": 8,
    "absence-cover-meetings": 1,
    "cover-grace-training": 1,
    "cover-dev-training": 1,
}


def test_example_owes_96_events_by_demand(example_path):
    owed = load(example_path).owed
    counts: dict[str, int] = {}
    for o in owed:
        counts[o.demand] = counts.get(o.demand, 0) + 1
    assert counts == EXPECTED
    assert len(owed) == 96
    assert len({o.id for o in owed}) == 96  # ids are unique


def periods_of(owed, demand: str, person: str) -> list[int]:
    return [o.period for o in owed if o.demand == demand and o.people == (person,)]


def test_example_periods_per_person(example_path):
    owed = load(example_path).owed
    assert periods_of(owed, "ect1-meetings", "ect-ben") == list(range(11))
    assert periods_of(owed, "ect2-meetings", "ect-tom") == [0, 1, 2, 3, 4, 5]
    assert periods_of(owed, "ect-observations", "ect-omar") == [0, 1, 2, 3]
    assert periods_of(owed, "trainee-observations", "tr-lucy") == [0, 1, 2, 3, 4]
    assert periods_of(owed, "trainee-observations", "tr-josh") == [0, 1, 2, 3, 4]
    assert periods_of(owed, "trainee-observations", "tr-ella") == [2, 3, 4, 5]
    assert periods_of(owed, "trainee-observations", "tr-sam") == [0, 1, 2, 3, 4, 5]
    assert periods_of(owed, "absence-cover-meetings", "tr-lucy") == [8]
    assert periods_of(owed, "absence-cover-meetings", "tr-josh") == []


def test_example_event_ids_and_weeks(example_path):
    by_id = {o.id: o for o in load(example_path).owed}
    o = by_id["ect1-meetings/ect-ben/3"]
    assert (o.kind, o.period, o.weeks, o.minutes, o.priority) == (
        "meeting",
        3,
        (3, 3),
        45,
        1,
    )
    o = by_id["trainee-observations/tr-ella/2"]
    assert (o.weeks, o.minutes, o.priority) == ((4, 5), 50, 2)
    topics = [by_id[f"ccf-sessions/topic-{t}"] for t in range(1, 9)]
    assert [t.topic for t in topics] == list(range(1, 9))
    assert {t.people for t in topics} == {("tr-lucy", "tr-josh", "tr-ella", "tr-sam")}
    assert {t.weeks for t in topics} == {(0, 10)}
    # covers: 21 Jan is in week 2, 1 Mar in week 7; length from 'at'
    grace = by_id["cover-grace-training"]
    assert (grace.people, grace.weeks, grace.minutes) == (("sm-grace",), (2, 2), 120)
    dev = by_id["cover-dev-training"]
    assert (dev.people, dev.weeks, dev.minutes) == (("sm-dev",), (7, 7), 140)


def test_once_owes_one_event_per_available_person(tmp_path):
    data = minimal()
    data["people"].append(
        {"id": "ect-bo", "name": "Bo", "role": "ect", "school": "elm",
         "present": {"from": "2027-02-01", "to": "2027-02-05"}}
    )  # fmt: skip
    data["demand"][0]["every"] = "once"
    owed = load_data(tmp_path, data).owed
    # Bo is present only after the horizon (ends 29 Jan): owed nothing
    assert [(o.id, o.period, o.weeks) for o in owed] == [("meet/ect-al", None, (0, 3))]


def test_group_without_topics_owes_one_per_period(tmp_path):
    data = minimal()  # 4 numbered weeks
    data["demand"] = [
        {"id": "ccf", "kind": "group", "who": {"role": "ect"}, "minutes": 60,
         "every": {"weeks": 3}, "venues": ["oak", "online"],
         "window": {"days": ["mon"], "time": "15:00-17:00"}}
    ]  # fmt: skip
    owed = load_data(tmp_path, data).owed
    assert [(o.id, o.weeks) for o in owed] == [("ccf/0", (0, 2)), ("ccf/1", (3, 3))]


def mentor_away_cluster(away: dict, trainee_days: list[str] | None = None) -> dict:
    data = minimal()
    data["people"] = [
        {"id": "sm-kay", "name": "Kay", "role": "school-mentor", "school": "oak",
         "away": [away]},
        {"id": "tr-li", "name": "Li", "role": "trainee", "school": "oak",
         "mentor": "sm-kay", "free": {"mon": "13:00-14:00"},
         "days": trainee_days or ["mon", "tue", "wed", "thu", "fri"]},
    ]  # fmt: skip
    data["demand"] = [
        {"id": "cover-meet", "kind": "meeting", "who": {"role": "trainee"},
         "minutes": 60, "every": "fortnight", "when": "mentor-away"}
    ]  # fmt: skip
    return data


def test_mentor_away_owes_only_in_periods_with_an_absence(tmp_path):
    # Kay away Thu 21 Jan (week 2 -> fortnight period 1)
    owed = load_data(tmp_path, mentor_away_cluster({"on": "2027-01-21"})).owed
    assert [o.id for o in owed] == ["cover-meet/tr-li/1"]
    assert owed[0].weeks == (2, 3)


def test_mentor_away_needs_the_trainee_in_that_day(tmp_path):
    # Kay away Thursday only, Li works Mon-Wed: nothing to cover
    data = mentor_away_cluster({"on": "2027-01-21"}, ["mon", "tue", "wed"])
    assert load_data(tmp_path, data).owed == ()


def test_mentor_away_part_day_does_not_count(tmp_path):
    data = mentor_away_cluster({"on": "2027-01-21", "time": "09:00-12:00"})
    assert load_data(tmp_path, data).owed == ()


def test_validate_text_reports_96(example_path):
    result = CliRunner().invoke(main, ["validate", str(example_path)])
    assert result.exit_code == 0, result.output
    assert "Stour Valley Expert Mentor Cluster: valid." in result.stdout
    assert "96 events" in result.stdout


def test_validate_json_reports_96(example_path):
    result = CliRunner().invoke(main, ["validate", str(example_path), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["owed_events"] == 96
    assert summary["owed_by_demand"] == EXPECTED
    assert summary["teaching_weeks"] == 11
    assert summary["teaching_days"] == 54
    assert summary["holiday_weeks"] == [
        {"monday": "2027-02-15", "why": "school holiday"}
    ]


def test_validate_example_as_a_real_process():
    exe = shutil.which("mentor-sched")
    cmd = (
        [exe]
        if exe
        else [sys.executable, "-c", "from mentor_sched.cli import main; main()"]
    )
    rel = EXAMPLE.relative_to(ROOT)
    done = subprocess.run(
        [*cmd, "validate", str(rel), "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["owed_events"] == 96
