"""Time a what-if re-plan against the full solve it replaces (issue 5).

Two cases: the example (``scenarios/stour-valley``) with Sarah off sick for a
week (``sarah-sick-week.yaml``), and a generated cluster (24 schools, 4 Expert
Mentors, 100 people, 12 weeks, seed 1) with its first mentor away for the
week of 9 November 2026. For each: the full solve of the base cluster (which
is also the baseline), then ``whatif()`` against it; the re-plan time includes
loading the what-if file and working out which events the change reaches.
Target: the re-plan takes at most a quarter of the full solve. Prints a
markdown table; "re-planned/kept/offered freed time" counts the events the
changes reach, the baseline events kept as planned, and the events unmet in
the baseline offered the time the changes freed (``solver/repair.py``).

    python benchmarks/bench_whatif.py [--time-limit 20] [--workers 2]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from mentor_sched.check import check
from mentor_sched.generate import generate
from mentor_sched.solver import solve
from mentor_sched.whatif import load_whatif, whatif

ROOT = Path(__file__).resolve().parent.parent

GENERATED_AWAY = """version: 1
whatif: First mentor away for a week
base: cluster.yaml
changes:
  away:
    - {{who: {mentor}, from: 2026-11-09, to: 2026-11-13}}
"""


def _case(name: str, scenario: Path, time_limit: float, workers: int) -> list[str]:
    wi = load_whatif(scenario)
    t0 = time.perf_counter()
    full = solve(wi.base, time_limit=time_limit, workers=workers).plan
    full_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    r = whatif(scenario, baseline=full, time_limit=time_limit, workers=workers)
    replan_s = time.perf_counter() - t0
    d = r.plan.solver.details
    s = r.diff["summary"]
    clean = not check(r.problem, r.plan)
    return [
        name,
        str(len(wi.problem.owed)),
        f"{full_s:.1f}",
        f"{full.solver.status}",
        f"{replan_s:.1f}",
        f"{r.plan.solver.status}",
        f"{replan_s / full_s:.2f}",
        f"{d.get('replanned', 0)}/{d.get('kept_as_planned', 0)}/"
        f"{d.get('offered_freed_time', 0)}",
        f"{s['moved']}/{s['cancelled']}/{s['added']}",
        "yes" if clean else "NO",
    ]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--time-limit", type=float, default=20.0)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    rows = [
        _case(
            "stour-valley, sarah-sick-week",
            ROOT / "scenarios" / "stour-valley" / "sarah-sick-week.yaml",
            args.time_limit,
            args.workers,
        )
    ]
    with tempfile.TemporaryDirectory() as tmp:
        text = generate(schools=24, mentors=4, people=100, weeks=12, seed=1)
        (Path(tmp) / "cluster.yaml").write_text(text, encoding="utf-8")
        base = load_whatif_base(Path(tmp) / "cluster.yaml")
        mentor = next(iter(base))
        path = Path(tmp) / "away.yaml"
        path.write_text(GENERATED_AWAY.format(mentor=mentor), encoding="utf-8")
        rows.append(
            _case(
                f"generated 24/4/100/12 seed 1, {mentor} away 9-13 Nov",
                path,
                args.time_limit,
                args.workers,
            )
        )
    header = [
        "case",
        "owed",
        "full solve s",
        "status",
        "re-plan s",
        "status",
        "ratio",
        "re-planned/kept/offered freed time",
        "moved/cancelled/added",
        "check clean",
    ]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for r in rows:
        print("| " + " | ".join(r) + " |")


def load_whatif_base(path: Path) -> list[str]:
    """The mentor ids of a cluster file, first first."""
    from mentor_sched import load

    return list(load(path).mentors)


if __name__ == "__main__":
    main()
