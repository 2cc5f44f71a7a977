"""The plan: solver-free result, and its ``plan.json`` form (plan-format.md)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from .problem import fmt_time

FORMAT = "mentor-sched/plan@1"


class Status(StrEnum):
    OPTIMAL = "OPTIMAL"
    FEASIBLE = "FEASIBLE"
    INFEASIBLE = "INFEASIBLE"
    UNKNOWN = "UNKNOWN"


@dataclass(frozen=True)
class Event:
    id: str
    demand: str
    kind: str
    period: int | None
    mentor: str
    venue: str  # school id or "online"
    people: tuple[str, ...]
    missed: tuple[str, ...]
    topic: str | None
    date: date
    start: int
    end: int

    def sort_key(self) -> tuple:
        return (self.date, self.start, self.mentor, self.id)


@dataclass(frozen=True)
class Trip:
    mentor: str
    date: date
    origin: str  # school id or "base"
    dest: str
    depart: int
    arrive: int
    minutes: int

    def sort_key(self) -> tuple:
        return (self.mentor, self.date, self.depart)


@dataclass(frozen=True)
class Unmet:
    id: str
    demand: str
    people: tuple[str, ...]
    period: int | None
    reason: str


@dataclass(frozen=True)
class SolverInfo:
    status: Status
    objective: int | None
    bound: int | None
    seconds: float
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Plan:
    cluster: str
    input_sha256: str
    solver: SolverInfo
    events: tuple[Event, ...]
    travel: tuple[Trip, ...]
    unmet: tuple[Unmet, ...]
    metrics: dict[str, Any] = field(default_factory=dict)
    cluster_file: str | None = None  # the cluster file, relative to plan.json

    def sorted(self) -> Plan:
        return replace(
            self,
            events=tuple(sorted(self.events, key=Event.sort_key)),
            travel=tuple(sorted(self.travel, key=Trip.sort_key)),
            unmet=tuple(sorted(self.unmet, key=lambda u: u.id)),
        )

    def event(self, event_id: str) -> Event | None:
        return next((e for e in self.events if e.id == event_id), None)

    # -- plan.json -------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "cluster": self.cluster,
            "input_sha256": self.input_sha256,
            "solver": {
                "status": str(self.solver.status),
                "objective": self.solver.objective,
                "bound": self.solver.bound,
                "seconds": round(self.solver.seconds, 2),
                **self.solver.details,
            },
            "events": [event_json(e) for e in self.events],
            "travel": [trip_json(t) for t in self.travel],
            "unmet": [
                {
                    "id": u.id,
                    "demand": u.demand,
                    "people": list(u.people),
                    "period": u.period,
                    "reason": u.reason,
                }
                for u in self.unmet
            ],
            "metrics": self.metrics,
            **({"cluster_file": self.cluster_file} if self.cluster_file else {}),
        }

    def dumps(self) -> str:
        return json.dumps(self.to_json(), indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Plan:
        if data.get("format") != FORMAT:
            raise ValueError(f"not a {FORMAT} file (format: {data.get('format')!r})")
        solver = dict(data["solver"])
        info = SolverInfo(
            status=Status(solver.pop("status")),
            objective=solver.pop("objective"),
            bound=solver.pop("bound"),
            seconds=solver.pop("seconds"),
            details=solver,
        )
        return cls(
            cluster=data["cluster"],
            input_sha256=data["input_sha256"],
            solver=info,
            events=tuple(event_from_json(e) for e in data["events"]),
            travel=tuple(trip_from_json(t) for t in data["travel"]),
            unmet=tuple(
                Unmet(
                    id=u["id"],
                    demand=u["demand"],
                    people=tuple(u["people"]),
                    period=u["period"],
                    reason=u["reason"],
                )
                for u in data["unmet"]
            ),
            metrics=data.get("metrics", {}),
            cluster_file=data.get("cluster_file"),
        )

    @classmethod
    def read(cls, path: str | Path) -> Plan:
        return cls.from_json(json.loads(Path(path).read_text(encoding="utf-8")))


def _minutes(text: str) -> int:
    h, m = text.split(":")
    return int(h) * 60 + int(m)


def event_from_json(e: dict[str, Any]) -> Event:
    return Event(
        id=e["id"],
        demand=e["demand"],
        kind=e["kind"],
        period=e["period"],
        mentor=e["mentor"],
        venue=e["venue"],
        people=tuple(e["people"]),
        missed=tuple(e["missed"]),
        topic=e["topic"],
        date=date.fromisoformat(e["date"]),
        start=_minutes(e["start"]),
        end=_minutes(e["end"]),
    )


def event_json(e: Event) -> dict[str, Any]:
    return {
        "id": e.id,
        "demand": e.demand,
        "kind": e.kind,
        "period": e.period,
        "mentor": e.mentor,
        "venue": e.venue,
        "people": list(e.people),
        "missed": list(e.missed),
        "topic": e.topic,
        "date": e.date.isoformat(),
        "start": fmt_time(e.start),
        "end": fmt_time(e.end),
    }


def trip_from_json(t: dict[str, Any]) -> Trip:
    return Trip(
        mentor=t["mentor"],
        date=date.fromisoformat(t["date"]),
        origin=t["from"],
        dest=t["to"],
        depart=_minutes(t["depart"]),
        arrive=_minutes(t["arrive"]),
        minutes=t["minutes"],
    )


def trip_json(t: Trip) -> dict[str, Any]:
    return {
        "mentor": t.mentor,
        "date": t.date.isoformat(),
        "from": t.origin,
        "to": t.dest,
        "depart": fmt_time(t.depart),
        "arrive": fmt_time(t.arrive),
        "minutes": t.minutes,
    }
