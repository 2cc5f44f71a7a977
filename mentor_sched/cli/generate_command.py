"""generate: a seeded demo cluster file."""

from __future__ import annotations

from pathlib import Path

import click

from . import _echo, _fail


@click.command()
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
    from ..generate import generate as run

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
