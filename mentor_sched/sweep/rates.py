"""Absence rates of a sweep (``RATES.yaml``) and how a run's absences are
sampled from them (docs/sweep.md gives each default and its source).

Every run draws from its own ``random.Random`` seeded by the sweep's seed and
the run's number, so run i has the same absences whatever backend or number of
workers runs it, and in whatever order.
"""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, ValidationError

from ..input import read_document
from ..input.errors import Collector, add_validation_errors
from ..input.model import Strict
from ..problem import Problem

FORMAT = "mentor-sched/rates@1"


class Rates(Strict):
    """Days of absence a year per person (one school year: ``school_year_days``
    teaching days), spells of ``spell_days`` days on average."""

    version: Annotated[int, Field(ge=1, le=1)] = 1
    # an Expert Mentor's sickness absence, days a year (working days)
    mentor_sickness_days: Annotated[float, Field(ge=0, le=100)] = 5.0
    # an in-school mentor's absence that needs the Expert Mentor's cover
    school_mentor_absence_days: Annotated[float, Field(ge=0, le=100)] = 5.0
    # unplanned closure of a school (weather, heating, water), days a year
    school_closure_days: Annotated[float, Field(ge=0, le=50)] = 0.5
    # mean length of a sickness spell, in teaching days
    spell_days: Annotated[float, Field(ge=1, le=30)] = 2.0
    # teaching days in a school year (England: 190 for pupils)
    school_year_days: Annotated[int, Field(ge=100, le=260)] = 190


def load_rates(path: str | Path | None) -> Rates:
    """The defaults, or RATES.yaml; InputErrors with file, line, field, value
    and a hint otherwise."""
    if path is None:
        return Rates()
    _, doc = read_document(path)
    try:
        return Rates.model_validate(doc.data)
    except ValidationError as exc:
        out = Collector(str(path), doc)
        add_validation_errors(out, exc, Rates)
        out.raise_if_any()
        raise AssertionError("unreachable") from None


def run_rng(seed: int, run: int) -> random.Random:
    # a string seed is hashed with SHA-512: the same stream on every machine
    return random.Random(f"mentor-sched-sweep:{seed}:{run}")


def _spells(
    rng: random.Random, days: list[date], per_day: float, mean: float
) -> list[tuple[date, date]]:
    """Spells of consecutive ``days``: a spell starts on a day with probability
    ``per_day / mean`` and lasts 1 + geometric days, ``mean`` on average."""
    out = []
    i = 0
    start_p = per_day / mean
    go_on = 1.0 - 1.0 / mean
    while i < len(days):
        if rng.random() < start_p:
            n = 1
            while rng.random() < go_on:
                n += 1
            last = min(i + n, len(days)) - 1
            out.append((days[i], days[last]))
            i = last + 1
        else:
            i += 1
    return out


def sample_changes(
    problem: Problem, rates: Rates, seed: int, run: int
) -> dict[str, Any]:
    """The what-if ``changes`` of run ``run``: mentors' sickness, in-school
    mentors' absences, school closures, as plain data (dates as ISO text)."""
    rng = run_rng(seed, run)
    per = rates.school_year_days
    days = list(problem.calendar.days)
    # a cover fixed to a date ('at') is what the day is for: no sampled closure
    # of its school or absence of its person falls on it (the cluster file would
    # contradict itself)
    fixed: set[tuple[str, date]] = set()
    for d in problem.demands.values():
        if d.at_date is not None:
            for pid in d.people:
                fixed.add((pid, d.at_date))
                fixed.add((problem.people[pid].school, d.at_date))
    away: list[dict[str, Any]] = []
    closed: list[dict[str, Any]] = []
    for mid in sorted(problem.mentors):
        m = problem.mentors[mid]
        worked = [d for d in days if d.weekday() in m.works]
        for a, b in _spells(
            rng, worked, rates.mentor_sickness_days / per, rates.spell_days
        ):
            away.append(_range(mid, a, b, "sickness"))
    for pid in sorted(problem.people):
        p = problem.people[pid]
        if p.role != "school-mentor":
            continue
        present = [d for d in days if d in p.available and (pid, d) not in fixed]
        for a, b in _spells(
            rng, present, rates.school_mentor_absence_days / per, rates.spell_days
        ):
            away.append(_range(pid, a, b, "absence"))
    for sid in sorted(problem.schools):
        for d in days:
            if rng.random() < rates.school_closure_days / per and (sid, d) not in fixed:
                closed.append({"school": sid, "on": d.isoformat()})
    return {"away": away, "closed": closed}


def _range(who: str, a: date, b: date, note: str) -> dict[str, Any]:
    if a == b:
        return {"who": who, "on": a.isoformat(), "note": note}
    return {"who": who, "from": a.isoformat(), "to": b.isoformat(), "note": note}


def rates_json(rates: Rates) -> dict[str, Any]:
    return {"format": FORMAT, **rates.model_dump()}
