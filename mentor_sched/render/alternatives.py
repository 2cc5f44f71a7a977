"""The answer of ``mentor-sched alternatives`` as terminal text, from its JSON
form (``Alternatives.to_json()``): a renderer sees data, never the search."""

from __future__ import annotations

from datetime import date
from typing import Any

from ..words import DAY_ABBR
from . import text_table

# the order terms are shown in, as plan.json's objective_terms lists them
TERMS = (
    "unmet",
    "missed_attendance",
    "travel",
    "pattern",
    "share",
    "continuity",
)


def _when(slot: dict[str, Any]) -> str:
    day = date.fromisoformat(slot["date"])
    return f"{DAY_ABBR[day.weekday()]} {day} {slot['start']}-{slot['end']}"


def _signed(x: int) -> str:
    return f"{x:+d}" if x else "0"


def terms_text(terms: dict[str, int], *, signed: bool = True) -> str:
    """``travel +10, pattern +20``: the terms that are not zero."""
    order = [*TERMS, *(k for k in terms if k not in TERMS)]
    shown = [
        f"{k} {_signed(terms[k]) if signed else terms[k]}"
        for k in order
        if terms.get(k)
    ]
    return ", ".join(shown) or "none"


def _move(m: dict[str, Any]) -> str:
    to = m["to"]
    where = "unmet" if to is None else f"{_when(to)}, {to['mentor']} at {to['venue']}"
    return f"{m['event']} -> {where}"


def alternatives_text(data: dict[str, Any]) -> str:
    """Who, where it is now, and the ranked table."""
    cur = data["current"]
    now = (
        "unmet in the plan"
        if cur is None
        else f"{_when(cur)}, {cur['mentor']} at {cur['venue']}"
    )
    lines = [
        f"Alternatives for {data['event']} ({data['kind']}, "
        f"{', '.join(data['people'])})",
        f"  now        {now}" + (" (pinned)" if data["pinned"] else ""),
        f"  objective  {data['objective']} ({terms_text(data['terms'], signed=False)})",
        f"  looked at  {data['considered']} other (mentor, date, venue) placements, "
        "each at its best start",
    ]
    alts = data["alternatives"]
    if not alts:
        lines += ["", "No other placement fits, even moving the events in the way."]
        return "\n".join(lines)
    changes = [_signed(a["objective_change"]) for a in alts]
    width = max(map(len, changes))
    rows = [
        [
            str(a["rank"]),
            _when(a),
            a["mentor"],
            a["venue"],
            change.rjust(width),
            str(len(a["would_move"])),
            terms_text(a["terms"]),
        ]
        for a, change in zip(alts, changes, strict=True)
    ]
    header = ["rank", "when", "mentor", "venue", "change", "moves", "terms"]
    lines += ["", text_table(rows, header)]
    moving = [a for a in alts if a["would_move"]]
    if moving:
        lines += ["", "would move (each to its best free slot, one step)"]
        for a in moving:
            lines += [f"  {a['rank']:>3}  {_move(m)}" for m in a["would_move"]]
    lines += [
        "",
        "change: of the whole plan's objective (lower is better), without the "
        "'change' weight a what-if adds per moved event.",
        "--pin N writes the N-th as a what-if file to run with 'mentor-sched whatif'.",
    ]
    return "\n".join(lines)
