"""Cost and delivery reports: ``events.csv``, ``report.csv`` and ``report.md``.

The rows (``school_rows``, ``mentor_rows``, ``totals``) gather the figures of
``mentor_sched.metrics`` for the files and the terminal, which show the same
numbers as the timetable. Minutes are attributed to schools as docs/metrics.md
defines: an event's length split equally among its invited people, each part
counting for that person's school (online time too).

Cost is docs/metrics.md's "Cost" (``metrics.costs``): per school the cost at
the agreed share (the invoice figure), the cost of the time delivered, and the
difference. Money is rounded to pennies by largest remainder, so the schools'
costs add up to the total exactly; percentages are rounded to 1 decimal.

Why an unmet event is unmet, broadly (no possible slot, or crowded out), takes
the option search, which no renderer imports: the caller passes
``summary.unmet_categories(problem, plan)`` as ``categories``.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..metrics import (
    HOSTED,
    PROVIDER_KINDS,
    Costs,
    attributed_minutes,
    costs,
    days_worked,
    delivered_pct,
    event_minutes_by_mentor,
    event_schools,
    events_by_school,
    provider_figures,
    provider_kinds,
    travel_minutes_by_mentor,
    utilisation_pct,
    working_minutes_by_mentor,
)
from ..plan import Event, Plan, Unmet
from ..problem import ONLINE, Problem, fmt_time
from ..words import day_abbr
from . import csv_cell, event_title, md_table, md_text, write_atomic

EVENTS_HEADER = [
    "id",
    "demand",
    "kind",
    "date",
    "weekday",
    "start",
    "end",
    "minutes",
    "mentor",
    "mentor_name",
    "venue",
    "venue_name",
    "schools",
    "people",
    "missed",
    "topic",
    "period",
    "week",
]

REPORT_HEADER = [
    "section",
    "id",
    "name",
    "minutes",
    "hours",
    "share_pct",
    "delivered_pct",
    "deviation_pct",
    "cost_at_share",
    "cost",
    "cost_difference",
    "events_planned",
    "events_unmet",
    "days_worked",
    "event_minutes",
    "travel_minutes",
    "working_minutes",
    "utilisation_pct",
]

# report.csv's provider rows, when any trainee or ECT has a provider
PLURAL = {
    "group": "sessions",
    "observation": "observations",
    "meeting": "meetings",
    HOSTED: "in_school_mentor_time",
}
PROVIDER_HEADER = [
    "people",
    *(f"{PLURAL[k]}_{x}" for k in PROVIDER_KINDS for x in ("received", "owed")),
    "minutes_received",
    "minutes_owed",
]
# and, when some demand is held by the in-school mentor, their own events
HOSTED_HEADER = [f"{PLURAL[HOSTED]}_received", f"{PLURAL[HOSTED]}_owed"]

# -- the figures ---------------------------------------------------------------
# (each from mentor_sched.metrics; here they are only gathered into rows)

Categories = Mapping[str, str]  # unmet event id -> why, broadly (words.NO_SLOT...)


def unmet_category(
    problem: Problem, unmet: Unmet, categories: Categories | None = None
) -> str | None:
    """Why ``unmet`` is unmet, broadly, as ``categories`` (from
    ``summary.unmet_categories``) says; None when not told."""
    return None if categories is None else categories.get(unmet.id)


def unmet_by_category(
    problem: Problem, plan: Plan, categories: Categories | None = None
) -> dict[str, int]:
    """Count of unmet events per category, largest first (empty when no
    ``categories`` are given)."""
    counts: dict[str, int] = defaultdict(int)
    for u in plan.unmet:
        category = unmet_category(problem, u, categories)
        if category is not None:
            counts[category] += 1
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def school_rows(problem: Problem, plan: Plan) -> list[dict[str, Any]]:
    """One dict per school, in the cluster file's order.

    Keys: ``school``, ``name``, ``minutes`` (attributed, 2 decimals), ``hours``,
    ``share`` (agreed %, or None), ``delivered_pct``, ``deviation_pct`` (None
    without a share), ``cost_at_share`` (the invoice figure), ``cost`` (of the
    time delivered) and ``cost_difference`` (the first less the second), all
    None when no mentor has a day rate,
    ``planned`` and ``unmet`` (events involving someone at the school).
    """
    minutes = attributed_minutes(problem, plan)
    delivered = delivered_pct(minutes)
    c = costs(problem, plan)
    planned = events_by_school(problem, plan.events)
    unmet = events_by_school(problem, plan.unmet)
    rows = []
    for sid, school in problem.schools.items():
        pct = delivered[sid]
        rows.append(
            {
                "school": sid,
                "name": school.name,
                "minutes": round(minutes[sid], 2),
                "hours": round(minutes[sid] / 60, 2),
                "share": school.share,
                "delivered_pct": round(pct, 1),
                "deviation_pct": (
                    None if school.share is None else round(abs(pct - school.share), 1)
                ),
                "cost_at_share": None if c is None else c.agreed[sid] / 100,
                "cost": None if c is None else c.delivered[sid] / 100,
                "cost_difference": None if c is None else c.difference(sid) / 100,
                "planned": planned[sid],
                "unmet": unmet[sid],
            }
        )
    return rows


def mentor_rows(problem: Problem, plan: Plan) -> list[dict[str, Any]]:
    """One dict per mentor, in the cluster file's order.

    Keys: ``mentor``, ``name``, ``days_worked``, ``event_minutes``,
    ``travel_minutes``, ``working_minutes`` (on teaching days, less absences),
    ``utilisation_pct`` ((event + travel) / working, None when 0 working),
    ``day_rate`` and ``cost`` (None without a day rate).
    """
    c = costs(problem, plan)
    events = event_minutes_by_mentor(problem, plan)
    travel = travel_minutes_by_mentor(problem, plan)
    working = working_minutes_by_mentor(problem)
    rows = []
    for mid, mentor in problem.mentors.items():
        cost = None if c is None else c.by_mentor.get(mid)
        rows.append(
            {
                "mentor": mid,
                "name": mentor.name,
                "days_worked": len(days_worked(plan, mid)),
                "event_minutes": events[mid],
                "travel_minutes": travel[mid],
                "working_minutes": working[mid],
                "utilisation_pct": _round1(
                    utilisation_pct(events[mid], travel[mid], working[mid])
                ),
                "day_rate": mentor.day_rate,
                "cost": None if cost is None else cost / 100,
            }
        )
    return rows


def _round1(pct: float | None) -> float | None:
    return None if pct is None else round(pct, 1)


def totals(problem: Problem, plan: Plan) -> dict[str, Any]:
    """Cluster-wide figures matching the rows above.

    ``planned``/``unmet`` count each event once (a group session with several
    schools counts once here but once per school in ``school_rows``);
    ``unattributed_cost`` is charged days with travel but no event.
    """
    minutes = sum(attributed_minutes(problem, plan).values())
    c: Costs | None = costs(problem, plan)
    mentors = mentor_rows(problem, plan)
    owed = len(problem.owed)
    event_min = sum(m["event_minutes"] for m in mentors)
    travel_min = sum(m["travel_minutes"] for m in mentors)
    working = sum(m["working_minutes"] for m in mentors)
    shares = [s.share for s in problem.schools.values() if s.share is not None]
    return {
        "minutes": round(minutes, 2),
        "hours": round(minutes / 60, 2),
        "share": sum(shares) if shares else None,
        "delivered_pct": 100.0 if minutes else 0.0,
        "owed": owed,
        "planned": len(plan.events),
        "unmet": len(plan.unmet),
        "coverage_pct": round(len(plan.events) / owed * 100, 1) if owed else 100.0,
        "days_worked": sum(m["days_worked"] for m in mentors),
        "event_minutes": event_min,
        "travel_minutes": travel_min,
        "working_minutes": working,
        "utilisation_pct": _round1(utilisation_pct(event_min, travel_min, working)),
        "cost": None if c is None else c.total / 100,
        "unattributed_cost": None if c is None else c.unattributed / 100,
    }


def unmet_by_school(problem: Problem, plan: Plan) -> dict[str, list[Unmet]]:
    """Unmet events under each school involved (school order); ``""`` for none."""
    out: dict[str, list[Unmet]] = {s: [] for s in problem.schools}
    for u in sorted(plan.unmet, key=lambda u: u.id):
        for s in event_schools(problem, u) or [""]:
            out.setdefault(s, []).append(u)
    return {s: us for s, us in out.items() if us}


# -- the files -----------------------------------------------------------------


def _names(problem: Problem, ids: Iterable[str]) -> str:
    return ";".join(problem.people[p].name if p in problem.people else p for p in ids)


def venue_name(problem: Problem, venue: str) -> str:
    if venue == ONLINE:
        return "online"
    school = problem.schools.get(venue)
    return school.name if school else venue


def has_titles(problem: Problem) -> bool:
    """Whether any demand has a display ``title``: then ``events.csv`` ends with
    a ``title`` column (without one, the file is as it always was)."""
    return any(d.title for d in problem.demands.values())


def has_hosted(problem: Problem) -> bool:
    """Whether any demand is held by the in-school mentor (``host``): then
    ``events.csv`` ends with ``host`` and ``host_name`` columns."""
    return any(d.hosted for d in problem.demands.values())


def events_header(problem: Problem) -> list[str]:
    """``EVENTS_HEADER``, then ``title`` and ``host``, ``host_name`` when used."""
    return (
        EVENTS_HEADER
        + ["title"] * has_titles(problem)
        + ["host", "host_name"] * has_hosted(problem)
    )


def event_row(problem: Problem, e: Event) -> list[Any]:
    """One ``events.csv`` row (columns of ``events_header``)."""
    mentor = problem.mentors.get(e.mentor) if e.mentor else None
    week = problem.calendar.week_of.get(e.date)
    title = [event_title(problem, e) or ""] if has_titles(problem) else []
    if has_hosted(problem):
        host = problem.people.get(e.host or "")
        title += [e.host or "", host.name if host else ""]
    return [
        e.id,
        e.demand,
        e.kind,
        e.date.isoformat(),
        day_abbr(e.date) if e.date.weekday() < 5 else "",
        fmt_time(e.start),
        fmt_time(e.end),
        e.end - e.start,
        e.mentor or "",
        mentor.name if mentor else "",
        e.venue,
        venue_name(problem, e.venue),
        ";".join(event_schools(problem, e)),
        _names(problem, e.people),
        _names(problem, e.missed),
        e.topic or "",
        "" if e.period is None else e.period,
        "" if week is None else week,
        *title,
    ]


def _blank(value: Any) -> Any:
    return "" if value is None else value


def report_table(problem: Problem, plan: Plan) -> list[list[Any]]:
    """``report.csv`` rows (columns of ``report_header``): schools, mentors, the
    total, then providers."""
    rows: list[dict[str, Any]] = []
    for s in school_rows(problem, plan):
        rows.append(
            {
                "section": "school",
                "id": s["school"],
                "name": s["name"],
                **{k: s[k] for k in ("minutes", "hours", "delivered_pct")},
                "share_pct": s["share"],
                "deviation_pct": s["deviation_pct"],
                "cost_at_share": s["cost_at_share"],
                "cost": s["cost"],
                "cost_difference": s["cost_difference"],
                "events_planned": s["planned"],
                "events_unmet": s["unmet"],
            }
        )
    t = totals(problem, plan)
    if t["unattributed_cost"]:
        rows.append(
            {
                "section": "school",
                "name": "(travel-only days)",
                "cost": t["unattributed_cost"],
                "cost_difference": -t["unattributed_cost"],
            }
        )
    for m in mentor_rows(problem, plan):
        rows.append(
            {
                "section": "mentor",
                "id": m["mentor"],
                "name": m["name"],
                "cost": m["cost"],
                **{
                    k: m[k]
                    for k in (
                        "days_worked",
                        "event_minutes",
                        "travel_minutes",
                        "working_minutes",
                        "utilisation_pct",
                    )
                },
            }
        )
    rows.append(
        {
            "section": "total",
            "id": "",
            "name": problem.name,
            **{k: t[k] for k in ("minutes", "hours", "delivered_pct")},
            "share_pct": t["share"],
            "cost_at_share": t["cost"],
            "cost": t["cost"],
            "cost_difference": None if t["cost"] is None else 0.0,
            "events_planned": t["planned"],
            "events_unmet": t["unmet"],
            **{
                k: t[k]
                for k in (
                    "days_worked",
                    "event_minutes",
                    "travel_minutes",
                    "working_minutes",
                    "utilisation_pct",
                )
            },
        }
    )
    for f in provider_figures(problem, plan):
        rows.append(
            {
                "section": "provider",
                "id": f.provider or "",
                "name": f.provider or "(no provider)",
                "people": f.people,
                **{
                    f"{PLURAL[k]}_received": f.received[k]
                    for k in provider_kinds(problem)
                },
                **{f"{PLURAL[k]}_owed": f.owed[k] for k in provider_kinds(problem)},
                "minutes_received": f.minutes_received,
                "minutes_owed": f.minutes_owed,
            }
        )
    header = report_header(problem, plan)
    return [[_blank(r.get(h)) for h in header] for r in rows]


def report_header(problem: Problem, plan: Plan) -> list[str]:
    """``report.csv``'s columns: ``REPORT_HEADER``, and ``PROVIDER_HEADER``
    when some trainee or ECT has a provider (with ``HOSTED_HEADER`` when some
    demand is held by the in-school mentor)."""
    if not provider_figures(problem, plan):
        return REPORT_HEADER
    hosted = HOSTED_HEADER if HOSTED in provider_kinds(problem) else []
    return REPORT_HEADER + PROVIDER_HEADER + hosted


def _csv(header: list[str], rows: Iterable[list[Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    writer.writerows([csv_cell(c) for c in row] for row in rows)
    return buf.getvalue()


def _money(value: float | None) -> str:
    return "-" if value is None else f"{value:,.2f}"


def _num(value: float | None, suffix: str = "") -> str:
    if value is None:
        return "-"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:g}{suffix}"
    return f"{int(value)}{suffix}"


def report_markdown(
    problem: Problem, plan: Plan, categories: Categories | None = None
) -> str:
    """The text of ``report.md``; each unmet event says its category when
    ``categories`` (``summary.unmet_categories``) are given."""
    schools = school_rows(problem, plan)
    mentors = mentor_rows(problem, plan)
    t = totals(problem, plan)
    out = [
        f"# {md_text(problem.name)}: delivery and cost report",
        "",
        f"{t['planned']} of {t['owed']} owed events planned "
        f"({t['coverage_pct']:.1f}%), {t['unmet']} unmet. "
        f"Solver status: {plan.solver.status}.",
        "",
        "## Schools",
        "",
        "Minutes are attributed: each event's length is split equally among the "
        "people invited, each part counting for that person's school.",
        "",
    ]

    def signed(value: float | None) -> str:
        return "-" if value is None else f"{value:+,.2f}"

    srows = [
        [
            md_text(s["name"]),
            _num(s["minutes"]),
            f"{s['hours']:.2f}",
            _num(s["share"], "%"),
            f"{s['delivered_pct']:.1f}%",
            _money(s["cost_at_share"]),
            _money(s["cost"]),
            signed(s["cost_difference"]),
            str(s["planned"]),
            str(s["unmet"]),
        ]
        for s in schools
    ]
    if t["unattributed_cost"]:
        srows.append(
            [
                *("(travel-only days)", "", "", "", "", ""),
                _money(t["unattributed_cost"]),
                signed(-t["unattributed_cost"]),
                *("", ""),
            ]
        )
    srows.append(
        [
            "**Total**",
            _num(t["minutes"]),
            f"{t['hours']:.2f}",
            _num(t["share"], "%"),
            f"{t['delivered_pct']:.1f}%",
            _money(t["cost"]),
            _money(t["cost"]),
            signed(None if t["cost"] is None else 0.0),
            str(t["planned"]),
            str(t["unmet"]),
        ]
    )
    out.append(
        md_table(
            [
                *("School", "Minutes", "Hours", "Share", "Delivered"),
                *("Cost at share", "Cost delivered", "Difference"),
                *("Planned", "Unmet"),
            ],
            srows,
            set(range(1, 10)),
        )
    )
    out += [
        "",
        "Cost at share is the invoice figure: the agreed share of the total cost "
        '(docs/metrics.md, "Cost"). Cost delivered is each day\'s cost split by '
        "the minutes delivered that day. Difference = at share - delivered.",
    ]
    out += ["", "## Mentors", ""]
    mrows = [
        [
            md_text(m["name"]),
            str(m["days_worked"]),
            str(m["event_minutes"]),
            str(m["travel_minutes"]),
            str(m["working_minutes"]),
            "-" if m["utilisation_pct"] is None else f"{m['utilisation_pct']:.1f}%",
            _money(m["day_rate"]),
            _money(m["cost"]),
        ]
        for m in mentors
    ]
    mrows.append(
        [
            "**Total**",
            str(t["days_worked"]),
            str(t["event_minutes"]),
            str(t["travel_minutes"]),
            str(t["working_minutes"]),
            "-" if t["utilisation_pct"] is None else f"{t['utilisation_pct']:.1f}%",
            "",
            _money(t["cost"]),
        ]
    )
    out.append(
        md_table(
            [
                *("Mentor", "Days worked", "Event min", "Travel min"),
                *("Working min", "Utilisation", "Day rate", "Cost"),
            ],
            mrows,
            set(range(1, 8)),
        )
    )
    out += [
        "",
        "Utilisation = (event + travel minutes) / working minutes on the teaching "
        "days the mentor was not away. A day worked is a date with any event or "
        "trip; its cost is split across schools by that day's attributed minutes.",
    ]
    out += provider_section(problem, plan)
    out += ["", "## Unmet events", ""]
    grouped = unmet_by_school(problem, plan)
    if not grouped:
        out.append("Every owed event is planned.")
    for sid, unmet in grouped.items():
        title = problem.schools[sid].name if sid in problem.schools else "No school"
        out += [f"### {md_text(title)} ({len(unmet)})", ""]
        for u in unmet:
            who = md_text(_names(problem, u.people).replace(";", ", "))
            category = unmet_category(problem, u, categories)
            about = who or u.demand
            demand = problem.demands.get(u.demand)
            if demand is not None and demand.title:
                about = md_text(demand.title) + (f": {who}" if who else "")
            if category is not None:
                about += f"; {category}"
            out.append(f"- `{u.id}` ({about}): {md_text(u.reason)}")
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def provider_section(problem: Problem, plan: Plan) -> list[str]:
    """report.md's lines on providers (``metrics.provider_figures``): none when
    no trainee or ECT has a provider."""
    figures = provider_figures(problem, plan)
    if not figures:
        return []
    rows = [
        [
            md_text(f.provider) if f.provider else "(no provider)",
            str(f.people),
            *(f"{f.received[k]} of {f.owed[k]}" for k in provider_kinds(problem)),
            f"{f.minutes_received:,} of {f.minutes_owed:,}",
        ]
        for f in figures
    ]
    hosted = HOSTED in provider_kinds(problem)
    return [
        "",
        "## Providers",
        "",
        md_table(
            [
                *("Provider", "People", "Sessions", "Observations"),
                *("Meetings", *(["In-school mentor time"] * hosted), "Minutes"),
            ],
            rows,
            set(range(1, 6 + hosted)),
        ),
        "",
        "What each provider's trainees and ECTs received of what they were owed: "
        "an event counts once for each of its invited people of that provider "
        "(a group session of four trainees is four sessions), received when "
        "planned and attended (a group session's absentees did not receive it)."
        + (
            " Sessions, observations and meetings are the Expert Mentors'; "
            "in-school mentor time is the events the in-school mentor holds "
            "(host: school-mentor)."
            if hosted
            else ""
        ),
    ]


def write_reports(
    problem: Problem,
    plan: Plan,
    out_dir: Path,
    *,
    categories: Categories | None = None,
) -> list[Path]:
    """Write ``events.csv``, ``report.csv`` and ``report.md`` into ``out_dir``
    (``categories`` as for ``report_markdown``)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    events = sorted(plan.events, key=Event.sort_key)
    files = {
        "events.csv": _csv(
            events_header(problem), (event_row(problem, e) for e in events)
        ),
        "report.csv": _csv(report_header(problem, plan), report_table(problem, plan)),
        "report.md": report_markdown(problem, plan, categories),
    }
    paths = []
    for name, text in files.items():
        path = out_dir / name
        write_atomic(path, text)
        paths.append(path)
    return paths
