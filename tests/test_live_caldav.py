"""caldav-push (issue 13) against a real Radicale on 127.0.0.1: every school's
calendar ends holding exactly its feed's events at the same UTC times, and a
second push changes nothing."""

from __future__ import annotations

import socket
import subprocess
import sys
import time

import pytest
from icalendar import Calendar
from live_fixtures import CLOSED, LIVE, free_port, run_cli, workspace

caldav = pytest.importorskip("caldav")
pytest.importorskip("radicale")

USER, PASSWORD = "coordinator", "not-a-real-secret"


@pytest.fixture
def radicale(tmp_path):
    users = tmp_path / "users"
    users.write_text(f"{USER}:{PASSWORD}\n", encoding="utf-8")
    storage = tmp_path / "collections"
    port = free_port()
    log = (tmp_path / "radicale.log").open("wb")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "radicale",
            "--config",
            "",
            "--server-hosts",
            f"127.0.0.1:{port}",
            "--storage-filesystem-folder",
            str(storage),
            "--auth-type",
            "htpasswd",
            "--auth-htpasswd-filename",
            str(users),
            "--auth-htpasswd-encryption",
            "plain",
        ],
        stdout=log,
        stderr=log,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise AssertionError((tmp_path / "radicale.log").read_text()) from None
            time.sleep(0.1)
    yield f"http://127.0.0.1:{port}/", storage
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    log.close()


def push(ws, url, password_file) -> str:
    return run_cli(
        "caldav-push",
        LIVE,
        "--url",
        url,
        "--user",
        USER,
        "--password-file",
        str(password_file),
        cwd=ws,
    ).stdout


def feed_events(path) -> dict[str, tuple]:
    """UID -> (start, end as UTC instants, SEQUENCE, STATUS)."""
    cal = Calendar.from_ical(path.read_bytes())
    return {str(v["UID"]): feed_events_from(v) for v in cal.walk("VEVENT")}


def server_calendars(url) -> dict[str, object]:
    client = caldav.DAVClient(
        url=url,
        username=USER,
        password=PASSWORD,
        enable_rfc6764=False,
        require_tls=False,
    )
    return {c.get_display_name(): c for c in client.principal().calendars()}


def server_events(calendar) -> dict[str, tuple]:
    out = {}
    for obj in calendar.events():
        events = list(Calendar.from_ical(obj.data).walk("VEVENT"))
        assert len(events) == 1
        uid = str(events[0]["UID"])
        assert uid not in out, f"two resources hold {uid}"
        out[uid] = feed_events_from(events[0])
    return out


def feed_events_from(v) -> tuple:
    return (
        v.decoded("DTSTART").timestamp(),
        v.decoded("DTEND").timestamp(),
        int(v["SEQUENCE"]),
        str(v["STATUS"]),
    )


def assert_server_equals_feeds(ws, url) -> None:
    from mentor_sched import load

    problem = load(ws / "scenarios" / "stour-valley" / "cluster.yaml")
    calendars = server_calendars(url)
    live = ws / LIVE
    for sid, school in problem.schools.items():
        assert school.name in calendars, f"no calendar named {school.name}"
        want = feed_events(live / "schools" / f"{sid}.ics")
        assert server_events(calendars[school.name]) == want, sid


def stored_files(storage) -> dict[str, tuple[bytes, int]]:
    """The server's stored event files (not its caches), with their mtimes."""
    return {
        str(p.relative_to(storage)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(storage.rglob("*.ics"))
        if ".Radicale.cache" not in p.parts
    }


def test_push_makes_each_school_calendar_equal_its_feed(
    tmp_path_factory, tmp_path, radicale
):
    url, storage = radicale
    ws = workspace(tmp_path_factory, tmp_path)
    password = tmp_path / "password"
    password.write_text(PASSWORD + "\n", encoding="utf-8")

    out = push(ws, url, password)
    assert "calendar created" in out
    assert_server_equals_feeds(ws, url)

    # a second push with the same feeds changes nothing on the server
    before = stored_files(storage)
    assert before
    out = push(ws, url, password)
    assert "0 changes on the server" in out, out
    assert stored_files(storage) == before
    assert_server_equals_feeds(ws, url)

    # an event the feed does not have is removed; an adopt's moves and
    # cancellations arrive as updates of the same UIDs
    calendars = server_calendars(url)
    any_school = sorted(calendars)[0]
    calendars[any_school].save_event(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\n"
        "UID:stray@example.org\r\nDTSTAMP:20270101T000000Z\r\n"
        "DTSTART:20270105T100000Z\r\nDTEND:20270105T110000Z\r\n"
        "SUMMARY:stray\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    run_cli("adopt", CLOSED, "--into", LIVE, cwd=ws)
    out = push(ws, url, password)
    assert "updated" in out
    assert_server_equals_feeds(ws, url)


def test_push_with_a_wrong_password_is_refused(tmp_path_factory, tmp_path, radicale):
    url, _ = radicale
    ws = workspace(tmp_path_factory, tmp_path)
    password = tmp_path / "password"
    password.write_text("wrong\n", encoding="utf-8")
    done = run_cli(
        "caldav-push",
        LIVE,
        "--url",
        url,
        "--user",
        USER,
        "--password-file",
        str(password),
        cwd=ws,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
