"""The chosen alternative as a what-if file (a ``pins`` change) that
``mentor-sched whatif`` re-plans to exactly that placement."""

from __future__ import annotations

from pathlib import Path

from ..problem import Owed, Problem, fmt_time
from .answer import Alternatives, Slot


def pin_whatif(problem: Problem, result: Alternatives, rank: int, base: str) -> str:
    """A what-if file (YAML text) that pins the ``rank``-th alternative (1 =
    the best) and the events it moves to their new slots, against the
    cluster file ``base`` (relative to where the what-if is written)."""
    alt = result.alternatives[rank - 1]
    owed = result.owed
    pins = [_pin_line(owed, alt.slot)]
    notes = []
    for m in alt.moves:
        if m.after is None:
            notes.append(f"#   {m.event} has no free slot left: the re-plan decides")
        else:
            other = next(o for o in problem.owed if o.id == m.event)
            pins.append(_pin_line(other, m.after))
    title = f"Move {result.event} to {alt.slot.text()}"
    lines = [
        "# Written by 'mentor-sched alternatives': run it with 'mentor-sched whatif'.",
        f"# Alternative {rank} for {result.event}: objective change {alt.delta:+d}"
        + (f", moving {len(alt.moves)} other event(s)" if alt.moves else ""),
        "# (a what-if re-plan also pays the 'change' weight for each event moved).",
        *notes,
        "version: 1",
        f"whatif: {_quote(title)}",
        f"base: {_quote(base)}",
        "changes:",
        "  pins:",
        *(f"    - {p}" for p in pins),
    ]
    return "\n".join(lines) + "\n"


def _pin_line(owed: Owed, slot: Slot) -> str:
    fields = [f"demand: {owed.demand}"]
    if owed.kind in ("meeting", "observation"):
        fields.append(f"person: {owed.people[0]}")
    if owed.topic is not None:
        fields.append(f"topic: {owed.topic}")
    fields += [
        f"date: {slot.date.isoformat()}",
        f'start: "{fmt_time(slot.start)}"',
        f"mentor: {slot.mentor}",
        f"venue: {slot.venue}",
    ]
    return "{" + ", ".join(fields) + "}"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def default_pin_path(cluster: Path, out_root: Path, event_id: str, rank: int) -> Path:
    """``out/<cluster>.whatifs/alternatives/<event>-<rank>.yaml``: beside the
    what-ifs' folders, never inside a solve's folder."""
    from ..outputs import default_out_dir
    from ..render import safe_file_stem

    solved = default_out_dir(cluster, out_root)
    name = safe_file_stem(event_id.replace("/", "-"))
    return (
        solved.parent
        / f"{solved.name}.whatifs"
        / "alternatives"
        / (f"{name}-{rank}.yaml")
    )


def write_pin_whatif(
    problem: Problem, result: Alternatives, rank: int, cluster: Path, path: Path
) -> Path:
    """Write ``pin_whatif`` to ``path`` (its ``base`` relative to it) and read
    it back as ``mentor-sched whatif`` will. OutputError for a path inside a
    solve's folder (a solve replaces its folder whole) or one that cannot be
    written."""
    import os

    from ..outputs import OutputError, solve_folder_holding
    from ..render import write_atomic
    from ..whatif import load_whatif

    holder = solve_folder_holding(path.parent)
    if holder is not None:
        raise OutputError(
            f"{path}: inside {holder}/, a solve's output folder (the next solve "
            "replaces it whole); write it elsewhere, e.g. the default "
            "out/<cluster>.whatifs/alternatives/"
        )
    base = os.path.relpath(cluster.resolve(), path.parent.resolve())
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, pin_whatif(problem, result, rank, base))
    except OSError as exc:
        raise OutputError(f"{path}: cannot write it ({exc.strerror or exc})") from None
    load_whatif(path)  # InputErrors here would be a bug of the writer
    return path
