"""validate, solve, check and show: a cluster file to a checked plan."""

from __future__ import annotations

import json
import shutil
import sys
import time
from dataclasses import replace
from pathlib import Path

import click

from ..summary import unmet_categories
from . import (
    EXIT_CONTRADICTION,
    EXIT_VIOLATIONS,
    OUT_ROOT,
    STARTED,
    _color,
    _echo,
    _fail,
    _fail_invalid,
    _fail_output,
    _load,
    _load_cluster_or_whatif,
    _read_baseline,
    _read_plan,
)
from .progress import _Progress


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def validate(file: str, as_json: bool) -> None:
    """Check a cluster or what-if FILE and summarise what it asks for."""
    from ..render.terminal import validate_text
    from ..summary import summarise

    problem, wi = _load_cluster_or_whatif(file)
    header: list[str] = []
    if wi is not None:
        header = [f"what-if file valid; frozen until {wi.frozen_until}:"]
        header += [f"  change   {c.text}" for c in wi.changes]
        header += [f"  note     {n}" for n in wi.notes]
    summary = summarise(problem)
    if as_json:
        if wi is not None:
            summary["whatif"] = {
                "frozen_until": wi.frozen_until.isoformat(),
                "changes": [c.text for c in wi.changes],
            }
        _echo(json.dumps(summary, indent=2))
    else:
        _echo("\n".join([*header, validate_text(summary)]))


@click.command()
@click.argument("cluster", type=click.Path(dir_okay=False))
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False),
    help="Output folder [out/<cluster file stem>]: a link to the current run "
    "(README, 'Where the outputs go').",
)
@click.option(
    "--time-limit",
    type=click.FloatRange(min=1.0, max=86400.0),
    default=60.0,
    show_default=True,
    help="Seconds of wall clock for the whole command, outputs included.",
)
@click.option(
    "--work-limit",
    type=click.FloatRange(min=0.0, max=1e6),
    default=None,
    help="Deterministic work budget of the search (same input, seed and budget "
    "give the same plan) [scaled so a quiet 2-core machine ends inside "
    "--time-limit].",
)
@click.option(
    "--workers",
    type=int,
    default=None,
    help="Processes: the bound beside the search when 2 or more [all cores].",
)
@click.option(
    "--search-workers",
    type=int,
    default=1,
    show_default=True,
    help="CP-SAT workers per model; more than 1 is faster but not repeatable.",
)
@click.option("--seed", default=0, show_default=True, help="Random seed of the search.")
@click.option(
    "--baseline",
    type=click.Path(dir_okay=False),
    help="A previous plan.json to stay close to.",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress or summary.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON summary on stdout.")
def solve(
    cluster,
    out,
    time_limit,
    work_limit,
    workers,
    search_workers,
    seed,
    baseline,
    quiet,
    as_json,
) -> None:
    """Plan every Expert Mentor's weeks for CLUSTER and write the outputs."""
    from ..outputs import (
        InvalidPlan,
        OutputError,
        OutputFolder,
        default_out_dir,
        relative_to_run,
    )
    from ..render.terminal import plan_summary
    from ..solver import output_seconds
    from ..solver import solve as run

    problem = _load(cluster)
    base = _read_baseline(baseline, problem) if baseline else None
    out_dir = Path(out) if out else default_out_dir(Path(cluster), OUT_ROOT)
    folder = OutputFolder(out_dir, "solve")
    try:  # checked and locked before the solve: a bad --out costs no solve
        folder.claim()
    except OutputError as exc:
        _fail_output(exc)
    try:
        progress = _Progress(quiet or as_json)
        # what is left of --time-limit once the input is read and the outputs,
        # still to write, are set aside
        spent = time.monotonic() - STARTED
        result = run(
            problem,
            time_limit=max(1.0, time_limit - spent - output_seconds(problem)),
            # the work budget from the input alone, so that runs repeat
            work_seconds=max(1.0, time_limit - output_seconds(problem)),
            work_limit=work_limit,
            workers=workers,
            seed=seed,
            baseline=base,
            progress=progress,
            search_workers=search_workers,
        )
        progress.close()
        if result.conflict:
            _fail(
                "the pins contradict each other or the hard rules: "
                + ", ".join(result.conflict)
                + "; remove or move one of them",
                EXIT_CONTRADICTION,
            )
        plan = replace(
            result.plan, cluster_file=relative_to_run(out_dir, Path(cluster))
        )
        try:
            written = folder.write(problem, plan)
        except InvalidPlan as exc:
            _fail_invalid(exc)
    finally:
        folder.release()
    if as_json:
        _echo(
            json.dumps(
                {
                    "status": str(plan.solver.status),
                    "objective": plan.solver.objective,
                    "bound": plan.solver.bound,
                    "gap": plan.solver.details.get("gap"),
                    "plannable_upper_bound": plan.solver.details.get(
                        "plannable_upper_bound"
                    ),
                    "seconds": round(plan.solver.seconds, 2),
                    "wall_seconds": round(time.monotonic() - STARTED, 2),
                    "metrics": plan.metrics,
                    "out": str(out_dir),
                    "files": len(written),
                },
                indent=2,
            )
        )
        return
    if not quiet:
        _echo(plan_summary(problem, plan, unmet_categories(problem, plan)))
        _echo(
            f"\nWrote {len(written)} files to {out_dir}/ (plan.json, timetable.html, "
            "report.md, events.csv, schools/*.ics, mentors/*.ics, people/*.ics)"
        )


@click.command()
@click.argument("cluster", type=click.Path(dir_okay=False))
@click.argument("plan", type=click.Path(dir_okay=False))
def check(cluster: str, plan: str) -> None:
    """Recompute every hard rule and the accounting of PLAN against CLUSTER, a
    cluster or a what-if file (events before its frozen_until are judged as they
    were planned, the rest against the changed cluster)."""
    from ..check import check as run
    from ..check import check_whatif

    problem, wi = _load_cluster_or_whatif(cluster)
    p = _read_plan(plan)
    if p.input_sha256 and p.input_sha256 != problem.input_sha256:
        _echo(
            f"warning: the plan was made from a different version of {cluster}",
            err=True,
        )
    if wi is not None:
        violations = check_whatif(wi.base, problem, wi.frozen_until, p)
    else:
        violations = run(problem, p)
    for v in violations:
        _echo(f"rule {v.rule}: {v.event}: {v.message}")
    if violations:
        _echo(
            f"{len(violations)} violation{'s' if len(violations) != 1 else ''}.",
            err=True,
        )
        sys.exit(EXIT_VIOLATIONS)
    _echo(
        f"clean: {len(p.events)} events, {len(p.travel)} trips and "
        f"{len(p.unmet)} unmet "
        f"account for all {len(problem.owed)} owed events; every hard rule holds."
    )


@click.command()
@click.argument("plan", type=click.Path(dir_okay=False))
@click.option(
    "--cluster",
    type=click.Path(dir_okay=False),
    help="The cluster file [as recorded in the plan].",
)
@click.option(
    "--week",
    type=int,
    default=None,
    help="Teaching week, 1 = the first (as the timetable numbers them) "
    "[first planned].",
)
@click.option("--mentor", default=None, help="One mentor's week.")
@click.option("--school", default=None, help="One school's week.")
def show(
    plan: str,
    cluster: str | None,
    week: int | None,
    mentor: str | None,
    school: str | None,
) -> None:
    """Print a week of PLAN as a grid, then the plan's summary."""
    from ..render.terminal import plan_summary, week_grid
    from ..words import week_index

    if mentor and school:
        _fail("give --mentor or --school, not both")
    p = _read_plan(plan)
    source = cluster or p.cluster_file
    if not source:
        _fail(f"{plan}: the plan does not record its cluster file; pass --cluster FILE")
    if not Path(source).is_absolute() and cluster is None:
        source = str((Path(plan).resolve().parent / source).resolve())
    problem = _load(source)
    if week is None:
        index = min(
            (problem.calendar.week_of.get(e.date, 0) for e in p.events), default=0
        )
    else:
        index = week_index(week)
    width = shutil.get_terminal_size((120, 40)).columns
    try:
        click.echo(week_grid(problem, p, index, mentor, school, width, _color()))
    except ValueError as exc:
        _fail(str(exc))
    _echo()
    _echo(plan_summary(problem, p, unmet_categories(problem, p)))
