"""Message round trips through the REST channel, for our pipeline and for `rasa init`'s default pipeline, in one
run; plus resident memory after the load.

    .venv/bin/python -m bench.rest_latency [--messages 200] [--skip-default]

Pipelines:
- "ours": the production model, models/assistant.tar.gz (all languages).
- "ours, English data": our pipeline trained on the English data alone. All languages / English only is
  issue 4's latency ratio (goal <= 1.1).
- "rasa init default, English data": Rasa 3.6's default pipeline and policies (bench/default_config.yml) on the
  same English data. Ours / default is issues 3 and 9's ratio (goal <= 1.0). The default pipeline trained on all
  nine language sets takes over an hour on 2 cores, so both sides of this comparison use the English data.
The two English models are trained into models/bench/ when missing or older than their inputs.

Loads (a ten-message conversation, a new sender each time round: CONVERSATION, or with `--catalogue`
CATALOGUE_CONVERSATION, in which most turns search the catalogue):
- "back to back": 1, 20 and 50 conversations, each sending its next message the moment it has the reply, so
  Rasa's capacity decides the figures: messages/s here is the throughput of one Rasa process.
- "paced": 20 conversations starting at random in the first 3 s and pausing 1 to 3 s between messages. People
  pause far longer to read and type, so this is still a heavier load than 20 real chats.
Every pipeline serves at once and each load runs twice, in turn and in reverse turn, pooled (see `measure`).
Writes bench/results/rest_latency.md and rest_latency.png (rest_latency_catalogue.* with `--catalogue`).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import subprocess
import time
import uuid
from pathlib import Path

import aiohttp

from bench.assistant import rss_mb, running_assistant
from bench.figures import RESULTS, publish, summary
from tools import stack

ROOT = Path(__file__).resolve().parent.parent
BENCH_MODELS = ROOT / "models" / "bench"
ENGLISH_DATA = ["data/nlu/en", "data/rules", "data/stories"]
CONVERSATION = [
    "hi",
    "yes",
    "my husband checks my phone and wont let me see my friends",
    "is that abuse?",
    "I'm 81 and my grandson takes my pension",
    "I live in Aylesbury",
    "what is clare's law",
    "im worried about my sister",
    "thank you",
    "he's got a knife",
]
# Six of the ten turns run action_find_services (seek_help, inform_place, bystander), so the action server and the
# catalogue carry most of the load.
CATALOGUE_CONVERSATION = [
    "hi",
    "yes",
    "my ex keeps turning up at my work and messaging my friends",
    "I live in High Wycombe",
    "im a man and my wife takes all my wages",
    "HP21",
    "my daughter is 15 and her boyfriend pressures her",
    "she is pregnant too",
    "what is clare's law",
    "thank you",
]
BACK_TO_BACK = (1, 20, 50)
PACED_CONVERSATIONS = 20
PAUSE_SECONDS = (1.0, 3.0)


async def converse(
    session: aiohttp.ClientSession,
    url: str,
    conversation: list[str],
    count: int,
    timings: list[float],
    pause: random.Random | None = None,
) -> None:
    """`count` messages, as one person after another holding the ten-message conversation. Paced conversations
    start at a random moment in the first pause, as real ones do, then pause between messages."""
    if pause:
        await asyncio.sleep(pause.uniform(0, PAUSE_SECONDS[1]))
    for number in range(count):
        if number % len(conversation) == 0:
            sender = uuid.uuid4().hex
        start = time.perf_counter()
        message = conversation[number % len(conversation)]
        async with session.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": message}) as reply:
            await reply.read()
            reply.raise_for_status()
        timings.append((time.perf_counter() - start) * 1000)
        if pause:
            await asyncio.sleep(pause.uniform(*PAUSE_SECONDS))


async def load(
    url: str, conversation: list[str], concurrent: int, messages: int, paced: bool
) -> tuple[list[float], float]:
    """Round trips (ms) of `messages` in all (at least one whole conversation each) from `concurrent`
    conversations at once, and the seconds they took."""
    timings: list[float] = []
    per_conversation = max(len(conversation), messages // concurrent)
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120)) as session:
        await converse(session, url, conversation, len(conversation), [])  # warm up
        start = time.perf_counter()
        await asyncio.gather(
            *(
                converse(session, url, conversation, per_conversation, timings, random.Random(seed) if paced else None)
                for seed in range(concurrent)
            )
        )
        return timings, time.perf_counter() - start


def measure(
    models: dict[str, Path], conversation: list[str], messages: int
) -> tuple[dict[str, list[dict]], dict[str, dict[str, float]]]:
    """Every pipeline serving at once; each load is run twice, the pipelines in turn and then in reverse turn,
    and the two runs pooled, so neither the order nor a passing spike of other work favours one pipeline."""
    loads = [(concurrent, False) for concurrent in BACK_TO_BACK] + [(PACED_CONVERSATIONS, True)]
    results: dict[str, list[dict]] = {name: [] for name in models}
    with contextlib.ExitStack() as serving:
        assistants = {name: serving.enter_context(running_assistant(model)) for name, model in models.items()}
        for concurrent, paced in loads:
            pooled = {name: ([], 0.0) for name in models}
            for order in (list(models), list(reversed(models))):
                for name in order:
                    timings, seconds = asyncio.run(
                        load(assistants[name]["url"], conversation, concurrent, messages, paced)
                    )
                    pooled[name] = (pooled[name][0] + timings, pooled[name][1] + seconds)
            for name, (timings, seconds) in pooled.items():
                results[name].append(
                    {
                        "load": "paced" if paced else "back to back",
                        "concurrent": concurrent,
                        **summary(timings, seconds),
                    }
                )
        memory = {
            name: {part: rss_mb(pid) for part, pid in assistant["pids"].items()}
            for name, assistant in assistants.items()
        }
    return results, memory


def trained(name: str, config: str) -> Path:
    """Trains our or the default pipeline on the English data into models/bench/, unless already up to date."""
    model = BENCH_MODELS / f"{name}.tar.gz"
    inputs = [ROOT / config, *(p for folder in ("bot/domain", *ENGLISH_DATA) for p in (ROOT / folder).rglob("*.yml"))]
    if not model.exists() or model.stat().st_mtime < max(p.stat().st_mtime for p in inputs):
        subprocess.run(
            [
                str(ROOT / ".venv/bin/rasa"),
                "train",
                "--config",
                config,
                "--domain",
                "bot/domain",
                "--data",
                *ENGLISH_DATA,
                "--out",
                str(BENCH_MODELS),
                "--fixed-model-name",
                name,
            ],
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    return model


def chart(results: dict[str, list[dict]], report: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (latency, throughput) = plt.subplots(1, 2, figsize=(11, 4))
    for name, rows in results.items():
        back_to_back = [r for r in rows if r["load"] == "back to back"]
        latency.plot(
            [r["concurrent"] for r in back_to_back],
            [r["p95"] for r in back_to_back],
            marker="o",
            label=f"{name}, back to back",
        )
        paced = [r for r in rows if r["load"] == "paced"]
        latency.scatter(
            [r["concurrent"] for r in paced], [r["p95"] for r in paced], marker="x", s=60, label=f"{name}, paced 1-3 s"
        )
        throughput.plot(
            [r["concurrent"] for r in back_to_back], [r["per_second"] for r in back_to_back], marker="o", label=name
        )
    latency.axhline(120, linestyle="--", color="grey", label="goal: p95 120 ms at 20")
    latency.set(xlabel="concurrent conversations", ylabel="p95 round trip (ms)", yscale="log")
    latency.legend(fontsize=7)
    throughput.axhline(60, linestyle="--", color="grey", label="goal: 60 messages/s")
    throughput.set(xlabel="concurrent conversations, back to back", ylabel="messages per second")
    throughput.legend(fontsize=7)
    figure.tight_layout()
    figure.savefig(RESULTS / f"{report}.png", dpi=100)


def ratio_rows(results: dict[str, list[dict]], top: str, bottom: str, title: str) -> list[str]:
    lines = [
        "",
        f"| {title} | load | concurrent | p50 ratio | p95 ratio | throughput ratio |",
        "|---|---|---|---|---|---|",
    ]
    for upper, lower in zip(results[top], results[bottom]):
        lines.append(
            f"| {top} / {bottom} | {upper['load']} | {upper['concurrent']} | "
            f"{upper['p50'] / lower['p50']:.2f} | {upper['p95'] / lower['p95']:.2f} | "
            f"{upper['per_second'] / lower['per_second']:.2f} |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=200, help="messages per back-to-back load")
    parser.add_argument("--skip-default", action="store_true", help="leave out rasa init's default pipeline")
    parser.add_argument("--catalogue", action="store_true", help="the conversation that mostly searches the catalogue")
    args = parser.parse_args()
    conversation = CATALOGUE_CONVERSATION if args.catalogue else CONVERSATION
    report = "rest_latency_catalogue" if args.catalogue else "rest_latency"
    models = {"ours": stack.MODEL, "ours, English data": trained("english", "bot/config.yml")}
    if not args.skip_default:
        models["rasa init default, English data"] = trained("default", "bench/default_config.yml")
    results, memory = measure(models, conversation, args.messages)
    lines = [
        "# REST round trips" + (" (a conversation that mostly searches the catalogue)" if args.catalogue else ""),
        "",
        f"{os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f} at the end.",
        "",
        "| pipeline | load | concurrent | messages | p50 ms | p95 ms | p99 ms | messages/s |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, rows in results.items():
        lines += [
            f"| {name} | {r['load']} | {r['concurrent']} | {r['messages']} | {r['p50']:.1f} | {r['p95']:.1f} | "
            f"{r['p99']:.1f} | {r['per_second']:.1f} |"
            for r in rows
        ]
    lines += ratio_rows(results, "ours", "ours, English data", "all languages / English only")
    if "rasa init default, English data" in results:
        lines += ratio_rows(results, "ours, English data", "rasa init default, English data", "ours / default")
    lines += ["", "| pipeline | part | resident memory MB after the load |", "|---|---|---|"]
    lines += [f"| {name} | {part} | {mb:.0f} |" for name, parts in memory.items() for part, mb in parts.items()]
    publish(report, lines)
    chart(results, report)


if __name__ == "__main__":
    main()
