"""The demand's ``window``, hard: every kind but ``cover`` lies inside the
demand's window when one is given (its ``days``, and its ``time`` for both the
start and the end). Rule 7 names it for group sessions.

It concerns one event at a time, so it lives wholly in the options.
"""

from __future__ import annotations

from datetime import date

from ..problem import Demand
from .starts import fits

NUMBER = "window"


def window_day(demand: Demand, day: date) -> bool:
    """Hard: ``day`` is one of the window's weekdays (any, without a window)."""
    return demand.window_days is None or day.weekday() in demand.window_days


def window_starts(demand: Demand, starts: set[int], length: int) -> set[int]:
    """Hard: the ``starts`` whose event lies inside the window's time."""
    if not demand.window_time:
        return starts
    return fits(starts, length, (demand.window_time,))
