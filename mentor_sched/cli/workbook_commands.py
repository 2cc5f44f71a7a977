"""template, import and export: spreadsheets in and out (issue 15)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..input import InputErrors
from . import EXIT_BAD_INPUT, _echo, _fail


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


@click.command()
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
    from .. import workbook

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


@click.command(name="import")
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
    from .. import workbook

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


@click.command()
@click.argument("cluster", type=click.Path(dir_okay=False))
@click.argument("out", type=click.Path(dir_okay=False))
@click.option("--school", default=None, help="Keep only this school's rows.")
def export(cluster: str, out: str, school: str | None) -> None:
    """Write CLUSTER as a filled workbook OUT, for schools to check."""
    from .. import workbook

    _writable(out)
    try:
        n = workbook.export_workbook(cluster, out, school)
    except InputErrors as exc:
        _fail_workbook(exc)
    _echo(f"Wrote {out}: {n} rows" + (f" of {school}" if school else "") + ".")
