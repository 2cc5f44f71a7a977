"""Reading back a feed mentor-sched wrote: its events as plain values.

The school page, the change notices and the CalDAV push are all made from the
feed files themselves, so they hold exactly what a subscriber of that feed
sees and nothing more: a school's feed names only that school's people and no
absence reasons (render/ics.py), and so do they.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from icalendar import Calendar

CANCELLED_PREFIX = "Cancelled: "


@dataclass(frozen=True)
class FeedEvent:
    uid: str
    summary: str  # without the "Cancelled: " prefix
    location: str
    start: datetime  # aware
    end: datetime
    cancelled: bool
    sequence: int
    description: tuple[str, ...]

    @property
    def mentor(self) -> str | None:
        for line in self.description:
            if line.startswith("Expert Mentor: "):
                return line[len("Expert Mentor: ") :]
        return None

    @property
    def slot(self) -> tuple[datetime, datetime, str]:
        """When and where: what a move changes."""
        return (self.start.astimezone(UTC), self.end.astimezone(UTC), self.location)


@dataclass(frozen=True)
class Feed:
    name: str
    tzid: str | None  # the zone of its local times, None if written in UTC
    events: tuple[FeedEvent, ...]


def read_feed(data: bytes) -> Feed:
    cal = Calendar.from_ical(data)
    tzids = [str(tz.get("tzid")) for tz in cal.walk("VTIMEZONE")]
    tzid = next((t for t in tzids if t != "UTC"), None)
    events = []
    for v in cal.walk("VEVENT"):
        summary = str(v.get("summary", ""))
        cancelled = str(v.get("status", "")).upper() == "CANCELLED"
        if cancelled and summary.startswith(CANCELLED_PREFIX):
            summary = summary[len(CANCELLED_PREFIX) :]
        lines = str(v.get("description", "")).split("\n")
        if cancelled and lines and lines[0] == "This event has been cancelled.":
            lines = lines[1:]
        events.append(
            FeedEvent(
                uid=str(v.get("uid")),
                summary=summary,
                location=str(v.get("location", "")),
                start=_aware(v.decoded("dtstart")),
                end=_aware(v.decoded("dtend")),
                cancelled=cancelled,
                sequence=int(v.get("sequence", 0)),
                description=tuple(line for line in lines if line),
            )
        )
    events.sort(key=lambda e: (e.start, e.end, e.uid))
    return Feed(str(cal.get("x-wr-calname", "")), tzid, tuple(events))


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value
