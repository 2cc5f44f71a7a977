"""``adopt``: make a run (a what-if's re-plan) the live plan, and ``--undo``.

Adopting writes the run's plan into the live folder as a new run, exactly as a
solve would (outputs.py: staged whole, checked, switched in by one rename under
the folder's lock), so a failed adopt leaves the live plan as it was. The
feeds are rendered again from the *live* feed state, not the what-if's copy of
it: every UID keeps its SEQUENCE and DTSTAMP, a moved visit gets SEQUENCE + 1,
and clients update events in place instead of duplicating them.

The live run that an adopt replaces is copied to ``.<live>.runs/.replaced/``
(beyond the pruning of old runs) and named in the new run's ``adopt.json``.
``undo`` puts that plan back the same way: a new run, its feeds rendered from
the current feed state, so SEQUENCE only ever goes up. Undoing an undo adopts
again. The new run also holds the change notices (``notices.py``).
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from ..check import Violation
from ..check import check as check_plan
from ..outputs import (
    PLAN_FILE,
    OutputFolder,
    relative_to_run,
)
from ..plan import Plan
from ..problem import Problem
from ..render.ics import STATE_FILE, write_feeds
from . import LiveError, current_run, kept_dir, live_path, subjects
from .notices import notices

ADOPT_FILE = "adopt.json"
ADOPT_FORMAT = "mentor-sched/adopt@1"
KEEP_REPLACED = 5


@dataclass(frozen=True)
class Adopted:
    action: str  # "adopt" or "undo"
    live: Path
    replaced: str  # the run id that was live before
    notices: tuple[str, ...]  # relative paths, under the live folder


@dataclass(frozen=True)
class _Source:
    plan: Plan
    problem: Problem
    cluster_file: Path  # absolute
    judge: Callable[[Plan], list[Violation]]


def adopt(
    run_dir: str | Path, live_dir: str | Path, *, now: datetime | None = None
) -> Adopted:
    """Make the plan of ``run_dir`` the live plan of ``live_dir``."""
    src = Path(run_dir)
    if not src.exists():
        raise LiveError(f"{run_dir}: no such folder")
    src_run = src.resolve()
    if not (src_run / PLAN_FILE).is_file():
        raise LiveError(f"{run_dir}: not a run of mentor-sched (no plan.json)")
    before = current_run(live_dir)
    if src_run == before:
        raise LiveError(f"{run_dir} is the live plan already")
    source = _load_source(src_run, str(run_dir))
    live_plan = _read_plan(before / PLAN_FILE, str(live_dir))
    if live_plan.cluster != source.plan.cluster:
        raise LiveError(
            f"{run_dir} is a plan of {source.plan.cluster!r}, but {live_dir} is the "
            f"live plan of {live_plan.cluster!r}; adopt a what-if of this cluster"
        )
    return _switch(live_dir, source, "adopt", str(src_run), now)


def undo(live_dir: str | Path, *, now: datetime | None = None) -> Adopted:
    """Put back the plan the last adopt (or undo) of ``live_dir`` replaced."""
    run = current_run(live_dir)
    record = _read_record(run)
    if record is None:
        raise LiveError(
            f"the live plan of {live_dir} was not put there by adopt (or a solve "
            "replaced it since); there is nothing to undo"
        )
    replaced = record["replaced"]
    kept = kept_dir(live_dir) / replaced["run"]
    if not (kept / PLAN_FILE).is_file():
        raise LiveError(f"the replaced plan ({kept}) is no longer kept; cannot undo")
    source = _load_source(kept, str(kept), Path(replaced["cluster_file"]))
    return _switch(live_dir, source, "undo", str(kept), now)


def _switch(
    live_dir: str | Path,
    source: _Source,
    action: str,
    origin: str,
    now: datetime | None,
) -> Adopted:
    now = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    live = live_path(live_dir)
    folder = OutputFolder(live, "solve")  # the live folder stays a solve's folder
    folder.claim()
    kept_copy: Path | None = None
    try:
        before = current_run(live_dir)  # again, under the lock
        before_plan = _read_plan(before / PLAN_FILE, str(live_dir))
        before_cluster = _cluster_path(before, before_plan)
        kept_copy = kept_dir(live_dir) / before.name
        made_copy = not kept_copy.exists()
        if made_copy:
            kept_copy.parent.mkdir(exist_ok=True)
            shutil.copytree(before, kept_copy, symlinks=True)
        with tempfile.TemporaryDirectory(prefix="mentor-sched-adopt-") as tmp:
            # the feeds the new run will publish, to say what changes in them
            after = Path(tmp)
            if (before / STATE_FILE).is_file():
                shutil.copy2(before / STATE_FILE, after / STATE_FILE)
            write_feeds(source.problem, source.plan, after, now=now)
            subs = subjects(after, source.plan.cluster)
            extra = notices(
                before, after, subs, _trips(before, after), source.plan.cluster, now
            )
        record = {
            "format": ADOPT_FORMAT,
            "action": action,
            "from": origin,
            "at": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "replaced": {"run": before.name, "cluster_file": str(before_cluster)},
            "notices": sorted(extra),
        }
        extra[ADOPT_FILE] = json.dumps(record, indent=2) + "\n"
        plan = replace(
            source.plan, cluster_file=relative_to_run(live, source.cluster_file)
        )
        folder.write(source.problem, plan, now=now, extra=extra, judge=source.judge)
    except BaseException:
        if kept_copy is not None and made_copy:
            shutil.rmtree(kept_copy, ignore_errors=True)
        raise
    finally:
        folder.release()
    _prune(kept_dir(live_dir), keep=before.name)
    return Adopted(action, live, before.name, tuple(record["notices"]))


# -- reading runs ------------------------------------------------------------------


def _load_source(run: Path, shown: str, cluster_file: Path | None = None) -> _Source:
    """The plan of ``run`` with the Problem it was made from and its referee;
    LiveError if the input files changed since (the feeds would name what the
    plan did not use)."""
    from ..check import check_whatif
    from ..input import InputErrors, load, load_document
    from ..whatif import load_whatif

    plan = _read_plan(run / PLAN_FILE, shown)
    path = cluster_file or _cluster_path(run, plan)
    if path is None or not path.is_file():
        raise LiveError(
            f"{shown}: the cluster or what-if file the plan was made from "
            f"({path or 'not recorded'}) is not there; cannot render its feeds"
        )
    try:
        kind, _ = load_document(path)
        if kind == "whatif":
            wi = load_whatif(path)
            problem = wi.problem

            def judge(p: Plan) -> list[Violation]:
                return check_whatif(wi.base, wi.problem, wi.frozen_until, p)

        else:
            problem = load(path)

            def judge(p: Plan) -> list[Violation]:
                return check_plan(problem, p)

    except InputErrors as exc:
        raise LiveError(f"{path}: no longer valid ({exc.errors[0]})") from None
    if plan.input_sha256 and plan.input_sha256 != problem.input_sha256:
        raise LiveError(
            f"{path} changed since the plan in {shown} was made from it; run the "
            "what-if (or solve) again and adopt that"
        )
    return _Source(plan, problem, path, judge)


def _cluster_path(run: Path, plan: Plan) -> Path | None:
    if not plan.cluster_file:
        return None
    return (run / plan.cluster_file).resolve()


def _read_plan(path: Path, shown: str) -> Plan:
    try:
        return Plan.read(path)
    except OSError as exc:
        raise LiveError(
            f"{shown}: cannot read its plan.json ({exc.strerror or exc})"
        ) from None
    except (ValueError, KeyError, TypeError, RecursionError) as exc:
        raise LiveError(f"{shown}: not a mentor-sched plan.json ({exc})") from None


def _read_record(run: Path) -> dict | None:
    try:
        doc = json.loads((run / ADOPT_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(doc, dict) or doc.get("format") != ADOPT_FORMAT:
        return None
    return doc


def _trips(*runs: Path) -> set[str]:
    """UIDs of trips in the runs' feed state (notices leave trips out)."""
    out: set[str] = set()
    for run in runs:
        try:
            doc = json.loads((run / STATE_FILE).read_text(encoding="utf-8"))
            out |= {u for u, e in doc["uids"].items() if e.get("kind") == "trip"}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            continue
    return out


def _prune(folder: Path, keep: str) -> None:
    if not folder.is_dir():
        return
    copies = sorted(
        (p for p in folder.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime_ns
    )
    for old in copies[:-KEEP_REPLACED]:
        if old.name != keep:
            shutil.rmtree(old, ignore_errors=True)
