"""Plain-text tables for the terminal."""

from __future__ import annotations

from typing import Any


def table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = lambda r: "  ".join(  # noqa: E731
        str(c).rjust(w)
        if str(c).replace(".", "").replace("%", "").isdigit()
        else str(c).ljust(w)
        for c, w in zip(r, widths, strict=True)
    ).rstrip()
    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, rows)])


def validate_text(s: dict[str, Any]) -> str:
    roles = ", ".join(
        f"{n} {r}{'s' if n != 1 else ''}" for r, n in s["people_by_role"].items()
    )
    phases = ", ".join(f"{n} {p}" for p, n in s["schools_by_phase"].items())
    mentors = ", ".join(
        f"{m} ({'/'.join(('Mon', 'Tue', 'Wed', 'Thu', 'Fri')[d] for d in v['days'])})"
        for m, v in s["mentors"].items()
    )
    out = [
        f"{s['cluster']}: valid.",
        f"  schools    {s['schools']} ({phases})",
        f"  mentors    {len(s['mentors'])}: {mentors}",
        f"  people     {roles}",
        f"  calendar   {s['teaching_weeks']} teaching weeks, {s['teaching_days']} teaching days",
    ]
    for h in s["holiday_weeks"]:
        out.append(f"             week of {h['monday']} not numbered: {h['why']}")
    out.append(f"  owed       {s['owed_events']} events")
    for d, n in s["owed_by_demand"].items():
        out.append(f"             {n:4d}  {d}")
    over = [w for w in s["capacity"] if w["load"] is None or w["load"] > 1]
    busiest = max(s["capacity"], key=lambda w: w["load"] or 99)
    out.append(
        "  capacity   busiest week "
        f"{busiest['week']} (of {busiest['monday']}): {busiest['owed_minutes']} owed of "
        f"{busiest['working_minutes']} working minutes"
        + (f" ({busiest['load']:.0%})" if busiest["load"] is not None else "")
    )
    for w in over:
        out.append(
            f"  warning    week {w['week']} (of {w['monday']}) owes {w['owed_minutes']} minutes "
            f"but the mentors work {w['working_minutes']}: some events will be unmet"
        )
    if s["no_possible_slot"]:
        out.append(f"  no possible slot ({len(s['no_possible_slot'])}):")
        for x in s["no_possible_slot"]:
            who = ", ".join(x["people"]) or x["event"]
            out.append(
                f"    {x['demand']} / {who} ({x['events_of_series']} events): {x['reason']}"
            )
    else:
        out.append("  every owed event has at least one possible slot")
    return "\n".join(out)
