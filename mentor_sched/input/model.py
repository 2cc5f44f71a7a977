"""The cluster file's shape (cluster-format.md, version 1) as pydantic models.

This layer checks types, forms, enums and unknown fields. Rules that relate
fields to each other (references, the slot grid, which fields apply to which
kind) live in ``compile.py``, which reports them with exact paths.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    model_validator,
)
from pydantic_core import PydanticCustomError

from ..words import WEEKDAY_KEYS
from . import limits as L

ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")  # the whole id: fullmatch
RESERVED_IDS = ("online", "base")
PHASES = ("primary", "secondary", "all-through", "special", "alternative")
ROLES = ("trainee", "ect", "school-mentor")
KINDS = ("meeting", "observation", "group", "cover")
NATIONS = ("england", "wales", "scotland", "northern-ireland", "none")
WEEKDAY_NAMES = WEEKDAY_KEYS
_TIME = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*$")
_RANGE = re.compile(r"^\s*(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})\s*$")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def _id(value: Any) -> str:
    if not isinstance(value, str):
        raise PydanticCustomError("id_type", "an id must be text")
    if value in RESERVED_IDS:
        raise PydanticCustomError(
            "id_reserved", "'{value}' is a reserved word, not an id", {"value": value}
        )
    if not ID_PATTERN.fullmatch(value):
        raise PydanticCustomError(
            "id_pattern",
            "ids are 1-63 lower-case letters, digits and '-', starting with a "
            "letter or digit (they become file names and calendar UIDs); "
            "try '{slug}'",
            {"slug": re.sub(r"[^a-z0-9-]+", "-", value.lower()).strip("-")[:63] or "x"},
        )
    return value


Id = Annotated[str, BeforeValidator(_id)]

# line breaks, tabs, NUL, ESC, DEL, C1 controls, lone surrogates, U+2028/9
_CONTROL = ("Cc", "Cs", "Zl", "Zp")


def _control_character(text: str, allowed: str = "") -> str | None:
    """'U+001B ESCAPE' for the first control character in ``text``, if any."""
    for ch in text:
        if ch not in allowed and unicodedata.category(ch) in _CONTROL:
            label = unicodedata.name(ch, "") or {
                "\n": "a line break",
                "\r": "a carriage return",
                "\t": "a tab",
                "\0": "NUL",
                "\x1b": "ESC",
                "\x7f": "DEL",
            }.get(ch, "a control character")
            return f"U+{ord(ch):04X}, {label}"
    return None


def _name(value: Any) -> Any:
    """Names go into calendars, CSV, HTML and the terminal: one line of text."""
    if not isinstance(value, str):
        return value  # str validation reports the type
    if value.endswith("\n"):
        value = value[:-1]  # the line break a YAML block (`name: >`) ends with
    if not value.strip():
        raise PydanticCustomError("name_empty", "a name cannot be empty")
    if len(value) > L.MAX_NAME_CHARS:
        raise PydanticCustomError(
            "name_long",
            "a name is longer than {limit} characters",
            {"limit": L.MAX_NAME_CHARS},
        )
    bad = _control_character(value)
    if bad:
        raise PydanticCustomError(
            "name_control",
            "a name cannot hold a control character ({bad})",
            {"bad": bad},
        )
    return value


def _note(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    bad = _control_character(value, allowed="\n\t")
    if bad:
        raise PydanticCustomError(
            "note_control",
            "a note cannot hold a control character ({bad})",
            {"bad": bad},
        )
    return value


Name = Annotated[str, BeforeValidator(_name)]
Note = Annotated[str, BeforeValidator(_note)]


def _far_out(low: float, high: float) -> BeforeValidator:
    """Refuse .inf, .nan and numbers no field could hold (1e20, 10**18) with
    the range, before int parsing fails on them with a vaguer message."""

    def check(value: Any) -> Any:
        if isinstance(value, int | float) and not isinstance(value, bool):
            if isinstance(value, float) and not math.isfinite(value):
                raise PydanticCustomError(
                    "number_range",
                    "not a finite number (allowed: {low} to {high})",
                    {"low": low, "high": high},
                )
            if abs(value) > 1e15:
                raise PydanticCustomError(
                    "number_range",
                    "not a number from {low} to {high}",
                    {"low": low, "high": high},
                )
        return value

    return BeforeValidator(check)


def _number(kind: type, low: float, high: float) -> Any:
    """A number in [low, high]: finite, so .inf, .nan and 1e30 are refused."""
    return Annotated[
        kind, _far_out(low, high), Field(ge=low, le=high, allow_inf_nan=False)
    ]


def _minutes(high: int) -> Any:
    """A positive whole number of minutes up to ``high``."""
    return Annotated[int, _far_out(1, high), Field(gt=0, le=high)]


def _at_most(n: int) -> Any:
    return Field(max_length=n)


def parse_time(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, str):
        raise PydanticCustomError("time_type", 'a time is text like "13:15"')
    m = _TIME.match(value)
    if not m:
        raise PydanticCustomError("time_format", "a time is written HH:MM")
    h, mi = int(m[1]), int(m[2])
    if h > 24 or mi > 59 or (h == 24 and mi):
        raise PydanticCustomError("time_range", "no such time of day")
    return h * 60 + mi


def parse_range(value: Any) -> tuple[int, int]:
    if not isinstance(value, str):
        raise PydanticCustomError(
            "range_type", 'a time range is text like "09:00-10:00"'
        )
    m = _RANGE.match(value)
    if not m:
        raise PydanticCustomError(
            "range_format", 'a time range is written "HH:MM-HH:MM"'
        )
    start, end = parse_time(m[1]), parse_time(m[2])
    if start >= end:
        raise PydanticCustomError("range_order", "the range ends before it starts")
    return (start, end)


Time = Annotated[int, BeforeValidator(parse_time)]
TimeRange = Annotated[tuple[int, int], BeforeValidator(parse_range)]


def _listify(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


TimeRanges = Annotated[
    list[TimeRange], BeforeValidator(_listify), Field(max_length=L.MAX_RANGES_PER_DAY)
]
Weekday = Literal["mon", "tue", "wed", "thu", "fri"]


class Location(Strict):
    lat: _number(float, -90, 90)
    lon: _number(float, -180, 180)


def _date_form(value: Any) -> Any:
    if isinstance(value, str | date):
        return {"on": value}
    return value


class DateRange(Strict):
    """A date, ``{on: DATE}`` or ``{from: DATE, to: DATE}``; ``note`` is private."""

    on: date | None = None
    from_: date | None = Field(default=None, alias="from")
    to: date | None = None
    note: Note | None = None

    @model_validator(mode="after")
    def _one_form(self) -> DateRange:
        if self.on is not None and (self.from_ is not None or self.to is not None):
            raise PydanticCustomError(
                "dates_form", "give either 'on' or 'from'/'to', not both"
            )
        if self.on is None and (self.from_ is None or self.to is None):
            raise PydanticCustomError(
                "dates_form", "a date range needs 'on', or both 'from' and 'to'"
            )
        if self.on is None and self.to < self.from_:  # type: ignore[operator]
            raise PydanticCustomError("dates_order", "the range ends before it starts")
        return self

    @property
    def first(self) -> date:
        return self.on or self.from_  # type: ignore[return-value]

    @property
    def last(self) -> date:
        return self.on or self.to  # type: ignore[return-value]


class AwayRange(DateRange):
    time: TimeRange | None = None


DateRangeIn = Annotated[DateRange, BeforeValidator(_date_form)]
AwayRangeIn = Annotated[AwayRange, BeforeValidator(_date_form)]


class WeekPattern(Strict):
    mon: TimeRanges = []
    tue: TimeRanges = []
    wed: TimeRanges = []
    thu: TimeRanges = []
    fri: TimeRanges = []

    def on(self, weekday: int) -> tuple[tuple[int, int], ...]:
        return tuple(getattr(self, WEEKDAY_NAMES[weekday]))


class ABPattern(Strict):
    A: WeekPattern = WeekPattern()
    B: WeekPattern = WeekPattern()


def _pattern_tag(value: Any) -> str:
    # tags are not identifiers, so error paths can drop them (errors._clean_loc)
    if isinstance(value, dict) and value and set(value) <= {"A", "B"}:
        return "a-b"
    return "one-week"


DayPattern = Annotated[
    Annotated[ABPattern, Tag("a-b")] | Annotated[WeekPattern, Tag("one-week")],
    Discriminator(_pattern_tag),
]


def _divides_60(value: int) -> int:
    if 60 % value:
        raise PydanticCustomError(
            "slot",
            "slot_minutes must divide 60 (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30 or 60)",
        )
    return value


class Cluster(Strict):
    name: Name
    timezone: str = "Europe/London"
    horizon: DateRange
    slot_minutes: Annotated[int, Field(gt=0, le=60), AfterValidator(_divides_60)] = 5


class CalendarIn(Strict):
    bank_holidays: Literal[
        "england", "wales", "scotland", "northern-ireland", "none"
    ] = "england"
    holidays: Annotated[list[DateRangeIn], _at_most(L.MAX_DATE_RANGES)] = []


TravelEntry = tuple[str, str, _number(int, *L.TRAVEL_MINUTES)]


class Travel(Strict):
    speed_kmh: _number(float, *L.SPEED_KMH) = 40
    detour_factor: _number(float, *L.DETOUR_FACTOR) = 1.3
    buffer_minutes: _number(int, *L.BUFFER_MINUTES) = 10
    minutes: Annotated[list[TravelEntry], _at_most(L.MAX_TRAVEL_ENTRIES)] = []


class SchoolIn(Strict):
    id: Id
    name: Name
    phase: Literal["primary", "secondary", "all-through", "special", "alternative"]
    location: Location
    open: TimeRange = (8 * 60, 17 * 60 + 30)
    closed: Annotated[list[DateRangeIn], _at_most(L.MAX_DATE_RANGES)] = []
    week_a: (
        Annotated[
            list[date],
            BeforeValidator(lambda v: v if isinstance(v, list) else [v]),
            _at_most(L.MAX_DATE_RANGES),
        ]
        | None
    ) = None
    share: _number(float, 0, 100) | None = None


class Break(Strict):
    minutes: _minutes(L.BREAK_MINUTES[1])
    between: TimeRange


class MentorIn(Strict):
    id: Id
    name: Name
    works: WeekPattern
    base: (
        Annotated[
            Annotated[Location, Tag("lat-lon")] | Annotated[Id, Tag("school-id")],
            Discriminator(lambda v: "lat-lon" if isinstance(v, dict) else "school-id"),
        ]
        | None
    ) = None
    phases: list[
        Literal["primary", "secondary", "all-through", "special", "alternative"]
    ] = list(PHASES)
    away: Annotated[list[AwayRangeIn], _at_most(L.MAX_DATE_RANGES)] = []
    max_travel_minutes_per_day: _number(int, *L.DAY_LIMIT_MINUTES) | None = None
    max_minutes_per_day: _number(int, *L.DAY_LIMIT_MINUTES) | None = None
    break_: Break | None = Field(default=None, alias="break")
    day_rate: _number(float, *L.DAY_RATE) | None = None


class PersonIn(Strict):
    id: Id
    name: Name
    role: Literal["trainee", "ect", "school-mentor"]
    school: str
    ect_year: Literal[1, 2] | None = None
    days: list[Weekday] = list(WEEKDAY_NAMES)
    present: DateRangeIn | None = None
    teaching: DayPattern = WeekPattern()
    free: DayPattern = WeekPattern()
    away: Annotated[list[AwayRangeIn], _at_most(L.MAX_DATE_RANGES)] = []
    mentor: str | None = None
    provider: Name | None = None  # trainees and ECTs: their ITT/induction provider


class Selector(Strict):
    ids: Annotated[list[str], _at_most(L.MAX_SELECTED)] | None = None
    role: Literal["trainee", "ect", "school-mentor"] | None = None
    school: (
        Annotated[list[str], BeforeValidator(_listify), _at_most(L.MAX_LISTED)] | None
    ) = None
    ect_year: Literal[1, 2] | None = None
    provider: (
        Annotated[list[Name], BeforeValidator(_listify), _at_most(L.MAX_LISTED)] | None
    ) = None

    @model_validator(mode="after")
    def _form(self) -> Selector:
        others = (self.role, self.school, self.ect_year, self.provider)
        if self.ids is not None and any(v is not None for v in others):
            raise PydanticCustomError(
                "selector",
                "'ids' stands alone: drop role/school/ect_year/provider or ids",
            )
        if self.ids is None and all(v is None for v in others):
            raise PydanticCustomError(
                "selector",
                "a selector needs 'ids', or any of role/school/ect_year/provider",
            )
        return self


class Weeks(Strict):
    weeks: Annotated[int, Field(ge=1, le=52)]


Every = Annotated[
    Annotated[Literal["week", "fortnight", "once"], Tag("every-word")]
    | Annotated[Weeks, Tag("every-weeks")],
    Discriminator(lambda v: "every-weeks" if isinstance(v, dict) else "every-word"),
]


class Window(Strict):
    days: list[Weekday] = list(WEEKDAY_NAMES)
    time: TimeRange | None = None


class CoverAt(Strict):
    date: date
    time: TimeRange


class DemandIn(Strict):
    id: Id
    kind: Literal["meeting", "observation", "group", "cover"]
    who: Selector
    minutes: _minutes(L.EVENT_MINUTES[1]) | None = None
    every: Every = "week"
    window: Window | None = None
    online_ok: bool | None = None
    venues: Annotated[list[str], _at_most(L.MAX_LISTED)] | None = None
    topics: Annotated[list[Name], _at_most(L.MAX_TOPICS)] | None = None
    at: CoverAt | None = None
    priority: _number(int, *L.PRIORITY) = 1
    when: Literal["mentor-away", "always"] = "always"
    # the person's linked in-school mentor joins (three-way meetings, joint
    # observations), or holds the event instead of an Expert Mentor
    with_: Annotated[
        list[Literal["school-mentor"]], BeforeValidator(_listify), _at_most(1)
    ] = Field(default=[], alias="with")
    host: Literal["school-mentor"] | None = None
    title: Name | None = None  # display title; default: built from the id

    @property
    def weeks(self) -> int | None:
        if self.every == "once":
            return None
        if isinstance(self.every, Weeks):
            return self.every.weeks
        return {"week": 1, "fortnight": 2}[self.every]


class PinIn(Strict):
    demand: str
    person: str | None = None
    topic: _number(int, 1, L.MAX_TOPICS) | None = None
    date: date
    start: Time
    mentor: str | None = None
    venue: str | None = None


Weight = _number(int, *L.WEIGHT)


class WeightsIn(Strict):
    unmet: Weight = 1000
    missed_attendance: Weight = 200
    travel: Weight = 1
    pattern: Weight = 60
    share: Weight = 5
    change: Weight = 50
    continuity: Weight = 10  # an addition to the spec's weights (README)
    in_person: Weight = 60  # an addition: each group session held online
    rotate_venues: Weight = 30  # an addition: sessions beyond an even spread


class ClusterFile(Strict):
    version: Literal[1]
    cluster: Cluster
    calendar: CalendarIn = CalendarIn()
    travel: Travel = Travel()
    schools: Annotated[list[SchoolIn], Field(min_length=1, max_length=L.MAX_SCHOOLS)]
    mentors: Annotated[list[MentorIn], Field(min_length=1, max_length=L.MAX_MENTORS)]
    people: Annotated[list[PersonIn], _at_most(L.MAX_PEOPLE)] = []
    demand: Annotated[list[DemandIn], _at_most(L.MAX_DEMANDS)] = []
    pins: Annotated[list[PinIn], _at_most(L.MAX_PINS)] = []
    weights: WeightsIn = WeightsIn()


# -- what-if files ---------------------------------------------------------------


class AwayChange(AwayRange):
    who: str


class ClosedChange(DateRange):
    school: str


class LeaveChange(Strict):
    who: str
    from_: date = Field(alias="from")


def _order(first: date | None, last: date | None) -> None:
    if first is not None and last is not None and last < first:
        raise PydanticCustomError("dates_order", "'to' is before 'from'")


class WorksChange(WeekPattern):
    """A mentor's new working pattern, from ``from`` (default: frozen_until) to
    ``to`` (default: the end of the horizon); the old pattern holds outside."""

    from_: date | None = Field(default=None, alias="from")
    to: date | None = None

    @model_validator(mode="after")
    def _dates(self) -> WorksChange:
        _order(self.from_, self.to)
        return self


def _school_of_people(value: Any) -> Any:
    """People listed under an added school belong to it unless they say so."""
    if isinstance(value, dict) and isinstance(value.get("people"), list):
        people = [
            {"school": value.get("id"), **p} if isinstance(p, dict) else p
            for p in value["people"]
        ]
        return {**value, "people": people}
    return value


class AddSchool(SchoolIn):
    """A school that joins the cluster, with its people; travel to and from it
    comes from its ``location`` as for every school."""

    people: Annotated[list[PersonIn], _at_most(L.MAX_PEOPLE)] = []


class AddMentor(MentorIn):
    """An Expert Mentor who joins from ``from`` (default: the start of the
    horizon) until ``to`` (default: its end)."""

    from_: date | None = Field(default=None, alias="from")
    to: date | None = None

    @model_validator(mode="after")
    def _dates(self) -> AddMentor:
        _order(self.from_, self.to)
        return self


class RemoveMentor(Strict):
    who: str
    from_: date = Field(alias="from")
    note: Note | None = None


class Changes(Strict):
    away: Annotated[
        list[Annotated[AwayChange, BeforeValidator(_date_form)]],
        _at_most(L.MAX_CHANGES),
    ] = []
    closed: Annotated[list[ClosedChange], _at_most(L.MAX_CHANGES)] = []
    leave: Annotated[list[LeaveChange], _at_most(L.MAX_CHANGES)] = []
    join: Annotated[list[PersonIn], _at_most(L.MAX_PEOPLE)] = []
    works: Annotated[dict[str, WorksChange], _at_most(L.MAX_MENTORS)] = {}
    add_school: Annotated[
        list[Annotated[AddSchool, BeforeValidator(_school_of_people)]],
        _at_most(L.MAX_SCHOOLS),
    ] = []
    add_mentor: Annotated[list[AddMentor], _at_most(L.MAX_MENTORS)] = []
    remove_mentor: Annotated[list[RemoveMentor], _at_most(L.MAX_MENTORS)] = []
    # appended to the cluster's pins (one of the same event there is replaced)
    pins: Annotated[list[PinIn], _at_most(L.MAX_PINS)] = []


class WhatIfFile(Strict):
    version: Literal[1]
    whatif: Name
    base: str
    changes: Changes = Changes()
    frozen_until: date | None = None


def fields_given(model: BaseModel, path: tuple) -> bool:
    """Whether the field at ``path`` (YAML keys, aliases such as ``from``, and
    list indexes) was written in the file rather than left to its default:
    pydantic records what was given in ``model_fields_set``, and a what-if's
    changes keep it (``model_copy(update=...)`` adds the keys it sets)."""
    obj: Any = model
    for part in path:
        if isinstance(part, int):
            if not isinstance(obj, list | tuple) or not -len(obj) <= part < len(obj):
                return False
            obj = obj[part]
        elif isinstance(obj, BaseModel):
            fields = type(obj).model_fields
            name = next((n for n, f in fields.items() if part in (n, f.alias)), None)
            if name is None or name not in obj.model_fields_set:
                return False
            obj = getattr(obj, name)
        elif isinstance(obj, dict):
            if part not in obj:
                return False
            obj = obj[part]
        else:
            return False
    return True
