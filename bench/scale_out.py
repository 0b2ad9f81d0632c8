"""Throughput through nginx with one and with two Rasa processes sharing Redis: 20 conversations back to back
(the REST bench's load), messages per second and p50/p95 round trips.

    .venv/bin/python -m bench.scale_out [--messages 400]

Starts its own Redis, action server, two Rasa processes and nginx (tools/balancer.py) on spare ports. nginx is put
in front of one process, then both, then both and one again; the two runs of each are pooled, so a drift in the
machine's other work favours neither. Each process is a single Python event loop, so on this 2-core machine two
processes can at best double the throughput of one, and share the cores with nginx, Redis, the action server and
the load generator. Writes bench/results/scale_out.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
from pathlib import Path

from bench.assistant import running
from bench.figures import publish, summary
from bench.rest_latency import load
from tools import balancer, stack

CONCURRENT = 20


def measure(rasa_ports: list[int], folder: Path, messages: int) -> tuple[list[float], float]:
    """Round trips (ms) and seconds of the load through nginx in front of these Rasa processes."""
    port = stack.spare_ports(1)[0]
    with running([balancer.nginx_part(port, rasa_ports, folder / f"nginx-{len(rasa_ports)}")]):
        return asyncio.run(load(f"http://localhost:{port}", CONCURRENT, messages, paced=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=400, help="messages per run (20 conversations)")
    args = parser.parse_args()
    redis_port, actions_port, *rasa_ports = stack.spare_ports(4)
    with (
        tempfile.TemporaryDirectory() as temporary,
        running([balancer.redis_part(redis_port, Path(temporary) / "redis")]),
    ):
        serving = [
            part
            for part in stack.parts(rasa_port=rasa_ports[0], actions_port=actions_port)
            if part.name in ("action server", "Rasa")
        ]
        serving += [
            part for part in stack.parts(rasa_port=rasa_ports[1], actions_port=actions_port) if part.name == "Rasa"
        ]
        with running(serving, env={"REDIS_URL": f"redis://127.0.0.1:{redis_port}/0"}):
            for rasa_port in rasa_ports:  # the first turns of a process are slow: not measured
                asyncio.run(load(f"http://localhost:{rasa_port}", 1, 1, paced=False))
            pooled = {1: ([], 0.0), 2: ([], 0.0)}
            for count in (1, 2, 2, 1):
                timings, seconds = measure(rasa_ports[:count], Path(temporary), args.messages)
                pooled[count] = (pooled[count][0] + timings, pooled[count][1] + seconds)
    rows = {count: summary(timings, seconds) for count, (timings, seconds) in pooled.items()}
    lines = [
        "# Scale out: Rasa processes behind nginx",
        "",
        f"{os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f} at the end. {CONCURRENT} conversations "
        "back to back through nginx; conversations and locks in Redis; one action server.",
        "",
        "| Rasa processes | messages | messages/s | p50 ms | p95 ms |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| {count} | {row['messages']} | {row['per_second']:.1f} | {row['p50']:.1f} | {row['p95']:.1f} |"
        for count, row in rows.items()
    ]
    lines += [
        "",
        f"Two processes / one: throughput x{rows[2]['per_second'] / rows[1]['per_second']:.2f}, "
        f"p95 x{rows[2]['p95'] / rows[1]['p95']:.2f}.",
    ]
    publish("scale_out", lines)


if __name__ == "__main__":
    main()
