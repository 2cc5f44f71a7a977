"""iCalendar feeds (feeds.md): parse everywhere, round-trip, stay private, change
only what changed."""

from __future__ import annotations

import json
import os
import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import vobject
from ical.calendar_stream import IcsCalendarStream
from icalendar import Calendar
from plan_fixtures import event, example_plan

from mentor_sched import load
from mentor_sched.plan import Event, Plan, Unmet
from mentor_sched.render.ics import GRACE, STATE_FILE, write_feeds

GOLDEN = Path(__file__).parent / "golden"
NOW = datetime(2027, 1, 5, 9, 0, tzinfo=UTC)
GOLDEN_FEEDS = (
    "schools/sudbury-primary.ics",
    "schools/clare-primary.ics",
    "mentors/em-sarah.ics",
    "people/tr-lucy.ics",
)


@pytest.fixture(scope="module")
def problem(request):
    return load(Path(request.config.rootpath) / "scenarios/stour-valley/cluster.yaml")


@pytest.fixture(scope="module")
def plan(problem):
    return example_plan(problem)


@pytest.fixture(scope="module")
def out(tmp_path_factory, problem, plan) -> Path:
    """The example's feeds, written once; tests that read them must not write."""
    folder = tmp_path_factory.mktemp("feeds")
    write_feeds(problem, plan, folder, now=NOW)
    return folder


# -- helpers -------------------------------------------------------------------


def feeds(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*.ics"))
    }


def unfold(raw: bytes) -> str:
    return raw.decode("utf-8").replace("\r\n ", "").replace("\r\n\t", "")


def vevents(raw: bytes) -> dict[str, str]:
    """UID -> the VEVENT block as written (folded, CRLF)."""
    text = raw.decode("utf-8")
    blocks = re.findall(r"BEGIN:VEVENT\r\n.*?END:VEVENT\r\n", text, flags=re.S)
    out = {}
    for b in blocks:
        uid = re.search(r"^UID:(.*)$", b.replace("\r\n ", ""), flags=re.M).group(1)
        assert uid.strip() not in out, f"two VEVENTs with UID {uid}"
        out[uid.strip()] = b
    return out


def prop(block: str, name: str) -> str | None:
    m = re.search(rf"^{name}[;:](.*)$", block.replace("\r\n ", ""), flags=re.M)
    return m.group(1).rstrip("\r") if m else None


def ben_meeting_uid(folder: Path) -> str:
    (uid,) = (
        u
        for u, b in vevents(feeds(folder)["people/ect-ben.ics"]).items()
        if "meeting" in prop(b, "SUMMARY")
    )
    return uid


def offset(wall: datetime, tz) -> timedelta:
    """UTC offset of a wall-clock time in a tzinfo of any provider."""
    if hasattr(tz, "localize"):  # pytz-style
        return tz.localize(wall).utcoffset()
    return wall.replace(tzinfo=tz).utcoffset()


def attending(e: Event) -> list[str]:
    return [p for p in e.people if p not in e.missed]


def expected_items(problem, plan: Plan, rel: str) -> list[tuple[date, int, int]]:
    """What a feed should hold, from feeds.md's rules restated independently."""
    kind, ident = rel.removesuffix(".ics").split("/")
    if kind == "schools":
        evs = [
            e
            for e in plan.events
            if e.venue == ident
            or any(problem.people[p].school == ident for p in attending(e))
        ]
        return sorted((e.date, e.start, e.end) for e in evs)
    if kind == "people":
        return sorted(
            (e.date, e.start, e.end) for e in plan.events if ident in attending(e)
        )
    return sorted(
        [(e.date, e.start, e.end) for e in plan.events if e.mentor == ident]
        + [(t.date, t.depart, t.arrive) for t in plan.travel if t.mentor == ident]
    )


def local(dt: datetime, tz: str) -> tuple[date, int]:
    """A parsed DTSTART/DTEND as (local date, minutes since local midnight)."""
    assert dt.tzinfo is not None, "floating time"
    dt = dt.astimezone(ZoneInfo(tz))
    return dt.date(), dt.hour * 60 + dt.minute


def moved(plan: Plan, event_id: str, minutes: int) -> Plan:
    e = plan.event(event_id)
    new = replace(e, start=e.start + minutes, end=e.end + minutes)
    return replace(
        plan, events=tuple(new if x.id == event_id else x for x in plan.events)
    )


def without(plan: Plan, event_id: str) -> Plan:
    e = plan.event(event_id)
    gone = Unmet(e.id, e.demand, e.people, e.period, "no slot left")
    return replace(
        plan,
        events=tuple(x for x in plan.events if x.id != event_id),
        unmet=(*plan.unmet, gone),
    )


# -- what is written -------------------------------------------------------------


def test_one_feed_per_school_mentor_and_person(tmp_path, problem, plan):
    paths = write_feeds(problem, plan, tmp_path, now=NOW)
    # 5 schools + 1 mentor + 11 people in the example
    assert len(paths) == 17
    assert {p.relative_to(tmp_path).as_posix() for p in paths} == (
        {f"schools/{s}.ics" for s in problem.schools}
        | {f"mentors/{m}.ics" for m in problem.mentors}
        | {f"people/{p}.ics" for p in problem.people}
    )
    assert paths == sorted(paths)
    # written atomically: no temporary files left behind, readable by a server
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == sorted(
        [STATE_FILE, *(p.name for p in paths)]
    )
    assert all(p.stat().st_mode & 0o777 == 0o644 for p in paths)


def test_now_defaults_to_the_clock(tmp_path, problem, plan):
    write_feeds(problem, plan, tmp_path)
    stamps = re.findall(
        rb"^DTSTAMP:(\d{8}T\d{6})Z\r$",
        (tmp_path / "mentors/em-sarah.ics").read_bytes(),
        flags=re.M,
    )
    assert len(stamps) == 24
    for s in stamps:
        when = datetime.strptime(s.decode(), "%Y%m%dT%H%M%S").replace(tzinfo=UTC)
        assert abs(datetime.now(UTC) - when) < timedelta(minutes=5)


def test_every_feed_parses_in_icalendar(out):
    for rel, raw in feeds(out).items():
        cal = Calendar.from_ical(raw)
        assert [c.errors for c in cal.walk() if c.errors] == [], rel
        assert cal.get_missing_tzids() == set(), rel
        assert cal.get_used_tzids() <= {"Europe/London"}, rel
        assert [str(tz["TZID"]) for tz in cal.timezones] == ["Europe/London"], rel
        assert str(cal["VERSION"]) == "2.0"
        assert str(cal["PRODID"]).startswith("-//mentor-sched//")
        assert cal["NAME"] == cal["X-WR-CALNAME"]
        assert "METHOD" not in cal
        for ev in cal.events:
            assert "ORGANIZER" not in ev and "ATTENDEE" not in ev, rel


def test_every_feed_parses_in_ical_strict(out, problem, plan):
    for rel, raw in feeds(out).items():
        cal = IcsCalendarStream.calendar_from_ics(raw.decode("utf-8"))
        assert len(cal.events) == len(expected_items(problem, plan, rel)), rel


def test_every_feed_parses_in_vobject_with_validation(out, problem, plan):
    for rel, raw in feeds(out).items():
        cal = vobject.readOne(raw.decode("utf-8"), validate=True)
        events = [c for c in cal.components() if c.name == "VEVENT"]
        assert len(events) == len(expected_items(problem, plan, rel)), rel
        for ev in events:  # the only parser that notices these missing
            assert ev.uid.value and ev.dtstamp.value


def test_events_round_trip_to_the_plan(out, problem, plan):
    n = 0
    for rel, raw in feeds(out).items():
        cal = Calendar.from_ical(raw)
        got = []
        for ev in cal.events:
            day, start = local(ev.start, problem.timezone)
            end_day, end = local(ev.end, problem.timezone)
            assert end_day == day
            got.append((day, start, end))
        assert sorted(got) == expected_items(problem, plan, rel), rel
        n += len(got)
    # Schools: 9 one-school events + CCF 1 at Stour Valley with Lucy (Clare) and
    # Josh (Hadleigh), Ella (Lavenham) missing: 3 + CCF 2 at Sudbury: 4 = 16.
    # Mentor: 11 events + 13 trips = 24. People: 9 one-person events + 3 + 3 = 15.
    assert n == 16 + 24 + 15


def test_titles_locations_and_descriptions(out):
    mentor = unfold(feeds(out)["mentors/em-sarah.ics"])
    summaries = re.findall(r"^SUMMARY:(.*)\r$", mentor, flags=re.M)
    for title in [
        r"Expert Mentor: observation\, Ben Carter (Y1 ECT)",
        r"Expert Mentor: meeting\, Nia Evans (Y1 ECT)",
        r"Expert Mentor: meeting\, Omar Haddad (Y2 ECT) (online)",
        r"Expert Mentor: observation\, Lucy Marsh (trainee)",
        "CCF session 1 of 8: High expectations",
        "CCF session 2 of 8: How pupils learn",
        "Expert Mentor cover: Grace Holt released (13:15-15:15)",
        "Travel: Base → Sudbury Meadow Primary",
        "Travel: Clare Castle Primary → Sudbury Meadow Primary",
    ]:
        assert title in summaries
    cal = Calendar.from_ical(feeds(out)["mentors/em-sarah.ics"])
    by_summary = {str(e["SUMMARY"]): e for e in cal.events}
    online = by_summary["Expert Mentor: meeting, Omar Haddad (Y2 ECT) (online)"]
    assert str(online["LOCATION"]) == "Online" and "GEO" not in online
    obs = by_summary["Expert Mentor: observation, Ben Carter (Y1 ECT)"]
    assert str(obs["LOCATION"]) == "Sudbury Meadow Primary"
    assert (obs["GEO"].latitude, obs["GEO"].longitude) == (52.0389, 0.73)
    assert "GEO:52.0389;0.73\r\n" in mentor
    assert str(obs["DESCRIPTION"]) == (
        "Expert Mentor: Sarah Okafor\nVenue: Sudbury Meadow Primary\n"
        "With: Ben Carter (Y1 ECT)"
    )
    ccf = by_summary["CCF session 1 of 8: High expectations"]
    assert "With: Lucy Marsh (trainee), Josh Patel (trainee), Sam Idowu (trainee)" in (
        str(ccf["DESCRIPTION"])
    )
    assert "Unable to attend: Ella Brooks (trainee)" in str(ccf["DESCRIPTION"])


def test_calendar_properties_on_raw_lines(out):
    for rel, raw in feeds(out).items():
        text = raw.decode("utf-8")
        assert "\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in text, rel
        assert "\r\nX-PUBLISHED-TTL:PT1H\r\n" in text, rel
        assert "\r\nCALSCALE:GREGORIAN\r\n" in text, rel
        for forbidden in ("METHOD", "ORGANIZER", "ATTENDEE"):
            assert not re.search(rf"^{forbidden}[;:]", text, flags=re.M), rel
        # no floating times: every DTSTART/DTEND names its zone
        for block in vevents(raw).values():
            for name in ("DTSTART", "DTEND"):
                assert prop(block, name).startswith("TZID=Europe/London:"), block


def test_london_zone_is_rrule_style(out):
    raw = feeds(out)["schools/sudbury-primary.ics"].decode()
    block = re.search(r"BEGIN:VTIMEZONE\r\n.*?END:VTIMEZONE\r\n", raw, flags=re.S)
    assert block.group(0) == (
        "BEGIN:VTIMEZONE\r\nTZID:Europe/London\r\n"
        "BEGIN:DAYLIGHT\r\nDTSTART:19700329T010000\r\n"
        "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\nTZNAME:BST\r\n"
        "TZOFFSETFROM:+0000\r\nTZOFFSETTO:+0100\r\nEND:DAYLIGHT\r\n"
        "BEGIN:STANDARD\r\nDTSTART:19701025T020000\r\n"
        "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\nTZNAME:GMT\r\n"
        "TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0000\r\nEND:STANDARD\r\n"
        "END:VTIMEZONE\r\n"
    )
    assert "COMMENT" not in raw


def test_a_feed_with_no_events_still_has_its_zone(out):
    # Ella Brooks is on placement from February: she misses both CCF sessions.
    raw = feeds(out)["people/tr-ella.ics"]
    assert "BEGIN:VEVENT" not in raw.decode()
    assert b"BEGIN:VTIMEZONE\r\nTZID:Europe/London\r\n" in raw
    IcsCalendarStream.calendar_from_ics(raw.decode())
    vobject.readOne(raw.decode(), validate=True)


# -- the zone against zoneinfo ------------------------------------------------------


def year_round_plan(plan: Plan, tz: str) -> Plan:
    """One event every week of 2027 and on both sides of every offset change."""
    zone = ZoneInfo(tz)
    days = [date(2027, 1, 4) + timedelta(weeks=w) for w in range(52)]
    day = date(2027, 1, 1)
    while day.year == 2027:
        noon = datetime.combine(day, datetime.min.time(), zone) + timedelta(hours=12)
        if noon.utcoffset() != (noon + timedelta(days=1)).utcoffset():
            days += [day, day + timedelta(days=1), day + timedelta(days=2)]
        day += timedelta(days=1)
    events = tuple(
        event(f"ect1-meetings/ect-ben/{i}", "sudbury-primary", d, "09:00", "09:45")
        for i, d in enumerate(sorted(days))
    )
    return replace(plan, events=events, travel=())


ZONES = [
    "Europe/London",
    "Europe/Dublin",  # negative DST in tzdata
    "America/New_York",  # second Sunday of March, first Sunday of November
    "Australia/Sydney",  # southern hemisphere: DST across the new year
    "Pacific/Chatham",  # +12:45 / +13:45
    "Asia/Kolkata",  # no DST
]


@pytest.mark.parametrize("tz", ZONES)
def test_zone_matches_zoneinfo_at_every_event_start(tmp_path, problem, plan, tz):
    prob = replace(problem, timezone=tz)
    plan = year_round_plan(plan, tz)
    write_feeds(prob, plan, tmp_path, now=NOW)
    raw = (tmp_path / "schools/sudbury-primary.ics").read_bytes()
    text = raw.decode()
    assert "RDATE" not in text
    # Read the VTIMEZONE as the file states it, not by its name: vobject builds
    # a dateutil zone from it (what Radicale does), icalendar from its rules.
    vcal = vobject.readOne(text, validate=True)
    vtz = vcal.vtimezone.gettzinfo()
    ictz = Calendar.from_ical(raw).timezones[0].to_tz(lookup_tzid=False)
    zone = ZoneInfo(tz)
    starts = re.findall(rf"^DTSTART;TZID={tz}:(\d{{8}}T\d{{6}})\r$", text, flags=re.M)
    assert len(starts) == len(plan.events)
    for value in starts:
        wall = datetime.strptime(value, "%Y%m%dT%H%M%S")
        want = wall.replace(tzinfo=zone).utcoffset()
        assert offset(wall, vtz) == want, (value, "vobject")
        assert offset(wall, ictz) == want, (value, "icalendar")
    for ev in vcal.vevent_list:
        got = local(ev.dtstart.value, tz)
        assert got in {(e.date, e.start) for e in plan.events}


# Morocco leaves +01 for Ramadan, which moves every year: no yearly rule.
@pytest.mark.parametrize("tz", ["Africa/Casablanca", "UTC"])
def test_irregular_zone_or_utc_is_written_in_utc(tmp_path, problem, plan, tz):
    plan = year_round_plan(plan, tz)
    write_feeds(replace(problem, timezone=tz), plan, tmp_path, now=NOW)
    raw = (tmp_path / "schools/sudbury-primary.ics").read_bytes()
    text = unfold(raw)
    assert f"TZID={tz}" not in text
    starts = re.findall(r"^DTSTART:(\d{8}T\d{6}Z)\r$", text, flags=re.M)
    assert len(starts) == len(plan.events)
    cal = Calendar.from_ical(raw)
    assert cal.get_missing_tzids() == set()
    got = sorted(local(e.start, tz) for e in cal.events)
    assert got == sorted((e.date, e.start) for e in plan.events)
    IcsCalendarStream.calendar_from_ics(raw.decode())
    vobject.readOne(raw.decode(), validate=True)


# -- golden files ------------------------------------------------------------------


def without_dtstamp(raw: bytes) -> bytes:
    return b"".join(
        line
        for line in raw.splitlines(keepends=True)
        if not line.startswith(b"DTSTAMP")
    )


@pytest.mark.parametrize("rel", GOLDEN_FEEDS)
def test_golden(out, rel):
    golden = GOLDEN / rel.replace("/", "-")
    raw = (out / rel).read_bytes()
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_bytes(raw)
    assert without_dtstamp(raw) == without_dtstamp(golden.read_bytes())


# -- privacy ---------------------------------------------------------------------------


def tempting_plan(problem, plan: Plan) -> Plan:
    """Other schools' people at a school's venue, and a group mixing schools."""
    everyone = tuple(problem.people)
    extra = (
        # a Stour Valley ECT met at Sudbury
        event(
            "ect1-meetings/ect-nia/2",
            "sudbury-primary",
            date(2027, 1, 18),
            "13:15",
            "14:00",
        ),
        # a group of everyone, at Sudbury and online
        event(
            "peer-groups/1",
            "sudbury-primary",
            date(2027, 1, 19),
            "15:45",
            "17:00",
            people=everyone,
            missed=("tr-josh", "ect-ben"),
            kind="group",
        ),
        event(
            "peer-groups/2",
            "online",
            date(2027, 1, 26),
            "15:45",
            "17:00",
            people=everyone,
            kind="group",
        ),
        # a cover at one school of a mentor from another
        event(
            "cover-dev-training",
            "clare-primary",
            date(2027, 3, 1),
            "09:50",
            "12:10",
            people=("sm-dev",),
        ),
    )
    return replace(plan, events=plan.events + extra).sorted()


def name_words(person) -> set[str]:
    return {*person.name.split(), person.id}


def test_school_feed_names_no_one_from_another_school(tmp_path, problem, plan):
    write_feeds(problem, tempting_plan(problem, plan), tmp_path, now=NOW)
    written = feeds(tmp_path)
    for school in problem.schools:
        text = unfold(written[f"schools/{school}.ics"])
        for p in problem.people.values():
            found = {
                w for w in name_words(p) if re.search(rf"\b{re.escape(w)}\b", text)
            }
            if p.school == school:
                continue
            assert not found, f"{school} feed names {p.id} ({found})"
    sudbury = unfold(written["schools/sudbury-primary.ics"])
    # the tempting group: 11 invited, Ben (own) and Josh missed
    assert "With: 9 people from 4 other schools" in sudbury
    assert "Unable to attend: Ben Carter (Y1 ECT)" in sudbury
    assert r"Expert Mentor: meeting\, an ECT from another school" in sudbury
    assert "With: Ben Carter (Y1 ECT) + 10 people from 4 other schools" in sudbury
    clare = unfold(written["schools/clare-primary.ics"])
    assert "Expert Mentor cover: a school mentor from another school released" in clare


def test_person_feed_holds_only_their_events_and_names(tmp_path, problem, plan):
    plan = tempting_plan(problem, plan)
    write_feeds(problem, plan, tmp_path, now=NOW)
    written = feeds(tmp_path)
    for p in problem.people.values():
        raw = written[f"people/{p.id}.ics"]
        assert len(vevents(raw)) == len(
            [e for e in plan.events if p.id in attending(e)]
        )
        text = unfold(raw)
        for q in problem.people.values():
            if q.school != p.school:
                assert not any(
                    re.search(rf"\b{re.escape(w)}\b", text) for w in name_words(q)
                ), f"{p.id}'s feed names {q.id}"


def test_no_notes_or_reasons_anywhere(tmp_path, problem, plan):
    write_feeds(problem, without(plan, "ect1-meetings/ect-ben/1"), tmp_path, now=NOW)
    everything = b"".join(feeds(tmp_path).values()).decode()
    everything += (tmp_path / STATE_FILE).read_text()
    # notes of the example's absences and holidays, and the unmet reasons
    for secret in ("jury service", "external moderation", "half term", "no slot left"):
        assert secret not in everything.lower()
    assert "closed on" not in everything


# -- change over time ----------------------------------------------------------------


def test_unchanged_plan_gives_byte_identical_files(tmp_path, problem, plan):
    write_feeds(problem, plan, tmp_path, now=NOW)
    first = feeds(tmp_path)
    state = (tmp_path / STATE_FILE).read_bytes()
    mtimes = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*.ics")}
    write_feeds(problem, plan, tmp_path, now=NOW + timedelta(days=3))
    assert feeds(tmp_path) == first
    assert (tmp_path / STATE_FILE).read_bytes() == state
    assert {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*.ics")} == mtimes


def test_moving_one_event_raises_its_sequence_only(tmp_path, problem, plan):
    target = "ect1-meetings/ect-ben/1"
    write_feeds(problem, plan, tmp_path, now=NOW)
    before = feeds(tmp_path)
    later = NOW + timedelta(days=1)
    write_feeds(problem, moved(plan, target, 15), tmp_path, now=later)
    after = feeds(tmp_path)
    changed = set()
    for rel in before:
        old, new = vevents(before[rel]), vevents(after[rel])
        assert old.keys() == new.keys(), rel
        for uid in old:
            if old[uid] != new[uid]:
                changed.add(uid)
                assert prop(old[uid], "SEQUENCE") == "0"
                assert prop(new[uid], "SEQUENCE") == "1"
                assert prop(new[uid], "DTSTART") == "TZID=Europe/London:20270111T133000"
                assert prop(new[uid], "DTSTAMP") == "20270106T090000Z"
    # the same one UID changed, in Ben's, Sudbury's and the mentor's feeds
    assert len(changed) == 1
    assert sum(before[r] != after[r] for r in before) == 3
    # moving it back is another change: SEQUENCE never goes down
    write_feeds(problem, plan, tmp_path, now=later + timedelta(days=1))
    block = vevents(feeds(tmp_path)["people/ect-ben.ics"])[ben_meeting_uid(tmp_path)]
    assert prop(block, "DTSTART") == "TZID=Europe/London:20270111T131500"
    assert prop(block, "SEQUENCE") == "2"


def test_a_new_venue_is_a_change_but_not_a_new_sequence(tmp_path, problem, plan):
    target = "ect2-meetings/ect-omar/0"
    write_feeds(problem, plan, tmp_path, now=NOW)
    e = plan.event(target)
    there = replace(e, venue="stour-academy")
    plan2 = replace(
        plan, events=tuple(there if x.id == target else x for x in plan.events)
    )
    write_feeds(problem, plan2, tmp_path, now=NOW + timedelta(days=1))
    (block,) = vevents(feeds(tmp_path)["people/ect-omar.ics"]).values()
    assert prop(block, "LOCATION") == "Stour Valley Academy"
    assert prop(block, "SEQUENCE") == "0"
    assert prop(block, "DTSTAMP") == "20270106T090000Z"


def test_cancelled_event_shows_for_the_grace_period_then_goes(tmp_path, problem, plan):
    target = "ect1-meetings/ect-ben/1"
    write_feeds(problem, plan, tmp_path, now=NOW)
    uid = ben_meeting_uid(tmp_path)
    cancel = NOW + timedelta(days=1)
    gone = without(plan, target)
    write_feeds(problem, gone, tmp_path, now=cancel)
    shown = feeds(tmp_path)
    holders = {rel for rel, raw in shown.items() if uid in vevents(raw)}
    assert holders == {
        "people/ect-ben.ics",
        "schools/sudbury-primary.ics",
        "mentors/em-sarah.ics",
    }
    for rel in holders:
        block = vevents(shown[rel])[uid]
        assert prop(block, "STATUS") == "CANCELLED"
        assert prop(block, "TRANSP") == "TRANSPARENT"
        assert prop(block, "SEQUENCE") == "1"
        assert prop(block, "SUMMARY").startswith(
            r"Cancelled: Expert Mentor: meeting\, Ben"
        )
        assert prop(block, "DTSTART") == "TZID=Europe/London:20270111T131500"
        assert prop(block, "DTSTAMP") == "20270106T090000Z"
    cal = IcsCalendarStream.calendar_from_ics(shown["people/ect-ben.ics"].decode())
    assert sorted(e.status.value for e in cal.events) == ["CANCELLED", "CONFIRMED"]
    # still there, unchanged, just before the grace period ends
    write_feeds(problem, gone, tmp_path, now=cancel + GRACE - timedelta(seconds=1))
    assert feeds(tmp_path) == shown
    # then dropped from every feed
    write_feeds(problem, gone, tmp_path, now=cancel + GRACE)
    assert not any(uid in vevents(raw) for raw in feeds(tmp_path).values())
    # and if it comes back, its SEQUENCE carries on from the cancellation
    write_feeds(problem, plan, tmp_path, now=cancel + GRACE + timedelta(days=1))
    block = vevents(feeds(tmp_path)["people/ect-ben.ics"])[uid]
    assert (prop(block, "SEQUENCE"), prop(block, "STATUS")) == ("2", "CONFIRMED")


def test_a_removed_trip_goes_at_once(tmp_path, problem, plan):
    write_feeds(problem, plan, tmp_path, now=NOW)
    before = vevents(feeds(tmp_path)["mentors/em-sarah.ics"])
    fewer = replace(plan, travel=plan.travel[1:])
    write_feeds(problem, fewer, tmp_path, now=NOW + timedelta(days=1))
    after = vevents(feeds(tmp_path)["mentors/em-sarah.ics"])
    assert len(after) == len(before) - 1
    assert "Cancelled" not in "".join(after.values())
    assert all(after[u] == before[u] for u in after)


def test_uids_are_stable_and_name_no_one(tmp_path, problem, plan):
    write_feeds(problem, plan, tmp_path, now=NOW)
    first = {rel: sorted(vevents(raw)) for rel, raw in feeds(tmp_path).items()}
    other = tmp_path / "again"
    write_feeds(problem, moved(plan, "ect1-meetings/ect-ben/1", 60), other, now=NOW)
    assert {rel: sorted(vevents(raw)) for rel, raw in feeds(other).items()} == first
    uids = {u for us in first.values() for u in us}
    assert len(uids) == len(plan.events) + len(plan.travel)
    for uid in uids:
        assert uid.endswith("@stour-valley-expert-mentor-cluster.mentor-sched")
        assert not any(p.split("-")[-1] in uid for p in problem.people), uid


# -- syntax on the raw bytes ----------------------------------------------------


def test_crlf_and_folding_at_75_octets(tmp_path, problem, plan):
    # A long name with multi-octet characters forces folds inside UTF-8 text.
    long_name = "Ysgol Gynradd " + "éàü→" * 12
    schools = dict(problem.schools)
    schools["sudbury-primary"] = replace(schools["sudbury-primary"], name=long_name)
    write_feeds(replace(problem, schools=schools), plan, tmp_path, now=NOW)
    raw = (tmp_path / "schools/sudbury-primary.ics").read_bytes()
    assert raw.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert b"\r" not in raw.replace(b"\r\n", b"")
    lines = raw.split(b"\r\n")[:-1]
    assert max(len(line) for line in lines) <= 75
    folded = [line for line in lines if line.startswith(b" ")]
    assert len(folded) >= 3
    for line in lines:
        line.decode("utf-8")  # never splits a character between lines
    assert f"LOCATION:{long_name}\r\n" in unfold(raw)
    assert Calendar.from_ical(raw).events[0]["LOCATION"] == long_name
    for rel, raw in feeds(tmp_path).items():
        assert all(len(line) <= 75 for line in raw.split(b"\r\n")), rel


def test_text_values_are_escaped(out):
    raw = unfold(feeds(out)["mentors/em-sarah.ics"])
    assert r"SUMMARY:Expert Mentor: meeting\, Ben Carter (Y1 ECT)" in raw
    assert r"DESCRIPTION:Expert Mentor: Sarah Okafor\nVenue: Sudbury" in raw


def test_state_file_remembers_every_uid(out, plan):
    state = json.loads((out / STATE_FILE).read_text())
    entries = state["uids"].values()
    assert sorted(e["id"] for e in entries if e["kind"] == "event") == sorted(
        e.id for e in plan.events
    )
    assert {(e["sequence"], e["status"]) for e in entries} == {(0, "live")}
