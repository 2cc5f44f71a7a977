"""Reports: attributed minutes, cost apportioning, the CSV and Markdown files.

The hand plan below uses the Stour Valley example (one mentor, em-sarah,
day_rate 380, no Wednesdays or Fridays) and three working days:

Mon 2027-01-11 (week 1)
  E1 ect-observations/ect-nia/0  09:50-10:40 stour-academy     50 min, Nia (stour)
  E2 ect1-meetings/ect-ben/1     13:15-14:00 sudbury-primary   45 min, Ben (sudbury)
  E3 ect2-meetings/ect-tom/0     14:30-15:15 online            45 min, Tom (hadleigh)
  trips base->stour 20, stour->sudbury 15, sudbury->base 20 = 55 min
Thu 2027-01-14 (week 1)
  E4 ccf-sessions/topic-1        15:45-17:00 stour-academy     75 min, 4 trainees:
     Lucy (clare), Josh (hadleigh), Ella (lavenham, missed), Sam (stour)
  trips base->stour 20, stour->base 20 = 40 min
Thu 2027-01-21 (week 2)
  E5 cover-grace-training        13:15-15:15 clare-primary    120 min, Grace (clare)
  trips base->clare 30, clare->base 30 = 60 min
Unmet: ect1-meetings/ect-aisha/1 (lavenham), trainee-observations/tr-lucy/0 (clare).
"""

from __future__ import annotations

import csv
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from plan_fixtures import example_plan

from mentor_sched import load
from mentor_sched.plan import Event, Plan, SolverInfo, Status, Trip, Unmet
from mentor_sched.render.reports import (
    EVENTS_HEADER,
    REPORT_HEADER,
    attributed_minutes,
    mentor_rows,
    report_markdown,
    report_table,
    school_rows,
    totals,
    unmet_by_category,
    write_reports,
)
from mentor_sched.summary import unmet_categories
from mentor_sched.words import CROWDED, NO_SLOT

EXAMPLE = Path(__file__).parent.parent / "scenarios" / "stour-valley" / "cluster.yaml"
MON = date(2027, 1, 11)
THU = date(2027, 1, 14)
THU2 = date(2027, 1, 21)


def _t(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


def _event(id, kind, venue, people, day, start, end, missed=(), topic=None):
    demand, _, rest = id.partition("/")
    last = rest.rsplit("/", 1)[-1]
    period = int(last) if last.isdigit() else None
    return Event(
        id=id,
        demand=demand,
        kind=kind,
        period=period,
        mentor="em-sarah",
        venue=venue,
        people=tuple(people),
        missed=tuple(missed),
        topic=topic,
        date=day,
        start=_t(start),
        end=_t(end),
    )


def _trip(day, origin, dest, depart, minutes):
    return Trip(
        "em-sarah", day, origin, dest, _t(depart), _t(depart) + minutes, minutes
    )


def hand_plan() -> Plan:
    events = (
        _event("ect-observations/ect-nia/0", "observation", "stour-academy",
               ["ect-nia"], MON, "09:50", "10:40"),
        _event("ect1-meetings/ect-ben/1", "meeting", "sudbury-primary",
               ["ect-ben"], MON, "13:15", "14:00"),
        _event("ect2-meetings/ect-tom/0", "meeting", "online",
               ["ect-tom"], MON, "14:30", "15:15"),
        _event("ccf-sessions/topic-1", "group", "stour-academy",
               ["tr-lucy", "tr-josh", "tr-ella", "tr-sam"], THU, "15:45", "17:00",
               missed=["tr-ella"], topic="High expectations"),
        _event("cover-grace-training", "cover", "clare-primary",
               ["sm-grace"], THU2, "13:15", "15:15"),
    )  # fmt: skip
    travel = (
        _trip(MON, "base", "stour-academy", "09:25", 20),
        _trip(MON, "stour-academy", "sudbury-primary", "10:40", 15),
        _trip(MON, "sudbury-primary", "base", "14:00", 20),
        _trip(THU, "base", "stour-academy", "15:20", 20),
        _trip(THU, "stour-academy", "base", "17:00", 20),
        _trip(THU2, "base", "clare-primary", "12:40", 30),
        _trip(THU2, "clare-primary", "base", "15:15", 30),
    )
    unmet = (
        Unmet("ect1-meetings/ect-aisha/1", "ect1-meetings", ("ect-aisha",), 1,
              "em-sarah's Tuesday and Thursday are full that week"),
        Unmet("trainee-observations/tr-lucy/0", "trainee-observations",
              ("tr-lucy",), 0, "Lucy's Monday lesson clashes with other visits"),
    )  # fmt: skip
    info = SolverInfo(Status.FEASIBLE, 1200, 1100, 2.5)
    return Plan("Stour Valley", "", info, events, travel, unmet)


@pytest.fixture(scope="module")
def problem():
    return load(EXAMPLE)


@pytest.fixture
def plan() -> Plan:
    return hand_plan()


def _by(rows, key):
    return {r[key]: r for r in rows}


def test_attributed_minutes_split_equally_among_people(problem, plan):
    # sudbury: E2 45; stour: E1 50 + E4 75/4 = 68.75; hadleigh: E3 45 + 18.75
    # clare: 18.75 + E5 120; lavenham: 18.75 (Ella missed it but was invited).
    assert attributed_minutes(problem, plan) == {
        "sudbury-primary": 45,
        "lavenham-primary": 18.75,
        "clare-primary": 138.75,
        "hadleigh-primary": 63.75,
        "stour-academy": 68.75,
    }


def test_delivered_share_against_agreed_share(problem, plan):
    rows = _by(school_rows(problem, plan), "school")
    # total attributed = 50 + 45 + 45 + 75 + 120 = 335
    # clare 138.75 / 335 = 41.42% -> 41.4, share 15 -> deviation 26.4
    assert rows["clare-primary"]["delivered_pct"] == 41.4
    assert rows["clare-primary"]["share"] == 15
    assert rows["clare-primary"]["deviation_pct"] == 26.4
    # sudbury 45 / 335 = 13.43% -> 13.4; 0.75 hours
    assert rows["sudbury-primary"]["delivered_pct"] == 13.4
    assert rows["sudbury-primary"]["hours"] == 0.75
    # stour 68.75 / 60 = 1.1458 -> 1.15 hours
    assert rows["stour-academy"]["hours"] == 1.15


def test_cost_apportioned_by_day_in_proportion_to_minutes(problem, plan):
    rows = _by(school_rows(problem, plan), "school")
    # Mon: 380 over stour 50, sudbury 45, hadleigh 45 (of 140 minutes):
    #   stour 135.714..., sudbury 122.142..., hadleigh 122.142...
    # Thu 14: 380 over four schools with 18.75 each: 95 each (clare, hadleigh,
    #   lavenham, stour). Thu 21: 380 all to clare.
    # Exact: sudbury 122.1429, hadleigh 217.1429, stour 230.7143, clare 475,
    #   lavenham 95 (sum 1140 = 3 days x 380). Rounded down to pennies they sum
    #   to 1139.99; the missing penny goes to the largest remainder (stour .43).
    assert {s: r["cost"] for s, r in rows.items()} == {
        "sudbury-primary": 122.14,
        "lavenham-primary": 95.0,
        "clare-primary": 475.0,
        "hadleigh-primary": 217.14,
        "stour-academy": 230.72,
    }
    assert round(sum(r["cost"] for r in rows.values()), 2) == 1140.0
    assert totals(problem, plan)["cost"] == 1140.0


def test_travel_only_day_is_charged_but_not_attributed(problem, plan):
    # Wed is not a working day, so use Tue 2027-01-12: a trip and no event.
    extra = _trip(date(2027, 1, 12), "base", "sudbury-primary", "09:00", 20)
    plan = replace(plan, travel=(*plan.travel, extra))
    t = totals(problem, plan)
    assert mentor_rows(problem, plan)[0]["days_worked"] == 4
    assert t["cost"] == 1520.0  # 4 x 380
    assert t["unattributed_cost"] == 380.0
    assert round(sum(r["cost"] for r in school_rows(problem, plan)), 2) == 1140.0
    # report.csv shows the uncharged day so that its costs still add up
    (row,) = [r for r in report_table(problem, plan) if r[2] == "(travel-only days)"]
    assert row[REPORT_HEADER.index("cost")] == 380.0


def test_mentor_row(problem, plan):
    (row,) = mentor_rows(problem, plan)
    # events 50 + 45 + 45 + 75 + 120 = 335; travel 55 + 40 + 60 = 155
    # working: 11 teaching Mondays and Tuesdays x 510 min (08:15-16:45), and
    # 11 teaching Thursdays less away 2027-02-04 = 10 x 555 (08:15-17:30):
    # 5610 + 5610 + 5550 = 16770. Utilisation 490 / 16770 = 2.92% -> 2.9.
    assert row == {
        "mentor": "em-sarah",
        "name": "Sarah Okafor",
        "days_worked": 3,
        "event_minutes": 335,
        "travel_minutes": 155,
        "working_minutes": 16770,
        "utilisation_pct": 2.9,
        "day_rate": 380,
        "cost": 1140.0,
    }


def test_events_planned_and_unmet_per_school(problem, plan):
    rows = _by(school_rows(problem, plan), "school")
    # the group session counts once for each of its four schools
    counts = {s: (r["planned"], r["unmet"]) for s, r in rows.items()}
    assert counts == {
        "sudbury-primary": (1, 0),
        "lavenham-primary": (1, 1),
        "clare-primary": (2, 1),
        "hadleigh-primary": (2, 0),
        "stour-academy": (2, 0),
    }
    t = totals(problem, plan)
    assert (t["planned"], t["unmet"], t["owed"]) == (5, 2, 96)


def test_unmet_categories(problem, plan):
    # both events fit on their own in the example, so they were crowded out
    categories = unmet_categories(problem, plan)
    assert unmet_by_category(problem, plan, categories) == {CROWDED: 2}
    # with the only mentor away on every teaching day nothing fits at all
    away = replace(
        problem.mentors["em-sarah"], away_days=frozenset(problem.calendar.days)
    )
    blocked = replace(problem, mentors={"em-sarah": away})
    categories = unmet_categories(blocked, plan)
    assert unmet_by_category(blocked, plan, categories) == {NO_SLOT: 2}


def test_unmet_categories_are_given_not_searched(problem, plan):
    # the renderer does not run the option search: untold, it names no category
    assert unmet_by_category(problem, plan) == {}
    told = report_markdown(problem, plan, unmet_categories(problem, plan))
    untold = report_markdown(problem, plan)
    assert f"; {CROWDED})" in told
    assert CROWDED not in untold
    assert told.replace(f"; {CROWDED}", "") == untold


def test_write_reports_events_csv_round_trip(problem, plan, tmp_path):
    paths = write_reports(problem, plan, tmp_path / "out")
    assert [p.name for p in paths] == ["events.csv", "report.csv", "report.md"]
    with (tmp_path / "out" / "events.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(plan.events)
    assert list(rows[0]) == EVENTS_HEADER
    assert {r["id"] for r in rows} == {e.id for e in plan.events}
    group = next(r for r in rows if r["kind"] == "group")
    assert group == {
        "id": "ccf-sessions/topic-1",
        "demand": "ccf-sessions",
        "kind": "group",
        "date": "2027-01-14",
        "weekday": "Thu",
        "start": "15:45",
        "end": "17:00",
        "minutes": "75",
        "mentor": "em-sarah",
        "mentor_name": "Sarah Okafor",
        "venue": "stour-academy",
        "venue_name": "Stour Valley Academy",
        "schools": "clare-primary;hadleigh-primary;lavenham-primary;stour-academy",
        "people": "Lucy Marsh;Josh Patel;Ella Brooks;Sam Idowu",
        "missed": "Ella Brooks",
        "topic": "High expectations",
        "period": "",
        "week": "1",
    }
    # no temporary files left behind
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "events.csv",
        "report.csv",
        "report.md",
    ]


def test_report_csv_rows(problem, plan, tmp_path):
    write_reports(problem, plan, tmp_path)
    with (tmp_path / "report.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    # five schools, one mentor, one total
    assert [r["section"] for r in rows] == ["school"] * 5 + ["mentor", "total"]
    stour = rows[4]
    assert (stour["id"], stour["minutes"], stour["cost"]) == (
        "stour-academy",
        "68.75",
        "230.72",
    )
    total = rows[-1]
    assert (total["minutes"], total["cost"], total["travel_minutes"]) == (
        "335.0",
        "1140.0",
        "155",
    )


def test_report_markdown_lists_unmet_by_school(problem, plan):
    md = report_markdown(problem, plan)
    lavenham = md.index("### Lavenham Church Primary (1)")
    clare = md.index("### Clare Castle Primary (1)")
    assert "ect1-meetings/ect-aisha/1" in md[lavenham:clare]
    assert "trainee-observations/tr-lucy/0" in md[clare:]
    assert "Lucy's Monday lesson clashes with other visits" in md[clare:]
    # three days at £380 = £1,140; Stour's agreed 30% of it is £342.00, it
    # received £230.72 of time: difference +£111.28
    assert (
        "| Stour Valley Academy | 68.75 | 1.15 | 30% | 20.5% | 342.00 | 230.72 "
        "| +111.28 | 2 | 0 |" in md
    )


def test_report_markdown_when_everything_is_planned(problem, plan):
    md = report_markdown(problem, replace(plan, unmet=()))
    assert "Every owed event is planned." in md
    assert "###" not in md


def test_shared_example_plan_round_trips_through_events_csv(problem, tmp_path):
    plan = example_plan(problem)
    write_reports(problem, plan, tmp_path)
    with (tmp_path / "events.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(plan.events)
    # sorted by date, start, mentor, id as plan.json is
    assert [r["id"] for r in rows] == [
        e.id for e in sorted(plan.events, key=Event.sort_key)
    ]
    assert sum(int(r["minutes"]) for r in rows) == sum(
        e.end - e.start for e in plan.events
    )


def test_every_output_file_is_0644(problem, plan, tmp_path):
    """Issue 10, item 8: report.md, report.csv and events.csv were 0600 (mkstemp
    with no chmod) while the feeds and timetable.html were 0644. Every file an
    output folder holds is rw-r--r--, whatever the umask."""
    import os
    import stat

    from mentor_sched.render.html import write_timetable
    from mentor_sched.render.ics import write_feeds

    old = os.umask(0o077)  # the strictest common umask: must not matter
    try:
        write_reports(problem, plan, tmp_path)
        write_feeds(problem, plan, tmp_path)
        write_timetable(problem, plan, tmp_path / "timetable.html")
    finally:
        os.umask(old)
    files = [p for p in tmp_path.rglob("*") if p.is_file() and p.suffix != ".json"]
    names = {p.name for p in files}
    assert {"report.md", "report.csv", "events.csv", "timetable.html"} <= names
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in files}
    assert set(modes.values()) == {0o644}, modes
