"""The compiled day router (``solver/pricing.py``) is ``dayroute.best_day``
over arrays: on real mentor-days, with values, usual starts, bonuses and a
fixed event drawn at random, it must find the same route, at the same score,
after making the same labels."""

from __future__ import annotations

import random
from collections import defaultdict
from pathlib import Path

import pytest

from mentor_sched import load
from mentor_sched.solver import _tasks
from mentor_sched.solver.dayroute import Node, best_day
from mentor_sched.solver.pricing import Router

SCENARIOS = Path(__file__).parent.parent / "scenarios"


def _days(name: str):
    problem = load(SCENARIOS / name / "cluster.yaml")
    _, _, _, tasks = _tasks(problem, None, None)
    days = defaultdict(list)
    for t in tasks:
        if not t.fixed and t.owed.kind in ("meeting", "observation"):
            for o in t.options:
                days[o.mentor, o.date].append((t, o))
    return problem, days


@pytest.mark.parametrize("name", ["stour-valley", "hub-primary"])
def test_the_compiled_router_finds_what_best_day_finds(name):
    problem, days = _days(name)
    router = Router(problem)
    rng = random.Random(7)
    compared = routed = 0
    for key in sorted(days)[:40]:
        nodes = []
        for t, o in days[key]:
            value = rng.choice([1000.0, 400.0, 120.0, 30.0])
            usual = tuple(rng.sample(o.starts, min(len(o.starts), rng.randint(0, 2))))
            bonus = rng.choice([0.0, 25.0])
            nodes.append(Node(t, o, o.starts, value, usual, bonus, False))
        if nodes and rng.random() < 0.3:
            x = nodes[0]
            nodes[0] = Node(x.task, x.option, x.starts[:1], 0.0, (), 0.0, True)
        for most in (16, 3):
            want = best_day(problem, key[0], key[1], nodes) if most == 16 else None
            got = router.best(key[0], key[1], nodes, most)
            if most == 16:
                assert (want is None) == (got is None), key
                if want is not None:
                    assert got[0] == pytest.approx(want[0]), key
                    assert [(id(n), s) for n, s in got[1]] == [
                        (id(n), s) for n, s in want[1]
                    ], key
                    assert got[2] == want[2], key
                    routed += 1
                compared += 1
            elif got is not None:
                # fewer labels kept: still a route, each event once, in time order
                ids = [n.task.owed.id for n, _ in got[1]]
                assert len(ids) == len(set(ids))
                starts = [s for _, s in got[1]]
                assert starts == sorted(starts)
    assert compared == min(40, len(days))
    assert routed > compared // 2
