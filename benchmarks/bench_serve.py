"""Measure ``mentor-sched serve`` under calendar clients polling (issue 13).

Solves the example cluster into a temporary folder, makes its tokens, starts a
real ``mentor-sched serve`` process on 127.0.0.1 (a free port) and lets
SUBSCRIBERS concurrent clients poll it on loopback: each fetches its feed once
(a full GET, to learn the ETag), then sends ROUNDS conditional GETs
(``If-None-Match``, as Google, Outlook and Apple do), one after another. The
subscribers spread over every school, mentor and person feed. Prints the
requests per second and the latency percentiles of the conditional GETs, and
checks every answer was the 304 expected. Bounded: SUBSCRIBERS x ROUNDS
requests, stopped at --max-seconds whatever happens.

The client runs on the same machine as the server and shares its cores, so
the figures are a floor for the server alone.

    python benchmarks/bench_serve.py [--subscribers 200] [--rounds 10]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-c", "from mentor_sched.cli import main; main()"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _prepare(folder: Path) -> list[str]:
    shutil.copytree(ROOT / "scenarios" / "stour-valley", folder / "stour-valley")
    subprocess.run(
        [*CLI, "solve", "stour-valley/cluster.yaml", "--time-limit", "3", "--quiet"],
        cwd=folder,
        check=True,
    )
    doc = json.loads(
        subprocess.run(
            [*CLI, "tokens", "out/stour-valley", "--json"],
            cwd=folder,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    return [url.rsplit("/", 1)[1] for kind in doc.values() for url in kind.values()]


async def _request(reader, writer, path: str, etag: str | None):
    """One HTTP/1.1 GET on a kept-alive connection: (status, headers)."""
    lines = [f"GET {path} HTTP/1.1", "Host: 127.0.0.1"]
    if etag:
        lines.append(f"If-None-Match: {etag}")
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status_line, *rest = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in rest:
        if ":" in line:
            k, v = line.split(":", 1)
            headers[k.strip().lower()] = v.strip()
    await reader.readexactly(int(headers.get("content-length", "0")))
    return int(status_line.split()[1]), headers


async def _subscriber(
    port: int, path: str, rounds: int, deadline: float
) -> tuple[list[float], int]:
    # a minimal client: httpx's own overhead would dominate on shared cores
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        status, headers = await _request(reader, writer, path, None)
        assert status == 200, status
        etag = headers["etag"]
        times, wrong = [], 0
        for _ in range(rounds):
            if time.monotonic() > deadline:
                break
            t0 = time.perf_counter()
            status, _ = await _request(reader, writer, path, etag)
            times.append(time.perf_counter() - t0)
            wrong += status != 304
    finally:
        writer.close()
    return times, wrong


async def _poll(port: int, files: list[str], n: int, rounds: int, limit: float):
    deadline = time.monotonic() + limit
    start = time.perf_counter()
    done = await asyncio.gather(
        *(
            _subscriber(port, f"/f/{files[i % len(files)]}", rounds, deadline)
            for i in range(n)
        )
    )
    wall = time.perf_counter() - start
    times = sorted(t for ts, _ in done for t in ts)
    wrong = sum(w for _, w in done)
    return times, wrong, wall


def _cpu_seconds(pid: int) -> float | None:
    """CPU time the server process used (Linux), to tell its share from the
    client's on a machine they share."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _pct(times: list[float], q: float) -> float:
    return times[min(len(times) - 1, int(q * len(times)))] * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--subscribers", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--max-seconds", type=float, default=120.0)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp:
        folder = Path(tmp)
        files = _prepare(folder)
        port = _free_port()
        server = subprocess.Popen(
            [*CLI, "serve", "out/stour-valley", "--port", str(port)],
            cwd=folder,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(300):
                try:
                    httpx.get(base + "/ready", timeout=1)
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            times, wrong, wall = asyncio.run(
                _poll(port, files, args.subscribers, args.rounds, args.max_seconds)
            )
            cpu = _cpu_seconds(server.pid)
        finally:
            server.terminate()
            server.wait(10)
    n = len(times) + args.subscribers  # the conditional GETs and the first GETs
    print(
        f"serve on loopback, {platform.python_version()}, {os.cpu_count()} cores "
        "shared by client and server"
    )
    print(
        f"{args.subscribers} subscribers x {args.rounds} conditional GETs over "
        f"{len(files)} feeds"
    )
    per = "n/a" if cpu is None else f"{cpu / n * 1000:.2f}"
    print(
        "| requests | seconds | requests/s | p50 ms | p90 ms | p99 ms | not 304 "
        "| server CPU ms/request |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(
        f"| {n} | {wall:.2f} | {n / wall:.0f} | {_pct(times, 0.5):.1f} | "
        f"{_pct(times, 0.9):.1f} | {_pct(times, 0.99):.1f} | {wrong} | {per} |"
    )


if __name__ == "__main__":
    main()
