"""SMS webhook latency: 20 concurrent senders, each texting a conversation as Twilio would (signed form posts).

    .venv/bin/python -m bench.sms_latency [--senders 20] [--rounds 2] [--pause 2]
    TWILIO_AUTH_TOKEN=... .venv/bin/python -m bench.sms_latency --running   # against `make run`

Three runs: one sender alone (what the channel costs); the senders all at once with no pause between a reply
and their next text (the worst case: Rasa's capacity decides); and the senders pausing a random 0 to 2 x
--pause seconds before each next text, as people do. Round trip = signed form post to TwiML reply.
Starts its own Rasa and action server on spare ports unless --running. Goal (issue 6): p99 <= 1 s at
20 concurrent senders; Twilio waits 15 s. Writes bench/results/sms_latency.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import time
import uuid
from urllib.parse import urlencode

import aiohttp
from twilio.request_validator import RequestValidator

from bench.assistant import running_assistant
from bench.figures import publish, summary
from tools.stack import RASA_PORT

WEBHOOK = "/webhooks/sms/webhook"
BENCH_ENV = {"TWILIO_AUTH_TOKEN": "bench-twilio-token", "SENDER_HASH_SECRET": "bench-sender-hash-secret-0123456789"}
CONVERSATION = [
    "hi",
    "1",
    "I'm a bloke and my wife hits me",
    "I live in Aylesbury",
    "what is clare's law",
    "2",
    "he's got a knife",
    "thank you",
    "EXIT",
]


def signed_post(url: str, number: str, body: str, token: str) -> tuple[bytes, dict[str, str]]:
    sid = "SM" + uuid.uuid4().hex
    form = {
        "MessageSid": sid,
        "SmsSid": sid,
        "AccountSid": "AC" + "0" * 32,
        "From": number,
        "To": "+441494000000",
        "Body": body,
        "NumMedia": "0",
        "NumSegments": "1",
        "SmsStatus": "received",
        "ApiVersion": "2010-04-01",
    }
    signature = RequestValidator(token).compute_signature(url, form)
    return urlencode(form).encode(), {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Twilio-Signature": signature,
    }


async def sender(
    session: aiohttp.ClientSession, url: str, number: str, rounds: int, token: str, pause: float, timings: list[float]
) -> None:
    for body in CONVERSATION * rounds:
        data, headers = signed_post(url, number, body, token)
        start = time.perf_counter()
        async with session.post(url, data=data, headers=headers) as reply:
            await reply.read()
            reply.raise_for_status()
        timings.append((time.perf_counter() - start) * 1000)
        if pause:
            await asyncio.sleep(random.uniform(0, 2 * pause))


async def load(url: str, senders: int, rounds: int, token: str, pause: float) -> dict:
    timings: list[float] = []
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as session:
        await sender(session, url, "+447700900000", 1, token, 0, [])  # warm up
        start = time.perf_counter()
        await asyncio.gather(
            *(sender(session, url, f"+447700900{n + 1:03d}", rounds, token, pause, timings) for n in range(senders))
        )
        elapsed = time.perf_counter() - start
    return {"senders": senders, "pause": pause, "max": max(timings), **summary(timings, elapsed)}


def scenarios(url: str, senders: int, rounds: int, token: str, pause: float) -> list[dict]:
    return [
        asyncio.run(load(url, 1, rounds, token, 0)),
        asyncio.run(load(url, senders, rounds, token, 0)),
        asyncio.run(load(url, senders, rounds, token, pause)),
    ]


def on_own_stack(senders: int, rounds: int, pause: float) -> list[dict]:
    with running_assistant(env=BENCH_ENV) as assistant:
        return scenarios(assistant["url"] + WEBHOOK, senders, rounds, BENCH_ENV["TWILIO_AUTH_TOKEN"], pause)


def pause_label(pause: float) -> str:
    return f"0-{2 * pause:g} s" if pause else "none"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--senders", type=int, default=20, help="concurrent senders")
    parser.add_argument(
        "--rounds", type=int, default=2, help=f"times each sender texts the {len(CONVERSATION)}-message conversation"
    )
    parser.add_argument("--pause", type=float, default=2.0, help="mean seconds before a sender's next text")
    parser.add_argument("--running", action="store_true", help="use the stack `make run` started")
    args = parser.parse_args()
    if args.running:
        token = os.environ.get("TWILIO_AUTH_TOKEN") or parser.error("--running needs make run's TWILIO_AUTH_TOKEN")
        rows = scenarios(f"http://localhost:{RASA_PORT}{WEBHOOK}", args.senders, args.rounds, token, args.pause)
    else:
        rows = on_own_stack(args.senders, args.rounds, args.pause)
    lines = [
        "# SMS webhook round trips (signed Twilio form post to TwiML reply)",
        "",
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end.",
        "",
        "| senders | pause before next text | messages | p50 ms | p95 ms | p99 ms | max ms | messages/s |",
        "|---|---|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {r['senders']} | {pause_label(r['pause'])} | {r['messages']} | {r['p50']:.0f} | {r['p95']:.0f} | "
        f"{r['p99']:.0f} | {r['max']:.0f} | {r['per_second']:.1f} |"
        for r in rows
    ]
    publish("sms_latency", lines + ["", "Goal: p99 <= 1000 ms at 20 concurrent senders."])


if __name__ == "__main__":
    main()
