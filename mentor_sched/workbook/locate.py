"""The input layer's findings on a built workbook, told against the cells their
values came from (``people!D7``), never against the YAML."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..input.errors import InputError, InputErrors

if TYPE_CHECKING:
    from .build import Built


_LAST = re.compile(r"(\.[^.\[]+|\[\d+\])$")


def locate(errors: list[InputError], built: Built, fallback: str) -> list[InputError]:
    """The input layer's errors, each against the cell its value came from;
    errors in a row that already has a cell problem are left out (they are
    that problem seen again)."""
    from ..input.errors import format_path

    where = {format_path(p): w for p, w in built.where.items()}
    out = []
    for e in errors:
        found = None
        m = re.match(r"required field '(\w+)' is missing", e.message)
        if m and f"{e.path}.{m[1]}" in where:
            found = where[f"{e.path}.{m[1]}"]
        path = e.path
        while found is None and path:
            found = where.get(path)
            shorter = _LAST.sub("", path)
            path = "" if shorter == path else shorter
        if found is None:
            out.append(InputError(fallback, None, None, "", e.message, e.value, e.hint))
            continue
        source, ref = found
        sheet, _, cell = ref.partition("!")
        number = int(re.sub(r"\D", "", cell) or 0)
        if (source, sheet, number) in built.bad_rows:
            continue
        field_name = _field(e.path)
        message = f"{field_name}: {e.message}" if field_name else e.message
        out.append(InputError(source, None, None, ref, message, e.value, e.hint))
    return out


def _field(path: str) -> str:
    parts = [p for p in re.split(r"[.\[\]]", path) if p and not p.isdigit()]
    return parts[-1].replace("_", " ") if len(parts) > 1 else ""


def raise_errors(errors: list[InputError]) -> None:
    if errors:
        raise InputErrors(sorted(errors, key=_order))


def _order(e: InputError) -> tuple:
    sheet, _, cell = e.path.partition("!")
    letters = re.sub(r"\d", "", cell)
    number = int(re.sub(r"\D", "", cell) or 0)
    return (e.file, sheet, number, len(letters), letters, e.message)
