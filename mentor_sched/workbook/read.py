"""A filled workbook (or a folder of CSV files) as rows of raw cell values.

Sheets and headers are matched loosely (``People ``, ``Share (%)``); a merged
cell's value holds for every cell it covers; blank rows and rows whose first
cell starts with ``#`` (the help and example rows) are skipped; a column
whose header starts with ``#`` is the user's own and is ignored.
"""

from __future__ import annotations

import csv
import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from ..input.errors import InputError, show_value
from .cells import blank, clean
from .sheets import ABOUT, BY_NAME, Sheet, header_key


@dataclass
class Row:
    source: str  # the file the row came from
    sheet: str
    number: int  # as the spreadsheet numbers it
    values: dict[str, Any]  # column key -> raw value (blank cells left out)
    letters: dict[str, str] = field(default_factory=dict)  # column key -> "C"

    def ref(self, key: str | None = None) -> str:
        letter = self.letters.get(header_key(key or ""), "") or next(
            iter(self.letters.values()), "A"
        )
        return f"{self.sheet}!{letter}{self.number}"


@dataclass
class Table:
    sheet: Sheet
    rows: list[Row] = field(default_factory=list)
    ok: bool = True  # every required column is there


@dataclass
class Book:
    source: str
    tables: dict[str, Table] = field(default_factory=dict)
    errors: list[InputError] = field(default_factory=list)

    def rows(self, sheet: str) -> list[Row]:
        t = self.tables.get(sheet)
        return t.rows if t else []

    def error(self, ref: str, message: str, value: Any = ..., hint: str = "") -> None:
        shown = None if value is ... else show_value(value)
        self.errors.append(
            InputError(self.source, None, None, ref, message, shown, hint)
        )


def read_book(path: str | Path) -> Book:
    """Read an .xlsx workbook or a folder of ``<sheet>.csv`` files."""
    path = Path(path)
    book = Book(str(path))
    try:
        grids = _csv_grids(path) if path.is_dir() else _xlsx_grids(path)
    except OSError as exc:
        book.error("", f"cannot read it: {exc.strerror or exc}")
        return book
    except Exception as exc:  # openpyxl raises many kinds for a non-workbook
        book.error(
            "",
            f"not a readable .xlsx workbook ({type(exc).__name__})",
            hint="save it from Excel or LibreOffice as .xlsx, or give a folder "
            "of CSV files named after the sheets",
        )
        return book
    for title, grid in grids:
        key = header_key(title)
        sheet = BY_NAME.get(key) or BY_NAME.get(_ALIASES.get(key, ""))
        if sheet is None:
            if key != ABOUT:
                best = difflib.get_close_matches(key, list(BY_NAME), 1, 0.75)
                if best:
                    book.error(
                        f"{title}!A1",
                        "unknown sheet",
                        title,
                        f"did you mean '{best[0]}'? rename the sheet",
                    )
            continue
        if sheet.name in book.tables:
            book.error(
                f"{title}!A1",
                "a second sheet of this name",
                title,
                "keep one sheet per name",
            )
            continue
        book.tables[sheet.name] = _table(book, sheet, grid)
    return book


_ALIASES = {
    "travel overrides": "travel",
    "settings": "cluster",
    "timetable": "timetables",
    "absence": "absences",
    "school": "schools",
    "mentor": "mentors",
    "person": "people",
    "pin": "pins",
    "topic": "topics",
}


def _xlsx_grids(path: Path) -> list[tuple[str, list[list[Any]]]]:
    import openpyxl

    wb = openpyxl.load_workbook(path, data_only=True)
    out = []
    for ws in wb.worksheets:
        grid = [list(r) for r in ws.iter_rows(values_only=True)]
        for merged in ws.merged_cells.ranges:
            top = merged.min_row - 1
            left = merged.min_col - 1
            if top >= len(grid) or left >= len(grid[top]):
                continue
            value = grid[top][left]
            for r in range(merged.min_row - 1, min(merged.max_row, len(grid))):
                row = grid[r]
                for c in range(merged.min_col - 1, min(merged.max_col, len(row))):
                    row[c] = value
        out.append((ws.title, grid))
    return out


def _csv_grids(path: Path) -> list[tuple[str, list[list[Any]]]]:
    out = []
    for f in sorted(path.glob("*.csv")):
        with f.open(newline="", encoding="utf-8-sig") as fh:
            grid = [[v if v != "" else None for v in row] for row in csv.reader(fh)]
        out.append((f.stem, grid))
    return out


def _comment(row: list[Any]) -> bool:
    first = next((v for v in row if not blank(v)), None)
    return isinstance(first, str) and clean(first).startswith("#")


def _table(book: Book, sheet: Sheet, grid: list[list[Any]]) -> Table:
    table = Table(sheet)
    rows = iter(enumerate(grid, start=1))
    header: list[Any] | None = None
    number = 0
    for at, cells in rows:
        if any(not blank(v) for v in cells) and not _comment(cells):
            header, number = cells, at
            break
    if header is None:
        table.ok = not any(c.required for c in sheet.columns)
        if not table.ok:
            book.error(
                f"{sheet.name}!A1",
                "the sheet has no header row",
                hint="copy the header row from the template",
            )
        return table
    known = {c.key: c for c in sheet.columns}
    columns: dict[int, str] = {}
    for i, value in enumerate(header):
        if blank(value) or clean(str(value)).startswith("#"):
            continue
        key = header_key(value)
        ref = f"{sheet.name}!{get_column_letter(i + 1)}{number}"
        if key in known and key not in columns.values():
            columns[i] = key
        elif key in known:
            book.error(ref, "a second column of this name", value, "keep one")
        else:
            best = difflib.get_close_matches(key, list(known), 1, 0.6)
            table.ok = False  # its values would be missed: the rows are not read
            book.error(
                ref,
                "unknown column",
                value,
                (f"did you mean '{known[best[0]].header}'? " if best else "")
                + "rename it, or start the header with # to keep a column of "
                "your own",
            )
    last = max((i for i, v in enumerate(header) if not blank(v)), default=-1)
    for col in sheet.columns:
        if col.required and col.key not in columns.values():
            last += 1
            book.error(
                f"{sheet.name}!{get_column_letter(last + 1)}{number}",
                f"missing column '{col.header}'",
                hint=f"add a column headed '{col.header}' ({col.help})",
            )
            table.ok = False
    letters = {key: get_column_letter(i + 1) for i, key in columns.items()}
    for number, cells in rows:
        if _comment(cells):
            continue
        values = {
            key: cells[i]
            for i, key in columns.items()
            if i < len(cells) and not blank(cells[i])
        }
        if values:
            table.rows.append(Row(book.source, sheet.name, number, values, letters))
    return table
