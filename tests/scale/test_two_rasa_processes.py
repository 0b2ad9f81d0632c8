"""Two Rasa processes sharing one Redis (conversations and locks) and one action server, alone and behind nginx:
a conversation whose turns alternate between them keeps its context, two turns at once are both kept, and the
conversations carry on through nginx when one process stops."""

from __future__ import annotations

import asyncio
import json
import subprocess
import uuid
from collections.abc import Callable

import aiohttp
import pytest
import redis
import requests

from bot.tracker_store import KEY_PREFIX
from tools import balancer, stack

pytestmark = pytest.mark.stack

# A need, and the specialist number its answers carry while the conversation remembers the need.
NEEDS = {
    "I'm a bloke and my wife hits me": "0808 801 0327",
    "he keeps following me and turning up at my work": "0808 802 0300",
    "they're forcing me to marry my cousin": "0800 5999 247",
}


def script(need: str) -> list[tuple[str, Callable[[str], bool]]]:
    """The turns of one conversation and what each reply must hold: every one after the first is only right if
    the process answering it read what the other process saved."""
    number = NEEDS[need]
    return [
        (need, lambda reply: number in reply),
        ("I live in Aylesbury", lambda reply: "near Aylesbury" in reply and number in reply),
        ("M1 1AE", lambda reply: "outside Buckinghamshire" in reply and number in reply),
        ("exit", lambda reply: reply == "Closed."),
        # Quick exit deleted the conversation for both processes: a town alone now gets the general helpline.
        ("Aylesbury", lambda reply: "0808 2000 247" in reply and number not in reply),
    ]


def reply_text(port: int, sender: str, message: str) -> str:
    response = requests.post(
        f"http://127.0.0.1:{port}/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=30
    )
    response.raise_for_status()
    return "\n".join(m.get("text", "") for m in response.json())


def hold_turns(conversations: dict[str, str], turns: range, port_for: Callable[[int, int], int]) -> None:
    """Turn by turn, each conversation (sender: need) in turn; `port_for(turn, conversation index)` says
    where each message goes."""
    for turn in turns:
        for index, (sender, need) in enumerate(conversations.items()):
            message, right = script(need)[turn]
            reply = reply_text(port_for(turn, index), sender, message)
            assert right(reply), f"turn {turn} ({message!r}) of the conversation {need!r}: {reply!r}"


@pytest.fixture(scope="module")
def processes(start_module_spare_stack, own_redis_url):
    """Rasa processes A (with the action server) and B, both using A's action server and the module's Redis."""
    env = {"REDIS_URL": own_redis_url}
    first = start_module_spare_stack(env, parts=("action server", "Rasa"))
    second = start_module_spare_stack(
        env, catalogue_url=first.catalogue_url, ports={"actions_port": first.ports["actions_port"]}, parts=("Rasa",)
    )
    return first, second


@pytest.fixture
def two_rasa(processes):
    """Both processes running, whatever an earlier test stopped."""
    for running in processes:
        if "Rasa" not in running.parts:
            running.start("Rasa")
    return processes


def new_conversations() -> dict[str, str]:
    return {uuid.uuid4().hex: need for need in NEEDS}


def test_turns_alternating_between_two_processes_keep_the_conversation(two_rasa):
    ports = [running.rasa_port for running in two_rasa]
    hold_turns(new_conversations(), range(5), lambda turn, index: ports[(turn + index) % 2])


def test_two_turns_at_once_on_two_processes_are_both_kept(two_rasa, own_redis_url):
    """The shared locks make the second turn wait for the first: without them each process would save a
    conversation missing the other's turn."""
    first, second = (running.rasa_port for running in two_rasa)
    senders = [uuid.uuid4().hex for _ in range(5)]
    messages = {first: "I'm a bloke and my wife hits me", second: "I live in Aylesbury"}

    async def send_all_at_once():
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as session:

            async def send(port, sender):
                async with session.post(
                    f"http://127.0.0.1:{port}/webhooks/rest/webhook", json={"sender": sender, "message": messages[port]}
                ) as reply:
                    reply.raise_for_status()

            await asyncio.gather(*(send(port, sender) for sender in senders for port in messages))

    asyncio.run(send_all_at_once())
    stored = redis.Redis.from_url(own_redis_url)
    for sender in senders:
        events = json.loads(stored.get(KEY_PREFIX + sender))["events"]
        assert sorted(e["text"] for e in events if e["event"] == "user") == sorted(messages.values())


def test_through_nginx_turns_alternate_and_carry_on_when_a_process_stops(two_rasa, tmp_path):
    if not balancer.NGINX:
        pytest.fail("nginx is not installed (make test installs Debian's: scripts/test-prerequisites).")
    first, second = two_rasa
    first_address, second_address = (f"127.0.0.1:{running.rasa_port}" for running in two_rasa)
    folder = tmp_path / "nginx"
    nginx = stack.start(
        balancer.nginx_part(stack.spare_ports(1)[0], [first.rasa_port, second.rasa_port], folder),
        output=subprocess.DEVNULL,
    )
    try:
        stack.wait_until_ready([nginx], timeout=30)
        conversations = new_conversations()
        hold_turns(conversations, range(2), lambda turn, index: nginx.port)
        count = len(conversations)
        answered = balancer.answered_by(folder, 2 * count)
        assert len(answered) == 2 * count and set(answered) == {first_address, second_address}
        for index in range(count):
            assert answered[index] != answered[index + count], "each conversation's two turns went to both"

        second.stop("Rasa")
        hold_turns(conversations, range(2, 5), lambda turn, index: nginx.port)
        after_stop = balancer.answered_by(folder, 5 * count)[len(answered) :]
        assert len(after_stop) == 3 * count and all(entry.endswith(first_address) for entry in after_stop)
        assert f"{second_address}, {first_address}" in after_stop, "nginx tried the stopped process and went on"
    finally:
        stack.stop(nginx)
