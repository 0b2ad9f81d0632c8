"""Message round trips through the REST channel, for our pipeline and for `rasa init`'s default pipeline
trained on the same data, at 1, 20 and 50 concurrent conversations; plus resident memory after the load.

    .venv/bin/python -m bench.rest_latency [--messages 200] [--skip-default]

Trains the default model into models/default/ if it is missing or older than the data. Needs the ports of
`make run` free. Writes bench/results/rest_latency.md and rest_latency.png.
"""
from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import time
import uuid
from pathlib import Path

import aiohttp

from bot import stack

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).parent / "results"
DEFAULT_MODEL = ROOT / "models" / "default" / "default.tar.gz"
CONVERSATION = [
    "hi", "yes", "my husband checks my phone and wont let me see my friends", "is that abuse?",
    "I'm 81 and my grandson takes my pension", "I live in Aylesbury", "what is clare's law",
    "im worried about my sister", "thank you", "he's got a knife",
]
CONCURRENCY = (1, 20, 50)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (Rasa may fork)."""
    total = 0
    for line in subprocess.run(["ps", "-o", "rss=", "--ppid", str(pid), "-p", str(pid)],
                               capture_output=True, text=True).stdout.split():
        total += int(line)
    return total / 1024


async def converse(session: aiohttp.ClientSession, count: int, timings: list[float]) -> None:
    """`count` messages, as one person after another holding the ten-message conversation."""
    for number in range(count):
        if number % len(CONVERSATION) == 0:
            sender = uuid.uuid4().hex
        start = time.perf_counter()
        async with session.post(f"http://localhost:{stack.RASA_PORT}/webhooks/rest/webhook",
                                json={"sender": sender, "message": CONVERSATION[number % len(CONVERSATION)]}) as reply:
            await reply.read()
            reply.raise_for_status()
        timings.append((time.perf_counter() - start) * 1000)


async def load(concurrent: int, messages: int) -> dict:
    timings: list[float] = []
    per_conversation = max(len(CONVERSATION), messages // concurrent)
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as session:
        await converse(session, len(CONVERSATION), [])  # warm up
        start = time.perf_counter()
        await asyncio.gather(*(converse(session, per_conversation, timings) for _ in range(concurrent)))
        elapsed = time.perf_counter() - start
    return {"concurrent": concurrent, "p50": statistics.median(timings), "p95": percentile(timings, 0.95),
            "p99": percentile(timings, 0.99), "per_second": len(timings) / elapsed}


def measure(model: Path, messages: int) -> tuple[list[dict], dict[str, float]]:
    running = [stack.start(part, output=subprocess.DEVNULL) for part in stack.parts(model=model)]
    try:
        stack.wait_until_ready(running)
        rows = [asyncio.run(load(concurrent, messages)) for concurrent in CONCURRENCY]
        memory = {part.name: rss_mb(part.process.pid) for part in running}
        return rows, memory
    finally:
        for part in reversed(running):
            stack.stop(part)


def train_default() -> None:
    newest_input = max(p.stat().st_mtime for folder in ("data", "bot/domain") for p in (ROOT / folder).rglob("*.yml"))
    if DEFAULT_MODEL.exists() and DEFAULT_MODEL.stat().st_mtime > newest_input:
        return
    subprocess.run([str(ROOT / ".venv/bin/rasa"), "train", "--config", "bench/default_config.yml", "--domain",
                    "bot/domain", "--data", "data", "--out", str(DEFAULT_MODEL.parent), "--fixed-model-name",
                    "default"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def chart(results: dict[str, list[dict]]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(7, 4))
    for name, rows in results.items():
        axis.plot([r["concurrent"] for r in rows], [r["p95"] for r in rows], marker="o", label=f"{name} p95")
    axis.axhline(120, linestyle="--", color="grey", label="goal: p95 120 ms at 20")
    axis.set_xlabel("concurrent conversations")
    axis.set_ylabel("round trip (ms)")
    axis.legend()
    figure.tight_layout()
    figure.savefig(RESULTS / "rest_latency.png", dpi=100)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=200, help="messages per concurrency level")
    parser.add_argument("--skip-default", action="store_true", help="measure our pipeline only")
    args = parser.parse_args()
    results, memory = {}, {}
    if not args.skip_default:
        train_default()
    with stack.ports_held():
        results["ours"], memory["ours"] = measure(stack.MODEL, args.messages)
        if not args.skip_default:
            results["rasa init default"], memory["rasa init default"] = measure(DEFAULT_MODEL, args.messages)
    lines = ["# REST round trips", "", "| pipeline | concurrent | p50 ms | p95 ms | p99 ms | messages/s |",
             "|---|---|---|---|---|---|"]
    for name, rows in results.items():
        lines += [f"| {name} | {r['concurrent']} | {r['p50']:.1f} | {r['p95']:.1f} | {r['p99']:.1f} | "
                  f"{r['per_second']:.1f} |" for r in rows]
    if "rasa init default" in results:
        ours = {r["concurrent"]: r for r in results["ours"]}
        lines += ["", "| concurrent | p95 ratio ours / default | throughput ratio ours / default |", "|---|---|---|"]
        for r in results["rasa init default"]:
            lines.append(f"| {r['concurrent']} | {ours[r['concurrent']]['p95'] / r['p95']:.2f} | "
                         f"{ours[r['concurrent']]['per_second'] / r['per_second']:.2f} |")
    lines += ["", "| pipeline | part | resident memory MB |", "|---|---|---|"]
    lines += [f"| {name} | {part} | {mb:.0f} |" for name, parts in memory.items() for part, mb in parts.items()]
    report = "\n".join(lines) + "\n"
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "rest_latency.md").write_text(report)
    chart(results)
    print(report)


if __name__ == "__main__":
    main()
