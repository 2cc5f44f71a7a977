"""The cluster generator and the shipped scenario files."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from mentor_sched import load
from mentor_sched.cli import main
from mentor_sched.generate import generate, school_year_holidays
from mentor_sched.input.model import WhatIfFile
from mentor_sched.input.yaml_reader import read_yaml
from mentor_sched.summary import summarise

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
CLUSTERS = sorted(SCENARIOS.glob("*/cluster.yaml"))
WHATIFS = sorted(p for p in SCENARIOS.glob("*/*.yaml") if p.name != "cluster.yaml")

TINY = {"schools": 2, "mentors": 1, "people": 4, "weeks": 2}
MID = {"schools": 12, "mentors": 2, "people": 40, "weeks": 20}
LARGE = {"schools": 120, "mentors": 15, "people": 500, "weeks": 39}


def _load_text(tmp_path: Path, text: str):
    path = tmp_path / "cluster.yaml"
    path.write_text(text, encoding="utf-8")
    return load(path)


def test_same_seed_gives_identical_text():
    assert generate(**MID, seed=7) == generate(**MID, seed=7)


def test_text_does_not_depend_on_hash_seed():
    # set iteration order changes with PYTHONHASHSEED; the text must not
    code = (
        "import sys; from mentor_sched.generate import generate; "
        "sys.stdout.write(generate(schools=12, mentors=2, people=40, weeks=20, seed=7))"
    )
    texts = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": h},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for h in ("1", "2")
    }
    assert texts == {generate(**MID, seed=7)}


def test_different_seeds_give_different_text():
    texts = {generate(**MID, seed=s) for s in range(5)}
    assert len(texts) == 5


@pytest.mark.parametrize(
    ("size", "seed", "start"),
    [
        (TINY, 0, date(2026, 9, 7)),
        (TINY, 13, date(2027, 3, 27)),  # a Saturday before the Easter holidays
        (MID, 1, date(2026, 9, 7)),
        (MID, 20, date(2027, 1, 6)),  # mid-week start
        ({"schools": 5, "mentors": 6, "people": 3, "weeks": 50}, 2, date(2026, 9, 7)),
        ({"schools": 1, "mentors": 1, "people": 0, "weeks": 1}, 3, date(2026, 9, 7)),
        (LARGE, 0, date(2026, 9, 7)),
    ],
)
def test_generated_file_loads_with_requested_counts(tmp_path, size, seed, start):
    problem = _load_text(tmp_path, generate(**size, seed=seed, start=start))
    assert len(problem.schools) == size["schools"]
    assert len(problem.mentors) == size["mentors"]
    assert len(problem.people) == size["people"]
    assert len(problem.calendar.weeks) == size["weeks"]
    assert problem.horizon[0] == start


def test_people_are_mostly_ects_then_trainees_then_school_mentors(tmp_path):
    problem = _load_text(tmp_path, generate(**LARGE, seed=4))
    roles = Counter(p.role for p in problem.people.values())
    # 45% / 35% / 20% of 500
    assert roles == {"ect": 225, "trainee": 175, "school-mentor": 100}
    years = Counter(p.ect_year for p in problem.people.values() if p.role == "ect")
    assert set(years) == {1, 2}


def test_generated_demand_has_every_kind_and_a_realistic_load(tmp_path):
    size = {"schools": 30, "mentors": 3, "people": 120, "weeks": 39}
    problem = _load_text(tmp_path, generate(**size, seed=5))
    kinds = Counter(d.kind for d in problem.demands.values())
    assert set(kinds) == {"meeting", "observation", "group", "cover"}
    assert any(d.when_mentor_away for d in problem.demands.values())
    summary = summarise(problem)
    owed = sum(w["owed_minutes"] for w in summary["capacity"])
    working = sum(w["working_minutes"] for w in summary["capacity"])
    assert 0.55 <= owed / working <= 0.85
    # nearly every owed event has some slot on its own
    assert len(summary["no_possible_slot"]) <= 5


def test_generated_calendar_is_an_english_school_year(tmp_path):
    problem = _load_text(tmp_path, generate(**LARGE, seed=0))
    holiday_mondays = {m for m, _ in problem.calendar.holiday_weeks}
    # autumn half term, two weeks of Christmas, February half term, two weeks
    # of Easter 2027 (Good Friday 26 March), May half term
    assert holiday_mondays == {
        date(2026, 10, 26),
        date(2026, 12, 21),
        date(2026, 12, 28),
        date(2027, 2, 15),
        date(2027, 3, 22),
        date(2027, 3, 29),
        date(2027, 5, 31),
    }
    assert problem.horizon == (date(2026, 9, 7), date(2027, 7, 23))


def test_school_year_holidays_2026():
    got = [(a, b) for a, b, _ in school_year_holidays(2026)]
    assert got == [
        (date(2026, 10, 26), date(2026, 10, 30)),
        (date(2026, 12, 21), date(2027, 1, 1)),
        (date(2027, 2, 15), date(2027, 2, 19)),
        (date(2027, 3, 22), date(2027, 4, 2)),
        (date(2027, 5, 31), date(2027, 6, 4)),
        (date(2027, 7, 26), date(2027, 9, 3)),
    ]


def test_large_generation_is_fast():
    generate(**TINY, seed=0)  # first use loads the bank holiday tables
    t = time.perf_counter()
    generate(**LARGE, seed=1)
    assert time.perf_counter() - t < 2.0


@pytest.mark.parametrize("bad", [{"schools": 0}, {"mentors": 0}, {"weeks": 0}])
def test_impossible_sizes_are_refused(bad):
    with pytest.raises(ValueError, match="at least"):
        generate(**{**TINY, **bad}, seed=0)


def test_scenarios_are_shipped():
    assert len(CLUSTERS) >= 2
    assert len(WHATIFS) >= 8


@pytest.mark.parametrize("path", CLUSTERS, ids=lambda p: p.parent.name)
def test_scenario_cluster_validates(path):
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert "valid." in result.output


@pytest.mark.parametrize("path", WHATIFS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_scenario_whatif_matches_the_spec(path):
    """Until ``mentor-sched whatif`` exists: the file has the spec's shape and
    names only things of its base cluster."""
    whatif = WhatIfFile.model_validate(read_yaml(path.read_bytes()).data)
    base = load(path.parent / whatif.base)
    c = whatif.changes
    assert any([c.away, c.closed, c.leave, c.join, c.works]) or whatif.frozen_until
    for a in c.away:
        assert a.who in base.people or a.who in base.mentors
    for x in c.closed:
        assert x.school in base.schools
    for leave in c.leave:
        assert leave.who in base.people
    for person in c.join:
        assert person.school in base.schools
        assert person.id not in base.people
    for mentor in c.works:
        assert mentor in base.mentors
    if c.works:
        assert whatif.frozen_until is not None
