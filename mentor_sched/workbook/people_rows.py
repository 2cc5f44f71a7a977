"""Workbook rows -> the cluster file's people: the people sheet, each person's
timetable rows and the away rows (of people and of Expert Mentors).

Part of the build (``build.py``), whose ``_Builder`` reads and places each cell.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from .entries import ordered_pattern, range_entry

if TYPE_CHECKING:
    from .build import Path_, _Builder
    from .read import Row


def people_entries(b: _Builder) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    for row in b.rows("people"):
        path: Path_ = ("people", len(out))
        p: dict[str, Any] = {}
        b.at(path, row, "id")
        b.comments[path] = row.ref()
        pid = b.get(row, "id")
        b.put((*path, "id"), row, "id", pid, p)
        b.put((*path, "name"), row, "name", b.get(row, "name"), p)
        role = b.get(row, "role")
        b.put((*path, "role"), row, "role", role, p)
        b.put((*path, "ect_year"), row, "ect year", b.get(row, "ect year"), p)
        b.put((*path, "school"), row, "school", b.get(row, "school"), p)
        b.put((*path, "provider"), row, "provider", b.get(row, "provider"), p)
        b.put(
            (*path, "days"),
            row,
            "days at school",
            b.get(row, "days at school"),
            p,
        )
        first, last = b.get(row, "present from"), b.get(row, "present to")
        if first is not None and last is not None:
            b.put(
                (*path, "present"),
                row,
                "present from",
                {"from": first, "to": last},
                p,
            )
        elif first is not None or last is not None:
            missing = "present to" if last is None else "present from"
            if missing not in row.values:
                b.error(
                    row,
                    missing,
                    f"'{missing}' is blank",
                    hint="give both ends of the placement, or neither",
                )
        b.put(
            (*path, "mentor"),
            row,
            "in-school mentor",
            b.get(row, "in-school mentor"),
            p,
        )
        if pid is not None and pid not in index:
            index[pid] = len(out)
        out.append(p)
    _timetables(b, out, index)
    return out


def _timetables(
    b: _Builder, people: list[dict[str, Any]], index: dict[str, int]
) -> None:
    # (person, activity) -> rows of (week, day, range)
    rows: dict[tuple[int, str], list[tuple[Row, str | None, str, str]]] = defaultdict(
        list
    )
    for row in b.rows("timetables"):
        pid = b.get(row, "person")
        week = b.get(row, "week")
        day = b.get(row, "day")
        activity = b.get(row, "activity")
        span = b.time_range(row, "from", "to")
        if pid is None or day is None or activity is None or span is None:
            continue
        if pid not in index:
            b.error(
                row,
                "person",
                "unknown person",
                pid,
                b._suggest(pid, set(index), "person"),
            )
            continue
        rows[index[pid], activity].append(
            (row, None if week in (None, "every") else week, day, span)
        )
    order = {"teaching": 0, "free": 1}
    for (i, activity), entries in sorted(
        rows.items(), key=lambda kv: (kv[0][0], order[kv[0][1]])
    ):
        two_weeks = any(w is not None for _, w, _, _ in entries)
        pattern: dict[str, Any] = {}
        base: Path_ = ("people", i, activity)
        b.at(base, entries[0][0], "person")
        for row, week, day, span in entries:
            for w in (
                (("A", "B") if week is None else (week,)) if two_weeks else (None,)
            ):
                days = pattern.setdefault(w, {}) if w else pattern
                ranges = days.setdefault(day, [])
                prefix = (*base, w) if w else base
                b.at((*prefix, day), row, "day")
                b.at((*prefix, day, len(ranges)), row, "from")
                ranges.append(span)
        for days in pattern.values() if two_weeks else [pattern]:
            for day, ranges in days.items():
                if len(ranges) == 1:
                    days[day] = ranges[0]
        people[i][activity] = ordered_pattern(pattern, two_weeks)
        first, last = entries[0][0].number, entries[-1][0].number
        b.comments[("people", i)] += f"; {activity}: timetables " + (
            f"rows {first}-{last}" if last != first else f"row {first}"
        )
    for p in people:  # spec order of keys: teaching, free after present
        for key in ("teaching", "free", "away", "mentor"):
            if key in p:
                p[key] = p.pop(key)


def add_away(b: _Builder, data: dict[str, Any]) -> None:
    owners: dict[str, tuple[str, int]] = {}
    for section in ("mentors", "people"):
        for i, e in enumerate(data[section]):
            if e.get("id") is not None:
                owners.setdefault(e["id"], (section, i))
    counts: dict[tuple[str, int], int] = defaultdict(int)
    for row in b.rows("absences"):
        who = b.get(row, "who")
        first, last = b.get(row, "from"), b.get(row, "to")
        span = b.time_range(row, "from time", "to time")
        note = b.get(row, "note")
        if who is None or first is None:
            continue
        if who not in owners:
            b.error(
                row,
                "who",
                "unknown mentor or person",
                who,
                b._suggest(who, set(owners), "mentor or person"),
            )
            continue
        section, i = owners[who]
        entry = range_entry(first, last, None)
        if span is not None:
            entry["time"] = span
        if note is not None:
            entry["note"] = note
        entry_list = data[section][i].setdefault("away", [])
        path = (section, i, "away", len(entry_list))
        b.at(path, row, "from")
        b.at((*path, "time"), row, "from time")
        b.at((section, i, "away"), row, "from")
        entry_list.append(entry)
        counts[section, i] += 1
        b.comments[(section, i)] += (
            f"; away: {row.ref('who')}" if counts[section, i] == 1 else ""
        )
    for section in ("mentors", "people"):
        for e in data[section]:
            if "mentor" in e:
                e["mentor"] = e.pop("mentor")
