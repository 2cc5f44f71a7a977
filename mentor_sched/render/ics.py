"""iCalendar feeds of a Plan, one per school, mentor and person (feeds.md).

``write_feeds`` writes ``schools/<school>.ics``, ``mentors/<mentor>.ics`` and
``people/<person>.ics`` into an output folder. A feed is a full snapshot that
clients fetch again and again, so what matters is what changes between two
runs, and that is remembered in ``<out_dir>/.feeds-state.json``:

- UID: opaque and stable, ``<hash of the event id>@<cluster slug>.mentor-sched``.
  The event id (plan-format.md) names the owed event, never its time, so a
  moved visit keeps its UID. It is hashed because ids name people
  (``ect1-meetings/ect-ben/3``) and a UID reaches every subscriber of a feed.
  A trip's key is ``trip/<mentor>/<date>/<from>/<to>`` (``/2``, ``/3`` for a
  repeat of the same leg that day).
- SEQUENCE starts at 0 and goes up by one when the date, time or length
  changes, when the event is cancelled and when a cancelled or dropped event
  comes back. It never goes down: the state file keeps it for every UID ever
  published, also after the event is dropped.
- DTSTAMP is the time the event last changed (``now`` of the run that saw the
  change: time, venue, people, names); unchanged events keep it, so an
  unchanged plan rewrites byte-identical files (they are then not touched).

Cancellation policy: an event published before but missing from the new plan
(now unmet, or its demand removed) stays in the feeds it would belong to for
14 days after the run that first missed it, with STATUS:CANCELLED, a
"Cancelled: " summary prefix, TRANSP:TRANSPARENT and SEQUENCE + 1; the first
run 14 days or more after that drops it. The state file keeps its last plan
data to re-emit it. Removal is the only thing every client honours; the grace
period lets Apple and Thunderbird users see what went away. Trips are busy
blocks only the mentor sees, so a trip no longer in the plan is dropped at
once rather than shown as a cancelled busy block Outlook would still show.

Privacy: a school's feed names only that school's people (other attendees of a
group session are counted: "+ 2 trainees from 2 other schools"); a person's
feed holds only the events they attend, named the same way; the mentor's feed
names everyone. No ORGANIZER, ATTENDEE, METHOD, absence notes or reasons.

Time: local times carry ``TZID`` of the cluster's zone with a VTIMEZONE built
from yearly rules (Europe/London: BST from the last Sunday of March 01:00, GMT
from the last Sunday of October 02:00), derived from ``zoneinfo`` and checked
against its transitions in every year the feeds touch. A zone that no
"n-th weekday of a month" rule describes is written in UTC (``...Z``).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Calendar, vDuration
from icalendar import Event as VEvent

from ..plan import (
    Event,
    Plan,
    Trip,
    event_from_json,
    event_json,
    trip_from_json,
    trip_json,
)
from ..problem import Problem
from . import safe_file_stem, write_atomic
from .ics_text import Viewer, describe_event, describe_trip, ical_text
from .ics_zone import Zone

GRACE = timedelta(days=14)
STATE_FILE = ".feeds-state.json"
STATE_FORMAT = "mentor-sched/feeds-state@1"
PRODID = "-//mentor-sched//mentor-sched feeds 1//EN"
REFRESH = timedelta(hours=1)


def write_feeds(
    problem: Problem, plan: Plan, out_dir: Path, *, now: datetime | None = None
) -> list[Path]:
    """Write every school's, mentor's and person's feed; return their paths."""
    out_dir = Path(out_dir)
    now = _utc_now(now)
    slug = _slug(problem.name)
    state_path = out_dir / STATE_FILE
    state, published = _read_state(state_path)
    entries = _advance(state, _current(problem, plan, slug), now)
    items = [_Item.from_state(uid, entry) for uid, entry in sorted(entries.items())]
    items = [i for i in items if i is not None]
    gone = _gone_feeds(published, {rel for rel, *_ in _feeds(problem)}, entries, now)

    years = {d.year for d in (problem.horizon[0], problem.horizon[1])}
    years |= {i.date.year for i in items}
    years |= {i.date.year for _, _, gone_items, _ in gone for i in gone_items}
    zone = Zone.build(problem.timezone, years)

    written = []
    records: dict[str, dict[str, Any]] = {}
    feeds = [
        (rel, title, [i for i in items if member(i)], viewer)
        for rel, title, member, viewer in _feeds(problem)
    ]
    # (an item holds its entry itself: a SEQUENCE raised here shows in it)
    left = _left(published, feeds, entries, now)
    for rel, title, mine, viewer in feeds:
        shown = mine + [item for item, _ in left.get(rel, ())]
        name = f"{problem.name}: {title}"
        written.append(_write_feed(problem, out_dir / rel, name, shown, viewer, zone))
        records[rel] = {
            "title": name,
            "viewer": viewer.school,
            "uids": [i.uid for i in shown],
            "left": {item.uid: since for item, since in left.get(rel, ())},
        }
    for rel, record, mine, viewer in gone:
        # the subject left the cluster: every event it showed, cancelled, until
        # the grace period ends (then the file is gone, feeds.md)
        records[rel] = record
        written.append(
            _write_feed(problem, out_dir / rel, record["title"], mine, viewer, zone)
        )
    write_atomic(state_path, _dump_state(entries, records), skip_unchanged=True)
    return sorted(written)


def _write_feed(
    problem: Problem,
    path: Path,
    name: str,
    items: list[_Item],
    viewer: Viewer,
    zone: Zone,
) -> Path:
    cal = _calendar(name, zone)
    for item in sorted(items, key=lambda i: (i.date, i.start, i.end, i.uid)):
        cal.add_component(_vevent(problem, item, viewer, zone))
    write_atomic(path, cal.to_ical(), skip_unchanged=True)
    return path


def _left(
    published: dict[str, dict[str, Any]],
    feeds: list[tuple[str, str, list[_Item], Viewer]],
    entries: dict[str, dict[str, Any]],
    now: datetime,
) -> dict[str, list[tuple[_Item, str]]]:
    """Events still in the plan that a feed showed and no longer holds (given to
    another mentor, moved to another venue, a person no longer attending): in
    that feed they are cancelled for the grace period, as events that left
    the plan are. The first run that sees one leave raises its SEQUENCE (in
    ``entries``) so no feed's SEQUENCE for it ever goes down."""
    stamp = _stamp(now)
    out: dict[str, list[tuple[_Item, str]]] = {}
    for rel, _, mine, _ in feeds:
        old = published.get(rel)
        if not old:
            continue
        here = {i.uid for i in mine}
        before = old.get("left", {})
        for uid in old.get("uids", ()):
            entry = entries.get(uid)
            if uid in here or entry is None or entry["kind"] != "event":
                continue
            if entry["status"] != "live":
                continue  # cancelled or dropped for every feed already
            since = before.get(uid)
            if since is None:
                since = stamp
                if entry.get("raised") != stamp:  # once a run, with a move
                    entry["sequence"] += 1
                    entry["dtstamp"] = stamp
                    entry["raised"] = stamp
            if now >= _parse_stamp(since) + GRACE:
                continue
            shown = entry | {
                "status": "cancelled",
                "dtstamp": max(entry["dtstamp"], since),
            }
            item = _Item.from_state(uid, shown)
            if item is not None:
                out.setdefault(rel, []).append((item, since))
    return out


def _gone_feeds(
    published: dict[str, dict[str, Any]],
    current: set[str],
    entries: dict[str, dict[str, Any]],
    now: datetime,
) -> list[tuple[str, dict[str, Any], list[_Item], Viewer]]:
    """Feeds published before whose school, mentor or person is no longer in
    the cluster and whose grace period has not ended: (path, record, its events
    as cancelled, viewer). A feed is never left with events that are not in the
    plan: each is CANCELLED with SEQUENCE above the last one published in it."""
    out = []
    stamp = _stamp(now)
    for rel, old in sorted(published.items()):
        if rel in current:
            continue
        since = old.get("removed_since") or stamp
        if now >= _parse_stamp(since) + GRACE:
            continue  # removed: the file is no longer written
        record = {**old, "removed_since": since}
        mine = []
        for uid in old.get("uids", ()):
            entry = entries.get(uid)
            if entry is None or entry["status"] == "dropped":
                continue
            live = entry["status"] == "live"
            shown = entry | {
                "status": "cancelled",
                "sequence": entry["sequence"] + (1 if live else 0),
                "dtstamp": max(entry["dtstamp"], since),
            }
            item = _Item.from_state(uid, shown)
            if item is not None:
                mine.append(item)
        record["uids"] = [i.uid for i in mine]
        out.append((rel, record, mine, Viewer(old.get("viewer"))))
    return out


# -- what is published, and what changed ------------------------------------


@dataclass(frozen=True)
class _Item:
    """One VEVENT to publish: a plan event or trip, live or cancelled."""

    uid: str
    entry: dict[str, Any]
    event: Event | None
    trip: Trip | None

    @classmethod
    def from_state(cls, uid: str, entry: dict[str, Any]) -> _Item | None:
        if entry["status"] == "dropped":
            return None
        if entry["kind"] == "trip":
            return cls(uid, entry, None, _trip_from(entry["data"]))
        return cls(uid, entry, _event_from(entry["data"]), None)

    @property
    def cancelled(self) -> bool:
        return self.entry["status"] == "cancelled"

    @property
    def date(self) -> date:
        return self.event.date if self.event else self.trip.date  # type: ignore[union-attr]

    @property
    def start(self) -> int:
        return self.event.start if self.event else self.trip.depart  # type: ignore[union-attr]

    @property
    def end(self) -> int:
        return self.event.end if self.event else self.trip.arrive  # type: ignore[union-attr]


def _current(problem: Problem, plan: Plan, slug: str) -> dict[str, dict[str, Any]]:
    """uid -> what the plan says now: key, kind, plan data, instants, fingerprint."""
    tz = ZoneInfo(problem.timezone)
    out: dict[str, dict[str, Any]] = {}
    for e in plan.events:
        out[_uid(e.id, slug)] = _current_entry(
            problem, tz, e.id, "event", _event_data(e), e.date, e.start, e.end
        )
    seen: Counter[tuple] = Counter()
    for t in sorted(plan.travel, key=lambda t: (t.mentor, t.date, t.depart, t.dest)):
        leg = (t.mentor, t.date, t.origin, t.dest)
        seen[leg] += 1
        key = "/".join(["trip", t.mentor, t.date.isoformat(), t.origin, t.dest])
        if seen[leg] > 1:
            key += f"/{seen[leg]}"
        out[_uid(key, slug)] = _current_entry(
            problem, tz, key, "trip", _trip_data(t), t.date, t.depart, t.arrive
        )
    return out


def _current_entry(
    problem: Problem,
    tz: ZoneInfo,
    key: str,
    kind: str,
    data: dict[str, Any],
    day: date,
    start: int,
    end: int,
) -> dict[str, Any]:
    blob = json.dumps([data, _inputs(problem, kind, data)], sort_keys=True)
    return {
        "id": key,
        "kind": kind,
        "data": data,
        "dtstart": _instant(tz, day, start),
        "dtend": _instant(tz, day, end),
        "fingerprint": hashlib.sha256(blob.encode()).hexdigest()[:16],
    }


def _inputs(problem: Problem, kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """Every fact of the Problem a VEVENT is rendered from, so that a renamed
    school or person is a change (new DTSTAMP) just as a changed plan is."""
    mentor = problem.mentors.get(data["mentor"])
    places = {data["venue"]} if kind == "event" else {data["from"], data["to"]}
    if mentor is not None and mentor.base:
        places.add(mentor.base)
    people = [problem.people.get(p) for p in data.get("people", ())]
    demand = problem.demands.get(data.get("demand", ""))
    return {
        "timezone": problem.timezone,
        "mentor": mentor.name if mentor else None,
        "places": {
            s.id: [s.name, s.lat, s.lon]
            for s in problem.schools.values()
            if s.id in places
        },
        "people": [p and [p.name, p.role, p.school, p.ect_year] for p in people],
        "topics": list(demand.topics) if demand else [],
    }


def _advance(
    state: dict[str, dict[str, Any]],
    current: dict[str, dict[str, Any]],
    now: datetime,
) -> dict[str, dict[str, Any]]:
    """The new state: SEQUENCE, DTSTAMP and cancellation of every UID."""
    stamp = _stamp(now)
    out: dict[str, dict[str, Any]] = {}
    for uid, cur in current.items():
        old = state.get(uid)
        entry = {**cur, "status": "live", "cancelled_since": None}
        if old is None:
            entry |= {"sequence": 0, "dtstamp": stamp}
        else:
            moved = (old["dtstart"], old["dtend"]) != (cur["dtstart"], cur["dtend"])
            back = old["status"] != "live"
            changed = moved or back or old["fingerprint"] != cur["fingerprint"]
            entry |= {
                "sequence": old["sequence"] + (1 if moved or back else 0),
                "dtstamp": stamp if changed else old["dtstamp"],
            }
            if moved or back:
                entry["raised"] = stamp  # SEQUENCE went up in this run
        out[uid] = entry
    for uid, old in state.items():
        if uid in current:
            continue
        if old["status"] == "live" and old["kind"] == "event":
            out[uid] = old | {
                "status": "cancelled",
                "cancelled_since": stamp,
                "sequence": old["sequence"] + 1,
                "dtstamp": stamp,
            }
        elif (
            old["status"] == "cancelled"
            and now < _parse_stamp(old["cancelled_since"]) + GRACE
        ):
            out[uid] = old
        else:
            # Dropped from every feed; the sequence stays so it never goes down.
            keep = ("id", "kind", "sequence", "dtstart", "dtend", "dtstamp")
            out[uid] = {k: old[k] for k in keep} | {
                "status": "dropped",
                "cancelled_since": old.get("cancelled_since"),
                "fingerprint": "",
            }
    return out


def _read_state(
    path: Path,
) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    """The UIDs ever published, and the feeds last written (path -> title,
    viewer, UIDs, ``removed_since``; absent in state files before it was kept)."""
    if not path.exists():
        return {}, {}
    doc = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(doc, dict) or doc.get("format") != STATE_FORMAT:
        raise ValueError(f"{path}: not a {STATE_FORMAT} file")
    return doc["uids"], doc.get("feeds", {})


def _dump_state(
    entries: dict[str, dict[str, Any]], feeds: dict[str, dict[str, Any]]
) -> bytes:
    doc = {"format": STATE_FORMAT, "uids": entries, "feeds": feeds}
    text = json.dumps(doc, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    return text.encode("utf-8")


# -- feeds and who sees what -------------------------------------------------


def _feeds(
    problem: Problem,
) -> Iterable[tuple[str, str, Callable[[_Item], bool], Viewer]]:
    people = problem.people

    def school_of(pid: str) -> str | None:
        p = people.get(pid)
        return p.school if p else None

    def attends(e: Event) -> list[str]:
        return [p for p in e.people if p not in e.missed]

    for s in sorted(problem.schools.values(), key=lambda s: s.id):

        def at_school(i: _Item, s: str = s.id) -> bool:
            e = i.event
            return e is not None and (
                e.venue == s or any(school_of(p) == s for p in attends(e))
            )

        yield f"schools/{feed_file(s.id)}", s.name, at_school, Viewer(s.id)
    for m in sorted(problem.mentors.values(), key=lambda m: m.id):

        def of_mentor(i: _Item, m: str = m.id) -> bool:
            return (i.event or i.trip).mentor == m  # type: ignore[union-attr]

        yield f"mentors/{feed_file(m.id)}", m.name, of_mentor, Viewer(None)
    for p in sorted(people.values(), key=lambda p: p.id):

        def of_person(i: _Item, p: str = p.id) -> bool:
            return i.event is not None and p in attends(i.event)

        yield f"people/{feed_file(p.id)}", p.name, of_person, Viewer(p.school)


# -- rendering ---------------------------------------------------------------


def feed_file(ident: str) -> str:
    """The feed's file name: the id, made safe (``con`` -> ``con_.ics``)."""
    return f"{safe_file_stem(ident)}.ics"


def _calendar(name: str, zone: Zone) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    # icalendar writes NAME and X-WR-CALNAME unescaped unless given as vText
    cal.add("name", ical_text(name))
    cal.add("x-wr-calname", ical_text(name))
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", vDuration(REFRESH))
    cal.add_component(zone.vtimezone())
    return cal


def _vevent(problem: Problem, item: _Item, viewer: Viewer, zone: Zone) -> VEvent:
    if item.event is not None:
        summary, location, geo, lines = describe_event(problem, item.event, viewer)
    else:
        summary, location, geo, lines = describe_trip(problem, item.trip)  # type: ignore[arg-type]
    if item.cancelled:
        summary = "Cancelled: " + summary
        lines = ["This event has been cancelled.", *lines]
    v = VEvent()
    v.add("uid", item.uid)
    v.add("sequence", item.entry["sequence"])
    v.add("dtstamp", _parse_stamp(item.entry["dtstamp"]))
    v.add("dtstart", zone.datetime(item.date, item.start))
    v.add("dtend", zone.datetime(item.date, item.end))
    v.add("summary", ical_text(summary))
    if location:
        v.add("location", ical_text(location))
    if geo:
        v.add("geo", geo)
    v.add("description", ical_text("\n".join(lines)))
    v.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
    v.add("transp", "TRANSPARENT" if item.cancelled else "OPAQUE")
    return v


# -- small helpers ---------------------------------------------------------------


def _uid(key: str, slug: str) -> str:
    return f"{hashlib.sha256(key.encode()).hexdigest()[:20]}@{slug}.mentor-sched"


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "cluster"


def _utc_now(now: datetime | None) -> datetime:
    now = now or datetime.now(UTC)
    now = now.replace(tzinfo=UTC) if now.tzinfo is None else now.astimezone(UTC)
    return now.replace(microsecond=0)


def _stamp(t: datetime) -> str:
    return t.strftime("%Y%m%dT%H%M%SZ")


def _parse_stamp(text: str) -> datetime:
    return datetime.strptime(text, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)


def _instant(tz: ZoneInfo, day: date, minute: int) -> str:
    local = datetime.combine(day, datetime.min.time()) + timedelta(minutes=minute)
    return _stamp(local.replace(tzinfo=tz).astimezone(UTC))


_event_data = event_json  # the stored copy is plan.json's own form


_event_from = event_from_json


_trip_data = trip_json
_trip_from = trip_from_json
