"""Workbook rows -> the cluster file's demand and pins.

Part of the build (``build.py``), whose ``_Builder`` reads and places each cell.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from .cells import clean

if TYPE_CHECKING:
    from .build import Path_, _Builder
    from .read import Row


def _providers(cell: str | None, known: Collection[str]) -> list[str] | None:
    """The providers of a ``who provider`` cell: one per line when it has
    line breaks, the whole cell when it is a provider of the people sheet
    (a name may hold a comma), else separated by commas or semicolons."""
    if cell is None:
        return None
    if "\n" in cell or "\r" in cell:
        parts = cell.splitlines()
    elif cell in known:
        parts = [cell]
    else:
        parts = re.split(r"[,;]", cell)
    return [p for p in (clean(x) for x in parts) if p] or None


def demand_entries(
    b: _Builder, providers: Collection[str] = ()
) -> list[dict[str, Any]]:
    """The demand sheet's rows (with their topics); ``providers`` are the
    people's, to read a ``who provider`` cell as the user meant it."""
    out: list[dict[str, Any]] = []
    topics: dict[str, list[tuple[Row, str]]] = defaultdict(list)
    for row in b.rows("topics"):
        d, t = b.get(row, "demand"), b.get(row, "topic")
        if d is not None and t is not None:
            topics[d].append((row, t))
    ids = set()
    for row in b.rows("demand"):
        path: Path_ = ("demand", len(out))
        d: dict[str, Any] = {}
        b.at(path, row, "id")
        b.comments[path] = row.ref()
        did = b.get(row, "id")
        ids.add(did)
        b.put((*path, "id"), row, "id", did, d)
        b.put((*path, "kind"), row, "kind", b.get(row, "kind"), d)
        b.put((*path, "title"), row, "title", b.get(row, "title"), d)
        who: dict[str, Any] = {}
        b.at((*path, "who"), row, "who ids")
        b.put((*path, "who", "ids"), row, "who ids", b.get(row, "who ids"), who)
        b.put((*path, "who", "role"), row, "who role", b.get(row, "who role"), who)
        schools = b.get(row, "who school")
        if schools is not None:
            b.put(
                (*path, "who", "school"),
                row,
                "who school",
                schools[0] if len(schools) == 1 else schools,
                who,
            )
        b.put(
            (*path, "who", "ect_year"),
            row,
            "who ect year",
            b.get(row, "who ect year"),
            who,
        )
        names = _providers(b.get(row, "who provider"), providers)
        if names is not None:
            b.put(
                (*path, "who", "provider"),
                row,
                "who provider",
                names[0] if len(names) == 1 else names,
                who,
            )
        if not who and not {
            "who ids",
            "who role",
            "who school",
            "who ect year",
            "who provider",
        } & set(row.values):
            b.error(
                row,
                "who ids",
                "who is it for?",
                hint="fill 'who ids', or any of 'who role', 'who school', "
                "'who ECT year', 'who provider'",
            )
        d["who"] = who
        b.put((*path, "minutes"), row, "minutes", b.get(row, "minutes"), d)
        b.put((*path, "every"), row, "every", b.get(row, "every"), d)
        window: dict[str, Any] = {}
        b.put(
            (*path, "window", "days"),
            row,
            "window days",
            b.get(row, "window days"),
            window,
        )
        b.put(
            (*path, "window", "time"),
            row,
            "window from",
            b.time_range(row, "window from", "window to"),
            window,
        )
        b.put((*path, "window"), row, "window days", window or None, d)
        b.put((*path, "online_ok"), row, "online ok", b.get(row, "online ok"), d)
        b.put((*path, "venues"), row, "venues", b.get(row, "venues"), d)
        if did in topics:
            names = [t for _, t in topics[did]]
            b.put((*path, "topics"), topics[did][0][0], "topic", names, d)
            for k, (r, _) in enumerate(topics[did]):
                b.at((*path, "topics", k), r, "topic")
            b.comments[path] += f"; topics: {topics[did][0][0].ref('topic')}"
        on = b.get(row, "at date")
        span = b.time_range(row, "at from", "at to")
        if on is not None or span is not None:
            b.put((*path, "at"), row, "at date", {"date": on, "time": span}, d)
            b.at((*path, "at", "time"), row, "at from")
        b.put((*path, "priority"), row, "priority", b.get(row, "priority"), d)
        b.put((*path, "when"), row, "when", b.get(row, "when"), d)
        joins = b.get(row, "with")
        b.put((*path, "with"), row, "with", None if joins is None else [joins], d)
        b.put((*path, "host"), row, "host", b.get(row, "host"), d)
        out.append(d)
    for did, entries in topics.items():
        if did not in ids:
            b.error(
                entries[0][0],
                "demand",
                "unknown demand",
                did,
                b._suggest(did, ids, "demand"),
            )
    return out


def pin_entries(b: _Builder) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for row in b.rows("pins"):
        path: Path_ = ("pins", len(out))
        p: dict[str, Any] = {}
        b.at(path, row, "demand")
        b.comments[path] = row.ref()
        for key, fld in (
            ("demand", "demand"),
            ("person", "person"),
            ("topic", "topic"),
            ("date", "date"),
            ("start", "start"),
            ("mentor", "mentor"),
            ("venue", "venue"),
        ):
            b.put((*path, fld), row, key, b.get(row, key), p)
        out.append(p)
    return out
