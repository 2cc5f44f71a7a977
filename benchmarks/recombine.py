"""Recombining whole mentor-days after the search, beside the reference plan.

Solves CLUSTER as ``mentor-sched solve`` does (two workers, the default work
budget for --time-limit), once with no recombination and once with the last
SHARE of the search's budget given to ``recombine.py`` (column generation over
real day routes, then SCIP choosing one route a day, two weeks at a time),
beside the first-fit reference plan of the same run, each plan checked by the
independent checker. Recombination runs only on clusters of
``recombine.MIN_DAYS`` to ``MAX_DAYS`` mentor-days.

Run:  python benchmarks/recombine.py CLUSTER.yaml [--time-limit 60] [--share 0.4]
      [--nodes 30,60,all]
"""

from __future__ import annotations

import argparse
import time

from greedy import reference

from mentor_sched import check, load, solve
from mentor_sched.solver import lns, recombine


def run(path: str, time_limit: float, share: float) -> None:
    lns.RECOMBINE_SHARE = share
    t0 = time.monotonic()
    plan = solve(load(path), time_limit=time_limit, workers=2, seed=0).plan
    wall = time.monotonic() - t0
    d = plan.solver.details
    clean = "clean" if not check(load(path), plan) else "FAILED"
    print(
        f"recombine share {share}: planned {len(plan.events)}, objective "
        f"{plan.solver.objective}, work {d['search']['work']} of "
        f"{d['search']['work_limit']}, cut by the clock {d['cut_by_wall_clock']}, "
        f"wall {wall:.1f} s, check {clean}",
        flush=True,
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("cluster")
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--share", type=float, default=0.4)
    ap.add_argument(
        "--nodes",
        default="30,60,all",
        help="events offered to each day's pricing, level by level",
    )
    args = ap.parse_args()
    recombine.NODES_PER_PRICE = tuple(
        None if x == "all" else int(x) for x in args.nodes.split(",")
    )
    ref = reference(args.cluster)
    print(
        f"first-fit reference: planned {ref['planned']}, objective {ref['objective']}"
    )
    run(args.cluster, args.time_limit, 0.0)
    run(args.cluster, args.time_limit, args.share)


if __name__ == "__main__":
    main()
