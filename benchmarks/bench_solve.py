"""Solve benchmark: wall time, status, objective, bound, gap, coverage, peak memory.

Run:  python benchmarks/bench_solve.py [--time-limit 60]
Each case is solved in a fresh process (`mentor-sched solve --json`) so its peak
RSS is its own. Prints markdown rows for benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = [
    ("example (stour-valley)", None),
    ("generated 24 schools / 4 mentors / 100 people / 12 weeks", (24, 4, 100, 12)),
    ("generated 60 schools / 8 mentors / 250 people / 13 weeks", (60, 8, 250, 13)),
]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--time-limit", type=float, default=60)
    ap.add_argument("--only", type=int, default=None, help="run one case (index)")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    print(
        "| case | owed | planned | status | objective | bound | gap | wall s "
        "| peak RSS MiB |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for i, (name, size) in enumerate(CASES):
        if args.only is not None and i != args.only:
            continue
        if size is None:
            cluster = ROOT / "scenarios" / "stour-valley" / "cluster.yaml"
        else:
            cluster = tmp / f"g{size[0]}.yaml"
            s, m, p, w = size
            subprocess.run(
                [
                    "mentor-sched",
                    "generate",
                    "--schools",
                    str(s),
                    "--mentors",
                    str(m),
                    "--people",
                    str(p),
                    "--weeks",
                    str(w),
                    "--seed",
                    "1",
                    "-o",
                    str(cluster),
                ],
                check=True,
            )
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        t0 = time.monotonic()
        out = subprocess.run(
            [
                "mentor-sched",
                "solve",
                str(cluster),
                "--out",
                str(tmp / f"out{i}"),
                "--time-limit",
                str(args.time_limit),
                "--json",
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        wall = time.monotonic() - t0
        rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        d = json.loads(out.stdout)
        m = d["metrics"]
        gap = (d["objective"] - d["bound"]) / d["objective"] if d["objective"] else 0
        print(
            f"| {name} | {m['owed']} | {m['planned']} | {d['status']} "
            f"| {d['objective']} | {d['bound']} | {gap:.1%} | {wall:.1f} "
            f"| {max(rss, before) / 1024:.0f} |",
            flush=True,
        )


if __name__ == "__main__":
    sys.exit(main())
