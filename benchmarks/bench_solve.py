"""Solve benchmark: mentor-sched beside the reference plan, in the same run.

For each cluster: the reference (benchmarks/greedy.py: the first-fit plan a
careful coordinator makes by hand) and `mentor-sched solve --json` as a user
runs it, each in a fresh process, then `mentor-sched check` on the solve's
plan. Prints markdown rows for benchmarks/RESULTS.md: planned, travel minutes
and pattern breaks per planned event, objective, the global bound and gap,
the upper bound on plannable events, wall time of the whole command and peak
RSS.

Run:  python benchmarks/bench_solve.py [--only NAME] [--repeat]
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
# (name, generator size or None for the example, --time-limit)
CASES = [
    ("example", None, 10),
    ("example", None, 60),
    ("g24", (24, 4, 100, 12), 60),
    ("g60", (60, 8, 250, 13), 300),
    ("g120", (120, 15, 480, 39), 600),
]


def run(cmd: list[str]) -> tuple[str, float, int]:
    """stdout, wall seconds and peak RSS (KiB) of one process."""
    t0 = time.monotonic()
    out = subprocess.run(
        ["/usr/bin/time", "-f", "%M", *cmd],
        check=True,
        capture_output=True,
        text=True,
    )
    wall = time.monotonic() - t0
    rss = int(out.stderr.strip().splitlines()[-1])
    return out.stdout, wall, rss


def cluster(tmp: Path, size: tuple[int, int, int, int] | None) -> Path:
    if size is None:
        return ROOT / "scenarios" / "stour-valley" / "cluster.yaml"
    s, m, p, w = size
    path = tmp / f"g{s}.yaml"
    subprocess.run(
        [
            "mentor-sched", "generate", "--schools", str(s), "--mentors", str(m),
            "--people", str(p), "--weeks", str(w), "--seed", "1", "-o", str(path),
        ],
        check=True,
    )  # fmt: skip
    return path


def per(n: float, d: int) -> str:
    return f"{n / d:.2f}" if d else "-"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", default=None, help="run the cases of this name")
    ap.add_argument(
        "--repeat", action="store_true", help="solve twice, compare the events"
    )
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    print(
        "| case | limit s | owed | plan | planned | travel/event | pattern/event "
        "| objective | bound | gap | at most plannable | wall s | peak RSS MiB "
        "| check |"
    )
    print("|---" * 14 + "|")
    for i, (name, size, limit) in enumerate(CASES):
        if args.only and name != args.only:
            continue
        path = cluster(tmp, size)
        ref_out, ref_wall, ref_rss = run(
            [
                sys.executable,
                str(ROOT / "benchmarks" / "greedy.py"),
                str(path),
                "--json",
            ]
        )
        ref = json.loads(ref_out)
        out_dir = tmp / f"out{i}"
        out, wall, rss = run(
            [
                "mentor-sched", "solve", str(path), "--out", str(out_dir),
                "--time-limit", str(limit), "--json",
            ]
        )  # fmt: skip
        got = json.loads(out)
        plan = out_dir / "plan.json"
        verdict = subprocess.run(
            ["mentor-sched", "check", str(path), str(plan)], capture_output=True
        )
        clean = "clean" if verdict.returncode == 0 else "VIOLATIONS"
        solver = json.loads(plan.read_text("utf-8"))["solver"]
        m = got["metrics"]
        print(
            f"| {name} | {limit} | {ref['owed']} | first-fit reference "
            f"| {ref['planned']} | {per(ref['travel_minutes'], ref['planned'])} "
            f"| {per(ref['pattern_breaks'], ref['planned'])} | {ref['objective']} "
            f"| | | | {ref_wall:.1f} | {ref_rss / 1024:.0f} | {ref['check']} |"
        )
        print(
            f"| {name} | {limit} | {m['owed']} | mentor-sched {got['status']} "
            f"| {m['planned']} ({m['planned'] / max(1, ref['planned']):.2f}x) "
            f"| {per(m['travel_minutes'], m['planned'])} "
            f"| {per(m['pattern_breaks'], m['planned'])} | {got['objective']} "
            f"| {got['bound']} | {got['gap']:.1%} | {got['plannable_upper_bound']} "
            f"| {wall:.1f} | {rss / 1024:.0f} | {clean} |",
            flush=True,
        )
        print(
            f"<!-- {name}: cut_by_wall_clock={solver['cut_by_wall_clock']} "
            f"work={solver['search']['work']}/{solver['search']['work_limit']} "
            f"iterations={solver['search']['iterations']} -->",
            flush=True,
        )
        if args.repeat and not solver["cut_by_wall_clock"]:
            again = tmp / f"again{i}"
            run(
                [
                    "mentor-sched", "solve", str(path), "--out", str(again),
                    "--time-limit", str(limit), "--json", "--quiet",
                ]
            )  # fmt: skip
            a = json.loads(plan.read_text("utf-8"))["events"]
            b = json.loads((again / "plan.json").read_text("utf-8"))["events"]
            print(f"<!-- {name}: second run identical events: {a == b} -->")


if __name__ == "__main__":
    sys.exit(main())
