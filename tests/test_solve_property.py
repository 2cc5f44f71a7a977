"""Property: every solved plan passes the independent checker and accounts for
every owed event exactly once (planned or unmet with a reason).

Two sources of small clusters: hypothesis-built ones that mix every rule the
solver models (bases, travel times, breaks, daily limits, phases, absences,
closures, holidays, online meetings, group topics, covers), and the seeded
generator's realistic ones at tiny sizes.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from clusters import dump
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentor_sched import load
from mentor_sched.check import check
from mentor_sched.generate import generate
from mentor_sched.plan import Plan, Status
from mentor_sched.problem import Problem
from mentor_sched.solver import solve

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
MONDAY = date(2027, 1, 11)
HOURS = ("08:00-17:00", "09:00-15:00", "12:00-16:30", "08:30-12:30")
MORNING = ("09:00-10:00", "09:00-11:30", "10:15-11:15", "11:00-12:00")
AFTERNOON = ("13:00-14:00", "13:00-15:30", "14:15-15:00", "15:00-16:30")
PROPERTY = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def _day_pattern(draw, ranges: tuple[str, ...], min_size: int = 0) -> dict:
    days = draw(st.lists(st.sampled_from(WEEKDAYS), min_size=min_size, max_size=3))
    out: dict[str, Any] = {}
    for d in sorted(set(days), key=WEEKDAYS.index):
        picked = draw(st.lists(st.sampled_from(ranges), min_size=1, max_size=2))
        picked = sorted(set(picked))
        # two ranges of one day must not overlap: keep the first if they do
        if len(picked) == 2 and picked[0][6:] > picked[1][:5]:
            picked = picked[:1]
        out[d] = picked[0] if len(picked) == 1 else picked
    return out


@st.composite
def tiny_clusters(draw) -> dict[str, Any]:
    weeks = draw(st.integers(1, 2))
    days = [MONDAY + timedelta(w * 7 + d) for w in range(weeks) for d in range(5)]
    last = days[-1]
    iso = [d.isoformat() for d in days]
    nschools = draw(st.integers(1, 3))
    schools = []
    for i in range(nschools):
        s: dict[str, Any] = {
            "id": f"s{i}",
            "name": f"School {i}",
            "phase": draw(st.sampled_from(["primary", "secondary"])),
            "location": {"lat": 52.0 + i / 20, "lon": 0.7 + i / 20},
        }
        if draw(st.booleans()):
            s["open"] = "08:00-16:00"
        if draw(st.integers(0, 3)) == 0:
            s["closed"] = [draw(st.sampled_from(iso))]
        schools.append(s)
    holidays = []
    if draw(st.integers(0, 3)) == 0:
        holidays = [draw(st.sampled_from(iso))]
    mentors = []
    for i in range(draw(st.integers(1, 2))):
        m: dict[str, Any] = {
            "id": f"em-{i}",
            "name": f"Mentor {i}",
            "works": {
                d: draw(st.sampled_from(HOURS))
                for d in sorted(
                    set(
                        draw(
                            st.lists(st.sampled_from(WEEKDAYS), min_size=1, max_size=4)
                        )
                    ),
                    key=WEEKDAYS.index,
                )
            },
        }
        base = draw(st.sampled_from(["none", "latlon", "school"]))
        if base == "latlon":
            m["base"] = {"lat": 52.03, "lon": 0.72}
        elif base == "school":
            m["base"] = draw(st.sampled_from([s["id"] for s in schools]))
        if draw(st.integers(0, 3)) == 0:
            m["phases"] = [draw(st.sampled_from(["primary", "secondary"]))]
        away = []
        if draw(st.integers(0, 2)) == 0:
            away.append({"on": draw(st.sampled_from(iso))})
        if draw(st.integers(0, 2)) == 0:
            away.append({"on": draw(st.sampled_from(iso)), "time": "12:00-14:00"})
        if away:
            m["away"] = away
        if draw(st.booleans()):
            m["max_travel_minutes_per_day"] = draw(st.sampled_from([30, 60, 90, 120]))
        if draw(st.booleans()):
            m["max_minutes_per_day"] = draw(st.sampled_from([60, 120, 240]))
        if draw(st.booleans()):
            m["break"] = {
                "minutes": draw(st.sampled_from([20, 30, 45])),
                "between": draw(st.sampled_from(["12:00-13:30", "11:45-13:00"])),
            }
        mentors.append(m)
    places = [s["id"] for s in schools] + [
        m["id"] for m in mentors if isinstance(m.get("base"), dict)
    ]
    minutes = [
        [a, b, draw(st.sampled_from([5, 15, 25, 40, 60]))]
        for i, a in enumerate(places)
        for b in places[i + 1 :]
    ]
    people = []
    for i in range(draw(st.integers(1, 5))):
        p: dict[str, Any] = {
            "id": f"p{i}",
            "name": f"Person {i}",
            "role": draw(st.sampled_from(["ect", "trainee", "school-mentor"])),
            "school": draw(st.sampled_from([s["id"] for s in schools])),
            "teaching": _day_pattern(draw, MORNING),
            "free": _day_pattern(draw, AFTERNOON, min_size=1),
        }
        if draw(st.integers(0, 2)) == 0:
            p["days"] = sorted(
                set(draw(st.lists(st.sampled_from(WEEKDAYS), min_size=1, max_size=5))),
                key=WEEKDAYS.index,
            )
        if draw(st.integers(0, 2)) == 0:
            p["away"] = [
                draw(
                    st.sampled_from(
                        [
                            {"on": draw(st.sampled_from(iso))},
                            {"on": draw(st.sampled_from(iso)), "time": "13:00-14:00"},
                        ]
                    )
                )
            ]
        people.append(p)
    ids = [p["id"] for p in people]
    demand = []
    for i in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["meeting", "meeting", "observation", "group"]))
        who = sorted(set(draw(st.lists(st.sampled_from(ids), min_size=1, max_size=3))))
        d: dict[str, Any] = {"id": f"d{i}", "kind": kind, "who": {"ids": who}}
        d["every"] = draw(st.sampled_from(["week", "fortnight", "once"]))
        if draw(st.integers(0, 3)) == 0:
            d["priority"] = draw(st.integers(2, 3))
        if kind == "meeting":
            d["minutes"] = draw(st.sampled_from([30, 45, 60]))
            d["online_ok"] = draw(st.booleans())
        elif kind == "observation":
            d["minutes"] = draw(st.sampled_from([30, 60]))
        else:
            d["minutes"] = 60
            venues = draw(
                st.lists(
                    st.sampled_from([s["id"] for s in schools] + ["online"]),
                    min_size=1,
                    max_size=2,
                )
            )
            d["venues"] = sorted(set(venues))
            d["window"] = {
                "time": draw(st.sampled_from(["13:00-16:00", "09:00-12:00"]))
            }
            if draw(st.booleans()):
                d["window"]["days"] = sorted(
                    set(draw(st.lists(st.sampled_from(WEEKDAYS), min_size=1))),
                    key=WEEKDAYS.index,
                )
            if d["every"] == "week" and draw(st.booleans()):
                d["topics"] = ["One", "Two", "Three"][: draw(st.integers(1, 3))]
        if kind != "group" and draw(st.booleans()):
            d["window"] = {
                "days": draw(st.lists(st.sampled_from(WEEKDAYS), min_size=1))
            }
            d["window"]["days"] = sorted(set(d["window"]["days"]), key=WEEKDAYS.index)
        demand.append(d)
    if draw(st.booleans()):
        # a cover on a day the person's school is open
        p = draw(st.sampled_from(people))
        school = next(s for s in schools if s["id"] == p["school"])
        open_days = [x for x in iso if x not in school.get("closed", [])]
        open_days = [x for x in open_days if x not in holidays]
        if open_days:
            demand.append(
                {
                    "id": "cover",
                    "kind": "cover",
                    "who": {"ids": [p["id"]]},
                    "at": {
                        "date": draw(st.sampled_from(open_days)),
                        "time": "10:00-11:00",
                    },
                }
            )
    calendar: dict[str, Any] = {"bank_holidays": "none"}
    if holidays:
        calendar["holidays"] = holidays
    data: dict[str, Any] = {
        "version": 1,
        "cluster": {
            "name": "Property Cluster",
            "horizon": {"from": MONDAY.isoformat(), "to": last.isoformat()},
        },
        "calendar": calendar,
        "schools": schools,
        "mentors": mentors,
        "people": people,
        "demand": demand,
    }
    if minutes:
        data["travel"] = {"minutes": minutes}
    return data


def assert_sound(problem: Problem, plan: Plan) -> None:
    """The checker finds nothing, every owed event is planned or unmet exactly
    once (each unmet with a reason), and the objective is the sum of its terms."""
    assert check(problem, plan) == []
    ids = [e.id for e in plan.events] + [u.id for u in plan.unmet]
    assert sorted(ids) == sorted(o.id for o in problem.owed)
    assert all(u.reason.strip() for u in plan.unmet)
    assert plan.solver.status in (Status.OPTIMAL, Status.FEASIBLE)
    assert plan.solver.objective == sum(plan.metrics["objective_terms"].values())
    assert plan.metrics["owed"] == len(problem.owed)


def _solve_text(tmp_path: Path, text: str, name: str) -> tuple[Problem, Plan]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    problem = load(path)
    return problem, solve(problem, time_limit=3, workers=1).plan


@PROPERTY
@given(data=tiny_clusters())
def test_tiny_clusters_solve_to_sound_plans(tmp_path_factory, data):
    tmp_path = tmp_path_factory.mktemp("tiny")
    problem, plan = _solve_text(tmp_path, dump(data), "tiny.yaml")
    assert_sound(problem, plan)


@PROPERTY
@given(
    schools=st.integers(1, 3),
    mentors=st.integers(1, 2),
    people=st.integers(2, 8),
    weeks=st.integers(1, 3),
    seed=st.integers(0, 10_000),
)
def test_generated_clusters_solve_to_sound_plans(
    tmp_path_factory, schools, mentors, people, weeks, seed
):
    text = generate(
        schools=schools, mentors=mentors, people=people, weeks=weeks, seed=seed
    )
    problem, plan = _solve_text(tmp_path_factory.mktemp("gen"), text, "gen.yaml")
    assert_sound(problem, plan)
