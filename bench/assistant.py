"""The servers a benchmark runs: the assistant (Rasa and the action server) on spare ports, so a benchmark never
meets `make run` or a test session's stack; and their memory.
"""

from __future__ import annotations

import contextlib
import subprocess
from collections.abc import Iterator
from pathlib import Path

from tools import stack

SERVING_PARTS = ("action server", "Rasa")
# The load comes from one address and few senders: the per-address and per-sender limits would refuse most of it.
UNLIMITED = {"RATE_LIMIT_PER_SENDER": "1000000", "RATE_LIMIT_PER_ADDRESS": "1000000"}


@contextlib.contextmanager
def running(parts: list[stack.Part], env: dict[str, str] | None = None) -> Iterator[list[stack.Part]]:
    """Starts the parts quietly with `env`, unlimited by the rate limits, and stops them at the end."""
    started = []
    try:
        for part in parts:
            started.append(stack.start(part, env={**UNLIMITED, **(env or {})}, output=subprocess.DEVNULL))
        stack.wait_until_ready(started)
        yield started
    finally:
        for part in reversed(started):
            stack.stop(part)


@contextlib.contextmanager
def running_assistant(model: Path = stack.MODEL, env: dict[str, str] | None = None) -> Iterator[dict]:
    """Yields {"url": Rasa's base URL, "pids": {part name: pid}} while Rasa and the action server run."""
    ports = stack.spare_stack_ports()
    with running([part for part in stack.parts(model=model, **ports) if part.name in SERVING_PARTS], env) as parts:
        yield {"url": f"http://localhost:{ports['rasa_port']}", "pids": {p.name: p.process.pid for p in parts}}


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children."""
    listing = subprocess.run(["ps", "-o", "rss=", "--ppid", str(pid), "-p", str(pid)], capture_output=True, text=True)
    return sum(int(line) for line in listing.stdout.split()) / 1024
