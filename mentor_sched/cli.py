"""The ``mentor-sched`` command: parse options, call the library, print.

Exit codes: 0 done (a plan was written, or the input is valid, or the plan is
clean); 1 ``check`` found violations; 2 bad input (the cluster or what-if file,
a plan or baseline that is not a plan of this cluster, an output folder that
cannot be used: all found before solving); 3 the input's hard rules
contradict each other (e.g. pins that cannot all hold); 4 internal error: a plan
mentor-sched made breaks a hard rule (the checker's findings are printed and
nothing is written; any other unexpected error, a bug, also exits 4 with a
message); 5 the output folder is busy: another run is writing to it.
Every failure prints a message on stderr; text from the input is printed without
control characters, so a name cannot send escape sequences to the terminal.
"""

from __future__ import annotations

import importlib
import json
import os
import shutil
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from .input import InputErrors, load

# --time-limit is the wall clock of the whole command, from here
STARTED = time.monotonic()

EXIT_VIOLATIONS = 1
EXIT_BAD_INPUT = 2
EXIT_CONTRADICTION = 3
EXIT_INTERNAL = 4
EXIT_BUSY = 5


def _echo(message: object = "", *, err: bool = False, nl: bool = True) -> None:
    """click.echo without control characters (ESC, OSC, CR...) from names."""
    from .render import terminal_text

    click.echo(terminal_text(str(message)), err=err, nl=nl)


def _fail_output(exc: Exception) -> None:
    from .outputs import OutputBusy

    _fail(str(exc), EXIT_BUSY if isinstance(exc, OutputBusy) else EXIT_BAD_INPUT)


def _fail_input(exc: InputErrors) -> None:
    n = len(exc.errors)
    for e in exc.errors:
        _echo(f"error: {e}", err=True)
    _echo(f"{n} problem{'s' if n != 1 else ''} found; nothing was planned.", err=True)
    sys.exit(EXIT_BAD_INPUT)


def _fail(message: str, code: int = EXIT_BAD_INPUT) -> None:
    _echo(f"error: {message}", err=True)
    sys.exit(code)


def _fail_invalid(exc: Exception) -> None:
    """A plan mentor-sched made breaks a rule: say so, write nothing."""
    violations = getattr(exc, "violations", [])
    for v in violations:
        _echo(f"rule {v.rule}: {v.event}: {v.message}", err=True)
    _echo(
        f"internal error: the plan made breaks {len(violations)} rule"
        f"{'s' if len(violations) != 1 else ''} (above), so nothing was written "
        "and previous outputs are untouched; please report this with the input",
        err=True,
    )
    sys.exit(EXIT_INTERNAL)


def _load(path: str):
    try:
        return load(path)
    except InputErrors as exc:
        _fail_input(exc)


def _load_cluster_or_whatif(path: str):
    """The Problem of a cluster file, or of a what-if file's changed cluster
    (with the what-if); bad input exits 2 with its messages."""
    from .input import load_document

    try:
        kind, _ = load_document(path)
    except InputErrors as exc:
        _fail_input(exc)
    if kind != "whatif":
        return _load(path), None
    from .whatif import load_whatif

    try:
        wi = load_whatif(path)
    except InputErrors as exc:
        _fail_input(exc)
    return wi.problem, wi


def _read_plan(path: str):
    from .plan import Plan

    try:
        return Plan.read(path)
    except FileNotFoundError:
        _fail(f"{path}: no such file; run 'mentor-sched solve' first")
    except OSError as exc:
        _fail(f"{path}: cannot read it ({exc.strerror or exc})")
    except (ValueError, KeyError, TypeError, RecursionError) as exc:
        _fail(f"{path}: not a mentor-sched plan.json ({exc})")


def _read_baseline(path: str, problem):
    """A baseline must be a plan of this cluster: same name (a plan of an
    earlier version of the file is the usual case and welcome)."""
    base = _read_plan(path)
    if base.input_sha256 != problem.input_sha256 and base.cluster != problem.name:
        _fail(
            f"{path}: a plan of {base.cluster!r}, not of {problem.name!r} (the "
            "cluster names and input digests differ); give a plan.json made "
            "from this cluster file"
        )
    return base


def _color() -> bool:
    return "NO_COLOR" not in os.environ and sys.stdout.isatty()


class _Program(click.Group):
    """The command as a program: an unexpected exception (a bug) exits 4 with a
    message, never 1, which is ``check``'s "violations found". (CliRunner calls
    ``main.main`` and still sees the exception itself.)"""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return self.main(*args, **kwargs)
        except Exception as exc:
            if os.environ.get("MENTOR_SCHED_TRACEBACK"):
                raise
            _echo(
                f"internal error: {type(exc).__name__}: {exc}; nothing more was "
                "written and previous outputs are untouched; please report this "
                "with the input (MENTOR_SCHED_TRACEBACK=1 shows the traceback)",
                err=True,
            )
            sys.exit(EXIT_INTERNAL)


@click.group(cls=_Program, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="mentor-sched")
def main() -> None:
    """Plan shared Expert Mentor visits across a cluster of schools."""


@main.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def validate(file: str, as_json: bool) -> None:
    """Check a cluster or what-if FILE and summarise what it asks for."""
    from .render.terminal import validate_text
    from .summary import summarise

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


class _Progress:
    """A live line on a terminal, a line per phase otherwise; always on stderr.

    The solver reports ``elapsed``, ``objective`` and ``bound`` (of the whole
    plan, as the summary gives them), ``phase`` and optionally ``planned`` and
    ``owed``; any may be missing. No counts of parts that change mid-run."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.live = sys.stderr.isatty()
        self.last = ""
        self.shown = ""  # the last line written when not live
        self.phase: object = None

    @staticmethod
    def line(info: dict[str, Any]) -> str:
        parts = [f"{info.get('elapsed', 0.0):6.1f}s"]
        if info.get("phase"):
            parts.append(str(info["phase"]))
        if info.get("planned") is not None:
            owed = info.get("owed")
            parts.append(
                f"planned {info['planned']:,}" + (f" of {owed:,}" if owed else "")
            )
        objective, bound = info.get("objective"), info.get("bound")
        if objective is not None:
            parts.append(f"objective {objective:,.0f}")
        if bound is not None:
            parts.append(f"bound {bound:,.0f}")
        if objective and bound is not None:
            gap = max(0.0, objective - bound) / abs(objective)
            parts.append(f"gap {gap:.1%}")
        return "  ".join(parts)

    def __call__(self, info: dict[str, Any]) -> None:
        if self.quiet:
            return
        line = self.line(info)
        if self.live:
            click.echo("\r" + line.ljust(len(self.last)), nl=False, err=True)
        elif info.get("phase") != self.phase and self.last and self.last != self.shown:
            click.echo(self.last, err=True)  # how the phase before it ended
            self.shown = self.last
        self.phase = info.get("phase")
        self.last = line

    def close(self) -> None:
        if self.quiet or not self.last:
            return
        if self.live:
            click.echo("", err=True)
        elif self.last != self.shown:
            click.echo(self.last, err=True)
            self.shown = self.last


@main.command()
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
    from .outputs import (
        InvalidPlan,
        OutputError,
        OutputFolder,
        default_out_dir,
        relative_to_run,
    )
    from .render.terminal import plan_summary
    from .solver import output_seconds
    from .solver import solve as run

    problem = _load(cluster)
    base = _read_baseline(baseline, problem) if baseline else None
    out_dir = Path(out) if out else default_out_dir(Path(cluster))
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
        _echo(plan_summary(problem, plan))
        _echo(
            f"\nWrote {len(written)} files to {out_dir}/ (plan.json, timetable.html, "
            "report.md, events.csv, schools/*.ics, mentors/*.ics, people/*.ics)"
        )


@main.command()
@click.argument("cluster", type=click.Path(dir_okay=False))
@click.argument("plan", type=click.Path(dir_okay=False))
def check(cluster: str, plan: str) -> None:
    """Recompute every hard rule and the accounting of PLAN against CLUSTER, a
    cluster or a what-if file (events before its frozen_until are judged as they
    were planned, the rest against the changed cluster)."""
    from .check import check as run
    from .check import check_whatif

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


@main.command()
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
    from .render.terminal import plan_summary, week_grid
    from .words import week_index

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
    _echo(plan_summary(problem, p))


@main.command()
@click.option("--schools", type=click.IntRange(1), required=True)
@click.option("--mentors", type=click.IntRange(1), required=True)
@click.option("--people", type=click.IntRange(0), required=True)
@click.option("--weeks", type=click.IntRange(1), required=True)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="File to write [stdout]."
)
def generate(
    schools: int, mentors: int, people: int, weeks: int, seed: int, output: str | None
) -> None:
    """Write a realistic, seeded cluster file (for trials and benchmarks)."""
    from .generate import generate as run

    try:
        text = run(
            schools=schools, mentors=mentors, people=people, weeks=weeks, seed=seed
        )
    except ValueError as exc:
        _fail(str(exc))
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        _echo(text, nl=False)


@main.command()
@click.argument("scenarios", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "--baseline",
    type=click.Path(dir_okay=False),
    help="The plan.json to re-plan against [out/<base>/plan.json if it "
    "matches the base file, else a fresh solve of the base].",
)
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False),
    help="Output folder [out/<cluster>.whatifs/<scenario file stem>]; with "
    "several scenarios, a folder holding one folder per scenario; never a "
    "solve's output folder.",
)
@click.option(
    "--time-limit", default=60.0, show_default=True, help="Seconds of search per solve."
)
@click.option(
    "--workers",
    type=int,
    default=None,
    help="Processes for independent subproblems [all cores].",
)
@click.option("--seed", default=0, show_default=True, help="Random seed of the search.")
@click.option("--quiet", "-q", is_flag=True, help="No progress or diff.")
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print the diff (or the comparison) as JSON.",
)
def whatif(scenarios, baseline, out, time_limit, workers, seed, quiet, as_json) -> None:
    """Re-plan what-if SCENARIOS against the baseline and report what moved."""
    from .outputs import (
        InvalidPlan,
        OutputError,
        OutputFolder,
        relative_to_run,
        verify,
    )

    w = importlib.import_module(".whatif", __package__)  # the module, not whatif()

    loaded = []
    for path in scenarios:
        try:
            loaded.append(w.load_whatif(path))
        except InputErrors as exc:
            _fail_input(exc)
    given = _read_baseline(baseline, loaded[0].base) if baseline else None
    # every output folder is checked and locked before any re-plan
    folders = []
    for scenario in loaded:
        if out is None:
            out_dir = w.default_out_dir(scenario)
        else:
            out_dir = Path(out) if len(loaded) == 1 else Path(out) / scenario.path.stem
        folder = OutputFolder(out_dir, "whatif")
        try:
            w.check_whatif_out(out_dir, scenario.base_path)
            if any(f.path == out_dir for f in folders):
                raise OutputError(f"two scenarios would write to {out_dir}/")
            folder.claim()
        except OutputError as exc:
            for f in folders:
                f.release()
            _fail_output(exc)
        folders.append(folder)
    baselines: dict[Path, Any] = {}
    try:
        results = []
        for scenario, folder in zip(loaded, folders, strict=True):
            key = scenario.base_path.resolve()
            base = baselines[key] if given is None and key in baselines else given
            progress = _Progress(quiet or as_json)
            result = w.whatif(
                scenario,
                baseline=base,
                time_limit=time_limit,
                workers=workers,
                seed=seed,
                progress=progress,
            )
            progress.close()
            baselines.setdefault(key, result.baseline)
            if result.conflict:
                _fail(
                    "the pins contradict each other or the hard rules after the "
                    "changes: " + ", ".join(result.conflict),
                    EXIT_CONTRADICTION,
                )
            out_dir = folder.path
            base_dir = (
                Path(baseline).parent
                if baseline
                else w.base_output_dir(scenario.base_path)
            )
            plan = replace(
                result.plan,
                cluster_file=relative_to_run(out_dir, scenario.path),
            )
            results.append((replace(result, plan=plan), out_dir, base_dir))
        # every re-plan is judged before any is written: a bad one writes nothing
        for result, _, _ in results:
            try:
                verify(result.problem, result.plan, result.violations)
            except InvalidPlan as exc:
                _fail_invalid(exc)
        for (result, out_dir, base_dir), folder in zip(results, folders, strict=True):
            try:
                w.write_whatif_outputs(result, folder, base_dir)
            except InvalidPlan as exc:
                _fail_invalid(exc)
            finally:
                folder.release()
            if len(loaded) == 1:
                if as_json:
                    _echo(result.diff_json(), nl=False)
                elif not quiet:
                    _echo(result.text())
                    _echo(f"\nWrote the re-plan, diff.json and whatif.md to {out_dir}/")
    finally:
        for f in folders:
            f.release()
    if len(loaded) > 1:
        rows = w.comparison_table([r for r, _, _ in results])
        for row, (_, out_dir, _) in zip(rows, results, strict=True):
            row["out"] = str(out_dir)
        if as_json:
            _echo(json.dumps(rows, indent=2))
        else:
            _echo(w.comparison_text(rows))
            if not quiet:
                _echo(
                    "\nEach scenario's re-plan, diff.json and whatif.md: "
                    + ", ".join(f"{o}/" for _, o, _ in results)
                )


# -- workbooks: spreadsheets in and out (issue 15) ---------------------------------


def _fail_workbook(exc: InputErrors) -> None:
    n = len(exc.errors)
    for e in exc.errors:
        _echo(f"error: {e}", err=True)
    _echo(f"{n} problem{'s' if n != 1 else ''} found; nothing was written.", err=True)
    sys.exit(EXIT_BAD_INPUT)


def _writable(path: str) -> None:
    folder = Path(path).parent
    if not folder.is_dir():
        _fail(f"{path}: the folder {folder} does not exist")


@main.command()
@click.argument("out", type=click.Path(dir_okay=False))
@click.option("--school", default=None, help="Only this school's rows (--cluster).")
@click.option(
    "--cluster",
    type=click.Path(dir_okay=False),
    default=None,
    help="The cluster file whose school rows to write (with --school).",
)
def template(out: str, school: str | None, cluster: str | None) -> None:
    """Write a workbook to fill in: every sheet, help, examples, choice lists."""
    from . import workbook

    if (school is None) != (cluster is None):
        _fail("--school and --cluster go together: a school's rows of a cluster")
    _writable(out)
    try:
        if school is not None:
            n = workbook.school_workbook(cluster, out, school)
            _echo(f"Wrote {out}: {n} rows of {school} to check and complete.")
        else:
            workbook.write_template(out)
            _echo(f"Wrote {out}: fill it in, then 'mentor-sched import {out}'.")
    except InputErrors as exc:
        _fail_workbook(exc)


@main.command(name="import")
@click.argument("workbooks", nargs=-1, required=True, type=click.Path(exists=True))
@click.option(
    "-o",
    "--out",
    default=None,
    type=click.Path(dir_okay=False),
    help="The cluster file to write (default: print it).",
)
@click.option(
    "--into",
    default=None,
    type=click.Path(dir_okay=False, exists=True),
    help="Merge school workbooks into this cluster file.",
)
def import_(workbooks: tuple[str, ...], out: str | None, into: str | None) -> None:
    """Read a filled WORKBOOK (or a folder of CSV files) into cluster YAML."""
    from . import workbook

    if into is None and len(workbooks) > 1:
        _fail("give one workbook, or school workbooks with --into CLUSTER.yaml")
    if out is not None:
        _writable(out)
    try:
        done = workbook.import_workbooks(
            list(workbooks), into=into, name=out or "cluster.yaml"
        )
    except InputErrors as exc:
        _fail_workbook(exc)
    for line in done.notes:
        _echo(line, err=True)
    if out is None:
        click.echo(done.yaml, nl=False)
    else:
        workbook.write_text(out, done.yaml)
        _echo(f"Wrote {out}; 'mentor-sched validate {out}' accepts it.", err=True)


@main.command()
@click.argument("cluster", type=click.Path(dir_okay=False))
@click.argument("out", type=click.Path(dir_okay=False))
@click.option("--school", default=None, help="Keep only this school's rows.")
def export(cluster: str, out: str, school: str | None) -> None:
    """Write CLUSTER as a filled workbook OUT, for schools to check."""
    from . import workbook

    _writable(out)
    try:
        n = workbook.export_workbook(cluster, out, school)
    except InputErrors as exc:
        _fail_workbook(exc)
    _echo(f"Wrote {out}: {n} rows" + (f" of {school}" if school else "") + ".")


# -- the live plan: adopt, tokens, serve, caldav-push (issue 13) --------------------


def _live(call: Any) -> Any:
    """Run ``call()``; LiveError and an unusable folder exit 2, a busy one 5, a
    plan that breaks a rule 4, each with its message."""
    from .live import LiveError
    from .outputs import InvalidPlan, OutputError

    try:
        return call()
    except LiveError as exc:
        _fail(str(exc))
    except OutputError as exc:
        _fail_output(exc)
    except InvalidPlan as exc:
        _fail_invalid(exc)


@main.command()
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
    from .live import adopt as live_adopt

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


@main.command()
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
    from .live import tokens as t

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


@main.command()
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
    from .live import current_run
    from .live import serve as s
    from .live.tokens import check_base_url

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


@main.command(name="caldav-push")
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
    from .live import caldav_push as c

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


# -- planners: capacity and absence sweeps (issue 14) ------------------------------


def _plan_or_fail(path: str | None, problem: Any) -> Any:
    return _read_baseline(path, problem) if path else None


@main.command()
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option(
    "--max",
    "max_copies",
    type=click.IntRange(1, 1000),
    default=16,
    show_default=True,
    help="The most copies to try.",
)
@click.option(
    "--target",
    type=click.FloatRange(0, 100),
    default=None,
    help="With a what-if giving mentor days: the fewest days a week that plan "
    "at least this % of owed events.",
)
@click.option(
    "--baseline",
    type=click.Path(dir_okay=False),
    help="The plan.json to re-plan against [the base's saved plan, else a solve].",
)
@click.option(
    "--time-limit",
    type=click.FloatRange(min=1.0, max=86400.0),
    default=10.0,
    show_default=True,
    help="Seconds of search per re-plan (it also fixes the work budget).",
)
@click.option("--seed", default=0, show_default=True, help="Random seed of the search.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option("--json", "as_json", is_flag=True, help='Print {"k": k, ...} as JSON.')
def capacity(
    scenario, max_copies, target, baseline, time_limit, seed, quiet, as_json
) -> None:
    """How many copies of what SCENARIO adds still fit (or, with --target, the
    fewest mentor days a week), by re-planning against the baseline."""
    from . import capacity as c
    from .progress_bar import ProgressBar
    from .whatif import load_whatif

    try:
        wi = load_whatif(scenario)
    except InputErrors as exc:
        _fail_input(exc)
    base = _plan_or_fail(baseline, wi.base)
    bar = ProgressBar(0, "re-plans", quiet=quiet or as_json)
    options = dict(baseline=base, time_limit=time_limit, seed=seed)
    try:
        if target is None:
            r = c.capacity(
                scenario,
                max_copies=max_copies,
                progress=lambda done, of: bar.advance(total=of),
                **options,
            )
        else:
            r = c.fewest_days(
                scenario,
                target=target,
                progress=lambda done, of: bar.advance(total=of),
                **options,
            )
    except InputErrors as exc:
        bar.close()
        _fail_input(exc)
    bar.close()
    if as_json:
        _echo(json.dumps(r, indent=2))
    elif target is None:
        _echo(c.capacity_text(r))
    else:
        _echo(c.fewest_days_text(r))


@main.command()
@click.argument("cluster", type=click.Path(dir_okay=False))
@click.option("--runs", type=click.IntRange(1, 1_000_000), required=True)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option(
    "--rates",
    type=click.Path(dir_okay=False),
    default=None,
    help="RATES.yaml of absence rates [the documented defaults, docs/sweep.md].",
)
@click.option(
    "--time-limit",
    type=click.FloatRange(min=1.0, max=86400.0),
    default=10.0,
    show_default=True,
    help="Seconds of search per re-plan (it also fixes the work budget).",
)
@click.option(
    "--baseline",
    type=click.Path(dir_okay=False),
    help="The plan.json to re-plan against [the live plan, out/<cluster>/plan.json, "
    "if it is of this file; else a solve].",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 1024),
    default=None,
    help="Local processes [all cores].",
)
@click.option(
    "--dask",
    default=None,
    metavar="tcp://HOST:PORT",
    help="Run on this Dask scheduler instead (pip install 'mentor-sched[dask]').",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False),
    default=None,
    help="Output folder [out/<cluster>.sweep]; never a solve's or a what-if's.",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar or summary.")
@click.option("--json", "as_json", is_flag=True, help="Print sweep.json on stdout.")
def sweep(
    cluster, runs, seed, rates, time_limit, baseline, workers, dask, out, quiet, as_json
) -> None:
    """Monte Carlo absence scenarios for CLUSTER, each re-planned against the
    baseline: unmet, moves and minutes per school, as sweep.json/md/html."""
    from .input import read_bounded
    from .outputs import OutputError
    from .progress_bar import ProgressBar
    from .sweep import check_sweep_out, default_sweep_dir, load_rates, write_sweep
    from .sweep import sweep as run_sweep
    from .sweep.report import text
    from .sweep.run import DaskMissing, work_limit_for
    from .whatif import base_output_dir

    if workers is not None and dask:
        _fail("give --workers or --dask, not both")
    problem = _load(cluster)
    try:
        chosen = load_rates(rates)
    except InputErrors as exc:
        _fail_input(exc)
    out_dir = Path(out) if out else default_sweep_dir(Path(cluster))
    try:
        check_sweep_out(out_dir)
    except OutputError as exc:
        _fail_output(exc)
    if baseline:
        base, source = _read_baseline(baseline, problem), baseline
    else:
        live = base_output_dir(Path(cluster)) / "plan.json"
        base, source = None, "solved"
        if live.is_file():
            found = _read_plan(str(live))
            if found.input_sha256 == problem.input_sha256:
                base, source = found, str(live)
    if base is None:
        from .solver import solve as run

        base = run(
            problem,
            time_limit=time_limit,
            workers=1,
            seed=seed,
            work_limit=work_limit_for(time_limit),
        ).plan
    bar = ProgressBar(runs, "runs", quiet=quiet or as_json)
    try:
        data = run_sweep(
            problem,
            str(cluster),
            read_bounded(cluster),
            base,
            source,
            runs=runs,
            seed=seed,
            rates=chosen,
            time_limit=time_limit,
            processes=workers or os.cpu_count() or 1,
            dask=dask,
            progress=lambda done: bar.advance(),
        )
    except DaskMissing as exc:
        bar.close()
        _fail(str(exc))
    except OSError as exc:
        bar.close()
        _fail(f"cannot reach the Dask scheduler at {dask}: {exc}")
    bar.close()
    try:
        write_sweep(data, out_dir)
    except OutputError as exc:
        _fail_output(exc)
    if as_json:
        _echo(json.dumps(data, indent=2, ensure_ascii=False))
    elif not quiet:
        _echo(text(data))
        _echo(f"\nWrote sweep.json, sweep.md and sweep.html to {out_dir}/")
