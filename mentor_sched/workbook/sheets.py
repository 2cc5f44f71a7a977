"""The workbook's layout: one sheet per part of the cluster format.

The template, the reader and the writer all read these definitions, so a
column is named, explained and typed in one place. Headers are matched
loosely (case, spaces, a unit in brackets): ``Share (%)`` is ``share``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from ..input.model import (
    KINDS,
    NATIONS,
    PHASES,
    ROLES,
    WEEKDAY_NAMES,
    CalendarIn,
    Cluster,
    Travel,
    WeightsIn,
)

YES_NO = ("yes", "no")
WEEKS = ("every", "A", "B")
ACTIVITIES = ("teaching", "free")
CALENDAR_WHAT = ("term", "holiday", "closed", "week A")
EVERY = ("week", "fortnight", "once", "3 weeks")
WHEN = ("always", "mentor-away")
SCHOOL_MENTOR = ("school-mentor",)  # the choice of a demand's with and host


@dataclass(frozen=True)
class Column:
    header: str
    kind: str  # text id ids int number date time ranges days day choice yesno every
    help: str
    example: Any = None
    required: bool = False
    choices: tuple[str, ...] = ()
    width: int = 14

    @property
    def key(self) -> str:
        return header_key(self.header)


@dataclass(frozen=True)
class Sheet:
    name: str
    purpose: str
    columns: tuple[Column, ...]
    school_owned: bool = False  # a school fills it in its own workbook

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


def header_key(text: str) -> str:
    """``'Share (%)'`` -> ``'share'``: lower case, no bracketed unit, one space."""
    text = re.sub(r"\(.*?\)", " ", str(text).lower())
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def C(header: str, kind: str, help: str, example: Any = None, **kw: Any) -> Column:
    return Column(header, kind, help, example, **kw)


_T = time  # examples below are the cell values a person would type

SETTINGS = Sheet(
    "cluster",
    "One row per setting; leave a value blank for its default.",
    (
        C("setting", "text", "what is set (keep these names)", required=True, width=30),
        C("value", "text", "its value", required=True, width=30),
        C("meaning", "text", "what it means (not read)", width=70),
    ),
)

# setting name -> (path in the cluster file, kind, meaning with its default)
SETTING_ROWS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "name": (("cluster", "name"), "text", "the cluster's display name (required)"),
    "timezone": (("cluster", "timezone"), "text", "IANA zone"),
    "slot minutes": (
        ("cluster", "slot_minutes"),
        "int",
        "every time and length is a multiple of this; divides 60",
    ),
    "bank holidays": (
        ("calendar", "bank_holidays"),
        "choice",
        "whose public holidays close every school: " + ", ".join(NATIONS),
    ),
    "travel speed": (
        ("travel", "speed_kmh"),
        "number",
        "average door-to-door km/h",
    ),
    "travel detour factor": (
        ("travel", "detour_factor"),
        "number",
        "road over straight-line distance",
    ),
    "travel buffer minutes": (
        ("travel", "buffer_minutes"),
        "int",
        "parking and signing in, added to every trip",
    ),
    "weight unmet": (("weights", "unmet"), "int", "per owed event not planned"),
    "weight missed attendance": (
        ("weights", "missed_attendance"),
        "int",
        "per person missing a group session",
    ),
    "weight travel": (("weights", "travel"), "int", "per minute of travel"),
    "weight pattern": (
        ("weights", "pattern"),
        "int",
        "per event away from its series' usual weekday and start",
    ),
    "weight share": (
        ("weights", "share"),
        "int",
        "per percentage point off a school's agreed share",
    ),
    "weight change": (
        ("weights", "change"),
        "int",
        "per event moved against a baseline plan",
    ),
    "weight continuity": (
        ("weights", "continuity"),
        "int",
        "per meeting, observation or cover not with the school's usual Expert Mentor",
    ),
    "weight in person": (
        ("weights", "in_person"),
        "int",
        "per group session held online when its venues name a school",
    ),
    "weight rotate venues": (
        ("weights", "rotate_venues"),
        "int",
        "per group session at a school beyond an even spread over its venues",
    ),
}
_MODELS = {
    "cluster": Cluster,
    "calendar": CalendarIn,
    "travel": Travel,
    "weights": WeightsIn,
}


def _with_default(path: tuple[str, ...], kind: str, meaning: str) -> tuple:
    """The meaning with the input model's default, so the two never differ."""
    f = _MODELS[path[0]].model_fields[path[1]]
    if f.is_required():
        return (path, kind, meaning + " (required)")
    return (path, kind, f"{meaning}; default {f.default}")


SETTING_ROWS = {
    k: v if k == "name" else _with_default(*v) for k, v in SETTING_ROWS.items()
}
SETTING_EXAMPLES = {"name": "Stour Valley Expert Mentor Cluster"}

CALENDAR = Sheet(
    "calendar",
    "The term, holidays for every school, days one school is closed (INSET) "
    "and the first day of each Week A.",
    (
        C(
            "what",
            "choice",
            "term (the dates planned: one row), holiday (every school), "
            "closed (one school: INSET), week A (a date in a Week A)",
            "closed",
            required=True,
            choices=CALENDAR_WHAT,
        ),
        C(
            "school",
            "id",
            "school id, for closed and week A",
            "sudbury-primary",
            width=20,
        ),
        C("from", "date", "first date", date(2027, 1, 4), required=True),
        C("to", "date", "last date; blank for one day", None),
        C("note", "text", "for you (never shown in plans)", "INSET", width=30),
    ),
    school_owned=True,
)

SCHOOLS = Sheet(
    "schools",
    "One row per school.",
    (
        C(
            "id",
            "id",
            "short id: a-z, 0-9 and -",
            "sudbury-primary",
            required=True,
            width=20,
        ),
        C(
            "name",
            "text",
            "full name",
            "Sudbury Meadow Primary",
            required=True,
            width=30,
        ),
        C(
            "phase",
            "choice",
            "phase of education",
            "primary",
            required=True,
            choices=PHASES,
        ),
        C("latitude", "number", "e.g. from a map", 52.0389, required=True),
        C("longitude", "number", "e.g. from a map", 0.73, required=True),
        C("open from", "time", "visitors welcome from; blank 08:00", _T(8, 0)),
        C("open to", "time", "visitors welcome until; blank 17:30", _T(17, 30)),
        C("share (%)", "number", "agreed % of Expert Mentor time; blank: none", 25),
    ),
    school_owned=True,
)

_RANGES = 'working hours, e.g. 08:15-16:45 (several: "08:00-12:00, 13:00-16:00")'

MENTORS = Sheet(
    "mentors",
    "One row per Expert Mentor.",
    (
        C("id", "id", "short id: a-z, 0-9 and -", "em-sarah", required=True, width=16),
        C("name", "text", "full name", "Sarah Okafor", required=True, width=22),
        *(
            C(d, "ranges", f"{_RANGES}; blank: not working", ex, width=13)
            for d, ex in zip(
                WEEKDAY_NAMES,
                ("08:15-16:45", "08:15-16:45", None, "08:15-17:30", None),
                strict=True,
            )
        ),
        C("base school", "id", "school id the day starts and ends at", None, width=18),
        C("base latitude", "number", "or a home: latitude", 52.067),
        C("base longitude", "number", "and longitude", 0.725),
        C(
            "phases",
            "text",
            "phases served, e.g. primary, secondary; blank: all",
            "primary, secondary",
            width=22,
        ),
        C("max travel minutes per day", "int", "blank: no limit", 120),
        C("max minutes per day", "int", "time in events; blank: no limit", None),
        C("break minutes", "int", "an unbroken break on any day with visits", 30),
        C("break from", "time", "the break lies between this", _T(11, 45)),
        C("break to", "time", "and this", _T(13, 45)),
        C("day rate (£)", "number", "cost of a working day", 380),
    ),
)

PEOPLE = Sheet(
    "people",
    "One row per trainee, ECT or in-school mentor.",
    (
        C("id", "id", "short id: a-z, 0-9 and -", "ect-nia", required=True, width=16),
        C("name", "text", "full name", "Nia Evans", required=True, width=22),
        C(
            "role",
            "choice",
            "trainee, ect or school-mentor",
            "ect",
            required=True,
            choices=ROLES,
        ),
        C("school", "id", "school id", "stour-academy", required=True, width=20),
        C("ECT year", "int", "1 or 2, ECTs only; blank 1", 1),
        C(
            "provider",
            "text",
            "trainees and ECTs: ITT or induction provider, as written "
            "everywhere (capitals count); blank: none",
            "Teach First",
            width=22,
        ),
        C("in-school mentor", "id", "id of their school-mentor", None, width=18),
        C(
            "days at school",
            "days",
            "e.g. mon, tue, wed; blank: all five",
            None,
            width=18,
        ),
        C("present from", "date", "placement or start; blank: whole term", None),
        C("present to", "date", "placement end", None),
    ),
    school_owned=True,
)

TIMETABLES = Sheet(
    "timetables",
    "One row per lesson taught (observable) or free period (to meet), "
    "per person, weekday and A/B week.",
    (
        C("person", "id", "person id", "ect-nia", required=True, width=16),
        C(
            "week",
            "choice",
            "A or B for two-week timetables; blank: every week",
            "A",
            choices=WEEKS,
        ),
        C("day", "day", "weekday", "mon", required=True, choices=WEEKDAY_NAMES),
        C(
            "activity",
            "choice",
            "teaching (observable) or free (to meet)",
            "teaching",
            required=True,
            choices=ACTIVITIES,
        ),
        C("from", "time", "start", _T(8, 50), required=True),
        C("to", "time", "end", _T(9, 50), required=True),
    ),
    school_owned=True,
)

ABSENCES = Sheet(
    "absences",
    "One row per absence of a mentor or a person, known in advance.",
    (
        C("who", "id", "mentor or person id", "em-sarah", required=True, width=16),
        C("from", "date", "first date", date(2027, 2, 4), required=True),
        C("to", "date", "last date; blank for one day", None),
        C("from time", "time", "part days: away from", None),
        C("to time", "time", "part days: away until", None),
        C("note", "text", "for you (never shown in plans or exported)", None, width=30),
    ),
    school_owned=True,
)

DEMAND = Sheet(
    "demand",
    "One row per kind of support owed: meetings, observations, group sessions, cover.",
    (
        C("id", "id", "short id", "ect1-meetings", required=True, width=20),
        C(
            "kind",
            "choice",
            "meeting, observation, group or cover",
            "meeting",
            required=True,
            choices=KINDS,
        ),
        C(
            "title",
            "text",
            "the name people read; blank: built from the id",
            "Weekly meeting",
            width=24,
        ),
        C("who ids", "ids", "named people (alone), e.g. sm-grace", None, width=18),
        C("who role", "choice", "or everyone of a role", "ect", choices=ROLES),
        C("who school", "ids", "and/or of these schools", None, width=18),
        C("who ECT year", "int", "and/or ECTs of year 1 or 2", 1),
        C(
            "who provider",
            "text",
            "and/or of these providers, e.g. Teach First, UEA "
            "(one per line if a name holds a comma)",
            None,
            width=22,
        ),
        C("minutes", "int", "length of each event (not for cover)", 45),
        C(
            "every",
            "every",
            "week, fortnight, once or 3 weeks; blank: week",
            "week",
            choices=EVERY,
        ),
        C("window days", "days", "only on these days, e.g. thu", None),
        C("window from", "time", "starting no earlier than", None),
        C("window to", "time", "and ending by", None),
        C("online ok", "yesno", "meetings: may be online", None, choices=YES_NO),
        C("venues", "ids", "groups: school ids and/or online", None, width=22),
        C("at date", "date", "cover: the date", None),
        C("at from", "time", "cover: from", None),
        C("at to", "time", "cover: to", None),
        C("priority", "int", "weight of missing one; blank 1", None),
        C(
            "when",
            "choice",
            "always, or mentor-away (absence cover)",
            None,
            choices=WHEN,
        ),
        C(
            "with",
            "choice",
            "school-mentor: the person's in-school mentor joins "
            "(three-way meetings, joint observations)",
            None,
            choices=SCHOOL_MENTOR,
        ),
        C(
            "host",
            "choice",
            "school-mentor: their in-school mentor holds it, no Expert Mentor "
            "(protected time)",
            None,
            choices=SCHOOL_MENTOR,
        ),
    ),
)

TOPICS = Sheet(
    "topics",
    "Topics of a group demand, one row each, in the order they are taught.",
    (
        C("demand", "id", "group demand id", "ccf-sessions", required=True, width=20),
        C("topic", "text", "topic name", "High expectations", required=True, width=30),
    ),
)

PINS = Sheet(
    "pins",
    "Events the coordinator fixes.",
    (
        C("demand", "id", "demand id", "ect1-meetings", required=True, width=20),
        C("person", "id", "person, for per-person demands", "ect-nia", width=16),
        C("topic", "int", "topic number (1 = first), for groups", None),
        C("date", "date", "date", date(2027, 1, 11), required=True),
        C("start", "time", "start time", _T(11, 10), required=True),
        C("mentor", "id", "mentor id; blank if only one could", None),
        C("venue", "id", "school id or online; blank: the person's school", None),
    ),
)

TRAVEL = Sheet(
    "travel",
    "Travel times that the straight-line estimate gets wrong (both ways "
    "unless both are given). A place is a school id or a mentor id (their base).",
    (
        C("from", "id", "place", "clare-primary", required=True, width=20),
        C("to", "id", "place", "stour-academy", required=True, width=20),
        C("minutes", "int", "minutes", 30, required=True),
    ),
)

SHEETS: tuple[Sheet, ...] = (
    SETTINGS,
    CALENDAR,
    SCHOOLS,
    MENTORS,
    PEOPLE,
    TIMETABLES,
    ABSENCES,
    DEMAND,
    TOPICS,
    PINS,
    TRAVEL,
)
BY_NAME = {s.name: s for s in SHEETS}
ABOUT = "about"  # instructions; never read
