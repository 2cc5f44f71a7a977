"""Benchmark of ``mentor-sched sweep`` (issue 14): runs per minute.

    python benchmarks/bench_sweep.py [--runs 200] [--big-runs 20] [--time-limit 3]

1. the example cluster, ``--runs`` runs on 2 local processes;
2. a generated 24-school cluster (``generate --schools 24 --mentors 4
   --people 100 --weeks 12 --seed 1``), ``--big-runs`` runs on 2 processes.

Each baseline is solved once first (not timed). A benchmark, not a test: the
figures depend on the machine and on what else runs on it; they go to
benchmarks/RESULTS.md by hand.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "scenarios" / "stour-valley" / "cluster.yaml"


def run(*args: str) -> None:
    code = "from mentor_sched.cli import main; main()"
    subprocess.run([sys.executable, "-c", code, *args], check=True)


def bench(cluster: Path, runs: int, time_limit: float, tmp: Path, name: str) -> dict:
    base = tmp / f"{name}-base"
    started = time.monotonic()
    run("solve", str(cluster), "--out", str(base), "--quiet", "--time-limit", "30")
    solve_s = time.monotonic() - started
    out = tmp / f"{name}-sweep"
    started = time.monotonic()
    run(
        "sweep", str(cluster), "--runs", str(runs), "--seed", "1",
        "--time-limit", str(time_limit), "--workers", "2", "--quiet",
        "--baseline", str(base / "plan.json"), "--out", str(out),
    )  # fmt: skip
    wall = time.monotonic() - started
    data = json.loads((out / "sweep.json").read_text())
    s = data["summary"]
    return {
        "cluster": name,
        "owed": data["baseline"]["owed"],
        "runs": runs,
        "baseline_solve_s": round(solve_s, 1),
        "sweep_wall_s": round(wall, 1),
        "runs_per_minute": round(runs / wall * 60, 1),
        "unmet_p10_p50_p90": [s["unmet"]["p10"], s["unmet"]["p50"], s["unmet"]["p90"]],
        "runs_with_violations": s["runs_with_violations"],
        "runs_cut_by_wall_clock": s["runs_cut_by_wall_clock"],
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--big-runs", type=int, default=20)
    ap.add_argument("--time-limit", type=float, default=3.0)
    ap.add_argument("--skip-big", action="store_true")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        print(json.dumps(bench(EXAMPLE, a.runs, a.time_limit, tmp, "stour-valley")))
        if a.skip_big:
            return
        big = tmp / "big.yaml"
        run(
            "generate", "--schools", "24", "--mentors", "4", "--people", "100",
            "--weeks", "12", "--seed", "1", "-o", str(big),
        )  # fmt: skip
        print(json.dumps(bench(big, a.big_runs, a.time_limit, tmp, "generated-24")))


if __name__ == "__main__":
    main()
