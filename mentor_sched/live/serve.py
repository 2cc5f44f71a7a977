"""``serve``: the live plan's feeds and pages at secret URLs (Starlette, uvicorn).

Paths (``tokens.py`` makes the tokens):

- ``/f/<token>.ics``: the feed of that school, mentor or person,
  ``text/calendar; charset=utf-8``;
- ``/p/<token>``: their own timetable page, made from that feed (a school's
  page names only its own people);
- ``/c/<coordinator token>``: the index of every URL.

Every response of a feed or page carries a strong ETag (a hash of the bytes
sent: the gzip form has its own), Last-Modified (when the run holding it was
written) and Cache-Control, answers If-None-Match and If-Modified-Since with
304, HEAD like GET without the body, and gzip when the client accepts it.

Each request looks up the live link again, so an adopt or a solve is served at
once, without a restart; a run is read once and kept in memory (runs never
change after they are switched in). The tokens file is read again when it
changes, so a rotated token stops working at once. A token is looked up by its
SHA-256 and then compared with ``hmac.compare_digest``; an unknown, rotated or
malformed token gets the very same 404 as any path that does not exist. Logs
never hold a token or a path with one, only the first 8 hex digits of its
SHA-256.
"""

from __future__ import annotations

import gzip
import hashlib
import hmac
import logging
import os
import re
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from html import escape
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from . import Subject, current_run, live_path, subjects
from .feeds import read_feed
from .pages import feed_page
from .tokens import (
    feed_url,
    page_url,
    read_tokens,
    short_hash,
    sync_tokens,
    tokens_path,
    webcal,
)

log = logging.getLogger("mentor_sched.serve")

NOT_FOUND = b"Not Found\n"
_NOT_FOUND_HEADERS = {
    "content-type": "text/plain; charset=utf-8",
    "cache-control": "no-store",
}
FEED_CACHE = "private, max-age=300, must-revalidate"
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,128}")
_SECURITY = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-robots-tag": "noindex, nofollow",
}


@dataclass(frozen=True)
class _Body:
    """One resource in its two encodings, with its validators."""

    raw: bytes
    gz: bytes
    etag: str
    etag_gz: str
    modified: datetime  # whole seconds, UTC
    media: str

    @classmethod
    def of(cls, raw: bytes, modified: datetime, media: str) -> _Body:
        gz = gzip.compress(raw, compresslevel=6, mtime=0)
        return cls(
            raw,
            gz,
            f'"{hashlib.sha256(raw).hexdigest()[:32]}"',
            f'"{hashlib.sha256(gz).hexdigest()[:32]}-gz"',
            modified.replace(microsecond=0),
            media,
        )


@dataclass
class _Run:
    path: Path
    modified: datetime
    subjects: dict[tuple[str, str], Subject]
    bodies: dict[str, _Body] = field(default_factory=dict)


@dataclass(frozen=True)
class _Table:
    stamp: tuple[int, int, int]
    by_hash: dict[bytes, tuple[str, str, str]]  # sha256 -> (token, kind, id)


class LiveSite:
    """What the server knows: the live folder, its runs and tokens."""

    def __init__(self, live_dir: str | Path, base_url: str) -> None:
        self.live = live_path(live_dir)
        self.base_url = base_url.rstrip("/")
        self._lock = threading.Lock()
        self._run: _Run | None = None
        self._table: _Table | None = None

    # -- state ---------------------------------------------------------------------

    def run(self) -> _Run:
        path = Path(os.path.realpath(self.live))
        cached = self._run
        if cached is not None and cached.path == path:
            return cached
        with self._lock:
            if self._run is None or self._run.path != path:
                run = current_run(self.live)
                modified = datetime.fromtimestamp(
                    (run / "plan.json").stat().st_mtime, UTC
                )
                subs = {(s.kind, s.id): s for s in subjects(run)}
                self._run = _Run(run, modified, subs)
            return self._run

    def table(self) -> _Table:
        path = tokens_path(self.live)
        try:
            st = path.stat()
            stamp = (st.st_mtime_ns, st.st_ino, st.st_size)
        except FileNotFoundError:
            stamp = (0, 0, 0)
        cached = self._table
        if cached is not None and cached.stamp == stamp:
            return cached
        with self._lock:
            tokens = read_tokens(self.live)
            by_hash: dict[bytes, tuple[str, str, str]] = {}
            if tokens is not None:
                by_hash[_digest(tokens.coordinator)] = (tokens.coordinator, "index", "")
                for kind, ids in tokens.by_kind.items():
                    for ident, token in ids.items():
                        by_hash[_digest(token)] = (token, kind, ident)
            self._table = _Table(stamp, by_hash)
            return self._table

    def lookup(self, token: str) -> tuple[str, str] | None:
        """(kind, id) of a token, or ("index", "") for the coordinator's; None
        for anything else. Compared in constant time."""
        hit = self.table().by_hash.get(_digest(token))
        stored = hit[0] if hit else "-" * len(token)
        if hmac.compare_digest(stored.encode(), token.encode()) and hit:
            return hit[1], hit[2]
        return None

    # -- resources -----------------------------------------------------------------

    def feed(self, run: _Run, s: Subject) -> _Body | None:
        key = "f:" + s.feed
        body = run.bodies.get(key)
        if body is None:
            try:
                raw = (run.path / s.feed).read_bytes()
            except OSError:
                return None
            body = _Body.of(raw, run.modified, "text/calendar; charset=utf-8")
            run.bodies[key] = body
        return body

    def page(self, run: _Run, s: Subject) -> _Body | None:
        key = "p:" + s.feed
        body = run.bodies.get(key)
        if body is None:
            feed = self.feed(run, s)
            if feed is None:
                return None
            html = feed_page(read_feed(feed.raw), s.name)
            body = _Body.of(html.encode(), run.modified, "text/html; charset=utf-8")
            run.bodies[key] = body
        return body

    def index(self, run: _Run) -> _Body:
        tokens = read_tokens(self.live)
        rows = []
        for (kind, ident), s in sorted(run.subjects.items()):
            token = tokens.by_kind.get(kind, {}).get(ident) if tokens else None
            if token is None:
                continue
            feed = feed_url(self.base_url, token)
            rows.append(
                f"<tr><td>{escape(kind)}</td><td>{escape(s.name)}</td>"
                f"<td>{escape(ident)}</td>"
                f'<td><a href="{escape(feed)}">{escape(feed)}</a></td>'
                f'<td><a href="{escape(webcal(feed))}">webcal</a></td>'
                f'<td><a href="{escape(page_url(self.base_url, token))}">page</a>'
                "</td></tr>"
            )
        html = (
            '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            '<meta name="robots" content="noindex"><title>Subscription URLs</title>'
            "<style>body{font:14px system-ui,sans-serif;margin:1.5rem}"
            "td,th{padding:.2rem .5rem;text-align:left}</style></head><body>"
            "<h1>Subscription URLs</h1><p>Each URL is a secret: send a school "
            "only its own. <code>mentor-sched tokens LIVE_DIR --rotate ID</code> "
            "replaces one.</p><table><tr><th>kind</th><th>name</th><th>id</th>"
            "<th>feed</th><th></th><th></th></tr>" + "".join(rows) + "</table>"
            "</body></html>\n"
        )
        return _Body.of(html.encode(), run.modified, "text/html; charset=utf-8")


def _digest(token: str) -> bytes:
    return hashlib.sha256(token.encode("utf-8", "surrogateescape")).digest()


# -- HTTP --------------------------------------------------------------------------


def not_found(head: bool = False) -> Response:
    """The one 404 of the server: for a missing path and a bad token alike."""
    headers = {**_NOT_FOUND_HEADERS, **_SECURITY, "content-length": str(len(NOT_FOUND))}
    return Response(b"" if head else NOT_FOUND, 404, headers=headers)


def _send(request: Request, body: _Body, cache: str) -> Response:
    gz = _accepts_gzip(request.headers.get("accept-encoding", ""))
    data, etag = (body.gz, body.etag_gz) if gz else (body.raw, body.etag)
    headers = {
        "etag": etag,
        "last-modified": format_datetime(body.modified, usegmt=True),
        "cache-control": cache,
        "vary": "Accept-Encoding",
        **_SECURITY,
    }
    if _not_modified(request, body):
        return Response(b"", 304, headers=headers)
    headers["content-type"] = body.media
    headers["content-length"] = str(len(data))
    if gz:
        headers["content-encoding"] = "gzip"
    return Response(b"" if request.method == "HEAD" else data, 200, headers=headers)


def _not_modified(request: Request, body: _Body) -> bool:
    inm = request.headers.get("if-none-match")
    if inm is not None:
        tags = {t.strip().removeprefix("W/") for t in inm.split(",")}
        return "*" in tags or bool(tags & {body.etag, body.etag_gz})
    ims = request.headers.get("if-modified-since")
    if ims:
        try:
            since = parsedate_to_datetime(ims)
        except (TypeError, ValueError, IndexError):
            return False
        if since.tzinfo is None:
            since = since.replace(tzinfo=UTC)
        return body.modified <= since
    return False


def _accepts_gzip(header: str) -> bool:
    for part in header.split(","):
        name, _, params = part.strip().partition(";")
        if name.strip().lower() in ("gzip", "x-gzip"):
            q = params.strip()
            if q.startswith("q="):
                try:
                    return float(q[2:]) > 0
                except ValueError:
                    return False
            return True
    return False


def create_app(live_dir: str | Path, base_url: str) -> Starlette:
    site = LiveSite(live_dir, base_url)

    async def handle(request: Request) -> Response:
        head = request.method == "HEAD"
        path = request.url.path
        what, token = "other", ""
        if path.startswith("/f/") and path.endswith(".ics"):
            what, token = "feed", path[3:-4]
        elif path.startswith("/p/"):
            what, token = "page", path[3:]
        elif path.startswith("/c/"):
            what, token = "index", path[3:]
        response = None
        try:
            if token and _TOKEN.fullmatch(token):
                response = _answer(site, request, what, token)
        except Exception:
            log.exception("%s %s %s: error", request.method, what, short_hash(token))
            response = Response(b"Internal Server Error\n", 500)
        if response is None:
            response = not_found(head)
        log.info(
            "%s %s %s %d",
            request.method,
            what,
            short_hash(token) if token else "-",
            response.status_code,
        )
        return response

    return Starlette(routes=[Route("/{path:path}", handle, methods=["GET", "HEAD"])])


def _answer(site: LiveSite, request: Request, what: str, token: str) -> Response | None:
    hit = site.lookup(token)
    if hit is None:
        return None
    kind, ident = hit
    run = site.run()
    if what == "index":
        if kind != "index":
            return None
        return _send(request, site.index(run), "private, no-store")
    if kind == "index":
        return None
    subject = run.subjects.get((kind, ident))
    if subject is None:  # no longer in the plan: its URL is gone
        return None
    body = site.feed(run, subject) if what == "feed" else site.page(run, subject)
    return None if body is None else _send(request, body, FEED_CACHE)


def serve(live_dir: str | Path, host: str, port: int, base_url: str | None) -> None:
    """Run the server until interrupted; tokens are made on first use."""
    import uvicorn

    sync_tokens(live_dir)
    base = base_url or f"http://{host if ':' not in host else f'[{host}]'}:{port}"
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s"
    )
    app = create_app(live_dir, base)
    uvicorn.run(
        app,
        host=host,
        port=port,
        access_log=False,  # its lines hold the path, and so the token
        server_header=False,
        log_level="info",
        proxy_headers=False,
    )
