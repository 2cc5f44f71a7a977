"""serve (issue 13), as a real ``mentor-sched serve`` process on 127.0.0.1
spoken to with httpx: validators and 304, HEAD, gzip, one 404 for every miss,
a school's page with only its own people, an adopt served without a restart,
and no token in the logs."""

from __future__ import annotations

import gzip
import subprocess
import sys
import time

import httpx
import pytest
from live_fixtures import (
    CLOSED,
    LIVE,
    free_port,
    run_cli,
    tokens_of,
    workspace,
)

from mentor_sched import load
from mentor_sched.live.tokens import short_hash


class Server:
    def __init__(self, ws, port: int) -> None:
        self.ws = ws
        self.base = f"http://127.0.0.1:{port}"
        self.log = ws / "serve.log"
        self.proc = subprocess.Popen(  # the default --host: loopback
            [
                sys.executable,
                "-c",
                "from mentor_sched.cli import main; main()",
                "serve",
                LIVE,
                "--port",
                str(port),
            ],
            cwd=ws,
            stdout=subprocess.DEVNULL,
            stderr=self.log.open("wb"),
        )
        # plain bodies unless a test asks for gzip (httpx asks by default)
        self.client = httpx.Client(
            base_url=self.base, timeout=10, headers={"Accept-Encoding": "identity"}
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                self.client.get("/ready")
                return
            except httpx.TransportError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(self.log.read_text()) from None
                time.sleep(0.1)

    def stop(self) -> str:
        self.client.close()
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        return self.log.read_text(encoding="utf-8", errors="replace")


@pytest.fixture
def ws(tmp_path_factory, tmp_path):
    ws = workspace(tmp_path_factory, tmp_path)
    run_cli("tokens", LIVE, cwd=ws)
    return ws


@pytest.fixture
def server(ws):
    s = Server(ws, free_port())
    yield s
    s.stop()


def feed(ws, school: str) -> str:
    return f"/f/{tokens_of(ws)['schools'][school]}.ics"


def test_feed_etag_304_head_and_gzip(ws, server):
    path = feed(ws, "clare-primary")
    r = server.client.get(path)
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/calendar; charset=utf-8"
    assert r.content == (ws / LIVE / "schools" / "clare-primary.ics").read_bytes()
    etag = r.headers["etag"]
    assert etag.startswith('"') and not etag.startswith("W/")  # strong
    assert "max-age" in r.headers["cache-control"]
    assert r.headers["last-modified"].endswith("GMT")
    # the same bytes, the same ETag
    assert server.client.get(path).headers["etag"] == etag
    r304 = server.client.get(path, headers={"If-None-Match": etag})
    assert r304.status_code == 304 and r304.content == b""
    assert r304.headers["etag"] == etag
    since = server.client.get(
        path, headers={"If-Modified-Since": r.headers["last-modified"]}
    )
    assert since.status_code == 304
    older = server.client.get(
        path, headers={"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}
    )
    assert older.status_code == 200
    other = server.client.get(path, headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200
    head = server.client.head(path)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["etag"] == etag
    assert int(head.headers["content-length"]) == len(r.content)
    # gzip when asked (httpx asks and decodes): the same calendar, its own ETag
    raw = httpx.get(server.base + path, headers={"Accept-Encoding": "gzip"}, timeout=10)
    assert raw.headers["content-encoding"] == "gzip"
    assert raw.content == r.content
    assert raw.headers["etag"] != etag
    with httpx.stream(
        "GET", server.base + path, headers={"Accept-Encoding": "gzip"}
    ) as s:
        packed = b"".join(s.iter_raw())
    assert gzip.decompress(packed) == r.content
    plain = server.client.get(path, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert plain.headers["etag"] == etag


def test_every_miss_is_the_same_404(ws, server):
    missing = server.client.get("/no/such/path")
    assert missing.status_code == 404

    def same(r: httpx.Response) -> None:
        assert r.status_code == 404
        assert r.content == missing.content
        drop = {"date"}
        assert {k: v for k, v in r.headers.items() if k not in drop} == {
            k: v for k, v in missing.headers.items() if k not in drop
        }

    stored = tokens_of(ws)
    good = stored["schools"]["clare-primary"]
    same(server.client.get("/f/" + "A" * len(good) + ".ics"))  # unknown token
    same(server.client.get("/f/" + good[:-1] + ".ics"))  # one character short
    same(server.client.get("/f/../" + good + ".ics"))
    same(server.client.get(f"/c/{good}"))  # a school's token is not the index's
    same(server.client.get(f"/p/{stored['coordinator']}"))
    # a rotated token stops working at once, without a restart
    assert server.client.get(f"/f/{good}.ics").status_code == 200
    run_cli("tokens", LIVE, "--rotate", "clare-primary", cwd=ws)
    same(server.client.get(f"/f/{good}.ics"))
    same(server.client.get(f"/p/{good}"))
    assert server.client.get(feed(ws, "clare-primary")).status_code == 200
    # HEAD of a miss: the same headers, no body
    head = server.client.head(f"/f/{good}.ics")
    assert head.status_code == 404 and head.content == b""
    assert head.headers["content-length"] == missing.headers["content-length"]


def test_school_page_names_only_its_own_people(ws, server):
    problem = load(ws / "scenarios" / "stour-valley" / "cluster.yaml")
    stored = tokens_of(ws)
    for school, token in stored["schools"].items():
        r = server.client.get(f"/p/{token}")
        assert r.status_code == 200
        assert r.headers["content-type"] == "text/html; charset=utf-8"
        page = r.text
        assert problem.schools[school].name in page
        own = [p for p in problem.people.values() if p.school == school]
        others = [p for p in problem.people.values() if p.school != school]
        for p in others:
            assert p.name not in page, f"{school}'s page names {p.name}"
        assert any(p.name in page for p in own)
        for note in ("jury service", "external moderation"):  # absence notes
            assert note not in page
        again = server.client.get(
            f"/p/{token}", headers={"If-None-Match": r.headers["etag"]}
        )
        assert again.status_code == 304


def test_coordinator_index_lists_every_url(ws, server):
    stored = tokens_of(ws)
    r = server.client.get(f"/c/{stored['coordinator']}")
    assert r.status_code == 200
    assert "no-store" in r.headers["cache-control"]
    for kind in ("schools", "mentors", "people"):
        for token in stored[kind].values():
            assert f"/f/{token}.ics" in r.text


def test_adopt_is_served_without_restart_and_changes_only_changed_etags(ws, server):
    stored = tokens_of(ws)
    old_run = (ws / LIVE).resolve()
    before = {
        s: server.client.get(f"/f/{t}.ics").headers["etag"]
        for s, t in stored["schools"].items()
    }
    run_cli("adopt", CLOSED, "--into", LIVE, cwd=ws)
    new_run = (ws / LIVE).resolve()
    assert new_run != old_run
    changed = 0
    for school, token in stored["schools"].items():
        old = (old_run / "schools" / f"{school}.ics").read_bytes()
        new = (new_run / "schools" / f"{school}.ics").read_bytes()
        r = server.client.get(f"/f/{token}.ics")
        assert r.status_code == 200
        assert r.content == new  # the adopted plan, at once
        cond = server.client.get(
            f"/f/{token}.ics", headers={"If-None-Match": before[school]}
        )
        if old == new:
            assert r.headers["etag"] == before[school], school
            assert cond.status_code == 304
        else:
            assert r.headers["etag"] != before[school], school
            assert cond.status_code == 200
            changed += 1
    assert changed >= 1  # Lavenham's snow day changes Lavenham's feed at least


def test_logs_hold_no_token(ws):
    server = Server(ws, free_port())
    stored = tokens_of(ws)
    token = stored["schools"]["sudbury-primary"]
    server.client.get(f"/f/{token}.ics")
    server.client.get(f"/p/{token}")
    server.client.get(f"/c/{stored['coordinator']}")
    server.client.get("/f/" + "B" * 32 + ".ics")
    log = server.stop()
    assert short_hash(token) in log  # requests are logged, by a short hash
    for t in [stored["coordinator"]] + [
        t for k in ("schools", "mentors", "people") for t in stored[k].values()
    ]:
        assert t not in log
    assert "B" * 32 not in log
