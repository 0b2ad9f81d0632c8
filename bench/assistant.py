"""What every benchmark needs: the assistant (Rasa and the action server) on spare ports, and latency figures.

Spare ports, so a benchmark never meets `make run` or a test session's stack.
"""
from __future__ import annotations

import contextlib
import statistics
import subprocess
from pathlib import Path
from typing import Iterator

from bot import stack

SERVING_PARTS = ("action server", "Rasa")
# The load comes from one address and few senders: the per-address and per-sender limits would refuse most of it.
UNLIMITED = {"RATE_LIMIT_PER_SENDER": "1000000", "RATE_LIMIT_PER_ADDRESS": "1000000"}


@contextlib.contextmanager
def running_assistant(model: Path = stack.MODEL, env: dict[str, str] | None = None) -> Iterator[dict]:
    """Yields {"url": Rasa's base URL, "pids": {part name: pid}} while Rasa and the action server run."""
    ports = stack.spare_stack_ports()
    running = [stack.start(part, env={**UNLIMITED, **(env or {})}, output=subprocess.DEVNULL)
               for part in stack.parts(model=model, **ports) if part.name in SERVING_PARTS]
    try:
        stack.wait_until_ready(running)
        yield {"url": f"http://localhost:{ports['rasa_port']}", "pids": {p.name: p.process.pid for p in running}}
    finally:
        for part in reversed(running):
            stack.stop(part)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def summary(timings: list[float], elapsed: float) -> dict[str, float]:
    return {"messages": len(timings), "p50": statistics.median(timings), "p95": percentile(timings, 0.95),
            "p99": percentile(timings, 0.99), "per_second": len(timings) / elapsed}


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children."""
    listing = subprocess.run(["ps", "-o", "rss=", "--ppid", str(pid), "-p", str(pid)], capture_output=True, text=True)
    return sum(int(line) for line in listing.stdout.split()) / 1024
