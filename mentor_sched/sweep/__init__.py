"""``mentor-sched sweep``: Monte Carlo absence scenarios re-planned against the
baseline, on a local process pool or a Dask cluster (docs/sweep.md).

    rates.py   RATES.yaml and sampling a run's absences
    run.py     shipping runs to workers and recording each re-plan
    report.py  sweep.md and sweep.html from sweep.json
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .rates import Rates, load_rates
from .run import REPLAN_SECONDS, sweep

__all__ = [
    "REPLAN_SECONDS",
    "Rates",
    "check_sweep_out",
    "default_sweep_dir",
    "load_rates",
    "sweep",
    "write_sweep",
]

FILES = ("sweep.json", "sweep.md", "sweep.html")


def default_sweep_dir(cluster: Path, out_root: Path) -> Path:
    """``out/<cluster>.sweep/``: beside the solve's ``out/<cluster>/``, never in it."""
    from ..outputs import default_out_dir

    base = default_out_dir(cluster, out_root)
    return base.parent / f"{base.name}.sweep"


def check_sweep_out(out_dir: Path) -> None:
    """OutputError unless ``out_dir`` is new, empty or holds only a sweep: a
    sweep never writes where a solve or a what-if writes."""
    from ..outputs import OutputError, solve_folder_holding

    holder = solve_folder_holding(out_dir)
    if holder is not None:
        raise OutputError(
            f"{out_dir} is where a solve or a what-if writes its outputs ({holder}); "
            "choose another --out (the default is out/<cluster>.sweep/)"
        )
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"{out_dir} is a file, not a folder; choose another --out")
    if out_dir.is_dir():
        others = sorted(
            p.name
            for p in out_dir.iterdir()
            if p.name not in FILES and not p.name.startswith(".")
        )
        if others:
            raise OutputError(
                f"{out_dir} holds other files ({', '.join(others[:3])}); a sweep "
                "writes only to a new or empty folder, or one holding a sweep"
            )


def write_sweep(data: dict[str, Any], out_dir: Path) -> list[Path]:
    """``sweep.json``, ``sweep.md`` and ``sweep.html``, each replaced in one step."""
    from ..render import write_atomic
    from .report import html_page, markdown

    check_sweep_out(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    texts = {
        "sweep.json": json.dumps(data, indent=2, ensure_ascii=False) + "\n",
        "sweep.md": markdown(data),
        "sweep.html": html_page(data),
    }
    paths = []
    for name, text in texts.items():
        write_atomic(out_dir / name, text)
        paths.append(out_dir / name)
    return paths
