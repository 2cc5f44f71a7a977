"""The timetable's week grid of one mentor: Mon-Fri columns, events and trips
placed by minute and coloured by school, days off, away and closed shaded."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from ..plan import Event, Trip
from ..problem import ONLINE, Range, fmt_time
from ..words import day_label, plural, short_date
from .html_page import Page, dash, esc, hours, pct, school_of


def mentor_view(page: Page, mid: str) -> str:
    events = [e for e in page.plan.events if e.mentor == mid]
    trips = [t for t in page.plan.travel if t.mentor == mid]
    by_week: dict[int | None, list[Event]] = defaultdict(list)
    for e in events:
        by_week[page.week_of_date(e.date)].append(e)
    trips_by_week: dict[int | None, list[Trip]] = defaultdict(list)
    for t in trips:
        trips_by_week[page.week_of_date(t.date)].append(t)
    name = page.mentor_name(mid)
    out = [
        f'<section class="view mentor" id="v-m-{esc(mid)}" data-view="m-{esc(mid)}" '
        f'data-weekly="1"><h2 class="vh">{esc(name)}</h2>'
    ]
    for w in range(len(page.cal.weeks)):
        out.append(_week_grid(page, mid, w, by_week[w], trips_by_week[w]))
    stray = by_week.get(None, [])
    if stray:
        out.append(
            '<section class="stray"><h3>Events outside the teaching weeks</h3>'
            + page.event_table(stray, mentor=False)
            + "</section>"
        )
    out.append("</section>")
    return "\n".join(out)


def _week_grid(
    page: Page, mid: str, w: int, events: list[Event], trips: list[Trip]
) -> str:
    mentor = page.problem.mentors[mid]
    monday = page.cal.weeks[w]
    minutes = sum(e.end - e.start for e in events)
    notes = "".join(
        f'<p class="gapnote">Week of {esc(short_date(m))} not numbered: {esc(why)}</p>'
        for m, why in page.holiday_before.get(w, [])
    )
    head = (
        f'<div class="wh"><h3>{esc(mentor.name)} · {esc(page.week_title(w))}</h3>'
        f'<span class="wsum">{plural(len(events), "event")} · '
        f"{hours(minutes)} h · {sum(t.minutes for t in trips)} min travel</span>"
        f"{page.legend()}</div>{notes}"
    )
    span = page.t1 - page.t0
    gutter = "".join(
        f'<span class="tl" style="top:{pct((h - page.t0) / span * 100)}">'
        f"{fmt_time(h)}</span>"
        for h in range(-(-page.t0 // 60) * 60, page.t1 + 1, 60)
    )
    cols = []
    for i in range(5):
        d = monday + timedelta(days=i)
        cols.append(
            _day_column(
                page,
                mentor,
                d,
                [e for e in events if e.date == d],
                [t for t in trips if t.date == d],
            )
        )
    return (
        f'<section class="week" data-week="{w}" data-mentor="{esc(mid)}">{head}'
        f'<div class="grid" data-from="{page.t0}" data-to="{page.t1}">'
        '<div class="corner"></div>'
        + "".join(c[0] for c in cols)
        + f'<div class="gutter">{gutter}</div>'
        + "".join(c[1] for c in cols)
        + "</div></section>"
    )


def _day_column(
    page: Page, mentor, d: date, events: list[Event], trips: list[Trip]
) -> tuple[str, str]:
    cal = page.cal
    state, why = "", ""
    if d in cal.closed_days:
        state, why = "closed", cal.closed_days[d]
    elif d not in cal.week_of:
        state, why = "closed", "outside the plan"
    elif d in mentor.away_days:
        state, why = "away", "away"
    elif not mentor.works.get(d.weekday()):
        state, why = "off", "not working"
    shut = [s.name for s in page.problem.schools.values() if d in s.closed]
    note = ""
    if state:
        note = f'<span class="dn">{esc(why)}</span>'
    elif shut and len(shut) == len(page.problem.schools):
        note = '<span class="dn">all schools closed</span>'
    elif shut:
        note = f'<span class="dn">closed: {esc(", ".join(shut))}</span>'
    full = day_label(d) + (" · " + why if state else "")
    if not state and shut:
        full += " · closed: " + ", ".join(shut)
    head = (
        f'<div class="dh{" " + state if state else ""}" data-date="{d}" '
        f'title="{esc(full)}">'
        f"<strong>{esc(day_label(d))}</strong>{note}</div>"
    )
    span = page.t1 - page.t0
    layers = []
    for h in range(-(-page.t0 // 30) * 30, page.t1, 30):
        if h > page.t0:
            kind = "hl" if h % 60 == 0 else "hl half"
            layers.append(
                f'<i class="{kind}" style="top:{pct((h - page.t0) / span * 100)}"></i>'
            )
    if state:
        layers.append(f'<div class="shade {state}"><span>{esc(why)}</span></div>')
    else:
        free = page.t0
        for a, b in [*sorted(mentor.hours(d)), (page.t1, page.t1)]:
            if a > free:
                layers.append(_block_box(page, "outside", (free, a), ""))
            free = max(free, b)
        for a, b in sorted(mentor.away_times.get(d, ())):
            layers.append(_block_box(page, "outside away", (a, b), "away"))
    for t in trips:
        layers.append(_trip_block(page, t))
    for e in events:
        layers.append(_event_block(page, e))
    body = (
        f'<div class="day{" " + state if state else ""}" data-date="{d}">'
        + "".join(layers)
        + "</div>"
    )
    return head, body


def _block_box(page: Page, cls: str, r: Range, text: str) -> str:
    span = page.t1 - page.t0
    a, b = max(r[0], page.t0), min(r[1], page.t1)
    top = (a - page.t0) / span * 100
    height = max(b - a, 0) / span * 100
    inner = f"<span>{esc(text)}</span>" if text else ""
    return (
        f'<div class="{cls}" style="top:{pct(top)};height:{pct(height)}">{inner}</div>'
    )


def _event_text(page: Page, e: Event) -> str:
    where = page.school_name(e.venue)
    if e.venue == ONLINE:
        schools = dict.fromkeys(
            page.school_name(school_of(page.problem, p)) for p in e.people
        )
        where = "online · " + ", ".join(schools)
    parts = [
        f"{dash((e.start, e.end))} {page.what(e)}",
        where,
    ]
    if e.topic:
        parts.append(f"Topic: {e.topic}")
    names = [page.person_name(p) for p in e.people]
    parts.append(", ".join(names))
    if e.missed:
        missed = ", ".join(page.person_name(p) for p in e.missed)
        parts.append(f"cannot attend: {missed}")
    parts.append(e.id)
    return "\n".join(parts)


def _event_block(page: Page, e: Event) -> str:
    span = page.t1 - page.t0
    top = (e.start - page.t0) / span * 100
    height = (e.end - e.start) / span * 100
    where = page.school_name(e.venue)
    if e.venue == ONLINE:
        where = "online · " + ", ".join(
            dict.fromkeys(
                page.school_name(school_of(page.problem, p)) for p in e.people
            )
        )
    topic = f'<span class="tp">{esc(e.topic)}</span>' if e.topic else ""
    online = " online" if e.venue == ONLINE else ""
    return (
        f'<div class="ev {page.colour_class(e)} k-{esc(e.kind)}{online}" '
        f'data-event="{esc(e.id)}" data-start="{e.start}" data-end="{e.end}" '
        f'style="top:{pct(top)};height:{pct(height)}" '
        f'title="{esc(_event_text(page, e))}">'
        f'<span class="tm">{dash((e.start, e.end))}</span> '
        f'<span class="kd">{esc(page.what(e))}</span> '
        f'<span class="sc">{esc(where)}</span>{topic} '
        f'<span class="pp">{page.people_html(e)}</span></div>'
    )


def _trip_block(page: Page, t: Trip) -> str:
    span = page.t1 - page.t0
    top = (t.depart - page.t0) / span * 100
    height = (t.arrive - t.depart) / span * 100
    dest = page.place_name(t.dest)
    title = (
        f"{dash((t.depart, t.arrive))} travel {page.place_name(t.origin)} → "
        f"{dest} ({t.minutes} min)"
    )
    return (
        f'<div class="trip" data-trip="{t.date}/{t.depart}" '
        f'style="top:{pct(top)};height:{pct(height)}" title="{esc(title)}">'
        f'<span>→ {esc(dest)}</span> <span class="tm">{t.minutes} min</span>'
        "</div>"
    )
