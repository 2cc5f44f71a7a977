"""Workbook rows -> a cluster file's data, each value remembering its cell.

The data is then written as YAML and checked by the input layer exactly as
``mentor-sched validate`` checks a file; its findings are reported against
the cells they came from (``people!D7``), never against the YAML.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from ..input.errors import InputError, show_value
from ..input.model import PHASES, WEEKDAY_NAMES
from . import cells
from .demand_rows import demand_entries, pin_entries
from .entries import range_entry
from .locate import locate, raise_errors
from .people_rows import add_away, people_entries
from .read import Book, Row
from .sheets import NATIONS, SETTING_ROWS, header_key

Path_ = tuple[str | int, ...]


@dataclass
class Built:
    data: dict[str, Any]
    where: dict[Path_, tuple[str, str]]  # path -> (file, "sheet!C7")
    comments: dict[Path_, str]  # path of an entry -> where it came from
    date_forms: dict[str, set[str]]  # "people: present from" -> forms read
    errors: list[InputError] = field(default_factory=list)
    bad_rows: set[tuple[str, str, int]] = field(default_factory=set)
    counts: dict[str, int] = field(default_factory=dict)


class _Builder:
    def __init__(self, books: list[Book]) -> None:
        self.books = books
        self.errors: list[InputError] = []
        self.where: dict[Path_, tuple[str, str]] = {}
        self.comments: dict[Path_, str] = {}
        self.date_forms: dict[str, set[str]] = defaultdict(set)
        self.bad_rows: set[tuple[str, str, int]] = set()
        # rows of a sheet whose header is wrong: what they lack is told once,
        # at the header
        self.unread: set[tuple[str, str, int]] = set()

    # -- cells --------------------------------------------------------------

    def rows(self, sheet: str) -> list[Row]:
        return [r for b in self.books for r in b.rows(sheet)]

    def error(
        self, row: Row, key: str | None, message: str, value: Any = ..., hint: str = ""
    ) -> None:
        self.bad_rows.add((row.source, row.sheet, row.number))
        if (row.source, row.sheet, row.number) in self.unread:
            return
        shown = None if value is ... else show_value(value)
        self.errors.append(
            InputError(row.source, None, None, row.ref(key), message, shown, hint)
        )

    def get(
        self,
        row: Row,
        key: str,
        kind: str | None = None,
        choices: tuple[str, ...] = (),
        required: bool | None = None,
    ) -> Any:
        """The cell of column ``key`` read as ``kind``; None when blank or wrong
        (wrong is reported)."""
        from .sheets import BY_NAME

        key = header_key(key)
        col = BY_NAME[row.sheet].column(key) if row.sheet in BY_NAME else None
        kind = kind or (col.kind if col else "text")
        choices = choices or (col.choices if col else ())
        raw = row.values.get(key)
        header = col.header if col else key
        if raw is None:
            if key not in row.letters and row.letters:
                return None  # no such column: reported at the header if required
            if required or (required is None and col is not None and col.required):
                self.error(
                    row,
                    key,
                    f"'{header}' is blank",
                    hint=f"write the {header}" + (f": {col.help}" if col else ""),
                )
            return None
        try:
            if kind == "date":
                value, form = cells.read_date(raw)
                self.date_forms[f"{row.sheet}: {header}"].add(form)
                return value
            return _READ[kind](raw, choices)
        except cells.CellProblem as p:
            self.error(row, key, f"{header}: {p.message}", raw, p.hint)
            return None

    def put(
        self,
        path: Path_,
        row: Row,
        key: str | None,
        value: Any,
        target: dict | None = None,
    ) -> None:
        """Set ``target[path[-1]] = value`` (when not None) and remember the cell."""
        self.where[path] = (row.source, row.ref(key))
        if target is not None and value is not None:
            target[path[-1]] = value

    def at(self, path: Path_, row: Row, key: str | None = None) -> None:
        self.where[path] = (row.source, row.ref(key))

    # -- sections -----------------------------------------------------------

    def build(self) -> dict[str, Any]:
        data: dict[str, Any] = {"version": 1}
        sections: dict[str, dict[str, Any]] = {
            "cluster": {},
            "calendar": {},
            "travel": {},
            "weights": {},
        }
        self.settings(sections)
        schools, closed, week_a = self.calendar(sections)
        data["cluster"] = sections["cluster"]
        data["calendar"] = sections["calendar"]
        travel = sections["travel"]
        entries = self.travel()
        if entries:
            travel["minutes"] = entries
        if travel:
            data["travel"] = travel
        data["schools"] = self.schools(closed, week_a)
        self.some("schools", "school", "a row per school of the cluster")
        known_schools = {s.get("id") for s in data["schools"]} | schools
        data["mentors"] = self.mentors(known_schools)
        self.some("mentors", "Expert Mentor", "a row per Expert Mentor")
        data["people"] = people_entries(self)
        add_away(self, data)
        data["demand"] = demand_entries(
            self, {p["provider"] for p in data["people"] if "provider" in p}
        )
        pins = pin_entries(self)
        if pins:
            data["pins"] = pins
        if sections["weights"]:
            data["weights"] = sections["weights"]
        self.comments[("travel",)] = "sheets 'cluster' and 'travel'"
        self.comments[("weights",)] = "sheet 'cluster'"
        return data

    def missing(self, path: Path_, sheet: str, message: str, hint: str) -> None:
        """Report something the workbook lacks at the sheet's first free row;
        the input layer's word on the same gap is then left out."""
        rows = self.rows(sheet)
        number = rows[-1].number + 1 if rows else 3
        source = self._source(sheet)
        ref = f"{sheet}!A{number}"
        self.errors.append(InputError(source, None, None, ref, message, None, hint))
        self.where[path] = (source, ref)
        self.bad_rows.add((source, sheet, number))

    def some(self, sheet: str, what: str, hint: str) -> None:
        if not self.rows(sheet):
            self.missing((sheet,), sheet, f"no {what} rows", f"add {hint}")

    def settings(self, sections: dict[str, dict[str, Any]]) -> None:
        seen: dict[str, Row] = {}
        for row in self.rows("cluster"):
            name = self.get(row, "setting")
            if name is None:
                continue
            key = header_key(name)
            if key not in SETTING_ROWS:
                import difflib

                best = difflib.get_close_matches(key, list(SETTING_ROWS), 1, 0.6)
                self.error(
                    row,
                    "setting",
                    "unknown setting",
                    name,
                    f"did you mean '{best[0]}'?"
                    if best
                    else "known: " + ", ".join(SETTING_ROWS),
                )
                continue
            if key in seen:
                self.error(
                    row,
                    "setting",
                    "this setting is given twice",
                    name,
                    f"keep one (the other is {seen[key].ref('setting')})",
                )
                continue
            seen[key] = row
            (section, fld), kind, _ = SETTING_ROWS[key]
            value = self.get(
                row, "value", kind, NATIONS if kind == "choice" else (), required=False
            )
            if key == "name" and "value" not in row.values:
                self.error(
                    row,
                    "value",
                    "the cluster's name is blank",
                    hint="write the cluster's name, e.g. Stour Valley Cluster",
                )
                self.where[("cluster", "name")] = (row.source, row.ref("value"))
            self.put((section, fld), row, "value", value, sections[section])
            if section == "cluster":
                self.at(("cluster",), row, "value")
        if "name" not in seen:
            self.missing(
                ("cluster", "name"),
                "cluster",
                "the cluster's name is not set",
                "add a row: setting 'name', value the cluster's name",
            )
        self.comments[("cluster",)] = "sheets 'cluster' and 'calendar' (term)"
        self.comments[("calendar",)] = "sheets 'cluster' and 'calendar'"

    def _source(self, sheet: str) -> str:
        for b in self.books:
            if sheet in b.tables:
                return b.source
        return self.books[0].source if self.books else ""

    def calendar(
        self, sections: dict[str, dict[str, Any]]
    ) -> tuple[
        set[str], dict[str, list[tuple[Row, Any]]], dict[str, list[tuple[Row, Any]]]
    ]:
        cluster, calendar = sections["cluster"], sections["calendar"]
        holidays: list[Any] = []
        closed: dict[str, list[tuple[Row, Any]]] = defaultdict(list)
        week_a: dict[str, list[tuple[Row, Any]]] = defaultdict(list)
        term: Row | None = None
        for row in self.rows("calendar"):
            what = self.get(row, "what")
            school = self.get(row, "school")
            first = self.get(row, "from")
            last = self.get(row, "to")
            note = self.get(row, "note")
            if what is None:
                continue
            if what in ("term", "holiday") and school is not None:
                self.error(
                    row,
                    "school",
                    f"a {what} is the same for every school",
                    school,
                    "for one school's closure write 'closed'",
                )
                continue
            if what in ("closed", "week A") and school is None:
                self.error(
                    row,
                    "school",
                    f"'{what}' needs the school",
                    hint=(
                        "write the school id; a closure of every school is a holiday"
                    ),
                )
                continue
            if what == "term":
                if term is not None:
                    self.error(
                        row,
                        "what",
                        "a second term row",
                        what,
                        f"one term per cluster (first: {term.ref('what')})",
                    )
                    continue
                term = row
                if first is not None and last is None:
                    self.error(
                        row,
                        "to",
                        "the term needs its last day",
                        hint="write the last date planned in 'to'",
                    )
                horizon = {"from": first, "to": last}
                self.put(("cluster", "horizon"), row, "from", horizon, cluster)
            elif what == "holiday":
                path = ("calendar", "holidays", len(holidays))
                self.at(path, row, "from")
                holidays.append(range_entry(first, last, note))
            elif what == "closed":
                closed[school].append((row, range_entry(first, last, note, bare=True)))
            else:
                if last is not None and last != first:
                    self.error(
                        row,
                        "to",
                        "week A is one date",
                        last,
                        "give any date of a Week A in 'from', nothing in 'to'",
                    )
                week_a[school].append((row, first))
        if term is None:
            self.missing(
                ("cluster", "horizon"),
                "calendar",
                "no term row",
                "add a row: what 'term', from the first date, to the last date planned",
            )
        if holidays:
            calendar["holidays"] = holidays
            self.at(("calendar", "holidays"), self.rows("calendar")[0], "from")
        return set(closed) | set(week_a), closed, week_a

    def schools(self, closed, week_a) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        seen = set()
        for row in self.rows("schools"):
            i = len(out)
            path: Path_ = ("schools", i)
            s: dict[str, Any] = {}
            self.at(path, row, "id")
            self.comments[path] = row.ref()
            sid = self.get(row, "id")
            self.put((*path, "id"), row, "id", sid, s)
            self.put((*path, "name"), row, "name", self.get(row, "name"), s)
            self.put((*path, "phase"), row, "phase", self.get(row, "phase"), s)
            lat, lon = self.get(row, "latitude"), self.get(row, "longitude")
            self.put(
                (*path, "location"),
                row,
                "latitude",
                {"lat": lat, "lon": lon} if None not in (lat, lon) else None,
                s,
            )
            self.at((*path, "location", "lat"), row, "latitude")
            self.at((*path, "location", "lon"), row, "longitude")
            self.put(
                (*path, "open"),
                row,
                "open from",
                self.time_range(row, "open from", "open to"),
                s,
            )
            dates = [r for _, r in closed.get(sid, [])]
            if dates:
                s["closed"] = dates
                for k, (r, _) in enumerate(closed[sid]):
                    self.at((*path, "closed", k), r, "from")
                self.at((*path, "closed"), closed[sid][0][0], "from")
            if week_a.get(sid):
                starts = [d for _, d in week_a[sid]]
                s["week_a"] = starts[0] if len(starts) == 1 else starts
                for k, (r, _) in enumerate(week_a[sid]):
                    self.at((*path, "week_a", k), r, "from")
                self.at((*path, "week_a"), week_a[sid][0][0], "from")
            self.put((*path, "share"), row, "share", self.get(row, "share"), s)
            seen.add(sid)
            out.append(s)
        for sid in (set(closed) | set(week_a)) - seen:
            for row, _ in [*closed.get(sid, []), *week_a.get(sid, [])]:
                self.error(
                    row,
                    "school",
                    "unknown school",
                    sid,
                    self._suggest(sid, seen, "school"),
                )
        return out

    def _suggest(self, name: str, known: set, what: str) -> str:
        from ..input.errors import suggest

        return suggest(name, {k for k in known if k}, what)

    def time_range(self, row: Row, start: str, end: str) -> str | None:
        a, b = self.get(row, start), self.get(row, end)
        if a is None and b is None:
            return None
        if a is None or b is None:
            missing = start if a is None else end
            if missing in row.values:
                return None  # already reported as unreadable
            self.error(
                row,
                missing,
                f"'{missing}' is blank",
                hint=(f"give both '{start}' and '{end}', or neither"),
            )
            return None
        return f"{a}-{b}"

    def mentors(self, schools: set[str]) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for row in self.rows("mentors"):
            path: Path_ = ("mentors", len(out))
            m: dict[str, Any] = {}
            self.at(path, row, "id")
            self.comments[path] = row.ref()
            self.put((*path, "id"), row, "id", self.get(row, "id"), m)
            self.put((*path, "name"), row, "name", self.get(row, "name"), m)
            base_school = self.get(row, "base school")
            lat, lon = self.get(row, "base latitude"), self.get(row, "base longitude")
            base: Any = None
            if base_school is not None and (lat is not None or lon is not None):
                self.error(
                    row,
                    "base school",
                    "two bases",
                    base_school,
                    "give a base school, or a latitude and longitude, not both",
                )
            elif base_school is not None:
                base = base_school
            elif lat is not None and lon is not None:
                base = {"lat": lat, "lon": lon}
                self.at((*path, "base", "lat"), row, "base latitude")
                self.at((*path, "base", "lon"), row, "base longitude")
            elif lat is not None or lon is not None:
                self.error(
                    row,
                    "base latitude" if lat is None else "base longitude",
                    "half a base",
                    hint="give both latitude and longitude",
                )
            works: dict[str, Any] = {}
            for day in WEEKDAY_NAMES:
                ranges = self.get(row, day)
                if ranges:
                    works[day] = ranges[0] if len(ranges) == 1 else ranges
                    self.at((*path, "works", day), row, day)
            self.put((*path, "works"), row, "mon", works, m)
            if not works and not any(d in row.values for d in WEEKDAY_NAMES):
                self.error(
                    row,
                    "mon",
                    "no working hours",
                    hint=("write working hours under mon to fri, e.g. 08:15-16:45"),
                )
            self.put((*path, "base"), row, "base school", base, m)
            phases = self.get(row, "phases")
            if phases is not None:
                got = []
                for p in cells.split_list(phases):
                    try:
                        got.append(cells.choice(p, PHASES))
                    except cells.CellProblem as exc:
                        self.error(row, "phases", f"phases: {exc.message}", p, exc.hint)
                self.put((*path, "phases"), row, "phases", got, m)
            self.put(
                (*path, "max_travel_minutes_per_day"),
                row,
                "max travel minutes per day",
                self.get(row, "max travel minutes per day"),
                m,
            )
            self.put(
                (*path, "max_minutes_per_day"),
                row,
                "max minutes per day",
                self.get(row, "max minutes per day"),
                m,
            )
            minutes = self.get(row, "break minutes")
            between = self.time_range(row, "break from", "break to")
            if (minutes is None) != (between is None):
                if (row.source, row.sheet, row.number) not in self.bad_rows:
                    self.error(
                        row,
                        "break minutes",
                        "half a break",
                        minutes,
                        "give the break's minutes, from and to, or none",
                    )
            elif minutes is not None:
                self.put(
                    (*path, "break"),
                    row,
                    "break minutes",
                    {"minutes": minutes, "between": between},
                    m,
                )
                self.at((*path, "break", "between"), row, "break from")
            self.put((*path, "day_rate"), row, "day rate", self.get(row, "day rate"), m)
            out.append(m)
        return out

    def travel(self) -> list[list[Any]]:
        out: list[list[Any]] = []
        for row in self.rows("travel"):
            a, b = self.get(row, "from"), self.get(row, "to")
            minutes = self.get(row, "minutes")
            path: Path_ = ("travel", "minutes", len(out))
            self.at(path, row, "from")
            self.at((*path, 0), row, "from")
            self.at((*path, 1), row, "to")
            self.at((*path, 2), row, "minutes")
            if None in (a, b, minutes):
                continue
            out.append([a, b, minutes])
        if out:
            self.at(("travel", "minutes"), self.rows("travel")[0], "from")
        return out


def _text(v: Any, _: tuple) -> str:
    return cells.text(v)


_READ = {
    "text": _text,
    "id": _text,
    "ids": lambda v, _: cells.split_list(v),
    "int": lambda v, _: cells.integer(v),
    "number": lambda v, _: cells.number(v),
    "time": lambda v, _: cells.read_time(v),
    "ranges": lambda v, _: cells.read_ranges(v),
    "days": lambda v, _: cells.weekdays(v),
    "day": lambda v, _: cells.weekday(v),
    "choice": cells.choice,
    "yesno": lambda v, _: cells.yes_no(v),
    "every": lambda v, _: cells.every(v),
}


def build(books: list[Book]) -> Built:
    """The cluster data of ``books`` (one workbook, or a cluster and school
    workbooks merged), with every cell problem found."""
    b = _Builder(books)
    for book in books:  # a sheet with a missing or unknown column is not read
        for table in book.tables.values():
            if not table.ok:
                b.unread |= {(r.source, r.sheet, r.number) for r in table.rows}
    b.bad_rows |= b.unread
    data = b.build()
    errors = [e for book in books for e in book.errors] + b.errors
    return Built(
        data,
        b.where,
        b.comments,
        dict(b.date_forms),
        errors,
        b.bad_rows,
        {k: len(v) for k, v in data.items() if isinstance(v, list)},
    )


__all__ = ["Built", "build", "locate", "raise_errors"]
