"""Where a turn's time goes: the REST benchmark's conversation through Rasa in this process, under cProfile.

    .venv/bin/python -m bench.profile_turns [--conversations 20] [--model models/assistant.tar.gz] [--top 30]

Rasa's own server adds only Sanic's HTTP handling around `Agent.handle_message`, so this shows what limits
the messages per second of one Rasa process. The action server runs as a separate process on a spare port, as
in production; its own time shows here only as waiting. Prints the functions by cumulative and by own time.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import logging
import os
import pstats
import statistics
import subprocess
import time
import uuid
from pathlib import Path

from bench.rest_latency import CONVERSATION
from tools import stack


def quiet_rasa() -> None:
    """As `rasa run --quiet`: no debug logs, which would also print what the benchmark people wrote."""
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)


async def converse(agent, conversations: int) -> list[float]:
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

    timings = []
    for _ in range(conversations):
        sender = uuid.uuid4().hex
        for text in CONVERSATION:
            start = time.perf_counter()
            await agent.handle_message(UserMessage(text, CollectingOutputChannel(), sender, input_channel="rest"))
            timings.append((time.perf_counter() - start) * 1000)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=20)
    parser.add_argument("--model", type=Path, default=stack.MODEL)
    parser.add_argument("--top", type=int, default=30, help="functions to list in each order")
    args = parser.parse_args()
    quiet_rasa()
    from rasa.core.agent import load_agent
    from rasa.core.utils import AvailableEndpoints

    from bot import rasa_speedups
    from common import privacy_logging

    privacy_logging.install()
    rasa_speedups.install()
    port = stack.spare_ports(1)[0]
    actions = next(p for p in stack.parts(actions_port=port) if p.name == "action server")
    stack.start(actions, output=subprocess.DEVNULL)
    try:
        stack.wait_until_ready([actions])
        os.environ["ACTION_ENDPOINT_URL"] = f"http://localhost:{port}/webhook"
        agent = asyncio.run(
            load_agent(model_path=str(args.model), endpoints=AvailableEndpoints.read_endpoints("bot/endpoints.yml"))
        )
        asyncio.run(converse(agent, 2))  # warm up
        profile = cProfile.Profile()
        profile.enable()
        timings = asyncio.run(converse(agent, args.conversations))
        profile.disable()
    finally:
        stack.stop(actions)
    print(
        f"{len(timings)} messages under the profiler: median {statistics.median(timings):.1f} ms, "
        f"mean {statistics.mean(timings):.1f} ms (the profiler itself adds about half)"
    )
    for order in ("cumulative", "tottime"):
        pstats.Stats(profile).sort_stats(order).print_stats(args.top)


if __name__ == "__main__":
    main()
