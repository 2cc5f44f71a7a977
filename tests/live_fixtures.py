"""A shared workspace for the tests of the live plan (adopt, tokens, serve,
caldav-push): the example cluster solved once, and two of its shipped what-ifs
re-planned, copied afresh for every test that changes it.

The solver is being improved, so tests never depend on the exact plan: they
compare what was served, pushed or written against the files of the run
itself.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios" / "stour-valley"
LIVE = "out/stour-valley"
SICK = "out/stour-valley.whatifs/sarah-sick-week"
CLOSED = "out/stour-valley.whatifs/lavenham-closed"
SOLVE_OPTIONS = ("--time-limit", "3", "--workers", "1", "--quiet")


def run_cli(*args: str, cwd: Path, check: bool = True) -> subprocess.CompletedProcess:
    """``mentor-sched ARGS`` as a real process in ``cwd``."""
    done = subprocess.run(
        [sys.executable, "-c", "from mentor_sched.cli import main; main()", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if check and done.returncode != 0:
        raise AssertionError(
            f"mentor-sched {' '.join(args)} exited {done.returncode}:\n"
            f"{done.stdout}\n{done.stderr}"
        )
    return done


def base_workspace(tmp_path_factory) -> Path:
    """Made once per test session, whichever test file asks first."""
    ws = tmp_path_factory.getbasetemp() / "live-base"
    if (ws / "done").exists():
        return ws
    if ws.exists():
        shutil.rmtree(ws)
    shutil.copytree(SCENARIOS, ws / "scenarios" / "stour-valley")
    run_cli("solve", "scenarios/stour-valley/cluster.yaml", *SOLVE_OPTIONS, cwd=ws)
    for what in ("sarah-sick-week", "lavenham-closed"):
        run_cli("whatif", f"scenarios/stour-valley/{what}.yaml", *SOLVE_OPTIONS, cwd=ws)
    (ws / "done").write_text("")
    return ws


def workspace(tmp_path_factory, tmp_path: Path) -> Path:
    """A copy of the base workspace this test may change (links kept as links)."""
    ws = tmp_path / "ws"
    shutil.copytree(base_workspace(tmp_path_factory), ws, symlinks=True)
    return ws


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (following the live link), by relative path."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def tokens_of(ws: Path) -> dict:
    return json.loads(
        (ws / "out" / ".stour-valley.secrets" / "tokens.json").read_text("utf-8")
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
