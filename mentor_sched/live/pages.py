"""A subject's own timetable page, made from its feed: the school's page holds
exactly what the school's feed holds (its visits, its people by name, other
schools' people counted), week by week. Self-contained HTML, every text
escaped."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from html import escape
from zoneinfo import ZoneInfo

from ..words import day_label, long_date
from .feeds import Feed, FeedEvent

_CSS = """
body{font:15px/1.4 system-ui,sans-serif;margin:1.5rem auto;max-width:60rem;
padding:0 1rem;color:#1b1b1b}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:1.6rem;border-bottom:1px solid #ccc}
table{border-collapse:collapse;width:100%}td,th{text-align:left;vertical-align:top;
padding:.3rem .5rem;border-bottom:1px solid #eee}th{font-weight:600}
.cancelled td{color:#777;text-decoration:line-through}
.note{color:#555}@media print{h2{break-before:page}}
"""


def feed_page(feed: Feed, title: str) -> str:
    zone = ZoneInfo(feed.tzid) if feed.tzid else None
    weeks: dict[date, list[FeedEvent]] = defaultdict(list)
    for e in feed.events:
        start = e.start.astimezone(zone) if zone else e.start
        weeks[start.date() - timedelta(days=start.weekday())].append(e)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="robots" content="noindex">',
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="note">{escape(feed.name)}. Times are '
        f"{escape(feed.tzid or 'UTC')}. Subscribe to the calendar feed to have "
        "changes appear by themselves.</p>",
    ]
    if not weeks:
        parts.append("<p>No visits are planned.</p>")
    for monday in sorted(weeks):
        parts.append(f"<h2>Week of {escape(_long(monday))}</h2>")
        parts.append(
            "<table><thead><tr><th>Day</th><th>Time</th><th>What</th>"
            "<th>Where</th><th>Details</th></tr></thead><tbody>"
        )
        for e in weeks[monday]:
            start = e.start.astimezone(zone) if zone else e.start
            end = e.end.astimezone(zone) if zone else e.end
            what = ("Cancelled: " if e.cancelled else "") + e.summary
            details = "<br>".join(escape(line) for line in e.description)
            parts.append(
                f"<tr{' class=cancelled' if e.cancelled else ''}>"
                f"<td>{escape(_day(start))}</td>"
                f"<td>{start:%H:%M}&ndash;{end:%H:%M}</td>"
                f"<td>{escape(what)}</td><td>{escape(e.location)}</td>"
                f"<td>{details}</td></tr>"
            )
        parts.append("</tbody></table>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _day(d: datetime | date) -> str:
    return day_label(d)


def _long(d: date) -> str:
    return long_date(d)
