"""The cluster file's shape (cluster-format.md, version 1) as pydantic models.

This layer checks types, forms, enums and unknown fields. Rules that relate
fields to each other (references, the slot grid, which fields apply to which
kind) live in ``compile.py``, which reports them with exact paths.
"""

from __future__ import annotations

import re
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

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
RESERVED_IDS = ("online", "base")
PHASES = ("primary", "secondary", "all-through", "special", "alternative")
ROLES = ("trainee", "ect", "school-mentor")
KINDS = ("meeting", "observation", "group", "cover")
NATIONS = ("england", "wales", "scotland", "northern-ireland", "none")
WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri")
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
    if not ID_PATTERN.match(value):
        raise PydanticCustomError(
            "id_pattern",
            "ids are 1-63 lower-case letters, digits and '-', starting with a "
            "letter or digit (they become file names and calendar UIDs); "
            "try '{slug}'",
            {"slug": re.sub(r"[^a-z0-9-]+", "-", value.lower()).strip("-")[:63] or "x"},
        )
    return value


Id = Annotated[str, BeforeValidator(_id)]


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


TimeRanges = Annotated[list[TimeRange], BeforeValidator(_listify)]
Weekday = Literal["mon", "tue", "wed", "thu", "fri"]


class Location(Strict):
    lat: Annotated[float, Field(ge=-90, le=90)]
    lon: Annotated[float, Field(ge=-180, le=180)]


def _date_form(value: Any) -> Any:
    if isinstance(value, str | date):
        return {"on": value}
    return value


class DateRange(Strict):
    """A date, ``{on: DATE}`` or ``{from: DATE, to: DATE}``; ``note`` is private."""

    on: date | None = None
    from_: date | None = Field(default=None, alias="from")
    to: date | None = None
    note: str | None = None

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
    name: str
    timezone: str = "Europe/London"
    horizon: DateRange
    slot_minutes: Annotated[int, Field(gt=0, le=60), AfterValidator(_divides_60)] = 5


class CalendarIn(Strict):
    bank_holidays: Literal[
        "england", "wales", "scotland", "northern-ireland", "none"
    ] = "england"
    holidays: list[DateRangeIn] = []


TravelEntry = tuple[str, str, Annotated[int, Field(ge=0)]]


class Travel(Strict):
    speed_kmh: Annotated[float, Field(gt=0)] = 40
    detour_factor: Annotated[float, Field(ge=1)] = 1.3
    buffer_minutes: Annotated[int, Field(ge=0)] = 10
    minutes: list[TravelEntry] = []


class SchoolIn(Strict):
    id: Id
    name: str
    phase: Literal["primary", "secondary", "all-through", "special", "alternative"]
    location: Location
    open: TimeRange = (8 * 60, 17 * 60 + 30)
    closed: list[DateRangeIn] = []
    week_a: (
        Annotated[
            list[date], BeforeValidator(lambda v: v if isinstance(v, list) else [v])
        ]
        | None
    ) = None
    share: Annotated[float, Field(ge=0, le=100)] | None = None


class Break(Strict):
    minutes: Annotated[int, Field(gt=0)]
    between: TimeRange


class MentorIn(Strict):
    id: Id
    name: str
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
    away: list[AwayRangeIn] = []
    max_travel_minutes_per_day: Annotated[int, Field(ge=0)] | None = None
    max_minutes_per_day: Annotated[int, Field(ge=0)] | None = None
    break_: Break | None = Field(default=None, alias="break")
    day_rate: Annotated[float, Field(ge=0)] | None = None


class PersonIn(Strict):
    id: Id
    name: str
    role: Literal["trainee", "ect", "school-mentor"]
    school: str
    ect_year: Literal[1, 2] | None = None
    days: list[Weekday] = list(WEEKDAY_NAMES)
    present: DateRangeIn | None = None
    teaching: DayPattern = WeekPattern()
    free: DayPattern = WeekPattern()
    away: list[AwayRangeIn] = []
    mentor: str | None = None


class Selector(Strict):
    ids: list[str] | None = None
    role: Literal["trainee", "ect", "school-mentor"] | None = None
    school: Annotated[list[str], BeforeValidator(_listify)] | None = None
    ect_year: Literal[1, 2] | None = None

    @model_validator(mode="after")
    def _form(self) -> Selector:
        others = (self.role, self.school, self.ect_year)
        if self.ids is not None and any(v is not None for v in others):
            raise PydanticCustomError(
                "selector", "'ids' stands alone: drop role/school/ect_year or ids"
            )
        if self.ids is None and all(v is None for v in others):
            raise PydanticCustomError(
                "selector", "a selector needs 'ids', or any of role/school/ect_year"
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
    minutes: Annotated[int, Field(gt=0)] | None = None
    every: Every = "week"
    window: Window | None = None
    online_ok: bool | None = None
    venues: list[str] | None = None
    topics: list[str] | None = None
    at: CoverAt | None = None
    priority: Annotated[int, Field(ge=1)] = 1
    when: Literal["mentor-away", "always"] = "always"

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
    topic: Annotated[int, Field(ge=1)] | None = None
    date: date
    start: Time
    mentor: str | None = None
    venue: str | None = None


class WeightsIn(Strict):
    unmet: Annotated[int, Field(ge=0)] = 1000
    missed_attendance: Annotated[int, Field(ge=0)] = 200
    travel: Annotated[int, Field(ge=0)] = 1
    pattern: Annotated[int, Field(ge=0)] = 20
    share: Annotated[int, Field(ge=0)] = 5
    change: Annotated[int, Field(ge=0)] = 50


class ClusterFile(Strict):
    version: Literal[1]
    cluster: Cluster
    calendar: CalendarIn = CalendarIn()
    travel: Travel = Travel()
    schools: Annotated[list[SchoolIn], Field(min_length=1)]
    mentors: Annotated[list[MentorIn], Field(min_length=1)]
    people: list[PersonIn] = []
    demand: list[DemandIn] = []
    pins: list[PinIn] = []
    weights: WeightsIn = WeightsIn()


# -- what-if files ---------------------------------------------------------------


class AwayChange(AwayRange):
    who: str


class ClosedChange(DateRange):
    school: str


class LeaveChange(Strict):
    who: str
    from_: date = Field(alias="from")


class Changes(Strict):
    away: list[Annotated[AwayChange, BeforeValidator(_date_form)]] = []
    closed: list[ClosedChange] = []
    leave: list[LeaveChange] = []
    join: list[PersonIn] = []
    works: dict[str, WeekPattern] = {}


class WhatIfFile(Strict):
    version: Literal[1]
    whatif: str
    base: str
    changes: Changes = Changes()
    frozen_until: date | None = None
