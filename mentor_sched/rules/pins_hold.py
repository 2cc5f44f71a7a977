"""Rule 8, hard: pins hold. A pinned event is planned at its pinned date and
start, with its pinned mentor and venue; a pin without a venue means the
person's school (a group: its one venue).

A pinned event is a task with one option and one start (``pin_options``) that
the model must plan (``pins_hold``).
"""

from __future__ import annotations

from ..candidates import Option
from ..problem import Owed, Pin, Problem

NUMBER = "8"


def pin_venue(problem: Problem, owed: Owed, pin: Pin) -> str:
    """Hard: where a pinned event is held: the pin's ``venue``, or by default the
    person's school (a group session: its first venue, the only one a pin may
    leave out)."""
    if pin.venue is not None:
        return pin.venue
    if owed.kind == "group":
        return problem.demands[owed.demand].venues[0]
    return problem.people[owed.people[0]].school


def pin_options(
    problem: Problem, owed: Owed, pin: Pin, options: list[Option]
) -> list[Option]:
    """Hard: of ``owed``'s options, the one the pin allows (its date, start,
    mentor and venue), with that single start; empty when none does."""
    venue = pin_venue(problem, owed, pin)
    return [
        Option(o.mentor, o.date, o.venue, (pin.start,), o.missed)
        for o in options
        if o.date == pin.date
        and pin.start in o.starts
        and (pin.mentor is None or o.mentor == pin.mentor)
        and o.venue == venue
    ][:1]


def pins_hold(model, fixed: bool, unmet) -> None:
    """Hard (CP-SAT): a pinned (or frozen) task is planned: its unmet literal is
    false, so its one option is taken."""
    if fixed:
        model.add(unmet == 0)
