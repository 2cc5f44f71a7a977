"""whatif, capacity and sweep: re-plans against a baseline."""

from __future__ import annotations

import importlib
import json
import os
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from ..input import InputErrors
from . import (
    EXIT_CONTRADICTION,
    OUT_ROOT,
    _echo,
    _fail,
    _fail_input,
    _fail_invalid,
    _fail_output,
    _load,
    _read_baseline,
    _read_plan,
)
from .progress import _Progress


@click.command()
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
    from ..outputs import (
        InvalidPlan,
        OutputError,
        OutputFolder,
        relative_to_run,
        verify,
    )

    w = importlib.import_module("..whatif", __package__)  # the module, not whatif()

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
            out_dir = w.default_out_dir(scenario, OUT_ROOT)
        else:
            out_dir = Path(out) if len(loaded) == 1 else Path(out) / scenario.path.stem
        folder = OutputFolder(out_dir, "whatif")
        try:
            w.check_whatif_out(out_dir, scenario.base_path, OUT_ROOT)
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
                out_root=OUT_ROOT,
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
                else w.base_output_dir(scenario.base_path, OUT_ROOT)
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


# -- planners: capacity and absence sweeps (issue 14) ------------------------------


def _plan_or_fail(path: str | None, problem: Any) -> Any:
    return _read_baseline(path, problem) if path else None


@click.command()
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
    from .. import capacity as c
    from ..progress_bar import ProgressBar
    from ..whatif import load_whatif

    try:
        wi = load_whatif(scenario)
    except InputErrors as exc:
        _fail_input(exc)
    base = _plan_or_fail(baseline, wi.base)
    bar = ProgressBar(0, "re-plans", quiet=quiet or as_json)
    options = dict(baseline=base, time_limit=time_limit, seed=seed, out_root=OUT_ROOT)
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


@click.command()
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
    from ..input import read_bounded
    from ..outputs import OutputError
    from ..progress_bar import ProgressBar
    from ..sweep import check_sweep_out, default_sweep_dir, load_rates, write_sweep
    from ..sweep import sweep as run_sweep
    from ..sweep.report import text
    from ..sweep.run import DaskMissing, work_limit_for
    from ..whatif import base_output_dir

    if workers is not None and dask:
        _fail("give --workers or --dask, not both")
    problem = _load(cluster)
    try:
        chosen = load_rates(rates)
    except InputErrors as exc:
        _fail_input(exc)
    out_dir = Path(out) if out else default_sweep_dir(Path(cluster), OUT_ROOT)
    try:
        check_sweep_out(out_dir)
    except OutputError as exc:
        _fail_output(exc)
    if baseline:
        base, source = _read_baseline(baseline, problem), baseline
    else:
        live = base_output_dir(Path(cluster), OUT_ROOT) / "plan.json"
        base, source = None, "solved"
        if live.is_file():
            found = _read_plan(str(live))
            if found.input_sha256 == problem.input_sha256:
                base, source = found, str(live)
    if base is None:
        from ..solver import solve as run

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
