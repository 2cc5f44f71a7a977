"""What every view of the timetable shares: the page's names for schools,
people, mentors and weeks, its time span and colours, and the small formats
(times, hours, money) its cells use. Every piece of text goes through ``esc``."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from html import escape

from ..plan import Event, Plan, Unmet
from ..problem import BASE, ONLINE, Problem, Range, fmt_time
from ..words import event_label, period_text, short_date, week_number
from . import clean_text, event_title
from .html_assets import PALETTE

KIND_LABEL = {
    "meeting": "Meeting",
    "observation": "Observation",
    "group": "Group session",
    "cover": "Cover",
}


def esc(value: object) -> str:
    """``value`` as HTML text or attribute: escaped, no NUL or ESC either."""
    return escape(clean_text(str(value)), quote=True)


def pct(x: float) -> str:
    """A CSS percentage, as short as exact: ``12.5%``."""
    return f"{x:.4f}".rstrip("0").rstrip(".") + "%"


def dash(r: Range) -> str:
    """``09:00–10:00``."""
    return f"{fmt_time(r[0])}–{fmt_time(r[1])}"


def hours(minutes: float) -> str:
    """Minutes as hours to one decimal: ``1.5``."""
    return f"{minutes / 60:.1f}"


def gbp(x: float | None) -> str:
    """``£1,234.50``, ``-£3.00``; ``—`` for no figure."""
    if x is None:
        return "—"
    return f"{'-' if x < -0.005 else ''}£{abs(x):,.2f}"


def school_of(problem: Problem, pid: str) -> str:
    person = problem.people.get(pid)
    return person.school if person is not None else "?"


class Page:
    """The plan and problem one timetable shows, with the names and layout
    every view uses."""

    def __init__(self, problem: Problem, plan: Plan) -> None:
        self.problem = problem
        self.plan = plan
        self.cal = problem.calendar
        self.colour = {s: i for i, s in enumerate(problem.schools)}
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

    def held_by(self, e: Event) -> str:
        """The Expert Mentor's name, or the in-school mentor's who holds it."""
        if e.mentor is None:
            return f"{self.person_name(e.host or '')} (in-school mentor)"
        return self.mentor_name(e.mentor)

    def what(self, e: Event) -> str:
        """The demand's title where it has one; else ``Meeting``, and
        ``Three-way meeting``, ``Joint observation`` or ``In-school mentor
        meeting`` for the events an in-school mentor joins or holds."""
        title = event_title(self.problem, e)
        if title:
            return title
        label = event_label(e)
        if label == e.kind:
            return KIND_LABEL.get(e.kind, e.kind)
        return label[0].upper() + label[1:]

    def week_of_date(self, d: date) -> int | None:
        return self.monday_week.get(d - timedelta(days=d.weekday()))

    def week_title(self, w: int) -> str:
        n = len(self.cal.weeks)
        monday = short_date(self.cal.weeks[w])
        return f"Week {week_number(w)} of {n} · w/c {monday}"

    def colour_class(self, e: Event) -> str:
        sid = e.venue
        if sid not in self.colour and e.people:
            sid = school_of(self.problem, e.people[0])
        i = self.colour.get(sid)
        return "sx" if i is None else f"s{i % len(PALETTE)}"

    def legend(self) -> str:
        items = "".join(
            f'<li><span class="sw s{i % len(PALETTE)}"></span>{esc(s.name)}</li>'
            for i, s in enumerate(self.problem.schools.values())
        )
        return (
            f'<ul class="legend">{items}'
            '<li><span class="sw travel"></span>travel</li>'
            '<li><span class="sw online"></span>online</li></ul>'
        )

    def people_html(self, e: Event) -> str:
        missed = set(e.missed)
        return ", ".join(
            f'<s title="cannot attend">{esc(self.person_name(p))}</s>'
            if p in missed
            else esc(self.person_name(p))
            for p in e.people
        )

    def event_table(self, events: Iterable[Event], *, mentor: bool = True) -> str:
        rows = []
        current = object()
        for e in events:
            w = self.week_of_date(e.date)
            if w != current:
                current = w
                label = self.week_title(w) if w is not None else "Outside the weeks"
                rows.append(f'<tr class="wk"><th colspan="6">{esc(label)}</th></tr>')
            rows.append(
                f'<tr data-event="{esc(e.id)}"><td>{esc(short_date(e.date))}</td>'
                f'<td class="num">{dash((e.start, e.end))}</td>'
                f'<td><span class="sw {self.colour_class(e)}"></span>'
                f"{esc(self.what(e))}"
                + (f" · {esc(e.topic)}" if e.topic else "")
                + f"</td><td>{self.people_html(e)}</td>"
                f"<td>{esc(self.school_name(e.venue))}</td>"
                f"<td>{esc(self.held_by(e)) if mentor else ''}</td></tr>"
            )
        return (
            '<table class="list"><thead><tr><th>Date</th><th>Time</th>'
            "<th>What</th><th>Who</th><th>Where</th><th>Mentor</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
        )

    def unmet_weeks(self, u: Unmet) -> str:
        demand = self.problem.demands.get(u.demand)
        return period_text(self.problem, demand and demand.every, u.period)
