"""Reading one cell as a person meant it, or saying exactly why not.

Excel's own date and time cells are taken as they are; typed text is read in
the forms people write (``2027-02-03``, ``03/02/2027`` day first, ``9:30``,
``1:15pm``). Anything that could mean two things (``9.30``) is refused with
a hint rather than guessed.
"""

from __future__ import annotations

import difflib
import re
from datetime import date, datetime, time, timedelta
from typing import Any

from ..input.model import WEEKDAY_NAMES
from ..words import DAY_NAMES

_FULL_DAYS = tuple(n.lower() for n in DAY_NAMES[:5])
_WEEKEND = ("sat", "sun")

# how a date column was read, for the import summary
EXCEL = "Excel date cells"
ISO = "year-month-day (2027-02-03)"
UK = "day/month/year, UK order (03/02/2027 = 3 February 2027)"


class CellProblem(Exception):
    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not clean(value))


def clean(text: str) -> str:
    """Trailing and leading spaces (also non-breaking ones) gone."""
    return text.replace("\u00a0", " ").strip()


def text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date | time):
        raise CellProblem("expected text, not a date or time", "type it as text")
    return clean(str(value))


def integer(value: Any) -> int:
    if isinstance(value, bool):
        raise CellProblem("expected a whole number", "for example 45")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"[+-]?\d+(\.0*)?", clean(value)):
        return int(float(clean(value)))
    raise CellProblem("expected a whole number", "for example 45")


def number(value: Any) -> int | float:
    if isinstance(value, bool):
        raise CellProblem("expected a number", "for example 52.0389")
    if isinstance(value, int | float):
        return value
    if isinstance(value, str):
        s = clean(value)
        try:
            return int(s) if re.fullmatch(r"[+-]?\d+", s) else float(s)
        except ValueError:
            pass
    raise CellProblem("expected a number", "for example 52.0389")


def read_date(value: Any) -> tuple[date, str]:
    """The date and the form it was written in (EXCEL, ISO or UK)."""
    if isinstance(value, datetime):
        if value.time() != time(0):
            raise CellProblem("a date with a time of day", "keep only the date")
        return value.date(), EXCEL
    if isinstance(value, date):
        return value, EXCEL
    hint = "write 2027-02-03, or 03/02/2027 for 3 February (day first)"
    if not isinstance(value, str):
        raise CellProblem("not a date", hint)
    s = clean(value)
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", s)
    if m:
        form, (y, mo, d) = ISO, map(int, m.groups())
    else:
        m = re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4}|\d{2})", s)
        if not m:
            raise CellProblem("not a date", hint)
        d, mo, y = map(int, m.groups())
        y += 2000 if y < 100 else 0
        form = UK
    try:
        return date(y, mo, d), form
    except ValueError:
        if form == UK and mo > 12 and d <= 12:
            hint = (
                "dates are read day first (UK): this looks month first; "
                f"write {y:04d}-{d:02d}-{mo:02d}"
            )
        raise CellProblem("no such date", hint) from None


def read_time(value: Any) -> str:
    """``"HH:MM"`` from an Excel time cell or typed ``9:30`` / ``1:15pm``."""
    if isinstance(value, datetime):
        if value.date() in (date(1899, 12, 30), date(1899, 12, 31)):
            value = value.time()
        elif value.year <= 1900:
            # a number of 1 or more in a cell formatted as a time: 9.30 typed
            # into an hh:mm cell shows as 07:12, 9.3 days after midnight
            from openpyxl.utils.datetime import to_excel

            typed = to_excel(value)
            shown = f"{round(typed, 6):g}"
            raise CellProblem(
                f"the number {shown}, shown as the time {value:%H:%M}",
                _dot_hint(shown) if "." in shown else f"write it like {shown}:00",
            )
        else:
            raise CellProblem("a date, not a time", "write only the time, like 9:30")
    if isinstance(value, timedelta):
        seconds = round(value.total_seconds() / 60) * 60
        if not 0 <= seconds <= 24 * 3600:
            raise CellProblem("not a time of day", "write it like 9:30")
        return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"
    if isinstance(value, time):
        minutes = round((value.hour * 3600 + value.minute * 60 + value.second) / 60)
        return f"{minutes // 60:02d}:{minutes % 60:02d}"
    if isinstance(value, bool):
        raise CellProblem("not a time", "write it like 9:30")
    if isinstance(value, int | float):
        shown = f"{value:g}"
        if "." in shown or isinstance(value, int):
            raise CellProblem(
                "a number, not a time",
                _dot_hint(shown) if "." in shown else f"write it like {value}:00",
            )
    s = clean(str(value)).lower()
    m = re.fullmatch(r"(\d{1,2}):(\d{2})(?::00)?\s*(am|pm|a\.m\.|p\.m\.)?", s)
    if m:
        h, mi = int(m[1]), int(m[2])
        half = (m[3] or "").replace(".", "")
        if half:
            if not 1 <= h <= 12:
                raise CellProblem(
                    "no such time of day", "write it like 1:15pm or 13:15"
                )
            h = h % 12 + (12 if half == "pm" else 0)
        if h > 24 or mi > 59 or (h == 24 and mi):
            raise CellProblem("no such time of day", "write it like 9:30")
        return f"{h:02d}:{mi:02d}"
    if re.fullmatch(r"\d{1,2}[.,]\d{2}", s):
        raise CellProblem("not a time", _dot_hint(s))
    raise CellProblem("not a time", "write it like 9:30 (hours:minutes)")


def _dot_hint(s: str) -> str:
    h, _, mi = s.replace(",", ".").partition(".")
    mi = (mi + "0")[:2] if len(mi) == 1 else mi
    return (
        f"write {h}:{mi} with a colon if you mean {h}:{mi}; "
        f"{s} could also be a decimal number of hours, so it is not guessed"
    )


def read_ranges(value: Any) -> list[str]:
    """``"08:15-16:45"`` or several separated by commas, as ``HH:MM-HH:MM``."""
    if not isinstance(value, str):
        raise CellProblem("expected a time range as text", "write it like 08:15-16:45")
    out = []
    for part in re.split(r"[,;]", value):
        part = clean(part)
        if not part:
            continue
        pieces = re.split(r"\s*(?:-|–|—|\bto\b)\s*", part)
        if len(pieces) != 2:
            raise CellProblem(
                f"not a time range: {part!r}", "write it like 08:15-16:45"
            )
        out.append("-".join(read_time(p) for p in pieces))
    return out


def weekday(value: Any) -> str:
    """``'thu'`` from Thu, Thursday, thurs, THU..."""
    s = text(value).lower().rstrip(".")
    for short, full in zip(WEEKDAY_NAMES, _FULL_DAYS, strict=True):
        if len(s) >= 3 and full.startswith(s):
            return short
    if s[:3] in _WEEKEND:
        raise CellProblem("weekends are never planned", "use mon to fri")
    match = difflib.get_close_matches(s, [*_FULL_DAYS, *WEEKDAY_NAMES], 1, 0.5)
    if match:
        hint = f"did you mean '{match[0][:3]}'? (mon, tue, wed, thu or fri)"
        raise CellProblem("not a weekday", hint)
    raise CellProblem("not a weekday", "use mon, tue, wed, thu or fri")


def weekdays(value: Any) -> list[str]:
    return [weekday(p) for p in split_list(value)]


def split_list(value: Any) -> list[str]:
    return [p for p in (clean(x) for x in re.split(r"[,;]", text(value))) if p]


def choice(value: Any, choices: tuple[str, ...]) -> str:
    s = text(value)
    by_key = {_choice_key(c): c for c in choices}
    got = by_key.get(_choice_key(s))
    if got is not None:
        return got
    match = difflib.get_close_matches(_choice_key(s), list(by_key), 1, 0.6)
    shown = ", ".join(choices)
    hint = f"did you mean '{by_key[match[0]]}'? ({shown})" if match else f"use {shown}"
    raise CellProblem("not one of the choices", hint)


def _choice_key(s: str) -> str:
    return re.sub(r"[\s_-]+", "", s.lower())


def yes_no(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    s = text(value).lower()
    if s in ("yes", "y", "true", "1"):
        return True
    if s in ("no", "n", "false", "0"):
        return False
    raise CellProblem("expected yes or no", "write yes or no")


def every(value: Any) -> str | dict[str, int]:
    """week, fortnight, once or a number of weeks (``3``, ``3 weeks``)."""
    hint = "write week, fortnight, once, or a number of weeks such as 3 weeks"
    if isinstance(value, int | float) and not isinstance(value, bool):
        k = integer(value)
    else:
        s = text(value).lower()
        words = {
            "week": "week",
            "weekly": "week",
            "fortnight": "fortnight",
            "fortnightly": "fortnight",
            "once": "once",
        }
        s = re.sub(r"^every\s+", "", s)
        if s in words:
            return words[s]
        m = re.fullmatch(r"(\d+)\s*(weeks?)?", s)
        if not m:
            raise CellProblem("not a recurrence", hint)
        k = int(m[1])
    if k < 1:
        raise CellProblem("not a recurrence", hint)
    return {"weeks": k}
