"""Time ``mentor-sched validate`` on a large generated cluster (issue 2).

Generates a cluster (default 120 schools, 15 Expert Mentors, 500 people,
39 teaching weeks) to a temporary file, then times ``load()`` and
``summarise()`` separately (best of N) and measures the peak resident memory
of one load + summary in a fresh subprocess. Prints a markdown table.

    python benchmarks/bench_validate.py [--schools 120 --mentors 15
        --people 500 --weeks 39 --seed 0 --repeat 3]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from mentor_sched import load
from mentor_sched.generate import generate
from mentor_sched.summary import summarise

# run in a fresh process, before this one holds a Problem (Linux keeps the
# parent's peak RSS across fork and exec, so the child's figure includes it);
# tracemalloc inflates RSS, so it gets a run of its own
_PEAK = """
import resource, sys, tracemalloc
from mentor_sched import load
from mentor_sched.summary import summarise
traced = sys.argv[2] == "traced"
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
if traced:
    tracemalloc.start()
summarise(load(sys.argv[1]))
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(tracemalloc.get_traced_memory()[1] if traced else f"{before} {after}")
"""


def best_of(repeat: int, fn) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return min(times), result


def _child(path: Path, mode: str) -> list[int]:
    out = subprocess.run(
        [sys.executable, "-c", _PEAK, str(path), mode],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [int(x) for x in out.split()]


def peak_memory_mib(path: Path) -> tuple[float, float, float]:
    """Peak RSS after imports and after load + summary, and the peak of Python
    allocations during load + summary (tracemalloc), in MiB."""
    unit = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes or KiB
    before, after = (x * unit / 2**20 for x in _child(path, "rss"))
    (traced,) = _child(path, "traced")
    return before, after, traced / 2**20


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--schools", type=int, default=120)
    ap.add_argument("--mentors", type=int, default=15)
    ap.add_argument("--people", type=int, default=500)
    ap.add_argument("--weeks", type=int, default=39)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    t = time.perf_counter()
    text = generate(
        schools=a.schools,
        mentors=a.mentors,
        people=a.people,
        weeks=a.weeks,
        seed=a.seed,
    )
    t_gen = time.perf_counter() - t
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "cluster.yaml"
        path.write_text(text, encoding="utf-8")
        rss_base, rss_peak, traced = peak_memory_mib(path)
        t_load, problem = best_of(a.repeat, lambda: load(path))
        t_sum, summary = best_of(a.repeat, lambda: summarise(problem))
    size = f"{a.schools}/{a.mentors}/{a.people}/{a.weeks}"
    kib = len(text.encode()) / 1024
    print(
        "| schools/mentors/people/weeks | seed | file | owed events | generate s "
        "| load s | summary s | load+summary s | peak RSS MiB (after imports) "
        "| traced peak MiB |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    print(
        f"| {size} | {a.seed} | {kib:,.0f} KiB | {summary['owed_events']:,} "
        f"| {t_gen:.2f} | {t_load:.2f} | {t_sum:.2f} | {t_load + t_sum:.2f} "
        f"| {rss_peak:.0f} ({rss_base:.0f}) | {traced:.0f} |"
    )


if __name__ == "__main__":
    main()
