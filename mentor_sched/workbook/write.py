"""A cluster as workbook rows, and rows as an .xlsx file.

Every cell is written as a value, never a formula: text that starts with
``=`` stays text. Notes of absences and holidays are never written (they
are private and never leave the cluster file).
"""

from __future__ import annotations

import os
import tempfile
from datetime import date, time
from pathlib import Path
from typing import Any

from ..input.model import (
    ABPattern,
    ClusterFile,
    DateRange,
    WeekPattern,
    Weeks,
)
from ..words import WEEKDAY_KEYS
from .sheets import (
    ABOUT,
    BY_NAME,
    SETTING_EXAMPLES,
    SETTING_ROWS,
    SHEETS,
    Sheet,
    header_key,
)

Rows = dict[str, list[dict[str, Any]]]


def _hm(minutes: int) -> time | str:
    if minutes >= 24 * 60:
        return "24:00"
    return time(minutes // 60, minutes % 60)


def _span(r: tuple[int, int]) -> str:
    return "-".join(f"{m // 60:02d}:{m % 60:02d}" for m in r)


def _dates(r: DateRange) -> dict[str, Any]:
    return {"from": r.first, "to": None if r.on is not None else r.last}


def cluster_rows(cf: ClusterFile, school: str | None = None) -> Rows:
    """The rows of each sheet for cluster ``cf``; with ``school``, only the
    rows that school owns (its row, closures, Week A dates, people, their
    timetables and absences)."""
    rows: Rows = {s.name: [] for s in SHEETS}
    given = {
        "cluster": cf.cluster,
        "calendar": cf.calendar,
        "travel": cf.travel,
        "weights": cf.weights,
    }
    for name, ((section, fld), _, meaning) in SETTING_ROWS.items():
        model = given[section]
        alias = {"from_": "from"}.get(fld, fld)
        value = getattr(model, alias) if fld in model.model_fields_set else None
        rows["cluster"].append({"setting": name, "value": value, "meaning": meaning})
    h = cf.cluster.horizon
    rows["calendar"].append({"what": "term", "from": h.first, "to": h.last})
    for r in cf.calendar.holidays:
        rows["calendar"].append({"what": "holiday", **_dates(r)})
    for s in cf.schools:
        for r in s.closed:
            rows["calendar"].append({"what": "closed", "school": s.id, **_dates(r)})
        for d in s.week_a or []:
            rows["calendar"].append({"what": "week A", "school": s.id, "from": d})
        set_ = s.model_fields_set
        rows["schools"].append(
            {
                "id": s.id,
                "name": s.name,
                "phase": s.phase,
                "latitude": s.location.lat,
                "longitude": s.location.lon,
                "open from": _hm(s.open[0]) if "open" in set_ else None,
                "open to": _hm(s.open[1]) if "open" in set_ else None,
                "share": s.share,
            }
        )
    for m in cf.mentors:
        row: dict[str, Any] = {"id": m.id, "name": m.name}
        for i, day in enumerate(WEEKDAY_KEYS):
            spans = m.works.on(i)
            row[day] = ", ".join(map(_span, spans)) if spans else None
        if isinstance(m.base, str):
            row["base school"] = m.base
        elif m.base is not None:
            row["base latitude"], row["base longitude"] = m.base.lat, m.base.lon
        if "phases" in m.model_fields_set:
            row["phases"] = ", ".join(m.phases)
        row["max travel minutes per day"] = m.max_travel_minutes_per_day
        row["max minutes per day"] = m.max_minutes_per_day
        if m.break_ is not None:
            row["break minutes"] = m.break_.minutes
            row["break from"] = _hm(m.break_.between[0])
            row["break to"] = _hm(m.break_.between[1])
        row["day rate"] = m.day_rate
        rows["mentors"].append(row)
        for r in m.away:
            rows["absences"].append(_away(m.id, r))
    for p in cf.people:
        present = p.present
        rows["people"].append(
            {
                "id": p.id,
                "name": p.name,
                "role": p.role,
                "school": p.school,
                "ect year": p.ect_year,
                "provider": p.provider,
                "in-school mentor": p.mentor,
                "days at school": ", ".join(p.days)
                if "days" in p.model_fields_set
                else None,
                "present from": present.first if present else None,
                "present to": present.last if present else None,
            }
        )
        for activity in ("teaching", "free"):
            rows["timetables"] += _pattern_rows(p.id, activity, getattr(p, activity))
        for r in p.away:
            rows["absences"].append(_away(p.id, r))
    for d in cf.demand:
        set_ = d.model_fields_set
        who = d.who
        every = d.every
        if isinstance(every, Weeks):
            every = f"{every.weeks} week{'s' if every.weeks != 1 else ''}"
        window = d.window
        rows["demand"].append(
            {
                "id": d.id,
                "kind": d.kind,
                "title": d.title,
                "who ids": ", ".join(who.ids) if who.ids is not None else None,
                "who role": who.role,
                "who school": ", ".join(who.school) if who.school is not None else None,
                "who ect year": who.ect_year,
                "who provider": provider_cell(who.provider),
                "minutes": d.minutes,
                "every": every if "every" in set_ else None,
                "window days": ", ".join(window.days)
                if window and "days" in window.model_fields_set
                else None,
                "window from": _hm(window.time[0]) if window and window.time else None,
                "window to": _hm(window.time[1]) if window and window.time else None,
                "online ok": None
                if d.online_ok is None
                else "yes"
                if d.online_ok
                else "no",
                "venues": ", ".join(d.venues) if d.venues is not None else None,
                "at date": d.at.date if d.at else None,
                "at from": _hm(d.at.time[0]) if d.at else None,
                "at to": _hm(d.at.time[1]) if d.at else None,
                "priority": d.priority if "priority" in set_ else None,
                "when": d.when if "when" in set_ else None,
                "with": ", ".join(d.with_) or None,
                "host": d.host,
            }
        )
        for t in d.topics or []:
            rows["topics"].append({"demand": d.id, "topic": t})
    for pin in cf.pins:
        rows["pins"].append(
            {
                "demand": pin.demand,
                "person": pin.person,
                "topic": pin.topic,
                "date": pin.date,
                "start": _hm(pin.start),
                "mentor": pin.mentor,
                "venue": pin.venue,
            }
        )
    for a, b, minutes in cf.travel.minutes:
        rows["travel"].append({"from": a, "to": b, "minutes": minutes})
    if school is not None:
        rows = _only_school(rows, school)
    return {
        name: [{header_key(k): v for k, v in r.items()} for r in entries]
        for name, entries in rows.items()
    }


def provider_cell(names: list[str] | None) -> str | None:
    """Providers of a selector in one cell: separated by commas, or one per
    line when a name holds a comma or semicolon (a name holds no line break)."""
    if not names:
        return None
    if len(names) > 1 and any("," in n or ";" in n for n in names):
        return "\n".join(names)
    return ", ".join(names)


def _only_school(rows: Rows, school: str) -> Rows:
    people = {p["id"] for p in rows["people"] if p["school"] == school}
    return {
        "calendar": [r for r in rows["calendar"] if r.get("school") == school],
        "schools": [r for r in rows["schools"] if r["id"] == school],
        "people": [r for r in rows["people"] if r["id"] in people],
        "timetables": [r for r in rows["timetables"] if r["person"] in people],
        "absences": [r for r in rows["absences"] if r["who"] in people],
    }


def _away(who: str, r: Any) -> dict[str, Any]:
    # the note is private: never written
    return {
        "who": who,
        **_dates(r),
        "from time": _hm(r.time[0]) if r.time else None,
        "to time": _hm(r.time[1]) if r.time else None,
    }


def _pattern_rows(pid: str, activity: str, pattern: Any) -> list[dict[str, Any]]:
    weeks: list[tuple[str | None, WeekPattern]]
    if isinstance(pattern, ABPattern):
        weeks = [("A", pattern.A), ("B", pattern.B)]
    else:
        weeks = [(None, pattern)]
    out = []
    for week, days in weeks:
        for i, day in enumerate(WEEKDAY_KEYS):
            for a, b in days.on(i):
                out.append(
                    {
                        "person": pid,
                        "week": week,
                        "day": day,
                        "activity": activity,
                        "from": _hm(a),
                        "to": _hm(b),
                    }
                )
    return out


# -- xlsx --------------------------------------------------------------------------

_FORMATS = {"date": "yyyy-mm-dd", "time": "hh:mm"}
_TEXT_KINDS = ("text", "id", "ids", "ranges", "days", "choice", "every", "day", "yesno")
SPARE_ROWS = 200  # rows below the data that carry formats and choice lists


def write_xlsx(
    rows: Rows, path: str | Path, *, about: list[str], examples: bool = False
) -> None:
    """Write the sheets of ``rows`` (in layout order) to ``path``, atomically."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    info = wb.active
    info.title = ABOUT
    for line in about:
        info.append([line])
    info.column_dimensions["A"].width = 100
    info["A1"].font = Font(bold=True, size=14)
    for sheet in SHEETS:
        if sheet.name not in rows:
            continue
        ws = wb.create_sheet(sheet.name)
        data = rows[sheet.name]
        ws.append([c.header for c in sheet.columns])
        for cell in ws[1]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDEBF7")
        help_row = [c.help for c in sheet.columns]
        help_row[0] = "# " + help_row[0]
        ws.append(help_row)
        for cell in ws[2]:
            cell.font = Font(italic=True, color="666666")
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.freeze_panes = "A3"
        for i, col in enumerate(sheet.columns, start=1):
            letter = ws.cell(1, i).column_letter
            ws.column_dimensions[letter].width = col.width
        if examples:
            for example in _examples(sheet):
                _append(ws, sheet, example, comment=True)
        for row in data:
            _append(ws, sheet, row)
        _validate(ws, sheet, ws.max_row + SPARE_ROWS)
    path = Path(path)
    fd, tmp = tempfile.mkstemp(
        dir=path.parent or ".", prefix=f".{path.name}.", suffix=".tmp"
    )
    os.close(fd)
    try:
        wb.save(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _examples(sheet: Sheet) -> list[dict[str, Any]]:
    if sheet.name == "cluster":
        return []  # the settings sheet lists every setting with its meaning
    return [{c.key: c.example for c in sheet.columns}]


def _append(
    ws: Any, sheet: Sheet, row: dict[str, Any], *, comment: bool = False
) -> None:
    from openpyxl.styles import Font

    r = ws.max_row + 1
    for i, col in enumerate(sheet.columns, start=1):
        value = row.get(col.key)
        if comment and i == 1:
            value = f"# {value}"
        cell = ws.cell(r, i)
        if value is None:
            continue
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"  # never a formula, even for "=..."
        if isinstance(value, date):
            cell.number_format = _FORMATS["date"]
        elif isinstance(value, time):
            cell.number_format = _FORMATS["time"]
        if comment:
            cell.font = Font(italic=True, color="808080")


def _validate(ws: Any, sheet: Sheet, last: int) -> None:
    """Formats and drop-down lists for the data rows, for Excel and LibreOffice."""
    from openpyxl.worksheet.datavalidation import DataValidation

    for i, col in enumerate(sheet.columns, start=1):
        letter = ws.cell(1, i).column_letter
        fmt = _FORMATS.get(col.kind, "@" if col.kind in _TEXT_KINDS else None)
        for r in range(3, last + 1):
            cell = ws.cell(r, i)
            if cell.value is None and fmt:
                cell.number_format = fmt
        choices = col.choices
        if sheet.name == "cluster":
            continue
        if choices:
            dv = DataValidation(
                type="list",
                formula1='"' + ",".join(choices) + '"',
                allow_blank=True,
                showErrorMessage=col.kind not in ("every",),
                errorTitle=col.header,
                error=f"{col.header}: one of " + ", ".join(choices),
            )
            dv.add(f"{letter}3:{letter}{last}")
            ws.add_data_validation(dv)
    if sheet.name == "cluster":
        from .sheets import NATIONS

        for r in range(3, ws.max_row + 1):
            if ws.cell(r, 1).value == "bank holidays":
                dv = DataValidation(
                    type="list",
                    formula1='"' + ",".join(NATIONS) + '"',
                    allow_blank=True,
                )
                dv.add(f"B{r}")
                ws.add_data_validation(dv)


def settings_template() -> list[dict[str, Any]]:
    return [
        {
            "setting": name,
            "value": None,
            "meaning": meaning
            + (f", e.g. {SETTING_EXAMPLES[name]}" if name in SETTING_EXAMPLES else ""),
        }
        for name, (_, _, meaning) in SETTING_ROWS.items()
    ]


def sheet(name: str) -> Sheet:
    return BY_NAME[name]
