"""The words of the ``about`` sheet, and the blank template."""

from __future__ import annotations

from pathlib import Path

from .sheets import SHEETS
from .write import settings_template, write_xlsx

HOW = [
    "How to fill in this workbook",
    "",
    "Each sheet is one part of the cluster: row 1 names the columns, row 2 says "
    "what goes in them.",
    "Rows whose first cell starts with # are not read: they are help and examples "
    "(copy an example, then remove the #).",
    "A column whose header starts with # is yours: it is not read either.",
    "Dates: Excel dates, 2027-02-03, or 03/02/2027 (day first: 3 February). "
    "Times: Excel times or 9:30 (a colon, not 9.30).",
    "Blank rows are skipped; merged cells count for every row they cover; spaces "
    "around values are ignored.",
    "Ids (schools, mentors, people, demands) are short: lower-case letters, "
    "digits and -, e.g. sudbury-primary.",
    "Notes are for you: they are never shown in plans, feeds or exports.",
    "",
    "Then: mentor-sched import THIS.xlsx -o cluster.yaml",
    "",
    "Sheets:",
]


def about() -> list[str]:
    return [
        "mentor-sched cluster workbook",
        "",
        *HOW,
        *(f"  {s.name}: {s.purpose}" for s in SHEETS),
    ]


def school_about(school: str, cluster: str) -> list[str]:
    return [
        f"Workbook of school {school} for the {cluster}",
        "",
        "Check and complete your school's rows: the school, its closed days "
        "(INSET) and Week A dates, its people, their timetables and known absences.",
        "Send it back to the coordinator, who merges it with: "
        "mentor-sched import --into cluster.yaml THIS.xlsx -o new.yaml",
        "",
        *HOW[:-3],
        "Sheets:",
        *(f"  {s.name}: {s.purpose}" for s in SHEETS if s.school_owned),
    ]


def write_template(path: str | Path) -> None:
    """A blank workbook: every sheet with its headers, help row and an example
    row (marked with #), formats and choice lists."""
    rows = {s.name: [] for s in SHEETS}
    rows["cluster"] = settings_template()
    write_xlsx(rows, path, about=about(), examples=True)
