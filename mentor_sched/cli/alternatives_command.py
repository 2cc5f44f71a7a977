"""alternatives: where else one event of a plan could go, and at what cost."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..input import InputErrors
from . import (
    EXIT_INTERNAL,
    OUT_ROOT,
    _echo,
    _fail,
    _fail_output,
    _load_cluster_or_whatif,
    _read_plan,
)


@click.command()
@click.argument("plan", type=click.Path(dir_okay=False))
@click.argument("event_id")
@click.option(
    "--cluster",
    type=click.Path(dir_okay=False),
    help="The cluster file [as recorded in the plan].",
)
@click.option(
    "--top",
    type=click.IntRange(min=1, max=1000),
    default=10,
    show_default=True,
    help="How many alternatives to list.",
)
@click.option(
    "--pin",
    "pin",
    type=int,
    default=None,
    help="Write the N-th alternative (1 = the best) as a what-if file.",
)
@click.option(
    "--out",
    "out_file",
    type=click.Path(dir_okay=False),
    help="The what-if file --pin writes "
    "[out/<cluster>.whatifs/alternatives/<event>-<N>.yaml].",
)
@click.option("--json", "as_json", is_flag=True, help="Print the answer as JSON.")
def alternatives(
    plan: str,
    event_id: str,
    cluster: str | None,
    top: int,
    pin: int | None,
    out_file: str | None,
    as_json: bool,
) -> None:
    """List the best other placements of EVENT_ID in PLAN (mentor, date, start,
    venue), each with the change in objective and the events that would have
    to move; --pin N writes the N-th as a what-if file."""
    from ..alternatives import (
        AlternativesError,
        default_pin_path,
        write_pin_whatif,
    )
    from ..alternatives import alternatives as run
    from ..outputs import OutputError
    from ..render.alternatives import alternatives_text

    if out_file and pin is None:
        _fail("--out names the file --pin writes: give --pin N too")
    if pin is not None and pin < 1:
        _fail(f"--pin {pin}: alternatives are numbered from 1")
    p = _read_plan(plan)
    source = cluster or p.cluster_file
    if not source:
        _fail(f"{plan}: the plan does not record its cluster file; pass --cluster FILE")
    if not Path(source).is_absolute() and cluster is None:
        source = str((Path(plan).resolve().parent / source).resolve())
    problem, wi = _load_cluster_or_whatif(source)
    if p.input_sha256 and p.input_sha256 != problem.input_sha256:
        _echo(
            f"warning: the plan was made from a different version of {source}",
            err=True,
        )
    if pin is not None and wi is not None:
        _fail(
            f"{plan} is a what-if's re-plan ({source}); --pin writes a what-if of a "
            "cluster file: add the pin to that what-if's changes instead"
        )
    try:
        result = run(problem, p, event_id, top=max(top, pin or 0))
    except AlternativesError as exc:
        _fail(str(exc))
    data = result.to_json()
    data["alternatives"] = data["alternatives"][: max(top, pin or 0)]
    written = None
    if pin is not None:
        n = len(result.alternatives)
        if pin > n:
            _fail(
                f"--pin {pin}: {event_id} has "
                + (f"only {n} alternative{'s' if n != 1 else ''}" if n else "none")
                + (f" (1..{n})" if n else "")
            )
        path = (
            Path(out_file)
            if out_file
            else default_pin_path(Path(source), OUT_ROOT, event_id, pin)
        )
        try:
            written = write_pin_whatif(problem, result, pin, Path(source), path)
        except OutputError as exc:
            _fail_output(exc)
        except InputErrors as exc:  # the file written does not read back: a bug
            for e in exc.errors:
                _echo(f"error: {e}", err=True)
            _fail(f"internal error: {path} does not validate", EXIT_INTERNAL)
        data["pin_file"] = str(written)
    data["alternatives"] = data["alternatives"][:top]
    if as_json:
        _echo(json.dumps(data, indent=2))
        return
    _echo(alternatives_text(data))
    if written is not None:
        _echo(
            f"\nWrote alternative {pin} as a what-if: {written}\n"
            f"  run it with: mentor-sched whatif {written}"
        )
