"""``mentor-sched alternatives``: where else one event could go, what it would
cost, and what would have to move; ``--pin N`` as a what-if that re-plans to
exactly that placement; the what-if ``pins`` change it writes.

The tiny cluster: one week (Mon 4 to Fri 8 January 2027, no holidays), one
mentor working Mon-Thu 08:00-17:00 from a base, two schools. Travel (minutes,
both ways): base-oak 20, base-elm 30, oak-elm 25. Every event is 60 minutes
and every free or teaching range is exactly one hour, so each option has one
start. The meetings (weekly, one owed each):

- ect-bo (oak) Mon 11:00; ect-eve (oak) Mon 09:00 or Tue 14:00;
- ect-cy (elm) Tue 11:00; ect-fay (oak) Wed 11:00.

The observation of ect-al (oak) may be Mon, Tue, Wed or Thu at 09:00; the
plan under test has it pinned to Thursday, a day with no other visit. So the
plan: Mon base-oak-base 40 (eve 09:00, bo 11:00; eve is cheaper there than
on Tuesday after elm), Tue base-elm-base 60, Wed base-oak-base 40, Thu
base-oak-base 40: 180 minutes of travel.
"""

from __future__ import annotations

import json
import os
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from clusters import EXAMPLE, dump, line_of

from mentor_sched import load
from mentor_sched.alternatives import (
    AlternativesError,
    alternatives,
    write_pin_whatif,
)
from mentor_sched.check import check
from mentor_sched.cli import main
from mentor_sched.input import InputErrors
from mentor_sched.metrics import compute_metrics
from mentor_sched.plan import Plan, Unmet
from mentor_sched.solver import objective_terms, solve
from mentor_sched.whatif import load_whatif, whatif

OBS = "obs/ect-al/0"
EVE = "meet/ect-eve/0"

TINY = {
    "version": 1,
    "cluster": {
        "name": "Tiny Alternatives",
        "horizon": {"from": "2027-01-04", "to": "2027-01-08"},
    },
    "calendar": {"bank_holidays": "none"},
    "travel": {
        "minutes": [["em-ann", "oak", 20], ["em-ann", "elm", 30], ["oak", "elm", 25]]
    },
    "schools": [
        {
            "id": "oak",
            "name": "Oak Primary",
            "phase": "primary",
            "location": {"lat": 52.0, "lon": 0.7},
        },
        {
            "id": "elm",
            "name": "Elm Primary",
            "phase": "primary",
            "location": {"lat": 52.1, "lon": 0.8},
        },
    ],
    "mentors": [
        {
            "id": "em-ann",
            "name": "Ann Lee",
            "base": {"lat": 52.05, "lon": 0.75},
            "works": {d: "08:00-17:00" for d in ("mon", "tue", "wed", "thu")},
        }
    ],
    "people": [
        {
            "id": "ect-al",
            "name": "Al Shaw",
            "role": "ect",
            "school": "oak",
            "teaching": {d: "09:00-10:00" for d in ("mon", "tue", "wed", "thu")},
        },
        {
            "id": "ect-bo",
            "name": "Bo Reed",
            "role": "ect",
            "school": "oak",
            "free": {"mon": "11:00-12:00"},
        },
        {
            "id": "ect-eve",
            "name": "Eve Hart",
            "role": "ect",
            "school": "oak",
            "free": {"mon": "09:00-10:00", "tue": "14:00-15:00"},
        },
        {
            "id": "ect-cy",
            "name": "Cy Dunn",
            "role": "ect",
            "school": "elm",
            "free": {"tue": "11:00-12:00"},
        },
        {
            "id": "ect-fay",
            "name": "Fay Moss",
            "role": "ect",
            "school": "oak",
            "free": {"wed": "11:00-12:00"},
        },
    ],
    "demand": [
        {
            "id": "meet",
            "kind": "meeting",
            "who": {"ids": ["ect-bo", "ect-eve", "ect-cy", "ect-fay"]},
            "minutes": 60,
        },
        {"id": "obs", "kind": "observation", "who": {"ids": ["ect-al"]}, "minutes": 60},
    ],
}

PIN_THURSDAY = {
    "demand": "obs",
    "person": "ect-al",
    "date": "2027-01-07",
    "start": "09:00",
}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """The cluster file (no pins), its problem, and the plan made with the
    observation pinned to Thursday, saved as ``solve`` saves it
    (``out/tiny/plan.json``, naming ``tiny.yaml``)."""
    root = tmp_path_factory.mktemp("tiny")
    path = root / "tiny.yaml"
    path.write_text(dump(TINY), encoding="utf-8")
    pinned = root / "pinned.yaml"
    pinned.write_text(dump({**TINY, "pins": [PIN_THURSDAY]}), encoding="utf-8")
    problem = load(path)
    plan = solve(load(pinned), time_limit=5, workers=1).plan
    plan = replace(
        plan,
        input_sha256=problem.input_sha256,
        cluster_file=os.path.relpath(path, root / "out" / "tiny"),
    )
    (root / "out" / "tiny").mkdir(parents=True)
    (root / "out" / "tiny" / "plan.json").write_text(plan.dumps(), encoding="utf-8")
    return root, problem, plan


def _at(plan: Plan, event_id: str) -> tuple[str, str, str]:
    e = plan.event(event_id)
    assert e is not None
    return (e.date.isoformat(), f"{e.start // 60:02d}:{e.start % 60:02d}", e.venue)


def test_the_tiny_plan_is_the_one_the_docstring_derives(tiny):
    _, problem, plan = tiny
    assert check(problem, plan) == []
    assert plan.metrics["travel_minutes"] == 40 + 60 + 40 + 40
    assert _at(plan, OBS) == ("2027-01-07", "09:00", "oak")
    assert _at(plan, EVE) == ("2027-01-04", "09:00", "oak")


def test_alternatives_ranked_by_events_moved_then_objective_change(tiny):
    _, problem, plan = tiny
    result = alternatives(problem, plan, OBS)
    got = [
        (a.slot.date, a.slot.start, a.slot.venue, a.delta, a.terms, len(a.moves))
        for a in result.alternatives
    ]
    nothing = {k: 0 for k in ("unmet", "missed_attendance", "pattern", "share")}
    nothing |= {"continuity": 0, "in_person": 0, "rotate_venues": 0}
    assert got == [
        # Wednesday: Ann visits oak already (Fay at 11:00); Thursday's 40 go
        (date(2027, 1, 6), 9 * 60, "oak", -40, {**nothing, "travel": -40}, 0),
        # Tuesday: a visit to elm, so base-oak-elm-base 75 instead of 60: +15-40
        (date(2027, 1, 5), 9 * 60, "oak", -25, {**nothing, "travel": -25}, 0),
        # Monday: Eve's meeting is there at 09:00; it moves to Tue 14:00 (+15)
        (date(2027, 1, 4), 9 * 60, "oak", -25, {**nothing, "travel": -25}, 1),
    ]
    assert result.considered == 3  # Mon, Tue, Wed: Thursday is where it is
    assert result.current is not None and result.current.date == date(2027, 1, 7)
    assert result.objective == 180


def test_a_clashing_placement_lists_exactly_the_event_in_the_way(tiny):
    _, problem, plan = tiny
    monday = alternatives(problem, plan, OBS).alternatives[2]
    assert [m.event for m in monday.moves] == [EVE]
    (move,) = monday.moves
    assert (move.before.date, move.before.start) == (date(2027, 1, 4), 9 * 60)
    # Eve's only other slot: Tuesday 14:00, after Cy at elm (elm-oak 25)
    assert move.after is not None
    assert (move.after.date, move.after.start, move.after.venue) == (
        date(2027, 1, 5),
        14 * 60,
        "oak",
    )
    # Bo at 11:00 on Monday is at oak too: no travel between, not in the way
    assert "meet/ect-bo/0" not in [m.event for m in monday.moves]


def test_each_alternative_is_a_clean_plan_whose_terms_give_its_change(tiny):
    _, problem, plan = tiny
    base = objective_terms(problem, plan, compute_metrics(problem, plan), None, None)
    for a in alternatives(problem, plan, OBS).alternatives:
        assert check(problem, a.plan) == []
        assert _at(a.plan, OBS)[0] == a.slot.date.isoformat()
        terms = objective_terms(
            problem, a.plan, compute_metrics(problem, a.plan), None, None
        )
        assert sum(terms.values()) - sum(base.values()) == a.delta


def test_an_unmet_event_is_offered_where_it_could_go(tiny):
    _, problem, plan = tiny
    thursday = date(2027, 1, 7)
    unplanned = replace(
        plan,
        events=tuple(e for e in plan.events if e.id != OBS),
        travel=tuple(t for t in plan.travel if t.date != thursday),
        unmet=(Unmet(OBS, "obs", ("ect-al",), 0, "taken out for the test"),),
    )
    metrics = compute_metrics(problem, unplanned)
    metrics["objective_terms"] = objective_terms(
        problem, unplanned, metrics, None, None
    )
    unplanned = replace(unplanned, metrics=metrics)
    assert check(problem, unplanned) == []
    result = alternatives(problem, unplanned, OBS)
    assert result.current is None
    # planning it saves the unmet weight (1000) less its travel: Wed 0, Tue
    # +15, Thu +40 (a trip of its own), Mon +15 for Eve's move
    assert [(a.slot.date.day, a.delta, len(a.moves)) for a in result.alternatives] == [
        (6, -1000, 0),
        (5, -985, 0),
        (7, -960, 0),
        (4, -985, 1),
    ]


def test_unknown_event_is_an_error_naming_it(tiny):
    _, problem, plan = tiny
    with pytest.raises(
        AlternativesError, match=r"no event 'obs/ect-al/9'.*'obs/ect-al/0'"
    ):
        alternatives(problem, plan, "obs/ect-al/9")


# -- the command ---------------------------------------------------------------------


def _run(root: Path, *args: str):
    cwd = os.getcwd()
    os.chdir(root)
    try:
        return CliRunner().invoke(main, list(args))
    finally:
        os.chdir(cwd)


def test_command_prints_the_ranked_table(tiny):
    root, _, _ = tiny
    r = _run(root, "alternatives", "out/tiny/plan.json", OBS)
    assert r.exit_code == 0, r.output
    rows = [
        line.split() for line in r.output.splitlines() if line[:4].strip().isdigit()
    ]
    assert [(row[0], row[2], row[6]) for row in rows[:3]] == [
        ("1", "2027-01-06", "-40"),
        ("2", "2027-01-05", "-25"),
        ("3", "2027-01-04", "-25"),
    ]
    assert f"{EVE} -> Tue 2027-01-05 14:00-15:00, em-ann at oak" in r.output


def test_command_json(tiny):
    root, _, _ = tiny
    r = _run(root, "alternatives", "out/tiny/plan.json", OBS, "--json", "--top", "2")
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["event"] == OBS and data["objective"] == 180
    assert [a["rank"] for a in data["alternatives"]] == [1, 2]
    first = data["alternatives"][0]
    assert (first["date"], first["start"], first["mentor"], first["venue"]) == (
        "2027-01-06",
        "09:00",
        "em-ann",
        "oak",
    )
    assert first["objective_change"] == -40 and first["would_move"] == []


def test_pin_writes_a_whatif_that_replans_to_exactly_that_placement(tiny):
    root, problem, plan = tiny
    r = _run(root, "alternatives", "out/tiny/plan.json", OBS, "--pin", "3")
    assert r.exit_code == 0, r.output
    written = root / "out" / "tiny.whatifs" / "alternatives" / "obs-ect-al-0-3.yaml"
    assert f"Wrote alternative 3 as a what-if: {written.relative_to(root)}" in r.output
    wi = load_whatif(written)
    assert wi.title == "Move obs/ect-al/0 to Mon 2027-01-04 09:00-10:00"
    assert wi.base_path.resolve() == (root / "tiny.yaml").resolve()
    # the observation, and Eve's meeting it moves, are pinned where listed
    result = whatif(wi, baseline=plan, time_limit=5, workers=1)
    assert result.violations() == []
    assert _at(result.plan, OBS) == ("2027-01-04", "09:00", "oak")
    assert _at(result.plan, EVE) == ("2027-01-05", "14:00", "oak")
    terms = result.plan.metrics["objective_terms"]
    before = plan.metrics["objective_terms"]
    # the change predicted (-25), and the what-if's price for 2 moved events
    assert sum(terms[k] - before.get(k, 0) for k in terms if k != "change") == -25
    assert terms["change"] == 2 * problem.weights.change


def test_pin_through_the_whatif_command(tiny):
    root, _, _ = tiny
    r = _run(root, "alternatives", "out/tiny/plan.json", OBS, "--pin", "1")
    assert r.exit_code == 0, r.output
    path = "out/tiny.whatifs/alternatives/obs-ect-al-0-1.yaml"
    r = _run(root, "whatif", path, "--time-limit", "5", "--workers", "1", "--json")
    assert r.exit_code == 0, r.output
    out = root / "out" / "tiny.whatifs" / "obs-ect-al-0-1" / "plan.json"
    assert _at(Plan.read(out), OBS) == ("2027-01-06", "09:00", "oak")
    r = _run(root, "check", path, str(out.relative_to(root)))
    assert r.exit_code == 0, r.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["out/tiny/plan.json", "obs/ect-al/7"], "no event 'obs/ect-al/7'"),
        (["out/tiny/plan.json", OBS, "--pin", "4"], "--pin 4: obs/ect-al/0 has only 3"),
        (["out/tiny/plan.json", OBS, "--pin", "0"], "numbered from 1"),
        (["out/none/plan.json", OBS], "no such file"),
        (["tiny.yaml", OBS], "not a mentor-sched plan.json"),
        (
            ["out/tiny/plan.json", OBS, "--pin", "1", "--out", "out/tiny/w.yaml"],
            "a solve's output folder",
        ),
        (["out/tiny/plan.json", OBS, "--out", "w.yaml"], "give --pin N too"),
    ],
)
def test_bad_input_exits_2_with_a_message(tiny, args, message):
    root, _, _ = tiny
    (root / "out" / "tiny" / ".run.json").write_text(
        json.dumps({"format": "mentor-sched/run@1", "kind": "solve"}), "utf-8"
    )
    r = _run(root, "alternatives", *args)
    assert r.exit_code == 2, r.output
    assert message in r.output
    assert "Traceback" not in r.output


# -- the what-if `pins` change --------------------------------------------------------


def _whatif_file(root: Path, pins: str, extra: str = "") -> Path:
    path = root / "w.yaml"
    path.write_text(
        "version: 1\nwhatif: pin it\nbase: tiny.yaml\nchanges:\n  pins:\n"
        + pins
        + extra,
        encoding="utf-8",
    )
    return path


def test_pins_change_breaking_a_hard_rule_is_an_error_at_its_line(tiny):
    root, _, _ = tiny
    text = (
        '    - {demand: obs, person: ect-al, date: 2027-01-06, start: "09:00"}\n'
        '    - {demand: obs, person: ect-al, date: 2027-01-08, start: "09:00"}\n'
        '    - {demand: meat, person: ect-bo, date: 2027-01-04, start: "11:00"}\n'
    )
    path = _whatif_file(root, text)
    with pytest.raises(InputErrors) as exc:
        load_whatif(path)
    errors = {e.path: e for e in exc.value.errors}
    bad = errors["changes.pins[1]"]
    assert bad.line == line_of(path.read_text(), "2027-01-08")
    assert "breaks a hard rule" in bad.message
    # Friday: Al teaches Monday to Thursday only
    assert "ect-al has no teaching time on the days they are in on 2027-01-08" in (
        bad.message
    )
    unknown = errors["changes.pins[2].demand"]
    assert unknown.line == line_of(path.read_text(), "meat")
    assert "did you mean 'meet'" in str(unknown)
    assert len(exc.value.errors) == 2


def test_pins_change_before_frozen_until_is_an_error(tiny):
    root, _, _ = tiny
    path = _whatif_file(
        root,
        '    - {demand: obs, person: ect-al, date: 2027-01-05, start: "09:00"}\n',
        "frozen_until: 2027-01-06\n",
    )
    with pytest.raises(InputErrors) as exc:
        load_whatif(path)
    (e,) = exc.value.errors
    assert e.path == "changes.pins[0].date" and "before frozen_until" in e.message


def test_pins_change_defaults_frozen_until_to_its_period_and_replaces_a_pin(tiny):
    root, _, _ = tiny
    (root / "pinned.yaml").write_text(
        dump({**TINY, "pins": [PIN_THURSDAY]}), encoding="utf-8"
    )
    path = root / "w2.yaml"
    path.write_text(
        "version: 1\nwhatif: pin it\nbase: pinned.yaml\nchanges:\n  pins:\n"
        '    - {demand: obs, person: ect-al, date: 2027-01-06, start: "09:00"}\n',
        encoding="utf-8",
    )
    wi = load_whatif(path)
    # the observation's period is the week: the baseline may have it on Monday
    assert wi.frozen_until == date(2027, 1, 4)
    (pin,) = wi.problem.pins  # the cluster's Thursday pin gave way
    assert (pin.event, pin.date) == (OBS, date(2027, 1, 6))
    assert [c.text for c in wi.changes] == [
        "obs/ect-al/0 pinned to Wed 2027-01-06 09:00"
    ]


# -- the shipped example ---------------------------------------------------------------


@pytest.fixture(scope="module")
def example():
    problem = load(EXAMPLE)
    return problem, solve(problem, time_limit=5, workers=1).plan


def test_every_alternative_on_the_example_replans_to_its_predicted_change(
    example, tmp_path
):
    problem, plan = example
    result = alternatives(problem, plan, "ect-observations/ect-ben/0", top=6)
    assert result.alternatives
    before = plan.metrics["objective_terms"]
    for rank, alt in enumerate(result.alternatives, start=1):
        path = write_pin_whatif(
            problem, result, rank, EXAMPLE, tmp_path / f"{rank}.yaml"
        )
        replan = whatif(path, baseline=plan, time_limit=5, workers=1)
        assert replan.violations() == []
        e = replan.plan.event("ect-observations/ect-ben/0")
        assert e is not None
        assert (e.date, e.start, e.mentor, e.venue) == (
            alt.slot.date,
            alt.slot.start,
            alt.slot.mentor,
            alt.slot.venue,
        )
        terms = replan.plan.metrics["objective_terms"]
        change = sum(terms[k] - before.get(k, 0) for k in terms if k != "change")
        if all(m.after is not None for m in alt.moves):
            assert change == alt.delta, rank
        else:  # a displaced event left unmet: the re-plan may find it a slot
            assert change <= alt.delta, rank
