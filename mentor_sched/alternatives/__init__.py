"""Where else could one event go, and what would it cost? (UniTime's
suggestions, Timefold's recommended fit.)

For one event of a solved plan, every other (mentor, date, venue) among its
options (``candidates.options``: the rules that concern one event) is tried
with the rest of the plan as it stands:

- at each start of that option, the mentor-day must still obey rules 2-4 with
  the day's other events (``fit_day``: no overlap, travel, base, limits and
  the break) and the people who attend must be free (rule 5); a topic session
  stays between its neighbours' periods (rule 7);
- when it does not fit, the events in the way (on that mentor-day, those the
  travel to and from it needs; the people's other events at that time) would
  have to move: each is offered its own best free slot, one step only (it
  displaces nothing), or else it would be unmet. A pinned event never moves.

Each (mentor, date, venue) is listed once, at its best start: fewest events
moved, then the smallest change in objective, then the start nearest the
current one. The change is worked out move by move with the solver's
``Ledger`` for the search, and for each listed alternative once more from the
whole changed plan with ``metrics`` and ``objective_terms``, the formulas of
``plan.json``; the ``change`` weight (a what-if's price per moved event) is
not in it. Ranked by (events that must move, change in objective).
"""

from __future__ import annotations

from .answer import Alternative, Alternatives, AlternativesError, Move, Slot
from .pin import default_pin_path, pin_whatif, write_pin_whatif
from .search import alternatives

__all__ = [
    "Alternative",
    "Alternatives",
    "AlternativesError",
    "Move",
    "Slot",
    "alternatives",
    "default_pin_path",
    "pin_whatif",
    "write_pin_whatif",
]
