"""The plan as one self-contained ``timetable.html``: no network, no fonts, no CDN.

Views: a week grid per mentor (Mon-Fri columns, blocks placed by minute and
coloured by school; ``html_week``), each school's events by week, the unmet
events with their reasons, and hours and cost per school. A little vanilla JS
(``html_assets``) shows one week and one view at a time; without JS every view
and week is shown, stacked. Printing gives one week per A4 landscape page.

Output depends only on the Problem and the Plan, so the same input gives the same
bytes. Every piece of text goes through ``html.escape`` (``html_page.esc``).
Every figure comes from ``mentor_sched.metrics``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..metrics import (
    attributed_minutes,
    costs,
    days_worked,
    delivered_pct,
    event_minutes_by_mentor,
    events_by_school,
    travel_minutes_by_mentor,
)
from ..plan import Plan
from ..problem import Problem
from ..words import plural, short_date, week_number
from . import write_atomic
from .html_assets import JS, PALETTE, css
from .html_page import KIND_LABEL, Page, esc, gbp, hours, school_of
from .html_week import mentor_view

__all__ = ["FILENAME", "KIND_LABEL", "PALETTE", "Money", "money"]
__all__ += ["render_timetable", "write_timetable"]

FILENAME = "timetable.html"


def write_timetable(problem: Problem, plan: Plan, path: Path) -> Path:
    """Write the timetable atomically and return its path.

    ``path`` is the HTML file itself when it ends in ``.html``/``.htm``, otherwise
    a folder (created if needed) that receives ``timetable.html``.
    """
    path = Path(path)
    target = path if path.suffix.lower() in (".html", ".htm") else path / FILENAME
    target.parent.mkdir(parents=True, exist_ok=True)
    text = render_timetable(problem, plan)
    write_atomic(target, text)
    return target


def render_timetable(problem: Problem, plan: Plan) -> str:
    """The whole HTML document as text."""
    plan = plan.sorted()
    return _document(Page(problem, plan), money(problem, plan))


# -- figures -------------------------------------------------------------------


@dataclass(frozen=True)
class Money:
    """The figures the timetable shows, each as ``mentor_sched.metrics`` defines
    it (docs/metrics.md); money in pounds."""

    minutes: dict[str, float]  # school id -> attributed minutes
    cost: dict[str, float]  # school id -> cost of the time delivered
    events: dict[str, int]  # school id -> events inviting someone from it
    days: dict[str, int]  # mentor id -> days worked (with an event or a trip)
    mentor_cost: dict[str, float | None]  # None when the mentor has no day_rate
    unrated_days: int  # days worked by mentors without a day_rate
    agreed: dict[str, float] = field(default_factory=dict)  # cost at agreed share
    unattributed: float = 0.0  # charged days with travel but no event
    delivered: dict[str, float] = field(default_factory=dict)  # school -> %
    total: float | None = None  # every day rate charged; None without rates
    event_minutes: dict[str, int] = field(default_factory=dict)  # per mentor
    travel_minutes: dict[str, int] = field(default_factory=dict)  # per mentor


def money(problem: Problem, plan: Plan) -> Money:
    """Attributed minutes, days worked and cost (at the agreed share and of the
    time delivered), from ``mentor_sched.metrics``."""
    minutes = attributed_minutes(problem, plan)
    c = costs(problem, plan)
    days = {mid: len(days_worked(plan, mid)) for mid in problem.mentors}
    by_mentor = {} if c is None else c.by_mentor
    mentor_cost = {
        mid: by_mentor[mid] / 100 if mid in by_mentor else None
        for mid in problem.mentors
    }
    return Money(
        minutes=minutes,
        cost={} if c is None else {s: v / 100 for s, v in c.delivered.items()},
        events=events_by_school(problem, plan.events),
        days=days,
        mentor_cost=mentor_cost,
        unrated_days=sum(n for mid, n in days.items() if mentor_cost[mid] is None),
        agreed={} if c is None else {s: v / 100 for s, v in c.agreed.items()},
        unattributed=0.0 if c is None else c.unattributed / 100,
        delivered=delivered_pct(minutes),
        total=None if c is None else c.total / 100,
        event_minutes=event_minutes_by_mentor(problem, plan),
        travel_minutes=travel_minutes_by_mentor(problem, plan),
    )


# -- the document and its lists -------------------------------------------------


def _document(page: Page, figures: Money) -> str:
    p, plan = page.problem, page.plan
    views = [(f"m-{mid}", m.name, True) for mid, m in p.mentors.items()]
    views += [
        ("schools", "Schools", False),
        ("unmet", f"Unmet ({len(plan.unmet)})", False),
        ("money", "Hours & cost", False),
    ]
    tabs = "".join(
        f'<a class="tab" href="#v-{esc(v)}" data-tab="{esc(v)}" role="tab">'
        f"{esc(label)}</a>"
        for v, label, _ in views
    )
    options = "".join(
        f'<option value="{w}" data-monday="{m.isoformat()}">'
        f"Week {week_number(w)} · w/c {esc(short_date(m))}</option>"
        for w, m in enumerate(page.cal.weeks)
    )
    body = [
        f'<header class="top"><h1>{esc(p.name)}</h1>'
        f'<p class="facts">{_facts(page)}</p></header>',
        '<nav class="controls" aria-label="Views and weeks">'
        f'<div class="tabs" role="tablist">{tabs}</div>'
        '<div class="weeknav">'
        '<button type="button" id="week-prev" title="Previous week (←)">'
        "◀ Prev</button>"
        f'<select id="week-select" aria-label="Teaching week">{options}</select>'
        '<button type="button" id="week-next" title="Next week (→)">'
        "Next ▶</button>"
        '<button type="button" id="print-week" title="Print this week">'
        "Print week</button></div></nav>",
        "<main>",
    ]
    for mid in p.mentors:
        body.append(mentor_view(page, mid))
    body += [
        _schools_view(page, figures),
        _unmet_view(page),
        _money_view(page, figures),
        "</main>",
    ]
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en-GB" class="nojs">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(p.name)} — timetable</title>\n"
        f"<style>\n{css()}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + f"\n<script>\n{JS}</script>\n</body>\n</html>\n"
    )


def _facts(page: Page) -> str:
    plan = page.plan
    owed = len(plan.events) + len(plan.unmet)
    travel = sum(t.minutes for t in plan.travel)
    bits = [
        f"{len(plan.events)} of {owed} owed events planned",
        plural(len(plan.unmet), "unmet event"),
        f"{hours(travel)} h travel",
        f"{len(page.cal.weeks)} teaching weeks "
        f"{esc(page.problem.horizon[0].isoformat())} to "
        f"{esc(page.problem.horizon[1].isoformat())}",
        f"solver {esc(plan.solver.status)}",
    ]
    return " · ".join(bits)


def _schools_view(page: Page, figures: Money) -> str:
    p = page.problem
    out = [
        '<section class="view" id="v-schools" data-view="schools">'
        '<h2 class="vh">Schools</h2>'
    ]
    for i, (sid, s) in enumerate(p.schools.items()):
        events = [
            e
            for e in page.plan.events
            if e.venue == sid or any(school_of(p, q) == sid for q in e.people)
        ]
        mins = figures.minutes.get(sid, 0.0)
        delivered = figures.delivered.get(sid, 0.0)
        target = f"target {s.share:g}% · " if s.share is not None else ""
        closed = ", ".join(short_date(d) for d in sorted(s.closed))
        out.append(
            f'<article class="school" data-school="{esc(sid)}">'
            f'<h3><span class="sw s{i % len(PALETTE)}"></span>{esc(s.name)}</h3>'
            f'<p class="sfacts">{plural(len(events), "event")} · '
            f"{hours(mins)} h attributed · {target}delivered "
            f"{delivered:.1f}% · cost at share "
            f"{gbp(figures.agreed.get(sid))} (delivered "
            f"{gbp(figures.cost.get(sid, 0.0))})"
            + (f" · closed {esc(closed)}" if closed else "")
            + "</p>"
            + (
                page.event_table(events)
                if events
                else '<p class="none">No events planned.</p>'
            )
            + "</article>"
        )
    out.append("</section>")
    return "\n".join(out)


def _unmet_view(page: Page) -> str:
    rows = "".join(
        f'<tr data-unmet="{esc(u.id)}"><td><code>{esc(u.id)}</code></td>'
        f"<td>{esc(', '.join(page.person_name(q) for q in u.people))}</td>"
        f"<td>{esc(page.unmet_weeks(u))}</td>"
        f'<td class="reason">{esc(u.reason)}</td></tr>'
        for u in page.plan.unmet
    )
    body = (
        '<table class="list unmet"><thead><tr><th>Event</th><th>Who</th>'
        f"<th>When owed</th><th>Why it is unmet</th></tr></thead><tbody>{rows}"
        "</tbody></table>"
        if page.plan.unmet
        else '<p class="none">Every owed event is planned.</p>'
    )
    return (
        '<section class="view" id="v-unmet" data-view="unmet">'
        f'<h2 class="vh">Unmet events ({len(page.plan.unmet)})</h2>{body}'
        "</section>"
    )


def _money_view(page: Page, figures: Money) -> str:
    p, m = page.problem, figures
    total = sum(m.minutes.values())
    rows = []
    for i, (sid, s) in enumerate(p.schools.items()):
        mins = m.minutes.get(sid, 0.0)
        delivered = m.delivered.get(sid, 0.0)
        target = f"{s.share:g}%" if s.share is not None else "—"
        dev = f"{abs(delivered - s.share):.2f}" if s.share is not None else "—"
        rows.append(
            f'<tr data-school="{esc(sid)}"><td><span class="sw s{i % len(PALETTE)}">'
            f'</span>{esc(s.name)}</td><td class="num">{m.events.get(sid, 0)}</td>'
            f'<td class="num">{hours(mins)}</td><td class="num">{target}</td>'
            f'<td class="num">{delivered:.2f}%</td><td class="num">{dev}</td>'
            f"{_cost_cells(figures, sid)}</tr>"
        )
    if m.unattributed:  # so that the cost delivered adds up to the total
        rows.append(
            '<tr class="travel-only"><td>(travel-only days)</td>'
            + "<td></td>" * 5
            + f'<td class="num">—</td><td class="num">{gbp(m.unattributed)}</td>'
            f'<td class="num">{gbp(-m.unattributed)}</td></tr>'
        )
    rows.append(
        '<tr class="total"><th>Total</th>'
        f'<td class="num">{len(page.plan.events)}</td>'
        f'<td class="num">{hours(total)}</td><td></td><td></td><td></td>'
        f'<td class="num">{gbp(m.total)}</td>'
        f'<td class="num">{gbp(m.total)}</td><td></td></tr>'
    )
    mrows = []
    for mid, mentor in p.mentors.items():
        rate = gbp(mentor.day_rate)
        mrows.append(
            f'<tr data-mentor="{esc(mid)}"><td>{esc(mentor.name)}</td>'
            f'<td class="num">{m.days.get(mid, 0)}</td>'
            f'<td class="num">{hours(m.event_minutes[mid])}</td>'
            f'<td class="num">{hours(m.travel_minutes[mid])}</td>'
            f'<td class="num">{rate}</td>'
            f'<td class="num">{gbp(m.mentor_cost.get(mid))}</td></tr>'
        )
    note = (
        '<p class="note">Attributed hours: each event\'s length is split '
        "equally among the people invited, for their schools. Cost at share "
        "(the invoice figure): the agreed share of the total cost, each "
        "mentor's day rate for every day with an event or a trip. Cost "
        "delivered: each day's cost split across schools by their attributed "
        "minutes that day. Difference: at share less delivered. Delivered "
        "share: a school's attributed minutes as a percentage of all "
        "attributed minutes (docs/metrics.md).</p>"
    )
    if m.unrated_days:
        note += (
            f'<p class="note">{plural(m.unrated_days, "mentor day")} without a '
            "day rate are not costed.</p>"
        )
    return (
        '<section class="view" id="v-money" data-view="money">'
        '<h2 class="vh">Hours and cost</h2>'
        '<table class="list money"><thead><tr><th>School</th><th>Events</th>'
        "<th>Hours</th><th>Share target</th><th>Delivered</th>"
        "<th>Deviation (points)</th><th>Cost at share</th><th>Cost delivered"
        "</th><th>Difference</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
        '<table class="list money"><thead><tr><th>Mentor</th><th>Days worked</th>'
        "<th>Event hours</th><th>Travel hours</th><th>Day rate</th><th>Cost</th>"
        f"</tr></thead><tbody>{''.join(mrows)}</tbody></table>{note}</section>"
    )


def _cost_cells(figures: Money, sid: str) -> str:
    m = figures
    if sid not in m.agreed:
        return '<td class="num">—</td>' * 3
    diff = m.agreed[sid] - m.cost.get(sid, 0.0)
    return (
        f'<td class="num">{gbp(m.agreed[sid])}</td>'
        f'<td class="num">{gbp(m.cost.get(sid, 0.0))}</td>'
        f'<td class="num">{"+" if diff > 0.005 else ""}{gbp(diff)}</td>'
    )
