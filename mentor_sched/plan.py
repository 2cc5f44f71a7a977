"""The plan: solver-free result, and its ``plan.json`` form (plan-format.md)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from .problem import fmt_time

FORMAT = "mentor-sched/plan@1"


class PlanFormatError(ValueError):
    """A file that is not a readable ``plan.json`` (plan-format.md): the message
    says what is wrong, for an exit status of 2 rather than a traceback."""


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
    mentor: str | None  # None: held by ``host``, without an Expert Mentor
    venue: str  # school id or "online"
    people: tuple[str, ...]
    missed: tuple[str, ...]
    topic: str | None
    date: date
    start: int
    end: int
    host: str | None = None  # the in-school mentor holding it (``host:``)

    def sort_key(self) -> tuple:
        return (self.date, self.start, self.mentor or "", self.id)


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
    def from_json(cls, data: Any) -> Plan:
        """The Plan of a parsed plan.json; PlanFormatError (a ValueError) naming
        what is wrong unless it has plan-format.md's shape."""
        if not isinstance(data, dict):
            raise PlanFormatError(
                f"expected a JSON object (format {FORMAT}), got {type(data).__name__}"
            )
        if data.get("format") != FORMAT:
            raise PlanFormatError(
                f"not a {FORMAT} file (format: {data.get('format')!r})"
            )
        try:
            return cls._from_json(data)
        except PlanFormatError:
            raise
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            what = f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)
            raise PlanFormatError(what) from None

    @classmethod
    def _from_json(cls, data: dict[str, Any]) -> Plan:
        for key in ("events", "travel", "unmet"):
            _expect(data[key], list, key)
        solver = dict(_expect(data["solver"], dict, "solver"))
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
                    id=_text(u, "id"),
                    demand=_text(u, "demand"),
                    people=_ids(u, "people"),
                    period=u["period"],
                    reason=_text(u, "reason"),
                )
                for u in data["unmet"]
            ),
            metrics=data.get("metrics", {}),
            cluster_file=data.get("cluster_file"),
        )

    @classmethod
    def read(cls, path: str | Path) -> Plan:
        """The plan in ``path``; PlanFormatError if it is not JSON of a plan
        (including JSON nested too deeply to read), OSError if unreadable."""
        text = Path(path).read_bytes()
        try:
            data = json.loads(text.decode("utf-8"))
        except UnicodeDecodeError:
            raise PlanFormatError("not UTF-8 text") from None
        except json.JSONDecodeError as exc:
            raise PlanFormatError(f"not JSON ({exc})") from None
        except RecursionError:
            raise PlanFormatError("JSON nested too deeply to be a plan") from None
        return cls.from_json(data)


_TIME = re.compile(r"([01][0-9]|2[0-4]):([0-5][0-9])")


def _minutes(text: Any) -> int:
    """``HH:MM`` as minutes after midnight; ``25:99`` or ``24:30`` is an error,
    never read as another time."""
    match = _TIME.fullmatch(text) if isinstance(text, str) else None
    if match is None or (match.group(1) == "24" and match.group(2) != "00"):
        raise PlanFormatError(f"not a time of day HH:MM (got {text!r})")
    return int(match.group(1)) * 60 + int(match.group(2))


def _expect(value: Any, kind: type, what: str) -> Any:
    if not isinstance(value, kind):
        raise PlanFormatError(
            f"{what}: expected {kind.__name__}, got {type(value).__name__}"
        )
    return value


def _text(d: Any, key: str) -> str:
    return _expect(_expect(d, dict, "entry")[key], str, key)


def _ids(d: Any, key: str) -> tuple[str, ...]:
    items = _expect(_expect(d, dict, "entry")[key], list, key)
    return tuple(_expect(x, str, key) for x in items)


def _day(text: Any) -> date:
    try:
        return date.fromisoformat(_expect(text, str, "date"))
    except ValueError:
        raise PlanFormatError(f"not a date YYYY-MM-DD (got {text!r})") from None


def event_from_json(e: dict[str, Any]) -> Event:
    topic = _expect(e, dict, "event")["topic"]
    return Event(
        id=_text(e, "id"),
        demand=_text(e, "demand"),
        kind=_text(e, "kind"),
        period=e["period"],
        mentor=None if e["mentor"] is None else _text(e, "mentor"),
        venue=_text(e, "venue"),
        people=_ids(e, "people"),
        missed=_ids(e, "missed"),
        topic=None if topic is None else _expect(topic, str, "topic"),
        date=_day(e["date"]),
        start=_minutes(e["start"]),
        end=_minutes(e["end"]),
        host=None if e.get("host") is None else _text(e, "host"),
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
        # only hosted events carry it: every other plan.json stays as it was
        **({"host": e.host} if e.host is not None else {}),
    }


def trip_from_json(t: dict[str, Any]) -> Trip:
    return Trip(
        mentor=_text(t, "mentor"),
        date=_day(t["date"]),
        origin=_text(t, "from"),
        dest=_text(t, "to"),
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
