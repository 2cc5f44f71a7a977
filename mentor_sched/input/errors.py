"""Input errors a coordinator can act on.

Each reads ``FILE:LINE:COL: path: message (got VALUE); hint``.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from .yaml_reader import Document, Path_

# spelling searches per file: each costs time in the number of known names, so
# thousands of bad references must not each make one
SUGGESTIONS = 50
LIMITS_DOC = "docs/limits.md"


@dataclass(frozen=True)
class InputError:
    file: str
    line: int | None
    column: int | None
    path: str
    message: str
    value: str | None = None
    hint: str = ""

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}:{self.column or 1}"
        text = f"{where}: {self.path + ': ' if self.path else ''}{self.message}"
        if self.value is not None:
            text += f" (got {self.value})"
        if self.hint:
            text += f"; {self.hint}"
        return text


class InputErrors(Exception):
    """All problems found in one input file."""

    def __init__(self, errors: list[InputError]) -> None:
        super().__init__("\n".join(map(str, errors)))
        self.errors = errors


def format_path(path: Path_) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + printable(str(part))
    return out


def printable(text: str) -> str:
    """``text`` with control characters escaped, so that a key from the file
    (ESC, OSC, a line break) never reaches the terminal raw."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c == " " else repr(c)[1:-1] for c in text)


def show_value(value: Any, limit: int = 60) -> str:
    text = repr(value) if isinstance(value, dict | list | str) else str(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def closest(name: str, known: typing.Iterable[str]) -> str | None:
    """The likely intended name: a close spelling, else the one name holding it."""
    known = list(known)
    match = difflib.get_close_matches(str(name), known, n=1, cutoff=0.6)
    if match:
        return match[0]
    holding = [k for k in known if len(str(name)) >= 3 and str(name) in k]
    return holding[0] if len(holding) == 1 else None


def suggest(name: str, known: typing.Iterable[str], what: str = "") -> str:
    """'did you mean X?' or the list of known names."""
    known = sorted(set(known))
    best = closest(name, known)
    if best:
        return f"did you mean '{best}'?"
    if not known:
        return f"there are no {what or 'names'} to refer to"
    shown = ", ".join(known[:12]) + (", ..." if len(known) > 12 else "")
    return f"known {what + ' ' if what else ''}ids: {shown}"


class Collector:
    """Gathers errors against one document, with positions."""

    def __init__(self, file: str, doc: Document) -> None:
        self.file = file
        self.doc = doc
        self.errors: list[InputError] = []
        self._suggested: dict[tuple[str, str], str] = {}

    def suggest(self, name: str, known: typing.Iterable[str], what: str) -> str:
        """``suggest()`` for the first SUGGESTIONS distinct names; later ones
        only say what was expected, keeping a file of many bad references
        linear to check."""
        key = (str(name), what)
        if key not in self._suggested:
            if len(self._suggested) >= SUGGESTIONS:
                return f"not one of the {what} ids; check its spelling"
            self._suggested[key] = suggest(name, known, what)
        return self._suggested[key]

    def add(
        self,
        path: Path_,
        message: str,
        value: Any = ...,
        hint: str = "",
        *,
        key: bool = False,
    ) -> None:
        pos = self.doc.where(path, key=key)
        self.errors.append(
            InputError(
                self.file,
                pos[0] if pos else None,
                pos[1] if pos else None,
                format_path(path),
                message,
                None if value is ... else show_value(value),
                hint,
            )
        )

    def raise_if_any(self) -> None:
        if self.errors:
            raise InputErrors(sorted(self.errors, key=_order))


def _order(e: InputError) -> tuple:
    return (e.line or 0, e.column or 0, e.path)


# -- pydantic ----------------------------------------------------------------------


def add_validation_errors(
    out: Collector, exc: ValidationError, root: type[BaseModel]
) -> None:
    errors = exc.errors(include_url=False)
    # "unknown field 'lcation'" already explains "missing field 'location'"
    typos = set()
    for err in errors:
        if err["type"] == "extra_forbidden":
            path = _clean_loc(out.doc.data, err["loc"])
            best = closest(str(path[-1]), _fields_at(root, path[:-1]))
            if best:
                typos.add((*path[:-1], best))
    for err in errors:
        if err["type"] == "missing" and _clean_loc(out.doc.data, err["loc"]) in typos:
            continue
        path = _clean_loc(out.doc.data, err["loc"])
        kind = err["type"]
        value = err.get("input", ...)
        message = err["msg"]
        hint = ""
        key = False
        if kind == "extra_forbidden":
            fields = _fields_at(root, path[:-1])
            message = "unknown field"
            value = ...
            key = True
            best = closest(str(path[-1]), fields)
            hint = (
                f"did you mean '{best}'?"
                if best
                else "allowed here: " + ", ".join(sorted(fields))
            )
            if best == path[-1]:  # a field of the other form of a day pattern
                hint = "a day pattern holds either weekdays or A and B, not both"
        elif kind == "missing" and isinstance(err["loc"][-1], int):
            # a fixed-length list (a travel entry) is short of items
            message = f"item {err['loc'][-1] + 1} is missing"
            value = ...
            hint = "write [from, to, minutes]" if "travel" in path else ""
            out.add(path, message, value, hint)
            continue
        elif kind == "missing":
            message = f"required field '{path[-1]}' is missing"
            value = ...
        elif kind == "literal_error":
            expected = err.get("ctx", {}).get("expected", "")
            message = "not an allowed value"
            hint = f"use one of {expected}"
            if isinstance(value, str):
                best = closest(value, re.findall(r"'([^']*)'", expected))
                if best:
                    hint = f"did you mean '{best}'? ({hint})"
        elif kind.startswith("dates_"):
            hint = "write a date, {on: DATE} or {from: DATE, to: DATE} with to >= from"
        elif kind.startswith(("date_", "datetime_")):
            message = "not a valid date (" + message.split(", ", 1)[-1] + ")"
            hint = "write dates as YYYY-MM-DD"
        elif kind == "union_tag_invalid" or kind == "model_type":
            message = "expected a mapping of fields"
        elif kind in ("time_format", "time_type"):
            hint = 'quote nothing: 13:15 or "13:15" both work'
        elif kind.startswith("range_"):
            hint = 'for example "09:00-10:00"'
        elif kind in _NUMBER_RANGE or kind == "number_range":
            hint = f"the allowed range is documented in {LIMITS_DOC}"
        elif kind == "finite_number":
            message = "not a finite number"
            hint = f"write a number (.inf and .nan are not numbers; {LIMITS_DOC})"
        elif kind == "too_long":
            limit = err.get("ctx", {}).get("max_length")
            message = f"more than {limit:,} entries" if limit else message
            value = len(value) if isinstance(value, list | dict) else value
            hint = f"the limit is documented in {LIMITS_DOC}; split the cluster"
        elif kind.startswith("name_"):
            hint = "write the name on one line, as plain text"
        elif kind == "string_type":
            hint = (
                "write one piece of text; put it in quotes if it looks like a "
                "number, a date or a list"
            )
        if message and message[0].isupper():
            message = message[0].lower() + message[1:]
        if (
            kind == "missing"
            and len(path)
            and path[-1] not in _data_keys(out.doc.data, path[:-1])
        ):
            out.add(path[:-1], message, ..., hint)
        else:
            out.add(path, message, value, hint, key=key)


_NUMBER_RANGE = {
    "greater_than",
    "greater_than_equal",
    "less_than",
    "less_than_equal",
    "int_parsing_size",
}


def _data_keys(data: Any, path: Path_) -> set:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return set()
    return set(data) if isinstance(data, dict) else set()


def _clean_loc(data: Any, loc: tuple) -> Path_:
    """Drop pydantic's union tags from ``loc``, keeping the path in the data."""
    out: list[str | int] = []
    missing_tail = False
    for part in loc:
        if (isinstance(data, dict) and part in data) or (
            isinstance(data, list) and isinstance(part, int) and part < len(data)
        ):
            out.append(part)
            data = data[part]
        elif (
            isinstance(data, dict)
            and isinstance(part, str)
            and not missing_tail
            # a missing field, or a union tag: field names are lower-case
            # identifiers (or A/B); tags are class names or contain '-', '['
            and ((part.isidentifier() and part[0].islower()) or part in ("A", "B"))
        ):
            out.append(part)
            missing_tail = True
        # anything else is a union/function tag
    return tuple(out)


def _fields_at(root: type[BaseModel], path: Path_) -> set[str]:
    candidates: list[Any] = [root]
    for part in path:
        nxt: list[Any] = []
        for tp in candidates:
            for t in _unwrap(tp):
                if isinstance(t, type) and issubclass(t, BaseModel):
                    for name, f in t.model_fields.items():
                        if (f.alias or name) == part:
                            nxt.append(f.annotation)
                else:
                    origin = typing.get_origin(t)
                    args = typing.get_args(t)
                    if origin in (list, tuple) and isinstance(part, int) and args:
                        nxt.append(args[0])
                    elif origin is dict and args:
                        nxt.append(args[1])
        candidates = nxt
    names: set[str] = set()
    for tp in candidates:
        for t in _unwrap(tp):
            if isinstance(t, type) and issubclass(t, BaseModel):
                names |= {f.alias or n for n, f in t.model_fields.items()}
    return names


def _unwrap(tp: Any) -> list[Any]:
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(tp)[0])
    if origin in (typing.Union, types.UnionType):
        out = []
        for a in typing.get_args(tp):
            out += _unwrap(a)
        return out
    return [tp]
