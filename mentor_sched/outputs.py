"""Writing a run's outputs so that nothing a user has is ever lost or mixed.

Layout of an output folder ``out/x`` (what ``adopt`` and ``serve`` build on)::

    out/x                          symlink -> .x.runs/<run-id>: the current run
    out/.x.runs/<run-id>/          a complete run: plan.json, timetable.html,
                                   report.md, report.csv, events.csv, schools/,
                                   mentors/, people/, .feeds-state.json, .run.json
    out/.x.runs/.staging-<run-id>/ a run being written (never read by anyone)
    out/.x.runs/.lock              held by the run writing into out/x

Everything is rendered into a staging folder; when every file exists the
staging folder is renamed to its run id and ``out/x`` is switched to it by
renaming a new symlink over the old one: one ``rename``, so a reader of
``out/x/plan.json`` or ``out/x/schools/a.ics`` sees the whole old run or the
whole new one, never a mix. The previous run is kept (a reader that resolved
the old link finishes reading it); older runs are deleted.

One run at a time: a run takes an exclusive lock (``flock``) on ``.lock``
before it solves and keeps it until its outputs are switched in; a second run
into the same folder stops at once with OutputBusy. A run killed while writing
leaves a ``.staging-*`` folder that the next run removes under the lock; the
link still names the last complete run. Feed state (SEQUENCE, DTSTAMP of every
UID) is carried from the current run into the next, under the lock, so it
never goes down.

A folder written by an older mentor-sched (a real folder holding plan.json) is
moved whole into ``.x.runs/`` as the previous run before the link takes its
place. Any other existing folder or file at ``out/x`` is refused: the outputs
are never mixed into a folder mentor-sched did not make.

Before anything is written the independent checker (``check.py``) judges the
plan: a plan that breaks a hard rule is a bug of mentor-sched, never an output.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from .check import Violation, check
from .plan import Plan
from .problem import Problem
from .render import safe_file_stem, write_atomic
from .render.html import write_timetable
from .render.ics import STATE_FILE, write_feeds
from .render.reports import write_reports
from .summary import unmet_categories

PLAN_FILE = "plan.json"
RUN_FILE = ".run.json"  # kind, run id, cluster, input digest of the run
RUN_FORMAT = "mentor-sched/run@1"
KEEP_RUNS = 2  # the current run and the one before it


class InvalidPlan(Exception):
    """The checker found violations in a plan about to be written: an internal
    error of mentor-sched (the solver broke a rule), so nothing is written."""

    def __init__(self, violations: Sequence[Violation]) -> None:
        self.violations = list(violations)
        n = len(self.violations)
        super().__init__(
            f"the plan breaks {n} rule{'s' if n != 1 else ''}: "
            + "; ".join(str(v) for v in self.violations[:5])
        )


class OutputError(Exception):
    """The output folder cannot be used (below a file, read-only, a folder
    mentor-sched did not make, a solve's folder for a what-if): bad input."""


class OutputBusy(OutputError):
    """Another run holds the output folder's lock."""


def verify(
    problem: Problem,
    plan: Plan,
    judge: Callable[[Plan], list[Violation]] | None = None,
) -> None:
    """Raise InvalidPlan unless ``plan`` is clean (by ``judge``, default the
    checker against ``problem``)."""
    violations = judge(plan) if judge is not None else check(problem, plan)
    if violations:
        raise InvalidPlan(violations)


def default_out_dir(cluster: Path, out_root: Path) -> Path:
    """Where ``mentor-sched solve CLUSTER`` writes by default: ``out/<stem>``, or
    ``out/<folder>`` for a file named ``cluster.yaml``; the name made safe, so
    ``...yaml`` never writes into the current folder (``safe_file_stem``)."""
    stem = Path(cluster).stem
    if stem == "cluster":
        stem = Path(cluster).resolve().parent.name
    return Path(out_root) / safe_file_stem(stem)


def relative_to_run(out_dir: Path, path: Path) -> str:
    """``path`` relative to the folder of a run of ``out_dir`` (where plan.json
    lies once the link is followed), as plan.json records its cluster file."""
    run = runs_dir(out_dir).resolve() / "run"
    return os.path.relpath(Path(path).resolve(), run)


def runs_dir(out_dir: Path) -> Path:
    """The hidden folder beside ``out_dir`` holding its runs and lock."""
    out_dir = _absolute(out_dir)
    return out_dir.parent / f".{out_dir.name}.runs"


def run_info(out_dir: Path) -> dict[str, Any] | None:
    """What the run at ``out_dir`` was (``.run.json``: kind "solve" or "whatif",
    run id, cluster, input_sha256), ``{"kind": "solve"}`` for a folder written
    before runs were recorded (plan.json without diff.json), None if no run."""
    folder = Path(out_dir)
    try:
        doc = json.loads((folder / RUN_FILE).read_text(encoding="utf-8"))
        if isinstance(doc, dict) and doc.get("format") == RUN_FORMAT:
            return doc
    except (OSError, ValueError):
        pass
    if (folder / PLAN_FILE).is_file():
        kind = "whatif" if (folder / "diff.json").is_file() else "solve"
        return {"kind": kind}
    return None


def solve_folder_holding(path: Path) -> Path | None:
    """The folder of a solve's outputs that ``path`` is, or lies inside (through
    the ``out/x`` link or inside ``.x.runs``), else None: a what-if must never
    write there."""
    path = _absolute(path)
    for folder in (path, *path.parents):
        if folder.parent.name.startswith(".") and folder.parent.name.endswith(".runs"):
            info = run_info(folder)
            if info is None or info.get("kind") == "solve":
                return folder
        if folder.name.startswith(".") and folder.name.endswith(".runs"):
            return folder
        info = run_info(folder) if folder.is_dir() else None
        if info is not None and info.get("kind") == "solve":
            return folder
    return None


@dataclass
class OutputFolder:
    """A claimed output folder: checked, locked, cleaned of killed runs' staging.

    Use as a context manager around the whole run (solve and write), so that the
    second of two runs into one folder stops before it solves::

        with OutputFolder(out_dir) as folder:
            plan = ...
            folder.write(problem, plan)
    """

    path: Path
    kind: str = "solve"
    _lock: IO[bytes] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.path = Path(self.path)

    # -- claiming ------------------------------------------------------------------

    def __enter__(self) -> OutputFolder:
        self.claim()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def claim(self) -> None:
        """Check the folder can be written, take its lock (OutputBusy if another
        run has it) and remove what killed runs left; OutputError otherwise."""
        target = _absolute(self.path)
        shown = str(self.path)
        _check_writable(target, shown)
        _check_target(target, shown)
        runs = runs_dir(target)
        try:
            runs.mkdir(parents=True, exist_ok=True)
            lock = open(runs / ".lock", "a+b")  # noqa: SIM115 (held until release)
        except OSError as exc:
            raise OutputError(
                f"cannot write the outputs to {shown}/: {exc.strerror or exc}"
            ) from None
        try:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.seek(0)
            holder = lock.read().decode("utf-8", "replace").strip()
            lock.close()
            raise OutputBusy(
                f"another mentor-sched run is writing to {shown}/"
                + (f" ({holder})" if holder else "")
                + "; wait for it to finish, or choose another --out"
            ) from None
        lock.truncate(0)
        lock.write(f"pid {os.getpid()}, since {_now_text()}".encode())
        lock.flush()
        self._lock = lock
        self._clean(runs)

    def release(self) -> None:
        if self._lock is not None:
            self._lock.truncate(0)
            self._lock.close()  # closing releases the flock
            self._lock = None

    def _clean(self, runs: Path) -> None:
        """Remove staging folders and links of runs that were killed (only a run
        holding the lock writes here, so none of them is still in use)."""
        for p in runs.iterdir():
            if p.name.startswith((".staging-", ".link-")):
                if p.is_dir() and not p.is_symlink():
                    shutil.rmtree(p, ignore_errors=True)
                else:
                    p.unlink(missing_ok=True)

    # -- writing -------------------------------------------------------------------

    def write(
        self,
        problem: Problem,
        plan: Plan,
        *,
        now: datetime | None = None,
        extra: dict[str, str] | None = None,
        judge: Callable[[Plan], list[Violation]] | None = None,
        seed_state: Callable[[Path], None] | None = None,
    ) -> list[Path]:
        """Render plan.json, feeds, timetable and reports (and ``extra`` files)
        as a new run and switch ``path`` to it, once the checker (or ``judge``)
        finds the plan clean; InvalidPlan otherwise, and nothing changes.
        ``seed_state(path)`` writes a feed state file to start from when the
        folder has none yet. Returns the paths of the files, under ``path``."""
        if self._lock is None:
            raise RuntimeError("claim the output folder first")
        verify(problem, plan, judge)
        target = _absolute(self.path)
        runs = runs_dir(target)
        run_id = _run_id(runs)
        staging = runs / f".staging-{run_id}"
        staging.mkdir()
        try:
            state = target / STATE_FILE
            if state.is_file():  # feeds remember what they last published
                shutil.copy2(state, staging / STATE_FILE)
            elif seed_state is not None:
                seed_state(staging / STATE_FILE)
            write_atomic(staging / PLAN_FILE, plan.dumps())
            for name, text in (extra or {}).items():
                write_atomic(staging / name, text)
            write_feeds(problem, plan, staging, now=now)
            write_timetable(problem, plan, staging / "timetable.html")
            write_reports(
                problem, plan, staging, categories=unmet_categories(problem, plan)
            )
            record = {
                "format": RUN_FORMAT,
                "kind": self.kind,
                "run": run_id,
                "cluster": plan.cluster,
                "input_sha256": plan.input_sha256,
                "written": _now_text(),
            }
            write_atomic(staging / RUN_FILE, json.dumps(record, indent=2) + "\n")
            files = sorted(
                p.relative_to(staging) for p in staging.rglob("*") if p.is_file()
            )
            _fsync_dir(staging)
            os.rename(staging, runs / run_id)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        self._switch(target, runs, run_id)
        return [self.path / rel for rel in files]

    def _switch(self, target: Path, runs: Path, run_id: str) -> None:
        """Point ``target`` at the run ``run_id`` with one rename, then delete
        all but the last KEEP_RUNS runs."""
        link = runs / f".link-{run_id}"
        os.symlink(os.path.join(runs.name, run_id), link)
        if target.is_dir() and not target.is_symlink():
            # a folder of an older mentor-sched, or an empty one: keep it as a run
            if any(target.iterdir()):
                os.rename(target, runs / f"{run_id}-before")
            else:
                target.rmdir()
        os.replace(link, target)
        _fsync_dir(target.parent)
        current = runs / run_id
        done = sorted(
            (p for p in runs.iterdir() if not p.name.startswith(".") and p.is_dir()),
            key=lambda p: p.stat().st_mtime_ns,
        )
        for old in [p for p in done if p != current][: -(KEEP_RUNS - 1) or None]:
            shutil.rmtree(old, ignore_errors=True)


def write_outputs(
    problem: Problem,
    plan: Plan,
    out_dir: Path,
    *,
    now: datetime | None = None,
    extra: dict[str, str] | None = None,
    judge: Callable[[Plan], list[Violation]] | None = None,
    kind: str = "solve",
    seed_state: Callable[[Path], None] | None = None,
) -> list[Path]:
    """Claim ``out_dir`` and write a run into it (``OutputFolder.write``):
    InvalidPlan before anything is written if the plan breaks a rule,
    OutputError/OutputBusy if the folder cannot be used."""
    with OutputFolder(Path(out_dir), kind) as folder:
        return folder.write(
            problem, plan, now=now, extra=extra, judge=judge, seed_state=seed_state
        )


# -- helpers -------------------------------------------------------------------------


def _absolute(path: Path) -> Path:
    """``path`` made absolute and normalised (``..`` resolved by name), without
    following a symlink at its end: ``out/x`` is the link, not its run."""
    return Path(os.path.abspath(path))


def _check_writable(target: Path, shown: str) -> None:
    """OutputError unless the folders up to ``target`` can be made and written:
    found before the solve, not after it."""
    for folder in target.parents:
        if folder.exists():
            if not folder.is_dir():
                raise OutputError(
                    f"cannot write the outputs to {shown}/: {folder} is a file, "
                    "not a folder"
                )
            if not os.access(folder, os.W_OK | os.X_OK):
                raise OutputError(
                    f"cannot write the outputs to {shown}/: {folder} is not "
                    "writable (read-only or no permission)"
                )
            return


def _check_target(target: Path, shown: str) -> None:
    """OutputError unless ``target`` is free, our link, an empty folder or a
    folder an older mentor-sched wrote."""
    runs = runs_dir(target)
    if target.is_symlink():
        link = os.readlink(target)
        if Path(link).parent == Path(runs.name):
            return
        raise OutputError(
            f"{shown} is a link to {link}, which mentor-sched did not make; "
            "choose another --out"
        )
    if not target.exists():
        return
    if not target.is_dir():
        raise OutputError(f"{shown} is a file; --out needs a folder")
    entries = list(target.iterdir())
    if not entries or (target / PLAN_FILE).is_file() or (target / STATE_FILE).is_file():
        return
    raise OutputError(
        f"{shown}/ holds files mentor-sched did not write; it replaces its output "
        "folder whole, so choose a new or empty --out folder"
    )


def _run_id(runs: Path) -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    base = f"{stamp}-{os.getpid()}"
    run_id, n = base, 1
    while (runs / run_id).exists() or (runs / f".staging-{run_id}").exists():
        n += 1
        run_id = f"{base}-{n}"
    return run_id


def _now_text() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
