"""The reference plan: what a careful coordinator makes by hand.

First fit, with nothing moved once placed: pins, covers, group sessions
(topics in order, fewest people missing), then each person's series, most
constrained and highest priority first, each event in the same weekday and
time as the one before it where that still fits, else the earliest slot, with
the school's usual mentor first. It is mentor-sched's construction step with
``construction="first-fit"`` and no search (``work_limit=0``), checked by the
independent checker like every plan.

Run:  python benchmarks/greedy.py CLUSTER.yaml [--json]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time

from mentor_sched import check, load, solve


def reference(path: str) -> dict:
    t0 = time.monotonic()
    problem = load(path)
    plan = solve(
        problem, time_limit=3600, work_limit=0, construction="first-fit", workers=1
    ).plan
    wall = time.monotonic() - t0
    violations = check(problem, plan)
    m = plan.metrics
    return {
        "owed": m["owed"],
        "planned": m["planned"],
        "objective": plan.solver.objective,
        "travel_minutes": m["travel_minutes"],
        "pattern_breaks": m["pattern_breaks"],
        "wall_seconds": round(wall, 2),
        "peak_rss_mib": round(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        ),
        "check": "clean" if not violations else f"{len(violations)} violations",
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("cluster")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    r = reference(args.cluster)
    if args.json:
        print(json.dumps(r))
    else:
        for k, v in r.items():
            print(f"{k:16} {v}")


if __name__ == "__main__":
    sys.exit(main())
