"""Start times as sets of minutes: the vocabulary the rules' option filters share.

An event of ``length`` minutes starting at ``s`` occupies ``[s, s + length)``.
No rule lives here; each rule module says which of these it applies and why.
"""

from __future__ import annotations

from ..problem import Range, overlaps


def starts_in(ranges: tuple[Range, ...], length: int, slot: int) -> set[int]:
    """Starts on the ``slot`` grid of an event that lies inside one of ``ranges``."""
    out: set[int] = set()
    for a, b in ranges:
        first = -(-a // slot) * slot
        out.update(range(first, b - length + 1, slot))
    return out


def fits(starts: set[int], length: int, ranges: tuple[Range, ...]) -> set[int]:
    """The ``starts`` whose event lies inside one of ``ranges``."""
    return {s for s in starts if any(a <= s and s + length <= b for a, b in ranges)}


def clear(starts: set[int], length: int, busy: tuple[Range, ...]) -> set[int]:
    """The ``starts`` whose event overlaps none of ``busy``."""
    return (
        {s for s in starts if not overlaps((s, s + length), busy)} if busy else starts
    )


def free_parts(lo: int, hi: int, busy: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of ``[lo, hi]`` outside ``busy``."""
    out, cursor = [], lo
    for a, b in sorted(busy):
        if b <= cursor or a >= hi:
            continue
        if a > cursor:
            out.append((cursor, a))
        cursor = max(cursor, b)
    if cursor < hi:
        out.append((cursor, hi))
    return out
