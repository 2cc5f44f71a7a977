"""The live plan: what schools subscribe to, and the steps that change it.

``LIVE_DIR`` is the folder ``solve`` writes (``out/<cluster>``, a link to the
current run, ``outputs.py``). This package builds on it:

- ``adopt``: make a what-if's re-plan (or another run) the live plan, or put
  back the plan an adopt replaced (``--undo``), with feeds moving forward;
- ``notices``: what changed, in words, per school and per mentor;
- ``tokens``: one secret URL per school, mentor and person, kept outside the
  published folder;
- ``serve``: the HTTP server of those URLs;
- ``caldav_push``: each school's feed put into a CalDAV calendar.

The subjects of the live plan (who has a feed) are read from the run's feed
state (``.feeds-state.json``, ``feeds``): a feed whose school, mentor or person
left the cluster is marked ``removed_since`` there and is no longer a subject.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from ..outputs import PLAN_FILE, runs_dir
from ..render.ics import STATE_FILE

KINDS = ("schools", "mentors", "people")


class LiveError(Exception):
    """The live folder or a run cannot be used as asked (bad input, exit 2)."""


@dataclass(frozen=True)
class Subject:
    """A school, mentor or person with a feed in the live plan."""

    kind: str  # "schools", "mentors" or "people"
    id: str
    name: str
    feed: str  # the feed's path in a run, e.g. "schools/clare-primary.ics"


def live_path(live_dir: str | Path) -> Path:
    """``live_dir`` absolute, without following the link at its end."""
    return Path(os.path.abspath(live_dir))


def current_run(live_dir: str | Path) -> Path:
    """The run folder the live link points at now; LiveError if there is none."""
    live = live_path(live_dir)
    if not live.is_symlink():
        if (live / PLAN_FILE).is_file():
            raise LiveError(
                f"{live_dir} was written by an older mentor-sched; solve again "
                "into it once to give it the run layout"
            )
        raise LiveError(
            f"{live_dir} is not a plan's output folder; run 'mentor-sched solve' first"
        )
    run = live.resolve()
    if not (run / PLAN_FILE).is_file():
        raise LiveError(f"{live_dir} has no current run (no plan.json)")
    return run


def secrets_dir(live_dir: str | Path) -> Path:
    """Where the tokens of ``live_dir`` are kept: ``.<name>.secrets`` beside the
    link, outside the runs (which are published)."""
    live = live_path(live_dir)
    return live.parent / f".{live.name}.secrets"


def kept_dir(live_dir: str | Path) -> Path:
    """Where adopt keeps the plans it replaced (inside the runs folder, out of
    reach of the pruning of old runs)."""
    return runs_dir(live_path(live_dir)) / ".replaced"


def subjects(run: Path, cluster: str | None = None) -> list[Subject]:
    """Every school, mentor and person with a feed in the run at ``run`` that
    is still in the plan, in kind then id order."""
    state = run / STATE_FILE
    try:
        doc = json.loads(state.read_text(encoding="utf-8"))
        feeds = doc["feeds"]
    except (OSError, ValueError, KeyError, TypeError):
        feeds = None
    if cluster is None:
        cluster = _cluster_name(run)
    prefix = f"{cluster}: " if cluster else ""
    out = []
    if isinstance(feeds, dict):
        for rel, record in feeds.items():
            if record.get("removed_since"):
                continue
            kind, _, file = rel.partition("/")
            if kind not in KINDS or not file.endswith(".ics"):
                continue
            title = str(record.get("title", ""))
            name = title[len(prefix) :] if title.startswith(prefix) else title
            out.append(Subject(kind, _id_of(file), name or _id_of(file), rel))
    else:  # a state file from before feeds were recorded: the files themselves
        for kind in KINDS:
            for f in sorted((run / kind).glob("*.ics")):
                out.append(
                    Subject(kind, _id_of(f.name), _id_of(f.name), f"{kind}/{f.name}")
                )
    return sorted(out, key=lambda s: (KINDS.index(s.kind), s.id))


def _id_of(file: str) -> str:
    """The id a feed file is named after: ``con_.ics`` is ``con`` (ids hold no
    ``_``, so the mark ``safe_file_stem`` adds to reserved names is the only one)."""
    stem = file[: -len(".ics")] if file.endswith(".ics") else file
    return stem.rstrip("_")


def _cluster_name(run: Path) -> str | None:
    try:
        doc = json.loads((run / PLAN_FILE).read_text(encoding="utf-8"))
        name = doc.get("cluster")
        return name if isinstance(name, str) else None
    except (OSError, ValueError, AttributeError):
        return None
