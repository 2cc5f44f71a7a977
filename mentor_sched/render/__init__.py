"""Renderings of a Plan (and of a Problem summary): files and terminal text.

Here: the one atomic writer every output file goes through, the two table
helpers (Markdown and plain text) and what makes a name safe in a file, a
terminal, Markdown or CSV. The figures come from ``mentor_sched.metrics``, the
names of days and weeks from ``mentor_sched.words``.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

FILE_MODE = 0o644  # every output is meant to be read (feeds are served): rw-r--r--


def write_atomic(
    path: Path, data: bytes | str, *, skip_unchanged: bool = False
) -> None:
    """Replace ``path`` in one step with ``data`` (str is written as UTF-8), mode
    0644 like every output (mkstemp alone would leave it 0600); with
    ``skip_unchanged``, a file that already holds ``data`` is left alone."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if skip_unchanged and path.exists() and path.read_bytes() == raw:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.chmod(tmp, FILE_MODE)
        with os.fdopen(fd, "wb") as f:
            f.write(raw)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# -- titles ----------------------------------------------------------------------


def topic_count(problem: Any, e: Any) -> str | None:
    """``"2 of 6"`` for the second of six topic sessions of a group (from its
    id, ``<demand>/topic-2``), ``"2"`` when the demand is unknown; None for any
    other event."""
    last = e.id.rsplit("/", 1)[-1]
    if not (e.topic and last.startswith("topic-") and last[6:].isdigit()):
        return None
    demand = problem.demands.get(e.demand)
    total = len(demand.topics) if demand else 0
    return f"{last[6:]} of {total}" if total else last[6:]


def event_title(problem: Any, e: Any) -> str | None:
    """The display ``title`` of an event's demand, with ``"2 of 6"`` after it
    for a topic session; None when the demand has no title (every output then
    says what it said before titles existed)."""
    demand = problem.demands.get(e.demand)
    if demand is None or not demand.title:
        return None
    count = topic_count(problem, e)
    return f"{demand.title} {count}" if count else demand.title


# -- tables ----------------------------------------------------------------------


def md_table(
    header: list[str], rows: list[list[str]], right: Iterable[int] = ()
) -> str:
    """A Markdown table; the columns in ``right`` are right-aligned. Cells are
    written as given (names escaped by ``md_text`` already), but for a ``|`` not
    yet escaped, which would split the cell."""

    def cell(x: object) -> str:
        return re.sub(r"(?<!\\)\|", r"\\|", str(x))

    right_aligned = set(right)
    lines = ["| " + " | ".join(map(cell, header)) + " |"]
    aligns = ("---:" if i in right_aligned else "---" for i in range(len(header)))
    lines.append("|" + "|".join(aligns) + "|")
    lines += ["| " + " | ".join(map(cell, r)) + " |" for r in rows]
    return "\n".join(lines)


def _is_number(cell: str) -> bool:
    return cell.replace(".", "").replace("%", "").isdigit()


def text_table(rows: list[list[str]], header: list[str]) -> str:
    """A plain-text table for the terminal: a header, a rule of dashes, columns
    two spaces apart, numbers right-aligned, no trailing spaces."""
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

    def line(r: list[str]) -> str:
        return "  ".join(
            str(c).rjust(w) if _is_number(str(c)) else str(c).ljust(w)
            for c, w in zip(r, widths, strict=True)
        ).rstrip()

    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, rows)])


# -- text that reaches a file or a terminal ------------------------------------------

# C0 controls but TAB and LF, DEL and C1 controls: NUL, ESC (terminal escapes),
# CR (a line break some readers honour), bidi tricks are left to the viewer.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile(r"[\t\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")


def clean_text(text: str, *, one_line: bool = False) -> str:
    """``text`` without control characters (NUL, ESC, CR, ...); TAB and LF are
    kept, or with ``one_line`` every line break or TAB becomes one space."""
    if one_line:
        text = _LINE_BREAKS.sub(" ", text)
    return _CONTROLS.sub("", text)


def terminal_text(text: str) -> str:
    """``text`` safe to print: no ESC/OSC/CSI sequence or other control character
    (only LF and TAB) from a name can reach the terminal."""
    return _CONTROLS.sub("", text)


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#!&~])")


def md_text(text: str) -> str:
    """A name as Markdown text: on one line, every character Markdown or HTML
    would act on backslash-escaped, so ``<script>`` or ``[x](javascript:...)``
    is shown as written, never as HTML or a link (and ``|`` keeps tables whole)."""
    return _MD_SPECIAL.sub(r"\\\1", clean_text(text, one_line=True))


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # CR is removed first anyway


def csv_cell(value: object) -> object:
    """A CSV cell that no spreadsheet runs as a formula (OWASP "CSV injection"):
    text starting with = + - @ TAB or CR gets a leading ``'``; control characters
    (NUL) are removed; numbers stay numbers."""
    if not isinstance(value, str):
        return value
    value = clean_text(value)
    if value.lstrip(" ").startswith(_FORMULA_START):
        value = "'" + value
    return value


# Device names Windows reserves with any extension (CON.ics is CON).
_RESERVED = frozenset(
    {"con", "prn", "aux", "nul", "conin$", "conout$"}
    | {f"{p}{i}" for p in ("com", "lpt") for i in (*"123456789", "¹", "²", "³")}
)


def safe_file_stem(name: str) -> str:
    """A file or folder name for ``name`` that every system accepts and that stays
    where it is put: no separators, control or Windows-reserved characters, no
    leading dot (so never ``.`` or ``..``), and a ``_`` after a reserved device
    name (``con`` -> ``con_``; ids cannot contain ``_``, so it never collides)."""
    stem = re.sub(r'[\x00-\x1f\x7f<>:"/\\|?*]', "-", name).strip(" .")
    stem = stem.lstrip(".") or "cluster"
    if stem.split(".")[0].lower() in _RESERVED:
        stem += "_"
    return stem
