"""The solve's progress on stderr: a live line on a terminal, a line per phase
otherwise."""

from __future__ import annotations

import sys
from typing import Any

import click


class _Progress:
    """A live line on a terminal, a line per phase otherwise; always on stderr.

    The solver reports ``elapsed``, ``objective`` and ``bound`` (of the whole
    plan, as the summary gives them), ``phase`` and optionally ``planned`` and
    ``owed``; any may be missing. No counts of parts that change mid-run."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.live = sys.stderr.isatty()
        self.last = ""
        self.shown = ""  # the last line written when not live
        self.phase: object = None

    @staticmethod
    def line(info: dict[str, Any]) -> str:
        parts = [f"{info.get('elapsed', 0.0):6.1f}s"]
        if info.get("phase"):
            parts.append(str(info["phase"]))
        if info.get("planned") is not None:
            owed = info.get("owed")
            parts.append(
                f"planned {info['planned']:,}" + (f" of {owed:,}" if owed else "")
            )
        objective, bound = info.get("objective"), info.get("bound")
        if objective is not None:
            parts.append(f"objective {objective:,.0f}")
        if bound is not None:
            parts.append(f"bound {bound:,.0f}")
        if objective and bound is not None:
            gap = max(0.0, objective - bound) / abs(objective)
            parts.append(f"gap {gap:.1%}")
        return "  ".join(parts)

    def __call__(self, info: dict[str, Any]) -> None:
        if self.quiet:
            return
        line = self.line(info)
        if self.live:
            click.echo("\r" + line.ljust(len(self.last)), nl=False, err=True)
        elif info.get("phase") != self.phase and self.last and self.last != self.shown:
            click.echo(self.last, err=True)  # how the phase before it ended
            self.shown = self.last
        self.phase = info.get("phase")
        self.last = line

    def close(self) -> None:
        if self.quiet or not self.last:
            return
        if self.live:
            click.echo("", err=True)
        elif self.last != self.shown:
            click.echo(self.last, err=True)
            self.shown = self.last
