"""Spreadsheets in and out: the cluster as a workbook a school can fill.

- ``write_template(path)``: a blank workbook, one sheet per part of the
  cluster format, with help rows, examples, formats and choice lists;
- ``export_workbook(cluster, path, school=None)``: a cluster file as a filled
  workbook (only one school's rows with ``school``);
- ``import_workbooks([book], into=None)``: a workbook (or a folder of CSV
  files) as cluster YAML that the input layer accepts, or InputErrors naming
  sheet and cell; with ``into``, school workbooks merged into a cluster file.

Nothing here writes a file unless everything is right.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..input import InputError, InputErrors, load, parse_cluster, read_document
from ..input.errors import suggest
from ..input.model import ClusterFile
from ..input.yaml_reader import YamlProblem, read_yaml
from ..problem import Problem
from ..render import write_atomic
from .build import build, locate, raise_errors
from .cells import blank, text
from .read import Book, Row, Table, read_book
from .sheets import BY_NAME, SHEETS
from .template import school_about, write_template
from .write import cluster_rows, write_xlsx
from .yaml_out import to_yaml

__all__ = [
    "Imported",
    "export_workbook",
    "import_workbooks",
    "school_workbook",
    "write_template",
    "write_text",
]


@dataclass(frozen=True)
class Imported:
    yaml: str
    problem: Problem
    notes: list[str]  # how the workbook was read, for the import summary


def _cluster(path: str | Path) -> ClusterFile:
    load(path)  # every problem of the file, as validate reports them
    _, doc = read_document(path)
    return ClusterFile.model_validate(doc.data)


def _check_school(cf: ClusterFile, path: str | Path, school: str) -> None:
    ids = [s.id for s in cf.schools]
    if school not in ids:
        raise InputErrors(
            [
                InputError(
                    str(path),
                    None,
                    None,
                    "",
                    "no such school",
                    repr(school),
                    suggest(school, ids, "school"),
                )
            ]
        )


def export_workbook(
    cluster: str | Path, path: str | Path, school: str | None = None
) -> int:
    """Write ``cluster`` as a filled workbook; the number of rows written."""
    cf = _cluster(cluster)
    if school is not None:
        return school_workbook(cluster, path, school, cf)
    rows = cluster_rows(cf)
    from .template import about

    write_xlsx(rows, path, about=[f"{cf.cluster.name} (from {cluster})", *about()[1:]])
    return sum(len(v) for v in rows.values())


def school_workbook(
    cluster: str | Path, path: str | Path, school: str, cf: ClusterFile | None = None
) -> int:
    """Only ``school``'s rows of ``cluster``, for the school to check and fill."""
    cf = cf or _cluster(cluster)
    _check_school(cf, cluster, school)
    rows = cluster_rows(cf, school)
    write_xlsx(rows, path, about=school_about(school, cf.cluster.name))
    return sum(len(v) for v in rows.values())


def import_workbooks(
    paths: list[str | Path],
    *,
    into: str | Path | None = None,
    name: str = "cluster.yaml",
) -> Imported:
    """The cluster YAML of a workbook, or of school workbooks merged into the
    cluster file ``into``; raises InputErrors listing every problem."""
    notes: list[str] = []
    if into is None:
        if len(paths) != 1:
            raise ValueError("one workbook, or --into a cluster file")
        book = read_book(paths[0])
        _whole(book)
        books = [book]
        source = str(paths[0])
    else:
        books, notes = _merge(into, [read_book(p) for p in paths])
        source = f"{into} and " + ", ".join(map(str, paths))
    built = build(books)
    errors = list(built.errors)
    yaml_text = to_yaml(built.data, built.comments, source)
    raw = yaml_text.encode()
    problem = None
    try:
        problem = parse_cluster(name, raw, read_yaml(raw))
    except InputErrors as exc:
        errors += locate(exc.errors, built, source)
    except YamlProblem as exc:  # the cluster it makes is over a limit
        errors.append(InputError(source, None, None, "", exc.message, None, exc.hint))
    raise_errors(errors)
    assert problem is not None
    counts = built.counts
    notes.insert(
        0,
        f"read {source}: "
        + ", ".join(
            _plural(counts.get(k, 0), w)
            for k, w in (
                ("schools", "school"),
                ("mentors", "mentor"),
                ("people", "person"),
                ("demand", "demand"),
                ("pins", "pin"),
            )
        ),
    )
    by_sheet: dict[tuple[str, tuple[str, ...]], list[str]] = {}
    for column, forms in sorted(built.date_forms.items()):
        sheet, _, header = column.partition(": ")
        by_sheet.setdefault((sheet, tuple(sorted(forms))), []).append(header)
    for (sheet, forms), headers in by_sheet.items():
        notes.append(f"dates in {sheet} ({', '.join(headers)}): " + "; ".join(forms))
    return Imported(yaml_text, problem, notes)


def _plural(n: int, word: str) -> str:
    if n == 1:
        return f"1 {word}"
    return f"{n} " + ("people" if word == "person" else word + "s")


def _whole(book: Book) -> None:
    """A cluster's workbook has the cluster-wide sheets; a school's does not."""
    if book.errors and all(e.path == "" for e in book.errors):
        raise InputErrors(book.errors)
    missing = [
        s for s in ("cluster", "calendar", "schools", "mentors") if s not in book.tables
    ]
    if not missing:
        return
    if (
        "cluster" not in book.tables
        and "mentors" not in book.tables
        and ("people" in book.tables or "schools" in book.tables)
    ):
        book.error(
            "",
            "this is a school's workbook (no cluster or mentors sheet)",
            hint="merge it into the cluster: mentor-sched import --into "
            "CLUSTER.yaml SCHOOL.xlsx -o NEW.yaml",
        )
        raise InputErrors(book.errors)
    for name in missing:
        book.error(
            f"{name}!A1",
            f"missing sheet '{name}'",
            hint="copy it from 'mentor-sched template'",
        )


# -- merging school workbooks -------------------------------------------------------


def _as_book(rows: dict[str, list[dict]], source: str) -> Book:
    """Rows of ``cluster_rows`` as a Book, numbered as export would write them."""
    from openpyxl.utils import get_column_letter

    book = Book(source)
    for name, entries in rows.items():
        sheet = BY_NAME[name]
        letters = {c.key: get_column_letter(i + 1) for i, c in enumerate(sheet.columns)}
        table = Table(sheet)
        for n, entry in enumerate(entries, start=3):
            values = {k: v for k, v in entry.items() if v is not None}
            table.rows.append(Row(source, name, n, values, letters))
        book.tables[name] = table
    return book


def _id(row: Row, key: str) -> str | None:
    value = row.values.get(key)
    if blank(value):
        return None
    try:
        return text(value)
    except Exception:
        return None


def _merge(into: str | Path, books: list[Book]) -> tuple[list[Book], list[str]]:
    cf = _cluster(into)
    base = _as_book(cluster_rows(cf), str(into))
    base_school = {_id(r, "id"): _id(r, "school") for r in base.rows("people")}
    claimed: dict[str, str] = {}
    person_book: dict[str, str] = {}
    notes = []
    errors: list[InputError] = []
    for book in books:
        errors += book.errors
        for s in SHEETS:
            if not s.school_owned and book.rows(s.name):
                row = book.rows(s.name)[0]
                book.error(
                    row.ref(),
                    f"a school's workbook cannot change {s.name}",
                    hint="the coordinator changes it in the cluster file; "
                    "remove these rows",
                )
        own = [i for r in book.rows("schools") if (i := _id(r, "id"))] or sorted(
            {i for r in book.rows("people") if (i := _id(r, "school"))}
        )
        if not own:
            book.error(
                "",
                "no school rows, so it is not clear which school it is for",
                hint="fill the 'schools' sheet with your school's row",
            )
        for sid in own:
            if sid in claimed:
                book.error(
                    next(
                        (
                            r.ref("id")
                            for r in book.rows("schools")
                            if _id(r, "id") == sid
                        ),
                        "schools!A3",
                    ),
                    f"school {sid} is also in {claimed[sid]}",
                    sid,
                    "merge one workbook per school",
                )
            claimed.setdefault(sid, book.source)
        people = set()
        for r in book.rows("people"):
            pid, sid = _id(r, "id"), _id(r, "school")
            if sid is not None and sid not in own:
                book.error(
                    r.ref("school"),
                    "not this workbook's school",
                    sid,
                    f"this workbook is for {', '.join(own)}",
                )
            if pid in base_school and base_school[pid] not in own:
                book.error(
                    r.ref("id"),
                    f"{pid} is a person of {base_school[pid]} in the cluster",
                    pid,
                    "use another id, or move the person in the cluster file",
                )
            if pid in person_book and person_book[pid] != book.source:
                book.error(
                    r.ref("id"),
                    f"{pid} is also in {person_book[pid]}",
                    pid,
                    "keep each person in one school's workbook",
                )
            if pid:
                people.add(pid)
                person_book.setdefault(pid, book.source)
        for sheet, key in (("timetables", "person"), ("absences", "who")):
            for r in book.rows(sheet):
                who = _id(r, key)
                if who is not None and who not in people:
                    book.error(
                        r.ref(key),
                        "not a person of this workbook's people sheet",
                        who,
                        "add the person to 'people', or fix the id",
                    )
        for r in book.rows("calendar"):
            sid = _id(r, "school")
            if sid is None:
                book.error(
                    r.ref("what"),
                    "term dates and holidays are the cluster's",
                    r.values.get("what"),
                    "write 'closed' with your school id for days only your "
                    "school is shut",
                )
            elif sid not in own:
                book.error(
                    r.ref("school"),
                    "not this workbook's school",
                    sid,
                    f"this workbook is for {', '.join(own)}",
                )
        notes.append(f"{book.source}: rows of {', '.join(own) or 'no school'}")
        _replace(base, book, set(own))
    errors = [e for b in books for e in b.errors]
    if errors:
        raise_errors(errors)
    return [base], notes


def _replace(base: Book, book: Book, own: set[str]) -> None:
    """``book``'s rows in place of the base rows of the schools in ``own``."""
    gone = {_id(r, "id") for r in base.rows("people") if _id(r, "school") in own}
    # a school workbook written before people had a provider column keeps
    # each person's provider from the cluster file
    providers = {
        _id(r, "id"): r.values["provider"]
        for r in base.rows("people")
        if "provider" in r.values
    }
    for r in book.rows("people"):
        pid = _id(r, "id")
        if "provider" not in r.letters and pid in providers and pid in gone:
            r.values["provider"] = providers[pid]

    def owned(sheet: str, row: Row) -> bool:
        if sheet == "schools":
            return _id(row, "id") in own
        if sheet in ("calendar",):
            return _id(row, "school") in own
        if sheet == "people":
            return _id(row, "school") in own
        return _id(row, "person" if sheet == "timetables" else "who") in gone

    for sheet in ("calendar", "schools", "people", "timetables", "absences"):
        if sheet not in book.tables:
            continue
        table = base.tables[sheet]
        new = book.rows(sheet)
        if sheet == "schools":
            new = [r for r in new if _id(r, "id") in own]
        merged: list[Row] = []
        placed = False
        for row in table.rows:
            if owned(sheet, row):
                if not placed:
                    merged += new
                    placed = True
                continue
            merged.append(row)
        if not placed:
            merged += new
        table.rows = merged


def write_text(path: str | Path, content: str) -> None:
    """Write ``content`` to ``path`` whole or not at all (0644)."""
    write_atomic(Path(path), content)
