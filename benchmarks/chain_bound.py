"""The chains' bound alone: what it says, and when, as its rounds go.

Runs ``chain_bounds`` (``mentor_sched/solver/chains.py``) in this process for
up to SECONDS and prints each better bound with the seconds it took, then the
capacities' flow beside it.

Run:  python benchmarks/chain_bound.py CLUSTER.yaml [SECONDS]
"""

from __future__ import annotations

import argparse
import time

from mentor_sched import load
from mentor_sched.solver import _tasks
from mentor_sched.solver.bound import Bounds
from mentor_sched.solver.chains import chain_bounds
from mentor_sched.solver.daycap import capacity_bounds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("cluster")
    ap.add_argument("seconds", nargs="?", type=float, default=300.0)
    args = ap.parse_args()
    problem = load(args.cluster)
    _, _, _, tasks = _tasks(problem, None, None)
    began = time.monotonic()

    def tell(found: Bounds) -> None:
        print(
            f"{time.monotonic() - began:7.1f} s  at most {found.plannable}"
            f"  objective bound {found.lower}",
            flush=True,
        )

    found = chain_bounds(problem, tasks, began + args.seconds, tell)
    print(f"chains: {found} in {time.monotonic() - began:.1f} s")
    print(f"flow:   {capacity_bounds(problem, tasks)}")


if __name__ == "__main__":
    main()
