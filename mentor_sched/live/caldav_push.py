"""``caldav-push``: put each school's feed into a calendar on a CalDAV server.

For schools whose calendars live on a CalDAV server (Nextcloud, Radicale,
iCloud, Fastmail...) rather than a client that subscribes. The user's calendar
home is discovered from the server URL (current-user-principal, then
calendar-home-set). Each school gets a calendar named after it (id
``mentor-sched-<school id>``), made if missing. Within it every event of the
school's feed is one resource: created when its UID is new, replaced when it
differs from the feed (the feed's SEQUENCE and DTSTAMP travel with it, so
clients see an update, not a new event) and deleted when the feed no longer
has it. The server then holds exactly the feed, and a second push with the
same feed changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from icalendar import Calendar
from icalendar import Event as VEvent

from . import LiveError, Subject, current_run, subjects

_COMPARED = (
    "UID",
    "SEQUENCE",
    "DTSTAMP",
    "DTSTART",
    "DTEND",
    "SUMMARY",
    "LOCATION",
    "DESCRIPTION",
    "STATUS",
    "TRANSP",
    "GEO",
)


@dataclass
class SchoolPush:
    school: str
    calendar: str
    created_calendar: bool = False
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0

    @property
    def changes(self) -> int:
        return self.created + self.updated + self.deleted + int(self.created_calendar)


@dataclass
class Pushed:
    schools: list[SchoolPush] = field(default_factory=list)

    @property
    def changes(self) -> int:
        return sum(s.changes for s in self.schools)


def read_password(path: str | Path) -> str:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise LiveError(
            f"{path}: cannot read the password ({exc.strerror or exc})"
        ) from None
    lines = text.splitlines()
    if not lines or not lines[0]:
        raise LiveError(f"{path}: the first line should hold the password")
    return lines[0]


def push(
    live_dir: str | Path,
    url: str,
    user: str,
    password: str,
    *,
    timeout: int = 60,
) -> Pushed:
    """Make every school's calendar on the server equal to its live feed."""
    try:
        import caldav
        from caldav.lib.error import AuthorizationError, DAVError
    except ImportError:
        raise LiveError(
            "caldav-push needs the caldav library: pip install 'mentor-sched[caldav]'"
        ) from None

    run = current_run(live_dir)
    schools = [s for s in subjects(run) if s.kind == "schools"]
    if not url.startswith(("http://", "https://")):
        raise LiveError(f"--url must start with https:// or http:// (got {url!r})")
    client = caldav.DAVClient(
        url=url,
        username=user,
        password=password,
        timeout=timeout,
        enable_rfc6764=False,  # no DNS look-ups: the URL given is the server
        require_tls=False,
    )
    out = Pushed()
    try:
        principal = client.principal()
        calendars = list(principal.calendars())
        for school in schools:
            out.schools.append(_push_school(principal, calendars, run, school))
    except AuthorizationError:
        raise LiveError(
            f"{url}: the server refused user {user!r} and that password"
        ) from None
    except (DAVError, OSError) as exc:
        raise LiveError(f"{url}: {type(exc).__name__}: {exc}") from None
    except Exception as exc:  # niquests' connection errors and the like
        if type(exc).__module__.startswith(("niquests", "requests", "urllib3")):
            raise LiveError(f"{url}: cannot reach the server ({exc})") from None
        raise
    return out


def _push_school(
    principal: Any, calendars: list[Any], run: Path, s: Subject
) -> SchoolPush:
    cal_id = f"mentor-sched-{s.id}"
    calendar = _find(calendars, cal_id, s.name)
    report = SchoolPush(s.id, s.name)
    if calendar is None:
        calendar = principal.make_calendar(name=s.name, cal_id=cal_id)
        calendars.append(calendar)
        report.created_calendar = True
    wanted = _resources((run / s.feed).read_bytes())
    present: dict[str, Any] = {}
    for obj in calendar.events():
        uid, key = _key_of(obj.data)
        if uid is None or uid in present:
            obj.delete()  # not one of ours, or a duplicate: the feed has one
            report.deleted += 1
            continue
        present[uid] = (obj, key)
    for uid, (text, key) in wanted.items():
        if uid not in present:
            # verbatim: the feed's SEQUENCE is the one clients must see
            calendar.save_event(text, increase_seqno=False)
            report.created += 1
            continue
        obj, old_key = present[uid]
        if old_key == key:
            report.unchanged += 1
            continue
        obj.data = text
        obj.save(increase_seqno=False)
        report.updated += 1
    for uid, (obj, _) in present.items():
        if uid not in wanted:
            obj.delete()
            report.deleted += 1
    return report


def _find(calendars: list[Any], cal_id: str, name: str) -> Any | None:
    for c in calendars:
        if str(c.url).rstrip("/").endswith("/" + cal_id):
            return c
    for c in calendars:
        try:
            if c.get_display_name() == name:
                return c
        except Exception:  # a calendar whose name the server will not give
            continue
    return None


def _resources(feed: bytes) -> dict[str, tuple[str, tuple]]:
    """uid -> (one VCALENDAR with the zone and that event, its comparison key)."""
    cal = Calendar.from_ical(feed)
    zones = list(cal.walk("VTIMEZONE"))
    out = {}
    for v in cal.walk("VEVENT"):
        one = Calendar()
        for prop in ("PRODID", "VERSION", "CALSCALE"):
            if prop in cal:
                one.add(prop.lower(), cal[prop])
        for z in zones:
            one.add_component(z)
        one.add_component(v)
        out[str(v["UID"])] = (one.to_ical().decode("utf-8"), _key(v))
    return out


def _key_of(data: str) -> tuple[str | None, tuple]:
    try:
        cal = Calendar.from_ical(data)
    except ValueError:
        return None, ()
    events = list(cal.walk("VEVENT"))
    if len(events) != 1 or "UID" not in events[0]:
        return None, ()
    return str(events[0]["UID"]), _key(events[0])


def _key(v: VEvent) -> tuple:
    """What must match for the server's copy to be the feed's event: times
    compared as instants (a server may write them in another form)."""
    out = []
    for prop in _COMPARED:
        if prop not in v:
            out.append(None)
        elif prop in ("DTSTART", "DTEND", "DTSTAMP"):
            out.append(v.decoded(prop).timestamp())
        elif prop == "SEQUENCE":
            out.append(int(v[prop]))
        else:
            out.append(str(v[prop]) if prop != "GEO" else v[prop].to_ical())
    return tuple(out)
