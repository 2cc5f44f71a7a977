"""adopt, tokens, serve and caldav-push: the live plan (issue 13)."""

from __future__ import annotations

import json
from typing import Any

import click

from . import _echo, _fail, _fail_invalid, _fail_output


def _live(call: Any) -> Any:
    """Run ``call()``; LiveError and an unusable folder exit 2, a busy one 5, a
    plan that breaks a rule 4, each with its message."""
    from ..live import LiveError
    from ..outputs import InvalidPlan, OutputError

    try:
        return call()
    except LiveError as exc:
        _fail(str(exc))
    except OutputError as exc:
        _fail_output(exc)
    except InvalidPlan as exc:
        _fail_invalid(exc)


@click.command()
@click.argument("run_dir", required=False, type=click.Path(file_okay=False))
@click.option(
    "--into",
    "live_dir",
    type=click.Path(file_okay=False),
    help="The live folder (the one 'solve' writes, e.g. out/<cluster>).",
)
@click.option(
    "--undo",
    is_flag=True,
    help="Put back the plan the last adopt replaced: 'adopt --undo LIVE_DIR'.",
)
def adopt(run_dir: str | None, live_dir: str | None, undo: bool) -> None:
    """Make RUN_DIR (a what-if's folder) the live plan of LIVE_DIR, keeping every
    feed's SEQUENCE and DTSTAMP; write change notices into LIVE_DIR/notices/."""
    from ..live import adopt as live_adopt

    if undo:
        target = live_dir or run_dir
        if target is None or (live_dir and run_dir):
            _fail("give the live folder once: 'mentor-sched adopt --undo LIVE_DIR'")
        done = _live(lambda: live_adopt.undo(target))
    else:
        if run_dir is None or live_dir is None:
            _fail("usage: 'mentor-sched adopt RUN_DIR --into LIVE_DIR'")
        done = _live(lambda: live_adopt.adopt(run_dir, live_dir))
        target = live_dir
    verb = "Put back the previous plan as" if undo else f"Adopted {run_dir} as"
    _echo(
        f"{verb} the live plan of {target}/ (the plan it replaced, run "
        f"{done.replaced}, is kept: 'mentor-sched adopt --undo {target}' "
        "restores it)."
    )
    notes = [n for n in done.notices if n.endswith(".txt")]
    if notes:
        _echo(f"Change notices ({len(notes)}), .txt and .md:")
        for n in notes:
            _echo(f"  {target}/{n}")
    else:
        _echo("No school's or mentor's visits changed; no notices.")


@click.command()
@click.argument("live_dir", type=click.Path(file_okay=False))
@click.option(
    "--base-url",
    default=None,
    help="Where 'serve' is reached, e.g. https://calendars.example.org "
    "[http://127.0.0.1:8080].",
)
@click.option("--json", "as_json", is_flag=True, help="Print the URLs as JSON.")
@click.option(
    "--rotate",
    multiple=True,
    metavar="ID",
    help="Replace the token of this school, mentor or person (repeatable).",
)
@click.option(
    "--rotate-index", is_flag=True, help="Replace the coordinator index's token."
)
def tokens(
    live_dir: str,
    base_url: str | None,
    as_json: bool,
    rotate: tuple[str, ...],
    rotate_index: bool,
) -> None:
    """Print each school's, mentor's and person's secret subscription URL,
    making tokens on first use (kept across re-solves and adopts)."""
    from ..live import tokens as t

    base = _live(lambda: t.check_base_url(base_url or t.DEFAULT_BASE_URL))
    found, subs = _live(
        lambda: t.sync_tokens(live_dir, rotate=rotate, rotate_index=rotate_index)
    )
    index = t.index_url(base, found.coordinator)
    if as_json:
        doc = {
            kind: {
                s.id: t.feed_url(base, found.by_kind[kind][s.id])
                for s in subs
                if s.kind == kind
            }
            for kind in ("schools", "mentors", "people")
        }
        _echo(json.dumps(doc, indent=2))
        _echo(f"coordinator index: {index}", err=True)
        return
    for r in rotate:
        _echo(f"Rotated the token of {r}: its old URL no longer works.", err=True)
    _echo("Secret subscription URLs: send each one only to its school or person.")
    for kind in ("schools", "mentors", "people"):
        mine = [s for s in subs if s.kind == kind]
        if not mine:
            continue
        _echo(f"\n{kind}")
        for s in mine:
            url = t.feed_url(base, found.by_kind[kind][s.id])
            _echo(f"  {s.id}  {s.name}")
            _echo(f"    {url}")
            _echo(f"    {t.webcal(url)}")
            if kind == "schools":
                _echo(f"    page: {t.page_url(base, found.by_kind[kind][s.id])}")
    _echo(f"\ncoordinator index: {index}")


@click.command()
@click.argument("live_dir", type=click.Path(file_okay=False))
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--base-url",
    default=None,
    help="The public URL the index shows links under [http://HOST:PORT].",
)
def serve(live_dir: str, host: str, port: int, base_url: str | None) -> None:
    """Serve LIVE_DIR's feeds and school pages at their secret URLs (see
    'mentor-sched tokens'); an adopt or solve is served without a restart."""
    from ..live import current_run
    from ..live import serve as s
    from ..live.tokens import check_base_url

    _live(lambda: current_run(live_dir))
    if base_url is not None:
        base_url = _live(lambda: check_base_url(base_url))
    if host not in ("127.0.0.1", "::1", "localhost"):
        _echo(
            f"warning: serving on {host}, beyond this machine; put it behind a "
            "reverse proxy with TLS (README)",
            err=True,
        )
    _echo(
        f"Serving {live_dir}/ on http://{host}:{port}/ ('mentor-sched tokens "
        f"{live_dir}' prints the URLs); Ctrl-C stops.",
        err=True,
    )
    _live(lambda: s.serve(live_dir, host, port, base_url))


@click.command(name="caldav-push")
@click.argument("live_dir", type=click.Path(file_okay=False))
@click.option("--url", required=True, help="The CalDAV server's URL.")
@click.option("--user", required=True, help="The user to log in as.")
@click.option(
    "--password-file",
    required=True,
    type=click.Path(dir_okay=False),
    help="A file whose first line is the password.",
)
def caldav_push(live_dir: str, url: str, user: str, password_file: str) -> None:
    """Make each school's calendar on a CalDAV server equal to its live feed
    (created if missing, named after the school)."""
    from ..live import caldav_push as c

    password = _live(lambda: c.read_password(password_file))
    done = _live(lambda: c.push(live_dir, url, user, password))
    for r in done.schools:
        made = " (calendar created)" if r.created_calendar else ""
        _echo(
            f"{r.school}: {r.created} created, {r.updated} updated, {r.deleted} "
            f"deleted, {r.unchanged} unchanged{made}"
        )
    _echo(
        f"{done.changes} change{'s' if done.changes != 1 else ''} on the server; "
        f"{len(done.schools)} school calendars equal their feeds."
    )
