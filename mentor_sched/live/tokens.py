"""Secret subscription URLs: one unguessable token per school, mentor and person.

A calendar client cannot log in to fetch a feed (Google cannot authenticate
feed fetches, feeds.md), so the URL itself is the secret: ``<base>/f/<token>.ics``
(and ``/p/<token>`` for the subject's own timetable page). Tokens are made with
``secrets`` (192 bits), kept in ``.<live>.secrets/tokens.json`` beside the live
link (mode 0600 in a 0700 folder: outside every run, so nothing that is
published or served holds them) and stay the same across re-solves and
adopts. ``rotate`` replaces one token (the old URL stops working); a school,
mentor or person no longer in the plan loses its token. The coordinator's
index of every URL has a token of its own.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import KINDS, LiveError, Subject, current_run, secrets_dir, subjects

TOKEN_BYTES = 24  # 192 bits
TOKENS_FILE = "tokens.json"
TOKENS_FORMAT = "mentor-sched/tokens@1"
DEFAULT_BASE_URL = "http://127.0.0.1:8080"
COORDINATOR = "coordinator"


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def short_hash(token: str) -> str:
    """What a log may show of a token: 8 hex digits of its SHA-256."""
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()[:8]


@dataclass(frozen=True)
class Tokens:
    """The tokens of a live folder: ``by_kind[kind][id]`` and the index's."""

    coordinator: str
    by_kind: dict[str, dict[str, str]]

    def to_json(self) -> dict[str, Any]:
        return {
            "format": TOKENS_FORMAT,
            "coordinator": self.coordinator,
            **{k: dict(sorted(self.by_kind.get(k, {}).items())) for k in KINDS},
        }


def tokens_path(live_dir: str | Path) -> Path:
    return secrets_dir(live_dir) / TOKENS_FILE


def read_tokens(live_dir: str | Path) -> Tokens | None:
    """The stored tokens, or None if none were made yet."""
    return _read(tokens_path(live_dir))


def sync_tokens(
    live_dir: str | Path, *, rotate: tuple[str, ...] = (), rotate_index: bool = False
) -> tuple[Tokens, list[Subject]]:
    """Give every subject of the live plan a token (new ones on first use),
    drop the tokens of subjects no longer in it, replace those of ``rotate``
    (ids) and, with ``rotate_index``, the coordinator's. Returns the tokens and
    the subjects. LiveError for an id of ``rotate`` that is not a subject."""
    run = current_run(live_dir)
    subs = subjects(run)
    known = {s.id for s in subs}
    unknown = [r for r in rotate if r not in known]
    if unknown:
        raise LiveError(
            f"no school, mentor or person {', '.join(map(repr, unknown))} in the "
            f"live plan of {live_dir}"
        )
    with _locked(live_dir):
        path = tokens_path(live_dir)
        old = _read(path)
        coordinator = old.coordinator if old and not rotate_index else new_token()
        by_kind: dict[str, dict[str, str]] = {k: {} for k in KINDS}
        for s in subs:
            kept = old.by_kind.get(s.kind, {}).get(s.id) if old else None
            by_kind[s.kind][s.id] = (
                kept if kept is not None and s.id not in rotate else new_token()
            )
        tokens = Tokens(coordinator, by_kind)
        if old is None or tokens.to_json() != old.to_json():
            _write(path, tokens)
    return tokens, subs


def feed_url(base: str, token: str) -> str:
    return f"{base.rstrip('/')}/f/{token}.ics"


def page_url(base: str, token: str) -> str:
    return f"{base.rstrip('/')}/p/{token}"


def index_url(base: str, token: str) -> str:
    return f"{base.rstrip('/')}/c/{token}"


def webcal(url: str) -> str:
    """The ``webcal://`` form of an http(s) URL (what Apple and Outlook open as
    a subscription when clicked)."""
    for scheme in ("https://", "http://"):
        if url.startswith(scheme):
            return "webcal://" + url[len(scheme) :]
    return url


def check_base_url(base: str) -> str:
    """``base`` without a trailing slash; LiveError unless it is http(s)://host."""
    if not base.startswith(("http://", "https://")) or "://" not in base:
        raise LiveError(
            f"--base-url must start with https:// or http:// (got {base!r})"
        )
    rest = base.split("://", 1)[1]
    if not rest or rest.startswith("/") or any(c in base for c in "?# \t\r\n"):
        raise LiveError(
            f"--base-url must be like https://calendars.example.org (got {base!r})"
        )
    return base.rstrip("/")


# -- the file --------------------------------------------------------------------


def _read(path: Path) -> Tokens | None:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise LiveError(f"{path}: cannot read the tokens ({exc})") from None
    if not isinstance(doc, dict) or doc.get("format") != TOKENS_FORMAT:
        raise LiveError(f"{path}: not a {TOKENS_FORMAT} file")
    return Tokens(
        str(doc["coordinator"]),
        {k: {str(i): str(t) for i, t in doc.get(k, {}).items()} for k in KINDS},
    )


def _write(path: Path, tokens: Tokens) -> None:
    """Replace the file in one step, mode 0600 from its creation (mkstemp)."""
    data = json.dumps(tokens.to_json(), indent=2) + "\n"
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tokens.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def _locked(live_dir: str | Path) -> Iterator[None]:
    folder = secrets_dir(live_dir)
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        os.chmod(folder, 0o700)
        fd = os.open(folder / ".lock", os.O_RDWR | os.O_CREAT, 0o600)
        lock = os.fdopen(fd, "r+b")
    except OSError as exc:
        raise LiveError(
            f"cannot keep the tokens in {folder}: {exc.strerror or exc}"
        ) from None
    try:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        yield
    finally:
        lock.close()
