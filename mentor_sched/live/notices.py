"""Change notices: what an adopt changed for each school and each mentor, in
words a coordinator can paste into an email.

A school's notice is made by comparing the school's feed before and after, so
it can say no more than the feed says: its own visits, its own people by name,
other schools' people only counted, no absence notes or reasons. Events are
described by what, when and where (weekday and date), never by event id or
UID. Trips are left out (the mentor's feed has them; they are no news).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from ..render import clean_text, md_text
from ..words import long_date
from . import Subject
from .feeds import Feed, FeedEvent, read_feed

NOTICES_DIR = "notices"


@dataclass(frozen=True)
class Changes:
    moved: tuple[tuple[FeedEvent, FeedEvent], ...]
    cancelled: tuple[FeedEvent, ...]
    added: tuple[FeedEvent, ...]
    changed: tuple[tuple[FeedEvent, FeedEvent], ...]  # same slot, other details

    def __bool__(self) -> bool:
        return bool(self.moved or self.cancelled or self.added or self.changed)


def compare(before: Feed | None, after: Feed, trips: set[str]) -> Changes:
    """What a subscriber of the feed sees change (live events only count)."""
    old = {
        e.uid: e
        for e in (before.events if before else ())
        if not e.cancelled and e.uid not in trips
    }
    new = {e.uid: e for e in after.events if not e.cancelled and e.uid not in trips}
    moved, changed = [], []
    for uid, e in new.items():
        o = old.get(uid)
        if o is None:
            continue
        if o.slot != e.slot:
            moved.append((o, e))
        elif (o.summary, o.description) != (e.summary, e.description):
            changed.append((o, e))
    return Changes(
        moved=tuple(moved),
        cancelled=tuple(e for uid, e in old.items() if uid not in new),
        added=tuple(e for uid, e in new.items() if uid not in old),
        changed=tuple(changed),
    )


def notices(
    before_run: Path | None,
    after_run: Path,
    subjects: list[Subject],
    trips: set[str],
    cluster: str,
    when: datetime,
) -> dict[str, str]:
    """``notices/<id>.md`` and ``.txt`` for every school and mentor whose
    feed changed between the two runs: relative path -> text."""
    out: dict[str, str] = {}
    for s in subjects:
        if s.kind not in ("schools", "mentors"):
            continue
        after_file = after_run / s.feed
        if not after_file.is_file():
            continue
        after = read_feed(after_file.read_bytes())
        before = None
        if before_run is not None and (before_run / s.feed).is_file():
            before = read_feed((before_run / s.feed).read_bytes())
        changes = compare(before, after, trips)
        if not changes:
            continue
        zone = ZoneInfo(after.tzid) if after.tzid else None
        stem = s.feed.split("/", 1)[1][: -len(".ics")]
        args = (s, changes, cluster, when, zone)
        out[f"{NOTICES_DIR}/{stem}.txt"] = _render(*args, markdown=False)
        out[f"{NOTICES_DIR}/{stem}.md"] = _render(*args, markdown=True)
    return out


def _render(
    s: Subject,
    c: Changes,
    cluster: str,
    when: datetime,
    zone: ZoneInfo | None,
    *,
    markdown: bool,
) -> str:
    t = md_text if markdown else (lambda x: clean_text(x, one_line=True))
    at = f"at {s.name}" if s.kind == "schools" else f"for {s.name}"
    title = f"Changes to Expert Mentor visits {at}"
    lines = [f"# {t(title)}" if markdown else title, ""]
    if not markdown:
        lines.insert(1, "=" * len(title))
    lines += [
        t(
            f"The plan of the {cluster} changed on {_date(when, zone)}. "
            + (
                "These visits of your school are affected:"
                if s.kind == "schools"
                else "These of your visits are affected:"
            )
        ),
        "",
    ]

    def section(head: str, items: list[str]) -> None:
        if not items:
            return
        lines.append(f"## {head}" if markdown else f"{head}:")
        lines.append("")
        lines.extend(f"- {i}" for i in items)
        lines.append("")

    section(
        f"Moved ({len(c.moved)})",
        [
            t(f"{_what(n, s)}: was {_when(o, zone)}, now {_when(n, zone)}")
            for o, n in c.moved
        ],
    )
    section(
        f"Cancelled ({len(c.cancelled)})",
        [t(f"{_what(e, s)}, {_when(e, zone)}") for e in c.cancelled],
    )
    section(
        f"Added ({len(c.added)})",
        [t(f"{_what(e, s)}, {_when(e, zone)}") for e in c.added],
    )
    section(
        f"Changed ({len(c.changed)})",
        [
            t(f"{_what(o, s)} is now {_what(n, s)}, {_when(n, zone)}")
            for o, n in c.changed
        ],
    )
    lines.append(
        t(
            "Calendars subscribed to the school's feed update by themselves; "
            "moved visits keep their place in them."
            if s.kind == "schools"
            else "Your calendar feed updates by itself."
        )
    )
    return "\n".join(lines) + "\n"


def _what(e: FeedEvent, s: Subject) -> str:
    what = e.summary
    if what.startswith("Expert Mentor: "):
        what = what[len("Expert Mentor: ") :]
    what = what[:1].upper() + what[1:]
    if s.kind == "schools" and e.mentor:
        what += f" with {e.mentor}"
    return what


def _when(e: FeedEvent, zone: ZoneInfo | None) -> str:
    start = e.start.astimezone(zone) if zone else e.start
    end = e.end.astimezone(zone) if zone else e.end
    where = f" at {e.location}" if e.location else ""
    return f"{_date(start, None)}, {start:%H:%M}-{end:%H:%M}{where}"


def _date(d: datetime, zone: ZoneInfo | None) -> str:
    d = d.astimezone(zone) if zone else d
    return long_date(d)
