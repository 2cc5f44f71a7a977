"""A what-if's diff as terminal text and Markdown, and the comparison of
several what-ifs."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..words import plural, sentence
from . import md_table, text_table

if TYPE_CHECKING:  # the solver imports ortools: only when re-planning
    pass


# -- rendering the diff -------------------------------------------------------------


def _at(slot: dict[str, Any]) -> str:
    venue = slot["venue"]
    when = f"{slot['day']} {slot['date']} {slot['start']}-{slot['end']}"
    held = slot["mentor"] or f"{slot.get('host')} (in-school mentor)"
    return f"{when} at {venue}, {held}"


def _arrow(pair: dict[str, Any], unit: str = "") -> str:
    return f"{_num(pair['before'])}{unit} -> {_num(pair['after'])}{unit}"


def _num(x: Any) -> str:
    if x is None:
        return "-"
    if isinstance(x, float):
        return f"{x:.4g}" if abs(x) < 10 else f"{x:,.1f}"
    return f"{x:,}" if isinstance(x, int) else str(x)


def _delta(x: Any) -> str:
    if x is None:
        return "-"
    if x == 0:
        return "0"
    return ("+" if x > 0 else "") + _num(x)


_METRIC_LABELS = {
    "owed": "owed events",
    "planned": "planned",
    "unmet": "unmet",
    "coverage": "coverage",
    "travel_minutes": "travel minutes",
    "missed_attendance": "missed attendance",
    "pattern_breaks": "pattern breaks",
    "share_deviation": "share deviation (points)",
    "days_delivered": "mentor-days delivered",
    "service_delivered": "service delivered (£, day rates)",
    "objective": "objective",
}


def service_text(diff: dict[str, Any]) -> str:
    """Days not delivered and their value, said as a loss of service (the schools
    pay their agreed shares either way; docs/metrics.md, "Cost")."""
    lost = diff["metrics"]["service_lost"]
    n = lost["days_not_delivered"]
    if not n:
        return ""
    value = lost["value_not_delivered"]
    worth = "" if value is None else f", worth £{value:,.2f} at day rates"
    return (
        f"{plural(n, 'mentor-day')} of the baseline no longer delivered{worth}: "
        "a loss of service to the schools, not a saving (they pay their agreed "
        "shares either way)"
    )


def _metric_rows(diff: dict[str, Any]) -> list[list[str]]:
    rows = []
    for k, label in _METRIC_LABELS.items():
        m = diff["metrics"][k]
        if k == "coverage":
            fmt = lambda v: "-" if v is None else f"{v:.1%}"  # noqa: E731
            d = m["change"]
            rows.append(
                [
                    label,
                    fmt(m["before"]),
                    fmt(m["after"]),
                    "-" if d is None else f"{d * 100:+.1f} pts",
                ]
            )
        else:
            rows.append(
                [label, _num(m["before"]), _num(m["after"]), _delta(m["change"])]
            )
    return rows


def diff_markdown(diff: dict[str, Any]) -> str:
    """``whatif.md``: the diff for a planner, per school and per mentor."""
    s = diff["summary"]
    out = [
        f"# What if: {diff['whatif']}",
        "",
        f"Scenario `{diff['scenario']}` on `{diff['base']}`; events before "
        f"{diff['frozen_until']} are kept as they were.",
        "",
        "## Changes",
        "",
        *[f"- {c}" for c in diff["changes"]],
        *[f"- Note: {n}" for n in diff["notes"]],
        "",
        "## Summary",
        "",
        f"{s['unchanged']} of {s['baseline_events']} baseline events unchanged, "
        f"{s['moved']} moved ({s['moved_outside_changes']} outside the changed dates), "
        f"{s['cancelled']} cancelled, {s['added']} added"
        + (f", {s['added_unmet']} newly owed but unmet" if s["added_unmet"] else "")
        + ".",
        "",
        md_table(["metric", "before", "after", "change"], _metric_rows(diff)),
        *(["", sentence(service_text(diff)) + "."] if service_text(diff) else []),
        "",
        "## By school",
        "",
    ]
    items = {x["id"]: x for x in diff["moved"]}
    gone = {x["id"]: x for x in diff["cancelled"]}
    new = {x["id"]: x for x in diff["added"]}
    unmet_new = {x["id"]: x for x in diff["added_unmet"]}
    for sid, sc in diff["by_school"].items():
        mb, ma = sc["minutes"]["before"], sc["minutes"]["after"]
        share = (
            ""
            if sc["share"] is None
            else (
                f"; delivered {_num(sc['delivered_pct']['before'])}% -> "
                f"{_num(sc['delivered_pct']['after'])}% of a {_num(sc['share'])}% share"
            )
        )
        out.append(f"### {sc['name']} ({sid})")
        out.append("")
        out.append(
            f"{sc['unchanged']} unchanged, {len(sc['moved'])} moved, "
            f"{len(sc['cancelled'])} cancelled, {len(sc['added'])} added; "
            f"{_num(mb)} -> {_num(ma)} minutes{share}."
        )
        lines = []
        for oid in sc["moved"]:
            m = items[oid]
            lines.append(
                f"- moved {oid}: {_at(m['from'])} -> {_at(m['to'])}. "
                f"{sentence(m['why'])}."
            )
        for oid in sc["cancelled"]:
            c = gone[oid]
            lines.append(f"- cancelled {oid} (was {_at(c['was'])}): {c['reason']}")
        for oid in sc["added"]:
            a = new[oid]
            lines.append(f"- added {oid}: {_at(a['to'])} ({a['why']})")
        for oid in sc["added_unmet"]:
            u = unmet_new[oid]
            lines.append(f"- newly owed, unmet {oid}: {u['reason']}")
        if lines:
            out += ["", *lines]
        out.append("")
    out += ["## By mentor", ""]
    rows = []
    for mid, m in diff["by_mentor"].items():
        rows.append(
            [
                f"{m['name']} ({mid})",
                str(m["unchanged"]),
                str(len(m["moved"])),
                str(len(m["cancelled"])),
                str(len(m["added"])),
                f"{m['travel_minutes']['before']} -> {m['travel_minutes']['after']}",
                f"{m['event_minutes']['before']} -> {m['event_minutes']['after']}",
                _arrow(m["days_with_events"]),
            ]
        )
    out.append(
        md_table(
            [
                "mentor",
                "unchanged",
                "moved",
                "cancelled",
                "added",
                "travel min",
                "event min",
                "days",
            ],
            rows,
        )
    )
    out.append("")
    for mid, m in diff["by_mentor"].items():
        ids = [*m["moved"], *m["cancelled"], *m["added"]]
        if ids:
            out.append(f"- {mid}: " + ", ".join(ids))
    out.append("")
    return "\n".join(out)


def diff_text(diff: dict[str, Any]) -> str:
    """The diff for the terminal."""
    s = diff["summary"]
    out = [
        f"What if: {diff['whatif']}",
        *[f"  change   {c}" for c in diff["changes"]],
        *[f"  note     {n}" for n in diff["notes"]],
        f"  frozen   events before {diff['frozen_until']} kept as planned",
        f"  solver   {diff['solver']['status']} in {diff['solver']['seconds']:.1f} s "
        f"(baseline: {diff.get('baseline', '?')})",
        f"  events   {s['unchanged']} unchanged, {s['moved']} moved "
        f"({s['moved_outside_changes']} outside the changed dates), "
        f"{s['cancelled']} cancelled, {s['added']} added"
        + (f", {s['added_unmet']} newly owed but unmet" if s["added_unmet"] else ""),
        "",
    ]
    grid = text_table(_metric_rows(diff), ["metric", "before", "after", "change"])
    out += ["  " + line for line in grid.splitlines()]
    loss = service_text(diff)
    if loss:
        out += ["", f"  service  {loss}"]
    if diff["moved"]:
        out += ["", "Moved"]
        for m in diff["moved"]:
            out.append(f"  {m['id']}: {_at(m['from'])} -> {_at(m['to'])}")
            if m["ripple"]:
                out.append(f"      why: {m['why']}")
    if diff["cancelled"]:
        out += ["", "Cancelled (stays 14 days in the feeds as CANCELLED, then removed)"]
        for c in diff["cancelled"]:
            out.append(f"  {c['id']} (was {_at(c['was'])}): {c['reason']}")
    if diff["added"]:
        out += ["", "Added"]
        for a in diff["added"]:
            out.append(f"  {a['id']}: {_at(a['to'])} ({a['why']})")
    if diff["added_unmet"]:
        out += ["", "Newly owed but unmet"]
        for u in diff["added_unmet"]:
            out.append(f"  {u['id']}: {u['reason']}")
    rows = []
    for sid, sc in diff["by_school"].items():
        n = len(sc["moved"]) + len(sc["cancelled"]) + len(sc["added"])
        if not n and sc["minutes"]["before"] == sc["minutes"]["after"]:
            continue
        rows.append(
            [
                sid,
                str(len(sc["moved"])),
                str(len(sc["cancelled"])),
                str(len(sc["added"])),
                f"{_num(sc['minutes']['before'])} -> {_num(sc['minutes']['after'])}",
                "-"
                if sc["share"] is None
                else f"{_arrow(sc['delivered_pct'], '%')} of {_num(sc['share'])}%",
            ]
        )
    if rows:
        out += ["", "By school"]
        grid = text_table(
            rows, ["school", "moved", "cancelled", "added", "minutes", "delivered"]
        )
        out += ["  " + line for line in grid.splitlines()]
    rows = [
        [
            mid,
            str(len(m["moved"])),
            str(len(m["cancelled"])),
            str(len(m["added"])),
            f"{m['travel_minutes']['before']} -> {m['travel_minutes']['after']}",
        ]
        for mid, m in diff["by_mentor"].items()
    ]
    out += ["", "By mentor"]
    grid = text_table(rows, ["mentor", "moved", "cancelled", "added", "travel minutes"])
    out += ["  " + line for line in grid.splitlines()]
    return "\n".join(out)


def comparison_text(
    rows: list[dict[str, Any]], baseline: dict[str, Any] | None = None
) -> str:
    body = [
        [
            Path(r["scenario"]).stem,
            f"{r['coverage']:.1%}",
            str(r["unmet"]),
            str(r["moved"]),
            str(r["cancelled"]),
            str(r["added"]),
            f"{r['travel_minutes']} ({_delta(r['travel_change'])})",
            f"{plural(r['days_not_delivered'], 'day')}"
            + ("" if r["service_lost"] is None else f" (£{r['service_lost']:,.0f})"),
        ]
        for r in rows
    ]
    header = [
        "scenario",
        "coverage",
        "unmet",
        "moved",
        "cancelled",
        "added",
        "travel min",
        "service lost",
    ]
    return text_table(body, header)


def _markdown_safe(value: Any, key: str = "") -> Any:
    """The diff with every name and sentence escaped for Markdown (``md_text``)
    so that whatif.md shows raw HTML or a ``javascript:`` link in a name as
    text; paths shown in code spans are left as they are."""
    from . import md_text

    if isinstance(value, dict):
        return {k: _markdown_safe(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_markdown_safe(v, key) for v in value]
    if isinstance(value, str) and key not in ("scenario", "base"):
        return md_text(value)
    return value
