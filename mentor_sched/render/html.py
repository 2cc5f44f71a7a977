"""The plan as one self-contained ``timetable.html``: no network, no fonts, no CDN.

Views: a week grid per mentor (Mon-Fri columns, blocks placed by minute and
coloured by school), each school's events by week, the unmet events with their
reasons, and hours and cost per school. A little vanilla JS shows one week and
one view at a time; without JS every view and week is shown, stacked. Printing
gives one week per A4 landscape page.

Output depends only on the Problem and the Plan, so the same input gives the same
bytes. Every piece of text goes through ``html.escape``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from html import escape
from pathlib import Path

from ..metrics import costs, days_worked
from ..plan import Event, Plan, Trip, Unmet
from ..problem import BASE, ONLINE, Problem, Range, fmt_time
from ..words import period_text, week_number
from . import clean_text, write_atomic

FILENAME = "timetable.html"

# (strong, tint) per school, in school order; colour-blind-aware hues that stay
# distinct when printed.
PALETTE = (
    ("#1f6fb4", "#dce9f6"),
    ("#d17f00", "#fcebcc"),
    ("#24935a", "#d9f0e2"),
    ("#c2413a", "#f8dcda"),
    ("#7656b8", "#e7def5"),
    ("#0d8589", "#d3eeee"),
    ("#b1437a", "#f5dbe8"),
    ("#8a6a1c", "#efe5cc"),
    ("#4d6b8a", "#dde5ee"),
    ("#5f8a1f", "#e5eed3"),
)
KIND_LABEL = {
    "meeting": "Meeting",
    "observation": "Observation",
    "group": "Group session",
    "cover": "Cover",
}
DAY_ABBR = ("Mon", "Tue", "Wed", "Thu", "Fri")


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
    return _Page(problem, plan.sorted()).render()


# -- figures -------------------------------------------------------------------


@dataclass(frozen=True)
class Money:
    """Attributed minutes and apportioned cost (docs/metrics.md)."""

    minutes: dict[str, float]  # school id -> attributed minutes
    cost: dict[str, float]  # school id -> apportioned cost (rated mentors only)
    events: dict[str, int]  # school id -> events attributed to it in part
    days: dict[str, int]  # mentor id -> days with at least one event
    mentor_cost: dict[str, float | None]  # None when the mentor has no day_rate
    unrated_days: int  # days worked by mentors without a day_rate
    agreed: dict[str, float] = field(default_factory=dict)  # cost at agreed share
    unattributed: float = 0.0  # charged days with travel but no event


def money(problem: Problem, plan: Plan) -> Money:
    """Attributed minutes and cost per school, as docs/metrics.md defines them
    (``metrics.costs``): the cost at the agreed share and of the time delivered.
    """
    minutes = dict.fromkeys(problem.schools, 0.0)
    events = dict.fromkeys(problem.schools, 0)
    for e in plan.events:
        schools = [_school_of(problem, p) for p in e.people]
        for school in schools:
            minutes[school] = minutes.get(school, 0.0) + (e.end - e.start) / len(
                schools
            )
        for school in dict.fromkeys(schools):
            events[school] = events.get(school, 0) + 1
    c = costs(problem, plan)
    days = {mid: len(days_worked(plan, mid)) for mid in problem.mentors}
    mentor_cost: dict[str, float | None] = {
        mid: None if m.day_rate is None else m.day_rate * days[mid]
        for mid, m in problem.mentors.items()
    }
    unrated = sum(n for mid, n in days.items() if mentor_cost[mid] is None)
    return Money(
        minutes,
        {} if c is None else {s: v / 100 for s, v in c.delivered.items()},
        events,
        days,
        mentor_cost,
        unrated,
        {} if c is None else {s: v / 100 for s, v in c.agreed.items()},
        0.0 if c is None else c.unattributed / 100,
    )


def _school_of(problem: Problem, pid: str) -> str:
    person = problem.people.get(pid)
    return person.school if person is not None else "?"


# -- page ----------------------------------------------------------------------


def _e(value: object) -> str:
    return escape(clean_text(str(value)), quote=True)  # no NUL or ESC either


def _pct(x: float) -> str:
    return f"{x:.4f}".rstrip("0").rstrip(".") + "%"


def _dash(r: Range) -> str:
    return f"{fmt_time(r[0])}–{fmt_time(r[1])}"


def _day_label(d: date) -> str:
    return f"{DAY_ABBR[d.weekday()]} {d.day} {d.strftime('%b')}"


def _long_date(d: date) -> str:
    return f"{DAY_ABBR[d.weekday()]} {d.day} {d.strftime('%b %Y')}"


def _hours(minutes: float) -> str:
    return f"{minutes / 60:.1f}"


def _gbp(x: float | None) -> str:
    if x is None:
        return "—"
    return f"{'-' if x < -0.005 else ''}£{abs(x):,.2f}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


class _Page:
    def __init__(self, problem: Problem, plan: Plan) -> None:
        self.problem = problem
        self.plan = plan
        self.cal = problem.calendar
        self.colour = {s: i for i, s in enumerate(problem.schools)}
        self.money = money(problem, plan)
        starts = [
            a
            for m in problem.mentors.values()
            for rs in m.works.values()
            for a, _ in rs
        ] or [8 * 60]
        ends = [
            b
            for m in problem.mentors.values()
            for rs in m.works.values()
            for _, b in rs
        ] or [17 * 60]
        starts += [e.start for e in plan.events] + [t.depart for t in plan.travel]
        ends += [e.end for e in plan.events] + [t.arrive for t in plan.travel]
        self.t0 = max(0, min(starts) // 15 * 15)
        self.t1 = min(24 * 60, -(-max(ends) // 15) * 15)
        if self.t1 <= self.t0:
            self.t1 = self.t0 + 60
        self.monday_week = {m: i for i, m in enumerate(self.cal.weeks)}
        self.holiday_before = {}
        for monday, why in self.cal.holiday_weeks:
            following = [w for w, m in enumerate(self.cal.weeks) if m > monday]
            if following:
                self.holiday_before.setdefault(following[0], []).append((monday, why))

    # names ------------------------------------------------------------------

    def school_name(self, sid: str) -> str:
        if sid == ONLINE:
            return "online"
        s = self.problem.schools.get(sid)
        return s.name if s is not None else sid

    def place_name(self, place: str) -> str:
        return "base" if place == BASE else self.school_name(place)

    def person_name(self, pid: str) -> str:
        p = self.problem.people.get(pid)
        return p.name if p is not None else pid

    def mentor_name(self, mid: str) -> str:
        m = self.problem.mentors.get(mid)
        return m.name if m is not None else mid

    def week_of_date(self, d: date) -> int | None:
        return self.monday_week.get(d - timedelta(days=d.weekday()))

    def week_title(self, w: int) -> str:
        n = len(self.cal.weeks)
        monday = _long_date(self.cal.weeks[w])
        return f"Week {week_number(w)} of {n} · w/c {monday}"

    def colour_class(self, e: Event) -> str:
        sid = e.venue
        if sid not in self.colour and e.people:
            sid = _school_of(self.problem, e.people[0])
        i = self.colour.get(sid)
        return "sx" if i is None else f"s{i % len(PALETTE)}"

    # document ---------------------------------------------------------------

    def render(self) -> str:
        p, plan = self.problem, self.plan
        views = [(f"m-{mid}", m.name, True) for mid, m in p.mentors.items()]
        views += [
            ("schools", "Schools", False),
            ("unmet", f"Unmet ({len(plan.unmet)})", False),
            ("money", "Hours & cost", False),
        ]
        tabs = "".join(
            f'<a class="tab" href="#v-{_e(v)}" data-tab="{_e(v)}" role="tab">'
            f"{_e(label)}</a>"
            for v, label, _ in views
        )
        options = "".join(
            f'<option value="{w}" data-monday="{m.isoformat()}">'
            f"Week {week_number(w)} · w/c {_e(_long_date(m))}</option>"
            for w, m in enumerate(self.cal.weeks)
        )
        body = [
            f'<header class="top"><h1>{_e(p.name)}</h1>'
            f'<p class="facts">{self.facts()}</p></header>',
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
            body.append(self.mentor_view(mid))
        body += [self.schools_view(), self.unmet_view(), self.money_view(), "</main>"]
        return (
            "<!DOCTYPE html>\n"
            '<html lang="en-GB" class="nojs">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{_e(p.name)} — timetable</title>\n"
            f"<style>\n{self.css()}</style>\n</head>\n<body>\n"
            + "\n".join(body)
            + f"\n<script>\n{_JS}</script>\n</body>\n</html>\n"
        )

    def facts(self) -> str:
        plan = self.plan
        owed = len(plan.events) + len(plan.unmet)
        travel = sum(t.minutes for t in plan.travel)
        bits = [
            f"{len(plan.events)} of {owed} owed events planned",
            _plural(len(plan.unmet), "unmet event"),
            f"{_hours(travel)} h travel",
            f"{len(self.cal.weeks)} teaching weeks "
            f"{_e(self.problem.horizon[0].isoformat())} to "
            f"{_e(self.problem.horizon[1].isoformat())}",
            f"solver {_e(plan.solver.status)}",
        ]
        return " · ".join(bits)

    def legend(self) -> str:
        items = "".join(
            f'<li><span class="sw s{i % len(PALETTE)}"></span>{_e(s.name)}</li>'
            for i, s in enumerate(self.problem.schools.values())
        )
        return (
            f'<ul class="legend">{items}'
            '<li><span class="sw travel"></span>travel</li>'
            '<li><span class="sw online"></span>online</li></ul>'
        )

    # mentor grid ------------------------------------------------------------

    def mentor_view(self, mid: str) -> str:
        events = [e for e in self.plan.events if e.mentor == mid]
        trips = [t for t in self.plan.travel if t.mentor == mid]
        by_week: dict[int | None, list[Event]] = defaultdict(list)
        for e in events:
            by_week[self.week_of_date(e.date)].append(e)
        trips_by_week: dict[int | None, list[Trip]] = defaultdict(list)
        for t in trips:
            trips_by_week[self.week_of_date(t.date)].append(t)
        name = self.mentor_name(mid)
        out = [
            f'<section class="view mentor" id="v-m-{_e(mid)}" data-view="m-{_e(mid)}" '
            f'data-weekly="1"><h2 class="vh">{_e(name)}</h2>'
        ]
        for w in range(len(self.cal.weeks)):
            out.append(self.week_grid(mid, w, by_week[w], trips_by_week[w]))
        stray = by_week.get(None, [])
        if stray:
            out.append(
                '<section class="stray"><h3>Events outside the teaching weeks</h3>'
                + self.event_table(stray, mentor=False)
                + "</section>"
            )
        out.append("</section>")
        return "\n".join(out)

    def week_grid(
        self, mid: str, w: int, events: list[Event], trips: list[Trip]
    ) -> str:
        mentor = self.problem.mentors[mid]
        monday = self.cal.weeks[w]
        minutes = sum(e.end - e.start for e in events)
        notes = "".join(
            f'<p class="gapnote">Week of {_e(_long_date(m))} not numbered: '
            f"{_e(why)}</p>"
            for m, why in self.holiday_before.get(w, [])
        )
        head = (
            f'<div class="wh"><h3>{_e(mentor.name)} · {_e(self.week_title(w))}</h3>'
            f'<span class="wsum">{_plural(len(events), "event")} · '
            f"{_hours(minutes)} h · {sum(t.minutes for t in trips)} min travel</span>"
            f"{self.legend()}</div>{notes}"
        )
        span = self.t1 - self.t0
        gutter = "".join(
            f'<span class="tl" style="top:{_pct((h - self.t0) / span * 100)}">'
            f"{fmt_time(h)}</span>"
            for h in range(-(-self.t0 // 60) * 60, self.t1 + 1, 60)
        )
        cols = []
        for i in range(5):
            d = monday + timedelta(days=i)
            cols.append(
                self.day_column(
                    mentor,
                    d,
                    [e for e in events if e.date == d],
                    [t for t in trips if t.date == d],
                )
            )
        return (
            f'<section class="week" data-week="{w}" data-mentor="{_e(mid)}">{head}'
            f'<div class="grid" data-from="{self.t0}" data-to="{self.t1}">'
            '<div class="corner"></div>'
            + "".join(c[0] for c in cols)
            + f'<div class="gutter">{gutter}</div>'
            + "".join(c[1] for c in cols)
            + "</div></section>"
        )

    def day_column(
        self, mentor, d: date, events: list[Event], trips: list[Trip]
    ) -> tuple[str, str]:
        cal = self.cal
        state, why = "", ""
        if d in cal.closed_days:
            state, why = "closed", cal.closed_days[d]
        elif d not in cal.week_of:
            state, why = "closed", "outside the plan"
        elif d in mentor.away_days:
            state, why = "away", "away"
        elif not mentor.works.get(d.weekday()):
            state, why = "off", "not working"
        shut = [s.name for s in self.problem.schools.values() if d in s.closed]
        note = ""
        if state:
            note = f'<span class="dn">{_e(why)}</span>'
        elif shut and len(shut) == len(self.problem.schools):
            note = '<span class="dn">all schools closed</span>'
        elif shut:
            note = f'<span class="dn">closed: {_e(", ".join(shut))}</span>'
        full = _day_label(d) + (" · " + why if state else "")
        if not state and shut:
            full += " · closed: " + ", ".join(shut)
        head = (
            f'<div class="dh{" " + state if state else ""}" data-date="{d}" '
            f'title="{_e(full)}">'
            f"<strong>{_e(_day_label(d))}</strong>{note}</div>"
        )
        span = self.t1 - self.t0
        layers = []
        for h in range(-(-self.t0 // 30) * 30, self.t1, 30):
            if h > self.t0:
                kind = "hl" if h % 60 == 0 else "hl half"
                layers.append(
                    f'<i class="{kind}" style="top:{_pct((h - self.t0) / span * 100)}">'
                    "</i>"
                )
        if state:
            layers.append(f'<div class="shade {state}"><span>{_e(why)}</span></div>')
        else:
            free = self.t0
            for a, b in [*sorted(mentor.hours(d)), (self.t1, self.t1)]:
                if a > free:
                    layers.append(self.block_box("outside", (free, a), ""))
                free = max(free, b)
            for a, b in sorted(mentor.away_times.get(d, ())):
                layers.append(self.block_box("outside away", (a, b), "away"))
        for t in trips:
            layers.append(self.trip_block(t))
        for e in events:
            layers.append(self.event_block(e))
        body = (
            f'<div class="day{" " + state if state else ""}" data-date="{d}">'
            + "".join(layers)
            + "</div>"
        )
        return head, body

    def block_box(self, cls: str, r: Range, text: str) -> str:
        span = self.t1 - self.t0
        a, b = max(r[0], self.t0), min(r[1], self.t1)
        top = (a - self.t0) / span * 100
        height = max(b - a, 0) / span * 100
        inner = f"<span>{_e(text)}</span>" if text else ""
        return (
            f'<div class="{cls}" style="top:{_pct(top)};height:{_pct(height)}">'
            f"{inner}</div>"
        )

    def people_html(self, e: Event) -> str:
        missed = set(e.missed)
        return ", ".join(
            f'<s title="cannot attend">{_e(self.person_name(p))}</s>'
            if p in missed
            else _e(self.person_name(p))
            for p in e.people
        )

    def event_text(self, e: Event) -> str:
        where = self.school_name(e.venue)
        if e.venue == ONLINE:
            schools = dict.fromkeys(
                self.school_name(_school_of(self.problem, p)) for p in e.people
            )
            where = "online · " + ", ".join(schools)
        parts = [
            f"{_dash((e.start, e.end))} {KIND_LABEL.get(e.kind, e.kind)}",
            where,
        ]
        if e.topic:
            parts.append(f"Topic: {e.topic}")
        names = [self.person_name(p) for p in e.people]
        parts.append(", ".join(names))
        if e.missed:
            missed = ", ".join(self.person_name(p) for p in e.missed)
            parts.append(f"cannot attend: {missed}")
        parts.append(e.id)
        return "\n".join(parts)

    def event_block(self, e: Event) -> str:
        span = self.t1 - self.t0
        top = (e.start - self.t0) / span * 100
        height = (e.end - e.start) / span * 100
        where = self.school_name(e.venue)
        if e.venue == ONLINE:
            where = "online · " + ", ".join(
                dict.fromkeys(
                    self.school_name(_school_of(self.problem, p)) for p in e.people
                )
            )
        topic = f'<span class="tp">{_e(e.topic)}</span>' if e.topic else ""
        online = " online" if e.venue == ONLINE else ""
        return (
            f'<div class="ev {self.colour_class(e)} k-{_e(e.kind)}{online}" '
            f'data-event="{_e(e.id)}" data-start="{e.start}" data-end="{e.end}" '
            f'style="top:{_pct(top)};height:{_pct(height)}" '
            f'title="{_e(self.event_text(e))}">'
            f'<span class="tm">{_dash((e.start, e.end))}</span> '
            f'<span class="kd">{_e(KIND_LABEL.get(e.kind, e.kind))}</span> '
            f'<span class="sc">{_e(where)}</span>{topic} '
            f'<span class="pp">{self.people_html(e)}</span></div>'
        )

    def trip_block(self, t: Trip) -> str:
        span = self.t1 - self.t0
        top = (t.depart - self.t0) / span * 100
        height = (t.arrive - t.depart) / span * 100
        dest = self.place_name(t.dest)
        title = (
            f"{_dash((t.depart, t.arrive))} travel {self.place_name(t.origin)} → "
            f"{dest} ({t.minutes} min)"
        )
        return (
            f'<div class="trip" data-trip="{t.date}/{t.depart}" '
            f'style="top:{_pct(top)};height:{_pct(height)}" title="{_e(title)}">'
            f'<span>→ {_e(dest)}</span> <span class="tm">{t.minutes} min</span>'
            "</div>"
        )

    # schools ----------------------------------------------------------------

    def event_table(self, events: Iterable[Event], *, mentor: bool = True) -> str:
        rows = []
        current = object()
        for e in events:
            w = self.week_of_date(e.date)
            if w != current:
                current = w
                label = self.week_title(w) if w is not None else "Outside the weeks"
                rows.append(f'<tr class="wk"><th colspan="6">{_e(label)}</th></tr>')
            rows.append(
                f'<tr data-event="{_e(e.id)}"><td>{_e(_long_date(e.date))}</td>'
                f'<td class="num">{_dash((e.start, e.end))}</td>'
                f'<td><span class="sw {self.colour_class(e)}"></span>'
                f"{_e(KIND_LABEL.get(e.kind, e.kind))}"
                + (f" · {_e(e.topic)}" if e.topic else "")
                + f"</td><td>{self.people_html(e)}</td>"
                f"<td>{_e(self.school_name(e.venue))}</td>"
                f"<td>{_e(self.mentor_name(e.mentor)) if mentor else ''}</td></tr>"
            )
        return (
            '<table class="list"><thead><tr><th>Date</th><th>Time</th>'
            "<th>What</th><th>Who</th><th>Where</th><th>Mentor</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
        )

    def schools_view(self) -> str:
        p = self.problem
        total = sum(self.money.minutes.values())
        out = [
            '<section class="view" id="v-schools" data-view="schools">'
            '<h2 class="vh">Schools</h2>'
        ]
        for i, (sid, s) in enumerate(p.schools.items()):
            events = [
                e
                for e in self.plan.events
                if e.venue == sid or any(_school_of(p, q) == sid for q in e.people)
            ]
            mins = self.money.minutes.get(sid, 0.0)
            delivered = mins / total * 100 if total else 0.0
            target = f"target {s.share:g}% · " if s.share is not None else ""
            closed = ", ".join(_long_date(d) for d in sorted(s.closed))
            out.append(
                f'<article class="school" data-school="{_e(sid)}">'
                f'<h3><span class="sw s{i % len(PALETTE)}"></span>{_e(s.name)}</h3>'
                f'<p class="sfacts">{_plural(len(events), "event")} · '
                f"{_hours(mins)} h attributed · {target}delivered "
                f"{delivered:.1f}% · cost at share "
                f"{_gbp(self.money.agreed.get(sid))} (delivered "
                f"{_gbp(self.money.cost.get(sid, 0.0))})"
                + (f" · closed {_e(closed)}" if closed else "")
                + "</p>"
                + (
                    self.event_table(events)
                    if events
                    else '<p class="none">No events planned.</p>'
                )
                + "</article>"
            )
        out.append("</section>")
        return "\n".join(out)

    # unmet ------------------------------------------------------------------

    def unmet_weeks(self, u: Unmet) -> str:
        demand = self.problem.demands.get(u.demand)
        return period_text(self.problem, demand and demand.every, u.period)

    def unmet_view(self) -> str:
        rows = "".join(
            f'<tr data-unmet="{_e(u.id)}"><td><code>{_e(u.id)}</code></td>'
            f"<td>{_e(', '.join(self.person_name(q) for q in u.people))}</td>"
            f"<td>{_e(self.unmet_weeks(u))}</td>"
            f'<td class="reason">{_e(u.reason)}</td></tr>'
            for u in self.plan.unmet
        )
        body = (
            '<table class="list unmet"><thead><tr><th>Event</th><th>Who</th>'
            f"<th>When owed</th><th>Why it is unmet</th></tr></thead><tbody>{rows}"
            "</tbody></table>"
            if self.plan.unmet
            else '<p class="none">Every owed event is planned.</p>'
        )
        return (
            '<section class="view" id="v-unmet" data-view="unmet">'
            f'<h2 class="vh">Unmet events ({len(self.plan.unmet)})</h2>{body}'
            "</section>"
        )

    # hours and cost ---------------------------------------------------------

    def money_view(self) -> str:
        p, m = self.problem, self.money
        total = sum(m.minutes.values())
        rows = []
        for i, (sid, s) in enumerate(p.schools.items()):
            mins = m.minutes.get(sid, 0.0)
            delivered = mins / total * 100 if total else 0.0
            target = f"{s.share:g}%" if s.share is not None else "—"
            dev = f"{abs(delivered - s.share):.2f}" if s.share is not None else "—"
            rows.append(
                f'<tr data-school="{_e(sid)}"><td><span class="sw s{i % len(PALETTE)}">'
                f'</span>{_e(s.name)}</td><td class="num">{m.events.get(sid, 0)}</td>'
                f'<td class="num">{_hours(mins)}</td><td class="num">{target}</td>'
                f'<td class="num">{delivered:.2f}%</td><td class="num">{dev}</td>'
                f"{self.cost_cells(sid)}</tr>"
            )
        rated = [c for c in m.mentor_cost.values() if c is not None]
        rows.append(
            '<tr class="total"><th>Total</th>'
            f'<td class="num">{len(self.plan.events)}</td>'
            f'<td class="num">{_hours(total)}</td><td></td><td></td><td></td>'
            f'<td class="num">{_gbp(sum(rated) if rated else None)}</td>'
            f'<td class="num">{_gbp(sum(rated) if rated else None)}</td><td></td></tr>'
        )
        mrows = []
        for mid, mentor in p.mentors.items():
            ev = [e for e in self.plan.events if e.mentor == mid]
            travel = sum(t.minutes for t in self.plan.travel if t.mentor == mid)
            rate = _gbp(mentor.day_rate)
            mrows.append(
                f'<tr data-mentor="{_e(mid)}"><td>{_e(mentor.name)}</td>'
                f'<td class="num">{m.days.get(mid, 0)}</td>'
                f'<td class="num">{_hours(sum(e.end - e.start for e in ev))}</td>'
                f'<td class="num">{_hours(travel)}</td><td class="num">{rate}</td>'
                f'<td class="num">{_gbp(m.mentor_cost.get(mid))}</td></tr>'
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
                f'<p class="note">{_plural(m.unrated_days, "mentor day")} without a '
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

    def cost_cells(self, sid: str) -> str:
        m = self.money
        if sid not in m.agreed:
            return '<td class="num">—</td>' * 3
        diff = m.agreed[sid] - m.cost.get(sid, 0.0)
        return (
            f'<td class="num">{_gbp(m.agreed[sid])}</td>'
            f'<td class="num">{_gbp(m.cost.get(sid, 0.0))}</td>'
            f'<td class="num">{"+" if diff > 0.005 else ""}{_gbp(diff)}</td>'
        )

    # style ------------------------------------------------------------------

    def css(self) -> str:
        colours = "".join(
            f".s{i}{{--c:{strong};--bg:{tint}}}\n"
            for i, (strong, tint) in enumerate(PALETTE)
        )
        return _CSS + colours


_CSS = """\
:root{--ink:#1d232b;--muted:#5b6673;--line:#d5dbe2;--panel:#f5f7fa;
--grid-h:max(440px,calc(100vh - 196px));font-size:14px}
*{box-sizing:border-box;-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",
Arial,sans-serif;color:var(--ink);background:#fff;line-height:1.3}
.top{display:flex;flex-wrap:wrap;align-items:baseline;gap:4px 16px;padding:8px 16px 4px}
h1{font-size:18px;margin:0}
.facts{margin:0;color:var(--muted);font-size:13px}
.controls{position:sticky;top:0;z-index:20;display:flex;flex-wrap:wrap;gap:6px 16px;
align-items:center;justify-content:space-between;padding:6px 16px;
background:var(--panel);border-bottom:1px solid var(--line)}
.tabs{display:flex;flex-wrap:wrap;gap:4px}
.tab{padding:5px 12px;border:1px solid var(--line);border-radius:6px;background:#fff;
color:var(--ink);text-decoration:none;font-weight:500}
.tab[aria-selected=true]{background:var(--ink);border-color:var(--ink);color:#fff}
.weeknav{display:flex;gap:6px;align-items:center}
.weeknav button,.weeknav select{font:inherit;padding:4px 10px;border:1px solid #b8c1cc;
border-radius:6px;background:#fff;color:var(--ink)}
.weeknav button:disabled{opacity:.4}
.nojs .weeknav{display:none}
.js .controls:not(.weekly) .weeknav{visibility:hidden}
main{padding:0 16px 24px}
.vh{font-size:17px;margin:14px 0 4px}
.js .mentor>.vh{display:none}
.week{margin:10px 0 22px}
.wh{display:flex;flex-wrap:wrap;align-items:baseline;gap:2px 14px;margin-bottom:4px}
.wh h3{font-size:15px;margin:0}
.wsum{color:var(--muted);font-size:12.5px}
.gapnote{margin:0 0 4px;font-size:12.5px;color:#7a4b00}
.legend{display:flex;flex-wrap:wrap;gap:2px 12px;margin:0 0 0 auto;padding:0;
list-style:none;font-size:12px;color:var(--muted)}
.legend li{display:flex;align-items:center;gap:4px}
.sw{display:inline-block;width:11px;height:11px;border-radius:3px;margin-right:5px;
vertical-align:-1px;background:var(--bg);border:2px solid var(--c)}
.legend .sw{margin-right:0}
.sw.travel{border:1px solid #9aa3ad;background:repeating-linear-gradient(135deg,
#c3c9d0 0 2px,#eef0f3 2px 5px)}
.sw.online{background:#fff;border:2px dashed #6b7682}
.grid{display:grid;grid-template-columns:46px repeat(5,minmax(0,1fr));
grid-template-rows:auto var(--grid-h);border:1px solid var(--line);border-radius:6px;
overflow:hidden}
.corner{background:var(--panel);border-bottom:1px solid var(--line)}
.dh{background:var(--panel);border-bottom:1px solid var(--line);
border-left:1px solid var(--line);padding:4px 8px;font-size:13px;min-width:0;
white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.dh .dn{margin-left:8px;color:var(--muted);font-size:12px}
.dh.closed .dn{color:#7a4b00;font-weight:600}
.gutter{position:relative;background:var(--panel)}
.tl{position:absolute;right:6px;transform:translateY(-50%);font-size:11px;
color:var(--muted);font-variant-numeric:tabular-nums}
.day{position:relative;border-left:1px solid var(--line);min-width:0}
.hl{position:absolute;left:0;right:0;border-top:1px solid #e3e7ec}
.hl.half{border-top:1px dotted #edf0f3}
.outside{position:absolute;left:0;right:0;background:repeating-linear-gradient(135deg,
#f1f3f5 0 6px,#fafbfc 6px 12px)}
.outside span{font-size:11px;color:var(--muted);padding:2px 6px;display:block}
.shade{position:absolute;inset:0;display:flex;align-items:center;justify-content:center;
text-align:center;padding:8px}
.shade span{background:rgba(255,255,255,.85);border-radius:4px;padding:3px 8px;
font-size:13px;font-weight:600}
.shade.closed{background:repeating-linear-gradient(135deg,#f7e7cf 0 8px,
#fbf3e6 8px 16px)}
.shade.closed span{color:#7a4b00}
.shade.off,.shade.away{background:repeating-linear-gradient(135deg,#eceff2 0 8px,
#f7f8f9 8px 16px)}
.shade.off span,.shade.away span{color:var(--muted)}
.ev{position:absolute;left:3px;right:3px;z-index:2;overflow:hidden;padding:2px 6px;
border-radius:4px;background:var(--bg);border:1px solid var(--c);
border-left:5px solid var(--c);font-size:12px;line-height:14px;color:var(--ink)}
.ev.online{border-style:dashed;border-left-style:solid;background:#fff}
.ev .tm{font-weight:700;font-variant-numeric:tabular-nums}
.ev .kd{font-weight:600;color:var(--c);filter:brightness(.75)}
.ev .sc,.ev .tp{display:block;white-space:nowrap;overflow:hidden;
text-overflow:ellipsis}
.ev .pp{display:block}
.ev .tp{font-style:italic}
.ev s{color:var(--muted)}
.ev:hover{z-index:5;overflow:visible;height:auto!important;min-height:2em;
box-shadow:0 2px 8px rgba(0,0,0,.25)}
.trip{position:absolute;left:10px;right:10px;z-index:1;overflow:hidden;display:flex;
align-items:center;gap:6px;padding:0 6px;font-size:10.5px;line-height:11px;
color:#3d4650;white-space:nowrap;border:1px solid #b7bec6;border-radius:3px;
background:repeating-linear-gradient(135deg,#d7dce1 0 3px,#eff1f3 3px 7px)}
.trip .tm{color:var(--muted)}
.sx{--c:#6b7682;--bg:#eceff2}
.list{border-collapse:collapse;width:100%;font-size:13px;margin:6px 0 14px}
.list th,.list td{text-align:left;padding:4px 8px;border-bottom:1px solid var(--line);
vertical-align:top}
.list thead th{background:var(--panel);font-weight:600}
.list tr.wk th{background:#fbfcfd;color:var(--muted);font-weight:600;font-size:12px;
padding-top:8px}
.list .num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.list.money{width:auto;min-width:60%}
.list tr.total th,.list tr.total td{font-weight:700;border-top:2px solid var(--ink)}
.list .reason{max-width:60ch}
.school h3{font-size:15px;margin:18px 0 2px}
.sfacts,.note,.none{color:var(--muted);font-size:13px;margin:2px 0 6px}
.note{max-width:90ch}
@media (max-width:900px){.legend{margin-left:0}}
@page{size:A4 landscape;margin:9mm}
@media print{
:root{--grid-h:162mm;font-size:11px}
.controls,.top .facts{display:none}
.top{padding:0 0 2mm}
main{padding:0}
.view[hidden]{display:none!important}
.week[hidden]{display:block!important}
.print-one .week[hidden]{display:none!important}
.week{break-after:page;page-break-after:always;margin:0;break-inside:avoid}
.ev:hover{overflow:hidden;height:auto}
.list tr{break-inside:avoid}
.school{break-inside:avoid-page}
}
"""

_JS = """\
(function () {
  "use strict";
  var doc = document, root = doc.documentElement;
  root.classList.remove("nojs");
  root.classList.add("js");
  var controls = doc.querySelector(".controls");
  var tabs = Array.prototype.slice.call(doc.querySelectorAll("[data-tab]"));
  var views = Array.prototype.slice.call(doc.querySelectorAll("[data-view]"));
  var weeks = Array.prototype.slice.call(doc.querySelectorAll("section.week"));
  var select = doc.getElementById("week-select");
  var prev = doc.getElementById("week-prev"), next = doc.getElementById("week-next");
  var last = select.options.length - 1;
  var state = {view: views.length ? views[0].dataset.view : "", week: 0};

  function todayWeek() {
    var now = new Date(), week = 0;
    var iso = now.getFullYear() + "-" + String(now.getMonth() + 1).padStart(2, "0") +
      "-" + String(now.getDate()).padStart(2, "0");
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].dataset.monday <= iso) { week = i; }
    }
    return week;
  }
  function readHash() {
    var params = new URLSearchParams(location.hash.replace(/^#/, ""));
    var view = params.get("view"), week = parseInt(params.get("week"), 10);
    if (!view && location.hash.indexOf("#v-") === 0) { view = location.hash.slice(3); }
    if (view && views.some(function (v) { return v.dataset.view === view; })) {
      state.view = view;
    }
    if (week >= 1 && week <= last + 1) { state.week = week - 1; }
  }
  function show(save) {
    var weekly = false;
    views.forEach(function (v) {
      var on = v.dataset.view === state.view;
      v.hidden = !on;
      if (on) { weekly = v.dataset.weekly === "1"; }
    });
    tabs.forEach(function (t) {
      t.setAttribute("aria-selected", String(t.dataset.tab === state.view));
    });
    weeks.forEach(function (w) { w.hidden = Number(w.dataset.week) !== state.week; });
    controls.classList.toggle("weekly", weekly);
    select.value = String(state.week);
    prev.disabled = state.week <= 0;
    next.disabled = state.week >= last;
    if (save && history.replaceState) {
      history.replaceState(null, "", "#view=" + encodeURIComponent(state.view) +
        "&week=" + (state.week + 1));
    }
  }
  function go(week) {
    state.week = Math.max(0, Math.min(last, week));
    show(true);
  }
  tabs.forEach(function (t) {
    t.addEventListener("click", function (ev) {
      ev.preventDefault();
      state.view = t.dataset.tab;
      show(true);
    });
  });
  select.addEventListener("change", function () { go(Number(select.value)); });
  prev.addEventListener("click", function () { go(state.week - 1); });
  next.addEventListener("click", function () { go(state.week + 1); });
  doc.getElementById("print-week").addEventListener("click", function () {
    root.classList.add("print-one");
    window.print();
  });
  window.addEventListener("afterprint", function () {
    root.classList.remove("print-one");
  });
  doc.addEventListener("keydown", function (ev) {
    var tag = (ev.target && ev.target.tagName) || "";
    if (tag === "SELECT" || tag === "INPUT" || ev.altKey || ev.ctrlKey || ev.metaKey) {
      return;
    }
    if (ev.key === "ArrowLeft") { go(state.week - 1); }
    if (ev.key === "ArrowRight") { go(state.week + 1); }
  });
  window.addEventListener("hashchange", function () { readHash(); show(false); });
  state.week = todayWeek();
  readHash();
  show(false);
})();
"""
