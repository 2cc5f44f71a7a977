"""adopt and adopt --undo (issue 13): the live plan changes as one run, feeds
keep their UIDs with SEQUENCE going only up, a failed adopt changes nothing,
and each school whose visits changed gets a notice in words."""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil

import pytest
from icalendar import Calendar
from live_fixtures import CLOSED, LIVE, SICK, run_cli, snapshot, workspace

from mentor_sched import load
from mentor_sched.cli import EXIT_BAD_INPUT, EXIT_BUSY
from mentor_sched.plan import Plan


@pytest.fixture
def ws(tmp_path_factory, tmp_path):
    return workspace(tmp_path_factory, tmp_path)


def feed_events(path) -> dict[str, dict]:
    """UID -> SEQUENCE, DTSTAMP, start (UTC) and status of every VEVENT."""
    cal = Calendar.from_ical(path.read_bytes())
    return {
        str(v["UID"]): {
            "sequence": int(v["SEQUENCE"]),
            "dtstamp": v.decoded("DTSTAMP"),
            "start": v.decoded("DTSTART").timestamp(),
            "status": str(v["STATUS"]),
        }
        for v in cal.walk("VEVENT")
        # trips are busy blocks of the mentor, dropped at once (render/ics.py)
        if not str(v["SUMMARY"]).startswith("Travel: ")
    }


def all_feeds(live) -> dict[str, dict[str, dict]]:
    return {
        str(p.relative_to(live)): feed_events(p)
        for kind in ("schools", "mentors", "people")
        for p in sorted((live / kind).glob("*.ics"))
    }


def test_adopt_makes_the_whatif_live_and_carries_feed_state(ws):
    live = ws / LIVE
    before_plan = Plan.read(live / "plan.json")
    whatif_plan = Plan.read(ws / SICK / "plan.json")
    before = all_feeds(live)
    out = run_cli("adopt", SICK, "--into", LIVE, cwd=ws)
    assert "Adopted" in out.stdout
    after = all_feeds(live)
    # the live plan is now the what-if's plan, and its feeds say so
    assert Plan.read(live / "plan.json").events == whatif_plan.events
    assert json.loads((live / ".run.json").read_text())["kind"] == "solve"
    moved = kept = cancelled = 0
    for feed, events in before.items():
        for uid, old in events.items():
            new = after[feed].get(uid)
            assert new is not None, f"{uid} vanished from {feed} at once"
            # the same UID, never a duplicate; SEQUENCE never goes down
            assert new["sequence"] >= old["sequence"]
            if new["status"] == "CANCELLED" and old["status"] != "CANCELLED":
                assert new["sequence"] == old["sequence"] + 1
                cancelled += 1
            elif new["start"] != old["start"]:
                assert new["sequence"] == old["sequence"] + 1
                assert new["dtstamp"] > old["dtstamp"]
                moved += 1
            elif new == old:
                kept += 1  # unchanged: same SEQUENCE and DTSTAMP as before
    assert moved and kept and cancelled
    # the replaced plan is kept for --undo
    assert before_plan.events != whatif_plan.events


def test_undo_restores_the_replaced_plan_with_sequence_moving_forward(ws):
    live = ws / LIVE
    original = Plan.read(live / "plan.json")
    first = all_feeds(live)
    run_cli("adopt", SICK, "--into", LIVE, cwd=ws)
    adopted = all_feeds(live)
    out = run_cli("adopt", "--undo", LIVE, cwd=ws)
    assert "Put back" in out.stdout
    restored = Plan.read(live / "plan.json")
    assert restored.events == original.events
    assert restored.unmet == original.unmet
    undone = all_feeds(live)
    changed = 0
    for feed, events in first.items():
        for uid, old in events.items():
            new, mid = undone[feed][uid], adopted[feed][uid]
            assert new["start"] == old["start"]  # back where it was
            assert new["sequence"] >= mid["sequence"] >= old["sequence"]
            if mid != old:  # changed by the adopt: a new revision, not the old one
                assert new["sequence"] > mid["sequence"]
                changed += 1
    assert changed
    # the cluster file of the restored plan still resolves from the live run
    cluster = (live / restored.cluster_file).resolve()
    assert load(cluster).input_sha256 == restored.input_sha256
    # an undo can itself be undone: the what-if comes back
    run_cli("adopt", "--undo", LIVE, cwd=ws)
    assert (
        Plan.read(live / "plan.json").events
        == Plan.read(ws / SICK / "plan.json").events
    )


def test_undo_without_an_adopt_is_refused(ws):
    done = run_cli("adopt", "--undo", LIVE, cwd=ws, check=False)
    assert done.returncode == EXIT_BAD_INPUT
    assert "nothing to undo" in done.stderr


def _live_state(ws):
    live = ws / LIVE
    return os.readlink(live), snapshot(live)


def test_failed_adopts_leave_the_live_plan_as_it_was(ws):
    before = _live_state(ws)
    # not a plan
    broken = ws / "out" / "broken"
    shutil.copytree((ws / SICK).resolve(), broken)
    (broken / "plan.json").write_text("{not json", encoding="utf-8")
    done = run_cli("adopt", "out/broken", "--into", LIVE, cwd=ws, check=False)
    assert done.returncode == EXIT_BAD_INPUT, done.stderr
    assert "plan.json" in done.stderr
    assert _live_state(ws) == before
    # a plan whose what-if file changed since it was made
    scenario = ws / "scenarios" / "stour-valley" / "sarah-sick-week.yaml"
    text = scenario.read_text(encoding="utf-8")
    scenario.write_text(text.replace("2027-02-12", "2027-02-11"), encoding="utf-8")
    done = run_cli("adopt", SICK, "--into", LIVE, cwd=ws, check=False)
    assert done.returncode == EXIT_BAD_INPUT
    assert "changed since" in done.stderr
    assert _live_state(ws) == before
    scenario.write_text(text, encoding="utf-8")
    # a plan that breaks a rule of its what-if: the checker refuses it (exit 4)
    bad = ws / "out" / "copies" / "bad" / "run"  # as deep as the what-if's run
    shutil.copytree((ws / SICK).resolve(), bad)
    doc = json.loads((bad / "plan.json").read_text())
    first = doc["events"][0]
    doc["events"].append({**first, "id": first["id"]})  # the same event twice
    (bad / "plan.json").write_text(json.dumps(doc), encoding="utf-8")
    done = run_cli("adopt", "out/copies/bad/run", "--into", LIVE, cwd=ws, check=False)
    assert done.returncode == 4, done.stderr
    assert _live_state(ws) == before
    # another run holds the live folder's lock: exit 5, nothing changes
    runs = ws / "out" / ".stour-valley.runs"
    with open(runs / ".lock", "a+b") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        done = run_cli("adopt", SICK, "--into", LIVE, cwd=ws, check=False)
    assert done.returncode == EXIT_BUSY
    assert _live_state(ws) == before
    assert not (runs / ".replaced").exists() or not any((runs / ".replaced").iterdir())
    # and the live plan can still be adopted into afterwards
    run_cli("adopt", SICK, "--into", LIVE, cwd=ws)
    assert os.readlink(ws / LIVE) != before[0]


def test_notices_in_words_for_changed_schools_only(ws):
    live = ws / LIVE
    problem = load(ws / "scenarios" / "stour-valley" / "cluster.yaml")
    run_cli("adopt", SICK, "--into", LIVE, cwd=ws)
    notices = live / "notices"
    record = json.loads((live / "adopt.json").read_text())
    written = sorted(p.name for p in notices.iterdir())
    assert written == sorted(n.split("/", 1)[1] for n in record["notices"])
    # the mentor whose week changed has one, and every school that has one
    # saw a change in its own feed
    assert "em-sarah.txt" in written and "em-sarah.md" in written
    kept = (ws / "out" / ".stour-valley.runs" / ".replaced").iterdir()
    old_run = next(iter(kept))
    for s in problem.schools:
        has = (notices / f"{s}.txt").is_file()
        assert has == (notices / f"{s}.md").is_file()
        same = (old_run / "schools" / f"{s}.ics").read_bytes() == (
            live / "schools" / f"{s}.ics"
        ).read_bytes()
        if same:
            assert not has, f"{s}'s feed did not change, yet it has a notice"
    schools = [s for s in problem.schools if (notices / f"{s}.txt").is_file()]
    assert schools
    event_ids = [e.id for e in Plan.read(live / "plan.json").events]
    weekday = re.compile(r"(Mon|Tues|Wednes|Thurs|Fri)day \d{1,2} [A-Z][a-z]+ 20\d\d")
    for s in schools:
        for ext in ("txt", "md"):
            text = (notices / f"{s}.{ext}").read_text(encoding="utf-8")
            assert problem.schools[s].name in text.replace("\\", "")
            assert weekday.search(text), text
            assert "@" not in text  # no UIDs
            for eid in event_ids:
                assert eid not in text
            assert "sick" not in text.lower()  # the what-if's absence note
            for p in problem.people.values():
                if p.school != s:
                    assert p.name not in text, f"{s}'s notice names {p.name}"
    # a what-if that touches other schools writes other notices, never stale ones
    run_cli("adopt", CLOSED, "--into", LIVE, cwd=ws)
    record = json.loads((live / "adopt.json").read_text())
    assert sorted(p.name for p in (live / "notices").iterdir()) == sorted(
        n.split("/", 1)[1] for n in record["notices"]
    )
