"""The ``mentor-sched`` command: parse options, call the library, print.

The group and the helpers every command shares live here; the commands, one
module per group of them, are added to ``main`` at the end of this file.

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

import os
import sys
import time
from pathlib import Path
from typing import Any

import click

from ..input import InputErrors, load

# --time-limit is the wall clock of the whole command, from here
STARTED = time.monotonic()
# the command line's outputs live under ./out (README, 'Where the outputs go');
# the library never reads the current folder by itself
OUT_ROOT = Path("out")

EXIT_VIOLATIONS = 1
EXIT_BAD_INPUT = 2
EXIT_CONTRADICTION = 3
EXIT_INTERNAL = 4
EXIT_BUSY = 5


def _echo(message: object = "", *, err: bool = False, nl: bool = True) -> None:
    """click.echo without control characters (ESC, OSC, CR...) from names."""
    from ..render import terminal_text

    click.echo(terminal_text(str(message)), err=err, nl=nl)


def _fail_output(exc: Exception) -> None:
    from ..outputs import OutputBusy

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
    from ..input import load_document

    try:
        kind, _ = load_document(path)
    except InputErrors as exc:
        _fail_input(exc)
    if kind != "whatif":
        return _load(path), None
    from ..whatif import load_whatif

    try:
        wi = load_whatif(path)
    except InputErrors as exc:
        _fail_input(exc)
    return wi.problem, wi


def _read_plan(path: str):
    from ..plan import Plan

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


# the commands use the helpers above, so they are imported once those exist
from .alternatives_command import alternatives  # noqa: E402
from .generate_command import generate  # noqa: E402
from .live_commands import adopt, caldav_push, serve, tokens  # noqa: E402
from .plan_commands import check, show, solve, validate  # noqa: E402
from .progress import _Progress as _Progress  # noqa: E402
from .whatif_commands import capacity, sweep, whatif  # noqa: E402
from .workbook_commands import export, import_, template  # noqa: E402

for _command in (
    validate,
    solve,
    check,
    show,
    generate,
    whatif,
    template,
    import_,
    export,
    adopt,
    tokens,
    serve,
    caldav_push,
    capacity,
    sweep,
    alternatives,
):
    main.add_command(_command)
