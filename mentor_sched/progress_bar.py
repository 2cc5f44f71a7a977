"""A progress bar on stderr for commands that do many re-plans (``capacity``,
``sweep``): runs done, elapsed, rate and time left."""

from __future__ import annotations

import sys
import time
from typing import TextIO

WIDTH = 24


class ProgressBar:
    """Redrawn in place on a terminal; elsewhere (a log, CI) a line at every
    tenth of the way, so a long sweep does not flood the log."""

    def __init__(
        self,
        total: int,
        label: str = "runs",
        *,
        quiet: bool = False,
        stream: TextIO | None = None,
    ) -> None:
        self.total = max(total, 0)
        self.label = label
        self.quiet = quiet
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty()
        self.started = time.monotonic()
        self.done = 0
        self.width = 0
        self.shown_tenth = -1

    def line(self, now: float | None = None) -> str:
        elapsed = (now or time.monotonic()) - self.started
        total = max(self.total, self.done)
        filled = round(WIDTH * self.done / total) if total else WIDTH
        bar = "#" * filled + "." * (WIDTH - filled)
        rate = self.done / elapsed * 60 if elapsed > 0 else 0.0
        parts = [f"[{bar}] {self.done}/{total} {self.label}", f"{elapsed:.0f} s"]
        if self.done:
            parts.append(f"{rate:.1f}/min")
            left = (total - self.done) * elapsed / self.done
            parts.append(f"ETA {left:.0f} s")
        return "  ".join(parts)

    def advance(self, n: int = 1, total: int | None = None) -> None:
        self.done += n
        if total is not None:
            self.total = total
        if self.quiet:
            return
        text = self.line()
        if self.live:
            self.stream.write("\r" + text.ljust(self.width))
            self.width = len(text)
            self.stream.flush()
            return
        tenth = 10 * self.done // max(self.total, 1)
        if tenth != self.shown_tenth:
            self.shown_tenth = tenth
            self.stream.write(text + "\n")
            self.stream.flush()

    def close(self) -> None:
        if self.quiet:
            return
        if self.live and self.width:
            self.stream.write("\n")
            self.stream.flush()
