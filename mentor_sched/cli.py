"""The ``mentor-sched`` command: parse options, call the library, print."""

from __future__ import annotations

import json
import sys

import click

from .input import InputErrors, load

EXIT_BAD_INPUT = 2


def _fail_input(exc: InputErrors) -> None:
    n = len(exc.errors)
    for e in exc.errors:
        click.echo(f"error: {e}", err=True)
    click.echo(
        f"{n} problem{'s' if n != 1 else ''} found; nothing was planned.", err=True
    )
    sys.exit(EXIT_BAD_INPUT)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="mentor-sched")
def main() -> None:
    """Plan shared Expert Mentor visits across a cluster of schools."""


@main.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def validate(file: str, as_json: bool) -> None:
    """Check a cluster (or what-if) FILE and summarise what it asks for."""
    from .render.terminal import validate_text
    from .summary import summarise

    try:
        problem = load(file)
    except InputErrors as exc:
        _fail_input(exc)
        return
    summary = summarise(problem)
    if as_json:
        click.echo(json.dumps(summary, indent=2))
    else:
        click.echo(validate_text(summary))
